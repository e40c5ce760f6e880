"""Cross-sectoral speed networking: timed rounds, their groups, and stay-in-touch requests.

(To be built: the rounds and the requests. This module fixes the interface the server and
the browser use; see the brief of issue 9.)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..audience import Audience
from ..events import Event
from ..registry import Applier, CommandSpec

if TYPE_CHECKING:
    from .state import HallState


@dataclass(frozen=True, slots=True)
class NetworkingState:
    """The forum's networking rounds and who asked to stay in touch with whom."""

    # Mutual connections: unordered pairs of member ids, with when the second side asked.
    connected: tuple[tuple[str, str, int], ...] = field(default_factory=tuple)


COMMANDS: tuple[CommandSpec, ...] = ()
APPLIERS: dict[str, Applier] = {}


def connections_of(state: HallState, member: str) -> list[tuple[str, int]]:
    """The people ``member`` is connected with (both asked), with when: for their own eyes."""
    return [(b if a == member else a, at) for a, b, at in state.networking.connected
            if member in (a, b)]


def due(state: HallState) -> tuple[int, str] | None:
    """When the running round's timer runs out, and the system command that ends it."""
    return None


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
