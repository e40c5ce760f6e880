"""Invariants of plenary polls over random sequences of commands (Hypothesis).

A sequence is a hall with three participants, then random commands: the organizer creates,
edits, removes, opens and closes polls of every kind (live or shown on closing) and moves the
agenda; participants answer (valid answers and malformed ones), change and clear answers; the
projector and a facilitator try what they may not. Each command is decided and applied through
the hall's gate, and every property is checked at every point of the log.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import permutations
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rooms.actors import Actor
from rooms.audience import Audience
from rooms.events import Event
from rooms.gate import Command
from rooms.hall.hall import HALL
from rooms.hall.polls import NOBODY, Poll
from rooms.hall.state import HallState
from rooms.hall.words import word_key

from .helpers import FAC, OBS, ORG, P1, P2, P3, Hall

SETTINGS = settings(max_examples=100, deadline=None, database=None,
                    report_multiple_bugs=False, suppress_health_check=[HealthCheck.too_slow])

VIEWERS: tuple[tuple[Audience, str | None], ...] = (
    (Audience.PARTICIPANT, "p1"), (Audience.PARTICIPANT, "p2"), (Audience.PARTICIPANT, "p3"),
    (Audience.PARTICIPANT, None), (Audience.OBSERVER, None))
# What a participant or the projector may see of a poll whose results are not shown yet.
HIDDEN_POLL_KEYS = {"id", "kind", "question", "options", "max", "session", "reveal", "status",
                    "opened_at", "closed_at", "answers", "mine"}
TALLY_KEYS = {"results", "counts", "count", "points", "average", "average_rank", "words",
              "texts", "added", "removed", "distinct"}

_KINDS = ("single", "multiple", "rating", "wordcloud", "text", "ranking")
_OPTIONS = (["Sirens", "Radio"], ["Sirens", "Radio", "SMS"], ["A", "B", "C", "D"])
_WORDS = ("Ryga", "ryga", "Łódź", "Lodz", "lodz!", "Floods", "FLOODS", "Heat", "Ærø", "aero")
_TEXTS = ("More sirens", "Cell broadcast", "more sirens", "Radio", "x" * 501, "")


@dataclass(frozen=True)
class Step:
    """One command: who, which, two digits to build its arguments from, time passing."""

    actor: Actor
    name: str
    x: int
    y: int
    later_ms: int


_ACTIONS: list[tuple[Actor, str]] = [
    *[(p, "poll.answer") for p in (P1, P2, P3)] * 6,
    *[(p, "poll.clear") for p in (P1, P2, P3)] * 2,
    *[(ORG, "poll.create")] * 3, *[(ORG, "poll.open")] * 4, *[(ORG, "poll.close")] * 2,
    (ORG, "poll.update"), (ORG, "poll.remove"), (ORG, "agenda.now"),
    (OBS, "poll.answer"), (FAC, "poll.open"), (ORG, "poll.answer"), (P1, "poll.close"),
]
STEPS = st.lists(st.tuples(st.sampled_from(_ACTIONS), st.integers(0, 9), st.integers(0, 9),
                           st.sampled_from((0, 1_000, 60_000))),
                 min_size=20, max_size=80).map(
    lambda raw: [Step(a[0], a[1], x, y, t) for a, x, y, t in raw])


# Building arguments from digits, against the state at the time -------------------------------


def _pick(state: HallState, x: int) -> str:
    ids = list(state.polls.polls)
    return "p0" if x == 9 or not ids else ids[x % len(ids)]


def _pick_open(state: HallState, x: int) -> str:
    # Mostly the open poll, where answers and closing are accepted; now and then any other.
    current = state.polls.open
    return current.id if current is not None and x < 7 else _pick(state, x)


def _definition(x: int, y: int) -> dict[str, Any]:
    kind = _KINDS[x % len(_KINDS)]
    args: dict[str, Any] = {"kind": kind, "question": f"Question {y}",
                            "reveal": "on_close" if y % 2 else "live"}
    if kind in ("single", "multiple", "ranking"):
        args["options"] = _OPTIONS[y % 3]
    if kind == "multiple" and y > 3:
        args["max"] = 1 + y % 2
    if kind == "wordcloud":
        args["max"] = 1 + y % 3
    return args


def _answer(poll: Poll | None, x: int, y: int) -> Any:
    if poll is None:
        return "o1"
    ids = poll.option_ids
    if y == 9:  # now and then an answer of the wrong shape
        return (None, 0, ["o1", "o1"], "o9", 6, [""])[x % 6]
    if poll.kind == "single":
        return ids[x % len(ids)]
    if poll.kind == "multiple":
        return [o for i, o in enumerate(ids) if (x + y) >> i & 1] or [ids[y % len(ids)]]
    if poll.kind == "rating":
        return 1 + (x + y) % 5
    if poll.kind == "wordcloud":
        return list(dict.fromkeys([_WORDS[x], _WORDS[(x + y) % len(_WORDS)]]))[:1 + y % 2]
    if poll.kind == "text":
        return _TEXTS[(x + y) % len(_TEXTS)]
    orders = list(permutations(ids))
    return list(orders[(x * 10 + y) % len(orders)])


def _args(hall: Hall, step: Step) -> dict[str, Any]:
    state = hall.state
    if step.name == "poll.create":
        return _definition(step.x, step.y)
    if step.name == "poll.update":
        return {"id": _pick(state, step.x), **_definition(step.y, step.x)}
    if step.name in ("poll.remove", "poll.open"):
        return {"id": _pick(state, step.x)}
    if step.name == "poll.close":
        return {"id": _pick_open(state, step.y)}
    if step.name == "agenda.now":
        sessions = [s.id for s in state.agenda.sessions]
        return {"session": sessions[step.x % len(sessions)]}
    poll_id = _pick_open(state, (step.x * 7 + step.y) % 10)
    if step.name == "poll.clear":
        return {"poll": poll_id}
    return {"poll": poll_id, "answer": _answer(state.polls.polls.get(poll_id), step.x, step.y)}


@dataclass
class Trace:
    """The log of a run and the live state after each event."""

    log: list[Event] = field(default_factory=list)
    states: list[HallState] = field(default_factory=list)

    def steps(self) -> Iterator[tuple[int, Event, HallState]]:
        return ((i, e, s) for i, (e, s) in enumerate(zip(self.log, self.states, strict=True)))


def run(steps: list[Step]) -> tuple[Hall, Trace]:
    """Send every step through the hall's gate; keep the live state after each event."""
    hall = Hall()
    trace = Trace()
    for step in steps:
        hall.now += step.later_ms
        args = _args(hall, step)
        result = HALL.decide(hall.state, Command(step.name, args), step.actor, hall.now)
        if isinstance(result, list):
            for event in result:
                hall.state = HALL.apply(hall.state, event)
                hall.log.append(event)
                trace.log.append(event)
                trace.states.append(hall.state)
    return hall, trace


