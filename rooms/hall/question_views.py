"""What each audience sees of the plenary's questions, and who an event is shown as coming from.

- Staff (organizer and facilitators) see every question, pending and hidden ones included.
  Participants and the projector see public ones (approved, not hidden); a participant also
  sees their own, pending or hidden, with ``"mine": true``.
- An anonymous question has ``"author": null`` in every view, the staff's included, and its
  author's events (asked, withdrawn, the unpinning by a withdrawal) are shown as coming from
  ``"anonymous"`` (``actor_view``); so is an author's redacted event (asking a question
  still pending). Only the author's own view marks it as theirs, with ``mine``, never with
  their id.
- Who upvoted is shown to nobody: counts only; an upvote's actor is ``"anonymous"`` but to
  the voter, whose own view carries ``"voted"``.
- Views of an event are made with a state at or after it (live: just after; on a resume: the
  current one), so they never show what the current state hides: an event about a question
  the viewer may not see now is redacted, and a question withdrawn since is redacted whole.
  An event that makes a question appear to a viewer (approved, unhidden) carries its card.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..audience import Audience
from ..events import Event
from ..projection import REDACTED
from .question_state import Question

if TYPE_CHECKING:
    from .state import HallState

ANONYMOUS = "anonymous"  # the actor an anonymous author or a voter is shown as
_PER_QUESTION = {"question.asked", "question.withdrawn", "question.upvoted",
                 "question.unvoted", "question.approved", "question.hidden",
                 "question.answered"}
_EVENTS = _PER_QUESTION | {"question.pinned", "questions.moderated"}
_HIDDEN_ACTOR = {"question.asked", "question.withdrawn"}  # the author's own actions
_VOTES = {"question.upvoted", "question.unvoted"}


def card(state: HallState, q: Question, audience: Audience, viewer: str | None) -> dict[str, Any]:
    """A question as JSON for ``viewer`` (a participant's member id, or None) in ``audience``."""
    author = None
    if not q.anonymous:
        member = state.members.get(q.author)
        author = {"id": q.author, "name": member.name if member is not None else None}
    shown: dict[str, Any] = {
        "id": q.id, "session": q.session, "text": q.text, "at": q.at, "anonymous": q.anonymous,
        "author": author, "votes": q.votes, "pending": q.pending, "hidden": q.hidden,
        "answered": q.answered}
    if audience is Audience.PARTICIPANT:
        shown["mine"] = viewer is not None and viewer == q.author
        shown["voted"] = viewer is not None and viewer in q.upvoters
    return shown


def _sees(q: Question, audience: Audience, viewer: str | None) -> bool:
    if q.withdrawn:
        return False
    return (audience is Audience.FACILITATOR or q.public
            or (audience is Audience.PARTICIPANT and viewer is not None and viewer == q.author))


def view(state: HallState, audience: Audience, viewer: str | None) -> dict[str, Any]:
    """The ``questions`` key of the hall's snapshot: pre-moderation, the pin, the questions."""
    qs = state.questions
    return {"questions": {
        "moderated": qs.moderated, "pinned": qs.pinned,
        "items": [card(state, q, audience, viewer) for q in qs.items.values()
                  if _sees(q, audience, viewer)]}}


def event_view(state: HallState, event: Event, audience: Audience,
               viewer: str | None) -> dict[str, Any] | None:
    """An event of this slice as ``viewer`` may see it; None for events of other slices."""
    if event.name not in _EVENTS:
        return None
    data: dict[str, Any] = event.data
    if event.name not in _PER_QUESTION:
        return data  # the pin (always a public question's id) and pre-moderation: everyone's
    q = state.questions.items[data["id"]]
    staff = audience is Audience.FACILITATOR
    if event.name == "question.withdrawn":
        seen = staff or not (q.pending or q.hidden) or (
            audience is Audience.PARTICIPANT and viewer == q.author)
        return data if seen else REDACTED
    if q.withdrawn:  # its text and votes are gone: nothing about it is shown any more
        return data if staff and event.name != "question.asked" else REDACTED
    sees = _sees(q, audience, viewer)
    if event.name == "question.asked":
        return _asked(state, event, q, audience, viewer) if sees else REDACTED
    if event.name == "question.hidden" and not sees:
        # A public question going away: say so (its author and the staff still see it).
        return data if data["hidden"] and not q.pending else REDACTED
    if not sees:
        return REDACTED
    if event.name in _VOTES:
        votes: dict[str, Any] = {"id": q.id, "votes": data["votes"]}
        if audience is Audience.PARTICIPANT and viewer == event.actor:
            votes["voted"] = event.name == "question.upvoted"
        return votes
    if event.name == "question.approved" or (
            event.name == "question.hidden" and not data["hidden"]):
        return {**data, "question": card(state, q, audience, viewer)}
    return data


def _asked(state: HallState, event: Event, q: Question, audience: Audience,
           viewer: str | None) -> dict[str, Any]:
    # The card as it was asked (no votes yet); later events bring it up to date.
    d = event.data
    asked = Question(q.id, d["session"], q.author, d["text"], d["anonymous"], event.at,
                     d["pending"])
    return card(state, asked, audience, viewer)


def subjects(state: HallState, event: Event) -> set[str]:
    """Members who see an event of this slice their own way.

    The author of the question (``mine``, and what others do not see of it), the voter of an
    upvote or of taking it back (``voted``), and everyone who upvoted a question that comes
    back into view (its card carries ``voted``).
    """
    if event.name not in _PER_QUESTION:
        return set()
    q = state.questions.items[event.data["id"]]
    if event.name in _VOTES:
        return {event.actor}
    if event.name == "question.approved" or (
            event.name == "question.hidden" and not event.data["hidden"]):
        return {q.author, *q.upvoters}
    return {q.author}


def actor_view(state: HallState, event: Event, audience: Audience,
               viewer: str | None) -> str | None:
    """Who an event of this slice is shown as coming from; None: its actor."""
    if event.name not in _EVENTS or (viewer is not None and viewer == event.actor):
        return None  # not this slice's, or one's own action
    if event.name in _VOTES:
        return ANONYMOUS
    if event.name in _HIDDEN_ACTOR:
        q = state.questions.items[event.data["id"]]
    elif event.name == "question.pinned" and event.data["previous"] is not None:
        q = state.questions.items[event.data["previous"]]  # unpinned by its withdrawal, maybe
    else:
        return None
    if event.actor != q.author:
        return None
    # Nor is the author of a question the viewer may not see shown doing something unseen.
    hidden = q.anonymous or event_view(state, event, audience, viewer) == REDACTED
    return ANONYMOUS if hidden else None


def own_view(state: HallState, viewer: str) -> bool:
    """Whether ``viewer``'s snapshot of this slice differs from their audience's."""
    return any((q.author == viewer or viewer in q.upvoters) and not q.withdrawn
               for q in state.questions.items.values())
