// The participant's answer to the open poll: the input each kind needs (one option, several up
// to a limit, a rating of 1 to 5, words for a word cloud, an open text, a ranking made by moving
// options up and down with buttons), sent with poll.answer, changed by sending again, taken
// back with poll.clear. What the person has chosen but not sent survives live updates.

import { announce, fill, h, newId, setText } from "./dom.js";
import { t } from "./i18n.js";
import { answerText } from "./plenary_common.js";

/** The answer form of `poll` (open): {el, update(poll)}. */
export function answerForm(conn, errors, poll) {
  const id = `a-${poll.id}-${newId().slice(0, 6)}`;
  const input = INPUTS[poll.kind](poll, id);
  const problem = h("p", { class: "form-problem", role: "alert" });
  const mine = h("p", { class: "poll-mine", "data-testid": "poll-mine" });
  const send = h("button", { type: "submit", class: "btn btn-primary" });
  const clear = h("button", { type: "button", class: "btn btn-quiet", "data-testid": "poll-clear",
    onclick: () => conn.send("poll.clear", { poll: poll.id }, "poll") }, t("plen.p.clear"));
  const form = h("form", { class: "stack poll-form", "data-testid": "poll-form", novalidate: true },
    input.el, problem, h("div", { class: "row" }, send, clear), mine, errors.slot("poll"));
  let dirty = false;
  let shown;
  form.addEventListener("input", () => { dirty = true; });
  form.addEventListener("click", (e) => { if (e.target.closest?.("[data-move]")) dirty = true; });
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const value = input.read();
    if (value.error) {
      setText(problem, value.error);
      return;
    }
    setText(problem, "");
    dirty = false;
    conn.send("poll.answer", { poll: poll.id, answer: value.answer }, "poll");
  });
  const update = (p) => {
    const key = JSON.stringify(p.mine ?? null);
    if (key !== shown && !dirty) input.set(p.mine ?? null);
    shown = key;
    const has = p.mine !== null && p.mine !== undefined;
    setText(send, has ? t("plen.p.change") : t("plen.p.send"));
    clear.hidden = !has;
    setText(mine, has ? t("plen.p.mine", { answer: answerText(p, p.mine) }) : t("plen.p.notYet"));
  };
  update(poll);
  return { el: form, update };
}

function legend(poll) {
  return h("legend", { class: "visually-hidden" }, poll.question);
}

function choiceInputs(poll, id, type) {
  const boxes = poll.options.map((o) => h("input", { type, name: id, id: `${id}-${o.id}`, value: o.id }));
  const limit = () => {
    if (type !== "checkbox") return;
    const full = boxes.filter((b) => b.checked).length >= poll.max;
    for (const b of boxes) b.disabled = full && !b.checked;
  };
  const el = h("fieldset", { class: "field choices poll-choices" }, legend(poll),
    poll.options.map((o, i) => h("div", { class: "choice" }, boxes[i], h("label", { for: boxes[i].id }, o.text))));
  el.addEventListener("change", limit);
  return {
    el,
    set(mine) {
      const chosen = new Set(mine === null ? [] : [mine].flat());
      for (const b of boxes) b.checked = chosen.has(b.value);
      limit();
    },
    read() {
      const chosen = boxes.filter((b) => b.checked).map((b) => b.value);
      if (!chosen.length) return { error: t("plen.p.chooseOne") };
      return { answer: type === "radio" ? chosen[0] : chosen };
    },
  };
}

function rating(poll, id) {
  const radios = [1, 2, 3, 4, 5].map((n) => h("input", { type: "radio", name: id, id: `${id}-${n}`, value: String(n) }));
  const el = h("fieldset", { class: "field choices poll-rating" }, legend(poll),
    radios.map((r, i) => h("div", { class: "choice" }, r, h("label", { for: r.id }, t("plen.p.ratingOf", { n: i + 1 })))));
  return {
    el,
    set(mine) { for (const r of radios) r.checked = Number(r.value) === mine; },
    read() {
      const r = radios.find((x) => x.checked);
      return r ? { answer: Number(r.value) } : { error: t("plen.p.chooseRating") };
    },
  };
}

