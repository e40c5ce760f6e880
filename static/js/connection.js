// One live connection to a log (a room or a forum's hall): hello with resume, snapshot or missed events in seq order,
// an outbox of commands that survives drops and reloads, reconnection with exponential backoff
// and jitter, and the server clock offset (clock.js). `state` is what views draw: the replica
// (`confirmed`) with the person's waiting commands laid over it (pending.js).
//
// Events: "status" (connecting / live / offline / stopped), "state" (the replica changed),
// "event" (one event applied, each of an "events" frame too: detail is the message), "ack"
// and "failure" (detail: {entry, error}), "fatal" (detail: close code), "presence"
// (this.presence: the counts; for a facilitator also this.roster: member id -> {id, name,
// attendance} of those online).
//
// The same class follows a hall: `welcome.kind` says which log it is, and picks the replica
// (state.js for a room, hall.js for a hall).

import { applyEvent, fromSnapshot } from "./state.js";
import { applyHallEvent, fromHallSnapshot } from "./hall.js";
import { loadJSON, newId, saveJSON } from "./dom.js";
import { ClockOffset } from "./clock.js";
import { answers, overlay } from "./pending.js";

const FATAL = new Set([4400, 4401, 4403, 4404]);
const BACKOFF_BASE_MS = 500;
const BACKOFF_MAX_MS = 15000;
const PING_EVERY_MS = 10000;
const PONG_TIMEOUT_MS = 6000;
const RETRY_UNAVAILABLE_MS = 2000;
const KEEP_EVENTS = 1000;  // events kept after the last snapshot; beyond, the next snapshot is waited for
const SAVE_AFTER_MS = 500;  // the kept replica is written at most this often

/** A short tag of a token (FNV-1a): which person a kept replica belongs to, without a copy of the token. */
export function tokenTag(token) {
  let x = 0x811c9dc5;
  for (let i = 0; i < token.length; i += 1) x = Math.imul(x ^ token.charCodeAt(i), 0x01000193) >>> 0;
  return x.toString(36);
}

export class RoomConnection extends EventTarget {
  constructor({ token, room, facilitator = false, outboxKey }) {
    super();
    this.token = token;
    this.room = room;
    this.facilitator = facilitator;
    this.outboxKey = outboxKey || `hackrooms.outbox.${room}`;
    this.outbox = loadJSON(this.outboxKey, []);
    this.replicaKey = this.outboxKey.replace("hackrooms.outbox.", "hackrooms.replica.");
    this.confirmed = null;  // the replica: the snapshot and the events applied since
    this.outboxVersion = 0;
    this.view = { of: null, seq: -1, version: -1, state: null };
    this.epoch = null;
    this.me = null;
    this.presence = null;
    this.roster = new Map();
    this.status = "connecting";
    this.kind = null;  // "room" or "hall", from the welcome
    this.clock = new ClockOffset();
    this.attempt = 0;
    this.held = 0;  // ms between two resends while over the server's message budget
    this.ws = null;
    this.stopped = false;
    this.timers = {};
    this.onOnline = () => this.reconnectNow();
    this.onOffline = () => this.drop("offline");
    globalThis.window?.addEventListener("online", this.onOnline);
    globalThis.window?.addEventListener("offline", this.onOffline);
    this.onHide = () => this.flush();
    globalThis.window?.addEventListener("pagehide", this.onHide);
    this.restore();
  }

  // What the device knows --------------------------------------------------------------------
  // The last snapshot and the events since are kept (localStorage), so a reload while offline
  // opens the room as it was, with its outbox; the hello then resumes from that seq.

  restore() {
    const kept = loadJSON(this.replicaKey, null);
    if (!kept || kept.tag !== tokenTag(this.token) || !kept.snapshot) return;
    try {
      const kind = kept.kind || "room";
      const state = kind === "hall" ? fromHallSnapshot(kept.snapshot) : fromSnapshot(kept.snapshot);
      state.seq = kept.seq;
      const viewer = { id: kept.me?.id, facilitator: this.facilitator };
      for (const e of kept.events) (kind === "hall" ? applyHallEvent : applyEvent)(state, e, viewer);
      Object.assign(this, { kind, me: kept.me, forum: kept.forum, epoch: kept.epoch, confirmed: state, kept });
    } catch {
      this.forget();  // kept by an older client, or damaged: the server sends a fresh snapshot
    }
  }

