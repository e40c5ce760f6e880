"""The forum's evaluation questionnaire: prepared by the organizer, opened, answered as one goes.

Kinds of question: ``likert`` (1 to 5, with what each end means), ``nps`` (0 to 10, "how
likely are you to recommend", reported as a Net Promoter Score), ``choice`` (one of 2 to 12
options) and ``text`` (free text, up to 1,000 characters); each required or optional.
Decisions, after how Slido surveys, Parabol's retro survey and Decidim's questionnaires run:

- **One questionnaire per forum**, present in every new hall as a draft of the default
  (``evaluation_default.py``): the forum's outcomes, one likert per format, come again, the
  recommendation score and what to improve. The organizer adds, edits, reorders and removes
  questions while it is a draft, and runs it, like every hall command; facilitators see the
  staff's view (the results) but send no hall command (their links are for rooms). Every
  draft change is one ``evaluation.drafted`` event with the whole question list after it, so
  a replay never depends on what the default was when the hall was made.
- **Opened, its questions are frozen** (answers keep their meaning): ``evaluation.opened``
  carries them. Closing stops answering; the organizer may **reopen** it (a person who could not
  finish, a late session), with the same questions and the answers kept. It never goes back
  to a draft.
- **The agenda opens it**: moving the forum to a session of kind ``evaluation`` opens a draft
  questionnaire in the same decision (an ``evaluation.opened`` just after ``agenda.moved``),
  because that is what the session is for. A closed one stays closed (closing was a decision);
  leaving the session does not close it, so people may finish on their way out.
- **Sent to screens**: ``evaluation.send`` asks the screens of remote participants (or of
  everyone) to show the questionnaire now, wherever in the hall they are; a screen shows it
  once per send. It needs the questionnaire open.
- **Answers one at a time**, each its own command (``evaluation.answer``, ``evaluation.clear``)
  through the client's outbox: a dropped connection loses nothing, and the op id makes a resent
  one count once. One response per participant (their member id); answers may be changed or
  cleared until it closes. Required questions are marked for the respondent; nothing is
  refused for a skipped one (there is no "submit": every answer counts as it is given).
- **Private answers**: views are in ``evaluation_views.py``, the aggregates in
  ``evaluation_results.py``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from ..actors import Actor
from ..errors import ErrorCode, Rejection, reject
from ..events import Draft, Event
from ..fields import Choice, Field, FieldError, Flag, Int, Ref, Text, spec
from ..registry import ORGANIZER, PARTICIPANT, Applier, CommandSpec, Decision, new_id, one
from .answers import OptionList
from .evaluation_state import KINDS, NPS, Answer, EvalQuestion, EvaluationState
from .evaluation_views import actor_view, event_view, own_view, subjects, view

if TYPE_CHECKING:
    from .state import HallState

__all__ = ["APPLIERS", "COMMANDS", "EvaluationState", "actor_view", "event_view",
           "on_session", "own_view", "subjects", "view"]

MAX_QUESTIONS = 40
QUESTION = Text(300)
END_LABEL = Text(60, min_len=0)
TEXT_ANSWER = Text(1000)
AUDIENCES = ("remote", "everyone")


# Deciders: the draft -------------------------------------------------------------------------


def _drafted(state: HallState, change: str, qid: str,
             questions: list[EvalQuestion]) -> list[Draft]:
    return one("evaluation.drafted", change=change, id=qid,
               questions=[q.to_json() for q in questions])


def _editable(state: HallState) -> Rejection | None:
    if state.evaluation.status != "draft":
        return reject(ErrorCode.INVALID_STATE, "the questionnaire was opened: its questions "
                      "are fixed so that the answers keep their meaning")
    return None


def _definition(qid: str, args: Mapping[str, Any]) -> EvalQuestion | Rejection:
    kind, options = args["kind"], args.get("options")
    if (kind == "choice") != (options is not None):
        return reject(ErrorCode.INVALID_ARGS, "a choice question needs 'options'"
                      if kind == "choice" else f"a {kind} question has no 'options'")
    if kind in ("choice", "text") and ("low" in args or "high" in args):
        return reject(ErrorCode.INVALID_ARGS, f"a {kind} question has no 'low' or 'high'")
    return EvalQuestion(qid, kind, args["text"], args.get("required", True),
                        tuple(options or ()), args.get("low", ""), args.get("high", ""))


def _found(state: HallState, qid: str) -> EvalQuestion | Rejection:
    question = state.evaluation.question(qid)
    return question if question is not None else reject(ErrorCode.NOT_FOUND,
                                                         "no such question")


def _add(state: HallState, args: Mapping[str, Any], actor: Actor, now: int) -> Decision:
    if (closed := _editable(state)) is not None:
        return closed
    questions = list(state.evaluation.questions)
    if len(questions) >= MAX_QUESTIONS:
        return reject(ErrorCode.INVALID_STATE, f"a questionnaire has at most {MAX_QUESTIONS} "
                      "questions")
    question = _definition(new_id(state, "q"), args)
    if isinstance(question, Rejection):
        return question
    questions.insert(min(args.get("position", len(questions)), len(questions)), question)
    return _drafted(state, "added", question.id, questions)


def _edit(state: HallState, args: Mapping[str, Any], actor: Actor, now: int) -> Decision:
    if (closed := _editable(state)) is not None:
        return closed
    old = _found(state, args["id"])
    if isinstance(old, Rejection):
        return old
    question = _definition(old.id, args)
    if isinstance(question, Rejection):
        return question
    if question == old:
        return reject(ErrorCode.INVALID_STATE, "this is the question already")
    return _drafted(state, "edited", old.id,
                    [question if q.id == old.id else q for q in state.evaluation.questions])


def _move(state: HallState, args: Mapping[str, Any], actor: Actor, now: int) -> Decision:
    if (closed := _editable(state)) is not None:
        return closed
    question = _found(state, args["id"])
    if isinstance(question, Rejection):
        return question
    questions = [q for q in state.evaluation.questions if q.id != question.id]
    position = min(args["position"], len(questions))
    if state.evaluation.questions.index(question) == position:
        return reject(ErrorCode.INVALID_STATE, "the question is at this position already")
    questions.insert(position, question)
    return _drafted(state, "moved", question.id, questions)


def _remove(state: HallState, args: Mapping[str, Any], actor: Actor, now: int) -> Decision:
    if (closed := _editable(state)) is not None:
        return closed
    question = _found(state, args["id"])
    if isinstance(question, Rejection):
        return question
    return _drafted(state, "removed", question.id,
                    [q for q in state.evaluation.questions if q.id != question.id])


# Deciders: running it ------------------------------------------------------------------------


def _opening(state: HallState) -> Draft:
    e = state.evaluation
    return Draft("evaluation.opened", {"questions": [q.to_json() for q in e.questions],
                                       "reopened": e.status == "closed"})


def _open(state: HallState, args: Mapping[str, Any], actor: Actor, now: int) -> Decision:
    e = state.evaluation
    if e.status == "open":
        return reject(ErrorCode.INVALID_STATE, "the questionnaire is open already")
    if not e.questions:
        return reject(ErrorCode.INVALID_STATE, "the questionnaire has no questions")
    return [_opening(state)]


def on_session(state: HallState, session_id: str | None) -> list[Draft]:
    """What moving the forum to ``session_id`` does here: an evaluation session opens a draft."""
    session = state.agenda.get(session_id)
    e = state.evaluation
    if session is None or session.kind != "evaluation" or e.status != "draft" \
            or not e.questions:
        return []
    return [_opening(state)]


def _close(state: HallState, args: Mapping[str, Any], actor: Actor, now: int) -> Decision:
    if state.evaluation.status != "open":
        return reject(ErrorCode.INVALID_STATE, "the questionnaire is not open")
    return one("evaluation.closed")


def _send(state: HallState, args: Mapping[str, Any], actor: Actor, now: int) -> Decision:
    if state.evaluation.status != "open":
        return reject(ErrorCode.INVALID_STATE, "open the questionnaire before sending it")
    return one("evaluation.sent", to=args.get("to", "remote"))


def _show(state: HallState, args: Mapping[str, Any], actor: Actor, now: int) -> Decision:
    if args["shown"] == state.evaluation.results_shown:
        return reject(ErrorCode.INVALID_STATE, "the results are shown already" if args["shown"]
                      else "the results are not shown")
    return one("evaluation.results_shown", shown=args["shown"])


# Deciders: answering -------------------------------------------------------------------------


def _answerable(state: HallState, qid: str) -> EvalQuestion | Rejection:
    if state.evaluation.status != "open":
        return reject(ErrorCode.INVALID_STATE, "the questionnaire is not open")
    return _found(state, qid)


def checked_answer(question: EvalQuestion, value: Answer) -> Answer:
    """The answer as it is kept, or FieldError saying why it does not answer ``question``."""
    if question.kind == "text":
        return TEXT_ANSWER.check("answer", value)
    if question.kind == "choice":
        if not isinstance(value, str) or value not in question.options:
            raise FieldError("'answer' must be one of the question's options")
        return value
    scores = NPS if question.kind == "nps" else range(1, 6)
    return Int(scores[0], scores[-1]).check("answer", value)


def _answer(state: HallState, args: Mapping[str, Any], actor: Actor, now: int) -> Decision:
    question = _answerable(state, args["question"])
    if isinstance(question, Rejection):
        return question
    try:
        value = checked_answer(question, args["answer"])
    except FieldError as error:
        return reject(ErrorCode.INVALID_ARGS, str(error))
    if state.evaluation.answers.get(actor.id, {}).get(question.id) == value:
        return reject(ErrorCode.INVALID_STATE, "this is your answer already")
    return one("evaluation.answered", question=question.id, respondent=actor.id, answer=value)


def _clear(state: HallState, args: Mapping[str, Any], actor: Actor, now: int) -> Decision:
    question = _answerable(state, args["question"])
    if isinstance(question, Rejection):
        return question
    if question.id not in state.evaluation.answers.get(actor.id, {}):
        return reject(ErrorCode.INVALID_STATE, "you have not answered this question")
    return one("evaluation.cleared", question=question.id, respondent=actor.id)


class AnswerValue:
    """A score (a whole number) or a text: checked against its question by the rule."""

    def check(self, name: str, value: object) -> Answer:
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise FieldError(f"'{name}' must be a whole number or a text")
        return value


# Appliers ------------------------------------------------------------------------------------


def _with(state: HallState, **changes: Any) -> HallState:
    return replace(state, evaluation=replace(state.evaluation, **changes))


def _questions(data: Mapping[str, Any]) -> tuple[EvalQuestion, ...]:
    return tuple(EvalQuestion.from_json(q) for q in data["questions"])


def _apply_drafted(state: HallState, e: Event) -> HallState:
    return _with(state, questions=_questions(e.data))


def _apply_opened(state: HallState, e: Event) -> HallState:
    return _with(state, questions=_questions(e.data), status="open", opened_at=e.at,
                 closed_at=None)


def _apply_closed(state: HallState, e: Event) -> HallState:
    return _with(state, status="closed", closed_at=e.at)


def _apply_shown(state: HallState, e: Event) -> HallState:
    return _with(state, results_shown=e.data["shown"])


def _apply_answered(state: HallState, e: Event) -> HallState:
    d, answers = e.data, state.evaluation.answers
    mine = {**answers.get(d["respondent"], {}), d["question"]: d["answer"]}
    return _with(state, answers={**answers, d["respondent"]: mine})


def _apply_cleared(state: HallState, e: Event) -> HallState:
    d, answers = e.data, dict(state.evaluation.answers)
    mine = {k: v for k, v in answers[d["respondent"]].items() if k != d["question"]}
    if mine:
        answers[d["respondent"]] = mine
    else:  # nothing left: no longer a respondent
        del answers[d["respondent"]]
    return _with(state, answers=answers)


_DEFINITION: dict[str, Field] = {"required": Flag(), "options": OptionList(),
                                  "low": END_LABEL, "high": END_LABEL}
_KIND: dict[str, Field] = {"kind": Choice(KINDS), "text": QUESTION}

COMMANDS = (
    CommandSpec("evaluation.add", spec(_KIND, {**_DEFINITION, "position": Int(0, 1000)}),
                ORGANIZER, _add),
    CommandSpec("evaluation.edit", spec({"id": Ref(), **_KIND}, _DEFINITION), ORGANIZER, _edit),
    CommandSpec("evaluation.move", spec({"id": Ref(), "position": Int(0, 1000)}), ORGANIZER,
                _move),
    CommandSpec("evaluation.remove", spec({"id": Ref()}), ORGANIZER, _remove),
    CommandSpec("evaluation.open", spec(), ORGANIZER, _open),
    CommandSpec("evaluation.close", spec(), ORGANIZER, _close),
    CommandSpec("evaluation.send", spec(optional={"to": Choice(AUDIENCES)}), ORGANIZER, _send),
    CommandSpec("evaluation.show_results", spec({"shown": Flag()}), ORGANIZER, _show),
    CommandSpec("evaluation.answer", spec({"question": Ref(), "answer": AnswerValue()}),
                PARTICIPANT, _answer),
    CommandSpec("evaluation.clear", spec({"question": Ref()}), PARTICIPANT, _clear),
)

APPLIERS: dict[str, Applier] = {
    "evaluation.drafted": _apply_drafted,
    "evaluation.opened": _apply_opened,
    "evaluation.closed": _apply_closed,
    "evaluation.results_shown": _apply_shown,
    "evaluation.answered": _apply_answered,
    "evaluation.cleared": _apply_cleared,
}