function words(poll, id) {
  const inputs = Array.from({ length: poll.max }, (_, i) =>
    h("input", { type: "text", id: `${id}-w${i}`, maxlength: 40, autocomplete: "off" }));
  const el = h("div", { class: "stack poll-words" }, inputs.map((x, i) => h("div", { class: "field" },
    h("label", { for: x.id }, poll.max > 1 ? t("plen.p.wordN", { n: i + 1 }) : t("plen.p.word")), x)));
  return {
    el,
    set(mine) { inputs.forEach((x, i) => { x.value = mine?.[i] ?? ""; }); },
    read() {
      const given = inputs.map((x) => x.value.trim().replace(/\s+/g, " ")).filter(Boolean);
      if (!given.length) return { error: t("plen.p.giveWord") };
      const keys = given.map((w) => w.toLocaleLowerCase());
      if (new Set(keys).size !== keys.length) return { error: t("plen.p.sameWord") };
      return { answer: given };
    },
  };
}

function text(poll, id) {
  const area = h("textarea", { id: `${id}-text`, rows: 3, maxlength: 500 });
  const el = h("div", { class: "field" }, h("label", { for: area.id }, t("plen.p.yourText")), area);
  return {
    el,
    set(mine) { area.value = mine ?? ""; },
    read() {
      const value = area.value.trim();
      return value ? { answer: value } : { error: t("plen.p.giveText") };
    },
  };
}

/** A ranking: the options as a list, each moved with "up" and "down" buttons (keyboard: Tab, Enter). */
function ranking(poll, id) {
  let order = poll.options.map((o) => o.id);
  const list = h("ol", { class: "ranking", "data-testid": "ranking" });
  const label = (oid) => poll.options.find((o) => o.id === oid)?.text ?? oid;
  const move = (oid, by, which) => {
    const at = order.indexOf(oid);
    const to = at + by;
    if (to < 0 || to >= order.length) return;
    order = [...order];
    [order[at], order[to]] = [order[to], order[at]];
    draw();
    // Keep the keyboard where it was: on the same button of the moved option, or its twin.
    const li = list.querySelector(`[data-option="${oid}"]`);
    const button = li.querySelector(`[data-move=${which}]`);
    (button.disabled ? li.querySelector(`[data-move=${which === "up" ? "down" : "up"}]`) : button).focus();
    announce(t("plen.p.movedTo", { option: label(oid), n: to + 1, total: order.length }));
  };
  const draw = () => fill(list, order.map((oid, i) => h("li", { class: "ranking-item", "data-option": oid },
    h("span", { class: "ranking-place", "aria-hidden": "true" }, `${i + 1}.`), " ",
    h("span", { class: "ranking-text" }, label(oid)),
    h("span", { class: "row ranking-tools" },
      h("button", { type: "button", class: "btn btn-small", "data-move": "up", disabled: i === 0,
        "aria-label": t("plen.p.moveUp", { option: label(oid) }), onclick: () => move(oid, -1, "up") }, "↑"),
      h("button", { type: "button", class: "btn btn-small", "data-move": "down", disabled: i === order.length - 1,
        "aria-label": t("plen.p.moveDown", { option: label(oid) }), onclick: () => move(oid, 1, "down") }, "↓")))));
  draw();
  const el = h("div", { class: "field" }, h("p", { class: "hint", id: `${id}-rank-hint` }, t("plen.p.rankHint")), list);
  list.setAttribute("aria-describedby", `${id}-rank-hint`);
  return {
    el,
    set(mine) {
      order = mine ? [...mine] : poll.options.map((o) => o.id);
      draw();
    },
    read() { return { answer: [...order] }; },
  };
}

const INPUTS = {
  single: (poll, id) => choiceInputs(poll, id, "radio"),
  multiple: (poll, id) => choiceInputs(poll, id, "checkbox"),
  rating, wordcloud: words, text, ranking,
};
