"""Who acts in a log (a room, a hall), and in which role."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    """What a connection may do; checked on every command."""

    ORGANIZER = "organizer"  # runs the whole forum: its hall, and every room as a facilitator
    FACILITATOR = "facilitator"
    PARTICIPANT = "participant"
    OBSERVER = "observer"
    SYSTEM = "system"  # the server itself: timer expiry, room creation, members entering


@dataclass(frozen=True, slots=True)
class Actor:
    """The author of a command: a participant id, a facilitator id or the system."""

    id: str
    role: Role


SYSTEM = Actor("system", Role.SYSTEM)
