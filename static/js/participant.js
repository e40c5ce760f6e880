// The participant app (/ and /join/{code}): join by code, link or QR; a profile; then the forum
// as it goes: the hall followed for as long as the page is open, and the screen of the session
// the forum is in now (plenary, a hackathon room, a break, what comes next). Also the "create a forum" form for facilitators on the start page.

import { api } from "./api.js";
import { Board, myVotes } from "./board.js";
import { RoomConnection } from "./connection.js";
import { announce, errorBox, fill, h, loadJSON, saveJSON, setText } from "./dom.js";
import { clockTime, forumBanner, hallIdOf, kindText, nextLine } from "./forum.js";
import { currentSession, nextSession } from "./hall.js";
import { myRoom } from "./hall_assignment.js";
import { setupI18n, t, translatePage } from "./i18n.js";
import { mountLanguagePicker } from "./language_picker.js";
import { allows } from "./state.js";
import { ConnectionGroup, ErrorSlots, phaseSummary, resultsList, statusPill, timerWidget } from "./ui.js";
import { createForumCard } from "./create.js";
import { PICK_ORIGIN, pendingPick, roomNotice, roomPicker } from "./rooms_picker.js";
import { plenaryPanel } from "./plenary.js";
import { contactFields } from "./join_contact.js";
import { clearFieldError, showFieldError } from "./field_errors.js";
import { networkingPanel } from "./networking.js";
import { myDataPanel } from "./mydata.js";
import { OutcomesPanel } from "./outcomes.js";
import { evaluationScreen, watchEvaluationSends } from "./evaluation_screen.js";
import { registerShell } from "./offline_shell.js";
import { meMenu } from "./me_menu.js";

const SESSIONS = "hackrooms.sessions";
const LAST = "hackrooms.last";
const main = document.getElementById("main");
const topbar = document.getElementById("topbar-slot");

function sessions() {
  return loadJSON(SESSIONS, {});
}

function saveSession(forumId, session) {
  saveJSON(SESSIONS, { ...sessions(), [forumId]: session });
  saveJSON(LAST, forumId);
}

function forgetSession(forumId) {
  const all = sessions();
  delete all[forumId];
  saveJSON(SESSIONS, all);
  if (loadJSON(LAST, null) === forumId) saveJSON(LAST, null);
  forgetKept(forumId);
}

// What the device kept of a forum it leaves (its rooms' replicas and outboxes) goes too.
function forgetKept(forumId) {
  try {
    const kept = Object.keys(localStorage)
      .filter((k) => /^hackrooms\.(replica|outbox)\./.test(k) && k.endsWith(`.${forumId}`));
    for (const key of kept) localStorage.removeItem(key);
  } catch {
    // no storage: nothing was kept
  }
}

function screen(...children) {
  stopAll();
  fill(topbar);
  fill(main, ...children);
  const heading = main.querySelector("h1");
  if (heading) {
    heading.tabIndex = -1;
    heading.focus({ preventScroll: true });
  }
}

function field(id, label, input, hint) {
  input.id = id;
  const parts = [h("label", { for: id }, label)];
  if (hint) {
    const hintId = `${id}-hint`;
    input.setAttribute("aria-describedby", hintId);
    parts.push(h("p", { class: "hint", id: hintId }, hint));
  }
  return h("div", { class: "field" }, ...parts, input);
}

// Start -----------------------------------------------------------------------------------

// The room's sticky bar sits right under the sticky header, whatever the header's height.
function trackTopbar() {
  const bar = document.querySelector(".topbar");
  if (!bar || !globalThis.ResizeObserver) return;
  new ResizeObserver(() => document.documentElement.style.setProperty("--topbar-height", `${bar.offsetHeight}px`))
    .observe(bar);
}

async function start() {
  registerShell();
  trackTopbar();
  await setupI18n();
  translatePage();
  mountLanguagePicker();
  const match = location.pathname.match(/^\/join\/([^/]+)/);
  if (match) return openCode(decodeURIComponent(match[1]));
  const last = loadJSON(LAST, null);
  if (last && sessions()[last]) return resume(last);
  return home();
}

