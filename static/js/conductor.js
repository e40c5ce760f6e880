// The conductor (/conduct#token=<organizer token>): the organizer's console, built around the
// agenda. Now and next with one action to advance, a jump to any session, planned against
// actual times ("running N min late", from the hall's runs and the server clock), the agenda's
// editing, every room's phase, timer and headcount at a glance, the label and topic, and the
// facilitator links.
//
// The hall is followed over its websocket (everything the agenda and the label are). The
// rooms at a glance come from GET /api/forums/{id}, polled every few seconds and soon after each
// hall event, rather than from one socket per room: the conductor needs each room's counters,
// not its every idea and vote, and a forum of twelve rooms would otherwise push twelve boards'
// traffic to this laptop. The room facilitators' consoles hold the room sockets.

import { api, request } from "./api.js";
import { RoomConnection } from "./connection.js";
import { announce, errorBox, fill, formatClock, fragment, h, loadJSON, setText, syncList } from "./dom.js";
import { clockTime, hallIdOf, KINDS, kindText, LABELS, labelBadge, labelText, minutesOf } from "./forum.js";
import { currentSession, lateness, nextSession, plannedEnd } from "./hall.js";
import { formatList, has, setupI18n, t, translatePage } from "./i18n.js";
import { mountLanguagePicker } from "./language_picker.js";
import { remainingMs } from "./state.js";
import { ErrorSlots, statusPill } from "./ui.js";
import { RoomMix } from "./rooms_mix.js";
import { plenaryControl } from "./plenary_control.js";
import { networkingControl } from "./networking_control.js";
import { evaluationControl } from "./evaluation_control.js";
import { exportsCard } from "./exports.js";

const main = document.getElementById("main");
const topbar = document.getElementById("topbar-slot");
const REFRESH_MS = 3000;
const PROJECTORS = "hackrooms.projectors";

async function start() {
  await setupI18n();
  translatePage();
  mountLanguagePicker();
  const token = fragment().get("token");
  if (!token) return fill(main, h("h1", {}, t("cond.title")), h("p", {}, t("cond.noToken")));
  let me;
  try {
    me = await api.me(token);
    if (me.role !== "organizer") throw Object.assign(new Error(t("cond.noToken")), { code: "forbidden" });
  } catch (failure) {
    return fill(main, h("h1", {}, t("cond.title")), errorBox(failure));
  }
  const hallId = hallIdOf(me);
  if (!hallId) return fill(main, h("h1", {}, t("cond.title")), h("p", {}, t("cond.noHall")));
  return new Conductor(token, me, hallId).mount();
}

class Conductor {
  constructor(token, me, hallId) {
    this.token = token;
    this.forum = me.forum;
    this.hall = new RoomConnection({ token, room: hallId, facilitator: true, outboxKey: `hackrooms.outbox.conduct.${hallId}` });
    this.errors = new ErrorSlots(h("div", { class: "global-errors" }));
    this.errors.watch(this.hall);
    this.overview = null;
    this.links = [];
  }

  send(name, args, origin) {
    return this.hall.send(name, args, origin);
  }

