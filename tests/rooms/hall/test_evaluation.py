"""The evaluation questionnaire: the default draft, editing, opening, answering, private views."""

from __future__ import annotations

from typing import Any

from rooms.audience import Audience
from rooms.errors import ErrorCode
from rooms.events import Event
from rooms.hall.evaluation_default import DEFAULT_QUESTIONS
from rooms.hall.hall import HALL
from rooms.projection import REDACTED

from .helpers import FAC, OBS, ORG, P1, P2, P3, Hall


def _ids(hall: Hall, audience: Audience = Audience.FACILITATOR) -> list[str]:
    return [q["id"] for q in hall.view(audience, None)["evaluation"]["questions"]]


def _opened(hall: Hall | None = None) -> Hall:
    hall = hall or Hall()
    hall.ok(ORG, "evaluation.open")
    return hall


def _frame(hall: Hall, event: Event, audience: Audience,
           viewer: str | None = None) -> tuple[str, dict[str, Any]]:
    return (HALL.actor_view(hall.state, event, audience, viewer),
            HALL.event_view(hall.state, event, audience, viewer))


# The draft -----------------------------------------------------------------------------------


def test_every_new_hall_has_the_default_questionnaire_as_a_draft() -> None:
    """A new hall's questionnaire is the default, in draft, covering the forum's outcomes."""
    hall = Hall()
    seen = hall.view(Audience.FACILITATOR)["evaluation"]
    assert seen["status"] == "draft"
    assert _ids(hall) == [q.id for q in DEFAULT_QUESTIONS]
    kinds = {q["kind"] for q in seen["questions"]}
    assert kinds == {"likert", "nps", "choice", "text"}
    assert {"relationships", "knowledge", "community", "ideas", "plenary", "hackathon",
            "networking", "again", "recommend", "improve"} == set(_ids(hall))


def test_participants_and_the_projector_do_not_see_a_draft() -> None:
    """Until it opens, only the staff see the questions."""
    hall = Hall()
    assert _ids(hall, Audience.PARTICIPANT) == []
    assert _ids(hall, Audience.OBSERVER) == []
    assert _ids(hall, Audience.FACILITATOR) != []


def test_the_staff_add_edit_move_and_remove_questions_in_a_draft() -> None:
    """Add at a position, edit the whole definition, move and remove: the list follows."""
    hall = Hall()
    (added,) = hall.ok(ORG, "evaluation.add", kind="choice", text="Which day suited you?",
                       options=["Monday", "Friday"], position=0)
    qid = added.data["id"]
    assert _ids(hall)[0] == qid
    hall.ok(ORG, "evaluation.edit", id=qid, kind="likert", text="The day suited me.",
            low="No", high="Yes", required=False)
    question = hall.view(Audience.FACILITATOR)["evaluation"]["questions"][0]
    assert question == {"id": qid, "kind": "likert", "text": "The day suited me.",
                        "required": False, "options": [], "low": "No", "high": "Yes"}
    hall.ok(ORG, "evaluation.move", id=qid, position=3)
    assert _ids(hall)[3] == qid
    hall.ok(ORG, "evaluation.remove", id="improve")
    assert "improve" not in _ids(hall)
    assert hall.replayed() == hall.state


def test_a_definition_must_fit_its_kind() -> None:
    """Choice needs options; other kinds refuse them; end labels only for scales."""
    hall = Hall()
    hall.refused(ORG, "evaluation.add", ErrorCode.INVALID_ARGS, kind="choice", text="Which?")
    hall.refused(ORG, "evaluation.add", ErrorCode.INVALID_ARGS, kind="likert", text="Agree?",
                 options=["a", "b"])
    hall.refused(ORG, "evaluation.add", ErrorCode.INVALID_ARGS, kind="text", text="Why?",
                 low="x")
    hall.refused(ORG, "evaluation.add", ErrorCode.INVALID_ARGS, kind="poll", text="Why?")
    hall.refused(ORG, "evaluation.move", ErrorCode.NOT_FOUND, id="nope", position=0)


def test_only_the_organizer_edits_and_runs_the_questionnaire() -> None:
    """Like every hall command: participants, facilitators and the projector may not."""
    hall = Hall()
    hall.refused(FAC, "evaluation.edit", ErrorCode.FORBIDDEN, id="improve", kind="text",
                 text="Anything else?")
    hall.refused(FAC, "evaluation.open", ErrorCode.FORBIDDEN)
    hall.refused(P1, "evaluation.remove", ErrorCode.FORBIDDEN, id="improve")
    hall.refused(P1, "evaluation.open", ErrorCode.FORBIDDEN)
    hall.refused(OBS, "evaluation.show_results", ErrorCode.FORBIDDEN, shown=True)


