"""A room as one state machine: ``decide`` routes a command to its slice, ``apply`` an event.

Every command passes the same gate before its rule runs: it must exist, the actor's role must
be allowed to send it, its arguments must check, and a participant's command must be allowed by
the current phase. Facilitators are never gated by the phase.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from . import board, members, phases, setup, timer, voting
from .actors import Actor, Role
from .errors import ErrorCode, Rejection, reject
from .events import Event, number
from .fields import FieldError
from .registry import Applier, CommandSpec
from .state import RoomState

_SLICES = (setup, phases, board, voting, timer, members)

COMMANDS: Mapping[str, CommandSpec] = {c.name: c for s in _SLICES for c in s.COMMANDS}
APPLIERS: Mapping[str, Applier] = {n: a for s in _SLICES for n, a in s.APPLIERS.items()}

_CAPABILITY_WORDS = {"ideas": "posting or changing ideas", "comments": "comments",
                     "reactions": "reactions", "votes": "voting"}


@dataclass(frozen=True, slots=True)
class Command:
    """What a client asks a room to do: a command name and its arguments."""

    name: str
    args: Mapping[str, Any]


class LogGapError(ValueError):
    """An event was applied out of order: the log it came from skipped a seq."""


def decide(state: RoomState, command: Command, actor: Actor, now: int) -> list[Event] | Rejection:
    """The events ``command`` produces in ``state`` at server time ``now``, or why not."""
    spec = COMMANDS.get(command.name)
    if spec is None:
        return reject(ErrorCode.UNKNOWN_COMMAND, f"unknown command '{command.name}'")
    if actor.role not in spec.roles:
        who = f"{_article(actor.role)} {actor.role}"
        return reject(ErrorCode.FORBIDDEN, f"{who} may not send '{command.name}'")
    if not state.created and command.name != "room.create":
        return reject(ErrorCode.INVALID_STATE, "the room has not been created")
    try:
        args = spec.args.check(command.args)
    except FieldError as error:
        return reject(ErrorCode.INVALID_ARGS, str(error))
    if denied := _phase_gate(state, spec, actor):
        return denied
    decision = spec.decide(state, args, actor, now)
    if isinstance(decision, Rejection):
        return decision
    return number(decision, state.seq, now, actor.id)


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


def _phase_gate(state: RoomState, spec: CommandSpec, actor: Actor) -> Rejection | None:
    if actor.role is not Role.PARTICIPANT or spec.capability is None:
        return None
    if state.phases.allows(spec.capability):
        return None
    label = state.phases.phase.label if state.phases.phase else "current"
    return reject(ErrorCode.PHASE_CLOSED,
                  f"the {label} phase does not allow {_CAPABILITY_WORDS[spec.capability]}")


def apply(state: RoomState, event: Event) -> RoomState:
    """The state after ``event``; an event at or below the state's seq changes nothing.

    An event of a kind this version does not know only advances ``seq``: a newer server may
    have written it, and an older replica must still follow the log.
    """
    if event.seq <= state.seq:
        return state
    if event.seq != state.seq + 1:
        raise LogGapError(f"expected seq {state.seq + 1}, got {event.seq}")
    applier = APPLIERS.get(event.name)
    after = applier(state, event) if applier else state
    return replace(after, seq=event.seq)


def replay(events: list[Event], state: RoomState | None = None) -> RoomState:
    """Fold a log (or its tail after a snapshot) into a state."""
    state = state if state is not None else RoomState()
    for event in events:
        state = apply(state, event)
    return state
