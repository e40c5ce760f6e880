// The questionnaire's results as tables with distribution bars, one per question, overall or
// by sector, country or on site / remote (the shape of rooms/hall/evaluation_results.py). A
// suppressed cell (fewer than `min_cell` answers) says so and shows no number. Used by the
// conductor and, without free texts, by the projector.

import { fill, h } from "./dom.js";
import { evaluationOf } from "./evaluation.js";
import { has, t } from "./i18n.js";
import { countryName, loadVocabulary, sectorName } from "./networking_common.js";
import { follow } from "./plenary_common.js";

export const BREAKDOWNS = ["overall", "sector", "country", "attendance"];

/** The results element for `results` broken down `by` one of BREAKDOWNS. */
export function resultsView(results, by = "overall") {
  if (!results) return h("p", { class: "muted" }, t("eval.r.none"));
  return h("div", { class: "stack eval-results", "data-testid": "eval-results", "data-by": by },
    h("p", { class: "hint", "data-testid": "eval-respondents" },
      t("eval.r.respondents", { count: results.respondents }), " ", t("eval.r.suppressNote", { min: results.min_cell })),
    results.questions.map((q) => questionResults(q, by, results.min_cell)));
}

function groupName(by, key) {
  if (key === "unknown") return t("eval.r.unknown");
  if (by === "attendance" && has(`eval.r.att.${key}`)) return t(`eval.r.att.${key}`);
  return by === "sector" ? sectorName(key) : by === "country" ? countryName(key) : key;
}

function questionResults(q, by, minCell) {
  const rows = [[t("eval.r.overall"), q.overall]];
  if (by !== "overall") {
    for (const [key, cell] of Object.entries(q.by[by] || {})) rows.push([groupName(by, key), cell, key]);
  }
  const score = q.kind === "nps" ? t("eval.r.nps") : q.kind === "likert" ? t("eval.r.mean") : null;
  const table = h("table", { class: "eval-table" },
    h("caption", { class: "visually-hidden" }, q.text),
    h("thead", {}, h("tr", {},
      h("th", { scope: "col" }, t(`eval.r.by.${by}`)), h("th", { scope: "col" }, t("eval.r.n")),
      score ? h("th", { scope: "col" }, score) : null,
      q.kind === "text" ? null : h("th", { scope: "col" }, t("eval.r.distribution")))),
    h("tbody", {}, rows.map(([name, cell, key]) => row(q, name, cell, key, score, minCell))));
  const texts = q.overall.answers
    ? h("ul", { class: "eval-texts", "data-testid": `eval-texts-${q.id}` }, q.overall.answers.map((a) => h("li", {}, a)))
    : null;
  // It scrolls sideways when a language's words do not fit: focusable, so keyboards can scroll it.
  const heading = h("h4", { id: `eval-r-${q.id}-title` }, q.text);
  return h("section", { class: "eval-result", "data-testid": `eval-r-${q.id}`, tabindex: "0",
    "aria-labelledby": heading.id }, heading, table, texts);
}

function row(q, name, cell, key, score, minCell) {
  const attrs = { "data-group": key || "overall" };
  if (cell.suppressed) {
    const span = 1 + (score ? 1 : 0) + (q.kind === "text" ? 0 : 1);
    return h("tr", { ...attrs, class: "eval-suppressed", "data-suppressed": "true" },
      h("th", { scope: "row" }, name), h("td", { colspan: span, "data-testid": "eval-n" }, t("eval.r.suppressed", { min: minCell })));
  }
  const value = q.kind === "nps" ? cell.nps : cell.mean;
  return h("tr", attrs, h("th", { scope: "row" }, name), h("td", { "data-testid": "eval-n" }, String(cell.n)),
    score ? h("td", {}, value === null ? "–" : String(value)) : null,
    q.kind === "text" ? null : h("td", {}, bars(q, cell)));
}

function bars(q, cell) {
  return h("ul", { class: "eval-bars" }, q.options.map((o) => {
    const count = cell.distribution[String(o)] || 0;
    const share = cell.n ? Math.round((100 * count) / cell.n) : 0;
    return h("li", { class: "eval-bar" },
      h("span", { class: "eval-bar-label" }, String(o)),
      h("span", { class: "eval-bar-track", "aria-hidden": "true" }, h("span", { class: "eval-bar-fill", style: `width: ${share}%` })),
      h("span", { class: "eval-bar-count" }, t("eval.r.count", { count, share })));
  }));
}

/** The projector's evaluation panel: the results while the organizer shows them, else a line. */
export function projectorResults(hall) {
  const root = h("div", { "data-slot": "evaluation-screen", "data-testid": "evaluation-screen" });
  loadVocabulary();
  follow(hall, root, (s) => {
    const e = evaluationOf(s);
    if (e.results_shown && e.results) return fill(root, resultsView(e.results, "overall"));
    const line = e.status === "open" ? t("eval.p.open", { count: e.respondents })
      : e.status === "closed" ? t("eval.p.closed") : t("part.coming.evaluation");
    return fill(root, h("p", { class: "proj-what", "data-testid": "stage-what" }, line));
  });
  return root;
}
