"""Plenary audience questions: asking, anonymity, upvotes, pre-moderation, pin and answers."""

from __future__ import annotations

import json
from typing import Any

import pytest

from rooms.actors import Actor
from rooms.audience import Audience
from rooms.errors import ErrorCode
from rooms.events import Event
from rooms.hall import questions
from rooms.hall.hall import HALL
from rooms.projection import REDACTED

from .helpers import FAC, OBS, ORG, P1, P2, P3, Hall

EVERY_VIEW: tuple[tuple[Audience, str | None], ...] = (
    (Audience.FACILITATOR, None), (Audience.PARTICIPANT, None), (Audience.PARTICIPANT, "p1"),
    (Audience.PARTICIPANT, "p2"), (Audience.PARTICIPANT, "p3"), (Audience.OBSERVER, None))


def plenary() -> Hall:
    """A hall in its plenary session."""
    hall = Hall()
    hall.move_to("plenary")
    return hall


def ask(hall: Hall, actor: Actor, text: str = "Who pays for the sirens?", **args: Any) -> str:
    """Ask a question that must be accepted; its id."""
    (event,) = hall.ok(actor, "question.ask", text=text, **args)
    question_id: str = event.data["id"]
    return question_id


def items(hall: Hall, audience: Audience, viewer: str | None = None) -> dict[str, Any]:
    """The questions of a snapshot, by id."""
    shown = hall.view(audience, viewer)["questions"]["items"]
    return {q["id"]: q for q in shown}


def seen(hall: Hall, event: Event, audience: Audience, viewer: str | None) -> dict[str, Any]:
    """An event's data as a viewer gets it live: their own view only if they are a subject."""
    own = viewer if viewer in HALL.subjects(hall.state, event) else None
    return HALL.event_view(hall.state, event, audience, own)


def test_a_question_belongs_to_the_plenary_it_was_asked_in() -> None:
    """An asked question records the session, its time and its author's id and name."""
    hall = plenary()
    qid = ask(hall, P1)
    card = items(hall, Audience.FACILITATOR)[qid]
    assert card["session"] == hall.session("plenary")
    assert card["at"] == hall.now
    assert card["author"] == {"id": "p1", "name": "Person p1"}
    assert (card["anonymous"], card["votes"], card["pending"]) == (False, 0, False)
    assert items(hall, Audience.OBSERVER)[qid]["author"] == {"id": "p1", "name": "Person p1"}
    assert hall.replayed() == hall.state


def test_participants_ask_only_in_a_plenary() -> None:
    """Before the forum starts and in a hackathon, asking and upvoting are session_closed."""
    hall = Hall()
    hall.refused(P1, "question.ask", ErrorCode.SESSION_CLOSED, text="Too early?")
    hall.move_to("plenary")
    qid = ask(hall, P1)
    hall.move_to("hackathon")
    hall.refused(P2, "question.ask", ErrorCode.SESSION_CLOSED, text="Too late?")
    hall.refused(P2, "question.upvote", ErrorCode.SESSION_CLOSED, id=qid)
    hall.refused(P2, "question.unvote", ErrorCode.SESSION_CLOSED, id=qid)


def test_only_participants_ask_and_upvote() -> None:
    """Staff and the projector may not ask or upvote: a question is the audience's."""
    hall = plenary()
    qid = ask(hall, P1)
    for actor in (ORG, FAC, OBS):
        hall.refused(actor, "question.ask", ErrorCode.FORBIDDEN, text="Staff question")
        hall.refused(actor, "question.upvote", ErrorCode.FORBIDDEN, id=qid)


def test_the_text_is_bounded() -> None:
    """A question has 1 to 300 characters, trimmed; anonymous must be a boolean."""
    hall = plenary()
    hall.refused(P1, "question.ask", ErrorCode.INVALID_ARGS, text="   ")
    hall.refused(P1, "question.ask", ErrorCode.INVALID_ARGS, text="x" * 301)
    hall.refused(P1, "question.ask", ErrorCode.INVALID_ARGS, text="Why?", anonymous="yes")
    qid = ask(hall, P1, text=" " + "x" * 300 + " ")
    assert items(hall, Audience.PARTICIPANT)[qid]["text"] == "x" * 300


