"""Who is in the room right now: a pure view over the connections the server counts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .state import RoomState


def presence_view(state: RoomState, online: Mapping[str, int],
                  facilitators: int, observers: int) -> dict[str, Any]:
    """Online members (with on-site or remote) and counts, from connection counts per member."""
    people = [{"id": m.id, "name": m.name, "attendance": m.attendance}
              for m in state.members.values() if online.get(m.id, 0) > 0]
    return {
        "members": people,
        "onsite": sum(1 for p in people if p["attendance"] == "onsite"),
        "remote": sum(1 for p in people if p["attendance"] == "remote"),
        "facilitators": facilitators,
        "observers": observers,
    }
