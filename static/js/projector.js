// The projector (/projector#token=...&room=...): read-only big screen with the challenge, a
// large timer, the board, live results after the reveal, and the join code with its QR code.

import { api } from "./api.js";
import { Board } from "./board.js";
import { RoomConnection } from "./connection.js";
import { errorBox, fill, fragment, h, setText } from "./dom.js";
import { setupI18n, t, translatePage } from "./i18n.js";
import { ErrorSlots, phaseSummary, resultsList, statusPill, timerWidget } from "./ui.js";

const main = document.getElementById("main");
const topbar = document.getElementById("topbar-slot");

async function start() {
  await setupI18n();
  translatePage();
  const params = fragment();
  const token = params.get("token");
  if (!token) return fill(main, h("h1", {}, t("proj.title")), h("p", {}, t("proj.noToken")));
  let me;
  try {
    me = await api.me(token);
  } catch (failure) {
    return fill(main, h("h1", {}, t("proj.title")), errorBox(failure));
  }
  const room = me.rooms.find((r) => r.id === params.get("room")) || me.rooms[0];
  return show(token, me, room);
}

function show(token, me, room) {
  const conn = new RoomConnection({ token, room: room.id, outboxKey: `hackrooms.outbox.projector.${room.id}` });
  const errors = new ErrorSlots(h("div", { class: "global-errors" }));
  errors.watch(conn);
  conn.addEventListener("fatal", (e) => errors.set("", { code: `close.${e.detail.code}`, message: e.detail.reason }));
  const title = h("h1", { id: "proj-title" }, room.title);
  const challenge = h("p", { class: "challenge", "data-testid": "challenge" });
  const board = new Board(conn, errors, "projector");
  const resultsBody = h("div", {});
  const results = h("section", { class: "results-panel", "aria-labelledby": "proj-results", "data-testid": "results", hidden: true },
    h("h2", { id: "proj-results" }, t("results.title")), resultsBody);
  const code = me.forum.join_code;
  const qr = h("img", { src: api.qrUrl(code), alt: t("proj.qr", { code }), width: 320, height: 320, "data-testid": "qr" });
  const others = me.rooms.length > 1
    ? h("nav", { "aria-label": t("proj.rooms"), class: "room-tabs" }, me.rooms.map((r) => h("a", {
      class: "btn btn-small", href: `#token=${encodeURIComponent(token)}&room=${encodeURIComponent(r.id)}`,
      "aria-current": r.id === room.id ? "page" : null
    }, r.title)))
    : null;

  fill(topbar, statusPill(conn));
  fill(main, errors.fallback, h("div", { class: "proj" },
    h("div", {},
      h("p", { class: "eyebrow" }, me.forum.title), title, challenge,
      h("div", { class: "grid-2" }, phaseSummary(conn), timerWidget(conn, { large: true })),
      results,
      h("section", { "aria-labelledby": "proj-ideas" }, h("h2", { id: "proj-ideas" }, t("ideas.title")), board.el)),
    h("aside", { class: "proj-join", "aria-label": t("proj.code") },
      h("p", { class: "lead" }, t("proj.join", { host: `${location.host}/join` })),
      h("p", { class: "proj-code", "data-testid": "join-code" }, code),
      qr, others)));

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
  conn.start();
}

window.addEventListener("hashchange", () => location.reload());
start();
