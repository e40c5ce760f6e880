// "You" in the header: the participant's own name, always in view, opening their profile to
// edit (PATCH /api/me). The rooms and the hall they are in see the change at once.

import { request } from "./api.js";
import { errorBox, fill, h, setText } from "./dom.js";
import { clearFieldError, showFieldError } from "./field_errors.js";
import { t } from "./i18n.js";

function labelled(id, label, control) {
  control.id = id;
  return h("div", { class: "field" }, h("label", { for: id }, label), control);
}

/** The menu for the person of `token`, named `name`; `onSaved(participant)` after a change. */
export function meMenu(token, name, onSaved) {
  const label = h("span", { class: "me-name", "data-testid": "me" }, t("me.label", { name: name || "…" }));
  const body = h("div", { class: "me-body" });
  const menu = h("details", { class: "me-menu" },
    h("summary", { class: "btn btn-small btn-quiet" }, label), body);
  menu.addEventListener("toggle", () => {
    if (menu.open) open();
  });

  const open = async () => {
    fill(body, h("p", { class: "muted" }, t("app.loading")));
    try {
      const [me, vocabulary] = await Promise.all([request("GET", "/api/me", { token }), request("GET", "/api/vocabulary")]);
      fill(body, form(me.participant, vocabulary));
      body.querySelector("input")?.focus();
    } catch (failure) {
      fill(body, failure.code === "network" ? h("p", {}, t("me.offline")) : errorBox(failure));
    }
  };

  const form = (p, v) => {
    const nameIn = h("input", { type: "text", maxlength: 80, required: true, autocomplete: "name", value: p.name });
    const org = h("input", { type: "text", maxlength: 120, autocomplete: "organization", value: p.organization });
    const pick = (options, value) => h("select", {}, options.map((o) => h("option", { value: o.id, selected: o.id === value }, o.label)));
    const sector = pick(v.sectors, p.sector);
    const country = pick(v.countries, p.country);
    const attendance = h("fieldset", { class: "field choices", id: "me-attendance" }, h("legend", {}, t("join.attendance")),
      v.attendance.map((a) => h("div", { class: "choice" },
        h("input", { type: "radio", name: "me-attendance", id: `me-att-${a.id}`, value: a.id, checked: a.id === p.attendance }),
        h("label", { for: `me-att-${a.id}` }, t(`join.attendance.${a.id}`)))));
    const done = h("p", { class: "me-done", role: "status" });
    const slot = h("div", {});
    const save = h("button", { type: "submit", class: "btn btn-primary btn-small" }, t("me.save"));
    const el = h("form", { class: "stack me-form", novalidate: true, "aria-labelledby": "me-title" },
      h("h2", { id: "me-title" }, t("me.title")), h("p", { class: "hint" }, t("me.intro")),
      labelled("me-name", t("join.name"), nameIn), labelled("me-org", t("join.organization"), org),
      labelled("me-sector", t("join.sector"), sector), labelled("me-country", t("join.country"), country),
      attendance, slot, h("div", { class: "row" }, save), done);
    el.addEventListener("submit", async (e) => {
      e.preventDefault();
      clearFieldError(nameIn);
      setText(done, "");
      if (!nameIn.value.trim()) {
        showFieldError(nameIn, t("join.needName"));
        nameIn.focus();
        return;
      }
      save.disabled = true;
      setText(save, t("me.saving"));
      try {
        const chosen = el.querySelector("input[name=me-attendance]:checked");
        const answer = await request("PATCH", "/api/me", { token, body: {
          name: nameIn.value.trim(), organization: org.value.trim(), sector: sector.value, country: country.value,
          ...(chosen ? { attendance: chosen.value } : {}) } });
        fill(slot);
        setText(label, t("me.label", { name: answer.participant.name }));
        setText(done, t("me.saved"));
        onSaved?.(answer.participant);
      } catch (failure) {
        fill(slot, errorBox(failure));
      } finally {
        save.disabled = false;
        setText(save, t("me.save"));
      }
    });
    return el;
  };
  return menu;
}
