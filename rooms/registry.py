"""How a slice declares its commands and the events it applies."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .actors import Actor, Role
from .errors import Rejection
from .events import Draft, Event
from .fields import Spec
from .state import RoomState

Decision = list[Draft] | Rejection
Decider = Callable[[RoomState, Mapping[str, Any], Actor, int], Decision]
Applier = Callable[[RoomState, Event], RoomState]

FACILITATOR = frozenset({Role.FACILITATOR})
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
    # The phase capability a participant needs; None when the phase does not matter.
    capability: str | None = None


def one(event_name: str, /, **data: Any) -> list[Draft]:
    """A decision of exactly one event."""
    return [Draft(event_name, data)]


def new_id(state: RoomState, prefix: str) -> str:
    """The id of a thing created by the next event: derived from its seq, so replay agrees."""
    return f"{prefix}{state.seq + 1}"
