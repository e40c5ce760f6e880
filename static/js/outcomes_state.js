// The client replica of a room's outcomes (recommendations, action items): the snapshot's
// `outcomes` and the appliers of rooms/outcomes.py, on the data every audience receives.

const REC_FIELDS = ["title", "rationale", "action", "owner", "due"];
const ACTION_FIELDS = ["title", "owner", "owner_member", "due", "recommendation"];

/** The replica's outcomes from a snapshot's `outcomes` (absent from an older server). */
export function outcomesFromSnapshot(o) {
  return {
    recommendations: new Map((o?.recommendations || []).map((r) => [r.id, { ...r, ideas: [...r.ideas], clusters: [...r.clusters] }])),
    actions: new Map((o?.actions || []).map((a) => [a.id, { ...a, history: a.history.map((h) => ({ ...h })) }])),
  };
}

function pick(d, fields) {
  return Object.fromEntries(fields.filter((f) => d[f] !== undefined).map((f) => [f, d[f]]));
}

function outcomes(s) {
  s.outcomes ||= outcomesFromSnapshot(null);
  return s.outcomes;
}

export const OUTCOME_APPLIERS = {
  "recommendation.created": (s, d, e) => {
    outcomes(s).recommendations.set(d.id, {
      id: d.id, title: "", rationale: "", action: "", owner: "", due: null, ...pick(d, REC_FIELDS),
      ideas: [...d.ideas], clusters: [...d.clusters], created_by: e.actor, created_at: e.at,
      edited_at: null, edited_by: null,
    });
  },
  "recommendation.edited": (s, d, e) => {
    const r = outcomes(s).recommendations.get(d.id);
    if (r) Object.assign(r, pick(d, REC_FIELDS), { edited_at: e.at, edited_by: e.actor });
  },
  "recommendation.linked": (s, d, e) => {
    const r = outcomes(s).recommendations.get(d.id);
    if (!r) return;
    r.ideas.push(...d.ideas);
    r.clusters.push(...d.clusters);
    Object.assign(r, { edited_at: e.at, edited_by: e.actor });
  },
  "recommendation.unlinked": (s, d, e) => {
    const r = outcomes(s).recommendations.get(d.id);
    if (!r) return;
    r.ideas = r.ideas.filter((i) => !d.ideas.includes(i));
    r.clusters = r.clusters.filter((c) => !d.clusters.includes(c));
    Object.assign(r, { edited_at: e.at, edited_by: e.actor });
  },
  "recommendation.deleted": (s, d) => {
    const o = outcomes(s);
    o.recommendations.delete(d.id);
    for (const a of o.actions.values()) if (a.recommendation === d.id) a.recommendation = null;
  },
  "action.added": (s, d, e) => {
    outcomes(s).actions.set(d.id, {
      id: d.id, title: "", recommendation: null, owner: "", owner_member: null, due: null,
      ...pick(d, ACTION_FIELDS), status: "open", history: [], created_by: e.actor,
      created_at: e.at, edited_at: null, edited_by: null,
    });
  },
  "action.edited": (s, d, e) => {
    const a = outcomes(s).actions.get(d.id);
    if (a) Object.assign(a, pick(d, ACTION_FIELDS), { edited_at: e.at, edited_by: e.actor });
  },
  "action.status_changed": (s, d, e) => {
    const a = outcomes(s).actions.get(d.id);
    if (!a) return;
    a.status = d.status;
    a.history.push({ at: e.at, by: e.actor, status: d.status, note: d.note });
  },
  "action.deleted": (s, d) => { outcomes(s).actions.delete(d.id); },
};