async function resume(forumId) {
  const session = sessions()[forumId];
  try {
    const me = await api.me(session.token);
    if (me.role !== "participant") throw Object.assign(new Error("role"), { status: 401 });
    // A forum whose agenda has no hackathon room yet names its hall only in `hall`.
    return chooseRoom(forumId, { ...session, hall: me.hall?.id ?? session.hall }, me.forum, me.rooms, me.participant);
  } catch (failure) {
    if (failure.status === 401 || failure.status === 404) {
      forgetSession(forumId);
      return session.code ? openCode(session.code) : home();
    }
    // The server cannot be reached: still open the room; the connection retries on its own.
    return chooseRoom(forumId, session, session.forum || { id: forumId, title: "" }, session.rooms || [], null);
  }
}

function home() {
  history.replaceState(null, "", "/");
  screen(h("div", { class: "home" },
    h("h1", { class: "page-title" }, t("app.tagline")),
    h("div", { class: "grid-2" }, codeCard(), createForumCard())));
}

function codeCard(code = "", error = null) {
  const input = h("input", { type: "text", name: "code", autocomplete: "off", autocapitalize: "characters",
    spellcheck: false, maxlength: 32, required: true, value: code, class: "input-code" });
  const slot = h("div", { class: "error-slot" }, error ? errorBox(error) : null);
  const button = h("button", { type: "submit", class: "btn btn-primary" }, t("join.continue"));
  const form = h("form", { class: "stack", "data-testid": "join-code-form" },
    field("join-code", t("join.code"), input, t("join.codeHint")), slot, button);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const value = input.value.trim();
    if (!value) return input.focus();
    button.disabled = true;
    setText(button, t("join.checking"));
    try {
      const info = await api.joinInfo(value);
      history.pushState(null, "", `/join/${info.forum.join_code}`);
      profile(info);
    } catch (failure) {
      fill(slot, errorBox(failure));
      input.setAttribute("aria-invalid", "true");
      input.focus();
    } finally {
      button.disabled = false;
      setText(button, t("join.continue"));
    }
  });
  return h("section", { class: "card", "aria-labelledby": "join-title" },
    h("h2", { id: "join-title" }, t("join.title")), h("p", {}, t("join.intro")), form);
}

async function openCode(code) {
  let info;
  try {
    info = await api.joinInfo(code);
  } catch (failure) {
    // Offline, a code this device has joined with opens what the device knows of its forum.
    const known = Object.entries(sessions()).find(([, x]) => x.code?.toUpperCase() === code.toUpperCase());
    if (failure.status === 0 && known) return resume(known[0]);
    screen(h("div", { class: "home" }, h("h1", { class: "page-title" }, t("join.title")),
      h("div", { class: "grid-2" }, codeCard(code, failure))));
    return;
  }
  const known = sessions()[info.forum.id];
  if (known) return resume(info.forum.id);
  return profile(info);
}

// Profile -----------------------------------------------------------------------------------

function select(options, placeholder) {
  return h("select", { required: true },
    h("option", { value: "" }, placeholder), options.map((o) => h("option", { value: o.id }, o.label)));
}

