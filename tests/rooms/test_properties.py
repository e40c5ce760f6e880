"""Invariants of the room state machine over random sessions (Hypothesis).

A session is a room created by the system, three participants who joined through
``member.join``, an idea from the facilitator and one from p1 (when the phase lets p1 post),
then random commands from the facilitator, the participants, an observer and the system, valid
or not (unknown names, missing, extra or mistyped arguments, ids that do not exist, roles that
may not send them), decided and applied one by one while the server clock moves forward.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rooms import codec
from rooms.actors import SYSTEM, Actor
from rooms.events import Event
from rooms.projection import REDACTED, Audience, event_view, snapshot, subjects
from rooms.room import COMMANDS, Command, apply, decide, replay
from rooms.state import CAPABILITIES, REACTIONS, Idea, RoomState
from tests.rooms.helpers import FAC, OBS, OPEN, P1, P2, P3, START, profile

SETTINGS = settings(max_examples=200, deadline=None, database=None, report_multiple_bugs=False,
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
    mutation: tuple[str, int, int] | None
    later_ms: int


# A step is drawn as a few small numbers and built from tables: an action (who sends what), two
# argument digits, and one digit for the time that passes and the odd malformed command. Few
# choices per step keep Hypothesis fast, and its shrinking short, on sessions of dozens of steps.

_TEXTS = ("Idea", "Sirens", "  padded  ", "Cafe\u0301", "two\nlines", "Radio", "\u00e9" * 1000,
          "Idee", "\tTabbed", "bell\x07")  # the last one is invalid
_BAD = (None, 0, 7, True, 1.5, "", "x" * 1001, "nul\x00", ["x"], {"a": 1})
_SECONDS = (1, 5, 30, 60, 90, 120, 300, 600, 3600, 86_400)
_SHIFTS = (-400, -120, -30, -1, 0, 1, 30, 120, 400, 86_400)
_LATER_MS = (0, 1_000, 30_000, 120_000, 400_000)


def _configure(x: int, y: int) -> dict[str, Any]:
    # Mostly lowering a limit, which may trim dots; sometimes raising or renaming.
    if y < 4:
        return {"budget": 1 + x % 4}
    if y < 6:
        return {"cap": 1 + x % 3}
    if y < 8:
        return {"budget": 1 + x % 4, "cap": 1 + y % 3}
    return {"budget": 3 + x % 5, "anonymous": x % 2 == 0} if y == 8 else {}


def _update(x: int, y: int) -> dict[str, Any]:
    return {"title": _TEXTS[x]} if y < 5 else {"challenge": _TEXTS[x]} if y < 9 else {}


def _none(x: int, y: int) -> dict[str, Any]:
    return {}


_BUILD: dict[str, Callable[[int, int], dict[str, Any]]] = {
    "room.create": lambda x, y: {"title": _TEXTS[y]},
    "room.update": _update,
    "phase.set": lambda x, y: {"phase": Pick("phase", x)},
    "phase.next": _none,
    "phase.back": _none,
    "phase.allow": lambda x, y: {"phase": Pick("phase", x),
                                 "capability": CAPABILITIES[y % len(CAPABILITIES)],
                                 "allowed": y < 6},
    "idea.add": lambda x, y: {"text": _TEXTS[y]},
    "idea.edit": lambda x, y: {"id": Pick("idea", x), "text": _TEXTS[y]},
    "idea.delete": lambda x, y: {"id": Pick("idea", x)},
    "idea.hide": lambda x, y: {"id": Pick("idea", x), "hidden": y < 7},
    "idea.move": lambda x, y: {"id": Pick("idea", x),
                               "cluster": None if y < 3 else Pick("cluster", y)},
    "comment.add": lambda x, y: {"idea": Pick("idea", x), "text": _TEXTS[y]},
    "comment.delete": lambda x, y: {"idea": Pick("idea", x), "id": Pick("comment", y)},
    "reaction.toggle": lambda x, y: {"idea": Pick("idea", x),
                                     "reaction": REACTIONS[y % len(REACTIONS)]},
    "cluster.create": lambda x, y: {"title": _TEXTS[y]} if x < 6 else {
        "title": _TEXTS[y], "ideas": [Pick("idea", x), Pick("idea", y)]},
    "cluster.rename": lambda x, y: {"id": Pick("cluster", x), "title": _TEXTS[y]},
    "cluster.delete": lambda x, y: {"id": Pick("cluster", x)},
    "vote.cast": lambda x, y: {"idea": Pick("idea", x)},
    "vote.retract": lambda x, y: {"idea": Pick("ballot", x)},
    "voting.configure": _configure,
    "voting.open": _none,
    "voting.close": _none,
    "voting.reveal": _none,
    "voting.hide": _none,
    "timer.start": lambda x, y: {"seconds": _SECONDS[x]},
    "timer.pause": _none,
    "timer.resume": _none,
    "timer.adjust": lambda x, y: {"seconds": _SHIFTS[x]},
    "timer.stop": _none,
    "timer.expire": _none,
    "member.join": lambda x, y: profile(f"p{x % 3 + 1}", attendance=("onsite", "remote")[y % 2]),
    "recommendation.create": lambda x, y: {"title": _TEXTS[y], "ideas": [Pick("idea", x)]}
    if y < 5 else {"title": _TEXTS[x], "clusters": [Pick("cluster", y)], "due": "2027-03-01"},
    "recommendation.edit": lambda x, y: {"id": Pick("rec", x), "rationale": _TEXTS[y]}
    if y < 7 else {"id": Pick("rec", x), "owner": _TEXTS[x], "due": None},
    "recommendation.link": lambda x, y: {"id": Pick("rec", x), "ideas": [Pick("idea", y)]},
    "recommendation.unlink": lambda x, y: {"id": Pick("rec", x), "ideas": [Pick("idea", y)]},
    "recommendation.delete": lambda x, y: {"id": Pick("rec", x)},
    "action.add": lambda x, y: {"title": _TEXTS[y], "recommendation": Pick("rec", x),
                                "owner_member": f"p{x % 3 + 1}"},
    "action.edit": lambda x, y: {"id": Pick("action", x), "owner": _TEXTS[y]},
    "action.status": lambda x, y: {"id": Pick("action", x),
                                   "status": ("open", "in_progress", "done", "dropped")[y % 4],
                                   "note": "" if y < 5 else _TEXTS[x]},
    "action.delete": lambda x, y: {"id": Pick("action", x)},
    "idea.explode": _none,  # a command no room knows
}

# Who sends what, weighted towards voting (what the invariants are about); each actor mostly
# sends what their role may send, and now and then something it may not.
_ACTIONS: list[tuple[Actor, str]] = [
    *[(p, "vote.cast") for p in (P1, P2, P3)] * 5,
    *[(p, "idea.add") for p in (P1, P2, P3)] * 2,
    *[(p, n) for p in (P1, P2, P3) for n in ("vote.retract", "idea.edit", "idea.delete",
                                              "comment.add", "comment.delete",
                                              "reaction.toggle")],
    *[(FAC, n) for n in (
        *["voting.configure"] * 4, "voting.open", "voting.open", "voting.close",
        "voting.reveal", "voting.hide", "phase.allow", "phase.set", "phase.set", "phase.next",
        "phase.back", "room.update",
        *["idea.hide"] * 3, "idea.move", "idea.move", "idea.edit", "idea.delete",
        "idea.add", "idea.add", "comment.add", "comment.delete", "reaction.toggle",
        "cluster.create", "cluster.create", "cluster.rename", "cluster.delete",
        "timer.start", "timer.start", "timer.pause", "timer.resume", "timer.adjust",
        "timer.stop")],
    *[(SYSTEM, "timer.expire")] * 3, (SYSTEM, "member.join"), (SYSTEM, "room.create"),
    (SYSTEM, "idea.add"),
    *[(OBS, n) for n in ("idea.add", "vote.cast", "comment.add", "phase.next", "idea.explode")],
    (P1, "phase.next"), (P2, "voting.reveal"), (P3, "idea.hide"), (P1, "timer.start"),
    (P2, "idea.move"), (P1, "cluster.create"), (FAC, "vote.cast"), (FAC, "member.join"),
    (P3, "idea.explode"),
    *[(p, n) for p in (P1, P2) for n in ("recommendation.create", "recommendation.edit",
                                         "recommendation.link", "action.add", "action.status")],
    *[(FAC, n) for n in ("recommendation.create", "recommendation.unlink",
                         "recommendation.delete", "action.add", "action.edit", "action.status",
                         "action.delete")],
    (SYSTEM, "action.status"), (OBS, "recommendation.create"), (P3, "action.delete"),
]


def _build(action: tuple[Actor, str], x: int, y: int, z: int) -> Step:
    actor, name = action
    mutation = (("drop", "extra", "bad")[(x + y) % 3], x, y) if z == 19 else None
    return Step(actor, name, _BUILD[name](x, y), mutation, _LATER_MS[z % len(_LATER_MS)])


_DIGIT = st.integers(0, 9)
_STEP = st.builds(_build, st.sampled_from(_ACTIONS), _DIGIT, _DIGIT, st.integers(0, 19))


@st.composite
def _creation(draw: st.DrawFn) -> dict[str, Any]:
    budget = draw(st.integers(3, 6))  # room to stack dots, so lowering the limits trims them
    return {"title": "Room", "budget": budget, "cap": draw(st.integers(2, budget)),
            "anonymous": draw(st.booleans()),
            "phases": draw(st.sampled_from([OPEN, OPEN, OPEN, None]))}  # None: the default agenda


Session = tuple[dict[str, Any], list[Step]]
SESSIONS = st.tuples(_creation(), st.lists(_STEP, min_size=20, max_size=80))


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
        return zip([RoomState(), *self.states[:-1]], self.log, self.states, strict=True)


def _resolve(state: RoomState, args: dict[str, Any], actor: Actor) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in args.items():  # "idea" comes before a comment's "id"
        is_pick = isinstance(value, Pick)
        out[key] = _choose(state, value, actor, out.get("idea")) if is_pick else value
        if isinstance(value, list):  # a list of ids (a recommendation's sources)
            out[key] = [_choose(state, v, actor, None) if isinstance(v, Pick) else v
                        for v in value]
    return out


def _choose(state: RoomState, pick: Pick, actor: Actor, idea_id: str | None) -> str:
    board = state.board
    on = board.ideas.get(idea_id or "")
    pool = {
        "idea": list(board.ideas),
        "ballot": list(state.voting.ballots.get(actor.id, ())),
        "cluster": list(board.clusters),
        "phase": [p.id for p in state.phases.phases],
        "comment": [c.id for c in on.comments] if on else [],
        "rec": list(state.outcomes.recommendations),
        "action": list(state.outcomes.actions),
    }[pick.kind]
    if pick.n == 9 or not pool:
        return "i0" if pick.kind == "ballot" else f"{pick.kind[0]}0"  # an id that never exists
    return pool[pick.n % len(pool)]


def _mutate(args: dict[str, Any], mutation: tuple[str, int, int] | None) -> dict[str, Any]:
    if mutation is None:
        return args
    kind, x, y = mutation
    if kind == "extra":
        return {**args, ("colour", "voter", "seq")[x % 3]: 1}
    keys = sorted(args)
    if not keys:
        return args
    if kind == "drop":
        return {k: v for k, v in args.items() if k != keys[x % len(keys)]}
    return {**args, keys[x % len(keys)]: _BAD[y]}


def run(creation: dict[str, Any], steps: list[Step]) -> Trace:
    """Decide and apply a session; every batch of events must continue the log."""
    create = {k: v for k, v in creation.items() if v is not None}
    setup = [Step(SYSTEM, "room.create", create, None, 0)] + [
        Step(SYSTEM, "member.join", profile(p.id), None, 0) for p in (P1, P2, P3)] + [
        Step(actor, "idea.add", {"text": "Sirens"}, None, 0) for actor in (FAC, P1)]
    trace, state, now = Trace(), RoomState(), START
    for step in [*setup, *steps]:
        now += step.later_ms
        args = _mutate(_resolve(state, step.args, step.actor), step.mutation)
        result = decide(state, Command(step.name, args), step.actor, now)
        if not isinstance(result, list):
            continue
        assert [e.seq for e in result] == list(range(state.seq + 1, state.seq + 1 + len(result)))
        for event in result:
            state = apply(state, event)
            trace.log.append(event)
            trace.states.append(state)
    assert [e.name for e in trace.log[:5]] == [
        "room.created", *["member.joined"] * 3, "idea.added"]
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


def _still_hidden(before: RoomState, event: Event) -> Idea | None:
    """The idea a board event acts on, if it was hidden when the event happened."""
    key = {"comment.added": "idea", "comment.deleted": "idea", "reaction.toggled": "idea",
           "idea.edited": "id", "idea.moved": "id", "idea.deleted": "id"}.get(event.name)
    idea = before.board.ideas.get(event.data[key]) if key else None
    return idea if idea is not None and idea.hidden else None


# The properties ---------------------------------------------------------------------------------


def test_the_sessions_can_send_every_command() -> None:
    """The session strategy has arguments for every command the room knows, and one it does not."""
    assert set(_BUILD) == {*COMMANDS, "idea.explode"}
    assert {name for _, name in _ACTIONS} == set(_BUILD)


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
def test_nobody_ever_holds_more_votes_than_the_rules_allow(session: Session) -> None:
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
            own = list(state.voting.ballots.get(viewer or "", ()))
            assert snap["voting"]["mine"] == own, event


@SETTINGS
@given(SESSIONS)
def test_hidden_things_stay_hidden_and_views_agree_with_subjects(session: Session) -> None:
    """Hidden ideas reach only author and facilitators; non-subjects see the audience view."""
    for before, event, state in run(*session).steps():
        mine = subjects(state, event)
        anonymous = state.voting.revealed and state.voting.anonymous
        hidden = _still_hidden(before, event)
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
