// Pieces every view shares: the connection indicator, the timer, per-action error slots,
// the phase summary and the results list.

import { formatList, t } from "./i18n.js";
import { phaseName } from "./forum.js";
import { announce, errorBox, fill, formatClock, h, setText, syncList } from "./dom.js";
import { allows, currentPhase, orderedIdeas, remainingMs, results } from "./state.js";
import { timerCue } from "./timer_cue.js";

const STATUS_ICON = { connecting: "…", live: "●", offline: "↻", stopped: "■" };

const WORST = ["stopped", "offline", "connecting", "live"];

/**
 * Several connections shown as one indicator (a device follows the hall and its room): the
 * worst status of them, their pending commands together, and "reconnect now" for all.
 */
export class ConnectionGroup extends EventTarget {
  constructor(conns = []) {
    super();
    this.conns = [];
    this.onStatus = () => this.dispatchEvent(new CustomEvent("status"));
    this.onState = () => this.dispatchEvent(new CustomEvent("state"));
    this.set(conns);
  }

  set(conns) {
    for (const c of this.conns) {
      c.removeEventListener("status", this.onStatus);
      c.removeEventListener("state", this.onState);
    }
    this.conns = conns;
    for (const c of conns) {
      c.addEventListener("status", this.onStatus);
      c.addEventListener("state", this.onState);
    }
    this.onStatus();
  }

  get status() {
    const all = this.conns.map((c) => c.status);
    return WORST.find((s) => all.includes(s)) || "connecting";
  }

  pending() {
    return this.conns.flatMap((c) => c.pending());
  }

  reconnectNow() {
    for (const c of this.conns) c.reconnectNow();
  }
}

/** The connection state, always visible: text and a symbol, never colour alone. */
export function statusPill(conn) {
  const icon = h("span", { class: "status-icon", "aria-hidden": "true" });
  const text = h("span", { class: "status-text" });
  const pending = h("span", { class: "status-pending" });
  // On a phone the header stays one line: the count alone shows, the sentence is still read.
  const short = h("span", { class: "status-pending-short", "aria-hidden": "true" });
  const shortText = h("span", { class: "status-text-short", "aria-hidden": "true" });
  const retry = h("button", { type: "button", class: "btn btn-small btn-quiet btn-retry", onclick: () => conn.reconnectNow() },
    h("span", { class: "retry-icon", "aria-hidden": "true" }, "↻ "), h("span", { class: "retry-text" }, t("conn.retryNow")));
  const pill = h("div", { class: "status", role: "status", "data-testid": "connection" },
    h("span", { class: "visually-hidden" }, `${t("conn.label")}: `), icon, text, shortText, pending, short);
  const wrap = h("div", { class: "status-wrap" }, pill, retry);
  let previous = conn.status;
  const render = () => {
    pill.dataset.status = conn.status;
    setText(icon, STATUS_ICON[conn.status] || "");
    setText(text, t(`conn.${conn.status}`));
    setText(shortText, t(`conn.short.${conn.status}`));
    const n = conn.pending().length;
    setText(pending, n ? ` · ${t("conn.pending", { count: n })}` : "");
    setText(short, n ? ` · ⏳ ${n}` : "");
    retry.hidden = conn.status !== "offline";
    if (previous !== conn.status) {
      if (conn.status === "live" && previous === "offline") announce(t("conn.announce.live"));
      if (conn.status === "offline" && previous === "live") announce(t("conn.announce.offline"));
      previous = conn.status;
    }
  };
  conn.addEventListener("status", render);
  conn.addEventListener("state", render);
  render();
  return wrap;
}

/**
 * The timer: remaining = ends_at - server now, redrawn four times a second; announced to
 * screen readers only on start, pause, resume, stop, adjust, the last minute and expiry.
 */