function profile(info) {
  const v = info.vocabulary;
  const name = h("input", { type: "text", maxlength: 80, required: true, autocomplete: "name" });
  const organization = h("input", { type: "text", maxlength: 120, autocomplete: "organization" });
  const sector = select(v.sectors, t("join.choose"));
  const country = select(v.countries, t("join.choose"));
  const attendance = h("fieldset", { class: "field choices", id: "p-attendance" },
    h("legend", {}, t("join.attendance")),
    v.attendance.map((a) => h("div", { class: "choice" },
      h("input", { type: "radio", name: "attendance", id: `att-${a.id}`, value: a.id, required: true }),
      h("label", { for: `att-${a.id}` }, t(`join.attendance.${a.id}`)))));
  const networking = contactFields();
  const slot = h("div", { class: "error-slot" });
  const button = h("button", { type: "submit", class: "btn btn-primary" }, t("join.submit"));
  const form = h("form", { class: "stack", novalidate: true, "data-testid": "profile-form" },
    field("p-name", t("join.name"), name),
    field("p-org", t("join.organization"), organization),
    field("p-sector", t("join.sector"), sector),
    field("p-country", t("join.country"), country),
    attendance, networking.about, networking.contact,
    slot, h("div", { class: "row" }, button,
      h("a", { href: "/", class: "btn btn-quiet", onclick: (e) => { e.preventDefault(); home(); } }, t("join.otherCode"))));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const chosen = form.querySelector("input[name=attendance]:checked");
    // Each problem once, under its own field; the first one gets the focus.
    const missing = [[name.value.trim(), name, t("join.needName")], [sector.value, sector, t("join.needChoice")],
      [country.value, country, t("join.needChoice")], [chosen, attendance, t("join.needAttendance")]]
      .filter(([value]) => !value);
    for (const el of [name, sector, country, attendance]) clearFieldError(el);
    for (const [, el, message] of missing) showFieldError(el, message, el === attendance ? attendance.querySelector("legend") : el);
    if (missing.length) {
      const first = missing[0][1];
      (first === attendance ? attendance.querySelector("input") : first).focus();
      return;
    }
    const unconsented = networking.unconsented();
    if (unconsented) {
      showFieldError(unconsented.el, t("net.join.unconsented", { field: unconsented.label }), unconsented.el.nextElementSibling);
      unconsented.el.focus();
      return;
    }
    button.disabled = true;
    setText(button, t("join.joining"));
    try {
      const joined = await api.join({
        code: info.forum.join_code, name: name.value.trim(), organization: organization.value.trim(),
        sector: sector.value, country: country.value, attendance: chosen.value,
        ...networking.values(),
      });
      const session = { token: joined.token, code: joined.forum.join_code, forum: joined.forum, rooms: joined.rooms,
        hall: joined.hall?.id };
      saveSession(joined.forum.id, session);
      chooseRoom(joined.forum.id, session, joined.forum, joined.rooms, joined.participant);
    } catch (failure) {
      fill(slot, errorBox(failure));
      button.disabled = false;
      setText(button, t("join.submit"));
    }
  });
  screen(h("section", { class: "card narrow", "aria-labelledby": "profile-title" },
    h("h1", { id: "profile-title" }, t("join.profileTitle")),
    h("p", { class: "lead" }, t("join.forum", { title: info.forum.title })),
    h("p", {}, t("join.profileIntro")), form));
}

// The forum: the hall followed for as long as the page is open -----------------------------

// What the device follows now: the hall (always, once joined) and the room its person is in.
const live = { hall: null, room: null, roomId: null };

function stopAll() {
  live.room?.stop();
  live.hall?.stop();
  Object.assign(live, { hall: null, room: null, roomId: null });
}

function chooseRoom(forumId, session, forum, rooms, participant) {
  const hall = session.hall || hallIdOf({ rooms }) || null;
  saveSession(forumId, { ...session, forum, rooms, hall, name: participant?.name ?? session.name,
    attendance: participant?.attendance ?? session.attendance });
  if (location.pathname !== `/join/${forum.join_code}` && forum.join_code) {
    history.replaceState(null, "", `/join/${forum.join_code}`);
  }
  if (hall) return followForum(forumId, hall);
  return legacyRooms(forumId, sessions()[forumId], forum, rooms);
}

/**
 * The participant's forum: its title, topic and label on top of every screen, and below the
 * screen of the session the forum is in now, redrawn whenever `agenda.moved` arrives. A reload
 * or a reconnect lands where the forum is now: the hall's snapshot (or the events it missed)
 * says so.
 */
function followForum(forumId, hallId) {
  const session = sessions()[forumId];
  screen();
  const hall = new RoomConnection({ token: session.token, room: hallId, outboxKey: `hackrooms.outbox.hall.${forumId}` });
  live.hall = hall;
  const status = new ConnectionGroup([hall]);
  const errors = new ErrorSlots(h("div", { class: "global-errors" }));
  errors.watch(hall);
  const stage = h("div", { class: "stage", "data-testid": "stage", "data-kind": "loading" },
    h("p", { class: "muted" }, t("app.loading")));
  fill(topbar, youMenu(forumId), statusPill(status));
  const erased = () => {
    forgetSession(forumId);
    screen(h("section", { class: "card narrow", "data-testid": "erased" },
      h("h1", {}, t("privacy.title")), h("p", {}, t("privacy.erased"))));
  };
  fill(main, errors.fallback, h("header", { class: "card forum-head" }, forumBanner(hall)), stage,
    myDataPanel(session.token, erased));
  hall.addEventListener("fatal", (e) => {
    errors.set("", { code: `close.${e.detail.code}`, message: e.detail.reason });
    if (e.detail.code === 4401) forgetSession(forumId);
  });
  const ctx = { forumId, session, hall, stage, status, errors, shown: null };
  hall.addEventListener("state", () => drawStage(ctx));
  // The questionnaire sent to this screen (remote people, or everyone): on top of any session.
  watchEvaluationSends(hall, errors, () => sessions()[forumId]?.attendance);
  hall.addEventListener("event", (e) => {
    if (e.detail.name.startsWith("assignment.")) ctx.assignActor = e.detail.actor;  // whose change it is
    if (e.detail.name !== "agenda.moved") return;
    const x = currentSession(hall.state);
    announce(x ? t("part.announce.now", { title: x.title, kind: kindText(x.kind) }) : t("part.announce.ended"));
  });
  hall.start();
}

