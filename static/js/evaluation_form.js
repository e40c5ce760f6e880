// The participant's questionnaire (docs/protocol.md "Evaluation questionnaire"): one fieldset
// per question (radio groups for scores and choices, a text area for free text), each answer
// sent on its own the moment it changes (evaluation.answer through the outbox, so a dropped
// connection loses nothing), with a visible state per question: waiting to be sent, or saved.
// Answers come back from the snapshot on reload; what the person is typing is never replaced.

import { fill, h, newId, setText } from "./dom.js";
import { t } from "./i18n.js";
import { follow } from "./plenary_common.js";
import { evaluationOf } from "./evaluation.js";

const ORIGIN = "evaluation";

/** The questionnaire form, following the hall: {el}. */
export function evaluationForm(hall, errors) {
  const intro = h("p", { class: "hint", "data-testid": "eval-progress" });
  const closed = h("p", { class: "lead", "data-testid": "eval-closed", hidden: true }, t("eval.closedThanks"));
  const list = h("div", { class: "stack eval-questions" });
  const el = h("section", { class: "card eval-form", "aria-labelledby": "eval-h", "data-testid": "eval-form" },
    h("h2", { id: "eval-h" }, t("eval.title")), h("p", {}, t("eval.intro")), intro, closed,
    errors.slot(ORIGIN), list);
  let shape = null;
  let items = [];
  follow(hall, el, (s) => {
    const e = evaluationOf(s);
    const key = e.questions.map((q) => q.id).join("|");
    if (key !== shape) {
      shape = key;
      items = e.questions.map((q, i) => questionItem(hall, q, i));
      fill(list, items.map((x) => x.el));
    }
    const pending = hall.pending().filter((p) => p.name.startsWith("evaluation."));
    for (const item of items) item.update(e, pending);
    const answered = e.questions.filter((q) => q.id in e.mine).length;
    setText(intro, t("eval.progress", { count: answered, total: e.questions.length }));
    closed.hidden = e.status !== "closed";
    errors.render();
  });
  return { el };
}

function questionItem(hall, q, index) {
  const id = `ev-${q.id}-${newId().slice(0, 4)}`;
  const status = h("p", { class: "eval-status", "data-testid": `eval-status-${q.id}`, "aria-live": "polite" });
  const input = INPUTS[q.kind](q, id, (answer) => hall.send("evaluation.answer", { question: q.id, answer }, ORIGIN));
  const clear = h("button", { type: "button", class: "btn btn-quiet btn-small", "data-testid": `eval-clear-${q.id}`,
    onclick: () => hall.send("evaluation.clear", { question: q.id }, ORIGIN) }, t("eval.clear"));
  const required = q.required ? t("eval.required") : t("eval.optional");
  const el = h("fieldset", { class: "field eval-question", "data-testid": `eval-q-${q.id}`, "data-kind": q.kind },
    h("legend", {}, h("span", { class: "eval-number" }, `${index + 1}. `), q.text, " ",
      h("span", { class: "hint eval-required" }, `(${required})`)),
    input.el, h("div", { class: "row" }, status, clear));
  return {
    el,
    update(e, pending) {
      const mine = pending.filter((p) => p.args.question === q.id).at(-1);
      const open = e.status === "open";
      const has = q.id in e.mine;
      // What is on its way wins over what the server said last: the person's newest choice.
      const value = mine ? (mine.name === "evaluation.clear" ? null : mine.args.answer) : (has ? e.mine[q.id] : null);
      input.set(value, open);
      clear.hidden = !open || (!has && !mine) || mine?.name === "evaluation.clear";
      el.dataset.state = mine ? "waiting" : has ? "saved" : "empty";
      setText(status, mine ? t("eval.waiting") : has ? t("eval.saved") : q.required ? t("eval.notYet") : "");
    },
  };
}

function scale(q, id, values, send) {
  const hintId = `${id}-ends`;
  const described = q.low || q.high ? hintId : null;
  const radios = values.map((v) => h("input", { type: "radio", name: id, id: `${id}-${v}`, value: String(v),
    "aria-describedby": described }));
  const ends = q.low || q.high
    ? h("p", { class: "hint eval-ends", id: hintId },
      t("eval.ends", { low: q.low || values[0], high: q.high || values.at(-1), min: values[0], max: values.at(-1) }))
    : null;
  const group = h("div", { class: `eval-scale eval-scale-${values.length}` }, values.map((v, i) => h("span", { class: "eval-point" }, radios[i], h("label", { for: radios[i].id }, String(v)))));
  group.addEventListener("change", (e) => send(Number(e.target.value)));
  return {
    el: h("div", {}, ends, group),
    set(value, open) {
      for (const r of radios) {
        r.checked = value !== null && r.value === String(value);
        r.disabled = !open;
      }
    },
  };
}

function choice(q, id, send) {
  const radios = q.options.map((o, i) => h("input", { type: "radio", name: id, id: `${id}-${i}`, value: o }));
  const group = h("div", { class: "choices" },
    q.options.map((o, i) => h("div", { class: "choice" }, radios[i], h("label", { for: radios[i].id }, o))));
  group.addEventListener("change", (e) => send(e.target.value));
  return {
    el: group,
    set(value, open) {
      for (const r of radios) {
        r.checked = r.value === value;
        r.disabled = !open;
      }
    },
  };
}

function text(q, id, send) {
  const label = h("label", { for: id, class: "visually-hidden" }, q.text);
  const area = h("textarea", { id, rows: 3, maxlength: 1000, "data-testid": `eval-text-${q.id}` });
  const save = h("button", { type: "button", class: "btn btn-small" }, t("eval.saveText"));
  let sent = null;
  const submit = () => {
    const value = area.value.trim();
    if (!value || value === sent) return;
    sent = value;
    send(value);
  };
  area.addEventListener("change", submit);
  save.addEventListener("click", submit);
  return {
    el: h("div", { class: "stack" }, label, area, h("p", { class: "hint" }, t("eval.textHint")), save),
    set(value, open) {
      sent = value;
      // Never overwrite what the person is typing.
      if (document.activeElement !== area) area.value = value ?? "";
      area.disabled = !open;
      save.disabled = !open;
    },
  };
}

const INPUTS = {
  likert: (q, id, send) => scale(q, id, [1, 2, 3, 4, 5], send),
  nps: (q, id, send) => scale(q, id, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], send),
  choice,
  text,
};
