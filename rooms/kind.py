"""A kind of log: its rules and how it is shown, which is all a host needs to serve it.

Hackathon rooms and the forum's hall are two kinds (``rooms.kinds``). The server hosts every
kind with the same machinery (seq, epoch, durable acks, op ids, resume, per-audience views);
what differs between kinds is only what this describes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .actors import Actor
from .audience import Audience
from .errors import Rejection
from .events import Event
from .gate import Command, Rules, apply, decide
from .state import Member

Viewer = str | None  # the member a view is for, None for a view shared by an audience


@dataclass(frozen=True, slots=True)
class Kind:
    """Everything kind-specific about a log."""

    name: str  # stored with the log's record: "room", "hall"
    rules: Rules
    initial: Callable[[str], Any]  # the state of an empty log with this id
    # The whole log as a viewer may see it; members=False leaves out the member list, which
    # the host adds from per-member encodings it keeps (the one part that grows with the log).
    snapshot: Callable[[Any, Audience, Viewer, bool], dict[str, Any]]
    event_view: Callable[[Any, Event, Audience, Viewer], dict[str, Any]]
    subjects: Callable[[Any, Event], set[str]]  # members who see an event their own way
    shares_view: Callable[[Any, str], bool]  # whether a member sees the audience's snapshot
    member_view: Callable[[Member, Audience], dict[str, Any]]
    # Who an event is shown as coming from: an anonymous author is nobody in every view.
    actor_view: Callable[[Any, Event, Audience, Viewer], str]
    # When the server must send a command by itself (a timer's expiry), and which.
    due: Callable[[Any], tuple[int, str] | None]
    # Snapshots; None for a kind whose logs are short enough to replay whole on load.
    encode: Callable[[Any], dict[str, Any]] | None = None
    decode: Callable[[dict[str, Any]], Any | None] | None = None

    @property
    def create(self) -> str:
        return self.rules.create

    def decide(self, state: Any, command: Command, actor: Actor,
               now: int) -> list[Event] | Rejection:
        return decide(self.rules, state, command, actor, now)

    def apply(self, state: Any, event: Event) -> Any:
        return apply(self.rules, state, event)

    def replay(self, events: list[Event], state: Any) -> Any:
        """Fold a log (or its tail after a snapshot) into a state."""
        for event in events:
            state = apply(self.rules, state, event)
        return state


def plain_actor(state: Any, event: Event, audience: Audience, viewer: Viewer) -> str:
    """Every event shown as coming from its actor."""
    return event.actor
