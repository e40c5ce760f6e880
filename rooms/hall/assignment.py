"""Who is in which room of a hackathon session (to be built)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..audience import Audience
from ..events import Event
from ..registry import Applier, CommandSpec

if TYPE_CHECKING:
    from .state import HallState


@dataclass(frozen=True, slots=True)
class AssignmentState:
    """Which room each person is in, per hackathon session."""


COMMANDS: tuple[CommandSpec, ...] = ()
APPLIERS: dict[str, Applier] = {}


def view(state: HallState, audience: Audience, viewer: str | None) -> dict[str, Any]:
    """This slice's part of the hall's snapshot."""
    return {}


def event_view(state: HallState, event: Event, audience: Audience,
               viewer: str | None) -> dict[str, Any] | None:
    """An event of this slice as ``viewer`` may see it; None for events of other slices."""
    return None


def subjects(state: HallState, event: Event) -> set[str]:
    """Members who see an event of this slice their own way."""
    return set()


def actor_view(state: HallState, event: Event, audience: Audience,
               viewer: str | None) -> str | None:
    """Who an event of this slice is shown as coming from; None: its actor."""
    return None


def own_view(state: HallState, viewer: str) -> bool:
    """Whether ``viewer``'s snapshot of this slice differs from their audience's."""
    return False
