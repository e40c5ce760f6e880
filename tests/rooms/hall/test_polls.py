"""Plenary polls: prepare, open one at a time, answer once per person, results without names."""

from __future__ import annotations

from typing import Any

import pytest

from rooms.actors import SYSTEM
from rooms.audience import Audience
from rooms.errors import ErrorCode, Rejection
from rooms.events import Event
from rooms.gate import Command
from rooms.hall.hall import HALL
from rooms.hall.polls import NOBODY

from .helpers import FAC, OBS, ORG, P1, P2, P3, Hall

CHOICES = ["Sirens", "Cell broadcast", "Radio"]


def _poll(hall: Hall, kind: str = "single", **args: Any) -> str:
    """Create a poll (options for the kinds that take them) and return its id."""
    if kind in ("single", "multiple", "ranking") and "options" not in args:
        args["options"] = CHOICES
    (created,) = hall.ok(ORG, "poll.create", kind=kind, question="How do we warn?", **args)
    poll_id: str = created.data["id"]
    return poll_id


def _opened(hall: Hall, kind: str = "single", **args: Any) -> str:
    poll_id = _poll(hall, kind, **args)
    hall.ok(ORG, "poll.open", id=poll_id)
    return poll_id


def _seen(hall: Hall, poll_id: str, audience: Audience,
          viewer: str | None = None) -> dict[str, Any] | None:
    polls = hall.view(audience, viewer)["polls"]["list"]
    return next((p for p in polls if p["id"] == poll_id), None)


def _results(hall: Hall, poll_id: str) -> dict[str, Any]:
    seen = _seen(hall, poll_id, Audience.FACILITATOR)
    assert seen is not None
    results: dict[str, Any] = seen["results"]
    return results


def _frame(hall: Hall, event: Event, audience: Audience,
           viewer: str | None = None) -> tuple[str, dict[str, Any]]:
    """The actor and data of ``event`` as ``viewer`` receives it."""
    return (HALL.actor_view(hall.state, event, audience, viewer),
            HALL.event_view(hall.state, event, audience, viewer))


# Preparing -----------------------------------------------------------------------------------


def test_the_organizer_prepares_a_poll_attached_to_a_session() -> None:
    """poll.create keeps the definition as a draft, with option ids in order."""
    hall = Hall()
    plenary = hall.session("plenary")
    poll_id = _poll(hall, "multiple", max=2, session=plenary, reveal="on_close")
    poll = hall.state.polls.polls[poll_id]
    assert (poll.kind, poll.max, poll.session, poll.reveal, poll.status) == (
        "multiple", 2, plenary, "on_close", "draft")
    assert [(o.id, o.text) for o in poll.options] == [
        ("o1", "Sirens"), ("o2", "Cell broadcast"), ("o3", "Radio")]
    assert hall.replayed() == hall.state


def test_only_the_organizer_prepares_and_runs_polls() -> None:
    """Facilitators, participants and the projector may not create, open or close polls."""
    hall = Hall()
    poll_id = _poll(hall)
    for actor in (FAC, P1, OBS):
        hall.refused(actor, "poll.create", ErrorCode.FORBIDDEN, kind="rating", question="Q")
        hall.refused(actor, "poll.open", ErrorCode.FORBIDDEN, id=poll_id)
    hall.refused(ORG, "poll.answer", ErrorCode.FORBIDDEN, poll=poll_id, answer="o1")
    hall.refused(OBS, "poll.answer", ErrorCode.FORBIDDEN, poll=poll_id, answer="o1")


@pytest.mark.parametrize(("args", "code"), [
    ({"kind": "single", "question": "Q"}, ErrorCode.INVALID_ARGS),  # no options
    ({"kind": "rating", "question": "Q", "options": ["a", "b"]}, ErrorCode.INVALID_ARGS),
    ({"kind": "single", "question": "Q", "options": ["a"]}, ErrorCode.INVALID_ARGS),
    ({"kind": "single", "question": "Q", "options": ["a", "A"]}, ErrorCode.INVALID_ARGS),
    ({"kind": "single", "question": "Q", "options": ["a", "b"], "max": 1},
     ErrorCode.INVALID_ARGS),
    ({"kind": "multiple", "question": "Q", "options": ["a", "b"], "max": 3},
     ErrorCode.INVALID_ARGS),
    ({"kind": "wordcloud", "question": "Q", "max": 6}, ErrorCode.INVALID_ARGS),
    ({"kind": "quiz", "question": "Q"}, ErrorCode.INVALID_ARGS),
    ({"kind": "text", "question": "Q", "reveal": "never"}, ErrorCode.INVALID_ARGS),
    ({"kind": "text", "question": ""}, ErrorCode.INVALID_ARGS),
    ({"kind": "text", "question": "Q", "session": "s999"}, ErrorCode.NOT_FOUND),
])
def test_a_poll_definition_is_checked(args: dict[str, Any], code: ErrorCode) -> None:
    """Options only for choice and ranking polls, 2 distinct at least; max within bounds."""
    Hall().refused(ORG, "poll.create", code, **args)


