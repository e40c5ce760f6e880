"""How a slice declares its commands and the events it applies.

A slice is a module of one concept (the board, the agenda, plenary questions) with ``COMMANDS``
and ``APPLIERS``; a kind of log (``rooms.kind``) composes slices. Deciders and appliers take
the state of the kind they belong to, so the types here leave the state open.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .actors import Actor, Role
from .errors import Rejection
from .events import Draft, Event
from .fields import Spec

Decision = list[Draft] | Rejection
# The state is the kind's own (RoomState, HallState): Any lets one registry serve them all.
Decider = Callable[[Any, Mapping[str, Any], Actor, int], Decision]
Applier = Callable[[Any, Event], Any]

FACILITATOR = frozenset({Role.FACILITATOR})
ORGANIZER = frozenset({Role.ORGANIZER})
PARTICIPANT = frozenset({Role.PARTICIPANT})
PEOPLE = frozenset({Role.FACILITATOR, Role.PARTICIPANT})
SYSTEM_ONLY = frozenset({Role.SYSTEM})


@dataclass(frozen=True, slots=True)
class CommandSpec:
    """One command: who may send it, what it takes, what phase capability it needs."""

    name: str
    args: Spec
    roles: frozenset[Role]
    decide: Decider
    # What a participant needs the log's current step to allow (a room's phase, the hall's
    # session); None when it does not matter. Other roles are never gated by it.
    capability: str | None = None


def one(event_name: str, /, **data: Any) -> list[Draft]:
    """A decision of exactly one event."""
    return [Draft(event_name, data)]


def new_id(state: Any, prefix: str) -> str:
    """The id of a thing created by the next event: derived from its seq, so replay agrees."""
    return f"{prefix}{state.seq + 1}"
