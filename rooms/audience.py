"""Audiences: the groups of connections of a log that see the same bytes for a broadcast."""

from __future__ import annotations

from enum import StrEnum

from .actors import Role


class Audience(StrEnum):
    """Who a view is for. Organizers and facilitators share the staff view of a log."""

    FACILITATOR = "facilitator"
    PARTICIPANT = "participant"
    OBSERVER = "observer"


def audience_of(role: Role) -> Audience:
    """The audience a connection of ``role`` belongs to."""
    if role in (Role.ORGANIZER, Role.FACILITATOR):
        return Audience.FACILITATOR
    return Audience.PARTICIPANT if role is Role.PARTICIPANT else Audience.OBSERVER