def test_an_opened_questionnaire_is_frozen() -> None:
    """Once opened (and after closing), no question changes: answers keep their meaning."""
    hall = _opened()
    code = ErrorCode.INVALID_STATE
    hall.refused(ORG, "evaluation.remove", code, id="improve")
    hall.refused(ORG, "evaluation.add", code, kind="text", text="More?")
    hall.ok(ORG, "evaluation.close")
    hall.refused(ORG, "evaluation.move", code, id="improve", position=0)


def test_an_opened_questionnaire_keeps_its_questions_in_the_log() -> None:
    """The opening event carries the questions, so a replay does not depend on the default."""
    hall = Hall()
    (opened,) = hall.ok(ORG, "evaluation.open")
    assert [q["id"] for q in opened.data["questions"]] == [q.id for q in DEFAULT_QUESTIONS]


def test_moving_to_the_evaluation_session_opens_the_draft() -> None:
    """agenda.now to an evaluation session opens a draft questionnaire in the same decision."""
    hall = Hall()
    hall.move_to("plenary")
    assert hall.state.evaluation.status == "draft"
    events = hall.ok(ORG, "agenda.now", session=hall.session("evaluation"))
    assert [e.name for e in events] == ["agenda.moved", "evaluation.opened"]
    assert hall.state.evaluation.status == "open"


def test_a_closed_questionnaire_stays_closed_when_the_agenda_returns_to_evaluation() -> None:
    """Closing was the organizer's decision: moving back to the session does not reopen it."""
    hall = Hall()
    hall.move_to("evaluation")
    hall.ok(ORG, "evaluation.close")
    hall.move_to("plenary")
    events = hall.ok(ORG, "agenda.now", session=hall.session("evaluation"))
    assert [e.name for e in events] == ["agenda.moved"]
    assert hall.state.evaluation.status == "closed"


def test_the_staff_reopen_a_closed_questionnaire_with_its_answers() -> None:
    """Reopening keeps the answers and says it is a reopening."""
    hall = _opened()
    hall.ok(P1, "evaluation.answer", question="knowledge", answer=4)
    hall.ok(ORG, "evaluation.close")
    hall.refused(P1, "evaluation.answer", ErrorCode.INVALID_STATE, question="knowledge",
                 answer=5)
    (reopened,) = hall.ok(ORG, "evaluation.open")
    assert reopened.data["reopened"] is True
    assert hall.state.evaluation.answers["p1"] == {"knowledge": 4}
    hall.refused(ORG, "evaluation.open", ErrorCode.INVALID_STATE)


def test_sending_needs_an_open_questionnaire_and_targets_remote_people_by_default() -> None:
    """evaluation.send reaches every screen, saying whose: remote people unless 'everyone'."""
    hall = Hall()
    hall.refused(ORG, "evaluation.send", ErrorCode.INVALID_STATE)
    hall.ok(ORG, "evaluation.open")
    (sent,) = hall.ok(ORG, "evaluation.send")
    assert _frame(hall, sent, Audience.PARTICIPANT, "p2")[1] == {"to": "remote"}
    (sent,) = hall.ok(ORG, "evaluation.send", to="everyone")
    assert sent.data == {"to": "everyone"}


# Answering -----------------------------------------------------------------------------------


def test_answers_need_an_open_questionnaire() -> None:
    """A draft is not asked yet: answering it is refused."""
    hall = Hall()
    hall.refused(P1, "evaluation.answer", ErrorCode.INVALID_STATE, question="knowledge",
                 answer=3)


def test_each_kind_checks_its_answer() -> None:
    """Likert 1-5, NPS 0-10, one of the options, a bounded text; anything else is refused."""
    hall = _opened()
    bad = ErrorCode.INVALID_ARGS
    hall.refused(P1, "evaluation.answer", bad, question="knowledge", answer=0)
    hall.refused(P1, "evaluation.answer", bad, question="knowledge", answer=True)
    hall.refused(P1, "evaluation.answer", bad, question="recommend", answer=11)
    hall.refused(P1, "evaluation.answer", bad, question="again", answer="Perhaps")
    hall.refused(P1, "evaluation.answer", bad, question="improve", answer="x" * 1001)
    hall.refused(P1, "evaluation.answer", bad, question="improve", answer=["a"])
    hall.refused(P1, "evaluation.answer", ErrorCode.NOT_FOUND, question="nope", answer=1)
    hall.ok(P1, "evaluation.answer", question="recommend", answer=0)
    hall.ok(P1, "evaluation.answer", question="again", answer="Maybe")
    hall.ok(P1, "evaluation.answer", question="improve", answer="  More coffee ")
    assert hall.state.evaluation.answers["p1"] == {"recommend": 0, "again": "Maybe",
                                                   "improve": "More coffee"}


