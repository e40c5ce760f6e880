// A participant's results page after the event (/results#token=<participant token>): the
// forum's results as every participant may see them (recommendations, each room's top ideas,
// the questionnaire's overall results once closed), the participant's own connections (with
// the details each shared) and the action items they own. Read-only: GET /api/me/results and
// GET /api/me/connections (docs/protocol.md, "Results and exports").

import { request } from "./api.js";
import { errorBox, fill, fragment, h } from "./dom.js";
import { labelText } from "./forum.js";
import { setupI18n, t, translatePage } from "./i18n.js";
import { mountLanguagePicker } from "./language_picker.js";

const main = document.getElementById("main");
const topbar = document.getElementById("topbar-slot");

async function start() {
  await setupI18n();
  translatePage();
  mountLanguagePicker();
  const token = fragment().get("token");
  if (!token) return fill(main, h("h1", {}, t("res.title")), h("p", {}, t("res.noToken")));
  try {
    const [results, mine] = await Promise.all([
      request("GET", "/api/me/results", { token }),
      request("GET", "/api/me/connections", { token }),
    ]);
    return render(results, mine.connections || []);
  } catch (failure) {
    return fill(main, h("h1", {}, t("res.title")), errorBox(failure));
  }
}

function labelLine(label) {
  const { name, meaning } = labelText(label);
  return h("p", { class: "label", "data-testid": "label" },
    h("span", { class: "label-icon", "aria-hidden": "true" }, "⚑"), " ",
    h("strong", { class: "label-name" }, name), " ", h("span", { class: "label-meaning" }, meaning));
}

function render(r, connections) {
  fill(topbar, labelLine(r.label));
  fill(main,
    h("header", {}, h("p", { class: "eyebrow" }, t("res.title")),
      h("h1", { "data-testid": "forum-title" }, r.forum.title),
      r.forum.topic ? h("p", { class: "forum-topic" }, r.forum.topic) : null, labelLine(r.label)),
    section("res-recommendations", t("res.recommendations"), recommendations(r.recommendations)),
    section("res-ideas", t("res.topIdeas"), rooms(r.rooms)),
    section("res-evaluation", t("res.evaluation"), evaluation(r.evaluation)),
    section("res-connections", t("res.connections"), contacts(connections)),
    section("res-actions", t("res.actions"), actions(r.actions)));
}

function section(id, title, body) {
  return h("section", { class: "card", id, "aria-labelledby": `${id}-h` }, h("h2", { id: `${id}-h` }, title), body);
}

function recommendations(recs) {
  if (!recs.length) return h("p", { class: "muted" }, t("res.noRecommendations"));
  return h("ol", { class: "res-list" }, recs.map((rec) => h("li", { "data-testid": "recommendation" },
    h("strong", {}, rec.title), " ",
    h("span", { class: "muted" }, rec.votes === null
      ? t("res.fromRoomOnly", { room: rec.room_title })  // the room never revealed its votes
      : t("res.fromRoom", { room: rec.room_title, count: rec.votes })),
    rec.action ? h("p", {}, t("res.action", { action: rec.action })) : null,
    rec.owner ? h("p", { class: "muted" }, t("res.owner", { owner: rec.owner, due: rec.due || t("res.noDue") })) : null)));
}

function rooms(list) {
  return list.map((room) => h("div", { class: "res-room" }, h("h3", {}, room.title),
    room.challenge ? h("p", { class: "muted" }, room.challenge) : null,
    room.revealed && room.top_ideas.length
      ? h("ol", {}, room.top_ideas.map((i) => h("li", { "data-testid": "top-idea" }, i.text, " ",
        h("span", { class: "muted" }, t("res.votes", { count: i.votes })))))
      : h("p", { class: "muted" }, t("res.notRevealed"))));
}

function evaluation(ev) {
  if (!ev) return h("p", { class: "muted" }, t("res.noEvaluation"));
  const rows = ev.questions.filter((q) => q.kind !== "text").map((q) => {
    const c = q.overall;
    let value = t("res.suppressed", { count: ev.min_cell });
    if (!c.suppressed) {
      if (c.nps !== null && c.nps !== undefined) value = t("res.nps", { nps: c.nps, count: c.n });
      else if (c.mean !== null && c.mean !== undefined) value = t("res.mean", { mean: c.mean.toFixed(1), count: c.n });
      else value = t("res.answers", { count: c.n });
    }
    return h("tr", {}, h("th", { scope: "row" }, q.text), h("td", {}, value));
  });
  return [h("p", {}, t("res.respondents", { count: ev.respondents })),
    h("table", { class: "table" }, h("tbody", {}, rows))];
}

function contacts(list) {
  if (!list.length) return h("p", { class: "muted" }, t("res.noConnections"));
  return h("ul", { class: "res-list" }, list.map((c) => h("li", { "data-testid": "connection" },
    h("strong", {}, c.name), c.organization ? ` (${c.organization})` : "",
    Object.entries(c.contact || {}).map(([kind, value]) => h("span", { class: "res-contact" }, " · ",
      kind === "email" ? h("a", { href: `mailto:${value}` }, value)
        : kind === "link" ? h("a", { href: value, rel: "noopener noreferrer", target: "_blank" }, value)
          : value)))));
}

function actions(list) {
  if (!list.length) return h("p", { class: "muted" }, t("res.noActions"));
  return h("ul", { class: "res-list" }, list.map((a) => h("li", { "data-testid": "action" },
    h("strong", {}, a.title), " ", h("span", { class: "muted" },
      t("res.actionStatus", { status: t(`res.status.${a.status}`), due: a.due || t("res.noDue") })))));
}

start();
