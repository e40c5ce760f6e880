// "Your data" on the participant's screen: download everything the server holds about me
// (GET /api/me/data) and erase my personal data (POST /api/me/erase), with a confirmation
// that says what goes and what stays (docs/protocol.md, "Your data: download and erasure").

import { request } from "./api.js";
import { errorBox, fill, h } from "./dom.js";
import { t } from "./i18n.js";

/** The "Your data" place: a closed <details> under the forum; `onErased` runs after an erasure. */
export function myDataPanel(token, onErased) {
  const slot = h("div", { class: "error-slot", "aria-live": "polite" });
  const confirmBox = h("div", { class: "stack", hidden: true, "data-testid": "erase-confirm" },
    h("p", {}, t("privacy.eraseGoes")),
    h("p", {}, t("privacy.eraseStays")),
    h("p", { class: "muted" }, t("privacy.eraseFinal")),
    h("div", { class: "row" },
      h("button", { type: "button", class: "btn btn-danger", "data-testid": "erase-yes",
        onclick: () => erase(token, slot, onErased) }, t("privacy.eraseYes")),
      h("button", { type: "button", class: "btn btn-quiet", onclick: () => { confirmBox.hidden = true; } },
        t("privacy.eraseNo"))));
  return h("details", { class: "card my-data", "data-testid": "my-data" },
    h("summary", {}, t("privacy.title")),
    h("p", {}, t("privacy.intro")),
    h("div", { class: "row" },
      h("button", { type: "button", class: "btn", "data-testid": "download-my-data",
        onclick: () => download(token, slot) }, t("privacy.download")),
      h("button", { type: "button", class: "btn btn-quiet", "data-testid": "erase-me",
        onclick: () => { confirmBox.hidden = false; } }, t("privacy.erase"))),
    confirmBox, slot);
}

async function download(token, slot) {
  fill(slot);
  try {
    const data = await request("GET", "/api/me/data", { token });
    const blob = new Blob([JSON.stringify(data, null, 2)], { type: "application/json" });
    const url = URL.createObjectURL(blob);
    const link = h("a", { href: url, download: "my-data.json" });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);  // after the browser took the file
  } catch (failure) {
    fill(slot, errorBox(failure));
  }
}

async function erase(token, slot, onErased) {
  fill(slot);
  try {
    await request("POST", "/api/me/erase", { token, body: { confirm: "erase" } });
    onErased();
  } catch (failure) {
    fill(slot, errorBox(failure));
  }
}
