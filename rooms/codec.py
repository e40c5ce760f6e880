"""Room state to JSON and back, for snapshots: ``decode(encode(s)) == s`` for every state."""

from __future__ import annotations

from typing import Any

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

VERSION = 2  # bump when the shape changes; an unknown version is ignored and the log replayed
# Versions this one still reads: 1 differs only by its members, who had no ``about``.
_READS = (1, VERSION)


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
    }


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
    )


def _idea_from(i: dict[str, Any]) -> Idea:
    return Idea(i["id"], i["author"], i["text"], i["created_at"], i["edited_at"], i["cluster"],
                i["hidden"], tuple(Comment(*c) for c in i["comments"]),
                {k: tuple(v) for k, v in i["reactions"].items()})
