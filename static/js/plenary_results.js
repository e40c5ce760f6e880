// A poll's results, the same on every screen: each option with its count in words and a bar
// that repeats it, ratings with their average, rankings by Borda points, a word cloud as a
// list of words sized by how often they were given, open texts as a list. No names anywhere:
// results are counts (and texts without authors).

import { fill, h } from "./dom.js";
import { t } from "./i18n.js";
import { optionText } from "./plenary_common.js";

/** Fill `box` with the results of `poll` (which carries `results`). */
export function drawResults(box, poll) {
  const r = poll.results;
  const parts = [h("p", { class: "poll-answers", "data-testid": "poll-answers" }, t("plen.p.answers", { count: poll.answers }))];
  if (r) parts.push(BY_KIND[poll.kind](poll, r));
  fill(box, parts);
  box.dataset.kind = poll.kind;
}

function bar(count, most) {
  return h("span", { class: "bar", "aria-hidden": "true" },
    h("span", { class: "bar-fill", style: `width:${most ? (100 * count) / most : 0}%` }));
}

function row(label, count, most, total, key) {
  const share = total ? Math.round((100 * count) / total) : 0;
  return h("li", { class: "result poll-result", "data-testid": "poll-result", "data-key": key },
    h("span", { class: "result-text" }, label), " ",
    h("span", { class: "result-votes" }, t("plen.p.count", { count, share })), bar(count, most));
}

function choices(poll, r) {
  const most = Math.max(0, ...r.options.map((o) => o.count));
  return h("ul", { class: "results poll-results" },
    r.options.map((o) => row(optionText(poll, o.id), o.count, most, poll.answers, o.id)));
}

function rating(poll, r) {
  const most = Math.max(0, ...r.counts);
  return h("div", {},
    h("p", { class: "poll-average", "data-testid": "poll-average" },
      r.average === null ? t("plen.p.noAverage") : t("plen.p.average", { average: r.average })),
    h("ul", { class: "results poll-results" },
      r.counts.map((count, i) => row(t("plen.p.ratingOf", { n: i + 1 }), count, most, poll.answers, String(i + 1)))));
}

function ranking(poll, r) {
  const ordered = [...r.options].sort((a, b) => b.points - a.points);
  const most = Math.max(0, ...ordered.map((o) => o.points));
  return h("ol", { class: "results poll-results" }, ordered.map((o) =>
    h("li", { class: "result poll-result", "data-testid": "poll-result", "data-key": o.id },
      h("span", { class: "result-text" }, optionText(poll, o.id)), " ",
      h("span", { class: "result-votes" }, o.average_rank === null ? t("plen.p.points", { count: o.points })
        : t("plen.p.pointsRank", { count: o.points, rank: o.average_rank })), bar(o.points, most))));
}

function wordcloud(poll, r) {
  const most = Math.max(1, ...r.words.map((w) => w.count));
  return h("div", {},
    h("ul", { class: "word-cloud", "aria-label": t("plen.p.words") }, r.words.map((w) =>
      h("li", { class: "poll-word", "data-testid": "poll-word", style: `font-size:${(1 + (1.4 * w.count) / most).toFixed(2)}em` },
        h("span", { class: "word" }, w.word), " ", h("span", { class: "word-count" }, t("plen.p.wordCount", { count: w.count }))))),
    h("p", { class: "hint" }, t("plen.p.distinct", { count: r.distinct })));
}

function texts(poll, r) {
  if (!r.texts.length) return h("p", { class: "muted" }, t("plen.p.noTexts"));
  return h("ul", { class: "poll-texts" }, r.texts.map((x) => h("li", { "data-testid": "poll-text" }, x.text)));
}

const BY_KIND = { single: choices, multiple: choices, rating, ranking, wordcloud, text: texts };