/** "You: name" in the header, opening the person's profile; a change is remembered here too. */
function youMenu(forumId) {
  const session = sessions()[forumId];
  return meMenu(session.token, session.name, (p) => saveSession(forumId, { ...sessions()[forumId], name: p.name }));
}

/** Redraw the stage when the forum moved to another session (or its rooms changed). */
function drawStage(ctx) {
  const s = ctx.hall.state;
  if (!s) return;
  const x = currentSession(s);
  const rooms = x?.kind === "hackathon" ? x.rooms.map((r) => `${r.id}=${r.title}`).join("|") : "";
  const key = x ? `${x.id}:${x.kind}:${rooms}` : `none:${s.agenda.sessions.some((y) => y.runs.length)}`;
  if (x?.kind !== "hackathon" && live.room) closeRoom(ctx);
  if (key === ctx.shown) return x?.kind === "hackathon" ? hackathonStage(ctx, x) : refreshStage(ctx);
  ctx.shown = key;
  ctx.stage.dataset.kind = x ? x.kind : "waiting";
  ctx.stage.dataset.session = x ? x.id : "";
  if (!x) return fill(ctx.stage, waitingScreen(s));
  if (x.kind === "hackathon") return hackathonStage(ctx, x);
  if (x.kind === "plenary") return fill(ctx.stage, plenaryScreen(ctx, x));
  if (x.kind === "networking") return fill(ctx.stage, networkingScreen(ctx, x));
  if (x.kind === "evaluation") return fill(ctx.stage, evaluationStage(ctx, x));
  return fill(ctx.stage, pauseScreen(s, x));
}

/** What changes within a screen without redrawing it: the "next" line and the times. */
function refreshStage(ctx) {
  const next = ctx.stage.querySelector("[data-testid=next]");
  if (next) nextLine(next, nextSession(ctx.hall.state));
}

function stageHeading(eyebrow, title) {
  return [h("p", { class: "eyebrow", "data-testid": "session-kind" }, eyebrow),
    h("h1", { class: "stage-title", "data-testid": "session-title" }, title)];
}

function waitingScreen(s) {
  const started = s.agenda.sessions.some((y) => y.runs.length);
  return h("section", { class: "card narrow stage-card", "aria-labelledby": "stage-h" },
    ...withId(stageHeading(t("part.welcome"), started ? t("part.ended") : t("part.notStarted"))),
    h("p", {}, started ? t("part.endedHint") : t("part.notStartedHint")),
    h("p", { class: "next", "data-testid": "next" }, nextLine(h("span"), started ? null : s.agenda.sessions[0] || null)));
}

function withId(parts) {
  parts[1].id = "stage-h";
  return parts;
}

function plenaryScreen(ctx, x) {
  // The plenary's questions (ask, upvote) and polls (answer): js/plenary.js, at data-slot="plenary".
  return h("section", { class: "stage-card", "aria-labelledby": "stage-h" },
    h("div", { class: "card" }, ...withId(stageHeading(kindText("plenary"), x.title)),
      h("p", {}, t("part.plenaryIntro")),
      h("p", { class: "next", "data-testid": "next" }, nextLine(h("span"), nextSession(ctx.hall.state)))),
    plenaryPanel(ctx.hall, ctx.errors));
}

function networkingScreen(ctx, x) {
  // Whom one meets, where, staying in touch: js/networking.js, at data-slot="networking".
  return h("section", { class: "stage-card", "aria-labelledby": "stage-h" },
    h("div", { class: "card" }, ...withId(stageHeading(kindText("networking"), x.title)),
      h("p", {}, t("net.intro")),
      h("p", { class: "next", "data-testid": "next" }, nextLine(h("span"), nextSession(ctx.hall.state)))),
    networkingPanel(ctx.hall, ctx.errors, ctx.session.token));
}

