// The facilitator console (/facilitate#token=...): every room at a glance (GET /api/forums/{id},
// refreshed periodically and after events) and the control of each room over its websocket:
// phases, timer, voting, clusters and moderation.

import { rosterCard } from "./roster.js";
import { api } from "./api.js";
import { Board } from "./board.js";
import { RoomConnection } from "./connection.js";
import { errorBox, fill, formatClock, fragment, h, setText, syncList } from "./dom.js";
import { formatTime, setupI18n, t, translatePage } from "./i18n.js";
import { phaseName } from "./forum.js";
import { mountLanguagePicker } from "./language_picker.js";
import { localOnlyWarning } from "./join_warning.js";
import { allows, currentPhase, remainingMs } from "./state.js";
import { OutcomesPanel } from "./outcomes.js";
import { ErrorSlots, phaseSummary, resultsList, statusPill, timerWidget } from "./ui.js";

const main = document.getElementById("main");
const topbar = document.getElementById("topbar-slot");
const REFRESH_MS = 5000;
const TIMER_PRESETS = [30, 60, 180, 300, 600, 900];  // seconds: a pitch, then the usual rounds

/** "0:30", "1 min", "15 min". */
function presetLabel(seconds) {
  return seconds < 60 ? `0:${String(seconds).padStart(2, "0")}` : t("fac.presetMinutes", { count: seconds / 60 });
}

async function start() {
  await setupI18n();
  translatePage();
  mountLanguagePicker();
  const token = fragment().get("token");
  if (!token) return fill(main, h("h1", {}, t("fac.title")), h("p", {}, t("fac.noToken")));
  let me;
  try {
    me = await api.me(token);
    // The organizer may run a room from here too (the conductor links each room to this page).
    if (me.role !== "facilitator" && me.role !== "organizer") throw Object.assign(new Error(t("fac.noToken")), { code: "forbidden" });
  } catch (failure) {
    return fill(main, h("h1", {}, t("fac.title")), errorBox(failure));
  }
  return new Console(token, me).mount();
}

class Console {
  constructor(token, me) {
    this.token = token;
    this.forum = me.forum;
    this.rooms = me.rooms;
    this.overview = null;
    this.errors = new ErrorSlots(h("div", { class: "global-errors" }));
    this.conns = new Map(this.rooms.map((r) => [r.id, new RoomConnection({
      token, room: r.id, facilitator: true, outboxKey: `hackrooms.outbox.fac.${r.id}`,
    })]));
    this.panels = new Map();
    const wanted = fragment().get("room");
    this.selected = this.rooms.some((r) => r.id === wanted) ? wanted : this.rooms[0].id;
  }

  mount() {
    for (const conn of this.conns.values()) {
      this.errors.watch(conn);
      conn.addEventListener("event", () => this.refreshSoon());
      conn.addEventListener("presence", () => this.drawTable());
      conn.addEventListener("fatal", (e) => {
        // A room facilitator's link opens its own room only: the others refuse it (4403).
        if (e.detail.code === 4403 && this.rooms.length > 1) return this.forget(conn.room);
        return this.errors.set("", { code: `close.${e.detail.code}`, message: e.detail.reason });
      });
      conn.start();
    }
    this.table = h("tbody", {});
    this.refreshed = h("p", { class: "hint", "aria-live": "off" });
    this.links = h("dl", { class: "links" });
    this.panelSlot = h("div", {});
    this.statusSlot = h("div", {});
    fill(topbar, this.statusSlot);
    fill(main, this.errors.fallback,
      h("h1", {}, t("fac.title"), h("span", { class: "muted" }, ` · ${this.forum.title}`)),
      h("div", { class: "grid-2" },
        h("section", { class: "card", "aria-labelledby": "ov-title" },
          h("h2", { id: "ov-title" }, t("fac.overview")),
          h("div", { class: "table-wrap" }, h("table", { class: "overview", "data-testid": "overview" },
            h("thead", {}, h("tr", {}, ["room", "phase", "timer", "onsite", "remote", "ideas", "votes"]
              .map((c) => h("th", { scope: "col" }, t(`fac.col.${c}`))))), this.table)),
          this.refreshed),
        h("section", { class: "card", "aria-labelledby": "links-title" },
          h("h2", { id: "links-title" }, t("fac.links")), this.links)),
      this.panelSlot);
    this.select(this.selected);
    this.refresh();
    setInterval(() => this.refresh(), REFRESH_MS);
    setInterval(() => this.drawTable(), 1000);
  }

