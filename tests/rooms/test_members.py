"""Members: participants entering the room's log with the profile others see."""

from __future__ import annotations

from typing import Any

import pytest

from rooms.actors import SYSTEM, Actor
from rooms.errors import ErrorCode
from tests.rooms.helpers import FAC, P1, START, Room, profile


def test_a_member_joins_with_a_profile() -> None:
    """member.join records the profile and the time the member first joined."""
    room = Room(members=())
    room.now = START + 50
    event = room.one(SYSTEM, "member.join", **profile("p1", attendance="remote"))
    assert event.name == "member.joined"
    member = room.state.members["p1"]
    assert (member.name, member.attendance, member.joined_at) == ("Person p1", "remote",
                                                                  START + 50)


def test_joining_again_with_the_same_profile_is_refused() -> None:
    """A second join with an unchanged profile is invalid_state: the log stays short."""
    room = Room(members=())
    room.ok(SYSTEM, "member.join", **profile("p1"))
    assert room.no(SYSTEM, "member.join", **profile("p1")) is ErrorCode.INVALID_STATE


def test_a_changed_profile_joins_again_and_keeps_the_first_join_time() -> None:
    """A join with a new profile updates it; joined_at stays the first one."""
    room = Room(members=())
    room.ok(SYSTEM, "member.join", **profile("p1"))
    first = room.state.members["p1"].joined_at
    room.tick(5000)
    room.ok(SYSTEM, "member.join", **profile("p1", organization="MSB", attendance="remote"))
    member = room.state.members["p1"]
    assert (member.organization, member.attendance, member.joined_at) == ("MSB", "remote",
                                                                          first)
    assert len(room.state.members) == 1


def test_the_same_profile_after_trimming_is_the_same() -> None:
    """Profile text is trimmed before comparing, so padding is not a change."""
    room = Room(members=())
    room.ok(SYSTEM, "member.join", **profile("p1"))
    assert room.no(SYSTEM, "member.join",
                   **profile("p1", name=" Person p1 ")) is ErrorCode.INVALID_STATE


def test_members_keep_the_order_they_joined_in() -> None:
    """The member list is in order of first join."""
    room = Room(members=())
    for member_id in ("p3", "p1", "p2"):
        room.ok(SYSTEM, "member.join", **profile(member_id))
    room.ok(SYSTEM, "member.join", **profile("p3", name="Renamed"))
    assert list(room.state.members) == ["p3", "p1", "p2"]


def test_an_empty_organization_is_allowed() -> None:
    """Organization may be empty; name, sector and country may not."""
    room = Room(members=())
    room.ok(SYSTEM, "member.join", **profile("p1", organization=""))


@pytest.mark.parametrize("changes", [
    {"name": ""}, {"name": "n" * 81}, {"sector": ""}, {"country": ""},
    {"attendance": "hybrid"}, {"organization": "o" * 121}, {"id": ""}, {"name": "a\x00b"},
])
def test_a_bad_profile_is_refused(changes: dict[str, Any]) -> None:
    """Empty or over-long fields, or attendance other than onsite/remote, are invalid_args."""
    room = Room(members=())
    assert room.no(SYSTEM, "member.join",
                   **profile("p1", **changes)) is ErrorCode.INVALID_ARGS


def test_a_profile_must_be_complete() -> None:
    """Every profile field is required."""
    args = profile("p1")
    del args["country"]
    assert Room(members=()).no(SYSTEM, "member.join", **args) is ErrorCode.INVALID_ARGS


@pytest.mark.parametrize("actor", [FAC, P1])
def test_people_do_not_add_members(actor: Actor) -> None:
    """Members enter through the server (system), not by a person's command."""
    assert Room(members=()).no(actor, "member.join", **profile("p9")) is ErrorCode.FORBIDDEN


def test_about_is_optional_and_kept() -> None:
    """A profile without `about` has ""; with it, the line is kept and a change re-joins."""
    room = Room(members=())
    room.ok(SYSTEM, "member.join", **profile("p1"))
    assert room.state.members["p1"].about == ""
    assert room.no(SYSTEM, "member.join", **profile("p1", about="")) is ErrorCode.INVALID_STATE
    room.ok(SYSTEM, "member.join", **profile("p1", about="Flood sensors for rivers"))
    assert room.state.members["p1"].about == "Flood sensors for rivers"
    assert room.no(SYSTEM, "member.join", **profile("p1", about="x" * 121)) is \
        ErrorCode.INVALID_ARGS


def test_staff_see_about_and_participants_see_the_name_only() -> None:
    """The room's member view: the whole profile with `about` for staff, the name for others."""
    from rooms.audience import Audience
    from rooms.projection import member_view
    room = Room(members=())
    room.ok(SYSTEM, "member.join", **profile("p1", about="Heat maps"))
    member = room.state.members["p1"]
    assert member_view(member, Audience.FACILITATOR)["about"] == "Heat maps"
    for audience in (Audience.PARTICIPANT, Audience.OBSERVER):
        assert member_view(member, audience) == {"id": "p1", "name": "Person p1"}
