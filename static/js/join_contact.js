// The networking part of the join form: the optional "what I work on" line (the people one
// meets in a networking round see it), and three optional contact details (email, phone, a
// profile link), each with its own explicit consent box. A detail goes to the server only when
// its box is ticked: the server keeps it in the person's record (never in a log) and shows it
// only to someone they both chose to stay in touch with, never to the organizers.

import { h } from "./dom.js";
import { t } from "./i18n.js";

export const DETAILS = [
  { key: "email", type: "email", autocomplete: "email", max: 254 },
  { key: "phone", type: "tel", autocomplete: "tel", max: 32 },
  { key: "link", type: "url", autocomplete: "url", max: 300 },
];
const ABOUT_MAX = 120;  // rooms/members.py ABOUT_MAX

/** `{about, contact}`: the elements to place in the form and what they hold. */
export function contactFields() {
  const about = h("input", { type: "text", id: "p-about", maxlength: ABOUT_MAX, autocomplete: "off",
    "aria-describedby": "p-about-hint" });
  const aboutField = h("div", { class: "field" }, h("label", { for: "p-about" }, t("net.join.about")),
    h("p", { class: "hint", id: "p-about-hint" }, t("net.join.aboutHint")), about);
  const rows = DETAILS.map((d) => {
    const input = h("input", { type: d.type, id: `p-${d.key}`, maxlength: d.max, autocomplete: d.autocomplete,
      "aria-describedby": "contact-who" });
    const share = h("input", { type: "checkbox", id: `share-${d.key}`, "data-testid": `share-${d.key}` });
    const el = h("div", { class: "contact-detail" },
      h("div", { class: "field" }, h("label", { for: input.id }, t(`net.join.${d.key}`)), input),
      h("div", { class: "choice" }, share, h("label", { for: share.id }, t(`net.join.share.${d.key}`))));
    return { ...d, input, share, el };
  });
  const contact = h("fieldset", { class: "field contact-fields", "data-testid": "contact-fields" },
    h("legend", {}, t("net.join.contactTitle")),
    h("p", { class: "hint", id: "contact-who" }, t("net.join.contactWho")), rows.map((r) => r.el));

  return {
    about: aboutField,
    contact,
    /** The field a person filled in without ticking its box (they must choose), or null. */
    unconsented() {
      const row = rows.find((r) => r.input.value.trim() && !r.share.checked);
      return row ? { label: t(`net.join.${row.key}`), el: row.share } : null;
    },
    /** The join body's `about`, `contact` (ticked details only) and per-detail `consent`. */
    values() {
      const contactOut = {};
      const consent = {};
      for (const r of rows) {
        const value = r.input.value.trim();
        consent[r.key] = Boolean(value) && r.share.checked;
        if (consent[r.key]) contactOut[r.key] = value;
      }
      return { about: about.value.trim(), contact: contactOut, consent };
    },
  };
}
