// The warning a console and the projector show when no phone can open the join link: the
// server listens on loopback only (the `local_only` of the API's join object).

import { h } from "./dom.js";
import { t } from "./i18n.js";

export const FIX = "HACKROOMS_HOST=0.0.0.0";

/** On a loopback-only server no phone can join: say so, with the setting that fixes it. */
export function localOnlyWarning(join) {
  if (!join?.local_only) return null;
  const [before, after = ""] = t("join.localOnly", { setting: "\u0000" }).split("\u0000");
  return h("p", { class: "join-warning", role: "note", "data-testid": "join-warning" },
    before, h("code", {}, FIX), after);
}