  keep(change) {
    if (change.snapshot) {
      this.kept = { tag: tokenTag(this.token), kind: this.kind, me: this.me, forum: this.forum,
        epoch: this.epoch, seq: change.seq, snapshot: change.snapshot, events: [] };
    } else if (this.kept && this.kept.epoch === this.epoch) {
      if (this.kept.events.length >= KEEP_EVENTS) return this.forget();
      this.kept.events.push(change.event);
    } else {
      return undefined;
    }
    clearTimeout(this.timers.keep);
    this.timers.keep = setTimeout(() => this.flush(), SAVE_AFTER_MS);
    return undefined;
  }

  /** Write the kept replica now (also when the page goes away: a reload must find it). */
  flush() {
    const due = this.timers.keep && this.kept;
    clearTimeout(this.timers.keep);
    this.timers.keep = null;
    if (!due) return;
    try {
      saveJSON(this.replicaKey, this.kept);
    } catch {
      this.forget();  // storage full or refused: the device keeps nothing rather than half
    }
  }

  forget() {
    this.kept = null;
    clearTimeout(this.timers.keep);
    try {
      globalThis.localStorage?.removeItem(this.replicaKey);
    } catch {
      // storage refused: nothing was kept there either
    }
  }

  /**
   * What the views draw: the replica with this person's waiting changes laid over it, marked
   * as waiting (pending.js); the replica itself when nothing waits. A hall shows its replica.
   */
  get state() {
    const c = this.confirmed;
    if (!c || this.kind === "hall") return c;
    const v = this.view;
    if (v.of !== c || v.seq !== c.seq || v.version !== this.outboxVersion) {
      Object.assign(v, { of: c, seq: c.seq, version: this.outboxVersion, state: overlay(c, this.outbox, this.me?.id) });
    }
    return v.state;
  }

  set state(value) {
    this.confirmed = value;
  }

  get offset() {
    return this.clock.offset;
  }

  /** Server time now, in ms since the epoch. */
  now() {
    return this.clock.at(Date.now());
  }

  start() {
    if (this.confirmed) this.emit("state");  // what the device knows, drawn before any network
    this.connect();
    return this;
  }

  stop() {
    this.stopped = true;
    globalThis.window?.removeEventListener("online", this.onOnline);
    globalThis.window?.removeEventListener("offline", this.onOffline);
    this.clearTimers();
    this.detach(this.ws, 1000);
    this.flush();
    globalThis.window?.removeEventListener("pagehide", this.onHide);
  }

  /** Queue a command; it is sent now if live, else when back. Returns the outbox entry. */
  send(name, args = {}, origin = "") {
    const entry = { op: newId(), name, args, origin, sent: false, answered: false };
    this.outbox.push(entry);
    this.persist();
    if (this.status === "live" && !this.held) this.transmit(entry);
    this.emit("state");
    return entry;
  }

  pending() {
    return this.outbox;
  }

  // Connecting ------------------------------------------------------------------------------

  connect() {
    if (this.stopped) return;
    this.setStatus(this.confirmed ? "offline" : "connecting");
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    let ws;
    try {
      ws = new WebSocket(`${scheme}://${location.host}/ws`);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.ws = ws;
    ws.onopen = () => {
      const hello = { type: "hello", token: this.token, room: this.room };
      if (this.confirmed && this.epoch) hello.resume = { epoch: this.epoch, seq: this.confirmed.seq };
      this.helloAt = Date.now();
      ws.send(JSON.stringify(hello));
    };
    ws.onmessage = (m) => {
      if (this.ws !== ws) return;
      let message;
      try {
        message = JSON.parse(m.data);
      } catch {
        return;
      }
      this.receive(message);
    };
    ws.onclose = (c) => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.clearTimers();
      if (FATAL.has(c.code)) {
        this.stopped = true;
        this.setStatus("stopped");
        this.emit("fatal", { code: c.code, reason: c.reason });
        return;
      }
      this.scheduleReconnect();
    };
    ws.onerror = () => {};  // onclose follows and decides
  }

  /** Forget the current socket at once (a dead link may take minutes to report its close). */
  drop(reason) {
    if (this.stopped) return;
    this.detach(this.ws, 4000, reason);
    this.clearTimers();
    this.setStatus(this.confirmed ? "offline" : "connecting");
    if (reason === "offline" && navigator.onLine === false) {
      this.attempt = 0;  // "online" brings us back at once; keep slow probes meanwhile
    }
    this.scheduleReconnect();
  }

