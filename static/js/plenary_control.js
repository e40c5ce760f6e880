// The conductor's plenary (data-slot="plenary-control"): the questions of the plenary in focus
// with their moderation (pre-moderation on or off, approve, hide and show again, pin and unpin,
// mark answered), sorted by votes or newest; and the polls: prepare one (kind, question,
// options, limit, session, results live or on closing), edit or remove a draft, open, close,
// and the results live (the staff always see them).

import { fill, h, newId, setText, syncList } from "./dom.js";
import { kindText } from "./forum.js";
import { allPolls, openPoll } from "./hall_polls.js";
import { isPublic, moderated, questionsOf, sortQuestions } from "./hall_questions.js";
import { t } from "./i18n.js";
import { askedBy, follow, kindLine, plenaryInFocus, questionBadges } from "./plenary_common.js";
import { drawResults } from "./plenary_results.js";

export const POLL_KINDS = ["single", "multiple", "rating", "wordcloud", "text", "ranking"];

/** The conductor's plenary card. */
export function plenaryControl(hall, errors) {
  const focus = h("p", { class: "hint", "data-testid": "plenary-focus" });
  const questions = questionsPart(hall, errors);
  const polls = pollsPart(hall, errors);
  const root = h("section", { class: "card plenary-control", "aria-labelledby": "plen-h", "data-slot": "plenary-control",
    "data-testid": "plenary-control" }, h("h2", { id: "plen-h" }, t("cond.plenary")), focus, questions.el, polls.el);
  follow(hall, root, (s) => {
    const plenary = plenaryInFocus(s);
    setText(focus, plenary ? t("plen.c.focus", { title: plenary.title }) : t("plen.c.noPlenary"));
    questions.draw(s, plenary);
    polls.draw(s);
    errors.render();
  });
  return root;
}

// Questions -----------------------------------------------------------------------------------

function questionsPart(hall, errors) {
  const toggle = h("input", { type: "checkbox", id: "q-moderate", "data-testid": "q-moderate", "aria-describedby": "q-moderate-hint" });
  toggle.addEventListener("change", () => hall.send("questions.moderate", { on: toggle.checked }, "questions-c"));
  const sort = h("select", { id: "q-sort-c" }, ["votes", "newest"].map((by) => h("option", { value: by }, t(`plen.q.sort.${by}`))));
  const counts = h("p", { class: "hint", "data-testid": "q-counts" });
  const list = h("ul", { class: "questions questions-control", "data-testid": "questions" });
  const el = h("div", { class: "plenary-part" },
    h("h3", {}, t("plen.q.title")),
    h("div", { class: "choice" }, toggle, h("label", { for: "q-moderate" }, t("plen.c.moderate")),
      h("p", { class: "hint", id: "q-moderate-hint" }, t("plen.c.moderateHint"))),
    h("div", { class: "inline-fields" }, h("div", { class: "field" }, h("label", { for: "q-sort-c" }, t("plen.q.sort")), sort)),
    counts, errors.slot("questions-c"), list);
  let current = null;
  sort.addEventListener("change", () => current && draw(hall.state, current));

  function draw(s, plenary) {
    current = plenary;
    const waiting = hall.pending().some((p) => p.name === "questions.moderate");
    if (!waiting) toggle.checked = moderated(s);
    const all = plenary ? questionsOf(s, plenary.id) : [];
    const pending = all.filter((q) => q.pending).length;
    setText(counts, `${t("plen.q.count", { count: all.length })} · ${t("plen.c.pendingCount", { count: pending })}`);
    syncList(list, sortQuestions(all, sort.value), (q) => q.id, (q) => moderatedItem(hall, q), (li, q) => li._update(q, s.questions.pinned));
  }
  return { el, draw };
}

function moderatedItem(hall, q) {
  const textId = `qc-text-${q.id}`;
  const text = h("p", { class: "question-text", id: textId });
  const meta = h("span", {});
  const badges = h("p", { class: "badges" });
  const votes = h("span", { class: "question-votes", "data-testid": "q-votes" });
  const send = (name, args) => hall.send(name, { id: q.id, ...args }, "questions-c");
  const button = (testid, onclick, cls = "btn btn-small") =>
    h("button", { type: "button", class: cls, "data-testid": testid, "aria-describedby": textId, onclick });
  const approve = button("q-approve", () => send("question.approve", {}), "btn btn-small btn-primary");
  const hide = button("q-hide", () => send("question.hide", { hidden: !li._q.hidden }));
  const pin = button("q-pin", () => hall.send("question.pin", { id: li._pinned ? null : q.id }, "questions-c"));
  const answered = button("q-mark", () => send("question.answer", { answered: !li._q.answered }));
  const li = h("li", { class: "question", "data-question": q.id }, text, h("p", { class: "question-meta" }, meta, " · ", votes), badges,
    h("div", { class: "row question-tools" }, approve, pin, answered, hide));
  li._update = (now, pinned) => {
    li._q = now;
    li._pinned = now.id === pinned;
    setText(text, now.text);
    setText(meta, askedBy(now));
    setText(votes, t("plen.q.votes", { count: now.votes }));
    fill(badges, questionBadges(now, pinned));
    setText(approve, t("plen.c.approve"));
    approve.hidden = !now.pending;
    setText(hide, now.hidden ? t("plen.c.unhide") : t("plen.c.hide"));
    setText(pin, li._pinned ? t("plen.c.unpin") : t("plen.c.pin"));
    pin.hidden = !li._pinned && !(isPublic(now) && !now.answered);
    setText(answered, now.answered ? t("plen.c.unanswer") : t("plen.c.answer"));
    answered.hidden = now.pending;
  };
  return li;
}

