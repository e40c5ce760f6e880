"""Presence: who is online, from the connection counts the server keeps."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from rooms.actors import SYSTEM
from rooms.presence import Presence, counts, presence_of, roster_change, roster_view
from tests.rooms.helpers import Room, profile

IDS = ("p1", "p2", "p3", "p4")


def _room() -> Room:
    room = Room(members=())
    room.ok(SYSTEM, "member.join", **profile("p1"))
    room.ok(SYSTEM, "member.join", **profile("p2", attendance="remote"))
    room.ok(SYSTEM, "member.join", **profile("p3", attendance="remote"))
    room.ok(SYSTEM, "member.join", **profile("p4"))
    return room


def _apply(roster: Mapping[str, Any], change: Mapping[str, Any]) -> dict[str, Any]:
    """What a client does with a roster change (docs/protocol.md, `presence`)."""
    out = {m: e for m, e in roster.items() if m not in change["left"]}
    out.update((e["id"], e) for e in change["joined"])
    return out


def test_online_members_are_those_with_a_connection() -> None:
    """Members with at least one connection are on the roster, with name and attendance."""
    p = presence_of(_room().state, {"p1": 2, "p2": 0, "p3": 1}, facilitators=1, observers=4)
    assert roster_view(p) == {
        "members": [{"id": "p1", "name": "Person p1", "attendance": "onsite"},
                    {"id": "p3", "name": "Person p3", "attendance": "remote"}],
        "online": 2, "onsite": 1, "remote": 1, "facilitators": 1, "observers": 4,
    }


def test_counts_say_how_many_and_not_who() -> None:
    """What participants and observers get: numbers only, no id and no name."""
    p = presence_of(_room().state, {"p1": 1, "p2": 1, "p4": 3}, facilitators=2, observers=1)
    assert counts(p) == {"online": 3, "onsite": 2, "remote": 1, "facilitators": 2,
                         "observers": 1}


def test_connections_of_unknown_people_are_not_members() -> None:
    """A connection count for an id that never joined lists nobody."""
    p = presence_of(_room().state, {"ghost": 3}, facilitators=0, observers=0)
    assert roster_view(p)["members"] == []
    assert counts(p)["online"] == 0


def test_an_empty_room_has_no_presence() -> None:
    """With nobody connected, everything counts zero."""
    p = presence_of(_room().state, {}, facilitators=0, observers=0)
    assert roster_view(p) == {"members": [], "online": 0, "onsite": 0, "remote": 0,
                              "facilitators": 0, "observers": 0}
    assert p == Presence()


def test_a_change_names_who_came_and_who_left() -> None:
    """The roster change lists the newcomers' entries and the ids of those who left."""
    state = _room().state
    before = presence_of(state, {"p1": 1, "p2": 1}, 1, 0)
    after = presence_of(state, {"p2": 2, "p3": 1}, 1, 1)
    assert roster_change(before, after) == {
        "joined": [{"id": "p3", "name": "Person p3", "attendance": "remote"}], "left": ["p1"],
        "online": 2, "onsite": 0, "remote": 2, "facilitators": 1, "observers": 1}


def test_a_new_name_of_someone_online_is_sent_again() -> None:
    """A member online whose profile changed is in `joined` again, with the new entry."""
    room = _room()
    before = presence_of(room.state, {"p1": 1}, 0, 0)
    room.ok(SYSTEM, "member.join", **profile("p1", name="Ann", attendance="remote"))
    after = presence_of(room.state, {"p1": 1}, 0, 0)
    change = roster_change(before, after)
    assert change is not None
    assert change["joined"] == [{"id": "p1", "name": "Ann", "attendance": "remote"}]
    assert (change["left"], change["onsite"], change["remote"]) == ([], 0, 1)


def test_nothing_changed_makes_no_message() -> None:
    """A second device of someone online changes nothing: there is no change to send."""
    state = _room().state
    assert roster_change(presence_of(state, {"p1": 1}, 1, 0),
                         presence_of(state, {"p1": 2}, 1, 0)) is None


def test_a_change_of_the_screens_alone_is_a_change() -> None:
    """Another facilitator or projector changes the counts: a change with an empty roster diff."""
    state = _room().state
    change = roster_change(presence_of(state, {}, 1, 0), presence_of(state, {}, 1, 1))
    assert change is not None
    assert (change["joined"], change["left"], change["observers"]) == ([], [], 1)


@given(st.lists(st.dictionaries(st.sampled_from(IDS), st.integers(0, 2)), min_size=1,
                max_size=8))
def test_changes_applied_in_order_give_the_roster(steps: list[dict[str, int]]) -> None:
    """A client that starts from a whole roster and applies each change has the roster."""
    state = _room().state
    shown = presence_of(state, steps[0], 1, 0)
    roster: dict[str, Any] = {e["id"]: e for e in roster_view(shown)["members"]}
    for online in steps[1:]:
        now = presence_of(state, online, 1, 0)
        change = roster_change(shown, now)
        if change is not None:
            roster = _apply(roster, change)
            assert {k: v for k, v in change.items() if k not in ("joined", "left")} == \
                counts(now)
        shown = now
        assert roster == {m: dict(e) for m, e in now.roster.items()}
