// The reducer of static/js/state.js: a snapshot, then events in seq order, as rooms/ applies them.
import { test } from "node:test";
import assert from "node:assert/strict";

import { allows, applyEvent, currentPhase, fromSnapshot, orderedIdeas, remainingMs, results } from "../../static/js/state.js";
import { ANN, BOB, event, snapshot } from "./fixtures.mjs";

const ann = { id: ANN, facilitator: false };

test("a snapshot becomes a replica that does not share the message's objects", () => {
  const raw = snapshot();
  const s = fromSnapshot(raw);
  s.ideas.get("i5").reactions["+1"].push(ANN);
  s.voting.mine.push("i5");
  assert.deepEqual(raw.board.ideas[0].reactions["+1"], [BOB]);
  assert.deepEqual(raw.voting.mine, ["i5"]);
  assert.equal(s.members.get(BOB).name, "Bob");
  assert.equal(currentPhase(s).label, "Vote");
  assert.ok(allows(s, "votes"));
  assert.ok(!allows(s, "ideas"));
});

test("an applied event advances seq; a redacted one advances seq and changes nothing", () => {
  const s = fromSnapshot(snapshot());
  applyEvent(s, event(17, "idea.added", { redacted: true }), ann);
  assert.equal(s.seq, 17);
  assert.equal(s.ideas.size, 1);
  applyEvent(s, event(18, "idea.added", { id: "i18", author: BOB, text: "Sirens" }, BOB), ann);
  assert.equal(s.seq, 18);
  assert.deepEqual(orderedIdeas(s).map((i) => i.text), ["Cell broadcast in all local languages", "Sirens"]);
  assert.equal(s.ideas.get("i18").created_at, 1018);
});

test("a reaction toggles on and off per person", () => {
  const s = fromSnapshot(snapshot());
  applyEvent(s, event(17, "reaction.toggled", { idea: "i5", reaction: "+1", by: ANN, on: true }), ann);
  assert.deepEqual(s.ideas.get("i5").reactions["+1"], [BOB, ANN]);
  applyEvent(s, event(18, "reaction.toggled", { idea: "i5", reaction: "+1", by: BOB, on: false }, BOB), ann);
  applyEvent(s, event(19, "reaction.toggled", { idea: "i5", reaction: "+1", by: ANN, on: false }), ann);
  assert.equal(s.ideas.get("i5").reactions["+1"], undefined);
});

test("comments are added and deleted on their idea", () => {
  const s = fromSnapshot(snapshot());
  applyEvent(s, event(17, "comment.added", { idea: "i5", id: "c17", author: ANN, text: "All of them" }), ann);
  assert.deepEqual(s.ideas.get("i5").comments.map((c) => c.id), ["c7", "c17"]);
  applyEvent(s, event(18, "comment.deleted", { idea: "i5", id: "c7" }, BOB), ann);
  assert.deepEqual(s.ideas.get("i5").comments.map((c) => c.text), ["All of them"]);
});

test("own votes count in `mine`; a deleted idea gives its dots back", () => {
  const s = fromSnapshot(snapshot());
  applyEvent(s, event(17, "vote.cast", { idea: "i5", voter: ANN }), ann);
  assert.deepEqual(s.voting.mine, ["i5", "i5"]);
  assert.equal(s.voting.cast, 3);
  applyEvent(s, event(18, "vote.retracted", { idea: "i5", voter: ANN }), ann);
  assert.deepEqual(s.voting.mine, ["i5"]);
  applyEvent(s, event(19, "idea.deleted", { id: "i5", author: ANN }, BOB), ann);
  assert.deepEqual(s.voting.mine, []);
  assert.equal(s.ideas.size, 0);
});

test("an idea hidden by a facilitator leaves a participant's board unless it is theirs", () => {
  const s = fromSnapshot(snapshot());
  applyEvent(s, event(17, "idea.hidden", { id: "i5", hidden: true }, "hfac"), { id: BOB, facilitator: false });
  assert.equal(s.ideas.has("i5"), false);
  const own = fromSnapshot(snapshot());
  applyEvent(own, event(17, "idea.hidden", { id: "i5", hidden: true }, "hfac"), ann);
  assert.equal(own.ideas.get("i5").hidden, true);
});

test("deleting a cluster sets its ideas loose", () => {
  const s = fromSnapshot(snapshot());
  applyEvent(s, event(17, "cluster.deleted", { id: "k10" }, "hfac"), ann);
  assert.equal(s.ideas.get("i5").cluster, null);
  assert.equal(s.clusters.size, 0);
});

test("the reveal brings tallies, and results rank by votes: ties in board order, with equal rank", () => {
  const s = fromSnapshot(snapshot());
  applyEvent(s, event(17, "idea.added", { id: "i17", author: BOB, text: "Sirens" }, BOB), ann);
  applyEvent(s, event(18, "idea.added", { id: "i18", author: BOB, text: "Radio" }, BOB), ann);
  applyEvent(s, event(19, "voting.revealed", { voting: { tallies: { i5: 1, i17: 2, i18: 2 }, cast: 5 } }, "hfac"), ann);
  assert.equal(s.voting.revealed, true);
  const r = results(s);
  assert.deepEqual(r.ideas.map((i) => [i.id, i.votes, i.rank]), [["i17", 2, 1], ["i18", 2, 1], ["i5", 1, 3]]);
  assert.equal(r.total, 5);
  assert.deepEqual(r.clusters, [{ id: "k10", votes: 1, rank: 1 }]);
});

test("the timer runs, pauses and resumes against server time", () => {
  const s = fromSnapshot(snapshot());
  applyEvent(s, event(17, "timer.started", { duration_ms: 60000, ends_at: 100000 }, "hfac"), ann);
  assert.equal(remainingMs(s.timer, 40000), 60000);
  assert.equal(remainingMs(s.timer, 130000), 0);
  applyEvent(s, event(18, "timer.paused", { remaining_ms: 25000 }, "hfac"), ann);
  assert.equal(remainingMs(s.timer, 999999), 25000);
  applyEvent(s, event(19, "timer.resumed", { ends_at: 200000 }, "hfac"), ann);
  assert.equal(remainingMs(s.timer, 190000), 10000);
  applyEvent(s, event(20, "timer.stopped", {}, "hfac"), ann);
  assert.equal(s.timer.status, "idle");
});

test("a phase change and a member who joins reach the replica", () => {
  const s = fromSnapshot(snapshot());
  applyEvent(s, event(17, "phase.changed", { phase: "ideate" }, "hfac"), ann);
  assert.ok(allows(s, "ideas"));
  applyEvent(s, event(18, "member.joined", { id: "pNew", name: "Cleo", attendance: "remote" }, "pNew"), ann);
  assert.equal(s.members.get("pNew").attendance, "remote");
});