def test_an_anonymous_author_is_in_no_view_the_organizers_included() -> None:
    """Every snapshot and event view shows no author; the actor is "anonymous" but to them."""
    hall = plenary()
    (event,) = hall.ok(P2, "question.ask", text="Is the plan public?", anonymous=True)
    for audience, viewer in EVERY_VIEW:
        snap = json.dumps(hall.view(audience, viewer)["questions"])
        shown = json.dumps(seen(hall, event, audience, viewer))
        actor = HALL.actor_view(hall.state, event, audience, viewer)
        if viewer == "p2":
            assert actor == "p2"  # one's own action
            assert '"mine": true' in snap
            assert '"mine": true' in shown
        else:
            assert actor == "anonymous"
            assert "mine\": true" not in snap
        assert '"p2"' not in snap
        assert '"p2"' not in shown
        assert '"author": null' in snap
        assert '"author": null' in shown


def test_the_author_withdraws_their_anonymous_question_anonymously() -> None:
    """Withdrawing (and so unpinning) an anonymous question is shown as from "anonymous"."""
    hall = plenary()
    qid = ask(hall, P2, anonymous=True)
    hall.ok(ORG, "question.pin", id=qid)
    unpinned, event = hall.ok(P2, "question.withdraw", id=qid)
    for shown in (unpinned, event):
        assert HALL.actor_view(hall.state, shown, Audience.FACILITATOR, None) == "anonymous"
        assert HALL.actor_view(hall.state, shown, Audience.OBSERVER, None) == "anonymous"
        assert HALL.actor_view(hall.state, shown, Audience.PARTICIPANT, "p2") == "p2"
    assert HALL.subjects(hall.state, event) == {"p2"}


def test_one_upvote_per_person_and_taking_it_back() -> None:
    """A second upvote is refused; an upvote taken back can be given again; no_vote without."""
    hall = plenary()
    qid = ask(hall, P1)
    hall.ok(P2, "question.upvote", id=qid)
    hall.refused(P2, "question.upvote", ErrorCode.INVALID_STATE, id=qid)
    hall.ok(P3, "question.upvote", id=qid)
    assert items(hall, Audience.OBSERVER)[qid]["votes"] == 2
    (back,) = hall.ok(P2, "question.unvote", id=qid)
    assert back.data == {"id": qid, "votes": 1}
    hall.refused(P2, "question.unvote", ErrorCode.NO_VOTE, id=qid)
    hall.ok(P2, "question.upvote", id=qid)
    assert items(hall, Audience.PARTICIPANT, "p2")[qid]["voted"] is True
    assert items(hall, Audience.PARTICIPANT, "p1")[qid]["voted"] is False
    hall.refused(P2, "question.upvote", ErrorCode.NOT_FOUND, id="q999")
    assert hall.replayed() == hall.state


def test_the_author_may_upvote_their_own_question() -> None:
    """As in Vevox (and no tool forbids it), one's own question can be upvoted."""
    hall = plenary()
    qid = ask(hall, P1, anonymous=True)
    hall.ok(P1, "question.upvote", id=qid)
    mine = items(hall, Audience.PARTICIPANT, "p1")[qid]
    assert (mine["mine"], mine["voted"], mine["votes"]) == (True, True, 1)


def test_who_upvoted_is_shown_to_nobody_but_the_voter() -> None:
    """Upvote events carry the count; the voter's own frame says voted; the actor is hidden."""
    hall = plenary()
    qid = ask(hall, P1)
    (event,) = hall.ok(P3, "question.upvote", id=qid)
    assert HALL.subjects(hall.state, event) == {"p3"}
    assert seen(hall, event, Audience.PARTICIPANT, "p3") == {"id": qid, "votes": 1,
                                                              "voted": True}
    for audience, viewer in EVERY_VIEW:
        if viewer != "p3":
            assert seen(hall, event, audience, viewer) == {"id": qid, "votes": 1}
            assert HALL.actor_view(hall.state, event, audience, viewer) == "anonymous"
            assert "p3" not in json.dumps(hall.view(audience, viewer)["questions"])


