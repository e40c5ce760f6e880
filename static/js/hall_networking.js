// Speed networking in the client's replica of the hall (rooms/hall/networking.py, views in
// rooms/hall/network_views.py): the `networking` snapshot key, then its events as this
// audience receives them.
//
// - Everyone: the settings (staff: all of them; others: rounds and seconds), each round's
//   timer (number, started, ends, ended), and the forum's count of connections.
// - Staff: each round's groups (number, mode, table, call, members), quality figures, what
//   was relaxed, who was unpaired or absent; who opted out.
// - A participant: their own group in each round (partners' profiles, table or call), whether
//   they opted out, their one-sided requests and their connections (ids and names only: the
//   contact details are never in the hall, only in GET /api/me/connections).
// - The projector: the table plan of the running round (table -> names of the people on site).
//
// Private events (a request, its withdrawal, someone else's opt-out) reach others redacted and
// only advance seq (hall.js); a connection between others arrives as the new count only.

import { registerHallSlice } from "./hall.js";

const DEFAULT_CONFIG = { rounds: 3, seconds: 300, template: "", mixed: false, grace_seconds: 60 };

function roundFrom(r) {
  return { ...r, number: r.round, groups: r.groups?.map((g) => ({ ...g, members: [...g.members] })),
    group: r.group ? { ...r.group, partners: r.group.partners.map((p) => ({ ...p })) } : r.group ?? null };
}

function fromSnapshot(value) {
  const v = value || {};
  return {
    config: { ...DEFAULT_CONFIG, ...(v.config || {}) },
    rounds: (v.rounds || []).map(roundFrom),
    connections: v.connections || 0,
    tables: (v.tables || []).map((t) => ({ ...t, names: [...t.names] })),
    optedOut: new Set(Array.isArray(v.opted_out) ? v.opted_out : []),  // staff: who
    ownOut: v.opted_out === true,  // a participant: themselves
    requests: new Set(v.requests || []),
    contacts: new Map((v.contacts || []).map((c) => [c.member, { ...c }])),
  };
}

function slice(state) {
  if (!state) return fromSnapshot(null);  // before the first snapshot
  state.networking ??= fromSnapshot(null);
  return state.networking;
}

function current(net, number) {
  const r = net.rounds.at(-1);
  return r && (number === undefined || r.number === number) ? r : null;
}

const appliers = {
  "networking.configured": (s, d) => { Object.assign(slice(s).config, d); },
  "networking.opted_out": (s, d, e, viewer) => {
    const net = slice(s);
    if (viewer?.facilitator) {
      if (d.out) net.optedOut.add(e.actor);
      else net.optedOut.delete(e.actor);
    } else if (e.actor === viewer?.id) net.ownOut = Boolean(d.out);
  },
  "round.started": (s, d, e) => {
    const net = slice(s);
    net.rounds.push(roundFrom({ ...d, started_at: e.at, ended_at: null }));
    if (d.tables) net.tables = d.tables.map((t) => ({ ...t, names: [...t.names] }));
  },
  "round.extended": (s, d) => {
    const r = current(slice(s), d.round);
    if (r) Object.assign(r, { ends_at: d.ends_at, duration_ms: d.duration_ms });
  },
  "round.ended": (s, d, e) => {
    const net = slice(s);
    const r = current(net, d.round);
    if (r) Object.assign(r, { ended_at: e.at, ended_by: d.by });
    net.tables = [];
  },
  "round.repaired": (s, d) => {
    const net = slice(s);
    const r = current(net, d.round);
    if (!r) return;
    if (d.groups) {
      r.groups = d.groups.map((g) => ({ ...g, members: [...g.members] }));
      r.relaxed = [...new Set([...(r.relaxed || []), ...d.relaxed])].sort();
      r.quality = { ...d.quality };
      r.unpaired = [...d.unpaired];
      r.absent = [...(r.absent || []), ...d.absent];
    }
    if (d.tables) net.tables = d.tables.map((t) => ({ ...t, names: [...t.names] }));
    if ("group" in d) r.group = d.group ? { ...d.group, partners: d.group.partners.map((p) => ({ ...p })) } : null;
  },
  "contact.requested": (s, d) => { slice(s).requests.add(d.member); },
  "contact.withdrawn": (s, d) => { slice(s).requests.delete(d.member); },
  "contact.connected": (s, d, e, viewer) => {
    const net = slice(s);
    if (d.connections !== undefined) {
      net.connections = d.connections;
      return;
    }
    net.connections += 1;
    const me = viewer?.id;
    if (me !== d.a && me !== d.b) return;
    const other = me === d.a ? d.b : d.a;
    net.requests.delete(other);
    net.contacts.set(other, { member: other, name: partnerOf(net, other)?.name ?? "", at: e.at });
  },
};

registerHallSlice("networking", { fromSnapshot, appliers });

// Views ---------------------------------------------------------------------------------------

/** The slice (an empty one before the server sends any). */
export function netOf(state) {
  return slice(state);
}

export function configOf(state) {
  return slice(state).config;
}

/** The last round started (running or ended), or null. */
export function lastRound(state) {
  return slice(state).rounds.at(-1) || null;
}

export const roundOf = lastRound;

export function roundRunning(round) {
  return Boolean(round) && (round.ended_at === null || round.ended_at === undefined);
}

/** A participant's group in the running round ({number, mode, table, call, partners}), or null. */
export function myGroup(state) {
  const r = lastRound(state);
  return roundRunning(r) ? r.group || null : null;
}

/** Whether this participant sits the rounds out. */
export function optedOut(state) {
  return slice(state).ownOut;
}

export function isAsked(state, member) {
  return slice(state).requests.has(member);
}

export function isConnected(state, member) {
  return slice(state).contacts.has(member);
}

function partnerOf(net, member) {
  for (let i = net.rounds.length - 1; i >= 0; i -= 1) {
    const p = net.rounds[i].group?.partners.find((x) => x.id === member);
    if (p) return p;
  }
  return null;
}

/** Everyone this participant was grouped with in any round, latest meeting first. */
export function metPeople(state) {
  const seen = new Map();
  for (const r of [...slice(state).rounds].reverse()) {
    for (const p of r.group?.partners || []) if (!seen.has(p.id)) seen.set(p.id, { ...p, round: r.number });
  }
  return [...seen.values()];
}

/** The projector's table plan of the running round: [{table, names}]. */
export function tablePlan(state) {
  return roundRunning(lastRound(state)) ? slice(state).tables : [];
}