# A plain recount, written apart from rooms/hall/tally.py --------------------------------------


def _live_answers(log: list[Event]) -> dict[int, tuple[str, str, Any]]:
    """The answers standing after ``log``: seq -> (poll, voter, answer), from the events alone."""
    live: dict[int, tuple[str, str, Any]] = {}
    for e in log:
        if e.name in ("poll.answered", "poll.cleared") and e.data["replaces"] is not None:
            del live[e.data["replaces"]]
        if e.name == "poll.answered":
            live[e.seq] = (e.data["poll"], e.data["voter"], e.data["answer"])
    return live


def _recount(poll: Poll, answers: list[tuple[int, Any]]) -> dict[str, Any]:
    """The results of ``poll`` counted by hand from (seq, answer) pairs in log order."""
    values = [a for _, a in answers]
    ids = poll.option_ids
    if poll.kind == "single":
        return {"options": [{"id": o, "count": values.count(o)} for o in ids]}
    if poll.kind == "multiple":
        return {"options": [{"id": o, "count": sum(o in v for v in values)} for o in ids]}
    if poll.kind == "rating":
        average = round(sum(values) / len(values), 2) if values else None
        return {"counts": [values.count(v) for v in range(1, 6)], "average": average}
    if poll.kind == "ranking":
        n = len(ids)
        return {"options": [
            {"id": o, "points": sum(n - v.index(o) for v in values),
             "average_rank": round(sum(v.index(o) + 1 for v in values) / len(values), 2)
             if values else None} for o in ids]}
    if poll.kind == "text":
        return {"texts": [{"id": seq, "text": a} for seq, a in answers]}
    groups: dict[str, list[str]] = {}
    for v in values:
        for w in v:
            groups.setdefault(word_key(w), []).append(w)
    shown = []
    for key, spellings in groups.items():
        counts = Counter(spellings)
        best = max(counts.values())
        word = next(s for s in spellings if counts[s] == best)  # the first of the most used
        shown.append((-len(spellings), key, word))
    return {"words": [{"word": w, "count": -n} for n, _, w in sorted(shown)[:50]],
            "distinct": len(groups)}