def test_an_answer_is_changed_and_cleared_one_response_per_person() -> None:
    """A second answer replaces the first; clearing the last answer ends being a respondent."""
    hall = _opened()
    hall.ok(P1, "evaluation.answer", question="knowledge", answer=2)
    hall.ok(P1, "evaluation.answer", question="knowledge", answer=5)
    hall.refused(P1, "evaluation.answer", ErrorCode.INVALID_STATE, question="knowledge",
                 answer=5)
    assert hall.view(Audience.FACILITATOR)["evaluation"]["respondents"] == 1
    hall.ok(P1, "evaluation.clear", question="knowledge")
    hall.refused(P1, "evaluation.clear", ErrorCode.INVALID_STATE, question="knowledge")
    assert hall.view(Audience.FACILITATOR)["evaluation"]["respondents"] == 0
    assert hall.replayed() == hall.state


def test_staff_may_not_answer() -> None:
    """Only participants answer: the staff run the questionnaire."""
    hall = _opened()
    hall.refused(ORG, "evaluation.answer", ErrorCode.FORBIDDEN, question="knowledge", answer=3)


# Privacy of answers --------------------------------------------------------------------------


def test_a_participant_sees_only_their_own_answers() -> None:
    """mine holds the viewer's answers; no participant view holds results or others' answers."""
    hall = _opened()
    hall.ok(P1, "evaluation.answer", question="improve", answer="Longer breaks")
    hall.ok(P2, "evaluation.answer", question="knowledge", answer=1)
    mine = hall.view(Audience.PARTICIPANT, "p1")["evaluation"]
    assert mine["mine"] == {"improve": "Longer breaks"}
    assert mine["results"] is None
    other = hall.view(Audience.PARTICIPANT, "p2")["evaluation"]
    assert other["mine"] == {"knowledge": 1}
    assert "Longer breaks" not in str(other)


def test_an_answer_event_shows_the_answer_to_its_respondent_only() -> None:
    """The respondent sees their answer; other participants a redaction; nobody the actor."""
    hall = _opened()
    (event,) = hall.ok(P1, "evaluation.answer", question="improve", answer="Longer breaks")
    assert _frame(hall, event, Audience.PARTICIPANT, "p1") == (
        "p1", {"question": "improve", "answer": "Longer breaks"})
    assert _frame(hall, event, Audience.PARTICIPANT, "p2") == ("", REDACTED)
    actor, staff = _frame(hall, event, Audience.FACILITATOR)
    assert actor == ""
    assert "p1" not in str(staff)
    assert staff["respondents"] == 1
    assert staff["result"]["id"] == "improve"
    actor, screen = _frame(hall, event, Audience.OBSERVER)
    assert screen == {"question": "improve", "respondents": 1}
    assert HALL.subjects(hall.state, event) == {"p1"}


def test_the_projector_sees_aggregates_only_when_shown_and_never_free_texts() -> None:
    """show_results puts the aggregates on the projector, without the free texts."""
    hall = _opened()
    for p, text in ((P2, "B"), (P3, "C"), (P1, "A")):
        hall.ok(p, "evaluation.answer", question="improve", answer=text)
    assert hall.view(Audience.OBSERVER)["evaluation"]["results"] is None
    (shown,) = hall.ok(ORG, "evaluation.show_results", shown=True)
    screen = hall.view(Audience.OBSERVER)["evaluation"]["results"]
    improve = next(q for q in screen["questions"] if q["id"] == "improve")
    assert improve["overall"]["n"] == 3
    assert "answers" not in improve["overall"]
    staff = hall.view(Audience.FACILITATOR)["evaluation"]["results"]
    assert next(q for q in staff["questions"]
                if q["id"] == "improve")["overall"]["answers"] == ["A", "B", "C"]
    assert _frame(hall, shown, Audience.OBSERVER)[1]["evaluation"]["results"] is not None
    hall.refused(ORG, "evaluation.show_results", ErrorCode.INVALID_STATE, shown=True)


def test_draft_changes_are_the_staffs() -> None:
    """A draft change is redacted for participants and the projector."""
    hall = Hall()
    (drafted,) = hall.ok(ORG, "evaluation.remove", id="improve")
    assert _frame(hall, drafted, Audience.PARTICIPANT, "p1")[1] == REDACTED
    assert _frame(hall, drafted, Audience.OBSERVER)[1] == REDACTED
    assert _frame(hall, drafted, Audience.FACILITATOR)[1]["change"] == "removed"


def test_a_participant_with_answers_has_a_view_of_their_own() -> None:
    """shares_view turns false once a participant has answered (their snapshot differs)."""
    hall = _opened()
    assert HALL.shares_view(hall.state, "p1")
    hall.ok(P1, "evaluation.answer", question="knowledge", answer=3)
    assert not HALL.shares_view(hall.state, "p1")