def test_defaults_of_max_and_reveal() -> None:
    """A multiple choice allows every option, a word cloud one word; results are live."""
    hall = Hall()
    ids = [_poll(hall, kind) for kind in ("multiple", "wordcloud", "ranking")]
    multiple, words, ranking = (hall.state.polls.polls[i] for i in ids)
    assert (multiple.max, words.max, ranking.max) == (3, 1, 3)
    assert multiple.reveal == "live"


def test_a_draft_is_edited_and_removed_but_an_opened_poll_is_not() -> None:
    """poll.update replaces the whole definition of a draft; an opened poll is fixed."""
    hall = Hall()
    poll_id = _poll(hall)
    hall.ok(ORG, "poll.update", id=poll_id, kind="rating", question="How ready are we?")
    poll = hall.state.polls.polls[poll_id]
    assert (poll.kind, poll.question, poll.options) == ("rating", "How ready are we?", ())
    hall.refused(ORG, "poll.update", ErrorCode.INVALID_STATE, id=poll_id, kind="rating",
                 question="How ready are we?")
    other = _poll(hall)
    hall.ok(ORG, "poll.remove", id=other)
    assert other not in hall.state.polls.polls
    hall.ok(ORG, "poll.open", id=poll_id)
    hall.refused(ORG, "poll.update", ErrorCode.INVALID_STATE, id=poll_id, kind="text",
                 question="Q")
    hall.refused(ORG, "poll.remove", ErrorCode.INVALID_STATE, id=poll_id)
    hall.refused(ORG, "poll.remove", ErrorCode.NOT_FOUND, id=other)
    assert hall.replayed() == hall.state


def test_drafts_are_the_staffs_alone() -> None:
    """Participants and the projector see no draft, and its events reach them redacted."""
    hall = Hall()
    poll_id = _poll(hall)
    created = hall.log[-1]
    assert _seen(hall, poll_id, Audience.FACILITATOR) is not None
    for audience, viewer in ((Audience.PARTICIPANT, "p1"), (Audience.OBSERVER, None)):
        assert _seen(hall, poll_id, audience, viewer) is None
        assert _frame(hall, created, audience, viewer)[1] == {"redacted": True}
    hall.ok(ORG, "poll.open", id=poll_id)
    _, data = _frame(hall, hall.log[-1], Audience.PARTICIPANT, "p1")
    assert data["poll"]["question"] == "How do we warn?"
    assert data["poll"]["options"][0] == {"id": "o1", "text": "Sirens"}


# Opening and closing -------------------------------------------------------------------------


def test_one_poll_is_open_at_a_time() -> None:
    """Opening a poll while another is open closes that one first, in the same decision."""
    hall = Hall()
    first = _opened(hall)
    second = _poll(hall, "rating")
    closed, opened = hall.ok(ORG, "poll.open", id=second)
    assert (closed.name, closed.data) == ("poll.closed", {"id": first})
    assert (opened.name, opened.data) == ("poll.opened", {"id": second})
    assert hall.state.polls.open is not None
    assert hall.state.polls.open.id == second
    assert hall.view(Audience.OBSERVER)["polls"]["open"] == second


def test_a_closed_poll_stays_closed() -> None:
    """Closing twice, reopening, or closing a draft is refused."""
    hall = Hall()
    draft = _poll(hall)
    hall.refused(ORG, "poll.close", ErrorCode.INVALID_STATE, id=draft)
    poll_id = _opened(hall)
    hall.refused(ORG, "poll.open", ErrorCode.INVALID_STATE, id=poll_id)
    hall.now += 60_000
    hall.ok(ORG, "poll.close", id=poll_id)
    poll = hall.state.polls.polls[poll_id]
    assert (poll.status, poll.closed_at) == ("closed", hall.now)
    assert poll.opened_at == hall.now - 60_000
    hall.refused(ORG, "poll.close", ErrorCode.INVALID_STATE, id=poll_id)
    hall.refused(ORG, "poll.open", ErrorCode.INVALID_STATE, id=poll_id)
    hall.refused(ORG, "poll.open", ErrorCode.NOT_FOUND, id="p999")
    assert hall.view(Audience.OBSERVER)["polls"]["open"] is None