// Polls ---------------------------------------------------------------------------------------

function pollsPart(hall, errors) {
  const open = h("div", { class: "poll-open", "data-testid": "poll-open" });
  const drafts = h("ul", { class: "poll-list", "data-testid": "poll-drafts" });
  const closed = h("ul", { class: "poll-list", "data-testid": "poll-closed" });
  const closedBox = h("details", { class: "poll-closed-box" }, h("summary", {}, t("plen.c.closedPolls")), closed);
  const create = pollForm(hall, null);
  const createBox = h("details", { class: "add-details", "data-testid": "poll-create" },
    h("summary", {}, t("plen.c.prepare")), create.el);
  const el = h("div", { class: "plenary-part" }, h("h3", {}, t("plen.p.titlePlural")), errors.slot("polls"),
    open, drafts, closedBox, createBox);
  const closeButton = h("button", { type: "button", class: "btn btn-small btn-danger", "data-testid": "poll-close" }, t("plen.c.close"));
  const openQuestion = h("p", { class: "poll-question" });
  const openMeta = h("p", { class: "hint" });
  const openResults = h("div", { class: "poll-results-box", "data-testid": "poll-results" });
  fill(open, h("p", { class: "eyebrow" }, `● ${t("plen.c.openNow")}`), openQuestion, openMeta, openResults, closeButton);
  create.onSent = () => { createBox.open = false; };

  function draw(s) {
    create.refresh(s);
    const current = openPoll(s);
    open.hidden = !current;
    if (current) {
      open.dataset.poll = current.id;
      setText(openQuestion, current.question);
      setText(openMeta, `${kindLine(current)} · ${revealText(current)}`);
      closeButton.onclick = () => hall.send("poll.close", { id: current.id }, "polls");
      drawResults(openResults, current);
    }
    const all = allPolls(s);
    syncList(drafts, all.filter((p) => p.status === "draft"), (p) => p.id, (p) => draftItem(hall, p, s),
      (li, p) => li._update(p, s));
    const done = all.filter((p) => p.status === "closed").reverse();
    closedBox.hidden = !done.length;
    syncList(closed, done, (p) => p.id, (p) => h("li", { class: "poll-item", "data-poll": p.id },
      h("p", { class: "poll-question" }, p.question), h("div", { class: "poll-results-box" })),
    (li, p) => drawResults(li.lastChild, p));
  }
  return { el, draw };
}

function revealText(poll) {
  return poll.reveal === "live" ? t("plen.c.revealLive") : t("plen.c.revealOnClose");
}

function draftItem(hall, poll, s) {
  const question = h("p", { class: "poll-question" });
  const meta = h("p", { class: "hint" });
  const textId = `pd-${poll.id}`;
  question.id = textId;
  const edit = pollForm(hall, poll);
  edit.refresh(s);
  const editBox = h("details", { class: "poll-edit" }, h("summary", {}, t("plen.c.edit")), edit.el);
  edit.onSent = () => { editBox.open = false; };
  const li = h("li", { class: "poll-item", "data-poll": poll.id }, h("p", { class: "eyebrow" }, t("plen.c.draft")), question, meta,
    h("div", { class: "row" },
      h("button", { type: "button", class: "btn btn-small btn-primary", "data-testid": "poll-open-button", "aria-describedby": textId,
        onclick: () => hall.send("poll.open", { id: poll.id }, "polls") }, t("plen.c.open")),
      h("button", { type: "button", class: "btn btn-small btn-danger", "aria-describedby": textId, onclick: () => {
        if (window.confirm(t("plen.c.removeConfirm", { question: li._poll.question }))) hall.send("poll.remove", { id: poll.id }, "polls");
      } }, t("plen.c.remove"))),
    editBox);
  li._update = (p, state) => {
    li._poll = p;
    setText(question, p.question);
    const options = p.options.length ? ` · ${p.options.map((o) => o.text).join(" / ")}` : "";
    const session = p.session ? state.agenda.sessions.find((x) => x.id === p.session)?.title : null;
    setText(meta, `${kindLine(p)} · ${revealText(p)}${session ? ` · ${session}` : ""}${options}`);
    edit.load(p, state);
  };
  return li;
}

