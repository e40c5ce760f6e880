"""Presence: who is online, from the connection counts the server keeps."""

from __future__ import annotations

from rooms.actors import SYSTEM
from rooms.presence import presence_view
from tests.rooms.helpers import Room, profile


def _room() -> Room:
    room = Room(members=())
    room.ok(SYSTEM, "member.join", **profile("p1"))
    room.ok(SYSTEM, "member.join", **profile("p2", attendance="remote"))
    room.ok(SYSTEM, "member.join", **profile("p3", attendance="remote"))
    return room


def test_online_members_are_those_with_a_connection() -> None:
    """Members with at least one connection are listed, with name and attendance."""
    view = presence_view(_room().state, {"p1": 2, "p2": 0, "p3": 1}, facilitators=1,
                         observers=4)
    assert view == {
        "members": [{"id": "p1", "name": "Person p1", "attendance": "onsite"},
                    {"id": "p3", "name": "Person p3", "attendance": "remote"}],
        "onsite": 1, "remote": 1, "facilitators": 1, "observers": 4,
    }


def test_connections_of_unknown_people_are_not_members() -> None:
    """A connection count for an id that never joined lists nobody."""
    view = presence_view(_room().state, {"ghost": 3}, facilitators=0, observers=0)
    assert view["members"] == []
    assert (view["onsite"], view["remote"]) == (0, 0)


def test_an_empty_room_has_no_presence() -> None:
    """With nobody connected, everything counts zero."""
    view = presence_view(_room().state, {}, facilitators=0, observers=0)
    assert view == {"members": [], "onsite": 0, "remote": 0, "facilitators": 0,
                    "observers": 0}
