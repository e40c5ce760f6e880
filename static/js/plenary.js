// The participant's plenary (data-slot="plenary"): ask a question (anonymously if they wish:
// then nobody, the organizer included, sees who asked), the current plenary's questions sorted
// by votes or newest with one upvote per person, their own questions marked (to withdraw, and
// "waiting for approval" under pre-moderation), and the open poll: answer, change, clear,
// and its results when they may be seen.

import { announce, fill, h, setText, syncList } from "./dom.js";
import { featuredPoll } from "./hall_polls.js";
import { isPublic, moderated, questionsOf, sortQuestions } from "./hall_questions.js";
import { t } from "./i18n.js";
import { answerForm } from "./plenary_answer.js";
import { answerText, askedBy, follow, kindLine, plenaryInFocus, questionBadges } from "./plenary_common.js";
import { drawResults } from "./plenary_results.js";

/** The participant's plenary panel, drawn from the hall's state while on the page. */
export function plenaryPanel(hall, errors) {
  const poll = pollPart(hall, errors);
  const questions = questionsPart(hall, errors);
  const root = h("div", { class: "plenary", "data-slot": "plenary", "data-testid": "plenary" }, poll.el, questions.el);
  follow(hall, root, (s) => {
    poll.draw(s);
    questions.draw(s);
    errors.render();
  }, (e, s) => {
    if (e.name === "poll.opened") announce(t("plen.announce.opened", { question: e.data.poll?.question ?? "" }));
    if (e.name === "poll.closed") announce(t("plen.announce.closed", { question: e.data.poll?.question ?? "" }));
    if (e.name === "question.approved" && s.questions.items.get(e.data.id)?.mine) announce(t("plen.announce.approved"));
  });
  return root;
}

// Questions -----------------------------------------------------------------------------------

function questionsPart(hall, errors) {
  let sortBy = "votes";
  const list = h("ul", { class: "questions", "data-testid": "questions" });
  const empty = h("p", { class: "muted" }, t("plen.q.none"));
  const note = h("p", { class: "hint", "data-testid": "moderated-note" });
  const sort = h("fieldset", { class: "field choices sort-choices" }, h("legend", {}, t("plen.q.sort")),
    ["votes", "newest"].map((by) => h("div", { class: "choice" },
      h("input", { type: "radio", name: "q-sort", id: `q-sort-${by}`, value: by, checked: by === sortBy,
        onchange: () => { sortBy = by; draw(hall.state); } }),
      h("label", { for: `q-sort-${by}` }, t(`plen.q.sort.${by}`)))));
  const el = h("section", { class: "card plenary-questions", "aria-labelledby": "plen-q-h" },
    h("h2", { id: "plen-q-h" }, t("plen.q.title")), askForm(hall, errors, note), sort,
    errors.slot("questions"), empty, list);

  function draw(s) {
    const plenary = plenaryInFocus(s);
    setText(note, moderated(s) ? t("plen.q.moderatedNote") : "");
    note.hidden = !moderated(s);
    const shown = sortQuestions(plenary ? questionsOf(s, plenary.id) : [], sortBy);
    empty.hidden = shown.length > 0;
    const waiting = new Set(hall.pending().filter((p) => p.name.startsWith("question.") && !p.answered).map((p) => p.args.id));
    syncList(list, shown, (q) => q.id, (q) => questionItem(hall, q), (li, q) => li._update(q, s.questions.pinned, waiting.has(q.id)));
  }
  return { el, draw };
}

function askForm(hall, errors, note) {
  const area = h("textarea", { id: "ask-text", rows: 2, maxlength: 300, "aria-describedby": "ask-hint" });
  const anon = h("input", { type: "checkbox", id: "ask-anon", "aria-describedby": "ask-anon-hint" });
  const form = h("form", { class: "stack", "data-testid": "ask-form" },
    h("div", { class: "field" }, h("label", { for: "ask-text" }, t("plen.q.ask")),
      h("p", { class: "hint", id: "ask-hint" }, t("plen.q.askHint")), area),
    h("div", { class: "choice" }, anon, h("label", { for: "ask-anon" }, t("plen.q.anon")),
      h("p", { class: "hint", id: "ask-anon-hint" }, t("plen.q.anonHint"))),
    note, h("div", { class: "row" }, h("button", { type: "submit", class: "btn btn-primary" }, t("plen.q.send"))),
    errors.slot("question-ask"));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const text = area.value.trim();
    if (!text) return area.focus();
    hall.send("question.ask", { text, anonymous: anon.checked }, "question-ask");
    area.value = "";
    return area.focus();
  });
  return form;
}

