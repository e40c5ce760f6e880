"""Room creation and the room's own settings."""

from __future__ import annotations

from typing import Any

import pytest

from rooms.actors import SYSTEM
from rooms.errors import ErrorCode, Rejection
from rooms.phases import DEFAULT_PHASES
from rooms.room import Command, decide
from rooms.state import RoomState, VotingState
from tests.rooms.helpers import FAC, OPEN, P1, START, Room


def _create(**args: Any) -> list[Any] | Rejection:
    return decide(RoomState(), Command("room.create", args), SYSTEM, START)


def test_a_room_is_created_with_defaults() -> None:
    """room.create with a title gives the default agenda, voting rules and an empty challenge."""
    room = Room(members=())
    state, defaults = room.state, VotingState()
    assert state.created
    assert (state.title, state.challenge) == ("Room", "")
    assert state.phases.phases == DEFAULT_PHASES
    assert state.phases.phase == DEFAULT_PHASES[0]
    assert (state.voting.budget, state.voting.cap, state.voting.anonymous) == (
        defaults.budget, defaults.cap, defaults.anonymous)
    assert state.voting.open
    assert not state.voting.revealed


def test_a_room_is_created_with_its_settings() -> None:
    """Challenge, phases, budget, cap and anonymity given at creation are the room's."""
    room = Room(members=(), challenge="Flood response", phases=OPEN, budget=8, cap=8,
                anonymous=False)
    state = room.state
    assert state.challenge == "Flood response"
    assert [p.id for p in state.phases.phases] == ["open"]
    assert (state.voting.budget, state.voting.cap, state.voting.anonymous) == (8, 8, False)


def test_the_created_event_carries_everything_replay_needs() -> None:
    """room.created writes the defaults it used, so a replay never depends on code defaults."""
    room = Room(members=())
    assert set(room.log[0].data) == {"title", "challenge", "phases", "budget", "cap",
                                     "anonymous"}
    assert room.log[0].data["phases"][1] == {
        "id": "ideate", "label": "Ideate", "allows": ["ideas", "comments", "reactions"]}


@pytest.mark.parametrize("args", [
    {"title": "R", "cap": 6},  # above the default budget of 5
    {"title": "R", "budget": 2, "cap": 3},
])
def test_a_cap_above_the_budget_is_refused_at_creation(args: dict[str, Any]) -> None:
    """A cap larger than the budget could never be reached: invalid_args."""
    result = _create(**args)
    assert isinstance(result, Rejection)
    assert result.code is ErrorCode.INVALID_ARGS


@pytest.mark.parametrize("args", [
    {}, {"title": ""}, {"title": "x" * 121}, {"title": "R", "budget": 0},
    {"title": "R", "anonymous": "no"}, {"title": "R", "challenge": "x" * 4001},
    {"title": "R", "phases": []}, {"title": "R", "owner": "f1"},
])
def test_bad_creation_arguments_are_refused(args: dict[str, Any]) -> None:
    """A missing or empty title, out-of-range limits or unknown arguments are invalid_args."""
    result = _create(**args)
    assert isinstance(result, Rejection)
    assert result.code is ErrorCode.INVALID_ARGS


def test_an_empty_challenge_is_allowed() -> None:
    """The challenge may be empty; the title may not."""
    assert isinstance(_create(title="R", challenge="  "), list)


def test_the_facilitator_updates_title_and_challenge() -> None:
    """room.update changes only what it names."""
    room = Room()
    room.ok(FAC, "room.update", title="Cyber drill")
    assert (room.state.title, room.state.challenge) == ("Cyber drill", "")
    room.ok(FAC, "room.update", challenge="Keep hospitals online")
    assert (room.state.title, room.state.challenge) == ("Cyber drill", "Keep hospitals online")


def test_an_empty_update_is_refused() -> None:
    """room.update with nothing to change is invalid_args."""
    assert Room().no(FAC, "room.update") is ErrorCode.INVALID_ARGS


def test_a_participant_may_not_update_the_room() -> None:
    """Only facilitators change the room's title and challenge."""
    assert Room().no(P1, "room.update", title="Mine") is ErrorCode.FORBIDDEN
