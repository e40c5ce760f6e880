"""Room state to JSON and back, for snapshots: ``decode(encode(s)) == s`` for every state."""

from __future__ import annotations

from typing import Any

from .outcomes_state import ActionItem, OutcomesState, Recommendation, StatusChange
from .phases import phase_to_json, phases_from_json
from .state import (
    BoardState,
    Cluster,
    Comment,
    Idea,
    Member,
    PhaseState,
    RoomState,
    TimerState,
    VotingState,
)

VERSION = 3  # bump when the shape changes; an unknown version is ignored and the log replayed
# Versions this one still reads: 1 differs only by its members, who had no ``about``; 1 and 2
# have no outcomes (recommendations, action items), which were empty then.
_READS = (1, 2, VERSION)


def encode(state: RoomState) -> dict[str, Any]:
    """The whole state as JSON data (not a projection: everything, for the server only)."""
    v, t = state.voting, state.timer
    return {
        "v": VERSION, "id": state.id, "seq": state.seq, "title": state.title,
        "challenge": state.challenge,
        "phases": [phase_to_json(p) for p in state.phases.phases],
        "current": state.phases.current,
        "ideas": [_idea(i) for i in state.board.ideas.values()],
        "clusters": [[c.id, c.title] for c in state.board.clusters.values()],
        "voting": {"budget": v.budget, "cap": v.cap, "anonymous": v.anonymous, "open": v.open,
                   "revealed": v.revealed,
                   "ballots": {k: list(b) for k, b in v.ballots.items()}},
        "timer": [t.status, t.duration_ms, t.ends_at, t.remaining_ms],
        "members": [[m.id, m.name, m.organization, m.sector, m.country, m.attendance,
                     m.joined_at, m.about] for m in state.members.values()],
        "outcomes": _outcomes(state.outcomes),
    }


def _outcomes(o: OutcomesState) -> dict[str, Any]:
    return {
        "recommendations": [
            [r.id, r.title, r.rationale, r.action, r.owner, r.due, list(r.ideas),
             list(r.clusters), r.created_by, r.created_at, r.edited_at, r.edited_by]
            for r in o.recommendations.values()],
        "actions": [
            [a.id, a.title, a.recommendation, a.owner, a.owner_member, a.due, a.status,
             [[h.at, h.by, h.status, h.note] for h in a.history], a.created_by, a.created_at,
             a.edited_at, a.edited_by]
            for a in o.actions.values()],
    }


def _outcomes_from(raw: dict[str, Any] | None) -> OutcomesState:
    if raw is None:
        return OutcomesState()
    recommendations = {}
    for r in raw["recommendations"]:
        rec = Recommendation(r[0], r[1], r[2], r[3], r[4], r[5], tuple(r[6]), tuple(r[7]),
                             *r[8:])
        recommendations[rec.id] = rec
    actions = {}
    for a in raw["actions"]:
        item = ActionItem(a[0], a[1], a[2], a[3], a[4], a[5], a[6],
                          tuple(StatusChange(*h) for h in a[7]), *a[8:])
        actions[item.id] = item
    return OutcomesState(recommendations, actions)


def _idea(i: Idea) -> dict[str, Any]:
    return {"id": i.id, "author": i.author, "text": i.text, "created_at": i.created_at,
            "edited_at": i.edited_at, "cluster": i.cluster, "hidden": i.hidden,
            "comments": [[c.id, c.author, c.text, c.at] for c in i.comments],
            "reactions": {k: list(v) for k, v in i.reactions.items()}}


def decode(raw: dict[str, Any]) -> RoomState | None:
    """Rebuild a state written by ``encode``; None when it was written by another version."""
    if raw.get("v") not in _READS:
        return None
    v = raw["voting"]
    return RoomState(
        id=raw["id"], seq=raw["seq"], title=raw["title"], challenge=raw["challenge"],
        phases=PhaseState(phases_from_json(raw["phases"]), raw["current"]),
        board=BoardState({i["id"]: _idea_from(i) for i in raw["ideas"]},
                         {c[0]: Cluster(c[0], c[1]) for c in raw["clusters"]}),
        voting=VotingState(v["budget"], v["cap"], v["anonymous"], v["open"], v["revealed"],
                           {k: tuple(b) for k, b in v["ballots"].items()}),
        timer=TimerState(*raw["timer"]),
        members={m[0]: Member(*m) for m in raw["members"]},
        outcomes=_outcomes_from(raw.get("outcomes")),
    )


def _idea_from(i: dict[str, Any]) -> Idea:
    return Idea(i["id"], i["author"], i["text"], i["created_at"], i["edited_at"], i["cluster"],
                i["hidden"], tuple(Comment(*c) for c in i["comments"]),
                {k: tuple(v) for k, v in i["reactions"].items()})
