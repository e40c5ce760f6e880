// The hall's audience questions in the client replica: the `questions` snapshot key, then the
// fold of docs/protocol.md ("Audience questions", "A client's fold") on the events as this
// audience receives them (rooms/hall/question_views.py). Redacted events never reach here
// (hall.js only advances seq); events about a question we do not hold change nothing.

import { registerHallSlice } from "./hall.js";

function fromSnapshot(value) {
  const v = value || {};
  return {
    moderated: Boolean(v.moderated),
    pinned: v.pinned ?? null,
    items: new Map((v.items || []).map((q) => [q.id, { ...q }])),
  };
}

/** The slice's state, made empty when the server sent none (an older hall). */
function slice(state) {
  if (!state.questions) state.questions = fromSnapshot(null);
  return state.questions;
}

function update(state, id, change) {
  const q = slice(state).items.get(id);
  if (q) Object.assign(q, change);
}

const appliers = {
  "question.asked": (s, d) => { slice(s).items.set(d.id, { ...d }); },
  "question.approved": (s, d) => {
    if (d.question) slice(s).items.set(d.id, { ...d.question });
    else update(s, d.id, { pending: false });
  },
  "question.withdrawn": (s, d) => {
    const qs = slice(s);
    qs.items.delete(d.id);
    if (qs.pinned === d.id) qs.pinned = null;
  },
  "question.hidden": (s, d, e, viewer) => {
    const qs = slice(s);
    if (d.question) return void qs.items.set(d.id, { ...d.question });
    const q = qs.items.get(d.id);
    if (!q) return undefined;
    // The staff and the author keep a hidden question (marked); everyone else loses it.
    if (!d.hidden || q.mine || viewer?.facilitator) q.hidden = d.hidden;
    else qs.items.delete(d.id);
    return undefined;
  },
  "question.answered": (s, d) => update(s, d.id, { answered: d.answered }),
  "question.upvoted": (s, d) => update(s, d.id, votesOf(d)),
  "question.unvoted": (s, d) => update(s, d.id, votesOf(d)),
  "question.pinned": (s, d) => { slice(s).pinned = d.id; },
  "questions.moderated": (s, d) => { slice(s).moderated = d.on; },
};

function votesOf(d) {
  return d.voted === undefined ? { votes: d.votes } : { votes: d.votes, voted: d.voted };
}

registerHallSlice("questions", { fromSnapshot, appliers });

// Views ---------------------------------------------------------------------------------------

/** The questions of one session (the plenary shown), in the order asked. */
export function questionsOf(state, session) {
  return [...slice(state).items.values()].filter((q) => q.session === session);
}

/** Whether everyone sees the question (approved, not hidden). */
export function isPublic(q) {
  return !q.pending && !q.hidden;
}

const seqOf = (q) => Number(String(q.id).slice(1)) || 0;

/** Sorted as the protocol says: by votes (ties oldest first) or newest first. */
export function sortQuestions(list, by) {
  const newest = (a, b) => b.at - a.at || seqOf(b) - seqOf(a);
  const votes = (a, b) => b.votes - a.votes || a.at - b.at || seqOf(a) - seqOf(b);
  return [...list].sort(by === "newest" ? newest : votes);
}

/** The projector's list: public, unanswered, not pinned, most upvoted first. */
export function topQuestions(state, session, count) {
  const pinned = slice(state).pinned;
  const open = questionsOf(state, session).filter((q) => isPublic(q) && !q.answered && q.id !== pinned);
  return sortQuestions(open, "votes").slice(0, count);
}

/** The pinned question, or null. */
export function pinnedQuestion(state) {
  const qs = slice(state);
  return qs.pinned ? qs.items.get(qs.pinned) || null : null;
}

/** Whether pre-moderation is on. */
export function moderated(state) {
  return slice(state).moderated;
}