  mount() {
    document.body.classList.add("conduct-body");
    fill(topbar, labelBadge(this.hall, { compact: true }), statusPill(this.hall));
    this.title = h("h1", { class: "conduct-title", id: "cond-title" });
    this.topicLine = h("p", { class: "forum-topic", "data-testid": "topic" });
    fill(main, this.errors.fallback,
      h("div", { class: "conduct" },
        h("div", { class: "conduct-col" },
          h("header", { class: "conduct-head" }, h("p", { class: "eyebrow" }, t("cond.title")), this.title, this.topicLine),
          this.nowCard(), this.plenaryCard()),
        h("div", { class: "conduct-col" }, this.networkingCard(), evaluationControl(this.hall, this.errors), this.agendaCard()),
        h("div", { class: "conduct-col" }, this.roomsCard(), this.forumCard(), this.linksCard(),
          h("p", {}, h("a", { class: "btn", "data-testid": "actions-board", target: "_blank", rel: "noopener",
            href: `/actions?forum=${encodeURIComponent(this.forum.id)}#token=${encodeURIComponent(this.token)}` }, t("act.heading"))),
          exportsCard(this.forum.id, this.token))));
    this.hall.addEventListener("state", () => this.schedule());
    this.hall.addEventListener("event", (e) => {
      if (e.detail.name === "agenda.moved") {
        const x = currentSession(this.hall.state);
        announce(x ? t("cond.announce.now", { title: x.title }) : t("cond.announce.ended"));
        this.refreshSoon();
      }
      if (e.detail.name === "session.room_added") this.refreshSoon();
    });
    this.hall.addEventListener("fatal", (e) => this.errors.set("", { code: `close.${e.detail.code}`, message: e.detail.reason }));
    this.hall.start();
    this.refresh();
    this.loadLinks();
    setInterval(() => this.refresh(), REFRESH_MS);
    setInterval(() => this.tick(), 1000);
  }

  schedule() {
    if (this.queued) return;
    this.queued = true;
    setTimeout(() => {
      this.queued = false;
      this.render();
    }, 0);
  }

  // Now and next ----------------------------------------------------------------------------

  nowCard() {
    this.nowTitle = h("p", { class: "now-title", "data-testid": "now-title" });
    this.nowKind = h("p", { class: "now-kind", "data-testid": "now-kind" });
    this.nowTimes = h("p", { class: "now-times", "data-testid": "now-times" });
    this.late = h("p", { class: "late", "data-testid": "late" });
    this.nextTitle = h("p", { class: "next-title", "data-testid": "next-title" });
    this.advance = h("button", { type: "button", class: "btn btn-primary btn-block btn-advance", "data-testid": "advance",
      onclick: () => this.advanceNow() });
    return h("section", { class: "card now-card", "aria-labelledby": "now-h" },
      h("h2", { id: "now-h" }, t("cond.now")), this.nowTitle, this.nowKind, this.nowTimes, this.late,
      h("h3", { class: "next-h" }, t("cond.next")), this.nextTitle, this.advance, this.errors.slot("agenda-now"));
  }

  advanceNow() {
    const s = this.hall.state;
    if (!s) return;
    const next = nextSession(s);
    if (next) this.send("agenda.now", { session: next.id }, "agenda-now");
    else if (s.agenda.now && window.confirm(t("cond.endConfirm"))) this.send("agenda.now", { session: null }, "agenda-now");
  }

  drawNow() {
    const s = this.hall.state;
    const x = currentSession(s);
    const next = nextSession(s);
    const now = this.hall.now();
    if (x) {
      setText(this.nowTitle, x.title);
      setText(this.nowKind, kindText(x.kind));
      const elapsed = now - s.agenda.since;
      const left = x.minutes * 60000 - elapsed;
      setText(this.nowTimes, [
        t("cond.startedAt", { time: clockTime(s.agenda.since) }),
        x.planned_start !== null ? t("cond.plannedAt", { time: clockTime(x.planned_start) }) : null,
        left >= 0 ? t("cond.left", { time: formatClock(left) }) : t("cond.over", { time: formatClock(-left) }),
      ].filter(Boolean).join(" · "));
    } else {
      setText(this.nowTitle, s.agenda.sessions.some((y) => y.runs.length) ? t("cond.ended") : t("cond.notStarted"));
      setText(this.nowKind, "");
      setText(this.nowTimes, "");
    }
    const late = lateness(s, now);
    const minutes = late === null ? null : minutesOf(late);
    this.late.dataset.late = minutes === null ? "unknown" : minutes > 0 ? "late" : minutes < 0 ? "ahead" : "on-time";
    setText(this.late, minutes === null ? (x ? t("cond.noPlan") : "")
      : minutes > 0 ? `⚠ ${t("cond.late", { count: minutes })}`
        : minutes < 0 ? `✓ ${t("cond.ahead", { count: -minutes })}` : `✓ ${t("cond.onTime")}`);
    setText(this.nextTitle, next ? `${next.title} (${kindText(next.kind)})` : t("cond.nextNone"));
    this.advance.disabled = !next && !x;
    setText(this.advance, next ? (x ? t("cond.advance", { title: next.title }) : t("cond.startForum", { title: next.title }))
      : t("cond.endForum"));
  }

