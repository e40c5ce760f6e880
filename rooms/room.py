"""A hackathon room as one state machine: ``decide`` routes a command to its slice, ``apply``
an event. The gate every command passes is the one of every log (``rooms.gate``); a room's
step is its phase, and facilitators are never gated by it.
"""

from __future__ import annotations

from collections.abc import Mapping

from . import board, codec, members, outcomes, phases, projection, setup, timer, voting
from .actors import Actor
from .errors import ErrorCode, Rejection, reject
from .events import Event
from .gate import Command, LogGapError, Rules
from .gate import apply as _apply
from .gate import decide as _decide
from .kind import Kind, plain_actor
from .registry import Applier, CommandSpec
from .state import RoomState

__all__ = ["APPLIERS", "COMMANDS", "ROOM", "Command", "LogGapError", "apply", "decide",
           "replay"]

_SLICES = (setup, phases, board, voting, timer, members, outcomes)

_CAPABILITY_WORDS = {"ideas": "posting or changing ideas", "comments": "comments",
                     "reactions": "reactions", "votes": "voting", "clusters": "clustering ideas",
                     "outcomes": "recommendations or action items"}


def _phase_gate(state: RoomState, capability: str) -> Rejection | None:
    if state.phases.allows(capability):
        return None
    label = state.phases.phase.label if state.phases.phase else "current"
    return reject(ErrorCode.PHASE_CLOSED,
                  f"the {label} phase does not allow {_CAPABILITY_WORDS[capability]}")


def _created(state: RoomState) -> bool:
    return state.created


RULES = Rules.of("room", _SLICES, "room.create", _created, _phase_gate)
COMMANDS: Mapping[str, CommandSpec] = RULES.commands
APPLIERS: Mapping[str, Applier] = RULES.appliers


def decide(state: RoomState, command: Command, actor: Actor, now: int) -> list[Event] | Rejection:
    """The events ``command`` produces in ``state`` at server time ``now``, or why not."""
    return _decide(RULES, state, command, actor, now)


def apply(state: RoomState, event: Event) -> RoomState:
    """The state after ``event`` (see ``rooms.gate.apply``)."""
    after: RoomState = _apply(RULES, state, event)
    return after


def replay(events: list[Event], state: RoomState | None = None) -> RoomState:
    """Fold a log (or its tail after a snapshot) into a state."""
    state = state if state is not None else RoomState()
    for event in events:
        state = apply(state, event)
    return state


def _due(state: RoomState) -> tuple[int, str] | None:
    at = timer.due(state)
    return None if at is None else (at, "timer.expire")


def _snapshot(state: RoomState, audience: projection.Audience, viewer: str | None,
              with_members: bool) -> dict[str, object]:
    return projection.snapshot(state, audience, viewer, members=with_members)


ROOM = Kind(
    name="room", rules=RULES, initial=lambda log_id: RoomState(id=log_id),
    snapshot=_snapshot, event_view=projection.event_view, subjects=projection.subjects,
    shares_view=projection.shares_view, member_view=projection.member_view,
    actor_view=plain_actor, due=_due, encode=codec.encode, decode=codec.decode)
