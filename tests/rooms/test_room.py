"""The dispatcher: the gate every command passes, and how events are applied and replayed."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from rooms.actors import SYSTEM, Actor, Role
from rooms.errors import ErrorCode, Rejection
from rooms.events import Event
from rooms.registry import FACILITATOR
from rooms.room import COMMANDS, Command, LogGapError, apply, decide, replay
from rooms.state import CAPABILITIES, RoomState
from tests.rooms.helpers import FAC, OBS, P1, P2, START, Room, open_room

FACILITATOR_COMMANDS = sorted(n for n, c in COMMANDS.items() if c.roles == FACILITATOR)
SYSTEM_COMMANDS = ("room.create", "member.join", "timer.expire")


def _code(result: list[Event] | Rejection) -> ErrorCode:
    assert isinstance(result, Rejection), result
    return result.code


# The gate: command, role, room, arguments, phase ------------------------------------------------


@pytest.mark.parametrize("actor", [FAC, P1, OBS, SYSTEM])
def test_an_unknown_command_is_refused_for_every_role(actor: Actor) -> None:
    """A command name the room does not know is unknown_command, whoever sends it."""
    room = Room()
    assert room.no(actor, "idea.explode", id="i1") is ErrorCode.UNKNOWN_COMMAND


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_an_observer_may_send_no_command(name: str) -> None:
    """Observers only watch: every command of the room is forbidden to them."""
    assert Room().no(OBS, name) is ErrorCode.FORBIDDEN


@pytest.mark.parametrize("name", FACILITATOR_COMMANDS)
def test_a_participant_may_not_send_facilitator_commands(name: str) -> None:
    """Each facilitator-only command is forbidden to a participant."""
    assert open_room().no(P1, name) is ErrorCode.FORBIDDEN


@pytest.mark.parametrize("name", SYSTEM_COMMANDS)
@pytest.mark.parametrize("actor", [FAC, P1])
def test_system_commands_are_not_for_people(name: str, actor: Actor) -> None:
    """Room creation, member entry and timer expiry come only from the server itself."""
    assert Room().no(actor, name) is ErrorCode.FORBIDDEN


@pytest.mark.parametrize("name", ["vote.cast", "vote.retract"])
def test_a_facilitator_does_not_vote(name: str) -> None:
    """Voting commands are for participants: a facilitator is forbidden to send them."""
    room = open_room()
    idea = room.idea()
    assert room.no(FAC, name, idea=idea) is ErrorCode.FORBIDDEN


def test_the_role_is_checked_before_the_arguments() -> None:
    """A forbidden command is forbidden even when its arguments are also bad."""
    assert Room().no(P1, "timer.start", seconds="soon") is ErrorCode.FORBIDDEN


@pytest.mark.parametrize(("actor", "name", "args"), [
    (FAC, "phase.next", {}),
    (FAC, "room.update", {"title": "New"}),
    (P1, "idea.add", {"text": "early"}),
    (SYSTEM, "member.join", {"id": "p1"}),
    (SYSTEM, "timer.expire", {}),
])
def test_commands_before_room_create_are_refused(actor: Actor, name: str,
                                                 args: dict[str, Any]) -> None:
    """Until room.create, every other command is invalid_state and produces nothing."""
    result = decide(RoomState(), Command(name, args), actor, START)
    assert _code(result) is ErrorCode.INVALID_STATE


@pytest.mark.parametrize(("name", "args"), [
    ("idea.add", {}),  # missing
    ("idea.add", {"text": 42}),  # wrong type
    ("idea.add", {"text": None}),
    ("idea.add", {"text": ["a"]}),
    ("idea.add", {"text": "ok", "colour": "red"}),  # unknown argument
    ("idea.add", {"text": "x" * 1001}),  # too long
    ("idea.add", {"text": "   "}),  # empty once trimmed
    ("idea.add", {"text": "bell\x07"}),  # control character
    ("idea.add", {"text": "nul\x00byte"}),
    ("idea.add", {"text": "esc\x1b[31m"}),
    ("comment.add", {"idea": "", "text": "hi"}),  # an empty id
    ("comment.add", {"idea": "i" * 65, "text": "hi"}),  # an over-long id
    ("comment.add", {"idea": 3, "text": "hi"}),
    ("reaction.toggle", {"idea": "i1", "reaction": "thumbs-down"}),  # not in the fixed set
    ("vote.cast", {"idea": None}),  # not nullable
])
def test_participant_arguments_are_checked(name: str, args: dict[str, Any]) -> None:
    """Missing, mistyped, unknown, too long or control-character arguments are invalid_args."""
    assert open_room().no(P1, name, **args) is ErrorCode.INVALID_ARGS


@pytest.mark.parametrize(("name", "args"), [
    ("timer.start", {"seconds": True}),  # a boolean is not a number
    ("timer.start", {"seconds": 1.5}),
    ("timer.start", {"seconds": "60"}),
    ("timer.start", {"seconds": 0}),
    ("timer.start", {"seconds": 24 * 3600 + 1}),
    ("voting.configure", {"budget": False}),
    ("voting.configure", {"cap": 0}),
    ("voting.configure", {"budget": 101}),
    ("voting.configure", {"anonymous": 1}),  # a number is not a boolean
    ("idea.hide", {"id": "i1", "hidden": "yes"}),
    ("idea.move", {"id": "i1"}),
    ("cluster.create", {"title": "t" * 121}),
    ("phase.set", {"phase": 7}),
    ("phase.next", {"phase": "vote"}),  # takes no arguments
])
def test_facilitator_arguments_are_checked(name: str, args: dict[str, Any]) -> None:
    """Booleans as ints, ints as booleans, out-of-range or extra arguments are invalid_args."""
    assert open_room().no(FAC, name, **args) is ErrorCode.INVALID_ARGS


@pytest.mark.parametrize("args", [None, [], "text", 3])
def test_arguments_must_be_an_object(args: object) -> None:
    """Arguments that are not a JSON object are invalid_args, not a crash."""
    room = open_room()
    assert _code(room.send_raw(P1, "idea.add", args)) is ErrorCode.INVALID_ARGS


def test_an_error_message_names_the_bad_argument() -> None:
    """The rejection's message tells a person which argument is wrong."""
    result = open_room().send(P1, "idea.add", text="ok", colour="red")
    assert isinstance(result, Rejection)
    assert "colour" in result.message


