"""Phases: the default agenda, configurable lists, and moving between phases."""

from __future__ import annotations

from typing import Any

import pytest

from rooms.errors import ErrorCode
from rooms.fields import FieldError
from rooms.phases import DEFAULT_PHASES, PhaseList, phase_to_json, phases_from_json
from tests.rooms.helpers import FAC, P1, Room

TWO = [{"id": "warmup", "label": "Warm-up"},
       {"id": "work", "label": "Work", "allows": ["ideas", "votes"]}]


def _ids(room: Room) -> list[str]:
    return [p.id for p in room.state.phases.phases]


def _current(room: Room) -> str:
    phase = room.state.phases.phase
    assert phase is not None
    return phase.id


def test_the_default_agenda() -> None:
    """Brief, ideate, cluster, vote, refine, results, with what each lets participants do."""
    assert [(p.id, sorted(p.allows)) for p in DEFAULT_PHASES] == [
        ("brief", []),
        ("ideate", ["comments", "ideas", "reactions"]),
        ("cluster", ["comments", "reactions"]),
        ("vote", ["reactions", "votes"]),
        ("refine", ["comments", "ideas", "outcomes", "reactions"]),
        ("results", ["reactions"]),
    ]


def test_a_room_starts_in_its_first_phase() -> None:
    """A new room is in the first phase of its list."""
    assert _current(Room()) == "brief"
    assert _current(Room(phases=TWO)) == "warmup"


def test_a_configured_list_replaces_the_default() -> None:
    """A room created with its own phases has exactly those, allows defaulting to nothing."""
    room = Room(phases=TWO)
    assert _ids(room) == ["warmup", "work"]
    assert room.state.phases.phases[0].allows == frozenset()
    assert room.state.phases.phases[1].allows == {"ideas", "votes"}


def test_a_configured_phase_gates_participants() -> None:
    """What a configured phase allows is what participants may do in it."""
    room = Room(phases=TWO)
    assert room.no(P1, "idea.add", text="x") is ErrorCode.PHASE_CLOSED
    room.ok(FAC, "phase.next")
    idea = room.idea(P1)
    assert room.no(P1, "comment.add", idea=idea, text="x") is ErrorCode.PHASE_CLOSED


@pytest.mark.parametrize("value", [
    [],  # empty
    [{"id": f"p{i}", "label": "P"} for i in range(21)],  # too many
    "brief",  # not a list
    [["brief"]],  # an item that is not an object
    [{"id": "a", "label": "A"}, {"id": "a", "label": "B"}],  # one id twice
    [{"id": "Brief", "label": "B"}],  # upper case
    [{"id": "1st", "label": "B"}],  # starts with a digit
    [{"id": "a" * 33, "label": "B"}],  # too long
    [{"label": "No id"}],
    [{"id": "a"}],  # no label
    [{"id": "a", "label": "   "}],  # blank label
    [{"id": "a", "label": "L" * 41}],
    [{"id": "a", "label": "A", "allows": ["dancing"]}],  # unknown capability
    [{"id": "a", "label": "A", "allows": "ideas"}],  # not a list
])
def test_a_bad_phase_list_is_refused(value: Any) -> None:
    """Phase lists must have 1-20 objects with unique slug ids, labels and known capabilities."""
    with pytest.raises(FieldError):
        PhaseList().check("phases", value)


def test_a_phase_list_is_normalized() -> None:
    """Labels are trimmed and capabilities put in canonical order without repeats."""
    clean = PhaseList().check("phases", [
        {"id": "a-1_b", "label": "  Go ", "allows": ["votes", "ideas", "votes"]}])
    assert clean == [{"id": "a-1_b", "label": "Go", "allows": ["ideas", "votes"]}]


def test_twenty_phases_are_allowed() -> None:
    """Twenty phases is the longest agenda a room accepts."""
    phases = [{"id": f"p{i}", "label": f"P{i}"} for i in range(20)]
    assert len(PhaseList().check("phases", phases)) == 20


def test_phases_round_trip_through_json() -> None:
    """phases_from_json rebuilds what phase_to_json wrote."""
    assert phases_from_json([phase_to_json(p) for p in DEFAULT_PHASES]) == DEFAULT_PHASES


def test_next_and_back_move_one_step() -> None:
    """phase.next and phase.back move one phase and say where from."""
    room = Room()
    event = room.one(FAC, "phase.next")
    assert (event.name, event.data) == ("phase.changed", {"phase": "ideate",
                                                          "previous": "brief"})
    room.ok(FAC, "phase.next")
    room.ok(FAC, "phase.back")
    assert _current(room) == "ideate"


def test_set_jumps_to_any_phase_forward_or_back() -> None:
    """phase.set goes to a named phase in either direction."""
    room = Room()
    room.ok(FAC, "phase.set", phase="results")
    assert _current(room) == "results"
    event = room.one(FAC, "phase.set", phase="ideate")
    assert event.data == {"phase": "ideate", "previous": "results"}


def test_back_from_the_first_phase_is_refused() -> None:
    """There is nothing before the first phase: invalid_state."""
    assert Room().no(FAC, "phase.back") is ErrorCode.INVALID_STATE


def test_next_from_the_last_phase_is_refused() -> None:
    """There is nothing after the last phase: invalid_state."""
    room = Room()
    room.goto("results")
    assert room.no(FAC, "phase.next") is ErrorCode.INVALID_STATE


def test_setting_the_current_phase_is_refused() -> None:
    """Moving to the phase the room is in is invalid_state, not an empty event."""
    assert Room().no(FAC, "phase.set", phase="brief") is ErrorCode.INVALID_STATE


def test_setting_an_unknown_phase_is_not_found() -> None:
    """A phase id the room does not have is not_found."""
    assert Room().no(FAC, "phase.set", phase="party") is ErrorCode.NOT_FOUND


def test_a_one_phase_room_cannot_move() -> None:
    """With one phase, next and back are both invalid_state."""
    room = Room(phases=[{"id": "only", "label": "Only"}])
    assert room.no(FAC, "phase.next") is ErrorCode.INVALID_STATE
    assert room.no(FAC, "phase.back") is ErrorCode.INVALID_STATE


@pytest.mark.parametrize("name", ["phase.next", "phase.back", "phase.set"])
def test_participants_do_not_move_phases(name: str) -> None:
    """Only facilitators change the phase."""
    assert Room().no(P1, name, **({"phase": "vote"} if name == "phase.set" else {})) is (
        ErrorCode.FORBIDDEN)


def test_opening_a_phase_opens_its_capabilities() -> None:
    """Moving to ideate lets participants post; moving on to cluster stops it again."""
    room = Room()
    room.goto("ideate")
    room.ok(P1, "idea.add", text="x")
    room.goto("cluster")
    assert room.no(P1, "idea.add", text="y") is ErrorCode.PHASE_CLOSED