# Answering -----------------------------------------------------------------------------------


def test_answering_needs_the_poll_open_not_a_session() -> None:
    """A poll is answered whatever the session, only while open."""
    hall = Hall()
    hall.move_to("hackathon")
    poll_id = _poll(hall)
    hall.refused(P1, "poll.answer", ErrorCode.INVALID_STATE, poll=poll_id, answer="o1")
    hall.ok(ORG, "poll.open", id=poll_id)
    hall.ok(P1, "poll.answer", poll=poll_id, answer="o1")
    hall.ok(ORG, "poll.close", id=poll_id)
    hall.refused(P1, "poll.answer", ErrorCode.INVALID_STATE, poll=poll_id, answer="o2")
    hall.refused(P1, "poll.clear", ErrorCode.INVALID_STATE, poll=poll_id)
    hall.refused(P1, "poll.answer", ErrorCode.NOT_FOUND, poll="p999", answer="o2")


def test_an_answer_replaces_the_previous_one_and_can_be_cleared() -> None:
    """One answer per person: the latest counts; clearing takes it back."""
    hall = Hall()
    poll_id = _opened(hall)
    hall.ok(P1, "poll.answer", poll=poll_id, answer="o1")
    hall.ok(P2, "poll.answer", poll=poll_id, answer="o1")
    (changed,) = hall.ok(P1, "poll.answer", poll=poll_id, answer="o3")
    assert changed.data["replaces"] == hall.log[-3].seq
    assert _results(hall, poll_id) == {"options": [
        {"id": "o1", "count": 1}, {"id": "o2", "count": 0}, {"id": "o3", "count": 1}]}
    hall.refused(P1, "poll.answer", ErrorCode.INVALID_STATE, poll=poll_id, answer="o3")
    hall.ok(P2, "poll.clear", poll=poll_id)
    hall.refused(P2, "poll.clear", ErrorCode.INVALID_STATE, poll=poll_id)
    assert _results(hall, poll_id)["options"][0]["count"] == 0
    assert set(hall.state.polls.polls[poll_id].answers) == {"p1"}
    assert hall.replayed() == hall.state


@pytest.mark.parametrize(("kind", "args", "answer"), [
    ("single", {}, "o9"), ("single", {}, ["o1"]),
    ("multiple", {"max": 2}, ["o1", "o2", "o3"]), ("multiple", {}, []),
    ("multiple", {}, ["o1", "o1"]), ("multiple", {}, "o1"),
    ("rating", {}, 0), ("rating", {}, 6), ("rating", {}, "5"), ("rating", {}, True),
    ("wordcloud", {}, ["a", "b"]), ("wordcloud", {"max": 3}, ["Ryga", "ryga"]),
    ("wordcloud", {}, [""]), ("wordcloud", {}, ["x" * 41]), ("wordcloud", {}, "Ryga"),
    ("wordcloud", {"max": 2}, ["two\nlines"]),
    ("text", {}, ""), ("text", {}, "x" * 501), ("text", {}, 5),
    ("ranking", {}, ["o1", "o2"]), ("ranking", {}, ["o1", "o1", "o2"]),
    ("ranking", {}, ["o1", "o2", "o3", "o4"]),
    ("single", {}, {"a": 1}), ("single", {}, 1.5), ("single", {}, None),
])
def test_an_answer_must_fit_its_poll(kind: str, args: dict[str, Any], answer: Any) -> None:
    """Each kind takes answers of its own shape only."""
    hall = Hall()
    poll_id = _opened(hall, kind, **args)
    hall.refused(P1, "poll.answer", ErrorCode.INVALID_ARGS, poll=poll_id, answer=answer)


