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
    h("label", { for: "language" }, globe(), h("span", { class: "visually-hidden" }, name)),
    select);
}

const SVG = "http://www.w3.org/2000/svg";

/** A globe drawn inline (no emoji font is needed), hidden from screen readers: the label speaks. */
function globe() {
  const svg = document.createElementNS(SVG, "svg");
  for (const [k, v] of Object.entries({ viewBox: "0 0 24 24", width: "20", height: "20", "aria-hidden": "true",
    focusable: "false", fill: "none", stroke: "currentColor", "stroke-width": "1.6", class: "language-globe" })) {
    svg.setAttribute(k, v);
  }
  for (const d of ["M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18", "M3 12h18", "M12 3c2.5 2.6 3.8 5.6 3.8 9s-1.3 6.4-3.8 9",
    "M12 3c-2.5 2.6-3.8 5.6-3.8 9s1.3 6.4 3.8 9"]) {
    const path = document.createElementNS(SVG, "path");
    path.setAttribute("d", d);
    svg.append(path);
  }
  return svg;
}

/** Put the picker at the end of the page's top bar (it stays when a screen refills the slot). */
export function mountLanguagePicker(bar = document.querySelector(".topbar-inner")) {
  if (!bar || bar.querySelector(".language-picker")) return;
  bar.append(languagePicker());
}