  forget(roomId) {
    this.rooms = this.rooms.filter((r) => r.id !== roomId);
    this.conns.delete(roomId);
    if (this.overview) this.overview.rooms = this.overview.rooms.filter((r) => r.id !== roomId);
    if (this.selected === roomId && this.rooms.length) this.select(this.rooms[0].id);
    this.drawTable();
  }

  select(roomId) {
    this.selected = roomId;
    const conn = this.conns.get(roomId);
    if (!this.panels.has(roomId)) this.panels.set(roomId, new RoomPanel(conn, this.errors, this.rooms.find((r) => r.id === roomId)));
    const panel = this.panels.get(roomId);
    fill(this.panelSlot, panel.el);
    fill(this.statusSlot, statusPill(conn));
    this.drawTable();
    this.errors.render();
    // Entering a room's controls: focus its name (not the page body, nor the overview's button
    // that drawTable just redrew), unless the person is typing somewhere.
    const at = document.activeElement;
    if (!at || !at.isConnected || at === document.body || !at.matches("input, textarea, select")) {
      panel.title.tabIndex = -1;
      panel.title.focus({ preventScroll: true });
    }
  }

  refreshSoon() {
    clearTimeout(this.soon);
    this.soon = setTimeout(() => this.refresh(), 600);
  }

  async refresh() {
    try {
      this.overview = await api.forum(this.forum.id, this.token);
      const mine = new Set(this.rooms.map((r) => r.id));
      this.overview.rooms = this.overview.rooms.filter((r) => mine.has(r.id));
      this.refreshedAt = new Date();
      this.errors.clear("overview");
    } catch (failure) {
      if (failure.code !== "network") this.errors.set("overview", failure);
    }
    this.drawTable();
    this.drawLinks();
  }

  drawTable() {
    const rows = this.overview ? this.overview.rooms : this.rooms;
    syncList(this.table, rows, (r) => r.id, (r) => {
      const cells = Object.fromEntries(["phase", "timer", "onsite", "remote", "ideas", "votes"].map((c) => [c, h("td", { class: "num" })]));
      const button = h("button", { type: "button", class: "btn btn-small", onclick: () => this.select(r.id) });
      const tr = h("tr", {}, h("th", { scope: "row" }, button), ...Object.values(cells));
      tr._cells = cells;
      tr._button = button;
      return tr;
    }, (tr, r) => {
      const c = tr._cells;
      const conn = this.conns.get(r.id);
      setText(tr._button, r.title);
      tr._button.setAttribute("aria-label", t("fac.open", { room: r.title }));
      tr.setAttribute("aria-current", String(r.id === this.selected));
      const phases = conn.state?.phases || [];
      setText(c.phase, phaseName(phases.find((p) => p.id === r.phase)) || r.phase || "");
      if (r.timer) {
        const left = remainingMs(r.timer, conn.now());
        setText(c.timer, r.timer.status === "idle" ? "–" : `${formatClock(left)} (${t(`timer.${r.timer.status}`)})`);
      }
      // The room's own socket has the newest counts; the overview's are as old as its refresh.
      const p = conn.presence || r.presence;
      setText(c.onsite, String(p?.onsite ?? ""));
      setText(c.remote, String(p?.remote ?? ""));
      setText(c.ideas, String(r.ideas ?? ""));
      setText(c.votes, String(r.votes ?? ""));
    });
    if (this.refreshedAt) setText(this.refreshed, t("fac.refreshed", { time: formatTime(this.refreshedAt) }));
  }

  drawLinks() {
    if (!this.overview || this.links.childElementCount) return;
    const o = this.overview;
    const items = [
      h("dt", {}, t("fac.joinCode")), h("dd", { class: "join-code", "data-testid": "join-code" }, o.join.code),
      h("dt", {}, t("fac.joinLink")), h("dd", {}, h("a", { href: o.join.url, "data-testid": "join-link" }, o.join.url),
        localOnlyWarning(o.join)),
    ];
    if (o.observer) {
      for (const r of this.rooms) {
        const url = `${o.observer.url}&room=${encodeURIComponent(r.id)}`;
        items.push(h("dt", {}, t("create.projectorLink", { room: r.title })),
          h("dd", {}, h("a", { href: url, target: "_blank", rel: "noopener", "data-testid": "projector-link" }, t("fac.projector"))));
      }
    }
    fill(this.links, ...items);
  }
}