def test_a_multiple_choice_answer_is_kept_in_option_order() -> None:
    """The same choices in another order are the same answer."""
    hall = Hall()
    poll_id = _opened(hall, "multiple", max=2)
    (answered,) = hall.ok(P1, "poll.answer", poll=poll_id, answer=["o3", "o1"])
    assert answered.data["answer"] == ["o1", "o3"]
    hall.refused(P1, "poll.answer", ErrorCode.INVALID_STATE, poll=poll_id, answer=["o1", "o3"])
    assert _results(hall, poll_id)["options"] == [
        {"id": "o1", "count": 1}, {"id": "o2", "count": 0}, {"id": "o3", "count": 1}]


# Results -------------------------------------------------------------------------------------


def test_rating_results() -> None:
    """A count per value from 1 to 5, and the average."""
    hall = Hall()
    poll_id = _opened(hall, "rating")
    for actor, value in ((P1, 5), (P2, 4), (P3, 4)):
        hall.ok(actor, "poll.answer", poll=poll_id, answer=value)
    assert _results(hall, poll_id) == {"counts": [0, 0, 0, 2, 1], "average": 4.33}


def test_ranking_results_are_borda_points() -> None:
    """First of n options gets n points, last 1 (Slido's count); average rank alongside."""
    hall = Hall()
    poll_id = _opened(hall, "ranking")
    hall.ok(P1, "poll.answer", poll=poll_id, answer=["o1", "o2", "o3"])
    hall.ok(P2, "poll.answer", poll=poll_id, answer=["o2", "o1", "o3"])
    hall.ok(P3, "poll.answer", poll=poll_id, answer=["o2", "o1", "o3"])
    assert _results(hall, poll_id) == {"options": [
        {"id": "o1", "points": 7, "average_rank": 1.67},
        {"id": "o2", "points": 8, "average_rank": 1.33},
        {"id": "o3", "points": 3, "average_rank": 3.0}]}


def test_a_word_cloud_groups_spellings_and_shows_the_most_common() -> None:
    """"Ryga"/"ryga" and "Łódź"/"Lodz" count once each; the word shown is the usual spelling."""
    hall = Hall(members=(P1, P2, P3))
    poll_id = _opened(hall, "wordcloud", max=2)
    hall.ok(P1, "poll.answer", poll=poll_id, answer=["Ryga", "Łódź"])
    hall.ok(P2, "poll.answer", poll=poll_id, answer=["ryga", "Lodz"])
    hall.ok(P3, "poll.answer", poll=poll_id, answer=["ryga!", "Łódź"])
    assert _results(hall, poll_id) == {"words": [
        {"word": "Łódź", "count": 3}, {"word": "Ryga", "count": 3}], "distinct": 2}


def test_open_texts_are_listed_without_names() -> None:
    """Open text results are the texts in the order given, each with its event's seq."""
    hall = Hall()
    poll_id = _opened(hall, "text")
    (first,) = hall.ok(P1, "poll.answer", poll=poll_id, answer="More sirens")
    (second,) = hall.ok(P2, "poll.answer", poll=poll_id, answer="Cell broadcast")
    (again,) = hall.ok(P1, "poll.answer", poll=poll_id, answer="Radio too")
    texts = _results(hall, poll_id)["texts"]
    assert texts == [{"id": second.seq, "text": "Cell broadcast"},
                     {"id": again.seq, "text": "Radio too"}]
    for audience in Audience:
        assert "p1" not in str(_seen(hall, poll_id, audience))
    _, data = _frame(hall, again, Audience.FACILITATOR)
    assert data == {"poll": poll_id, "answers": 2,
                    "added": {"id": again.seq, "text": "Radio too"}, "removed": first.seq}


# Who sees what -------------------------------------------------------------------------------


def test_hidden_results_reach_nobody_but_the_staff_before_closing() -> None:
    """With reveal on_close, participants and the projector see the count and their own answer."""
    hall = Hall()
    poll_id = _opened(hall, reveal="on_close")
    (answer,) = hall.ok(P1, "poll.answer", poll=poll_id, answer="o2")
    hall.ok(P2, "poll.answer", poll=poll_id, answer="o2")
    for audience, viewer in ((Audience.PARTICIPANT, "p1"), (Audience.PARTICIPANT, "p3"),
                             (Audience.PARTICIPANT, None), (Audience.OBSERVER, None)):
        seen = _seen(hall, poll_id, audience, viewer)
        assert seen is not None
        assert "results" not in seen
        assert seen["answers"] == 2
        _, data = _frame(hall, answer, audience, viewer)
        assert "results" not in data
    assert _seen(hall, poll_id, Audience.PARTICIPANT, "p1")["mine"] == "o2"  # type: ignore[index]
    assert _frame(hall, answer, Audience.PARTICIPANT, "p1")[1] == {
        "poll": poll_id, "answers": 2, "answer": "o2"}
    assert _frame(hall, answer, Audience.PARTICIPANT, "p3")[1] == {"poll": poll_id, "answers": 2}
    assert "results" in _frame(hall, answer, Audience.FACILITATOR)[1]
    (closed,) = hall.ok(ORG, "poll.close", id=poll_id)
    _, data = _frame(hall, closed, Audience.OBSERVER)
    assert data["poll"]["results"]["options"][1] == {"id": "o2", "count": 2}


