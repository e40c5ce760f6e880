// The projector's plenary (data-slot="plenary-screen"): the pinned question large, the top of
// the public, unanswered questions by votes, and the poll of the moment with its results when
// the room may see them (else "results after the poll closes" and the number of answers).

import { fill, h, setText, syncList } from "./dom.js";
import { featuredPoll } from "./hall_polls.js";
import { pinnedQuestion, topQuestions } from "./hall_questions.js";
import { t } from "./i18n.js";
import { askedBy, follow, kindLine, plenaryInFocus } from "./plenary_common.js";
import { drawResults } from "./plenary_results.js";

const TOP = 5;  // what fits beside a poll at 1280x720 with the pinned question above

/** The projector's plenary screen. */
export function plenaryScreen(hall) {
  const pinnedText = h("p", { class: "proj-pinned-text", "data-testid": "pinned-text" });
  const pinnedMeta = h("p", { class: "proj-pinned-meta" });
  const pinned = h("div", { class: "proj-pinned", "data-testid": "pinned-question" },
    h("p", { class: "eyebrow" }, `★ ${t("plen.q.pinned")}`), pinnedText, pinnedMeta);
  const top = h("ol", { class: "proj-questions", "data-testid": "top-questions" });
  const none = h("p", { class: "muted" }, t("plen.s.none"));
  const questions = h("section", { class: "proj-qs", "aria-labelledby": "proj-q-h" },
    h("h2", { id: "proj-q-h" }, t("plen.s.top")), pinned, none, top);
  const pollQuestion = h("p", { class: "proj-poll-question", "data-testid": "poll-question" });
  const pollKind = h("p", { class: "hint" });
  const pollStatus = h("p", { class: "poll-status", "data-testid": "poll-status" });
  const hidden = h("p", { class: "proj-poll-hidden", "data-testid": "poll-hidden-results" });
  const results = h("div", { class: "poll-results-box", "data-testid": "poll-results" });
  const poll = h("section", { class: "proj-poll", "aria-labelledby": "proj-p-h", "data-testid": "poll" },
    h("h2", { id: "proj-p-h" }, t("plen.p.title")), pollQuestion, pollKind, pollStatus, hidden, results);
  const root = h("section", { class: "proj-plenary", "aria-label": t("proj.plenaryTitle"), "data-slot": "plenary-screen",
    "data-testid": "plenary" }, questions, poll);
  follow(hall, root, (s) => {
    const plenary = plenaryInFocus(s);
    const pin = pinnedQuestion(s);
    pinned.hidden = !pin;
    if (pin) {
      setText(pinnedText, pin.text);
      setText(pinnedMeta, `${askedBy(pin)} · ${t("plen.q.votes", { count: pin.votes })}`);
    }
    const list = plenary ? topQuestions(s, plenary.id, TOP) : [];
    none.hidden = Boolean(pin || list.length);
    syncList(top, list, (q) => q.id, (q) => h("li", { class: "proj-question", "data-question": q.id },
      h("span", { class: "proj-question-text" }), " ", h("span", { class: "proj-question-votes", "data-testid": "q-votes" })),
    (li, q) => {
      setText(li.firstChild, q.text);
      setText(li.lastChild, t("plen.q.votes", { count: q.votes }));
    });
    const current = featuredPoll(s);
    poll.hidden = !current;
    root.classList.toggle("proj-plenary-poll", Boolean(current));
    if (!current) return;
    poll.dataset.poll = current.id;
    setText(pollQuestion, current.question);
    setText(pollKind, kindLine(current));
    setText(pollStatus, current.status === "open" ? `● ${t("plen.p.open")}` : `■ ${t("plen.p.closed")}`);
    hidden.hidden = Boolean(current.results);
    setText(hidden, t("plen.p.afterClose", { count: current.answers }));
    results.hidden = !current.results;
    if (current.results) drawResults(results, current);
    else fill(results);
  });
  return root;
}
