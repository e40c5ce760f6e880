"""Dot voting: a budget per person, a cap per person and idea, hidden until revealed.

The facilitator reveals the totals (and, unless anonymous, who voted for what) and may hide
them again, e.g. to run a second round without anchoring it on the first.

Changing the budget or the cap mid-session keeps every vote that still fits. When a limit is
lowered below what someone has cast, their most recent dots are retracted (as ``vote.retracted``
events with a reason), so at every point of the log nobody holds more votes than the rules in
force allow, and the person sees exactly which dots went back to their budget.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from .actors import Actor
from .errors import ErrorCode, reject
from .events import Draft, Event
from .fields import Flag, Int, Ref, spec
from .registry import (
    FACILITATOR,
    PARTICIPANT,
    Applier,
    CommandSpec,
    Decider,
    Decision,
    one,
)
from .state import RoomState

LIMIT = Int(1, 100)


def _cast(state: RoomState, args: Mapping[str, Any], actor: Actor, now: int) -> Decision:
    voting, idea_id = state.voting, args["idea"]
    if not voting.open:
        return reject(ErrorCode.VOTING_CLOSED, "voting is closed")
    idea = state.visible_idea(idea_id, actor.id, facilitator=False)
    if idea is None:
        return reject(ErrorCode.NOT_FOUND, "no such idea")
    if idea.hidden:  # its author still sees it, but it is out of the vote (and of results)
        return reject(ErrorCode.INVALID_STATE, "a hidden idea cannot be voted on")
    if voting.used(actor.id) >= voting.budget:
        return reject(ErrorCode.BUDGET_EXCEEDED,
                      f"you have used all {voting.budget} of your votes; retract one first")
    if voting.dots(actor.id, idea_id) >= voting.cap:
        return reject(ErrorCode.CAP_EXCEEDED,
                      f"at most {voting.cap} of your votes may go to one idea")
    return one("vote.cast", idea=idea_id, voter=actor.id)


def _retract(state: RoomState, args: Mapping[str, Any], actor: Actor, now: int) -> Decision:
    if not state.voting.open:
        return reject(ErrorCode.VOTING_CLOSED, "voting is closed")
    if state.voting.dots(actor.id, args["idea"]) == 0:
        return reject(ErrorCode.NO_VOTE, "you have no vote on this idea")
    return one("vote.retracted", idea=args["idea"], voter=actor.id, reason="retracted")


def _configure(state: RoomState, args: Mapping[str, Any], actor: Actor, now: int) -> Decision:
    old = state.voting
    new = replace(old, budget=args.get("budget", old.budget), cap=args.get("cap", old.cap),
                  anonymous=args.get("anonymous", old.anonymous))
    if new.cap > new.budget:
        return reject(ErrorCode.INVALID_ARGS, "'cap' cannot be larger than 'budget'")
    if (new.budget, new.cap, new.anonymous) == (old.budget, old.cap, old.anonymous):
        return reject(ErrorCode.INVALID_STATE, "these are the settings already")
    configured = Draft("voting.configured",
                       {"budget": new.budget, "cap": new.cap, "anonymous": new.anonymous})
    # Retractions first: every prefix of the log then holds within the limits in force.
    return [*trims(old.ballots, new.budget, new.cap), configured]


def trims(ballots: Mapping[str, tuple[str, ...]], budget: int, cap: int) -> list[Draft]:
    """The retractions that bring every ballot within a new budget and cap, newest dots first."""
    drafts: list[Draft] = []
    for voter, ballot in ballots.items():
        kept = list(ballot)
        for idea in dict.fromkeys(ballot):
            while kept.count(idea) > cap:
                _drop_last(kept, idea)
                drafts.append(Draft("vote.retracted",
                                    {"idea": idea, "voter": voter, "reason": "cap_lowered"}))
        while len(kept) > budget:
            idea = kept[-1]
            _drop_last(kept, idea)
            drafts.append(Draft("vote.retracted",
                                {"idea": idea, "voter": voter, "reason": "budget_lowered"}))
    return drafts


def _drop_last(ballot: list[str], idea: str) -> None:
    del ballot[len(ballot) - 1 - ballot[::-1].index(idea)]


def _switch(name: str, attribute: str, wanted: bool, already: str) -> Decider:
    def decide(state: RoomState, args: Mapping[str, Any], actor: Actor, now: int) -> Decision:
        if getattr(state.voting, attribute) == wanted:
            return reject(ErrorCode.INVALID_STATE, already)
        return one(name)
    return decide


def _apply_cast(state: RoomState, e: Event) -> RoomState:
    voter = e.data["voter"]
    ballot = (*state.voting.ballots.get(voter, ()), e.data["idea"])
    return _with_ballots(state, {**state.voting.ballots, voter: ballot})


def _apply_retracted(state: RoomState, e: Event) -> RoomState:
    voter = e.data["voter"]
    ballot = list(state.voting.ballots.get(voter, ()))
    _drop_last(ballot, e.data["idea"])
    ballots = {**state.voting.ballots, voter: tuple(ballot)}
    return _with_ballots(state, {k: v for k, v in ballots.items() if v})


def _with_ballots(state: RoomState, ballots: dict[str, tuple[str, ...]]) -> RoomState:
    return replace(state, voting=replace(state.voting, ballots=ballots))


def _setter(**changes: Any) -> Applier:
    def apply(state: RoomState, e: Event) -> RoomState:
        return replace(state, voting=replace(state.voting, **changes, **e.data))
    return apply


def results(state: RoomState) -> dict[str, Any]:
    """Totals per idea and per cluster, highest first (ties keep board order, share a rank)."""
    tallies = state.voting.tallies()
    shown = [i for i in state.board.ideas.values() if not i.hidden]
    ideas = sorted(shown, key=lambda i: -tallies.get(i.id, 0))
    per_cluster = {c: sum(tallies.get(i.id, 0) for i in shown if i.cluster == c)
                   for c in state.board.clusters}
    clusters = sorted(per_cluster.items(), key=lambda kv: -kv[1])
    idea_votes = [tallies.get(i.id, 0) for i in ideas]
    return {
        "ideas": [{"id": i.id, "votes": n, "cluster": i.cluster, "rank": r}
                  for i, n, r in zip(ideas, idea_votes, ranks(idea_votes), strict=True)],
        "clusters": [{"id": c, "votes": n, "rank": r}
                     for (c, n), r in zip(clusters, ranks([n for _, n in clusters]),
                                          strict=True)],
        "total": sum(idea_votes),
    }


def ranks(totals: list[int]) -> list[int]:
    """Standard competition ranks ("1, 1, 3") of totals sorted highest first."""
    out: list[int] = []
    for place, total in enumerate(totals, 1):
        out.append(out[-1] if out and totals[place - 2] == total else place)
    return out


COMMANDS = (
    CommandSpec("vote.cast", spec({"idea": Ref()}), PARTICIPANT, _cast, "votes"),
    CommandSpec("vote.retract", spec({"idea": Ref()}), PARTICIPANT, _retract, "votes"),
    CommandSpec("voting.configure", spec(optional={"budget": LIMIT, "cap": LIMIT,
                                                   "anonymous": Flag()}), FACILITATOR,
                _configure),
    CommandSpec("voting.open", spec(), FACILITATOR,
                _switch("voting.opened", "open", True, "voting is open already")),
    CommandSpec("voting.close", spec(), FACILITATOR,
                _switch("voting.closed", "open", False, "voting is closed already")),
    CommandSpec("voting.reveal", spec(), FACILITATOR,
                _switch("voting.revealed", "revealed", True, "the votes are revealed already")),
    CommandSpec("voting.hide", spec(), FACILITATOR,
                _switch("voting.hidden", "revealed", False, "the votes are hidden already")),
)

APPLIERS: dict[str, Applier] = {
    "vote.cast": _apply_cast,
    "vote.retracted": _apply_retracted,
    "voting.configured": _setter(),
    "voting.opened": _setter(open=True),
    "voting.closed": _setter(open=False),
    "voting.revealed": _setter(revealed=True),
    "voting.hidden": _setter(revealed=False),
}
