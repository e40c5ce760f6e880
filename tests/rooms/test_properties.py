"""Invariants of the room state machine over random sessions (Hypothesis).

A session is a room created by the system, three participants who joined through
``member.join``, then random commands from a facilitator, the participants, an observer and
the system, valid or not (unknown names, missing, extra or mistyped arguments, ids that do not
exist), decided and applied one by one while the server clock moves forward.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rooms import codec
from rooms.actors import SYSTEM, Actor, Role
from rooms.events import Event
from rooms.projection import REDACTED, Audience, event_view, snapshot, subjects
from rooms.room import COMMANDS, Command, apply, decide, replay
from rooms.state import REACTIONS, Idea, RoomState
from tests.rooms.helpers import FAC, OBS, OPEN, P1, P2, P3, START, profile

SETTINGS = settings(max_examples=200, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow])

# Who sees what: every participant by id, and an observer (observers have no member id).
VIEWERS: tuple[tuple[Audience, str | None], ...] = (
    (Audience.PARTICIPANT, "p1"), (Audience.PARTICIPANT, "p2"),
    (Audience.PARTICIPANT, "p3"), (Audience.OBSERVER, None))
SECRET_KEYS = {"tallies", "results", "ballots"}


# The strategy: a session of commands -----------------------------------------------------------


@dataclass(frozen=True)
class Pick:
    """An id to choose when the command runs: one of the room's things of ``kind``, or none."""

    kind: str
    n: int


@dataclass(frozen=True)
class Step:
    """One command of a session: who sends it, what, with which arguments, how much later."""

    actor: Actor
    name: str
    args: dict[str, Any]
    mutation: tuple[str, Any] | None
    later_ms: int


def _pick(kind: str) -> st.SearchStrategy[Pick]:
    return st.builds(Pick, st.just(kind), st.integers(0, 9))


_WORDS = st.sampled_from(["Idea", "Sirens", "  padded  ", "Cafe\u0301", "two\nlines"])
_TEXT = st.one_of(*[_WORDS] * 4, st.text(max_size=12))  # mostly valid, sometimes anything
_BAD = st.sampled_from([None, 0, 7, True, 1.5, "", "x" * 1001, "bell\x07", ["x"], {"a": 1}])
_IDEA, _CLUSTER = _pick("idea"), _pick("cluster")
_LIMIT = st.integers(1, 3)

_ARGS: dict[str, st.SearchStrategy[dict[str, Any]]] = {
    "room.create": st.fixed_dictionaries({"title": _TEXT}),
    "room.update": st.fixed_dictionaries({}, optional={"title": _TEXT, "challenge": _TEXT}),
    "phase.set": st.fixed_dictionaries({"phase": _pick("phase")}),
    "phase.next": st.just({}),
    "phase.back": st.just({}),
    "idea.add": st.fixed_dictionaries({"text": _TEXT}),
    "idea.edit": st.fixed_dictionaries({"id": _IDEA, "text": _TEXT}),
    "idea.delete": st.fixed_dictionaries({"id": _IDEA}),
    "idea.hide": st.fixed_dictionaries({"id": _IDEA,
                                        "hidden": st.sampled_from([True, True, False])}),
    "idea.move": st.fixed_dictionaries({"id": _IDEA, "cluster": st.none() | _CLUSTER}),
    "comment.add": st.fixed_dictionaries({"idea": _IDEA, "text": _TEXT}),
    "comment.delete": st.fixed_dictionaries({"idea": _IDEA, "id": _pick("comment")}),
    "reaction.toggle": st.fixed_dictionaries({"idea": _IDEA,
                                              "reaction": st.sampled_from(REACTIONS)}),
    "cluster.create": st.fixed_dictionaries({"title": _TEXT}),
    "cluster.rename": st.fixed_dictionaries({"id": _CLUSTER, "title": _TEXT}),
    "cluster.delete": st.fixed_dictionaries({"id": _CLUSTER}),
    "vote.cast": st.fixed_dictionaries({"idea": _IDEA}),
    "vote.retract": st.fixed_dictionaries({"idea": _IDEA}),
    "voting.configure": st.one_of(  # mostly lowering a limit, which may trim dots
        st.fixed_dictionaries({"budget": st.integers(1, 4)}, optional={"cap": _LIMIT}),
        st.fixed_dictionaries({"cap": _LIMIT}),
        st.fixed_dictionaries({}, optional={"budget": st.integers(1, 7), "cap": _LIMIT,
                                            "anonymous": st.booleans()})),
    "voting.open": st.just({}),
    "voting.close": st.just({}),
    "voting.reveal": st.just({}),
    "timer.start": st.fixed_dictionaries({"seconds": st.integers(1, 300)}),
    "timer.pause": st.just({}),
    "timer.resume": st.just({}),
    "timer.adjust": st.fixed_dictionaries({"seconds": st.integers(-400, 400)}),
    "timer.stop": st.just({}),
    "timer.expire": st.just({}),
    "member.join": st.builds(profile, st.sampled_from(["p1", "p2", "p3"]),
                             attendance=st.sampled_from(["onsite", "remote"])),
    "idea.explode": st.just({}),  # a command no room knows
}