export function timerWidget(conn, { large = false, cue = {} } = {}) {
  const clock = h("p", { class: large ? "timer-clock timer-clock-large" : "timer-clock", role: "timer", "data-testid": "timer" });
  const status = h("p", { class: "timer-status", "data-testid": "timer-status" });
  const box = h("div", { class: "timer" }, clock, status);
  box.append(timerCue(conn, box, cue));  // the visual cue and sound at expiry (js/timer_cue.js)
  let lastMinuteSaid = false;
  const draw = () => {
    const timer = conn.state?.timer;
    if (!timer) return;
    const left = remainingMs(timer, conn.now());
    box.dataset.status = timer.status;
    setText(clock, timer.status === "idle" ? "--:--" : formatClock(left));
    setText(status, t(`timer.${timer.status}`));
    if (timer.status === "running" && left <= 60000 && left > 0 && !lastMinuteSaid) {
      lastMinuteSaid = true;
      if (box.isConnected) announce(t("timer.announce.lastMinute"));
    }
    if (timer.status === "running" && left > 60000) lastMinuteSaid = false;
  };
  conn.addEventListener("event", (e) => {
    const name = e.detail.name;
    if (!name.startsWith("timer.")) return;
    const left = formatClock(remainingMs(conn.state.timer, conn.now()));
    const key = { "timer.started": "started", "timer.paused": "paused", "timer.resumed": "resumed",
      "timer.stopped": "stopped", "timer.expired": "expired", "timer.adjusted": "adjusted" }[name];
    if (key && box.isConnected) announce(t(`timer.announce.${key}`, { time: left }));
    lastMinuteSaid = remainingMs(conn.state.timer, conn.now()) <= 60000 && name !== "timer.started";
    draw();
  });
  conn.addEventListener("state", draw);
  conn.addEventListener("clock", draw);
  setInterval(draw, 250);
  draw();
  return box;
}

const MOVES_ON = new Set(["phase.changed", "voting.opened", "voting.closed", "voting.configured",
  "voting.revealed", "agenda.moved"]);

/** Errors next to what caused them: each command carries an origin naming its slot. */
export class ErrorSlots {
  constructor(fallback) {
    this.errors = new Map();
    this.slots = new Map();
    this.fallback = fallback;
  }

  /** The element where errors of `origin` appear (create it once, place it in the view). */
  slot(origin) {
    if (!this.slots.has(origin)) {
      this.slots.set(origin, h("div", { class: "error-slot", "data-origin": origin }));
    }
    return this.slots.get(origin);
  }

  set(origin, error) {
    this.errors.set(origin || "", error);
    this.render();
  }

  clear(origin) {
    if (this.errors.delete(origin || "")) this.render();
  }

  render() {
    const placed = new Set();
    for (const [origin, slot] of this.slots) {
      // The card it was about is gone (deleted, hidden): so is the cause.
      if (!slot.isConnected && origin.startsWith("idea:") && this.errors.has(origin)) this.errors.delete(origin);
      const error = this.errors.get(origin);
      if (slot.isConnected && error) {
        placed.add(origin);
        if (slot._error !== error) fill(slot, errorBox(error, () => this.clear(origin)));
        slot._error = error;
      } else if (slot._error) {
        slot._error = null;
        fill(slot);
      }
    }
    const rest = [...this.errors].filter(([origin]) => !placed.has(origin));
    syncList(this.fallback, rest, ([origin]) => origin || "_",
      ([origin, error]) => errorBox(error, () => this.clear(origin)), () => {});
  }

  /** Wire a connection: errors of its commands go to their slots, acks clear them. */
  watch(conn) {
    conn.addEventListener("failure", (e) => this.set(e.detail.entry?.origin || "", e.detail.error));
    conn.addEventListener("ack", (e) => this.clear(e.detail.entry.origin));
    // A refusal of a command is about the room as it was: once the phase or the voting moves
    // on, it no longer holds, and it goes by itself (a lost connection's error stays).
    conn.addEventListener("event", (e) => {
      if (MOVES_ON.has(e.detail.name)) this.clearCommands();
    });
    return this;
  }

  /** Drop every error a command caused (those with an origin, or refusals without one). */
  clearCommands() {
    let changed = false;
    for (const [origin, error] of this.errors) {
      if (String(error.code).startsWith("close.")) continue;
      this.errors.delete(origin);
      changed = true;
    }
    if (changed) this.render();
  }
}

