// What the plenary's three views share: redrawing a part of the page from the hall's state
// while it is on the page, the words for a question's author and state, and the words for a
// poll's kind and for an answer.

import { h } from "./dom.js";
import { currentSession } from "./hall.js";
import { t } from "./i18n.js";

/**
 * Draw `root` from the hall's state now and after every change (batched to one redraw per
 * tick), and call `onEvent` for each event, for as long as `root` is on the page: a view
 * that was replaced (the forum moved on) stops listening.
 */
export function follow(conn, root, draw, onEvent = null) {
  let queued = false;
  let seen = false;
  const alive = () => {
    if (root.isConnected) seen = true;
    else if (seen) {
      conn.removeEventListener("state", schedule);
      if (onEvent) conn.removeEventListener("event", relay);
    }
    return root.isConnected;
  };
  const run = () => {
    queued = false;
    if (alive() && conn.state) draw(conn.state);
  };
  function schedule() {
    if (!queued) {
      queued = true;
      setTimeout(run, 0);
    }
  }
  function relay(e) {
    if (alive() && conn.state) onEvent(e.detail, conn.state);
  }
  conn.addEventListener("state", schedule);
  if (onEvent) conn.addEventListener("event", relay);
  schedule();
}

/** The plenary whose questions a view shows: the current session if a plenary, else the last one run. */
export function plenaryInFocus(state) {
  const now = currentSession(state);
  if (now?.kind === "plenary") return now;
  const plenaries = state.agenda.sessions.filter((x) => x.kind === "plenary");
  const started = plenaries.filter((x) => x.runs.length)
    .sort((a, b) => b.runs.at(-1)[0] - a.runs.at(-1)[0]);
  return started[0] || plenaries[0] || null;
}

/** Who asked, in words: never a name for an anonymous question. */
export function askedBy(q) {
  if (q.mine) return q.anonymous ? t("plen.q.youAnon") : t("plen.q.you");
  return q.anonymous || !q.author ? t("plen.q.anonymous") : t("plen.q.by", { name: q.author.name });
}

/** The question's state as badges: words with a symbol, never colour alone. */
export function questionBadges(q, pinned) {
  return [
    q.id === pinned ? h("span", { class: "badge badge-pin" }, `★ ${t("plen.q.pinned")}`) : null,
    q.pending ? h("span", { class: "badge badge-warn", "data-testid": "q-pending" }, `… ${t("plen.q.pending")}`) : null,
    q.hidden ? h("span", { class: "badge badge-warn", "data-testid": "q-hidden" }, `⊘ ${t("plen.q.hidden")}`) : null,
    q.answered ? h("span", { class: "badge badge-ok", "data-testid": "q-answered" }, `✓ ${t("plen.q.answered")}`) : null,
  ];
}

/** The option's text of a poll by id. */
export function optionText(poll, id) {
  return poll.options.find((o) => o.id === id)?.text ?? id;
}

/** An answer (in the shape of poll.answer) in words. */
export function answerText(poll, answer) {
  if (answer === null || answer === undefined) return "";
  switch (poll.kind) {
    case "single": return optionText(poll, answer);
    case "multiple": return answer.map((id) => optionText(poll, id)).join(", ");
    case "rating": return t("plen.p.ratingOf", { n: answer });
    case "wordcloud": return answer.join(", ");
    case "ranking": return answer.map((id, i) => `${i + 1}. ${optionText(poll, id)}`).join(", ");
    default: return String(answer);
  }
}

/** The kind of a poll in words (with its limit for a choice of several). */
export function kindLine(poll) {
  if (poll.kind === "multiple") return t("plen.p.hint.multiple", { max: poll.max });
  if (poll.kind === "wordcloud") return t("plen.p.hint.wordcloud", { count: poll.max });
  return t(`plen.p.hint.${poll.kind}`);
}