# Each actor mostly sends what their role may send (weighted towards voting, which the
# invariants are about), and now and then anything at all.
_OWN: dict[Role, list[str]] = {
    Role.FACILITATOR: [
        *["voting.configure"] * 4, "voting.open", "voting.open", "voting.close", "voting.reveal",
        "phase.set", "phase.set", "phase.next", "phase.back", "room.update",
        *["idea.hide"] * 4, "idea.move", "idea.move", "idea.edit", "idea.delete", "idea.delete",
        "idea.add", "idea.add", "comment.add", "comment.add", "comment.delete",
        "reaction.toggle", "cluster.create", "cluster.create", "cluster.rename",
        "cluster.delete", "timer.start", "timer.start", "timer.pause", "timer.resume",
        "timer.adjust", "timer.adjust", "timer.stop"],
    Role.PARTICIPANT: [
        *["idea.add"] * 4, *["vote.cast"] * 12, *["vote.retract"] * 2, "idea.edit", "idea.edit",
        "idea.delete", "comment.add", "comment.add", "comment.delete", "reaction.toggle",
        "reaction.toggle"],
    Role.OBSERVER: list(_ARGS),
    Role.SYSTEM: ["timer.expire"] * 3 + ["member.join", "room.create"],
}
_ACTORS = st.sampled_from([FAC, FAC, FAC, P1, P2, P3, P1, P2, P3, OBS, SYSTEM])
_MUTATIONS = st.one_of(
    st.tuples(st.just("drop"), st.integers(0, 3)),
    st.tuples(st.just("extra"), st.sampled_from(["colour", "voter", "seq"])),
    st.tuples(st.just("bad"), st.tuples(st.integers(0, 3), _BAD)),
)


@st.composite
def _step(draw: st.DrawFn) -> Step:
    actor = draw(_ACTORS)
    off_role = draw(st.integers(0, 9)) == 9
    name = draw(st.sampled_from(list(_ARGS) if off_role else _OWN[actor.role]))
    mutation = draw(_MUTATIONS) if draw(st.integers(0, 9)) == 9 else None
    return Step(actor, name, draw(_ARGS[name]), mutation, draw(st.integers(0, 60_000)))


@st.composite
def _creation(draw: st.DrawFn) -> dict[str, Any]:
    budget = draw(st.integers(3, 6))  # room to stack dots, so lowering the limits trims them
    return {"title": "Room", "budget": budget, "cap": draw(st.integers(2, budget)),
            "anonymous": draw(st.booleans()),
            "phases": draw(st.sampled_from([OPEN, OPEN, OPEN, None]))}  # None: the default agenda


Session = tuple[dict[str, Any], list[Step]]
SESSIONS = st.tuples(_creation(), st.lists(_step(), min_size=30, max_size=120))


# Running a session ------------------------------------------------------------------------------


@dataclass
class Trace:
    """What a session produced: the log, and the live state after each of its events."""

    log: list[Event] = field(default_factory=list)
    states: list[RoomState] = field(default_factory=list)

    @property
    def final(self) -> RoomState:
        return self.states[-1] if self.states else RoomState()

    def steps(self) -> Iterator[tuple[RoomState, Event, RoomState]]:
        """Each event with the state before and after it."""
        return zip([RoomState(), *self.states], self.log, self.states, strict=False)


