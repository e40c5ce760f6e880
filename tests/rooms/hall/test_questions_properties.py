"""Invariants of the plenary's questions over random sessions (Hypothesis).

A session is a hall in its plenary, then random commands of the question slice (and moves of
the agenda between the plenary and a hackathon) by random actors, valid or not: ids that do
not exist, roles that may not send them, a participant acting on another's question. p3 is
shy: every question of theirs is anonymous, so their id may appear in no view of this slice.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rooms.actors import Actor
from rooms.audience import Audience
from rooms.errors import Rejection
from rooms.events import Event
from rooms.hall.hall import HALL
from rooms.hall.question_state import Question
from rooms.hall.state import HallState
from rooms.projection import REDACTED

from .helpers import FAC, OBS, ORG, P1, P2, P3, Hall

SETTINGS = settings(max_examples=150, deadline=None, database=None, report_multiple_bugs=False,
                    suppress_health_check=[HealthCheck.too_slow])

VIEWS: tuple[tuple[Audience, str | None], ...] = (
    (Audience.FACILITATOR, None), (Audience.PARTICIPANT, None), (Audience.PARTICIPANT, "p1"),
    (Audience.PARTICIPANT, "p2"), (Audience.PARTICIPANT, "p3"), (Audience.OBSERVER, None))
SHY = "p3"
# Who sends a participant's command, and who a moderation command: now and then a role that
# may not.
PEOPLE = (P1, P2, P3, P1, P2, P3, P1, P2, P3, ORG, OBS)
STAFF = (ORG, ORG, ORG, ORG, ORG, ORG, ORG, ORG, ORG, FAC, P1)
ACTIONS = ("ask", "ask", "ask", "withdraw", "withdraw", "upvote", "upvote", "upvote", "unvote",
           "unvote", "moderate", "approve", "approve", "hide", "pin", "unpin", "answer", "move")
TEXTS = ("Who pays?", "When do the sirens sound?", "Łódź or Lodz?")


@dataclass(frozen=True)
class Step:
    """One command: an action, who of its senders, which question (by index), a flag."""

    action: str
    who: int
    pick: int
    flag: bool


_WHO = st.integers(0, len(PEOPLE) - 1)
# Pre-moderation on or off, a few questions (so that most commands have one to act on), then
# anything.
steps = st.tuples(
    st.booleans().map(lambda on: [Step("moderate", 0, 0, True)] if on else []),
    st.lists(st.builds(Step, st.just("ask"), _WHO, st.integers(0, 6), st.booleans()),
             min_size=1, max_size=4),
    st.lists(st.builds(Step, st.sampled_from(ACTIONS), _WHO, st.integers(0, 6), st.booleans()),
             min_size=3, max_size=40)).map(lambda parts: parts[0] + parts[1] + parts[2])


@dataclass
class Run:
    """A hall driven by steps, with every event and the state just after it."""

    hall: Hall = field(default_factory=Hall)
    applied: list[tuple[Event, HallState]] = field(default_factory=list)
    states: list[HallState] = field(default_factory=list)  # after each step
    upvotes: dict[str, set[str]] = field(default_factory=dict)  # the model: who upvoted what
    asked: list[str] = field(default_factory=list)

    def send(self, actor: Actor, name: str, **args: Any) -> list[Event] | Rejection:
        before = self.hall.state
        result = self.hall.send(actor, name, **args)
        if isinstance(result, list):
            state = before
            for event in result:
                state = HALL.apply(state, event)
                self.applied.append((event, state))
        return result


def run(session: list[Step]) -> Run:
    r = Run()
    r.hall.move_to("plenary")
    r.applied = []
    r.states = [r.hall.state]
    for step in session:
        r.hall.now += 1_000
        play(r, step)
        check_upvotes(r)
        check_pin(r.hall.state)
        r.states.append(r.hall.state)
    return r


def play(r: Run, step: Step) -> None:
    # Mostly a question asked so far (the latest ones most often), sometimes none that exists.
    qid = r.asked[-1 - step.pick % len(r.asked)] if r.asked and step.pick < 6 else "q404"
    person = PEOPLE[step.who]
    staff = STAFF[step.who]
    match step.action:
        case "ask":
            anonymous = step.flag or person.id == SHY
            result = r.send(person, "question.ask", text=TEXTS[step.pick % len(TEXTS)],
                            anonymous=anonymous)
            if isinstance(result, list):
                r.asked.append(result[0].data["id"])
        case "withdraw":
            if isinstance(r.send(person, "question.withdraw", id=qid), list):
                r.upvotes.pop(qid, None)
        case "upvote":
            if isinstance(r.send(person, "question.upvote", id=qid), list):
                assert person.id not in r.upvotes.get(qid, set())  # one upvote per person
                r.upvotes.setdefault(qid, set()).add(person.id)
        case "unvote":
            if isinstance(r.send(person, "question.unvote", id=qid), list):
                r.upvotes[qid].remove(person.id)  # only an upvote given can be taken back
        case "moderate":
            r.send(staff, "questions.moderate", on=step.flag)
        case "approve":
            r.send(staff, "question.approve", id=qid)
        case "hide":
            r.send(staff, "question.hide", id=qid, hidden=step.flag)
        case "pin":
            r.send(staff, "question.pin", id=qid)
        case "unpin":
            r.send(staff, "question.pin", id=None)
        case "answer":
            r.send(staff, "question.answer", id=qid, answered=step.flag)
        case "move":
            kind = "plenary" if step.flag else "hackathon"
            if r.hall.state.agenda.now != r.hall.session(kind):
                r.hall.move_to(kind)


def questions_of(state: HallState, audience: Audience, viewer: str | None) -> dict[str, Any]:
    snapshot: dict[str, Any] = HALL.snapshot(state, audience, viewer, False)["questions"]
    return snapshot


def check_upvotes(r: Run) -> None:
    """Counts equal the number of upvoters, and each person sees whether they upvoted."""
    state = r.hall.state
    for q in state.questions.items.values():
        model = r.upvotes.get(q.id, set())
        assert q.upvoters == model
    staff = {c["id"]: c for c in questions_of(state, Audience.FACILITATOR, None)["items"]}
    for qid, card in staff.items():
        assert card["votes"] == len(r.upvotes.get(qid, set()))
    for person in ("p1", "p2", "p3"):
        for card in questions_of(state, Audience.PARTICIPANT, person)["items"]:
            assert card["voted"] == (person in r.upvotes.get(card["id"], set()))


def check_pin(state: HallState) -> None:
    """The pinned question, if any, is public and unanswered."""
    pinned = state.questions.pinned
    if pinned is not None:
        q = state.questions.items[pinned]
        assert q.public
        assert not q.answered


def concerned(state: HallState, event: Event) -> Question | None:
    """The question an event of this slice is about (for a pin: the one it unpins, if any)."""
    qid = event.data.get("previous") if event.name == "question.pinned" else \
        event.data.get("id")
    return state.questions.items.get(qid) if isinstance(qid, str) else None


def is_question_event(event: Event) -> bool:
    return event.name.startswith(("question.", "questions."))


def check_event(state: HallState, event: Event, audience: Audience, viewer: str | None) -> None:
    """No anonymous author, no pending question and no withdrawn text in a view of ``event``."""
    shown = HALL.event_view(state, event, audience, viewer)
    actor = HALL.actor_view(state, event, audience, viewer)
    text = json.dumps(shown)
    if viewer != SHY:
        assert f'"{SHY}"' not in text
        assert actor != SHY
    if shown == REDACTED:  # nobody is shown doing what the viewer may not see
        assert actor not in ("p1", "p2", "p3") or actor == viewer
    q = concerned(state, event)
    if q is None:
        return
    if q.anonymous and viewer != q.author:
        assert f'"{q.author}"' not in text
        assert actor != q.author
    if q.pending and audience is not Audience.FACILITATOR and viewer != q.author \
            and event.name != "question.pinned":
        assert shown == REDACTED
    if q.withdrawn and event.name == "question.asked":
        assert shown == REDACTED


def check_snapshot(state: HallState, audience: Audience, viewer: str | None) -> None:
    """No anonymous author and no question the viewer may not see in a snapshot."""
    view = questions_of(state, audience, viewer)
    if viewer != SHY:
        assert f'"{SHY}"' not in json.dumps(view)
    for card in view["items"]:
        q = state.questions.items[card["id"]]
        assert not q.withdrawn
        if q.anonymous:
            assert card["author"] is None
            assert f'"{q.author}"' not in json.dumps(card)
        if audience is not Audience.FACILITATOR and viewer != q.author:
            assert q.public


@given(steps)
@SETTINGS
def test_replaying_the_log_equals_the_live_state(session: list[Step]) -> None:
    """A replica that replays the log, read back from JSON, has the live state."""
    r = run(session)
    log = [Event.from_json(json.loads(json.dumps(e.to_json()))) for e in r.hall.log]
    assert HALL.replay(log, HALL.initial("h1")) == r.hall.state


@given(steps)
@SETTINGS
def test_anonymous_authors_and_pending_questions_reach_no_other_view(session: list[Step]) -> None:
    """Live and on a resume (with the latest state), no view shows what it must not."""
    r = run(session)
    for state in r.states:
        for audience, viewer in VIEWS:
            check_snapshot(state, audience, viewer)
    final = r.hall.state
    for event, state in r.applied:
        if not is_question_event(event):
            continue
        for audience, viewer in VIEWS:
            check_event(state, event, audience, viewer)  # live, as a subject or not
            check_event(state, event, audience, None)
            check_event(final, event, audience, viewer)  # replayed to a resuming client


# A client's fold of event views: what a browser does with them --------------------------------


@dataclass
class Client:
    """What one viewer knows of the questions, kept up to date from event views."""

    audience: Audience
    cards: dict[str, dict[str, Any]]
    pinned: str | None
    moderated: bool

    @classmethod
    def of(cls, view: dict[str, Any], audience: Audience) -> Client:
        return cls(audience, {c["id"]: dict(c) for c in view["items"]}, view["pinned"],
                   view["moderated"])

    def apply(self, name: str, shown: dict[str, Any]) -> None:
        if shown == REDACTED:
            return
        if name == "questions.moderated":
            self.moderated = shown["on"]
        elif name == "question.pinned":
            self.pinned = shown["id"]
        elif name == "question.asked":
            self.cards[shown["id"]] = dict(shown)
        elif "question" in shown:  # approved or unhidden: the whole card
            self.cards[shown["id"]] = dict(shown["question"])
        elif name == "question.withdrawn":
            self.cards.pop(shown["id"], None)
        elif (card := self.cards.get(shown["id"])) is not None:
            self._update(name, card, shown)

    def _update(self, name: str, card: dict[str, Any], shown: dict[str, Any]) -> None:
        if name == "question.hidden":
            if shown["hidden"] and not (self.audience is Audience.FACILITATOR or card.get("mine")):
                del self.cards[card["id"]]
            else:
                card["hidden"] = shown["hidden"]
        elif name == "question.answered":
            card["answered"] = shown["answered"]
        elif name in ("question.upvoted", "question.unvoted"):
            card["votes"] = shown["votes"]
            if "voted" in shown:
                card["voted"] = shown["voted"]

    def assert_matches(self, view: dict[str, Any]) -> None:
        assert self.cards == {c["id"]: c for c in view["items"]}
        assert (self.pinned, self.moderated) == (view["pinned"], view["moderated"])


@given(steps, st.integers(0, 40))
@SETTINGS
def test_a_client_folding_event_views_has_the_snapshot(session: list[Step], cut: int) -> None:
    """Live frames, and a resume from any earlier point, bring each viewer to the snapshot."""
    r = run(session)
    final = r.hall.state
    for audience, viewer in VIEWS:
        live = Client.of(questions_of(r.states[0], audience, viewer), audience)
        for event, state in r.applied:
            if is_question_event(event):
                own = viewer if viewer in HALL.subjects(state, event) else None
                live.apply(event.name, HALL.event_view(state, event, audience, own))
        live.assert_matches(questions_of(final, audience, viewer))
        # A resume: the snapshot of some earlier point, then every event since, as viewed
        # with the current state.
        start = r.states[min(cut, len(r.states) - 1)]
        resumed = Client.of(questions_of(start, audience, viewer), audience)
        for event in r.hall.log:
            if event.seq > start.seq and is_question_event(event):
                resumed.apply(event.name, HALL.event_view(final, event, audience, viewer))
        resumed.assert_matches(questions_of(final, audience, viewer))
