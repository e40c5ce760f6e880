// The evaluation questionnaire in the client replica: the `evaluation` snapshot key, then each
// event as this audience receives it (docs/protocol.md "Evaluation questionnaire",
// rooms/hall/evaluation_views.py): draft changes for the staff only, opened/closed/shown
// carrying the whole part as the receiver sees it (without `mine`: one's own answers are kept
// here), answer events carrying one's own answer to oneself, and to the staff (and a showing
// projector) the question's new results.

import { registerHallSlice } from "./hall.js";

function fromSnapshot(value) {
  const v = value || {};
  return {
    status: v.status || "draft", opened_at: v.opened_at ?? null, closed_at: v.closed_at ?? null,
    results_shown: Boolean(v.results_shown), respondents: v.respondents || 0,
    questions: (v.questions || []).map((q) => ({ ...q, options: [...(q.options || [])] })),
    results: v.results ?? null,
    mine: { ...(v.mine || {}) },
  };
}

function slice(state) {
  if (!state.evaluation) state.evaluation = fromSnapshot(null);
  return state.evaluation;
}

function whole(s, d) {
  const mine = slice(s).mine;
  s.evaluation = { ...fromSnapshot(d.evaluation), mine };
}

function answer(s, d) {
  const e = slice(s);
  if ("answer" in d) {
    if (d.answer === null || d.answer === undefined) delete e.mine[d.question];
    else e.mine[d.question] = d.answer;
  }
  if (typeof d.respondents === "number") {
    e.respondents = d.respondents;
    if (e.results) e.results.respondents = d.respondents;
  }
  if (d.result && e.results) {
    e.results.questions = e.results.questions.map((q) => (q.id === d.result.id ? d.result : q));
  }
}

const appliers = {
  "evaluation.drafted": (s, d) => { slice(s).questions = d.questions.map((q) => ({ ...q })); },
  "evaluation.opened": whole,
  "evaluation.closed": whole,
  "evaluation.results_shown": whole,
  "evaluation.answered": answer,
  "evaluation.cleared": answer,
};

registerHallSlice("evaluation", { fromSnapshot, appliers });

// Views ---------------------------------------------------------------------------------------

/** The questionnaire part of the replica. */
export function evaluationOf(state) {
  return slice(state);
}

/** Whether a participant is asked now: the questionnaire is open. */
export function isOpen(state) {
  return slice(state).status === "open";
}

/** Whether an `evaluation.sent` asks this person's screen: remote people, or everyone. */
export function sentToMe(data, attendance) {
  return data?.to === "everyone" || (data?.to === "remote" && attendance === "remote");
}