function questionItem(hall, q) {
  const textId = `q-text-${q.id}`;
  const text = h("p", { class: "question-text", id: textId });
  const meta = h("p", { class: "question-meta" });
  const badges = h("p", { class: "badges" });
  const votes = h("span", { class: "question-votes", "data-testid": "q-votes" });
  const upvote = h("button", { type: "button", class: "btn btn-small", "data-testid": "q-upvote", "aria-describedby": textId });
  const withdraw = h("button", { type: "button", class: "btn btn-small btn-quiet", "data-testid": "q-withdraw",
    "aria-describedby": textId, onclick: () => {
      if (window.confirm(t("plen.q.withdrawConfirm"))) hall.send("question.withdraw", { id: q.id }, "questions");
    } }, t("plen.q.withdraw"));
  const li = h("li", { class: "question", "data-question": q.id }, text, meta, badges, h("div", { class: "row" }, votes, upvote, withdraw));
  li._update = (now, pinned, waiting) => {
    li.classList.toggle("question-mine", Boolean(now.mine));
    li.dataset.mine = now.mine ? "true" : "false";
    setText(text, now.text);
    setText(meta, askedBy(now));
    fill(badges, questionBadges(now, pinned));
    setText(votes, now.voted ? t("plen.q.votesWithYours", { count: now.votes }) : t("plen.q.votes", { count: now.votes }));
    setText(upvote, now.voted ? t("plen.q.unvote") : `▲ ${t("plen.q.upvote")}`);
    upvote.hidden = !isPublic(now);
    upvote.disabled = waiting;
    upvote.onclick = () => hall.send(now.voted ? "question.unvote" : "question.upvote", { id: now.id }, "questions");
    withdraw.hidden = !now.mine;
  };
  return li;
}

// The poll ------------------------------------------------------------------------------------

function pollPart(hall, errors) {
  const question = h("p", { class: "poll-question", "data-testid": "poll-question" });
  const kind = h("p", { class: "hint" });
  const status = h("p", { class: "poll-status", "data-testid": "poll-status" });
  const formSlot = h("div", {});
  const results = h("div", { class: "poll-results-box", "data-testid": "poll-results" });
  const waiting = h("p", { class: "hint", "data-testid": "poll-hidden-results" });
  const el = h("section", { class: "card plenary-poll", "aria-labelledby": "plen-p-h", "data-testid": "poll", hidden: true },
    h("h2", { id: "plen-p-h" }, t("plen.p.title")), question, kind, status, formSlot, waiting, results);
  let form = null;
  let key = null;

  function draw(s) {
    const poll = featuredPoll(s);
    el.hidden = !poll;
    if (!poll) {
      form = null;
      key = null;
      fill(formSlot);
      return;
    }
    el.dataset.poll = poll.id;
    el.dataset.status = poll.status;
    setText(question, poll.question);
    setText(kind, kindLine(poll));
    setText(status, poll.status === "open" ? `● ${t("plen.p.open")}` : `■ ${t("plen.p.closed")}`);
    if (`${poll.id}:${poll.status}` !== key) {
      key = `${poll.id}:${poll.status}`;
      form = poll.status === "open" ? answerForm(hall, errors, poll) : null;
      fill(formSlot, form?.el ?? null, poll.status === "closed" && poll.mine != null
        ? h("p", { class: "poll-mine", "data-testid": "poll-mine" }, t("plen.p.mine", { answer: answerText(poll, poll.mine) })) : null);
    }
    form?.update(poll);
    results.hidden = !poll.results;
    waiting.hidden = Boolean(poll.results);
    setText(waiting, t("plen.p.afterClose", { count: poll.answers }));
    if (poll.results) drawResults(results, poll);
    else fill(results);
  }
  return { el, draw };
}