def _resolve(state: RoomState, args: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in args.items():  # "idea" comes before a comment's "id"
        out[key] = _choose(state, value, out.get("idea")) if isinstance(value, Pick) else value
    return out


def _choose(state: RoomState, pick: Pick, idea_id: str | None) -> str:
    board = state.board
    pool = {
        "idea": list(board.ideas),
        "cluster": list(board.clusters),
        "phase": [p.id for p in state.phases.phases],
        "comment": [c.id for c in board.ideas[idea_id].comments]
        if idea_id in board.ideas else [],
    }[pick.kind]
    if pick.n == 9 or not pool:
        return f"{pick.kind[0]}0"  # an id that never exists
    return pool[pick.n % len(pool)]


def _mutate(args: dict[str, Any], mutation: tuple[str, Any] | None) -> dict[str, Any]:
    if mutation is None:
        return args
    kind, detail = mutation
    keys = sorted(args)
    if kind == "extra":
        return {**args, detail: 1}
    if not keys:
        return args
    if kind == "drop":
        return {k: v for k, v in args.items() if k != keys[detail % len(keys)]}
    index, bad = detail
    return {**args, keys[index % len(keys)]: bad}


def run(creation: dict[str, Any], steps: list[Step]) -> Trace:
    """Decide and apply a session; every batch of events must continue the log."""
    create = {k: v for k, v in creation.items() if v is not None}
    setup = [Step(SYSTEM, "room.create", create, None, 0)] + [
        Step(SYSTEM, "member.join", profile(p.id), None, 0) for p in (P1, P2, P3)]
    trace, state, now = Trace(), RoomState(), START
    for step in [*setup, *steps]:
        now += step.later_ms
        args = _mutate(_resolve(state, step.args), step.mutation)
        result = decide(state, Command(step.name, args), step.actor, now)
        if not isinstance(result, list):
            continue
        assert [e.seq for e in result] == list(range(state.seq + 1, state.seq + 1 + len(result)))
        for event in result:
            state = apply(state, event)
            trace.log.append(event)
            trace.states.append(state)
    assert [e.name for e in trace.log[:4]] == ["room.created", *["member.joined"] * 3]
    return trace


def _walk(value: Any) -> Iterator[tuple[str, Any]]:
    """Every (key, value) pair inside nested JSON data."""
    if isinstance(value, dict):
        for key, inner in value.items():
            yield key, inner
            yield from _walk(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _walk(inner)


def _leaks_votes(view: dict[str, Any], viewer: str | None) -> list[tuple[str, Any]]:
    """Parts of a view that would tell ``viewer`` how others voted before the reveal."""
    return [(k, v) for k, v in _walk(view)
            if k in SECRET_KEYS or (k == "voter" and v != viewer)]


def _still_hidden(before: RoomState, event: Event, after: RoomState) -> Idea | None:
    """The hidden idea a board event is about, if it was hidden before and is not shown now."""
    key = {"comment.added": "idea", "comment.deleted": "idea", "reaction.toggled": "idea",
           "idea.edited": "id", "idea.moved": "id", "idea.deleted": "id"}.get(event.name)
    idea = before.board.ideas.get(event.data[key]) if key else None
    return idea if idea is not None and idea.hidden else None


# The properties ---------------------------------------------------------------------------------


def test_the_sessions_can_send_every_command() -> None:
    """The session strategy has arguments for every command the room knows, and one it does not."""
    assert set(_ARGS) == {*COMMANDS, "idea.explode"}


@SETTINGS
@given(SESSIONS)
def test_replaying_the_log_gives_the_live_state(session: Session) -> None:
    """Replay from an empty state equals the live state, and the codec round-trips it."""
    trace = run(*session)
    live = trace.final
    assert replay(trace.log) == live
    assert codec.decode(json.loads(json.dumps(codec.encode(live)))) == live
    middle = len(trace.log) // 2
    snap = codec.decode(codec.encode(trace.states[middle]))
    assert snap is not None
    assert replay(trace.log[middle + 1:], snap) == live


@SETTINGS
@given(SESSIONS)
def test_nobody_ever_holds_more_votes_than_the_rules_allow(
        session: Session) -> None:
    """After every event: ballots within budget and cap in force, dots on visible ideas only."""
    for _, event, state in run(*session).steps():
        if event.name == "vote.cast":
            assert not state.board.ideas[event.data["idea"]].hidden, event
        voting = state.voting
        for voter, ballot in voting.ballots.items():
            assert voter in state.members, event
            assert 0 < len(ballot) <= voting.budget, event
            for idea in set(ballot):
                assert ballot.count(idea) <= voting.cap, event
                assert idea in state.board.ideas, event


@SETTINGS
@given(SESSIONS)
def test_no_one_sees_others_votes_before_the_reveal(session: Session) -> None:
    """Before voting.revealed, no participant or observer view shows another's votes."""
    for _, event, state in run(*session).steps():
        if state.voting.revealed:
            break
        for audience, viewer in VIEWERS:
            view = event_view(state, event, audience, viewer)
            if event.name.startswith("vote.") and event.data["voter"] != viewer:
                assert view == {"hidden": True}, event
            assert not _leaks_votes(view, viewer), event
            snap = snapshot(state, audience, viewer)
            assert not _leaks_votes(snap, viewer), event
            assert snap["voting"]["mine"] == list(state.voting.ballots.get(viewer or "", ()))


@SETTINGS
@given(SESSIONS)
def test_hidden_things_stay_hidden_and_views_agree_with_subjects(
        session: Session) -> None:
    """Hidden ideas reach only author and facilitators; non-subjects see the audience view."""
    for before, event, state in run(*session).steps():
        mine = subjects(state, event)
        anonymous = state.voting.revealed and state.voting.anonymous
        hidden = _still_hidden(before, event, state)
        for audience, viewer in VIEWERS:
            view = event_view(state, event, audience, viewer)
            if hidden is not None and viewer != hidden.author:
                assert view == REDACTED, event
            if viewer not in mine:
                assert view == event_view(state, event, audience, None), event
            if anonymous:
                assert not [v for k, v in _walk(view) if k == "voter" and v != viewer], event
            for idea in snapshot(state, audience, viewer)["board"]["ideas"]:
                assert not idea["hidden"] or idea["author"] == viewer, event


@SETTINGS
@given(SESSIONS)
def test_seqs_are_contiguous_from_one(session: Session) -> None:
    """The log is numbered 1, 2, 3, ... with no gap, and the state ends at its last seq."""
    trace = run(*session)
    assert [e.seq for e in trace.log] == list(range(1, len(trace.log) + 1))
    assert trace.final.seq == len(trace.log)
