// The client's replica of a room: the snapshot as full state, then every event applied in seq
// order by a reducer that mirrors the appliers of rooms/ (board, voting, timer, phases, members)
// on the data this audience receives (rooms/projection.py). Redacted events only advance seq.

import { OUTCOME_APPLIERS, outcomesFromSnapshot } from "./outcomes_state.js";

/** The client state from a `snapshot` message's state. */
export function fromSnapshot(s) {
  const v = s.voting;
  return {
    room: { ...s.room },
    seq: s.seq,
    phases: s.phases,
    phase: s.phase,
    ideas: new Map(s.board.ideas.map((i) => [i.id, cloneIdea(i)])),
    clusters: new Map(s.board.clusters.map((c) => [c.id, { ...c }])),
    voting: {
      budget: v.budget, cap: v.cap, anonymous: v.anonymous, open: v.open, revealed: v.revealed,
      cast: v.cast, mine: [...v.mine],
      tallies: v.tallies ? { ...v.tallies } : null,
      ballots: v.ballots ? Object.fromEntries(Object.entries(v.ballots).map(([k, b]) => [k, [...b]])) : null,
    },
    timer: { ...s.timer },
    members: new Map(s.members.map((m) => [m.id, { ...m }])),
    outcomes: outcomesFromSnapshot(s.outcomes),
  };
}

function cloneIdea(i) {
  return {
    ...i,
    comments: i.comments.map((c) => ({ ...c })),
    reactions: Object.fromEntries(Object.entries(i.reactions).map(([k, v]) => [k, [...v]])),
  };
}

/**
 * Apply one event (already checked to be the next seq) to `state` in place.
 * `viewer` is {id, facilitator}: who this replica belongs to.
 */
export function applyEvent(state, event, viewer) {
  const d = event.data || {};
  if (!d.redacted) {
    const applier = APPLIERS[event.name];
    if (applier) applier(state, d, event, viewer);
  }
  state.seq = event.seq;
  return state;
}

function dropLast(list, value) {
  const at = list.lastIndexOf(value);
  if (at >= 0) list.splice(at, 1);
}

function bump(map, key, delta) {
  if (!map) return;
  const n = (map[key] || 0) + delta;
  if (n > 0) map[key] = n;
  else delete map[key];
}