def test_pre_moderated_questions_wait_for_approval() -> None:
    """Under pre-moderation a question is seen by the staff and its author until approved."""
    hall = plenary()
    hall.ok(ORG, "questions.moderate", on=True)
    hall.refused(ORG, "questions.moderate", ErrorCode.INVALID_STATE, on=True)
    (asked,) = hall.ok(P1, "question.ask", text="Can we see the budget?")
    qid = asked.data["id"]
    assert items(hall, Audience.FACILITATOR)[qid]["pending"] is True
    assert items(hall, Audience.PARTICIPANT, "p1")[qid]["pending"] is True
    assert qid not in items(hall, Audience.PARTICIPANT, "p2")
    assert qid not in items(hall, Audience.OBSERVER)
    assert seen(hall, asked, Audience.PARTICIPANT, "p2") == REDACTED
    assert seen(hall, asked, Audience.OBSERVER, None) == REDACTED
    assert seen(hall, asked, Audience.PARTICIPANT, "p1")["mine"] is True
    assert HALL.actor_view(hall.state, asked, Audience.PARTICIPANT, None) == "anonymous"
    assert HALL.actor_view(hall.state, asked, Audience.FACILITATOR, None) == "p1"
    hall.refused(P2, "question.upvote", ErrorCode.NOT_FOUND, id=qid)
    hall.refused(P1, "question.upvote", ErrorCode.INVALID_STATE, id=qid)
    hall.refused(ORG, "question.pin", ErrorCode.INVALID_STATE, id=qid)
    hall.refused(ORG, "question.answer", ErrorCode.INVALID_STATE, id=qid, answered=True)
    (approved,) = hall.ok(ORG, "question.approve", id=qid)
    card = seen(hall, approved, Audience.OBSERVER, None)["question"]
    assert (card["id"], card["pending"], card["text"]) == (qid, False, "Can we see the budget?")
    assert seen(hall, approved, Audience.PARTICIPANT, "p1")["question"]["mine"] is True
    assert qid in items(hall, Audience.PARTICIPANT, "p2")
    hall.refused(ORG, "question.approve", ErrorCode.INVALID_STATE, id=qid)
    assert hall.replayed() == hall.state


def test_turning_pre_moderation_off_publishes_nothing_by_itself() -> None:
    """Questions asked under review still wait; new ones are public at once."""
    hall = plenary()
    hall.ok(ORG, "questions.moderate", on=True)
    waiting = ask(hall, P1)
    hall.ok(ORG, "questions.moderate", on=False)
    public = ask(hall, P2)
    assert set(items(hall, Audience.OBSERVER)) == {public}
    assert hall.view(Audience.PARTICIPANT)["questions"]["moderated"] is False
    assert items(hall, Audience.FACILITATOR)[waiting]["pending"] is True


def test_moderation_is_the_organizers() -> None:
    """Facilitators and participants may not moderate, approve, hide, pin or answer."""
    hall = plenary()
    qid = ask(hall, P1)
    for actor in (FAC, P2):
        hall.refused(actor, "questions.moderate", ErrorCode.FORBIDDEN, on=True)
        hall.refused(actor, "question.approve", ErrorCode.FORBIDDEN, id=qid)
        hall.refused(actor, "question.hide", ErrorCode.FORBIDDEN, id=qid, hidden=True)
        hall.refused(actor, "question.pin", ErrorCode.FORBIDDEN, id=qid)
        hall.refused(actor, "question.answer", ErrorCode.FORBIDDEN, id=qid, answered=True)


def test_the_organizer_moderates_in_any_session() -> None:
    """The organizer is never gated by the session: they hide and answer after the plenary."""
    hall = plenary()
    qid = ask(hall, P1)
    hall.move_to("hackathon")
    hall.ok(ORG, "question.answer", id=qid, answered=True)
    hall.ok(ORG, "question.hide", id=qid, hidden=True)


def test_a_hidden_question_leaves_every_view_but_its_authors_and_the_staffs() -> None:
    """Hiding keeps the votes; its author sees it marked hidden; unhiding brings its card."""
    hall = plenary()
    qid = ask(hall, P1)
    hall.ok(P2, "question.upvote", id=qid)
    (hidden,) = hall.ok(ORG, "question.hide", id=qid, hidden=True)
    hall.refused(ORG, "question.hide", ErrorCode.INVALID_STATE, id=qid, hidden=True)
    assert seen(hall, hidden, Audience.OBSERVER, None) == {"id": qid, "hidden": True}
    assert qid not in items(hall, Audience.PARTICIPANT, "p2")
    assert qid not in items(hall, Audience.OBSERVER)
    assert items(hall, Audience.PARTICIPANT, "p1")[qid]["hidden"] is True
    assert items(hall, Audience.FACILITATOR)[qid]["votes"] == 1
    hall.refused(P3, "question.upvote", ErrorCode.NOT_FOUND, id=qid)
    hall.refused(P1, "question.upvote", ErrorCode.INVALID_STATE, id=qid)
    (shown,) = hall.ok(ORG, "question.hide", id=qid, hidden=False)
    assert HALL.subjects(hall.state, shown) == {"p1", "p2"}
    card = seen(hall, shown, Audience.PARTICIPANT, "p2")["question"]
    assert (card["votes"], card["voted"], card["hidden"]) == (1, True, False)
    assert seen(hall, shown, Audience.PARTICIPANT, "p3")["question"]["voted"] is False


