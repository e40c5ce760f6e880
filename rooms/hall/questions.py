"""Plenary audience questions: ask (anonymously if one chooses), upvote, moderate, pin, answer.

What the best tools do, and what this does (anchors Slido and Claper; also Vevox, SpotMe):
- A participant asks a short question (1 to 300 characters; Claper caps a post at 255) while
  the forum is in a plenary session; the question belongs to that session. Anonymity is the
  asker's choice per question (Slido: ask without a name). The log keeps who asked, so that
  the author may withdraw it and sees it as theirs; no view shows an anonymous author to
  anybody, the organizer included, and the event's actor is shown as ``"anonymous"``.
- Upvotes: one per person per question, taken back with a second action (Slido's like, Vevox
  and SpotMe's upvote). The author may upvote their own question: Vevox's help says so
  explicitly, and no tool we read forbids it (we found no statement of Slido's rule). Who
  upvoted is shown to nobody, the staff included: counts only, which is what the tools show
  participants; an upvote's actor is ``"anonymous"`` to all but the voter. Upvoting needs a
  plenary, like asking; an answered question can still be upvoted (SpotMe: "even after it
  was discussed").
- Pre-moderation (off by default, as in Slido and conferences.io's "Q&A filter"): while on,
  new questions wait for the organizer's approval, seen only by the staff and their author.
  Turning it off publishes nothing by itself: questions asked under review still wait for a
  decision.
- The organizer approves, hides and unhides (a hidden question keeps its votes; its author
  still sees it, marked hidden), pins one question at a time (Slido's "highlight": pinning
  another unpins the first) and marks questions answered (Slido's archive). Only a public,
  unanswered question can be pinned; hiding, answering or withdrawing the pinned question
  unpins it first (a ``question.pinned`` event of its own, just before). Moderation is the
  organizer's alone, in any session.
- The author withdraws their own question at any time, in any session (one they regret, say);
  its text and votes are gone from every view.
- Sorting by votes or by time is the client's: every view carries each question's ``votes``
  and ``at``. The projector is shown public questions only, with the pinned one.

Views: ``rooms/hall/question_views.py``. The protocol: ``docs/protocol-hall-questions.md``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from ..actors import Actor, Role
from ..errors import ErrorCode, Rejection, reject
from ..events import Draft, Event
from ..fields import Flag, Ref, Text, spec
from ..registry import ORGANIZER, PARTICIPANT, Applier, CommandSpec, Decision, new_id, one
from .question_state import Question, QuestionsState
from .question_views import actor_view, event_view, own_view, subjects, view

if TYPE_CHECKING:
    from .state import HallState

__all__ = ["APPLIERS", "COMMANDS", "MAX_OWN", "MAX_QUESTIONS", "TEXT", "Question",
           "QuestionsState", "actor_view", "event_view", "own_view", "subjects", "view"]

TEXT = Text(300)
MAX_QUESTIONS = 5000  # per hall, withdrawn ones included: bounds the state and its snapshot
MAX_OWN = 20  # questions one person has standing in one session: bounds a flood by one person


def _find(state: HallState, question_id: str, actor: Actor) -> Question | Rejection:
    """The question as the actor may see it: a participant sees public ones and their own."""
    q = state.questions.items.get(question_id)
    if q is None or q.withdrawn or not (
            actor.role is Role.ORGANIZER or q.public or q.author == actor.id):
        return reject(ErrorCode.NOT_FOUND, "no such question")
    return q


def _with(state: HallState, **changes: Any) -> HallState:
    return replace(state, questions=replace(state.questions, **changes))


def _unpinned(state: HallState, q: Question) -> list[Draft]:
    # The pinned question is always public and unanswered: hiding, answering or withdrawing it
    # unpins it first, with a pin event of its own that every audience sees.
    if state.questions.pinned != q.id:
        return []
    return [Draft("question.pinned", {"id": None, "previous": q.id})]


# Deciders: participants ----------------------------------------------------------------------


def _ask(state: HallState, args: Mapping[str, Any], actor: Actor, now: int) -> Decision:
    items = state.questions.items
    if len(items) >= MAX_QUESTIONS:
        return reject(ErrorCode.INVALID_STATE, f"a forum holds at most {MAX_QUESTIONS} questions")
    session = state.agenda.now
    standing = sum(1 for q in items.values()
                   if q.author == actor.id and q.session == session and not q.withdrawn)
    if standing >= MAX_OWN:
        return reject(ErrorCode.INVALID_STATE,
                      f"you have asked {MAX_OWN} questions in this session; withdraw one first")
    return one("question.asked", id=new_id(state, "q"), session=session, text=args["text"],
               anonymous=args.get("anonymous", False), pending=state.questions.moderated)


def _withdraw(state: HallState, args: Mapping[str, Any], actor: Actor, now: int) -> Decision:
    q = _find(state, args["id"], actor)
    if isinstance(q, Rejection):
        return q
    if q.author != actor.id:
        return reject(ErrorCode.FORBIDDEN, "only its author may withdraw a question")
    return [*_unpinned(state, q), Draft("question.withdrawn", {"id": q.id})]


def _upvote(state: HallState, args: Mapping[str, Any], actor: Actor, now: int) -> Decision:
    q = _find(state, args["id"], actor)
    if isinstance(q, Rejection):
        return q
    if not q.public:  # only its author gets here: their own question, pending or hidden
        return reject(ErrorCode.INVALID_STATE, "the question is waiting for approval"
                      if q.pending else "the question is hidden")
    if actor.id in q.upvoters:
        return reject(ErrorCode.INVALID_STATE, "you have upvoted this question already")
    return one("question.upvoted", id=q.id, votes=q.votes + 1)


def _unvote(state: HallState, args: Mapping[str, Any], actor: Actor, now: int) -> Decision:
    q = _find(state, args["id"], actor)
    if isinstance(q, Rejection):
        return q
    if actor.id not in q.upvoters:
        return reject(ErrorCode.NO_VOTE, "you have not upvoted this question")
    return one("question.unvoted", id=q.id, votes=q.votes - 1)


# Deciders: the organizer ---------------------------------------------------------------------


def _moderate(state: HallState, args: Mapping[str, Any], actor: Actor, now: int) -> Decision:
    if args["on"] == state.questions.moderated:
        return reject(ErrorCode.INVALID_STATE, "pre-moderation is " +
                      ("on" if args["on"] else "off") + " already")
    return one("questions.moderated", on=args["on"])


def _approve(state: HallState, args: Mapping[str, Any], actor: Actor, now: int) -> Decision:
    q = _find(state, args["id"], actor)
    if isinstance(q, Rejection):
        return q
    if not q.pending:
        return reject(ErrorCode.INVALID_STATE, "the question is approved already")
    return one("question.approved", id=q.id)


def _hide(state: HallState, args: Mapping[str, Any], actor: Actor, now: int) -> Decision:
    q = _find(state, args["id"], actor)
    if isinstance(q, Rejection):
        return q
    if q.hidden == args["hidden"]:
        return reject(ErrorCode.INVALID_STATE, "the question is " +
                      ("hidden" if q.hidden else "visible") + " already")
    unpin = _unpinned(state, q) if args["hidden"] else []
    return [*unpin, Draft("question.hidden", {"id": q.id, "hidden": args["hidden"]})]


def _pin(state: HallState, args: Mapping[str, Any], actor: Actor, now: int) -> Decision:
    pinned = state.questions.pinned
    if args["id"] is None:
        if pinned is None:
            return reject(ErrorCode.INVALID_STATE, "no question is pinned")
        return one("question.pinned", id=None, previous=pinned)
    q = _find(state, args["id"], actor)
    if isinstance(q, Rejection):
        return q
    if not q.public:
        return reject(ErrorCode.INVALID_STATE, "only an approved, visible question can be pinned")
    if q.answered:
        return reject(ErrorCode.INVALID_STATE, "the question is answered; un-mark it first")
    if pinned == q.id:
        return reject(ErrorCode.INVALID_STATE, "the question is pinned already")
    return one("question.pinned", id=q.id, previous=pinned)


def _answer(state: HallState, args: Mapping[str, Any], actor: Actor, now: int) -> Decision:
    q = _find(state, args["id"], actor)
    if isinstance(q, Rejection):
        return q
    if q.pending:
        return reject(ErrorCode.INVALID_STATE, "the question is waiting for approval")
    if q.answered == args["answered"]:
        return reject(ErrorCode.INVALID_STATE, "the question is " +
                      ("answered" if q.answered else "not answered") + " already")
    unpin = _unpinned(state, q) if args["answered"] else []
    return [*unpin, Draft("question.answered", {"id": q.id, "answered": args["answered"]})]


# Appliers ------------------------------------------------------------------------------------


def _changed(state: HallState, question_id: str, **changes: Any) -> HallState:
    q = replace(state.questions.items[question_id], **changes)
    return _with(state, items={**state.questions.items, q.id: q})


def _apply_asked(state: HallState, e: Event) -> HallState:
    d = e.data
    # The actor is the author: the event's data never names them (anonymous or not).
    q = Question(d["id"], d["session"], e.actor, d["text"], d["anonymous"], e.at, d["pending"])
    return _with(state, items={**state.questions.items, q.id: q})


def _apply_withdrawn(state: HallState, e: Event) -> HallState:
    return _changed(state, e.data["id"], withdrawn=True, text="",
                    upvoters=frozenset())


def _apply_upvoted(state: HallState, e: Event) -> HallState:
    q = state.questions.items[e.data["id"]]
    return _changed(state, q.id, upvoters=q.upvoters | {e.actor})


def _apply_unvoted(state: HallState, e: Event) -> HallState:
    q = state.questions.items[e.data["id"]]
    return _changed(state, q.id, upvoters=q.upvoters - {e.actor})


def _apply_moderated(state: HallState, e: Event) -> HallState:
    return _with(state, moderated=e.data["on"])


def _apply_approved(state: HallState, e: Event) -> HallState:
    return _changed(state, e.data["id"], pending=False)


def _apply_hidden(state: HallState, e: Event) -> HallState:
    return _changed(state, e.data["id"], hidden=e.data["hidden"])


def _apply_pinned(state: HallState, e: Event) -> HallState:
    return _with(state, pinned=e.data["id"])


def _apply_answered(state: HallState, e: Event) -> HallState:
    return _changed(state, e.data["id"], answered=e.data["answered"])


_ID = spec({"id": Ref()})

COMMANDS = (
    CommandSpec("question.ask", spec({"text": TEXT}, {"anonymous": Flag()}), PARTICIPANT, _ask,
                capability="questions"),
    CommandSpec("question.withdraw", _ID, PARTICIPANT, _withdraw),
    CommandSpec("question.upvote", _ID, PARTICIPANT, _upvote, capability="questions"),
    CommandSpec("question.unvote", _ID, PARTICIPANT, _unvote, capability="questions"),
    CommandSpec("questions.moderate", spec({"on": Flag()}), ORGANIZER, _moderate),
    CommandSpec("question.approve", _ID, ORGANIZER, _approve),
    CommandSpec("question.hide", spec({"id": Ref(), "hidden": Flag()}), ORGANIZER, _hide),
    CommandSpec("question.pin", spec({"id": Ref(nullable=True)}), ORGANIZER, _pin),
    CommandSpec("question.answer", spec({"id": Ref(), "answered": Flag()}), ORGANIZER,
                _answer),
)

APPLIERS: dict[str, Applier] = {
    "question.asked": _apply_asked,
    "question.withdrawn": _apply_withdrawn,
    "question.upvoted": _apply_upvoted,
    "question.unvoted": _apply_unvoted,
    "questions.moderated": _apply_moderated,
    "question.approved": _apply_approved,
    "question.hidden": _apply_hidden,
    "question.pinned": _apply_pinned,
    "question.answered": _apply_answered,
}
