"""Room creation and the room's own settings (title, challenge)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from .actors import Actor
from .errors import ErrorCode, reject
from .events import Event
from .fields import Flag, Int, Text, spec
from .phases import DEFAULT_PHASES, PhaseList, phase_to_json, phases_from_json
from .registry import FACILITATOR, SYSTEM_ONLY, Applier, CommandSpec, Decision, one
from .state import PhaseState, RoomState, VotingState

TITLE = Text(120)
CHALLENGE = Text(4000, min_len=0)


def _create(state: RoomState, args: Mapping[str, Any], actor: Actor, now: int) -> Decision:
    if state.created:
        return reject(ErrorCode.INVALID_STATE, "the room exists already")
    voting = VotingState()
    if args.get("cap", voting.cap) > args.get("budget", voting.budget):
        return reject(ErrorCode.INVALID_ARGS, "'cap' cannot be larger than 'budget'")
    return one(
        "room.created",
        title=args["title"],
        challenge=args.get("challenge", ""),
        phases=args.get("phases", [phase_to_json(p) for p in DEFAULT_PHASES]),
        budget=args.get("budget", voting.budget),
        cap=args.get("cap", voting.cap),
        anonymous=args.get("anonymous", voting.anonymous),
    )


def _update(state: RoomState, args: Mapping[str, Any], actor: Actor, now: int) -> Decision:
    if not args:
        return reject(ErrorCode.INVALID_ARGS, "nothing to change: give a title or a challenge")
    return one("room.updated", **args)


def _apply_created(state: RoomState, event: Event) -> RoomState:
    d = event.data
    return replace(
        state,
        title=d["title"],
        challenge=d["challenge"],
        phases=PhaseState(phases_from_json(d["phases"]), 0),
        voting=VotingState(budget=d["budget"], cap=d["cap"], anonymous=d["anonymous"]),
    )


def _apply_updated(state: RoomState, event: Event) -> RoomState:
    return replace(state, title=event.data.get("title", state.title),
                   challenge=event.data.get("challenge", state.challenge))


COMMANDS = (
    CommandSpec("room.create", spec({"title": TITLE}, {
        "challenge": CHALLENGE, "phases": PhaseList(), "budget": Int(1, 100),
        "cap": Int(1, 100), "anonymous": Flag()}), SYSTEM_ONLY, _create),
    CommandSpec("room.update", spec(optional={"title": TITLE, "challenge": CHALLENGE}),
                FACILITATOR, _update),
)

APPLIERS: dict[str, Applier] = {
    "room.created": _apply_created,
    "room.updated": _apply_updated,
}