const APPLIERS = {
  "room.created": (s, d) => {
    Object.assign(s.room, { title: d.title, challenge: d.challenge });
    s.phases = d.phases;
    s.phase = d.phases[0]?.id ?? null;
    Object.assign(s.voting, { budget: d.budget, cap: d.cap, anonymous: d.anonymous });
  },
  "room.updated": (s, d) => {
    if (d.title !== undefined) s.room.title = d.title;
    if (d.challenge !== undefined) s.room.challenge = d.challenge;
  },
  "phase.changed": (s, d) => { s.phase = d.phase; },
  "phase.allowed": (s, d) => {  // roomux-rules: e.g. the facilitator lets participants cluster
    const phase = s.phases.find((p) => p.id === d.phase);
    if (!phase) return;
    const rest = phase.allows.filter((c) => c !== d.capability);
    phase.allows = d.allowed ? [...rest, d.capability] : rest;
  },

  "idea.added": (s, d, e) => {
    s.ideas.set(d.id, {
      id: d.id, author: d.author, text: d.text, created_at: e.at, edited_at: null,
      cluster: null, hidden: false, comments: [], reactions: {},
    });
  },
  "idea.edited": (s, d, e) => {
    const idea = s.ideas.get(d.id);
    if (idea) Object.assign(idea, { text: d.text, edited_at: e.at });
  },
  "idea.deleted": (s, d, e, viewer) => {
    s.ideas.delete(d.id);
    // The dots on a deleted idea go back to their voters' budgets.
    const v = s.voting;
    v.mine = v.mine.filter((i) => i !== d.id);
    if (v.tallies) {
      v.cast -= v.tallies[d.id] || 0;
      delete v.tallies[d.id];
    }
    if (v.ballots) {
      for (const [voter, ballot] of Object.entries(v.ballots)) {
        const kept = ballot.filter((i) => i !== d.id);
        if (kept.length) v.ballots[voter] = kept;
        else delete v.ballots[voter];
      }
    }
  },
  "idea.hidden": (s, d, e, viewer) => {
    if (d.idea) {  // it comes back to someone who did not see it while hidden
      s.ideas.set(d.idea.id, cloneIdea(d.idea));
      return;
    }
    const idea = s.ideas.get(d.id);
    if (!idea) return;
    if (d.hidden && !viewer.facilitator && idea.author !== viewer.id) s.ideas.delete(d.id);
    else idea.hidden = d.hidden;
  },
  "idea.moved": (s, d) => {
    const idea = s.ideas.get(d.id);
    if (idea) idea.cluster = d.cluster;
  },
  "comment.added": (s, d, e) => {
    const idea = s.ideas.get(d.idea);
    if (idea) idea.comments.push({ id: d.id, author: d.author, text: d.text, at: e.at });
  },
  "comment.deleted": (s, d) => {
    const idea = s.ideas.get(d.idea);
    if (idea) idea.comments = idea.comments.filter((c) => c.id !== d.id);
  },
  "reaction.toggled": (s, d) => {
    const idea = s.ideas.get(d.idea);
    if (!idea) return;
    const who = (idea.reactions[d.reaction] || []).filter((p) => p !== d.by);
    if (d.on) who.push(d.by);
    if (who.length) idea.reactions[d.reaction] = who;
    else delete idea.reactions[d.reaction];
  },
  "cluster.created": (s, d) => { s.clusters.set(d.id, { id: d.id, title: d.title }); },
  "cluster.renamed": (s, d) => { s.clusters.set(d.id, { id: d.id, title: d.title }); },
  "cluster.deleted": (s, d) => {
    s.clusters.delete(d.id);
    for (const idea of s.ideas.values()) if (idea.cluster === d.id) idea.cluster = null;
  },

  "vote.cast": (s, d, e, viewer) => {
    const v = s.voting;
    v.cast += 1;
    if (d.voter !== undefined && d.voter === viewer.id) v.mine.push(d.idea);
    if (d.idea !== undefined) bump(v.tallies, d.idea, 1);
    if (v.ballots && d.voter !== undefined) (v.ballots[d.voter] ||= []).push(d.idea);
  },
  "vote.retracted": (s, d, e, viewer) => {
    const v = s.voting;
    v.cast = Math.max(0, v.cast - 1);
    if (d.voter !== undefined && d.voter === viewer.id) dropLast(v.mine, d.idea);
    if (d.idea !== undefined) bump(v.tallies, d.idea, -1);
    if (v.ballots && d.voter !== undefined && v.ballots[d.voter]) {
      dropLast(v.ballots[d.voter], d.idea);
      if (!v.ballots[d.voter].length) delete v.ballots[d.voter];
    }
  },
  "voting.configured": (s, d) => { Object.assign(s.voting, { budget: d.budget, cap: d.cap, anonymous: d.anonymous }); },
  "voting.opened": (s) => { s.voting.open = true; },
  "voting.closed": (s) => { s.voting.open = false; },
  "voting.revealed": (s, d) => {
    const v = s.voting;
    v.revealed = true;
    const seen = d.voting || {};
    if (seen.tallies) v.tallies = { ...seen.tallies };
    if (seen.ballots) v.ballots = Object.fromEntries(Object.entries(seen.ballots).map(([k, b]) => [k, [...b]]));
    if (typeof seen.cast === "number") v.cast = seen.cast;
    // `mine` is kept from our own vote events: the broadcast copy may not carry it.
  },
  "voting.hidden": (s, d, e, viewer) => {
    // Hidden again: what participants and observers saw of others' dots goes (roomux-rules).
    s.voting.revealed = false;
    if (!viewer.facilitator) Object.assign(s.voting, { tallies: null, ballots: null });
  },

  "timer.started": (s, d) => { s.timer = { status: "running", duration_ms: d.duration_ms, ends_at: d.ends_at, remaining_ms: 0 }; },
  "timer.paused": (s, d) => { s.timer = { ...s.timer, status: "paused", ends_at: 0, remaining_ms: d.remaining_ms }; },
  "timer.resumed": (s, d) => { s.timer = { ...s.timer, status: "running", ends_at: d.ends_at, remaining_ms: 0 }; },
  "timer.adjusted": (s, d) => {
    s.timer = { ...s.timer, duration_ms: d.duration_ms, ends_at: d.ends_at ?? 0, remaining_ms: d.remaining_ms ?? 0 };
  },
  "timer.stopped": (s) => { s.timer = { status: "idle", duration_ms: 0, ends_at: 0, remaining_ms: 0 }; },
  "timer.expired": (s) => { s.timer = { status: "expired", duration_ms: s.timer.duration_ms, ends_at: 0, remaining_ms: 0 }; },

  "member.joined": (s, d) => {
    s.members.set(d.id, { id: d.id, name: d.name, organization: d.organization, sector: d.sector,
      country: d.country, attendance: d.attendance });
  },
  ...OUTCOME_APPLIERS,
};

/** The current phase object, or null. */
export function currentPhase(state) {
  return state.phases.find((p) => p.id === state.phase) || null;
}

export function allows(state, capability) {
  const phase = currentPhase(state);
  return Boolean(phase && phase.allows.includes(capability));
}

/** Ideas in board order (creation order: ids are derived from the seq that made them). */
export function orderedIdeas(state) {
  const n = (id) => Number(id.replace(/\D/g, "")) || 0;
  return [...state.ideas.values()].sort((a, b) => n(a.id) - n(b.id));
}

/** Totals per idea and cluster, highest first, ties in board order (as rooms/voting.py). */
export function results(state) {
  const tallies = state.voting.tallies || {};
  const shown = orderedIdeas(state).filter((i) => !i.hidden);
  const ideas = ranked(shown.map((i) => ({ id: i.id, votes: tallies[i.id] || 0, cluster: i.cluster }))
    .sort((a, b) => b.votes - a.votes));
  const clusters = ranked([...state.clusters.keys()].map((c) => ({
    id: c, votes: shown.filter((i) => i.cluster === c).reduce((n, i) => n + (tallies[i.id] || 0), 0),
  })).sort((a, b) => b.votes - a.votes));
  return { ideas, clusters, total: ideas.reduce((n, i) => n + i.votes, 0) };
}

/** Standard competition ranks ("1, 1, 3") on rows sorted by votes, highest first. */
function ranked(rows) {
  rows.forEach((row, i) => { row.rank = i && rows[i - 1].votes === row.votes ? rows[i - 1].rank : i + 1; });
  return rows;
}

/** Remaining ms of the timer at server time `now`. */
export function remainingMs(timer, now) {
  if (timer.status === "running") return Math.max(0, timer.ends_at - now);
  if (timer.status === "paused") return timer.remaining_ms;
  return 0;
}