/** The form that prepares a poll (`poll` null) or edits a draft. */
function pollForm(hall, poll) {
  const id = `pf-${poll ? poll.id : "new"}-${newId().slice(0, 4)}`;
  const kind = h("select", { id: `${id}-kind` }, POLL_KINDS.map((k) => h("option", { value: k }, t(`plen.kind.${k}`))));
  const question = h("input", { type: "text", id: `${id}-q`, maxlength: 300, required: true });
  const options = h("textarea", { id: `${id}-o`, rows: 3, "aria-describedby": `${id}-o-hint` });
  const max = h("input", { type: "number", id: `${id}-max`, min: 1, max: 12, inputmode: "numeric" });
  const session = h("select", { id: `${id}-s` });
  const reveal = ["live", "on_close"].map((r) => h("input", { type: "radio", name: `${id}-r`, id: `${id}-r-${r}`, value: r, checked: r === "live" }));
  const problem = h("p", { class: "form-problem", role: "alert" });
  const optionsField = h("div", { class: "field" }, h("label", { for: options.id }, t("plen.c.options")),
    h("p", { class: "hint", id: `${id}-o-hint` }, t("plen.c.optionsHint")), options);
  const maxLabel = h("label", { for: max.id });
  const maxField = h("div", { class: "field" }, maxLabel, max);
  const form = h("form", { class: "stack poll-form-c", novalidate: true },
    h("div", { class: "inline-fields" },
      h("div", { class: "field" }, h("label", { for: kind.id }, t("plen.c.kind")), kind),
      h("div", { class: "field" }, h("label", { for: session.id }, t("plen.c.session")), session)),
    h("div", { class: "field" }, h("label", { for: question.id }, t("plen.c.question")), question),
    optionsField, maxField,
    h("fieldset", { class: "field choices" }, h("legend", {}, t("plen.c.reveal")),
      reveal.map((r) => h("div", { class: "choice" }, r, h("label", { for: r.id }, t(r.value === "live" ? "plen.c.revealLive" : "plen.c.revealOnClose"))))),
    problem, h("button", { type: "submit", class: "btn btn-small btn-primary" }, poll ? t("plen.c.save") : t("plen.c.create")));
  const shape = () => {
    optionsField.hidden = !["single", "multiple", "ranking"].includes(kind.value);
    maxField.hidden = !["multiple", "wordcloud"].includes(kind.value);
    setText(maxLabel, kind.value === "wordcloud" ? t("plen.c.maxWords") : t("plen.c.maxChoices"));
    max.max = kind.value === "wordcloud" ? 5 : 12;
  };
  kind.addEventListener("change", shape);
  shape();
  let dirty = false;
  form.addEventListener("input", () => { dirty = true; });
  const api = { el: form, onSent: null };
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const args = { kind: kind.value, question: question.value.trim(), reveal: reveal.find((r) => r.checked).value,
      session: session.value || null };
    if (!args.question) return question.focus();
    if (!optionsField.hidden) {
      args.options = options.value.split("\n").map((x) => x.trim()).filter(Boolean);
      if (args.options.length < 2) {
        setText(problem, t("plen.c.needOptions"));
        return options.focus();
      }
    }
    if (!maxField.hidden && max.value) args.max = Number(max.value);
    setText(problem, "");
    hall.send(poll ? "poll.update" : "poll.create", poll ? { id: poll.id, ...args } : args, "polls");
    dirty = false;
    if (!poll) {
      question.value = "";
      options.value = "";
      max.value = "";
    }
    api.onSent?.();
    return undefined;
  });
  api.refresh = (s) => {
    const list = [["", t("plen.c.noSession")], ...s.agenda.sessions.map((x) => [x.id, `${x.title} (${kindText(x.kind)})`])];
    const key = list.map((o) => o.join("=")).join("|");
    if (session.dataset.key === key) return;
    const keep = session.value || (poll ? poll.session ?? "" : plenaryDefault(s));
    fill(session, list.map(([value, label]) => h("option", { value }, label)));
    session.value = list.some(([v]) => v === keep) ? keep : "";
    session.dataset.key = key;
  };
  api.load = (p, s) => {
    api.refresh(s);
    if (dirty) return;
    kind.value = p.kind;
    question.value = p.question;
    options.value = p.options.map((o) => o.text).join("\n");
    max.value = ["multiple", "wordcloud"].includes(p.kind) ? String(p.max) : "";
    session.value = p.session ?? "";
    for (const r of reveal) r.checked = r.value === p.reveal;
    shape();
  };
  return api;
}

function plenaryDefault(s) {
  const now = s.agenda.sessions.find((x) => x.id === s.agenda.now);
  return now?.kind === "plenary" ? now.id : "";
}
