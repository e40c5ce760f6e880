// The conductor's evaluation card (data-slot="evaluation-control"): the questionnaire while it
// is a draft (the default prefilled; add, edit, move up and down, remove), open, close and
// reopen, send it to remote screens, show the results on the projector, and the results
// overall or by sector, country or on site / remote (js/evaluation_results.js).

import { fill, h, setText } from "./dom.js";
import { t } from "./i18n.js";
import { follow } from "./plenary_common.js";
import { evaluationOf } from "./evaluation.js";
import { BREAKDOWNS, resultsView } from "./evaluation_results.js";
import { loadVocabulary } from "./networking_common.js";

const ORIGIN = "evaluation-c";
export const QUESTION_KINDS = ["likert", "nps", "choice", "text"];

/** The conductor's evaluation card. */
export function evaluationControl(hall, errors) {
  const status = h("p", { class: "lead", "data-testid": "eval-c-status" });
  const open = h("button", { type: "button", class: "btn btn-primary", "data-testid": "eval-open",
    onclick: () => hall.send("evaluation.open", {}, ORIGIN) });
  const close = h("button", { type: "button", class: "btn", "data-testid": "eval-close",
    onclick: () => hall.send("evaluation.close", {}, ORIGIN) }, t("eval.c.close"));
  const send = h("button", { type: "button", class: "btn", "data-testid": "eval-send",
    onclick: () => hall.send("evaluation.send", { to: "remote" }, ORIGIN) }, t("eval.c.sendRemote"));
  const sendAll = h("button", { type: "button", class: "btn btn-quiet", "data-testid": "eval-send-all",
    onclick: () => hall.send("evaluation.send", { to: "everyone" }, ORIGIN) }, t("eval.c.sendAll"));
  const shown = h("input", { type: "checkbox", id: "eval-shown", "data-testid": "eval-shown" });
  shown.addEventListener("change", () => hall.send("evaluation.show_results", { shown: shown.checked }, ORIGIN));
  const editor = h("div", { class: "stack", "data-testid": "eval-editor" });
  const by = h("select", { id: "eval-by", "data-testid": "eval-by" }, BREAKDOWNS.map((b) => h("option", { value: b }, t(`eval.r.by.${b}`))));
  const results = h("div", { "data-testid": "eval-c-results" });
  const root = h("section", { class: "card evaluation-control", "aria-labelledby": "eval-c-h", "data-slot": "evaluation-control",
    "data-testid": "evaluation-control" },
  h("h2", { id: "eval-c-h" }, t("eval.c.title")), status, h("p", { class: "hint" }, t("eval.c.hint")),
  h("div", { class: "row" }, open, close, send, sendAll),
  h("div", { class: "choice" }, shown, h("label", { for: "eval-shown" }, t("eval.c.shown"))),
  errors.slot(ORIGIN), editor,
  h("h3", {}, t("eval.c.results")),
  h("div", { class: "field" }, h("label", { for: "eval-by" }, t("eval.c.by")), by), results);
  let drafted = null;
  let last = null;
  const drawResults = (e) => fill(results, resultsView(e.results, by.value));
  by.addEventListener("change", () => last && drawResults(last));
  loadVocabulary().then(() => last && drawResults(last));
  follow(hall, root, (s) => {
    const e = evaluationOf(s);
    last = e;
    setText(status, t(`eval.c.status.${e.status}`, { count: e.respondents }));
    root.dataset.status = e.status;
    setText(open, e.status === "closed" ? t("eval.c.reopen") : t("eval.c.open"));
    open.hidden = e.status === "open";
    close.hidden = e.status !== "open";
    send.hidden = sendAll.hidden = e.status !== "open";
    if (!hall.pending().some((p) => p.name === "evaluation.show_results")) shown.checked = e.results_shown;
    const key = `${e.status}:${JSON.stringify(e.questions)}`;
    if (key !== drafted) {
      drafted = key;
      fill(editor, e.status === "draft" ? draftEditor(hall, e.questions) : frozenList(e.questions));
    }
    drawResults(e);
    errors.render();
  });
  return root;
}

function frozenList(questions) {
  return [h("p", { class: "hint" }, t("eval.c.frozen")),
    h("ol", { class: "eval-c-list" }, questions.map((q) => h("li", {}, q.text, " ", h("span", { class: "hint" }, `(${t(`eval.kind.${q.kind}`)})`))))];
}