  detach(ws, code, reason) {
    if (!ws) return;
    ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
    try {
      ws.close(code, reason);
    } catch {
      // closing a socket that never opened may throw; it is gone either way
    }
    if (this.ws === ws) this.ws = null;
  }

  scheduleReconnect() {
    if (this.stopped) return;
    this.setStatus(this.confirmed ? "offline" : "connecting");
    clearTimeout(this.timers.reconnect);
    const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** this.attempt);
    const delay = ceiling / 2 + Math.random() * (ceiling / 2);  // jitter: no thundering herd
    this.attempt += 1;
    this.timers.reconnect = setTimeout(() => this.connect(), delay);
  }

  reconnectNow() {
    if (this.stopped || this.status === "live") return;
    this.attempt = 0;
    clearTimeout(this.timers.reconnect);
    this.detach(this.ws, 4000, "retry");
    this.connect();
  }

  clearTimers() {
    clearTimeout(this.timers.reconnect);
    clearInterval(this.timers.ping);
    clearTimeout(this.timers.pong);
    clearTimeout(this.timers.retry);
  }

  // Receiving -------------------------------------------------------------------------------

  receive(m) {
    switch (m.type) {
      case "welcome": return this.onWelcome(m);
      case "snapshot": return this.onSnapshot(m);
      case "event": return this.onEvent(m);
      case "events": return this.onEvents(m);
      case "synced": return this.onSynced(m);
      case "ack": return this.onAck(m);
      case "error": return this.onError(m);
      case "presence": return this.onPresence(m.presence);
      case "pong": return this.onPong(m);
      default: return undefined;
    }
  }

  // Counts replace the last ones. A facilitator's roster comes whole on connecting
  // ("members"), then as changes ("joined": new or changed entries, "left": ids).
  onPresence(p) {
    this.presence = p;
    if (p.members) this.roster = new Map(p.members.map((e) => [e.id, e]));
    for (const id of p.left || []) this.roster.delete(id);
    for (const e of p.joined || []) this.roster.set(e.id, e);
    this.emit("presence");
  }

  onWelcome(m) {
    this.me = m.you;
    this.forum = m.forum;
    this.kind = m.kind || "room";
    this.sample(this.helloAt, Date.now(), m.now);
    if (this.epoch && m.epoch !== this.epoch) this.confirmed = null;  // a new log: a snapshot follows
    this.epoch = m.epoch;
  }

  onSnapshot(m) {
    this.epoch = m.epoch;
    this.confirmed = this.kind === "hall" ? fromHallSnapshot(m.state) : fromSnapshot(m.state);
    this.confirmed.seq = m.seq;
    this.keep({ snapshot: m.state, seq: m.seq });
    this.markAnsweredFromState();
    this.emit("state");
  }

  onEvent(m) {
    if (this.applyOne(m)) this.emit("state");
  }

  // Several events committed together arrive in one frame; the screen is redrawn once.
  onEvents(m) {
    let changed = false;
    for (const e of m.events || []) {
      if (!this.confirmed) break;
      changed = this.applyOne({ type: "event", epoch: m.epoch, ...e }) || changed;
    }
    if (changed) this.emit("state");
  }

  // Apply one event in order; false when it was not applied (seen, or the log moved on).
  applyOne(m) {
    if (!this.confirmed) return false;
    if (m.epoch !== this.epoch) {
      this.confirmed = null;  // the log was replaced: start over from a snapshot
      this.drop("epoch");
      return false;
    }
    if (m.seq <= this.confirmed.seq) return false;  // seen already
    if (m.seq !== this.confirmed.seq + 1) {
      this.drop("gap");  // resume fills the gap
      return false;
    }
    const apply = this.kind === "hall" ? applyHallEvent : applyEvent;
    apply(this.confirmed, m, { id: this.me?.id, facilitator: this.facilitator });
    this.keep({ event: { seq: m.seq, at: m.at, name: m.name, actor: m.actor, data: m.data } });
    this.markAnswered(m);
    this.emit("event", m);
    return true;
  }

  onSynced() {
    this.attempt = 0;
    this.held = 0;
    this.setStatus("live");
    for (const entry of this.outbox) this.transmit(entry);
    this.startPings();
    this.emit("state");
  }

  onAck(m) {
    const entry = this.take(m.op);
    if (entry) this.emit("ack", { entry, seq: m.seq });
  }

  onError(m) {
    if (m.code === "rate_limited") return this.backOff(m);
    const error = { code: m.code, message: m.message };
    if (!m.op) return this.emit("failure", { entry: null, error });
    const entry = this.outbox.find((e) => e.op === m.op);
    if (!entry) return undefined;
    if (m.code === "unavailable") {
      // The server could not save it and remembered nothing: the same op is safe to resend.
      entry.sent = false;
      clearTimeout(this.timers.retry);
      this.timers.retry = setTimeout(() => this.resendUnsent(), RETRY_UNAVAILABLE_MS);
      return this.emit("failure", { entry, error, retrying: true });
    }
    this.take(m.op);
    return this.emit("failure", { entry, error });
  }

  backOff(m) {
    // Over the server's message budget: nothing was done or remembered. The same ops go again,
    // one per retry_after_ms and in order, and new commands wait behind them, so the room
    // applies them in the order they were made. Not a failure: nobody clicks that fast.
    clearTimeout(this.timers.pong);  // an answer all the same: the link is alive
    const entry = m.op && this.outbox.find((e) => e.op === m.op);
    if (entry) entry.sent = false;
    const wait = Math.max(1, Number(m.retry_after_ms) || RETRY_UNAVAILABLE_MS);
    this.held = Math.max(this.held, wait);  // the pace of the resends: the longest wait named
    clearTimeout(this.timers.retry);
    this.timers.retry = setTimeout(() => this.drip(), wait);
  }

  drip() {
    const next = this.status === "live" && this.outbox.find((e) => !e.sent);
    if (!next) {
      this.held = 0;
      return;
    }
    this.transmit(next);
    this.timers.retry = setTimeout(() => this.drip(), this.held);
  }

  resendUnsent() {
    if (this.status !== "live") return;
    for (const entry of this.outbox) if (!entry.sent) this.transmit(entry);
  }

  take(op) {
    const at = this.outbox.findIndex((e) => e.op === op);
    if (at < 0) return null;
    const [entry] = this.outbox.splice(at, 1);
    this.persist();
    this.emit("state");
    return entry;
  }

  markAnswered(event) {
    const me = this.me?.id;
    const entry = this.outbox.find((e) => e.sent && !e.answered && answers(e, event, me));
    if (entry) {
      entry.answered = true;
      this.persist();
    }
  }

  markAnsweredFromState() {
    // After a snapshot we cannot tell which pending commands it already holds; the acks of
    // the resent ops will tell. Until then count none of them twice: trust the snapshot.
    for (const entry of this.outbox) if (entry.sent) entry.answered = true;
  }

  transmit(entry) {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return;
    this.ws.send(JSON.stringify({ type: "cmd", op: entry.op, name: entry.name, args: entry.args }));
    if (!entry.sent) {
      entry.sent = true;
      this.persist();
    }
  }

  persist() {
    this.outboxVersion += 1;
    saveJSON(this.outboxKey, this.outbox);
  }

  // Clock and keep-alive ----------------------------------------------------------------------

  sample(t0, t1, serverNow) {
    if (this.clock.sample(t0, t1, serverNow)) this.emit("clock");
  }

  startPings() {
    clearInterval(this.timers.ping);
    this.clock.restart();
    this.ping();
    setTimeout(() => this.ping(), 300);
    this.timers.ping = setInterval(() => this.ping(), PING_EVERY_MS);
  }

  ping() {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return;
    const t = Date.now();
    this.ws.send(JSON.stringify({ type: "ping", t }));
    clearTimeout(this.timers.pong);
    this.timers.pong = setTimeout(() => this.drop("no pong"), PONG_TIMEOUT_MS);
  }

  onPong(m) {
    clearTimeout(this.timers.pong);
    if (typeof m.t === "number") this.sample(m.t, Date.now(), m.now);
  }

  // Notifications -----------------------------------------------------------------------------

  setStatus(status) {
    if (this.status === status) return;
    this.status = status;
    this.emit("status");
  }

  emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}

/** The same connection under the name that says it may follow a hall as well as a room. */
export { RoomConnection as LogConnection };
