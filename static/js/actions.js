// The organizer's action-item board (/actions?forum=<id>#token=<organizer token>): every action
// item of every room of the forum in columns by status, filtered by room, overdue ones marked,
// each with the follow-up link to hand to its owner (GET /api/forums/{forum_id}/actions).

import { request } from "./api.js";
import { announce, errorBox, fill, fragment, h } from "./dom.js";
import { formatDateTime, setupI18n, t, translatePage } from "./i18n.js";
import { mountLanguagePicker } from "./language_picker.js";
import { STATUSES } from "./outcomes.js";

const main = document.getElementById("main");

function card(item) {
  const link = h("input", { type: "text", readonly: true, class: "followup-link", value: item.followup.url,
    "aria-label": t("act.link"), "data-testid": "followup-url" });
  const copy = h("button", { type: "button", class: "btn btn-small", onclick: async () => {
    link.select();
    try {
      await navigator.clipboard.writeText(item.followup.url);
      announce(t("act.copied"));
    } catch {
      // clipboard refused (an insecure origin): the link stays selected to copy by hand
    }
  } }, t("act.copy"));
  const last = item.last_change;
  return h("article", { class: `card board-card${item.overdue ? " is-overdue" : ""}`, "data-testid": "board-item",
    dataset: { status: item.status, room: item.room.id } },
  h("h3", {}, item.title),
  item.overdue ? h("p", { class: "overdue-mark", "data-testid": "overdue" }, t("act.overdue")) : null,
  h("p", { class: "hint" }, [
    `${t("act.room")}: ${item.room.title}`,
    item.recommendation && t("out.a.underRec", { title: item.recommendation.title }),
    (item.owner || item.owner_member) && t("out.a.ownedBy", { owner: [item.owner, item.owner_member?.name].filter(Boolean).join(" · ") }),
    item.due && t("out.a.dueOn", { due: item.due }),
  ].filter(Boolean).join(" — ")),
  last ? h("p", { class: "hint" }, t("act.last", { when: formatDateTime(last.at) }),
    last.note ? ` — ${last.note}` : "") : null,
  h("div", { class: "field" }, h("label", {}, t("act.link"), link), copy));
}

async function start() {
  await setupI18n();
  translatePage();
  mountLanguagePicker();
  const token = fragment().get("token");
  const forum = new URLSearchParams(location.search).get("forum");
  if (!token || !forum) return fill(main, h("h1", {}, t("act.heading")), h("p", {}, t("act.noToken")));
  let data;
  try {
    data = await request("GET", `/api/forums/${encodeURIComponent(forum)}/actions`, { token });
  } catch (error) {
    return fill(main, h("h1", {}, t("act.heading")), errorBox(error));
  }
  const filter = h("select", { id: "room-filter", "data-testid": "room-filter" },
    h("option", { value: "" }, t("act.allRooms")), data.rooms.map((r) => h("option", { value: r.id }, r.title)));
  const columns = h("div", { class: "board-columns" });
  const draw = () => {
    const shown = data.actions.filter((a) => !filter.value || a.room.id === filter.value);
    fill(columns, STATUSES.map((status) => {
      const items = shown.filter((a) => a.status === status);
      return h("section", { class: "board-column", "data-testid": `column-${status}`, "aria-label": t(`out.s.${status}`) },
        h("h2", {}, `${t(`out.s.${status}`)} (${items.length})`),
        items.length ? items.map(card) : h("p", { class: "muted" }, t("act.none")));
    }));
  };
  filter.addEventListener("change", draw);
  fill(main, h("p", { class: "eyebrow" }, data.label.meaning), h("h1", {}, t("act.heading")),
    h("div", { class: "field" }, h("label", { for: "room-filter" }, t("act.room")), filter), columns);
  draw();
}

start();