def test_text_is_trimmed_and_normalized_and_may_hold_newlines() -> None:
    """Text is NFC-normalized and trimmed; newlines and tabs inside it are kept."""
    room = open_room()
    event = room.one(P1, "idea.add", text="  Cafe\u0301\n\tmenu  ")
    assert event.data["text"] == "Caf\u00e9\n\tmenu"


def test_the_length_limit_counts_normalized_characters() -> None:
    """1000 characters is the limit for an idea, whether composed or decomposed on input."""
    room = open_room()
    room.ok(P1, "idea.add", text="\u00e9" * 1000)
    room.ok(P1, "idea.add", text="e\u0301" * 1000)
    assert room.no(P1, "idea.add", text="x" * 1001) is ErrorCode.INVALID_ARGS


@pytest.mark.parametrize(("name", "capability"), [
    ("idea.add", "ideas"), ("comment.add", "comments"), ("reaction.toggle", "reactions"),
    ("vote.cast", "votes"),
])
def test_a_participant_is_gated_by_the_phase(name: str, capability: str) -> None:
    """In the brief phase (which allows nothing) each participant capability is phase_closed."""
    room = Room()
    idea = room.idea(FAC)
    args = {"idea.add": {"text": "x"}, "comment.add": {"idea": idea, "text": "x"},
            "reaction.toggle": {"idea": idea, "reaction": "+1"},
            "vote.cast": {"idea": idea}}[name]
    assert capability in CAPABILITIES
    assert room.no(P1, name, **args) is ErrorCode.PHASE_CLOSED


def test_the_phase_rejection_names_the_phase_and_the_capability() -> None:
    """A phase_closed message says which phase and what it does not allow."""
    result = Room().send(P1, "idea.add", text="x")
    assert isinstance(result, Rejection)
    assert "Brief" in result.message
    assert "ideas" in result.message


