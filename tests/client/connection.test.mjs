// static/js/connection.js: the outbox, the resume and the replica kept on the device.
import { afterEach, beforeEach, test } from "node:test";
import assert from "node:assert/strict";

import { resetDevice, sockets } from "./fake_browser.mjs";
import { RoomConnection, tokenTag } from "../../static/js/connection.js";
import { ANN, EPOCH, event, snapshot } from "./fixtures.mjs";

const ROOM = "r7lAqj2qJyyDN";
let open = [];

function connect(token = "tok-ann") {
  const conn = new RoomConnection({ token, room: ROOM, outboxKey: `hackrooms.outbox.${ROOM}.f1` });
  open.push(conn);
  return conn.start();
}

/** The server's side of a first connection: welcome, snapshot, synced. */
function serve(socket, { seq = 16, you = ANN } = {}) {
  socket.open();
  socket.deliver({ type: "welcome", room: ROOM, kind: "room", epoch: EPOCH, you: { id: you, role: "participant" }, now: Date.now(), seq });
  socket.deliver({ type: "snapshot", epoch: EPOCH, seq, state: { ...snapshot(), seq } });
  socket.deliver({ type: "synced", seq });
}

beforeEach(resetDevice);
afterEach(() => {
  for (const conn of open) conn.stop();
  open = [];
});

test("a command made offline waits in the outbox, survives a reload and goes out once live", () => {
  const first = connect();
  first.send("comment.add", { idea: "i5", text: "On the train" }, "idea:i5");
  assert.equal(first.pending().length, 1);
  assert.equal(sockets[0].of("cmd").length, 0);
  first.stop();

  const again = connect();  // the page was reloaded
  assert.deepEqual(again.pending().map((e) => e.args.text), ["On the train"]);
  serve(sockets[1]);
  const [cmd] = sockets[1].of("cmd");
  assert.equal(cmd.name, "comment.add");
  assert.equal(cmd.op, again.pending()[0].op);
});

test("an ack takes the command out of the outbox; an error names the command it refuses", () => {
  const conn = connect();
  serve(sockets[0]);
  const failures = [];
  conn.addEventListener("failure", (e) => failures.push(e.detail));
  const ok = conn.send("reaction.toggle", { idea: "i5", reaction: "+1" });
  const refused = conn.send("idea.edit", { id: "i5", text: "" }, "idea:i5");
  sockets[0].deliver({ type: "ack", op: ok.op, seq: 17 });
  sockets[0].deliver({ type: "error", op: refused.op, code: "invalid", message: "text: empty" });
  assert.equal(conn.pending().length, 0);
  assert.equal(failures.length, 1);
  assert.equal(failures[0].entry.origin, "idea:i5");
  assert.equal(failures[0].error.code, "invalid");
});

test("a pending reaction shows at once and is counted once when its event comes before the ack", () => {
  const conn = connect();
  serve(sockets[0]);
  const sent = conn.send("reaction.toggle", { idea: "i5", reaction: "heart" });
  assert.deepEqual(conn.state.ideas.get("i5").reactions.heart, [ANN]);
  assert.deepEqual(conn.state.ideas.get("i5").pending.reactions, ["heart"]);
  sockets[0].deliver(event(17, "reaction.toggled", { idea: "i5", reaction: "heart", by: ANN, on: true }));
  assert.deepEqual(conn.state.ideas.get("i5").reactions.heart, [ANN]);
  assert.equal(conn.state.ideas.get("i5").pending, undefined);
  sockets[0].deliver({ type: "ack", op: sent.op, seq: 17 });
  assert.equal(conn.pending().length, 0);
  assert.deepEqual(conn.confirmed.ideas.get("i5").reactions.heart, [ANN]);
});

test("events apply in seq order; a gap drops the socket and the resume asks from the last seq", () => {
  const conn = connect();
  serve(sockets[0]);
  sockets[0].deliver(event(17, "phase.changed", { phase: "ideate" }, "hfac"));
  sockets[0].deliver(event(17, "phase.changed", { phase: "brief" }, "hfac"));  // a repeat: ignored
  assert.equal(conn.state.phase, "ideate");
  sockets[0].deliver(event(19, "phase.changed", { phase: "vote" }, "hfac"));  // 18 is missing
  assert.equal(conn.state.seq, 17);
  assert.ok(sockets[0].closed);
  conn.reconnectNow();
  sockets.at(-1).open();
  const [hello] = sockets.at(-1).of("hello");
  assert.deepEqual(hello.resume, { epoch: EPOCH, seq: 17 });
});

test("a reload opens the room from the kept replica, with its outbox, before any network", () => {
  const first = connect();
  serve(sockets[0]);
  sockets[0].deliver(event(17, "idea.added", { id: "i17", author: ANN, text: "Sirens" }));
  first.send("comment.add", { idea: "i17", text: "Loud ones" });
  first.stop();  // the page goes away (the kept replica is written now)

  const again = connect();
  assert.equal(again.status, "offline");
  assert.equal(again.state.seq, 17);
  assert.deepEqual(again.state.ideas.get("i17").comments.map((c) => [c.text, c.pending]), [["Loud ones", true]]);
  assert.equal(again.me.id, ANN);
  sockets.at(-1).open();
  assert.deepEqual(sockets.at(-1).of("hello")[0].resume, { epoch: EPOCH, seq: 17 });
});

test("another person's token on the same device does not open the kept replica", () => {
  const first = connect("tok-ann");
  serve(sockets[0]);
  first.stop();
  const other = connect("tok-bob");
  assert.equal(other.state, null);
  sockets.at(-1).open();
  assert.equal(sockets.at(-1).of("hello")[0].resume, undefined);
});

test("over the message budget the same op goes again after the wait the server names", (t) => {
  t.mock.timers.enable({ apis: ["setTimeout"] });
  const conn = connect();
  serve(sockets[0]);
  const entry = conn.send("idea.add", { text: "One" });
  sockets[0].deliver({ type: "error", op: entry.op, code: "rate_limited", retry_after_ms: 5 });
  assert.equal(conn.pending().length, 1);
  t.mock.timers.tick(4);
  assert.equal(sockets[0].of("cmd").filter((c) => c.op === entry.op).length, 1);
  t.mock.timers.tick(1);
  const cmds = sockets[0].of("cmd").filter((c) => c.op === entry.op);
  assert.equal(cmds.length, 2);
});

test("a damaged kept replica is dropped and the server's snapshot is waited for", () => {
  const key = `hackrooms.replica.${ROOM}.f1`;
  localStorage.setItem(key, JSON.stringify({ tag: tokenTag("tok-ann"), seq: 3, events: [], snapshot: { room: {} } }));
  const conn = connect();
  assert.equal(conn.state, null);
  assert.equal(localStorage.getItem(key), null);
  sockets.at(-1).open();
  assert.equal(sockets.at(-1).of("hello")[0].resume, undefined);
});

test("the view is cached until the replica or the outbox changes", () => {
  const conn = connect();
  serve(sockets[0]);
  const before = conn.state;
  assert.equal(conn.state, before);
  conn.send("reaction.toggle", { idea: "i5", reaction: "idea" });
  assert.notEqual(conn.state, before);
  assert.equal(conn.state, conn.state);
});