def test_one_pinned_question_at_a_time() -> None:
    """Pinning another question unpins the first; null unpins; only public ones are pinned."""
    hall = plenary()
    first, second = ask(hall, P1), ask(hall, P2)
    hall.refused(ORG, "question.pin", ErrorCode.INVALID_STATE, id=None)
    (pinned,) = hall.ok(ORG, "question.pin", id=first)
    assert pinned.data == {"id": first, "previous": None}
    hall.refused(ORG, "question.pin", ErrorCode.INVALID_STATE, id=first)
    (moved,) = hall.ok(ORG, "question.pin", id=second)
    assert moved.data == {"id": second, "previous": first}
    assert hall.view(Audience.OBSERVER)["questions"]["pinned"] == second
    hall.ok(ORG, "question.pin", id=None)
    assert hall.state.questions.pinned is None
    hall.ok(ORG, "question.hide", id=first, hidden=True)
    hall.refused(ORG, "question.pin", ErrorCode.INVALID_STATE, id=first)
    hall.refused(ORG, "question.pin", ErrorCode.NOT_FOUND, id="q999")


@pytest.mark.parametrize(("name", "args"), [
    ("question.hide", {"hidden": True}), ("question.answer", {"answered": True})])
def test_hiding_or_answering_the_pinned_question_unpins_it(name: str,
                                                           args: dict[str, Any]) -> None:
    """The pinned question is always public and unanswered: a pin event unpins it first."""
    hall = plenary()
    qid = ask(hall, P1)
    hall.ok(ORG, "question.pin", id=qid)
    unpinned, event = hall.ok(ORG, name, id=qid, **args)
    assert (unpinned.name, unpinned.data) == ("question.pinned", {"id": None, "previous": qid})
    assert event.name != "question.pinned"
    assert hall.state.questions.pinned is None
    for audience, viewer in EVERY_VIEW:
        assert seen(hall, unpinned, audience, viewer) == unpinned.data
    assert hall.replayed() == hall.state


def test_answered_and_back() -> None:
    """Marking answered and un-marking it; an answered question cannot be pinned."""
    hall = plenary()
    qid = ask(hall, P1)
    hall.ok(ORG, "question.answer", id=qid, answered=True)
    hall.refused(ORG, "question.answer", ErrorCode.INVALID_STATE, id=qid, answered=True)
    assert items(hall, Audience.OBSERVER)[qid]["answered"] is True
    hall.refused(ORG, "question.pin", ErrorCode.INVALID_STATE, id=qid)
    hall.ok(P2, "question.upvote", id=qid)  # still upvotable, as SpotMe allows
    hall.ok(ORG, "question.answer", id=qid, answered=False)
    assert items(hall, Audience.OBSERVER)[qid]["answered"] is False


def test_only_the_author_withdraws_and_the_question_is_gone() -> None:
    """Another participant is forbidden; once withdrawn the question, its text and votes go."""
    hall = plenary()
    (asked,) = hall.ok(P1, "question.ask", text="A regretted question")
    qid = asked.data["id"]
    hall.ok(P2, "question.upvote", id=qid)
    hall.ok(ORG, "question.pin", id=qid)
    hall.refused(P2, "question.withdraw", ErrorCode.FORBIDDEN, id=qid)
    hall.move_to("hackathon")  # withdrawing is allowed in any session
    unpinned, gone = hall.ok(P1, "question.withdraw", id=qid)
    assert unpinned.data == {"id": None, "previous": qid}
    assert gone.data == {"id": qid}
    hall.refused(P1, "question.withdraw", ErrorCode.NOT_FOUND, id=qid)
    hall.refused(ORG, "question.hide", ErrorCode.NOT_FOUND, id=qid, hidden=True)
    for audience, viewer in EVERY_VIEW:
        assert qid not in items(hall, audience, viewer)
        # A resume from before it replays its asking with the current state: redacted.
        assert HALL.event_view(hall.state, asked, audience, viewer) == REDACTED
        assert "regretted" not in json.dumps(
            [HALL.event_view(hall.state, e, audience, viewer) for e in hall.log])
    assert hall.state.questions.pinned is None
    assert HALL.shares_view(hall.state, "p1")  # nothing of p1's is left
    assert hall.replayed() == hall.state