def test_live_results_reach_the_projector_while_open() -> None:
    """With reveal live, the projector's open poll carries the results as answers come."""
    hall = Hall()
    poll_id = _opened(hall, "rating")
    (answer,) = hall.ok(P1, "poll.answer", poll=poll_id, answer=3)
    seen = _seen(hall, poll_id, Audience.OBSERVER)
    assert seen is not None
    assert seen["results"] == {"counts": [0, 0, 1, 0, 0], "average": 3.0}
    assert _frame(hall, answer, Audience.OBSERVER)[1]["results"] == seen["results"]


def test_nobody_is_named_as_an_answers_author() -> None:
    """An answer event shows as from nobody, to all but its author, and carries no member id."""
    hall = Hall()
    poll_id = _opened(hall)
    (answer,) = hall.ok(P1, "poll.answer", poll=poll_id, answer="o1")
    (cleared,) = hall.ok(P1, "poll.clear", poll=poll_id)
    for event in (answer, cleared):
        for audience, viewer in ((Audience.FACILITATOR, None), (Audience.PARTICIPANT, "p2"),
                                 (Audience.PARTICIPANT, None), (Audience.OBSERVER, None)):
            actor, data = _frame(hall, event, audience, viewer)
            assert actor == NOBODY
            assert "p1" not in str(data)
        assert _frame(hall, event, Audience.PARTICIPANT, "p1")[0] == "p1"
    assert HALL.subjects(hall.state, answer) == {"p1"}


def test_a_participant_with_an_answer_has_a_snapshot_of_their_own() -> None:
    """Only someone who answered sees a snapshot that differs from their audience's."""
    hall = Hall()
    poll_id = _opened(hall)
    assert HALL.shares_view(hall.state, "p1")
    hall.ok(P1, "poll.answer", poll=poll_id, answer="o1")
    assert not HALL.shares_view(hall.state, "p1")
    assert HALL.shares_view(hall.state, "p2")
    assert _seen(hall, poll_id, Audience.PARTICIPANT, "p2")["mine"] is None  # type: ignore[index]


def test_a_poll_of_a_removed_session_is_attached_to_nothing() -> None:
    """A poll outlives the agenda session it was attached to."""
    hall = Hall()
    networking = hall.session("networking")
    poll_id = _poll(hall, "rating", session=networking)
    hall.ok(ORG, "session.remove", id=networking)
    assert _seen(hall, poll_id, Audience.FACILITATOR)["session"] is None  # type: ignore[index]


def test_a_template_agenda_comes_with_its_prepared_polls() -> None:
    """hall.create with polls in a session makes them drafts attached to that session."""
    sessions = [{"kind": "plenary", "title": "Opening", "polls": [
        {"kind": "single", "question": "Which first?", "options": ["Sirens", "Radio"]},
        {"kind": "rating", "question": "How ready?", "reveal": "on_close"}]}]
    hall = Hall(sessions=sessions)
    plenary = hall.state.agenda.sessions[0].id
    made = list(hall.state.polls.polls.values())
    assert [(p.kind, p.session, p.status) for p in made] == [
        ("single", plenary, "draft"), ("rating", plenary, "draft")]
    assert hall.replayed() == hall.state


def test_a_bad_prepared_poll_refuses_the_whole_agenda() -> None:
    """A prepared poll that poll.create would refuse makes hall.create refuse everything."""
    bad = [{"kind": "plenary", "title": "Opening", "polls": [
        {"kind": "rating", "question": "How ready?", "max": 3}]}]
    refused = HALL.decide(HALL.initial("h9"), Command("hall.create", {
        "title": "F", "sessions": bad}), SYSTEM, 0)
    assert isinstance(refused, Rejection)
    assert refused.code is ErrorCode.INVALID_ARGS
    assert "session 1, poll 1" in refused.message
