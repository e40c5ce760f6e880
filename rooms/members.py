"""Members: participants who have entered the room, with the profile the room shows."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from .actors import Actor
from .errors import ErrorCode, reject
from .events import Event
from .fields import Choice, Field, Ref, Text, spec
from .profiles import ATTENDANCE
from .registry import SYSTEM_ONLY, Applier, CommandSpec, Decision, one
from .state import Member, RoomState

ABOUT_MAX = 120  # one line: "what I work on"

PROFILE: dict[str, Field] = {
    "id": Ref(),
    "name": Text(80),
    "organization": Text(120, min_len=0),
    "sector": Text(64),
    "country": Text(64),
    "attendance": Choice(ATTENDANCE),
}
# Optional: a profile made before it existed (an older log's event) has none.
PROFILE_OPTIONAL: dict[str, Field] = {"about": Text(ABOUT_MAX, min_len=0)}


def _join(state: RoomState, args: Mapping[str, Any], actor: Actor, now: int) -> Decision:
    known = state.members.get(args["id"])
    if known is not None and _profile(known) == {"about": "", **args}:
        return reject(ErrorCode.INVALID_STATE, "already a member with this profile")
    return one("member.joined", **args)


def _profile(member: Member) -> dict[str, str]:
    return {"id": member.id, "name": member.name, "organization": member.organization,
            "sector": member.sector, "country": member.country,
            "attendance": member.attendance, "about": member.about}


def _apply_joined(state: RoomState, e: Event) -> RoomState:
    d = e.data
    known = state.members.get(d["id"])
    member = Member(d["id"], d["name"], d["organization"], d["sector"], d["country"],
                    d["attendance"], known.joined_at if known else e.at, d.get("about", ""))
    return replace(state, members={**state.members, member.id: member})


COMMANDS = (CommandSpec("member.join", spec(PROFILE, PROFILE_OPTIONAL), SYSTEM_ONLY, _join),)

APPLIERS: dict[str, Applier] = {"member.joined": _apply_joined}
