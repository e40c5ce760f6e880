// The hall's polls in the client replica: the `polls` snapshot key, then each poll event as
// this audience receives it (docs/protocol.md "Polls", rooms/hall/polls.py): drafts for the
// staff only, `poll.opened`/`poll.closed` carrying the whole poll as the receiver may see it,
// answer events carrying the count, the person's own answer to them alone, and the results
// when the receiver may see them (for open texts: the change, `added` and `removed`).

import { registerHallSlice } from "./hall.js";

function fromSnapshot(value) {
  const v = value || {};
  return { open: v.open ?? null, list: new Map((v.list || []).map((p) => [p.id, clone(p)])) };
}

function clone(p) {
  const copy = { ...p, options: (p.options || []).map((o) => ({ ...o })) };
  if (p.results?.texts) copy.results = { ...p.results, texts: p.results.texts.map((x) => ({ ...x })) };
  return copy;
}

function slice(state) {
  if (!state.polls) state.polls = fromSnapshot(null);
  return state.polls;
}

/** A draft from the data of `poll.created` / `poll.updated` (staff only). */
function definition(s, d) {
  const polls = slice(s).list;
  const was = polls.get(d.id);
  polls.set(d.id, { status: "draft", opened_at: null, closed_at: null, answers: 0, ...was, ...clone(d) });
}

/** `poll.opened` / `poll.closed`: the poll as the receiver sees it; one's own answer is kept. */
function whole(s, d) {
  const polls = slice(s).list;
  const mine = polls.get(d.id)?.mine;
  const poll = clone(d.poll);
  if (mine !== undefined) poll.mine = mine;
  polls.set(d.id, poll);
}

function answer(s, d) {
  const p = slice(s).list.get(d.poll);
  if (!p) return;
  p.answers = d.answers;
  if ("answer" in d) p.mine = d.answer;
  if (d.results) p.results = d.results;
  if (("added" in d || "removed" in d) && p.results?.texts) {
    // Open texts arrive as the change; without a list (results were hidden) there is nothing to change.
    p.results.texts = p.results.texts.filter((x) => x.id !== d.removed);
    if (d.added) p.results.texts.push({ ...d.added });
  }
}

const appliers = {
  "poll.created": definition,
  "poll.updated": definition,
  "poll.removed": (s, d) => { slice(s).list.delete(d.id); },
  "poll.opened": (s, d) => {
    whole(s, d);
    slice(s).open = d.id;
  },
  "poll.closed": (s, d) => {
    whole(s, d);
    if (slice(s).open === d.id) slice(s).open = null;
  },
  "poll.answered": answer,
  "poll.cleared": answer,
};

registerHallSlice("polls", { fromSnapshot, appliers });

// Views ---------------------------------------------------------------------------------------

/** Every poll this receiver may see, in the order created. */
export function allPolls(state) {
  return [...slice(state).list.values()];
}

/** The open poll, or null. */
export function openPoll(state) {
  const polls = slice(state);
  return polls.open ? polls.list.get(polls.open) || null : null;
}

/**
 * The poll a screen shows: the open one, else the one closed last during the current session's
 * run (its results are the news of the moment), else null.
 */
export function featuredPoll(state) {
  const open = openPoll(state);
  if (open) return open;
  const since = state.agenda.since ?? Infinity;
  const closed = allPolls(state).filter((p) => p.status === "closed" && p.closed_at >= since);
  return closed.sort((a, b) => b.closed_at - a.closed_at)[0] || null;
}
