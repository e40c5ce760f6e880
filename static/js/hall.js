// The client's replica of a forum's hall: the hall snapshot as full state, then every event
// applied in seq order by a reducer that mirrors the appliers of rooms/hall/ (forum, agenda,
// links, members) on what this audience receives (rooms/hall/projection.py). Redacted events
// (links, for non-staff) only advance seq.
//
// The plenary and assignment slices (questions, polls, assignment) plug in here with
// registerHallSlice(key, {fromSnapshot, appliers}): until one is registered its snapshot key is
// kept as the server sent it and its events only advance seq.

const slices = new Map();

/**
 * Add a slice's part of the replica: `fromSnapshot(value)` turns its snapshot key into state,
 * `appliers` maps event names to (state, data, event, viewer) => void, mutating `state[key]`.
 */
export function registerHallSlice(key, { fromSnapshot: load = (v) => v, appliers = {} }) {
  slices.set(key, { load, appliers });
}

/** The client state from a hall `snapshot` message's state. */
export function fromHallSnapshot(s) {
  const state = {
    hall: { ...s.hall, label: { ...s.hall.label } },
    seq: s.seq,
    agenda: {
      sessions: s.agenda.sessions.map(cloneSession),
      now: s.agenda.now,
      since: s.agenda.since,
    },
    links: s.links ? s.links.map((l) => ({ ...l })) : null,  // null: not staff
    members: new Map((s.members || []).map((m) => [m.id, { ...m }])),
  };
  for (const key of ["questions", "polls", "assignment"]) if (key in s) state[key] = s[key];
  for (const [key, slice] of slices) if (key in s) state[key] = slice.load(s[key]);
  return state;
}

function cloneSession(x) {
  return { ...x, rooms: (x.rooms || []).map((r) => ({ ...r })), runs: (x.runs || []).map((r) => [...r]) };
}

/** Apply one event (already checked to be the next seq) to `state` in place. */
export function applyHallEvent(state, event, viewer) {
  const d = event.data || {};
  if (!d.redacted) {
    const applier = APPLIERS[event.name];
    if (applier) applier(state, d, event, viewer);
    for (const slice of slices.values()) slice.appliers[event.name]?.(state, d, event, viewer);
  }
  state.seq = event.seq;
  return state;
}

function session(state, id) {
  return state.agenda.sessions.find((s) => s.id === id) || null;
}

/** Each session's planned start: its own, else right after the one before (as agenda.py). */
function replan(state) {
  let previousEnd = null;
  for (const s of state.agenda.sessions) {
    s.planned_start = s.start ?? previousEnd;
    previousEnd = s.planned_start === null ? null : s.planned_start + s.minutes * 60000;
  }
}

const APPLIERS = {
  "forum.updated": (s, d) => {
    if (d.title !== undefined) s.hall.title = d.title;
    if (d.topic !== undefined) s.hall.topic = d.topic;
  },
  // The event names the label only; its meaning is shown from the catalogue (i18n.js).
  "label.changed": (s, d) => { s.hall.label = { id: d.label, meaning: "" }; },

  "session.added": (s, d) => {
    const added = cloneSession({ id: d.id, kind: d.kind, title: d.title, start: d.start, minutes: d.minutes,
      rooms: d.rooms, runs: [] });
    s.agenda.sessions.splice(d.position, 0, added);
    replan(s);
  },
  "session.updated": (s, d) => {
    const found = session(s, d.id);
    if (!found) return;
    for (const key of ["title", "start", "minutes"]) if (d[key] !== undefined) found[key] = d[key];
    replan(s);
  },
  "session.removed": (s, d) => {
    s.agenda.sessions = s.agenda.sessions.filter((x) => x.id !== d.id);
    replan(s);
  },
  "session.moved": (s, d) => {
    const list = s.agenda.sessions;
    const at = list.findIndex((x) => x.id === d.id);
    if (at < 0) return;
    const [moved] = list.splice(at, 1);
    list.splice(d.position, 0, moved);
    replan(s);
  },
  "session.room_added": (s, d) => { session(s, d.session)?.rooms.push({ ...d.room }); },
  "session.room_updated": (s, d) => {
    const room = session(s, d.session)?.rooms.find((r) => r.id === d.room);
    if (!room) return;
    for (const key of ["title", "challenge", "capacity"]) if (d[key] !== undefined) room[key] = d[key];
  },
  "agenda.moved": (s, d, e) => {
    const previous = session(s, s.agenda.now);
    const run = previous?.runs.at(-1);
    if (run && run[1] === null) run[1] = e.at;
    const target = session(s, d.session);
    if (target) target.runs.push([e.at, null]);
    s.agenda.now = d.session;
    s.agenda.since = target ? e.at : null;
  },

  "link.issued": (s, d, e) => {
    if (s.links) s.links.push({ id: d.id, room: d.room, label: d.label, issued_at: e.at, revoked_at: null });
  },
  "link.revoked": (s, d, e) => {
    const link = s.links?.find((l) => l.id === d.id);
    if (link) link.revoked_at = e.at;
  },

  "member.joined": (s, d) => { s.members.set(d.id, { ...s.members.get(d.id), ...d }); },
};

// Views ---------------------------------------------------------------------------------------

/** The session the forum is in now, or null. */
export function currentSession(state) {
  return session(state, state.agenda.now);
}

/** The session after the current one in the agenda (the first one before the forum starts). */
export function nextSession(state) {
  const list = state.agenda.sessions;
  const at = list.findIndex((x) => x.id === state.agenda.now);
  return list[at + 1] || null;
}

/** Every room of every hackathon session, with the session it belongs to. */
export function allRooms(state) {
  return state.agenda.sessions.flatMap((x) => x.rooms.map((r) => ({ ...r, session: x })));
}

/** The planned end of a session (ms), or null when its planned start is not known. */
export function plannedEnd(x) {
  return x.planned_start === null || x.planned_start === undefined ? null : x.planned_start + x.minutes * 60000;
}

/**
 * How late the forum runs, in ms (negative: ahead), at server time `now`: the current session's
 * overrun of its planned end, or how late it started, whichever is more; null with no plan.
 */
export function lateness(state, now) {
  const x = currentSession(state);
  if (!x || x.planned_start === null || x.planned_start === undefined || state.agenda.since === null) return null;
  return Math.max(state.agenda.since - x.planned_start, now - plannedEnd(x));
}