function evaluationStage(ctx, x) {
  // The questionnaire (answered as one goes): js/evaluation_screen.js, at data-slot="evaluation".
  return h("section", { class: "stage-card", "aria-labelledby": "stage-h" },
    h("div", { class: "card" }, ...withId(stageHeading(kindText("evaluation"), x.title)),
      h("p", { class: "next", "data-testid": "next" }, nextLine(h("span"), nextSession(ctx.hall.state)))),
    evaluationScreen(ctx.hall, ctx.errors));
}

function pauseScreen(s, x) {
  const back = s.agenda.since !== null ? s.agenda.since + x.minutes * 60000 : null;
  const what = x.kind === "break" ? (back ? t("part.breakUntil", { time: clockTime(back) }) : t("part.break"))
    : t(`part.coming.${x.kind}`);
  return h("section", { class: "card narrow stage-card", "aria-labelledby": "stage-h" },
    ...withId(stageHeading(kindText(x.kind), x.title)),
    h("p", { class: "lead", "data-testid": "stage-what" }, what),
    h("p", { class: "next", "data-testid": "next" }, nextLine(h("span"), nextSession(s))));
}

// A hackathon: the room the hall says the person is in (picked, moved or balanced) ---------

/**
 * The person's room in session `x` comes from the hall (`mine`, or their own frame of an
 * assignment event): open its socket at once, and follow it when the organizer moves them.
 * Without one, the picker (rooms_picker.js).
 */
function hackathonStage(ctx, x) {
  const mine = myRoom(ctx.hall.state, x.id);
  if (ctx.rooms?.session !== x.id) ctx.rooms = { session: x.id, mine: undefined, picking: false, tried: false, notice: "" };
  const known = ctx.rooms;
  if (mine !== known.mine) {
    if (known.mine !== undefined) {
      known.notice = roomNotice(x, known.mine, mine, ctx.assignActor === ctx.hall.me?.id) || "";
      if (known.notice) announce(known.notice);
    }
    if (mine || known.mine) saveSession(ctx.forumId, { ...sessions()[ctx.forumId], room: mine });
    Object.assign(known, { mine, picking: false });
  }
  ctx.assignActor = null;
  const room = x.rooms.find((r) => r.id === mine);
  if (room && !known.picking) return enterRoom(ctx, x, room, known.notice);
  if (!room && !known.tried) autoPick(ctx, x, known);
  closeRoom(ctx);
  return showPicker(ctx, x, mine);
}

/**
 * Nothing to choose with one room; and a device that remembers a room of this session (the
 * choice was the device's own before the hall kept it) asks for it once. The hall may refuse.
 */
function autoPick(ctx, x, known) {
  known.tried = true;
  const saved = sessions()[ctx.forumId]?.room;
  const room = x.rooms.length === 1 ? x.rooms[0] : x.rooms.find((r) => r.id === saved);
  if (room && !pendingPick(ctx.hall)) ctx.hall.send("assignment.pick", { room: room.id }, PICK_ORIGIN);
}

function showPicker(ctx, x, mine) {
  if (ctx.picker?.session !== x.id || !ctx.picker.el.isConnected) {
    const back = () => {
      ctx.rooms.picking = false;
      hackathonStage(ctx, currentSession(ctx.hall.state) || x);
    };
    ctx.picker = { session: x.id, ...roomPicker(ctx.hall, ctx.errors, x, { onBack: back }) };
    delete ctx.stage.dataset.room;
    fill(ctx.stage, ctx.picker.el);
  }
  ctx.picker.update(x, mine);
}

function closeRoom(ctx) {
  live.room?.stop();
  live.room = null;
  live.roomId = null;
  ctx.status.set([ctx.hall]);
}