def test_another_persons_pending_question_is_not_found() -> None:
    """Withdrawing or upvoting someone else's pending question: not_found, not forbidden."""
    hall = plenary()
    hall.ok(ORG, "questions.moderate", on=True)
    qid = ask(hall, P1)
    hall.refused(P2, "question.withdraw", ErrorCode.NOT_FOUND, id=qid)
    (gone,) = hall.ok(P1, "question.withdraw", id=qid)
    assert seen(hall, gone, Audience.PARTICIPANT, "p2") == REDACTED
    assert seen(hall, gone, Audience.PARTICIPANT, "p1") == gone.data
    assert seen(hall, gone, Audience.FACILITATOR, None) == gone.data


def test_the_projector_sees_public_questions_without_personal_marks() -> None:
    """Observer cards have no mine or voted; pending and hidden questions are left out."""
    hall = plenary()
    public, hidden = ask(hall, P1), ask(hall, P2)
    hall.ok(ORG, "question.hide", id=hidden, hidden=True)
    hall.ok(ORG, "questions.moderate", on=True)
    ask(hall, P3)
    shown = items(hall, Audience.OBSERVER)
    assert set(shown) == {public}
    assert "mine" not in shown[public]
    assert "voted" not in shown[public]


def test_a_participant_with_questions_or_upvotes_has_a_view_of_their_own() -> None:
    """own_view: their questions are marked mine, their upvotes voted; others share one view."""
    hall = plenary()
    assert HALL.shares_view(hall.state, "p1")
    qid = ask(hall, P1)
    assert not HALL.shares_view(hall.state, "p1")
    assert HALL.shares_view(hall.state, "p2")
    hall.ok(P2, "question.upvote", id=qid)
    assert not HALL.shares_view(hall.state, "p2")
    hall.ok(P2, "question.unvote", id=qid)
    assert HALL.shares_view(hall.state, "p2")
    assert items(hall, Audience.PARTICIPANT, "p2") == items(hall, Audience.PARTICIPANT, None)


def test_a_resume_shows_no_question_the_current_state_hides() -> None:
    """Replayed with a later state, the asking of a question hidden since is redacted."""
    hall = plenary()
    (asked,) = hall.ok(P1, "question.ask", text="Spicy question")
    (upvoted,) = hall.ok(P2, "question.upvote", id=asked.data["id"])
    hall.ok(ORG, "question.hide", id=asked.data["id"], hidden=True)
    for event in (asked, upvoted):
        assert HALL.event_view(hall.state, event, Audience.OBSERVER, None) == REDACTED
        assert HALL.event_view(hall.state, event, Audience.PARTICIPANT, "p3") == REDACTED
    assert HALL.event_view(hall.state, asked, Audience.PARTICIPANT, "p1")["text"] == \
        "Spicy question"


def test_a_person_has_at_most_twenty_standing_questions_per_session() -> None:
    """The 21st question of one person in one session is refused; withdrawing frees one."""
    hall = plenary()
    ids = [ask(hall, P1, text=f"Question {i}") for i in range(questions.MAX_OWN)]
    hall.refused(P1, "question.ask", ErrorCode.INVALID_STATE, text="One more")
    ask(hall, P2, text="Someone else may")
    hall.ok(P1, "question.withdraw", id=ids[0])
    ask(hall, P1, text="One more")


def test_a_forum_holds_a_bounded_number_of_questions(monkeypatch: pytest.MonkeyPatch) -> None:
    """Past MAX_QUESTIONS (withdrawn ones count) asking is refused with invalid_state."""
    monkeypatch.setattr(questions, "MAX_QUESTIONS", 2)
    hall = plenary()
    qid = ask(hall, P1)
    hall.ok(P1, "question.withdraw", id=qid)
    ask(hall, P2)
    hall.refused(P3, "question.ask", ErrorCode.INVALID_STATE, text="Full?")


def test_a_question_of_someone_not_in_the_hall_shows_no_name() -> None:
    """A participant who asked without having joined the hall is shown with a null name."""
    hall = Hall(members=(P1,))
    hall.move_to("plenary")
    qid = ask(hall, P3)
    assert items(hall, Audience.FACILITATOR)[qid]["author"] == {"id": "p3", "name": None}
