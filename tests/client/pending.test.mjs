// static/js/pending.js: the person's waiting commands laid over the confirmed replica.
import { test } from "node:test";
import assert from "node:assert/strict";

import { fromSnapshot } from "../../static/js/state.js";
import { answers, overlay } from "../../static/js/pending.js";
import { ANN, BOB, event, snapshot } from "./fixtures.mjs";

const entry = (name, args, more = {}) => ({ op: `op-${name}-${Math.random()}`, name, args, sent: false, answered: false, ...more });

test("nothing waiting: the replica itself is shown", () => {
  const s = fromSnapshot(snapshot());
  assert.equal(overlay(s, [], ANN), s);
  assert.equal(overlay(s, [entry("vote.cast", { idea: "i5" })], ANN), s);
});

test("a waiting reaction shows at once, marked, and the replica is untouched", () => {
  const s = fromSnapshot(snapshot());
  const shown = overlay(s, [entry("reaction.toggle", { idea: "i5", reaction: "+1" })], ANN);
  assert.deepEqual(shown.ideas.get("i5").reactions["+1"], [BOB, ANN]);
  assert.deepEqual(shown.ideas.get("i5").pending.reactions, ["+1"]);
  assert.deepEqual(s.ideas.get("i5").reactions["+1"], [BOB]);
  assert.equal(s.ideas.get("i5").pending, undefined);
});

test("two taps while offline cancel out and nothing is marked waiting", () => {
  const s = fromSnapshot(snapshot());
  const tap = () => entry("reaction.toggle", { idea: "i5", reaction: "heart" });
  const shown = overlay(s, [tap(), tap()], ANN);
  assert.equal(shown.ideas.get("i5").reactions.heart, undefined);
  assert.deepEqual(shown.ideas.get("i5").pending.reactions, []);
});

test("a waiting comment shows under its idea as waiting; a deletion marks its comment", () => {
  const s = fromSnapshot(snapshot());
  const add = entry("comment.add", { idea: "i5", text: "Also Russian" });
  const shown = overlay(s, [add, entry("comment.delete", { idea: "i5", id: "c7" })], ANN);
  const comments = shown.ideas.get("i5").comments;
  assert.deepEqual(comments.map((c) => [c.id, c.pending, Boolean(c.deleting)]),
    [["c7", true, true], [`pending:${add.op}`, true, false]]);
  assert.equal(comments[1].author, ANN);
  assert.equal(s.ideas.get("i5").comments.length, 1);
});

test("a waiting edit shows the new text; a waiting deletion marks the idea", () => {
  const s = fromSnapshot(snapshot());
  const shown = overlay(s, [entry("idea.edit", { id: "i5", text: "Cell broadcast, everywhere" })], ANN);
  assert.equal(shown.ideas.get("i5").text, "Cell broadcast, everywhere");
  assert.equal(shown.ideas.get("i5").pending.text, true);
  assert.equal(overlay(s, [entry("idea.delete", { id: "i5" })], ANN).ideas.get("i5").pending.deleted, true);
});

test("an answered command is not laid over again (it is in the replica already)", () => {
  const s = fromSnapshot(snapshot());
  const done = entry("reaction.toggle", { idea: "i5", reaction: "+1" }, { sent: true, answered: true });
  assert.equal(overlay(s, [done], ANN), s);
});

test("a command on an idea that is gone is dropped from the view", () => {
  const s = fromSnapshot(snapshot());
  const shown = overlay(s, [entry("comment.add", { idea: "i99", text: "Lost" })], ANN);
  assert.equal(shown.ideas.has("i99"), false);
});

test("own events answer their commands, others' do not", () => {
  const toggle = entry("reaction.toggle", { idea: "i5", reaction: "+1" });
  assert.ok(answers(toggle, event(17, "reaction.toggled", { idea: "i5", reaction: "+1", by: ANN, on: true }), ANN));
  assert.ok(!answers(toggle, event(17, "reaction.toggled", { idea: "i5", reaction: "+1", by: BOB, on: true }, BOB), ANN));
  const comment = entry("comment.add", { idea: "i5", text: "x" });
  assert.ok(answers(comment, event(18, "comment.added", { idea: "i5", id: "c18", author: ANN, text: "x" }), ANN));
  assert.ok(!answers(comment, event(18, "comment.added", { idea: "i6", id: "c18", author: ANN, text: "x" }), ANN));
  assert.ok(answers(entry("vote.cast", { idea: "i5" }), event(19, "vote.cast", { idea: "i5", voter: ANN }), ANN));
});