function enterRoom(ctx, x, room, notice = "") {
  if (live.roomId === room.id && live.room) return;
  closeRoom(ctx);
  const { forumId, session } = ctx;
  const conn = new RoomConnection({ token: session.token, room: room.id, outboxKey: `hackrooms.outbox.${room.id}.${forumId}` });
  live.room = conn;
  live.roomId = room.id;
  ctx.status.set([ctx.hall, conn]);
  const errors = new ErrorSlots(h("div", { class: "global-errors" }));
  errors.watch(conn);
  const leave = leaveButton(forumId);
  const change = x.rooms.length > 1
    ? h("button", { type: "button", class: "btn btn-small", onclick: () => {
      Object.assign(ctx.rooms, { picking: true, notice: "" });
      hackathonStage(ctx, currentSession(ctx.hall.state) || x);
    } }, t("rooms.switch"))
    : null;
  const told = notice ? h("p", { class: "room-notice", "data-testid": "room-notice" }, notice) : null;
  ctx.stage.dataset.room = room.id;
  fill(ctx.stage, errors.fallback, roomView(conn, errors, x.title, [told, h("div", { class: "row room-actions" }, change, leave)]));
  conn.addEventListener("fatal", (e) => errors.set("", { code: `close.${e.detail.code}`, message: e.detail.reason }));
  conn.start();
}

// Leaving the forum on this device: its token is forgotten, after a confirmation.
function leaveButton(forumId) {
  return h("button", { type: "button", class: "btn btn-small btn-quiet", onclick: () => {
    if (!window.confirm(t("rooms.leaveConfirm"))) return;
    forgetSession(forumId);
    home();
  } }, t("rooms.leave"));
}

// A forum without a hall (made before halls): its rooms, as before --------------------------

function legacyRooms(forumId, session, forum, rooms) {
  const picked = rooms.find((r) => r.id === session.room) || (rooms.length === 1 ? rooms[0] : null);
  if (picked) return legacyRoom(forumId, forum, rooms, picked);
  return screen(h("section", { class: "card narrow", "aria-labelledby": "rooms-title" },
    h("h1", { id: "rooms-title" }, t("rooms.title")),
    h("p", { class: "lead" }, forum.title), h("p", {}, t("rooms.intro")),
    h("ul", { class: "room-list" }, rooms.map((r) => h("li", {},
      h("button", { type: "button", class: "btn btn-primary btn-block", onclick: () => legacyRoom(forumId, forum, rooms, r) },
        t("rooms.enter", { room: r.title })))))));
}

function legacyRoom(forumId, forum, rooms, room) {
  saveSession(forumId, { ...sessions()[forumId], room: room.id });
  screen();
  const conn = new RoomConnection({ token: sessions()[forumId].token, room: room.id, outboxKey: `hackrooms.outbox.${room.id}.${forumId}` });
  live.room = conn;
  const errors = new ErrorSlots(h("div", { class: "global-errors" }));
  errors.watch(conn);
  const leave = leaveButton(forumId);
  fill(topbar, youMenu(forumId), statusPill(conn));
  fill(main, errors.fallback, roomView(conn, errors, forum.title, h("div", { class: "row room-actions" }, leave)));
  conn.addEventListener("fatal", (e) => errors.set("", { code: `close.${e.detail.code}`, message: e.detail.reason }));
  conn.start();
}

// The room ----------------------------------------------------------------------------------

