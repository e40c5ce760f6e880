// The language picker in the top bar of every page: each person reads the forum in their own
// language, whatever the others chose. The choice is kept on this device (see i18n.js).

import { h } from "./dom.js";
import { LANGUAGES, PSEUDO, SHIPPED, chooseLanguage, currentLanguage, t } from "./i18n.js";

/** A <select> of the shipped languages, each named in itself; a change reloads the page in it. */
export function languagePicker() {
  const current = currentLanguage();
  const codes = Object.keys(LANGUAGES).filter((code) => SHIPPED.includes(code));
  const options = codes.map((code) => h("option", { value: code, lang: code }, LANGUAGES[code]));
  if (current === PSEUDO) options.push(h("option", { value: PSEUDO, lang: PSEUDO }, "Pseudo (en-XA)"));
  const select = h("select", { id: "language", class: "language-select", "data-testid": "language" }, options);
  select.value = current;
  select.addEventListener("change", () => chooseLanguage(select.value));
  // "Language" in the reader's language, and in English too for someone who landed in the wrong one.
  const name = current === "en" ? t("app.language") : `${t("app.language")} (Language)`;
  return h("div", { class: "language-picker" },
    h("label", { for: "language" }, h("span", { "aria-hidden": "true" }, "🌐"),
      h("span", { class: "visually-hidden" }, name)),
    select);
}

/** Put the picker at the end of the page's top bar (it stays when a screen refills the slot). */
export function mountLanguagePicker(bar = document.querySelector(".topbar-inner")) {
  if (!bar || bar.querySelector(".language-picker")) return;
  bar.append(languagePicker());
}
