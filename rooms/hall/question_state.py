"""The state of the plenary's audience questions: each question, the pin and pre-moderation."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Question:
    """One audience question, with who upvoted it.

    ``author`` is kept even for an anonymous question: the author may withdraw it and sees it
    as theirs. No view shows it (``rooms/hall/question_views.py``). A withdrawn question stays
    as a tombstone without its text, so that a view of an older event about it can tell what
    it was (pending, hidden, anonymous) without the text or the votes.
    """

    id: str
    session: str | None  # the session it was asked in (a plenary)
    author: str
    text: str
    anonymous: bool
    at: int
    pending: bool  # waiting for the organizer's approval (asked under pre-moderation)
    hidden: bool = False
    answered: bool = False
    upvoters: frozenset[str] = frozenset()
    withdrawn: bool = False

    @property
    def public(self) -> bool:
        """Whether every participant and the projector see it."""
        return not (self.pending or self.hidden or self.withdrawn)

    @property
    def votes(self) -> int:
        return len(self.upvoters)


@dataclass(frozen=True, slots=True)
class QuestionsState:
    """The plenary's questions in the order they were asked, the pinned one, pre-moderation."""

    items: Mapping[str, Question] = field(default_factory=dict)
    moderated: bool = False  # new questions wait for approval
    # At most one; always public and unanswered (hiding, answering or withdrawing unpins).
    pinned: str | None = None