function draftEditor(hall, questions) {
  const list = h("ol", { class: "eval-c-list", "data-testid": "eval-c-list" }, questions.map((q, i) => {
    const item = h("li", { "data-question": q.id });
    const view = () => fill(item, h("span", {}, q.text, " ", h("span", { class: "hint" }, `(${t(`eval.kind.${q.kind}`)}${q.required ? "" : `, ${t("eval.optional")}`})`)),
      h("span", { class: "row" },
        h("button", { type: "button", class: "btn btn-small", disabled: i === 0, "aria-label": t("eval.c.upLabel", { text: q.text }),
          onclick: () => hall.send("evaluation.move", { id: q.id, position: i - 1 }, ORIGIN) }, t("eval.c.up")),
        h("button", { type: "button", class: "btn btn-small", disabled: i === questions.length - 1, "aria-label": t("eval.c.downLabel", { text: q.text }),
          onclick: () => hall.send("evaluation.move", { id: q.id, position: i + 1 }, ORIGIN) }, t("eval.c.down")),
        h("button", { type: "button", class: "btn btn-small", "aria-label": t("eval.c.editLabel", { text: q.text }),
          onclick: () => fill(item, questionForm(q, (args) => hall.send("evaluation.edit", { id: q.id, ...args }, ORIGIN), view)) }, t("eval.c.edit")),
        h("button", { type: "button", class: "btn btn-small btn-quiet", "aria-label": t("eval.c.removeLabel", { text: q.text }),
          onclick: () => hall.send("evaluation.remove", { id: q.id }, ORIGIN) }, t("eval.c.remove"))));
    view();
    return item;
  }));
  const add = h("div", {});
  const addButton = () => fill(add, h("button", { type: "button", class: "btn", "data-testid": "eval-add",
    onclick: () => fill(add, questionForm(null, (args) => hall.send("evaluation.add", args, ORIGIN), addButton)) }, t("eval.c.add")));
  addButton();
  return [list, add];
}

/** A question's definition form: kind, text, required, options or end labels. */
function questionForm(q, submit, done) {
  const stamp = Math.random().toString(36).slice(2, 7);
  const kind = h("select", { id: `eq-kind-${stamp}` }, QUESTION_KINDS.map((k) => h("option", { value: k, selected: q?.kind === k }, t(`eval.kind.${k}`))));
  const text = h("input", { type: "text", id: `eq-text-${stamp}`, maxlength: 300, required: true, value: q?.text || "" });
  const required = h("input", { type: "checkbox", id: `eq-req-${stamp}`, checked: q ? q.required : true });
  const options = h("textarea", { id: `eq-opt-${stamp}`, rows: 3 }, (q?.options || []).join("\n"));
  const low = h("input", { type: "text", id: `eq-low-${stamp}`, maxlength: 60, value: q?.low || "" });
  const high = h("input", { type: "text", id: `eq-high-${stamp}`, maxlength: 60, value: q?.high || "" });
  const field = (input, label) => h("div", { class: "field" }, h("label", { for: input.id }, label), input);
  const optionsField = field(options, t("eval.c.options"));
  const ends = h("div", { class: "inline-fields" }, field(low, t("eval.c.low")), field(high, t("eval.c.high")));
  const sync = () => {
    optionsField.hidden = kind.value !== "choice";
    ends.hidden = !["likert", "nps"].includes(kind.value);
  };
  kind.addEventListener("change", sync);
  sync();
  const form = h("form", { class: "stack eval-q-form", "data-testid": "eval-q-form" },
    field(kind, t("eval.c.kind")), field(text, t("eval.c.text")),
    h("div", { class: "choice" }, required, h("label", { for: required.id }, t("eval.required"))),
    optionsField, ends,
    h("div", { class: "row" }, h("button", { type: "submit", class: "btn btn-primary" }, t("eval.c.save")),
      h("button", { type: "button", class: "btn btn-quiet", onclick: done }, t("eval.c.cancel"))));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const args = { kind: kind.value, text: text.value.trim(), required: required.checked };
    if (kind.value === "choice") args.options = options.value.split("\n").map((o) => o.trim()).filter(Boolean);
    if (["likert", "nps"].includes(kind.value)) Object.assign(args, { low: low.value.trim(), high: high.value.trim() });
    submit(args);
    done();
  });
  return form;
}