function roomView(conn, errors, eyebrow, actions) {
  const title = h("h1", { class: "room-title" });
  const forumLine = h("p", { class: "eyebrow" }, eyebrow);
  const challenge = h("p", { class: "challenge", "data-testid": "challenge" });
  const votesLeft = h("p", { class: "votes-left", "data-testid": "votes-left" });
  const cap = h("p", { class: "votes-cap", "data-testid": "votes-cap" });
  const voteNote = h("p", { class: "hint" });
  const votePanel = h("section", { class: "card vote-panel", "aria-labelledby": "votes-title" },
    h("h2", { id: "votes-title" }, t("vote.title")), votesLeft, cap, voteNote);
  const resultsBody = h("div", {});
  const resultsPanel = h("section", { class: "card results-panel", "aria-labelledby": "results-title", "data-testid": "results" },
    h("h2", { id: "results-title" }, t("results.title")), resultsBody);
  const ideaForm = newIdeaForm(conn, errors);
  ideaForm.el.classList.add("idea-box");
  const board = new Board(conn, errors, "participant");
  const outcomes = new OutcomesPanel(conn, errors, "participant");
  const count = h("span", { class: "count-badge" });
  const people = h("p", { class: "hint", "data-testid": "people" });

  // The phase and the timer in a bar of their own: on a phone it stays in view (sticky), and
  // the part the phase asks for (the idea box, the votes, the results) comes right after it.
  const view = h("div", { class: "room-layout", "data-testid": "room-layout" },
    h("div", { class: "room-side" },
      h("section", { class: "card room-head", "aria-labelledby": "room-title" },
        forumLine, Object.assign(title, { id: "room-title" }), people, actions),
      h("div", { class: "card room-bar", "data-testid": "room-bar" }, phaseSummary(conn), timerWidget(conn)),
      h("section", { class: "card room-challenge", "aria-labelledby": "challenge-title" },
        h("h2", { id: "challenge-title" }, t("room.challenge")), challenge),
      votePanel),
    h("div", { class: "room-main" }, resultsPanel, outcomes.el, ideaForm.el,
      h("section", { class: "board-wrap", "aria-labelledby": "ideas-title" },
        h("h2", { id: "ideas-title" }, t("ideas.title"), " ", count), board.el)));

  let queued = false;
  let arrived = false;
  const render = () => {
    queued = false;
    const s = conn.state;
    if (!s) return;
    setText(title, s.room.title);
    if (!arrived) {
      arrived = true;
      // Entering a room: focus its name (not the page body), unless the person is typing.
      const at = document.activeElement;
      if (title.isConnected && (!at || at === document.body || at.id === "main" || !at.isConnected)) {
        title.tabIndex = -1;
        title.focus({ preventScroll: true });
      }
    }
    document.title = `${s.room.title} · ${t("app.name")}`;
    setText(challenge, s.room.challenge || t("room.noChallenge"));
    const votes = myVotes(conn);
    setText(votesLeft, t("vote.budget", { left: votes.left, budget: s.voting.budget }));
    setText(cap, t("vote.cap", { cap: s.voting.cap }));
    const active = s.voting.open && allows(s, "votes");
    votePanel.classList.toggle("vote-panel-active", active);
    votePanel.hidden = !active;  // only while people can vote: in Brief or Ideate it is noise
    view.dataset.action = active ? "votes" : s.voting.revealed && !allows(s, "ideas") ? "results"
      : allows(s, "ideas") ? "ideas" : "read";
    setText(voteNote, [!s.voting.open ? t("vote.closed") : !allows(s, "votes") ? t("vote.notNow") : "",
      s.voting.revealed ? "" : t("vote.hidden"), s.voting.anonymous ? t("vote.anonymous") : t("vote.named")]
      .filter(Boolean).join(" "));
    resultsPanel.hidden = !s.voting.revealed;
    if (s.voting.revealed) resultsList(resultsBody, s);
    setText(count, `(${t("ideas.count", { count: s.ideas.size })})`);
    ideaForm.render();
    board.render();
    // Outcomes are the refine phase's work; once made they stay in view for everyone.
    outcomes.el.hidden = !allows(s, "outcomes") && !s.outcomes.recommendations.size && !s.outcomes.actions.size;
    outcomes.render();
    errors.render();
  };
  const schedule = () => {
    if (!queued) {
      queued = true;
      setTimeout(render, 0);
    }
  };
  conn.addEventListener("state", schedule);
  conn.addEventListener("presence", () => {
    const p = conn.presence;
    setText(people, t("room.online", { onsite: p.onsite, remote: p.remote }));
  });
  return view;
}

function newIdeaForm(conn, errors) {
  const area = h("textarea", { rows: 3, maxlength: 1000, required: true });
  const form = h("form", { class: "stack", "data-testid": "idea-form" },
    field("new-idea", t("ideas.new"), area, t("ideas.newHint")),
    h("div", { class: "row" }, h("button", { type: "submit", class: "btn btn-primary" }, t("ideas.post"))));
  const closed = h("p", { class: "muted" }, t("ideas.closed"));
  const pending = h("ul", { class: "pending-list" });
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const text = area.value.trim();
    if (!text) return area.focus();
    conn.send("idea.add", { text }, "new-idea");
    area.value = "";
    area.focus();
  });
  const el = h("section", { class: "card", "aria-labelledby": "new-idea-title" },
    h("h2", { id: "new-idea-title", class: "visually-hidden" }, t("ideas.newTitle")),
    form, closed, errors.slot("new-idea"), pending);
  return {
    el,
    render() {
      const open = allows(conn.state, "ideas");
      form.hidden = !open;
      closed.hidden = open;
      const waiting = conn.pending().filter((p) => p.name === "idea.add" && !p.answered);
      fill(pending, waiting.map((p) => h("li", { class: "pending" },
        h("span", { class: "badge" }, t("ideas.pendingBadge")), " ", p.args.text)));
    },
  };
}

start();