class RoomPanel {
  constructor(conn, errors, room) {
    this.conn = conn;
    this.errors = errors;
    this.room = room;
    this.board = new Board(conn, errors, "facilitator");
    this.outcomes = new OutcomesPanel(conn, errors, "facilitator", "h3");
    this.title = h("h2", { class: "room-title", id: `panel-${room.id}` }, room.title);
    this.resultsBody = h("div", {});
    this.el = h("section", { class: "room-panel", "aria-labelledby": `panel-${room.id}`, "data-testid": "room-panel" },
      h("p", { class: "eyebrow" }, t("fac.controlling")), this.title,
      h("div", { class: "controls" },
        this.phaseCard(), this.timerCard(), this.votingCard(), this.clusterCard(), this.challengeCard(), rosterCard(conn, room.id),
        h("section", { class: "card", "aria-labelledby": `res-${room.id}`, "data-testid": "results" },
          h("h3", { id: `res-${room.id}` }, t("results.title")), this.resultsNote = h("p", { class: "hint" }), this.resultsBody)),
      this.outcomes.el,
      h("section", { class: "board-wrap", "aria-labelledby": `board-${room.id}` },
        h("h3", { id: `board-${room.id}` }, t("fac.board")), this.board.el));
    let queued = false;
    const schedule = () => {
      if (queued) return;
      queued = true;
      setTimeout(() => {
        queued = false;
        this.render();
      }, 0);
    };
    conn.addEventListener("state", schedule);
    schedule();  // the room may be in sync already when its panel is first opened
  }

  send(name, args, origin) {
    this.conn.send(name, args, origin);
  }

  button(label, onclick, attrs = {}) {
    return h("button", { type: "button", class: "btn btn-small", onclick, ...attrs }, label);
  }

  phaseCard() {
    this.phaseButtons = h("div", { class: "phase-buttons", role: "group", "aria-label": t("fac.phases") });
    return h("section", { class: "card", "aria-labelledby": `ph-${this.room.id}` },
      h("h3", { id: `ph-${this.room.id}` }, t("fac.phases")), phaseSummary(this.conn, { heading: null }), this.phaseButtons,
      h("div", { class: "row", style: "margin-top:0.5rem" },
        this.button(`← ${t("fac.back")}`, () => this.send("phase.back", {}, "phase")),
        this.button(`${t("fac.next")} →`, () => this.send("phase.next", {}, "phase"), { class: "btn btn-small btn-primary" })),
      this.errors.slot("phase"));
  }

