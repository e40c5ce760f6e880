"""Who is in the room right now: pure views over the connections the server counts.

Participants and observers see counts only. Facilitators also see the roster (who is online,
with name and attendance): in full when they connect, then as changes (who came, who left).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .state import RoomState

Entry = Mapping[str, str]  # {"id", "name", "attendance"}


@dataclass(frozen=True, slots=True)
class Presence:
    """The online members (in the order they joined the room) and the other connections."""

    roster: Mapping[str, Entry] = field(default_factory=dict)
    facilitators: int = 0
    observers: int = 0


def presence_of(state: RoomState, online: Mapping[str, int], facilitators: int,
                observers: int) -> Presence:
    """Members with at least one connection, from connection counts per member id."""
    roster = {m.id: {"id": m.id, "name": m.name, "attendance": m.attendance}
              for m in state.members.values() if online.get(m.id, 0) > 0}
    return Presence(roster, facilitators, observers)


def counts(p: Presence) -> dict[str, int]:
    """What everyone may see: how many are online, on site and remote, and the screens."""
    onsite = sum(1 for e in p.roster.values() if e["attendance"] == "onsite")
    return {"online": len(p.roster), "onsite": onsite, "remote": len(p.roster) - onsite,
            "facilitators": p.facilitators, "observers": p.observers}


def roster_view(p: Presence) -> dict[str, Any]:
    """The counts and the whole roster: what a facilitator gets when it connects."""
    return {**counts(p), "members": [dict(e) for e in p.roster.values()]}


def roster_change(before: Presence, after: Presence) -> dict[str, Any] | None:
    """The counts and what changed in the roster since ``before``; None if nothing did.

    ``joined`` holds the members who came online, or whose name or attendance changed, with
    their entry; ``left`` the ids of those who went offline.
    """
    joined = [dict(e) for m, e in after.roster.items() if before.roster.get(m) != e]
    left = [m for m in before.roster if m not in after.roster]
    if not joined and not left and counts(before) == counts(after):
        return None
    return {**counts(after), "joined": joined, "left": left}