  plenaryCard() {
    // The plenary's questions and polls: js/plenary_control.js, at data-slot="plenary-control".
    return plenaryControl(this.hall, this.errors);
  }

  networkingCard() {
    // Speed networking's rounds, figures and settings: js/networking_control.js, at data-slot="networking-control".
    return networkingControl(this.hall, this.errors, { forumId: this.forum.id, token: this.token });
  }

  // The agenda ------------------------------------------------------------------------------

  agendaCard() {
    this.agenda = h("ol", { class: "agenda", "data-testid": "agenda" });
    const kind = h("select", { id: "add-kind" }, KINDS.map((k) => h("option", { value: k }, kindText(k))));
    const title = h("input", { type: "text", id: "add-title", maxlength: 120, required: true });
    const minutes = h("input", { type: "number", id: "add-minutes", min: 1, max: 1440, value: 30, inputmode: "numeric" });
    const room = h("input", { type: "text", id: "add-room", maxlength: 120 });
    const roomField = h("div", { class: "field", hidden: true }, h("label", { for: "add-room" }, t("cond.firstRoom")), room);
    kind.addEventListener("change", () => { roomField.hidden = kind.value !== "hackathon"; });
    const form = h("form", { class: "stack add-session", "data-testid": "add-session" },
      h("div", { class: "inline-fields" },
        h("div", { class: "field" }, h("label", { for: "add-kind" }, t("cond.kind")), kind),
        h("div", { class: "field field-wide" }, h("label", { for: "add-title" }, t("cond.sessionTitle")), title),
        h("div", { class: "field" }, h("label", { for: "add-minutes" }, t("cond.minutes")), minutes)),
      roomField, h("button", { type: "submit", class: "btn btn-small btn-primary" }, t("cond.add")));
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      if (!title.value.trim()) return title.focus();
      const args = { kind: kind.value, title: title.value.trim(), minutes: Number(minutes.value) || 30 };
      if (kind.value === "hackathon") {
        if (!room.value.trim()) return room.focus();
        args.rooms = [{ title: room.value.trim() }];
      }
      this.send("session.add", args, "agenda-add");
      title.value = "";
      room.value = "";
      return undefined;
    });
    return h("section", { class: "card agenda-card", "aria-labelledby": "agenda-h" },
      h("h2", { id: "agenda-h" }, t("cond.agenda")), this.errors.slot("agenda"), this.agenda,
      h("details", { class: "add-details" }, h("summary", {}, t("cond.addSession")), form, this.errors.slot("agenda-add")));
  }

  drawAgenda() {
    const s = this.hall.state;
    const list = s.agenda.sessions;
    syncList(this.agenda, list, (x) => x.id, (x) => this.sessionRow(x), (li, x) => {
      const i = list.indexOf(x);
      const current = x.id === s.agenda.now;
      li.classList.toggle("agenda-now", current);
      if (current) li.setAttribute("aria-current", "step");
      else li.removeAttribute("aria-current");
      setText(li._title, x.title);
      setText(li._kind, kindText(x.kind));
      li._badge.hidden = !current;
      const planned = x.planned_start !== null ? `${clockTime(x.planned_start)}–${clockTime(plannedEnd(x))}` : t("cond.noTime");
      setText(li._planned, t("cond.planned", { times: planned, minutes: x.minutes }));
      setText(li._actual, x.runs.length ? t("cond.actual", { times: formatList(x.runs.map(([a, b]) => `${clockTime(a)}–${b ? clockTime(b) : "…"}`), "unit") }) : "");
      setText(li._rooms, x.rooms.length ? t("cond.rooms", { list: formatList(x.rooms.map((r) => r.title), "unit") }) : "");
      li._go.hidden = current;
      li._go.setAttribute("aria-label", t("cond.goLabel", { title: x.title }));
      li._up.disabled = i === 0;
      li._down.disabled = i === list.length - 1;
      li._up.setAttribute("aria-label", t("cond.upLabel", { title: x.title }));
      li._down.setAttribute("aria-label", t("cond.downLabel", { title: x.title }));
      li._edit.setAttribute("aria-label", t("cond.editLabel", { title: x.title }));
      li._remove.hidden = current;
      li._remove.setAttribute("aria-label", t("cond.removeLabel", { title: x.title }));
      li._roomForm.hidden = x.kind !== "hackathon";
      if (!li._form.dataset.dirty) {
        li._fTitle.value = x.title;
        li._fMinutes.value = x.minutes;
        li._fStart.value = x.planned_start !== null ? toTimeInput(x.planned_start) : "";
      }
    });
  }

  sessionRow(x) {
    const id = x.id;
    const button = (label, onclick, cls = "btn btn-small") => h("button", { type: "button", class: cls, onclick }, label);
    const position = () => this.hall.state.agenda.sessions.findIndex((y) => y.id === id);
    const title = h("span", { class: "agenda-title" });
    const kind = h("span", { class: "badge" });
    const badge = h("span", { class: "badge badge-now" }, `● ${t("cond.nowBadge")}`);
    const planned = h("p", { class: "hint agenda-planned" });
    const actual = h("p", { class: "hint agenda-actual" });
    const rooms = h("p", { class: "hint agenda-rooms" });
    const go = button(t("cond.go"), () => this.send("agenda.now", { session: id }, "agenda"), "btn btn-small btn-primary");
    const up = button("↑", () => this.send("session.move", { id, position: position() - 1 }, "agenda"));
    const down = button("↓", () => this.send("session.move", { id, position: position() + 1 }, "agenda"));
    const edit = h("details", { class: "agenda-edit" });
    const editSummary = h("summary", {}, t("cond.edit"));
    const remove = button(t("cond.remove"), () => {
      const now = this.hall.state.agenda.sessions.find((y) => y.id === id);
      if (window.confirm(t("cond.removeConfirm", { title: now?.title ?? "" }))) this.send("session.remove", { id }, "agenda");
    }, "btn btn-small btn-danger");

    const fTitle = h("input", { type: "text", id: `e-title-${id}`, maxlength: 120, required: true });
    const fStart = h("input", { type: "time", id: `e-start-${id}` });
    const fMinutes = h("input", { type: "number", id: `e-min-${id}`, min: 1, max: 1440, inputmode: "numeric" });
    const form = h("form", { class: "stack" },
      h("div", { class: "inline-fields" },
        h("div", { class: "field field-wide" }, h("label", { for: fTitle.id }, t("cond.sessionTitle")), fTitle),
        h("div", { class: "field" }, h("label", { for: fStart.id }, t("cond.start")), fStart),
        h("div", { class: "field" }, h("label", { for: fMinutes.id }, t("cond.minutes")), fMinutes)),
      h("button", { type: "submit", class: "btn btn-small" }, t("cond.save")));
    form.addEventListener("input", () => { form.dataset.dirty = "1"; });
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const was = this.hall.state.agenda.sessions.find((y) => y.id === id);
      if (!was) return;
      const changes = {};
      if (fTitle.value.trim() && fTitle.value.trim() !== was.title) changes.title = fTitle.value.trim();
      const minutes = Number(fMinutes.value);
      if (minutes && minutes !== was.minutes) changes.minutes = minutes;
      const start = fromTimeInput(fStart.value, was.planned_start ?? this.hall.state.agenda.since ?? this.hall.now());
      if (start !== null && start !== was.planned_start) changes.start = start;
      form.dataset.dirty = "";
      if (Object.keys(changes).length) this.send("session.update", { id, ...changes }, "agenda");
      edit.open = false;
    });

    const rTitle = h("input", { type: "text", id: `r-title-${id}`, maxlength: 120, required: true });
    const rChallenge = h("input", { type: "text", id: `r-ch-${id}`, maxlength: 4000 });
    const roomForm = h("form", { class: "stack" },
      h("div", { class: "inline-fields" },
        h("div", { class: "field field-wide" }, h("label", { for: rTitle.id }, t("cond.roomTitle")), rTitle),
        h("div", { class: "field field-wide" }, h("label", { for: rChallenge.id }, t("cond.challenge")), rChallenge)),
      h("button", { type: "submit", class: "btn btn-small" }, t("cond.addRoom")));
    roomForm.addEventListener("submit", (e) => {
      e.preventDefault();
      if (!rTitle.value.trim()) return rTitle.focus();
      this.send("session.room_add", { session: id, title: rTitle.value.trim(), challenge: rChallenge.value.trim() }, "agenda");
      rTitle.value = "";
      rChallenge.value = "";
      return undefined;
    });
    fill(edit, editSummary, form, roomForm);

    const li = h("li", { class: "agenda-item", "data-session": id },
      h("div", { class: "agenda-line" }, h("p", { class: "agenda-name" }, title, " ", kind, " ", badge),
        h("div", { class: "row agenda-tools" }, go, up, down)),
      planned, actual, rooms, h("div", { class: "row" }, edit, remove));
    Object.assign(li, { _title: title, _kind: kind, _badge: badge, _planned: planned, _actual: actual, _rooms: rooms,
      _go: go, _up: up, _down: down, _edit: editSummary, _remove: remove, _form: form, _roomForm: roomForm,
      _fTitle: fTitle, _fStart: fStart, _fMinutes: fMinutes });
    return li;
  }

  // Rooms at a glance -----------------------------------------------------------------------

  roomsCard() {
    this.roomsHeading = h("h2", { id: "rooms-h" }, t("cond.roomsTitle"));
    this.roomsNote = h("p", { class: "hint" });
    this.roomsBody = h("tbody", {});
    this.roomsTable = h("div", { class: "table-wrap" }, h("table", { class: "overview", "data-testid": "rooms-overview" },
      h("thead", {}, h("tr", {}, ["room", "phase", "timer", "onsite", "remote", "ideas", "votes"]
        .map((c) => h("th", { scope: "col" }, t(`fac.col.${c}`))))), this.roomsBody));
    // Who is in which room, and each room's mix (rooms_mix.js).
    this.mix = new RoomMix(this.hall, this.errors, () => this.roomsSession());
    return h("section", { class: "card", "aria-labelledby": "rooms-h" }, this.roomsHeading, this.roomsNote, this.roomsTable,
      this.errors.slot("overview"), this.mix.el);
  }

  /** The hackathon session to show rooms of: the current one, else the next in the agenda. */
  roomsSession() {
    const s = this.hall.state;
    const x = currentSession(s);
    if (x?.kind === "hackathon") return x;
    const list = s.agenda.sessions;
    const from = Math.max(0, list.indexOf(x) + 1);
    return list.slice(from).find((y) => y.kind === "hackathon") || list.find((y) => y.kind === "hackathon") || null;
  }

  drawRooms() {
    const s = this.hall.state;
    const x = this.roomsSession();
    setText(this.roomsHeading, x ? t("cond.roomsOf", { title: x.title }) : t("cond.roomsTitle"));
    setText(this.roomsNote, !x ? t("cond.noRooms") : x.id === s.agenda.now ? t("cond.roomsNow") : t("cond.roomsLater"));
    this.roomsTable.hidden = !x;
    const live = new Map((this.overview?.rooms || []).map((r) => [r.id, r]));
    const rows = x ? x.rooms.map((r) => ({ ...r, live: live.get(r.id) })) : [];
    syncList(this.roomsBody, rows, (r) => r.id, () => {
      const cells = Object.fromEntries(["phase", "timer", "onsite", "remote", "ideas", "votes"].map((c) => [c, h("td", { class: "num" })]));
      const link = h("a", { target: "_blank", rel: "noopener" });
      const tr = h("tr", {}, h("th", { scope: "row" }, link), ...Object.values(cells));
      tr._cells = cells;
      tr._link = link;
      return tr;
    }, (tr, r) => {
      const c = tr._cells;
      setText(tr._link, r.title);
      tr._link.href = `/facilitate#token=${encodeURIComponent(this.token)}&room=${encodeURIComponent(r.id)}`;
      tr._link.setAttribute("aria-label", t("cond.openRoom", { room: r.title }));
      const o = r.live;
      setText(c.phase, o ? phaseLabel(r, o.phase) : "");
      setText(c.timer, o?.timer && o.timer.status !== "idle"
        ? `${formatClock(remainingMs(o.timer, this.hall.now()))} (${t(`timer.${o.timer.status}`)})` : "–");
      setText(c.onsite, String(o?.presence?.onsite ?? ""));
      setText(c.remote, String(o?.presence?.remote ?? ""));
      setText(c.ideas, String(o?.ideas ?? ""));
      setText(c.votes, String(o?.votes ?? ""));
    });
  }

  refreshSoon() {
    clearTimeout(this.soon);
    this.soon = setTimeout(() => this.refresh(), 400);
  }

  async refresh() {
    try {
      this.overview = await api.forum(this.forum.id, this.token);
      this.errors.clear("overview");
    } catch (failure) {
      if (failure.code !== "network") this.errors.set("overview", failure);
    }
    if (this.hall.state) this.drawRooms();
    this.drawShare();
  }

  // Forum: title, topic, label --------------------------------------------------------------

  forumCard() {
    this.fTopic = h("textarea", { id: "forum-topic", rows: 2, maxlength: 2000 });
    this.fTitle = h("input", { type: "text", id: "forum-title", maxlength: 160, required: true });
    const form = h("form", { class: "stack" },
      h("div", { class: "field" }, h("label", { for: "forum-title" }, t("cond.forumTitle")), this.fTitle),
      h("div", { class: "field" }, h("label", { for: "forum-topic" }, t("cond.topic")), this.fTopic),
      h("button", { type: "submit", class: "btn btn-small" }, t("cond.save")));
    form.addEventListener("input", () => { form.dataset.dirty = "1"; });
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const hall = this.hall.state?.hall;
      if (!hall) return;
      const changes = {};
      if (this.fTitle.value.trim() && this.fTitle.value.trim() !== hall.title) changes.title = this.fTitle.value.trim();
      if (this.fTopic.value.trim() !== hall.topic) changes.topic = this.fTopic.value.trim();
      form.dataset.dirty = "";
      if (Object.keys(changes).length) this.send("forum.update", changes, "forum");
    });
    this.forumForm = form;
    this.labelSelect = h("select", { id: "forum-label", "data-testid": "label-select" },
      LABELS.map((l) => h("option", { value: l }, labelText({ id: l }).name)));
    this.labelMeaning = h("p", { class: "hint", id: "forum-label-hint" });
    this.labelSelect.setAttribute("aria-describedby", "forum-label-hint");
    this.labelSelect.addEventListener("change", () => setText(this.labelMeaning, labelText({ id: this.labelSelect.value }).meaning));
    const labelForm = h("form", { class: "stack" },
      h("div", { class: "field" }, h("label", { for: "forum-label" }, t("cond.label")), this.labelSelect), this.labelMeaning,
      h("button", { type: "submit", class: "btn btn-small" }, t("cond.setLabel")));
    labelForm.addEventListener("submit", (e) => {
      e.preventDefault();
      if (this.labelSelect.value !== this.hall.state?.hall.label.id) this.send("label.set", { label: this.labelSelect.value }, "label");
    });
    return h("details", { class: "card card-details" }, h("summary", {}, h("h2", { class: "summary-h" }, t("cond.forum"))),
      form, this.errors.slot("forum"), labelForm, this.errors.slot("label"));
  }

  drawForum() {
    const hall = this.hall.state.hall;
    setText(this.title, hall.title);
    document.title = `${hall.title} · ${t("cond.title")} · ${t("app.name")}`;
    setText(this.topicLine, hall.topic ? t("forum.topic", { topic: hall.topic }) : t("cond.noTopic"));
    if (!this.forumForm.dataset.dirty && document.activeElement?.form !== this.forumForm) {
      this.fTitle.value = hall.title;
      this.fTopic.value = hall.topic;
    }
    if (document.activeElement !== this.labelSelect && this.labelSelect.dataset.shown !== hall.label.id) {
      this.labelSelect.value = hall.label.id;
      this.labelSelect.dataset.shown = hall.label.id;
      setText(this.labelMeaning, labelText(hall.label).meaning);
    }
  }

  // Links -----------------------------------------------------------------------------------

  linksCard() {
    this.share = h("dl", { class: "links" });
    this.linkList = h("ul", { class: "link-list", "data-testid": "links" });
    const label = h("input", { type: "text", id: "link-label", maxlength: 80, required: true });
    this.linkRoom = h("select", { id: "link-room" });
    const form = h("form", { class: "stack", "data-testid": "issue-link" },
      h("div", { class: "inline-fields" },
        h("div", { class: "field field-wide" }, h("label", { for: "link-label" }, t("cond.linkLabel")), label),
        h("div", { class: "field field-wide" }, h("label", { for: "link-room" }, t("cond.linkRoom")), this.linkRoom)),
      h("button", { type: "submit", class: "btn btn-small btn-primary" }, t("cond.issue")));
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      if (!label.value.trim()) return label.focus();
      const body = { label: label.value.trim() };
      if (this.linkRoom.value) body.room = this.linkRoom.value;
      try {
        await request("POST", `/api/forums/${encodeURIComponent(this.forum.id)}/links`, { body, token: this.token });
        label.value = "";
        this.errors.clear("links");
      } catch (failure) {
        this.errors.set("links", failure);
      }
      return this.loadLinks();
    });
    return h("details", { class: "card card-details", open: true, "data-testid": "links-card" },
      h("summary", {}, h("h2", { class: "summary-h" }, t("cond.links"))), this.share, this.linkList, form, this.errors.slot("links"));
  }

  async loadLinks() {
    try {
      const answer = await request("GET", `/api/forums/${encodeURIComponent(this.forum.id)}/links`, { token: this.token });
      this.links = answer.links;
      this.errors.clear("links");
    } catch (failure) {
      this.errors.set("links", failure);
    }
    this.drawLinks();
  }

  async revoke(link) {
    if (!window.confirm(t("cond.revokeConfirm", { label: link.label }))) return;
    try {
      await request("DELETE", `/api/forums/${encodeURIComponent(this.forum.id)}/links/${encodeURIComponent(link.id)}`, { token: this.token });
      this.errors.clear("links");
    } catch (failure) {
      this.errors.set("links", failure);
    }
    await this.loadLinks();
  }

  roomTitle(id) {
    for (const x of this.hall.state?.agenda.sessions || []) {
      const r = x.rooms.find((y) => y.id === id);
      if (r) return r.title;
    }
    return id;
  }

  drawLinks() {
    syncList(this.linkList, this.links, (l) => `${l.id}:${l.revoked_at ? "r" : "a"}`, (l) => {
      const scope = l.room ? t("cond.linkForRoom", { room: this.roomTitle(l.room) }) : t("cond.linkForAll");
      const state = l.revoked_at ? `■ ${t("cond.revokedAt", { time: clockTime(l.revoked_at) })}` : `● ${t("cond.active")}`;
      return h("li", { class: l.revoked_at ? "link link-revoked" : "link", "data-link": l.id },
        h("p", { class: "link-name" }, h("strong", {}, l.label), " · ", scope, " · ", h("span", { "data-testid": "link-state" }, state)),
        l.revoked_at ? null : h("div", { class: "row" },
          copyButton(l.url, t("cond.copyLabel", { label: l.label })),
          h("button", { type: "button", class: "btn btn-small btn-danger", "aria-label": t("cond.revokeLabel", { label: l.label }),
            onclick: () => this.revoke(l) }, t("cond.revoke"))));
    }, () => {});
    const options = [["", t("cond.linkForAll")], ...(this.hall.state ? this.hall.state.agenda.sessions.flatMap((x) => x.rooms.map((r) => [r.id, r.title])) : [])];
    const key = options.map((o) => o.join("=")).join("|");
    if (this.linkRoom.dataset.key !== key) {
      const keep = this.linkRoom.value;
      fill(this.linkRoom, options.map(([value, text]) => h("option", { value }, text)));
      this.linkRoom.value = options.some(([v]) => v === keep) ? keep : "";
      this.linkRoom.dataset.key = key;
    }
  }

  drawShare() {
    const o = this.overview;
    if (!o || this.share.childElementCount) return;
    const projector = o.observer?.url || loadJSON(PROJECTORS, {})[this.forum.id];
    fill(this.share,
      h("dt", {}, t("fac.joinCode")), h("dd", { class: "join-code join-code-small", "data-testid": "join-code" }, o.join.code),
      h("dt", {}, t("fac.joinLink")), h("dd", {}, h("a", { href: o.join.url, "data-testid": "join-link" }, o.join.url)),
      projector ? [h("dt", {}, t("fac.projector")), h("dd", {}, h("a", { href: projector, target: "_blank", rel: "noopener",
        "data-testid": "projector-link" }, t("cond.openProjector")), " ", copyButton(projector, t("cond.copyProjector")))] : null);
  }

  // Drawing ---------------------------------------------------------------------------------

  render() {
    if (!this.hall.state) return;
    this.drawForum();
    this.drawNow();
    this.drawAgenda();
    this.drawRooms();
    this.mix.render();
    this.drawLinks();
    this.errors.render();
  }

  tick() {
    if (!this.hall.state) return;
    this.drawNow();
    this.drawRooms();
  }
}

function phaseLabel(room, id) {
  const declared = room.settings?.phases?.find((p) => p.id === id);
  if (declared) return declared.label;
  return id && has(`phase.${id}`) ? t(`phase.${id}`) : id || "";
}

function copyButton(value, label) {
  const button = h("button", { type: "button", class: "btn btn-small", "aria-label": label, onclick: async () => {
    try {
      await navigator.clipboard.writeText(value);
      setText(button, t("create.copied"));
    } catch {
      window.prompt(label, value);  // no clipboard (plain http): the link to copy by hand
    }
  } }, t("create.copy"));
  return button;
}

function toTimeInput(ms) {
  const d = new Date(ms);
  return `${String(d.getHours()).padStart(2, "0")}:${String(d.getMinutes()).padStart(2, "0")}`;
}

/** A HH:MM of the input on the day of `day` (ms), as server ms; null when empty. */
function fromTimeInput(value, day) {
  const m = /^(\d{1,2}):(\d{2})$/.exec(value || "");
  if (!m) return null;
  const d = new Date(day);
  d.setHours(Number(m[1]), Number(m[2]), 0, 0);
  return d.getTime();
}

start();
