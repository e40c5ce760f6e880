// The projector (/projector#token=...&room=...): the forum's big screen. It follows the hall:
// the forum's title, topic and label always, and the screen of the session the forum is in now.
// During a hackathon it shows one room (the challenge, a large timer, the board, live results
// after the reveal), chosen with the room tabs (the projector link is forum-wide; &room= picks
// one). The join code and its QR code stay beside. Read-only: nothing to press but the tabs.

import { api } from "./api.js";
import { Board } from "./board.js";
import { RoomConnection } from "./connection.js";
import { announce, errorBox, fill, fragment, h, setText } from "./dom.js";
import { clockTime, forumBanner, hallIdOf, kindText, nextLine } from "./forum.js";
import { currentSession, nextSession } from "./hall.js";
import { setupI18n, t, translatePage } from "./i18n.js";
import { mountLanguagePicker } from "./language_picker.js";
import { localOnlyWarning } from "./join_warning.js";
import { ConnectionGroup, ErrorSlots, phaseSummary, resultsList, statusPill, timerWidget } from "./ui.js";
import { plenaryScreen } from "./plenary_screen.js";
import { networkingScreen } from "./networking_screen.js";
import { projectorResults } from "./evaluation_results.js";

const main = document.getElementById("main");
const topbar = document.getElementById("topbar-slot");

async function start() {
  await setupI18n();
  translatePage();
  mountLanguagePicker();
  const params = fragment();
  const token = params.get("token");
  if (!token) return fill(main, h("h1", {}, t("proj.title")), h("p", {}, t("proj.noToken")));
  let me;
  try {
    me = await api.me(token);
  } catch (failure) {
    return fill(main, h("h1", {}, t("proj.title")), errorBox(failure));
  }
  const hallId = hallIdOf(me);
  if (!hallId) return showRoom(token, me, me.rooms.find((r) => r.id === params.get("room")) || me.rooms[0]);
  return follow(token, me, hallId, params.get("room"));
}

function follow(token, me, hallId, wanted) {
  const hall = new RoomConnection({ token, room: hallId, outboxKey: `hackrooms.outbox.projector.${hallId}` });
  const status = new ConnectionGroup([hall]);
  const errors = new ErrorSlots(h("div", { class: "global-errors" }));
  errors.watch(hall);
  hall.addEventListener("fatal", (e) => errors.set("", { code: `close.${e.detail.code}`, message: e.detail.reason }));
  const stage = h("div", { class: "proj-stage", "data-testid": "stage", "data-kind": "loading" });
  fill(topbar, statusPill(status));
  fill(main, errors.fallback, h("div", { class: "proj" },
    h("div", { class: "proj-main" }, h("header", { class: "proj-head" }, forumBanner(hall, { large: true })), stage),
    joinAside(me)));
  const ctx = { token, hall, stage, status, wanted, shown: null, room: null };
  hall.addEventListener("state", () => draw(ctx));
  hall.addEventListener("event", (e) => {
    if (e.detail.name !== "agenda.moved") return;
    const x = currentSession(hall.state);
    if (x) announce(t("part.announce.now", { title: x.title, kind: kindText(x.kind) }));
  });
  hall.start();
}

