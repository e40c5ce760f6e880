// Who is in which room, in the client's replica of the hall (rooms/hall/assignment.py): per
// hackathon session its rooms (headcount and capacity for everyone; members and mix for staff)
// and, for a participant, their own room (`mine`).
//
// Every assignment event carries the session's rooms as they are now, in the shape of the
// snapshot for this audience, so the fold replaces them; the person an event concerns gets a
// frame of their own with `room`, their room now in that session (null: none). Staff frames
// carry the stored data (`member`, `room` of someone else), which is never the viewer's room.

import { registerHallSlice } from "./hall.js";

const EMPTY = () => ({ rooms: [], mine: null });

function cloneRoom(r) {
  return { ...r, members: r.members ? r.members.map((m) => ({ ...m })) : undefined };
}

function fromSnapshot(value) {
  const sessions = {};
  for (const [id, x] of Object.entries(value?.sessions || {})) {
    sessions[id] = { rooms: (x.rooms || []).map(cloneRoom), mine: x.mine ?? null };
  }
  return { sessions };
}

function fold(state, d) {
  state.assignment ??= { sessions: {} };
  const entry = (state.assignment.sessions[d.session] ??= EMPTY());
  entry.rooms = (d.rooms || []).map(cloneRoom);
  // The person's own frame: {session, room, rooms}; staff data names a `member` instead.
  if ("room" in d && !("member" in d)) entry.mine = d.room;
}

registerHallSlice("assignment", {
  fromSnapshot,
  appliers: { "assignment.picked": fold, "assignment.moved": fold, "assignment.balanced": fold },
});

// Views ---------------------------------------------------------------------------------------

function entryOf(state, sessionId) {
  return state?.assignment?.sessions?.[sessionId] || EMPTY();
}

/** The receiver's room in a session (participants), or null. */
export function myRoom(state, sessionId) {
  return entryOf(state, sessionId).mine ?? null;
}

/**
 * The rooms of an agenda session with what assignment knows of each: title, challenge and
 * capacity from the agenda (a room added or resized since the last assignment event is
 * current there), headcount and (staff) members from assignment.
 */
export function sessionRooms(state, session) {
  const known = new Map(entryOf(state, session.id).rooms.map((r) => [r.id, r]));
  return session.rooms.map((r) => {
    const a = known.get(r.id) || {};
    const capacity = r.capacity ?? a.capacity ?? null;
    const headcount = a.headcount ?? 0;
    return { id: r.id, title: r.title, challenge: r.challenge || "", capacity, headcount,
      members: a.members || [], full: capacity !== null && headcount >= capacity };
  });
}

/** Staff: the members of the hall with no room in this session, in the order they joined. */
export function unassigned(state, session) {
  const placed = new Set(sessionRooms(state, session).flatMap((r) => r.members.map((m) => m.id)));
  return [...state.members.values()].filter((m) => !placed.has(m.id));
}

/**
 * Counts of the members' profiles (staff): {sector, country, attendance} -> value -> n.
 * Recomputed from `members`, so a changed profile shows without an assignment event.
 */
export function mixOf(state, ids) {
  const mix = { sector: new Map(), country: new Map(), attendance: new Map() };
  for (const id of ids) {
    const m = state.members.get(id);
    if (!m) continue;
    for (const key of Object.keys(mix)) {
      if (m[key]) mix[key].set(m[key], (mix[key].get(m[key]) || 0) + 1);
    }
  }
  return mix;
}
