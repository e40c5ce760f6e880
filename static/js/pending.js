// What a person sees of their own changes before the server confirms them: the confirmed
// replica (state.js) with the commands still in the outbox laid over it, each marked as
// waiting. Offline, a reaction or a comment shows at once, so nobody taps again and undoes it.
// Pure: no DOM, no socket (unit-tested in tests/client/pending.test.mjs).
//
// Votes are left to board.js `myVotes` (it counts the outbox itself) and new ideas to the
// idea form's waiting list; this overlays reactions, comments, edits and deletions of ideas.

// Own events that answer a pending command before its ack arrives: from then on the confirmed
// state holds the change, and laying the command over it again would count it twice.
export const ANSWERS = {
  "vote.cast": (e, args, me) => e.name === "vote.cast" && e.data.voter === me && e.data.idea === args.idea,
  "vote.retract": (e, args, me) => e.name === "vote.retracted" && e.data.voter === me && e.data.idea === args.idea,
  "idea.add": (e, args, me) => e.name === "idea.added" && e.data.author === me,
  "idea.edit": (e, args, me) => e.name === "idea.edited" && e.actor === me && e.data.id === args.id,
  "idea.delete": (e, args) => e.name === "idea.deleted" && e.data.id === args.id,
  "comment.add": (e, args, me) => e.name === "comment.added" && e.data.author === me && e.data.idea === args.idea,
  "comment.delete": (e, args) => e.name === "comment.deleted" && e.data.id === args.id,
  "reaction.toggle": (e, args, me) => e.name === "reaction.toggled" && e.data.by === me
    && e.data.idea === args.idea && e.data.reaction === args.reaction,
};

/** Whether `event` answers the outbox `entry` of person `me`. */
export function answers(entry, event, me) {
  return Boolean(ANSWERS[entry.name]?.(event, entry.args, me));
}

const OVERLAID = new Set(["idea.edit", "idea.delete", "comment.add", "comment.delete", "reaction.toggle"]);

/**
 * The state to show: `state` itself when nothing of `outbox` is waiting, else a copy whose
 * touched ideas carry the waiting changes and `pending` marks:
 * idea.pending = {text, deleted, reactions: [ids]}; a waiting comment has `pending: true`
 * (a new one an id "pending:<op>"), a comment waiting to be deleted `deleting: true`.
 */
export function overlay(state, outbox, me) {
  const waiting = outbox.filter((e) => !e.answered && OVERLAID.has(e.name));
  if (!state || !waiting.length) return state;
  const ideas = new Map(state.ideas);
  const touched = (id) => {
    const idea = ideas.get(id);
    if (!idea) return null;
    if (!idea.pending) {
      ideas.set(id, {
        ...idea,
        comments: idea.comments.map((c) => ({ ...c })),
        reactions: Object.fromEntries(Object.entries(idea.reactions).map(([k, v]) => [k, [...v]])),
        pending: { text: false, deleted: false, reactions: [] },
      });
    }
    return ideas.get(id);
  };
  for (const entry of waiting) {
    const a = entry.args || {};
    const idea = touched(entry.name.startsWith("idea.") ? a.id : a.idea);
    if (idea) LAYERS[entry.name](idea, a, me, entry);
  }
  return { ...state, ideas };
}

const LAYERS = {
  "idea.edit": (idea, a) => {
    idea.text = a.text;
    idea.pending.text = true;
  },
  "idea.delete": (idea) => { idea.pending.deleted = true; },
  "comment.add": (idea, a, me, entry) => {
    idea.comments.push({ id: `pending:${entry.op}`, author: me, text: a.text, at: null, pending: true });
  },
  "comment.delete": (idea, a) => {
    const comment = idea.comments.find((c) => c.id === a.id);
    if (comment) Object.assign(comment, { pending: true, deleting: true });
  },
  "reaction.toggle": (idea, a, me) => {
    const who = (idea.reactions[a.reaction] || []).filter((p) => p !== me);
    if (!(idea.reactions[a.reaction] || []).includes(me)) who.push(me);
    if (who.length) idea.reactions[a.reaction] = who;
    else delete idea.reactions[a.reaction];
    const marks = idea.pending.reactions;
    // Two taps while offline cancel out: the reaction is back as it was, nothing waits.
    if (marks.includes(a.reaction)) marks.splice(marks.indexOf(a.reaction), 1);
    else marks.push(a.reaction);
  },
};