/** The phase, its step number, and what it lets participants do. */
export function phaseSummary(conn, { heading = "h2" } = {}) {
  const label = h("p", { class: "phase-label", "data-testid": "phase" });
  const allowed = h("p", { class: "phase-allows", "data-testid": "phase-allows" });
  const box = h("div", { class: "phase" }, heading ? h(heading, { class: "eyebrow" }, t("room.phase")) : null, label, allowed);
  let known = null;
  const draw = () => {
    const s = conn.state;
    if (!s) return;
    const phase = currentPhase(s);
    const n = s.phases.findIndex((p) => p.id === s.phase) + 1;
    setText(label, phase ? t("room.phaseOf", { label: phaseName(phase), n, total: s.phases.length }) : "");
    const can = phase ? phase.allows.map((c) => t(`room.cap.${c}`)) : [];
    setText(allowed, can.length ? t("room.youCan", { list: formatList(can) }) : t("room.nothingAllowed"));
    if (known !== null && known !== s.phase && phase && box.isConnected) announce(t("room.announce.phase", { label: phaseName(phase) }));
    known = s.phase;
  };
  conn.addEventListener("state", draw);
  draw();
  return box;
}

/** A person's display name as this viewer knows it. */
export function authorName(state, id, me) {
  if (id === me) return t("ideas.byYou");
  const member = state.members.get(id);
  if (member) return t("ideas.by", { name: member.name });
  return t("ideas.by", { name: id?.startsWith("p") ? t("ideas.unknownAuthor") : t("ideas.facilitator") });
}

/** The ranked results: idea totals and cluster totals, with bars that repeat the numbers. */
export function resultsList(container, state) {
  const r = results(state);
  const texts = new Map(orderedIdeas(state).map((i) => [i.id, i.text]));
  const max = Math.max(1, ...r.ideas.map((i) => i.votes));
  const ideas = h("ol", { class: "results", "data-testid": "results-list" });
  if (!r.total) {
    fill(container, h("p", { class: "muted" }, t("results.none")));
    return;
  }
  for (const item of r.ideas) {
    // value: tied ideas share their rank ("1, 1, 3"), in the list marker and for screen readers.
    const voters = voterNames(state, item.id);
    ideas.append(h("li", { class: "result", "data-idea": item.id, value: item.rank, "data-rank": item.rank },
      h("span", { class: "result-text" }, texts.get(item.id) || ""), " ",
      h("span", { class: "result-votes", "data-testid": "result-votes" }, t("vote.total", { count: item.votes })),
      h("span", { class: "bar", "aria-hidden": "true" },
        h("span", { class: "bar-fill", style: `width:${(100 * item.votes) / max}%` })),
      voters ? h("span", { class: "result-voters hint", "data-testid": "result-voters" }, t("vote.votersList", { names: voters })) : null));
  }
  const parts = [ideas];
  const clusters = r.clusters.filter((c) => state.clusters.has(c.id));
  if (clusters.length) {
    parts.push(h("h3", {}, t("results.clusters")),
      h("ol", { class: "results results-clusters" }, clusters.map((c) => h("li", { class: "result", value: c.rank, "data-rank": c.rank },
        h("span", { class: "result-text" }, state.clusters.get(c.id).title), " ",
        h("span", { class: "result-votes" }, t("vote.total", { count: c.votes })),
        h("span", { class: "bar", "aria-hidden": "true" },
          h("span", { class: "bar-fill", style: `width:${(100 * c.votes) / Math.max(1, clusters[0].votes)}%` }))))));
  }
  fill(container, ...parts);
}

/** Who put dots on an idea ("Anu ×2, Bo"), when this viewer may see ballots (a named vote). */
export function voterNames(state, ideaId) {
  const ballots = state.voting.ballots;
  if (!ballots || state.voting.anonymous) return "";
  const names = [];
  for (const [voter, ballot] of Object.entries(ballots)) {
    const n = ballot.filter((i) => i === ideaId).length;
    if (!n) continue;
    const name = state.members.get(voter)?.name || t("ideas.unknownAuthor");
    names.push(n > 1 ? t("vote.voterTimes", { name, count: n }) : name);
  }
  return names.join(", ");
}

export { allows };