function joinAside(me) {
  const code = me.forum.join_code;
  // The server's join link: a LAN address a phone can open, not this screen's own address.
  const join = me.join || { url: `${location.origin}/join/${code}`, local_only: false };
  const where = join.url.replace(/^https?:\/\//, "").replace(/\/[^/]*$/, "");
  const qr = h("img", { src: api.qrUrl(code), alt: t("proj.qr", { code }), width: 320, height: 320, "data-testid": "qr" });
  return h("aside", { class: "proj-join", "aria-label": t("proj.code") },
    h("p", { class: "lead", "data-testid": "join-where" }, t("proj.join", { host: where })),
    h("p", { class: "proj-code", "data-testid": "join-code" }, code), qr, localOnlyWarning(join));
}

function draw(ctx) {
  const s = ctx.hall.state;
  if (!s) return;
  const x = currentSession(s);
  const rooms = x?.kind === "hackathon" ? x.rooms.map((r) => `${r.id}=${r.title}`).join("|") : "";
  const key = x ? `${x.id}:${x.kind}:${rooms}` : "none";
  if (key === ctx.shown) {
    const next = ctx.stage.querySelector("[data-testid=next]");
    if (next) nextLine(next, nextSession(s));
    return;
  }
  ctx.shown = key;
  if (ctx.room) {
    ctx.room.stop();
    ctx.room = null;
    ctx.status.set([ctx.hall]);
  }
  ctx.stage.dataset.kind = x ? x.kind : "waiting";
  ctx.stage.dataset.session = x ? x.id : "";
  const heading = (eyebrow, title) => [h("p", { class: "eyebrow" }, eyebrow),
    h("h1", { id: "proj-title", "data-testid": "session-title" }, title)];
  const next = () => h("p", { class: "proj-next", "data-testid": "next" }, nextLine(h("span"), nextSession(s)));
  if (!x) {
    return fill(ctx.stage, ...heading(t("proj.welcome"), t("part.notStarted")),
      h("p", { class: "proj-next", "data-testid": "next" }, nextLine(h("span"), s.agenda.sessions[0] || null)));
  }
  if (x.kind === "hackathon") return roomStage(ctx, x);
  if (x.kind === "plenary") {
    // The pinned question, the top questions and the poll: js/plenary_screen.js, at data-slot="plenary-screen".
    return fill(ctx.stage, ...heading(kindText("plenary"), x.title), plenaryScreen(ctx.hall), next());
  }
  if (x.kind === "networking") {
    // The round's timer and the on-site table plan: js/networking_screen.js, at data-slot="networking-screen".
    return fill(ctx.stage, ...heading(kindText("networking"), x.title), networkingScreen(ctx.hall), next());
  }
  if (x.kind === "evaluation") {
    // The questionnaire's results when the organizer shows them: js/evaluation_results.js.
    return fill(ctx.stage, ...heading(kindText("evaluation"), x.title), projectorResults(ctx.hall), next());
  }
  const back = s.agenda.since !== null ? s.agenda.since + x.minutes * 60000 : null;
  const what = x.kind === "break" ? (back ? t("part.breakUntil", { time: clockTime(back) }) : t("part.break"))
    : t(`part.coming.${x.kind}`);
  return fill(ctx.stage, ...heading(kindText(x.kind), x.title), h("p", { class: "proj-what", "data-testid": "stage-what" }, what), next());
}

function roomStage(ctx, x) {
  const room = x.rooms.find((r) => r.id === ctx.wanted) || x.rooms[0];
  if (!room) return fill(ctx.stage, h("h1", { id: "proj-title" }, x.title));
  const conn = new RoomConnection({ token: ctx.token, room: room.id, outboxKey: `hackrooms.outbox.projector.${room.id}` });
  ctx.room = conn;
  ctx.status.set([ctx.hall, conn]);
  ctx.stage.dataset.room = room.id;
  const tabs = x.rooms.length > 1
    ? h("nav", { "aria-label": t("proj.rooms"), class: "room-tabs" }, x.rooms.map((r) => h("a", {
      class: "btn btn-small", href: `#token=${encodeURIComponent(ctx.token)}&room=${encodeURIComponent(r.id)}`,
      "aria-current": r.id === room.id ? "page" : null,
    }, r.title)))
    : null;
  fill(ctx.stage, tabs, roomView(conn, room));
  conn.start();
  return undefined;
}

/** A forum made before halls: its room alone, as the projector always showed it. */
function showRoom(token, me, room) {
  const conn = new RoomConnection({ token, room: room.id, outboxKey: `hackrooms.outbox.projector.${room.id}` });
  fill(topbar, statusPill(conn));
  fill(main, h("div", { class: "proj" }, h("div", { class: "proj-main" }, h("p", { class: "eyebrow" }, me.forum.title), roomView(conn, room)),
    joinAside(me)));
  conn.start();
}

function roomView(conn, room) {
  const errors = new ErrorSlots(h("div", { class: "global-errors" }));
  errors.watch(conn);
  conn.addEventListener("fatal", (e) => errors.set("", { code: `close.${e.detail.code}`, message: e.detail.reason }));
  const title = h("h1", { id: "proj-title", "data-testid": "session-title" }, room.title);
  const challenge = h("p", { class: "challenge", "data-testid": "challenge" });
  const board = new Board(conn, errors, "projector");
  const resultsBody = h("div", {});
  const results = h("section", { class: "results-panel", "aria-labelledby": "proj-results", "data-testid": "results", hidden: true },
    h("h2", { id: "proj-results" }, t("results.title")), resultsBody);
  let queued = false;
  const render = () => {
    queued = false;
    const s = conn.state;
    if (!s) return;
    setText(title, s.room.title);
    setText(challenge, s.room.challenge || "");
    results.hidden = !s.voting.revealed;
    if (s.voting.revealed) resultsList(resultsBody, s);
    board.render();
  };
  conn.addEventListener("state", () => {
    if (!queued) {
      queued = true;
      setTimeout(render, 0);
    }
  });
  return h("div", { class: "proj-room" }, errors.fallback, title, challenge,
    h("div", { class: "proj-clock" }, phaseSummary(conn), timerWidget(conn, { large: true, cue: { screen: "projector", sound: true } })),
    results,
    h("section", { class: "proj-board", "aria-labelledby": "proj-ideas" }, h("h2", { id: "proj-ideas" }, t("ideas.title")), board.el));
}

window.addEventListener("hashchange", () => location.reload());
start();