def test_a_facilitator_is_never_gated_by_the_phase() -> None:
    """In a phase that allows nothing, a facilitator still posts, comments and reacts."""
    room = Room()
    idea = room.idea(FAC)
    room.ok(FAC, "comment.add", idea=idea, text="note")
    room.ok(FAC, "reaction.toggle", idea=idea, reaction="heart")


def test_arguments_are_checked_before_the_phase() -> None:
    """A malformed command in a closed phase is invalid_args: the shape is checked first."""
    assert Room().no(P1, "idea.add", text=5) is ErrorCode.INVALID_ARGS


def test_a_rule_rejection_passes_through_the_gate() -> None:
    """A command that passes the gate may still be refused by its slice's rule."""
    assert open_room().no(P1, "idea.edit", id="i999", text="x") is ErrorCode.NOT_FOUND


# Numbering and applying -------------------------------------------------------------------------


def test_decide_numbers_events_after_the_state_seq_with_time_and_actor() -> None:
    """Events get seq state.seq+1.., the server time given and the actor's id."""
    room = open_room()
    room.now = START + 5
    event = room.one(P1, "idea.add", text="x")
    assert (event.seq, event.at, event.actor) == (room.state.seq, START + 5, "p1")
    assert event.seq == room.log[-2].seq + 1


def test_decide_does_not_change_the_state() -> None:
    """Deciding is pure: the same state decides the same events twice."""
    room = open_room()
    command = Command("idea.add", {"text": "x"})
    assert decide(room.state, command, P1, START) == decide(room.state, command, P1, START)
    assert room.state.board.ideas == {}


def test_apply_is_idempotent_by_seq() -> None:
    """An event at or below the state's seq changes nothing (an echo or a retry)."""
    room = open_room()
    room.idea()
    state = room.state
    for event in room.log:
        assert apply(state, event) is state


def test_apply_raises_on_a_gap() -> None:
    """An event that skips a seq raises LogGapError naming the expected seq."""
    room = open_room()
    event = Event(room.state.seq + 2, START, "idea.added", "p1",
                  {"id": "i9", "author": "p1", "text": "x"})
    with pytest.raises(LogGapError, match=f"expected seq {room.state.seq + 1}"):
        apply(room.state, event)


def test_an_unknown_event_only_advances_the_seq() -> None:
    """An event a newer server wrote is followed: seq moves, nothing else does."""
    room = open_room()
    event = Event(room.state.seq + 1, START, "quiz.asked", "f1", {"q": "?"})
    after = apply(room.state, event)
    assert after == replace(room.state, seq=event.seq)


def test_replay_of_the_log_gives_the_live_state() -> None:
    """Folding the log from an empty state reproduces the live state."""
    room = open_room()
    idea = room.idea()
    room.ok(P2, "vote.cast", idea=idea)
    room.ok(FAC, "cluster.create", title="Group")
    assert replay(room.log) == room.state


def test_replay_continues_from_a_snapshot() -> None:
    """Replaying the tail of a log onto a state taken mid-way gives the live state."""
    room = open_room()
    room.idea()
    middle, cut = room.state, len(room.log)
    room.idea(P2)
    assert replay(room.log[cut:], middle) == room.state


def test_room_create_is_system_only_and_happens_once() -> None:
    """A second room.create is invalid_state: a room exists once."""
    room = Room()
    assert room.no(SYSTEM, "room.create", title="Again") is ErrorCode.INVALID_STATE


def test_every_command_names_known_roles_and_capabilities() -> None:
    """The command table is well formed: roles are real roles, capabilities are known."""
    for spec in COMMANDS.values():
        assert spec.roles
        assert spec.roles <= set(Role)
        assert Role.OBSERVER not in spec.roles
        assert spec.capability is None or spec.capability in CAPABILITIES


def test_a_forbidden_role_is_named_in_plain_words() -> None:
    """The refusal names the role with its article: 'an observer may not send ...'."""
    room = Room()
    result = decide(room.state, Command("idea.add", {"text": "x"}), OBS, room.now)
    assert isinstance(result, Rejection)
    assert result.message == "an observer may not send 'idea.add'"