def _walk(value: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        for key, inner in value.items():
            yield key, inner
            yield from _walk(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _walk(inner)


def _hidden_now(state: HallState) -> set[str]:
    """Polls whose results participants and the projector may not see yet."""
    return {p.id for p in state.polls.polls.values()
            if p.reveal == "on_close" and p.status != "closed"}


def _poll_of(event: Event) -> str | None:
    if event.name in ("poll.answered", "poll.cleared"):
        poll: str = event.data["poll"]
        return poll
    if event.name.startswith("poll."):
        poll = event.data["id"]
        return poll
    return None


def _leaks(view: Any) -> list[tuple[str, Any]]:
    return [(k, v) for k, v in _walk(view) if k in TALLY_KEYS]


# The properties --------------------------------------------------------------------------------


@SETTINGS
@given(STEPS)
def test_replaying_the_log_gives_the_live_state(steps: list[Step]) -> None:
    """Replay from an empty hall equals the live state, at the end and halfway."""
    hall, trace = run(steps)
    assert hall.replayed() == hall.state
    later = len(trace.log) // 2  # the events after the halfway point
    middle = len(hall.log) - later
    halfway = HALL.replay(hall.log[:middle], HALL.initial("h1"))
    assert halfway == (trace.states[-later - 1] if trace.log else hall.state)
    assert HALL.replay(hall.log[middle:], halfway) == hall.state


@SETTINGS
@given(STEPS)
def test_each_person_has_at_most_one_answer_per_poll(steps: list[Step]) -> None:
    """At every point, the answers standing in the log are one per person and poll at most."""
    hall, trace = run(steps)
    prefix = hall.log[:len(hall.log) - len(trace.log)]
    for i, _event, state in trace.steps():
        live = _live_answers([*prefix, *trace.log[:i + 1]])
        per_person = Counter((poll, voter) for poll, voter, _ in live.values())
        assert all(n == 1 for n in per_person.values())
        held = {(p.id, voter, a.seq) for p in state.polls.polls.values()
                for voter, a in p.answers.items()}
        assert held == {(poll, voter, seq) for seq, (poll, voter, _) in live.items()}
        assert all(voter in state.members for _, voter, _ in held)
        assert all(p.status != "draft" or not p.answers for p in state.polls.polls.values())


@SETTINGS
@given(STEPS)
def test_results_equal_a_plain_recount(steps: list[Step]) -> None:
    """Every poll's results, as the staff see them after each event, are a recount by hand."""
    hall, trace = run(steps)
    prefix = hall.log[:len(hall.log) - len(trace.log)]
    for i, _event, state in trace.steps():
        live = _live_answers([*prefix, *trace.log[:i + 1]])
        seen = {p["id"]: p for p in
                HALL.snapshot(state, Audience.FACILITATOR, None, True)["polls"]["list"]}
        for poll in state.polls.polls.values():
            answers = [(seq, a) for seq, (p, _, a) in sorted(live.items()) if p == poll.id]
            assert seen[poll.id]["results"] == _recount(poll, answers)
            assert seen[poll.id]["answers"] == len(answers)


@SETTINGS
@given(STEPS)
def test_hidden_results_reach_no_participant_or_projector_before_closing(
        steps: list[Step]) -> None:
    """Before poll.closed, nothing of an on_close poll's tally is in a non-staff view."""
    _, trace = run(steps)
    for i, event, state in trace.steps():
        hidden = _hidden_now(state)
        for audience, viewer in VIEWERS:
            snap = HALL.snapshot(state, audience, viewer, True)
            for poll in snap["polls"]["list"]:
                if poll["id"] in hidden:
                    assert set(poll) <= HIDDEN_POLL_KEYS, (event, poll)
                    assert not _leaks(poll), event
                    mine = state.polls.polls[poll["id"]].answers.get(viewer or "")
                    assert (poll.get("mine") is None) == (mine is None), event
            # Live and on every resume from earlier: the event as shaped against this state.
            for past in (event, *trace.log[:i:7]):
                if _poll_of(past) in hidden:
                    assert not _leaks(HALL.event_view(state, past, audience, viewer)), past


@SETTINGS
@given(STEPS)
def test_no_view_names_who_answered(steps: list[Step]) -> None:
    """Answer events come from nobody and carry no member id, to all but their author."""
    _, trace = run(steps)
    for _, event, state in trace.steps():
        if event.name not in ("poll.answered", "poll.cleared"):
            continue
        voter = event.data["voter"]
        assert HALL.subjects(state, event) == {voter}
        for audience, viewer in ((Audience.FACILITATOR, None), *VIEWERS):
            actor = HALL.actor_view(state, event, audience, viewer)
            view = HALL.event_view(state, event, audience, viewer)
            assert "voter" not in view
            if viewer != voter:
                assert actor == NOBODY
                assert "answer" not in view
                assert view == HALL.event_view(state, event, audience, None)
            else:
                assert actor == voter
                assert view["answer"] == event.data.get("answer")


@SETTINGS
@given(STEPS)
def test_shared_snapshots_are_the_audiences(steps: list[Step]) -> None:
    """A participant who shares the audience's view has exactly its snapshot; else their own."""
    _, trace = run(steps)
    for _, event, state in trace.steps():
        shared = HALL.snapshot(state, Audience.PARTICIPANT, None, True)
        for member in ("p1", "p2", "p3"):
            own = HALL.snapshot(state, Audience.PARTICIPANT, member, True)
            assert (own == shared) == HALL.shares_view(state, member), event


def test_the_sequences_send_every_poll_command() -> None:
    """The strategy covers every command of the polls slice."""
    from rooms.hall import polls
    assert {c.name for c in polls.COMMANDS} <= {name for _, name in _ACTIONS}
