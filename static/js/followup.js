// The follow-up page of one action item (/followup/{token}), for its owner after the event:
// the item, its recommendation and history; a new status with a note (POST /api/followup/{token}).

import { request } from "./api.js";
import { announce, errorBox, fill, h } from "./dom.js";
import { formatDateTime, setupI18n, t, translatePage } from "./i18n.js";
import { mountLanguagePicker } from "./language_picker.js";
import { STATUSES } from "./outcomes.js";

const main = document.getElementById("main");
const token = decodeURIComponent(location.pathname.split("/").pop() || "");
const path = `/api/followup/${encodeURIComponent(token)}`;

function who(by) {
  if (by.kind === "member") return by.name;
  return t(by.kind === "followup" ? "out.byFollowup" : "out.byStaff");
}

function draw(data, notice = "") {
  const { item, room, forum, label } = data;
  const status = h("select", { id: "fu-status", "data-testid": "followup-status" },
    STATUSES.map((s) => h("option", { value: s, selected: s === item.status }, t(`out.s.${s}`))));
  const note = h("textarea", { id: "fu-note", rows: 3, maxlength: 1000, "data-testid": "followup-note" });
  const errors = h("div", {});
  const form = h("form", { class: "card stack" },
    h("div", { class: "field" }, h("label", { for: "fu-status" }, t("fu.status")), status),
    h("div", { class: "field" }, h("label", { for: "fu-note" }, t("fu.note")), note),
    h("div", { class: "row" }, h("button", { type: "submit", class: "btn btn-primary" }, t("fu.save"))), errors);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    try {
      const after = await request("POST", path, { body: { status: status.value, note: note.value.trim() } });
      draw(after, t("fu.saved"));
      announce(t("fu.saved"));
    } catch (error) {
      fill(errors, errorBox(error));
    }
  });
  const rec = item.recommendation;
  fill(main,
    label ? h("p", { class: "eyebrow" }, label.meaning) : null,
    h("h1", {}, item.title),
    h("p", {}, t("fu.intro", { forum: forum.title, room: room.title })),
    h("p", { class: "hint", "data-testid": "followup-current" }, [t(`out.s.${item.status}`),
      item.owner && t("out.a.ownedBy", { owner: item.owner }), item.due && t("out.a.dueOn", { due: item.due })]
      .filter(Boolean).join(" — ")),
    item.overdue ? h("p", { class: "overdue-mark" }, t("act.overdue")) : null,
    rec ? h("section", { class: "card" }, h("h2", {}, t("fu.recommendation")), h("p", {}, h("strong", {}, rec.title)),
      rec.rationale ? h("p", {}, rec.rationale) : null, rec.action ? h("p", {}, rec.action) : null) : null,
    notice ? h("p", { class: "notice", role: "status" }, notice) : null,
    form,
    h("section", { class: "card" }, h("h2", {}, t("fu.history")),
      item.history.length ? h("ol", { class: "history", "data-testid": "followup-history" }, item.history.map((x) =>
        h("li", {}, `${formatDateTime(x.at)}: ${t(`out.s.${x.status}`)} (${who(x.by)})${x.note ? ` — ${x.note}` : ""}`)))
        : h("p", { class: "muted" }, "—")));
}

async function start() {
  await setupI18n();
  translatePage();
  mountLanguagePicker();
  try {
    draw(await request("GET", path));
  } catch (error) {
    const key = error.status === 401 ? "fu.bad" : error.status === 404 ? "fu.gone" : null;
    fill(main, h("h1", {}, t("fu.title")), key ? h("p", {}, t(key)) : errorBox(error));
  }
}

start();