  timerCard() {
    const id = this.room.id;
    // Minutes and seconds: a 30-second pitch is as common as a 10-minute round.
    const minutes = h("input", { type: "number", id: `min-${id}`, min: 0, max: 1440, value: 5, inputmode: "numeric" });
    const seconds = h("input", { type: "number", id: `sec-${id}`, min: 0, max: 59, value: 0, inputmode: "numeric" });
    this.pause = this.button(t("fac.pause"), () => this.send("timer.pause", {}, "timer"));
    this.resume = this.button(t("fac.resume"), () => this.send("timer.resume", {}, "timer"));
    const form = h("form", { class: "inline-fields" },
      h("div", { class: "field" }, h("label", { for: minutes.id }, t("fac.minutes")), minutes),
      h("div", { class: "field" }, h("label", { for: seconds.id }, t("fac.seconds")), seconds),
      h("button", { type: "submit", class: "btn btn-small btn-primary" }, t("fac.start")));
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const total = Math.round(Number(minutes.value || 0) * 60 + Number(seconds.value || 0));
      if (!(total >= 1)) {
        this.errors.set("timer", { code: "invalid_args", message: t("fac.timerEmpty") });
        return;
      }
      this.send("timer.start", { seconds: total }, "timer");
    });
    const presets = h("div", { class: "row timer-presets", role: "group", "aria-label": t("fac.presets") },
      TIMER_PRESETS.map((s) => this.button(presetLabel(s), () => this.send("timer.start", { seconds: s }, "timer"))));
    return h("section", { class: "card", "aria-labelledby": `tm-${id}` },
      h("h3", { id: `tm-${id}` }, t("fac.timer")), timerWidget(this.conn, { cue: { screen: "console", sound: true } }), presets, form,
      h("div", { class: "row", style: "margin-top:0.5rem" }, this.pause, this.resume,
        this.button(t("fac.minus"), () => this.send("timer.adjust", { seconds: -60 }, "timer"), { title: t("fac.minusLabel") }),
        this.button(t("fac.plus"), () => this.send("timer.adjust", { seconds: 60 }, "timer"), { title: t("fac.plusLabel") }),
        this.button(t("fac.stop"), () => this.send("timer.stop", {}, "timer"))),
      this.errors.slot("timer"));
  }

  votingCard() {
    const id = this.room.id;
    this.budget = h("input", { type: "number", id: `bud-${id}`, min: 1, max: 100, inputmode: "numeric" });
    this.cap = h("input", { type: "number", id: `cap-${id}`, min: 1, max: 100, inputmode: "numeric" });
    this.anonymous = h("input", { type: "checkbox", id: `anon-${id}` });
    this.votingState = h("p", { "data-testid": "voting-state" });
    this.openClose = this.button("", () => this.send(this.conn.state.voting.open ? "voting.close" : "voting.open", {}, "voting"));
    // One button that reveals the results, or hides them again (voting.hide).
    this.reveal = this.button(t("fac.reveal"), () => this.send(this.conn.state.voting.revealed ? "voting.hide" : "voting.reveal", {}, "voting"),
      { class: "btn btn-small btn-primary", "data-testid": "reveal" });
    const form = h("form", { class: "stack" },
      h("div", { class: "inline-fields" },
        h("div", { class: "field" }, h("label", { for: this.budget.id }, t("fac.budget")), this.budget),
        h("div", { class: "field" }, h("label", { for: this.cap.id }, t("fac.capLabel")), this.cap)),
      h("div", { class: "choice" }, this.anonymous, h("label", { for: this.anonymous.id }, t("fac.anonymous"))),
      h("button", { type: "submit", class: "btn btn-small" }, t("fac.apply")));
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      this.send("voting.configure", { budget: Number(this.budget.value), cap: Number(this.cap.value), anonymous: this.anonymous.checked }, "voting");
      form.dataset.dirty = "";
    });
    form.addEventListener("input", () => { form.dataset.dirty = "1"; });
    this.votingForm = form;
    return h("section", { class: "card", "aria-labelledby": `vt-${id}` },
      h("h3", { id: `vt-${id}` }, t("fac.voting")), this.votingState, form,
      h("div", { class: "row", style: "margin-top:0.5rem" }, this.openClose, this.reveal), this.errors.slot("voting"));
  }

  clusterCard() {
    const id = this.room.id;
    const input = h("input", { type: "text", id: `newcl-${id}`, maxlength: 120 });
    const form = h("form", { class: "inline-fields" },
      h("div", { class: "field", style: "flex:1;width:auto" }, h("label", { for: input.id }, t("clusters.new")), input),
      h("button", { type: "submit", class: "btn btn-small btn-primary" }, t("clusters.create")));
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const title = input.value.trim();
      if (!title) return input.focus();
      this.send("cluster.create", { title }, "clusters");
      input.value = "";
      return undefined;
    });
    this.clusterList = h("ul", { class: "cluster-admin" });
    this.noClusters = h("p", { class: "muted" }, t("clusters.none"));
    // Participants cluster too when the current phase allows it (phase.allow of "clusters").
    this.letCluster = h("input", { type: "checkbox", id: `letcl-${id}`, "data-testid": "let-cluster", onchange: () => {
      const phase = this.conn.state?.phase;
      if (phase) this.send("phase.allow", { phase, capability: "clusters", allowed: this.letCluster.checked }, "clusters");
    } });
    this.letClusterLabel = h("label", { for: this.letCluster.id });
    return h("section", { class: "card", "aria-labelledby": `cl-${id}` },
      h("h3", { id: `cl-${id}` }, t("clusters.title")), form,
      h("div", { class: "choice" }, this.letCluster, this.letClusterLabel),
      h("p", { class: "hint" }, t("clusters.dragHint")),
      this.noClusters, this.clusterList, this.errors.slot("clusters"));
  }

  challengeCard() {
    const id = this.room.id;
    this.challenge = h("textarea", { id: `ch-${id}`, rows: 3, maxlength: 4000 });
    const form = h("form", { class: "stack" },
      h("div", { class: "field" }, h("label", { for: this.challenge.id }, t("fac.challenge")), this.challenge),
      h("button", { type: "submit", class: "btn btn-small" }, t("fac.editChallenge")));
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      this.send("room.update", { challenge: this.challenge.value.trim() }, "challenge");
      this.challenge.dataset.dirty = "";
    });
    this.challenge.addEventListener("input", () => { this.challenge.dataset.dirty = "1"; });
    return h("section", { class: "card", "aria-labelledby": `chh-${id}` },
      h("h3", { id: `chh-${id}` }, t("room.challenge")), form, this.errors.slot("challenge"));
  }

  render() {
    const s = this.conn.state;
    if (!s) return;
    setText(this.title, s.room.title);
    const current = currentPhase(s);
    syncList(this.phaseButtons, s.phases, (p) => p.id,
      (p) => this.button(phaseName(p), () => this.send("phase.set", { phase: p.id }, "phase")),
      (el, p) => {
        setText(el, phaseName(p));
        el.setAttribute("aria-label", t("fac.setPhase", { label: phaseName(p) }));
        if (current && p.id === current.id) el.setAttribute("aria-current", "step");
        else el.removeAttribute("aria-current");
      });
    const status = s.timer.status;
    this.pause.hidden = status !== "running";
    this.resume.hidden = status !== "paused";

    const v = s.voting;
    setText(this.votingState, [votingNow(s), t(v.revealed ? "fac.resultsShown" : "fac.resultsHidden"),
      t("vote.castTotal", { count: v.cast })].join(" "));
    setText(this.openClose, t(v.open ? "fac.closeVoting" : "fac.openVoting"));
    setText(this.reveal, t(v.revealed ? "fac.hideResults" : "fac.reveal"));
    if (!this.votingForm.dataset.dirty) {
      this.budget.value = v.budget;
      this.cap.value = v.cap;
      this.anonymous.checked = v.anonymous;
    }
    if (!this.challenge.dataset.dirty) this.challenge.value = s.room.challenge;

    this.noClusters.hidden = s.clusters.size > 0;
    // While the switch's command is on its way, the box shows what was asked, not the old state.
    if (!this.conn.pending().some((p) => p.name === "phase.allow" && !p.answered)) this.letCluster.checked = allows(s, "clusters");
    setText(this.letClusterLabel, t("clusters.participants", { phase: phaseName(current) }));
    syncList(this.clusterList, [...s.clusters.values()], (c) => c.id, (c) => this.clusterRow(c), (li, c) => {
      li._label.textContent = t("clusters.renameLabel", { title: c.title });
      if (document.activeElement !== li._input && !li._input.dataset.dirty) li._input.value = c.title;
      li._delete.setAttribute("aria-label", `${t("clusters.delete")}: ${c.title}`);
    });

    setText(this.resultsNote, v.revealed ? "" : t("results.live"));
    resultsList(this.resultsBody, s);
    this.board.render();
    this.outcomes.render();
    this.errors.render();
  }

  clusterRow(c) {
    const inputId = `cl-${this.room.id}-${c.id}`;
    const input = h("input", { type: "text", id: inputId, maxlength: 120 });
    const label = h("label", { for: inputId });
    input.addEventListener("input", () => { input.dataset.dirty = "1"; });
    const rename = (e) => {
      e.preventDefault();
      const title = input.value.trim();
      input.dataset.dirty = "";
      if (title && title !== this.conn.state.clusters.get(c.id)?.title) this.send("cluster.rename", { id: c.id, title }, "clusters");
    };
    const del = this.button(t("clusters.delete"), () => {
      const title = this.conn.state.clusters.get(c.id)?.title ?? "";
      if (window.confirm(t("clusters.deleteConfirm", { title }))) this.send("cluster.delete", { id: c.id }, "clusters");
    }, { class: "btn btn-small btn-danger" });
    const form = h("form", { class: "row", style: "flex:1" },
      h("div", { class: "field" }, label, input), h("button", { type: "submit", class: "btn btn-small" }, t("clusters.rename")));
    form.addEventListener("submit", rename);
    const li = h("li", { "data-cluster": c.id }, form, del);
    li._input = input;
    li._label = label;
    li._delete = del;
    return li;
  }
}

/** What participants can do about voting now: the switch and the phase together. */
function votingNow(s) {
  if (!s.voting.open) return t("fac.voteNow.closed");
  if (allows(s, "votes")) return t("fac.voteNow.open");
  const at = s.phases.findIndex((p) => p.id === s.phase);
  const later = [...s.phases.slice(at + 1), ...s.phases.slice(0, at + 1)].find((p) => p.allows.includes("votes"));
  return later ? t("fac.voteNow.later", { phase: phaseName(later) }) : t("fac.voteNow.never");
}

start();
