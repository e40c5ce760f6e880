"""The state of a hall: plain frozen dataclasses, changed only by ``apply`` (copy on write).

Each slice defines the part of the state it owns, next to its rules; this composes them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ..state import Member
from .agenda import AgendaState
from .assignment import AssignmentState
from .evaluation_state import EvaluationState
from .forum import ForumSettings
from .links import Link
from .networking import NetworkingState
from .polls import PollsState
from .questions import QuestionsState


@dataclass(frozen=True, slots=True)
class HallState:
    """Everything a forum's hall is; the replay of its log from seq 1."""

    id: str = ""
    seq: int = 0
    forum: ForumSettings = field(default_factory=ForumSettings)
    agenda: AgendaState = field(default_factory=AgendaState)
    links: Mapping[str, Link] = field(default_factory=dict)
    # Participants who have entered the hall: everyone of the forum who came online.
    members: Mapping[str, Member] = field(default_factory=dict)
    questions: QuestionsState = field(default_factory=QuestionsState)
    polls: PollsState = field(default_factory=PollsState)
    assignment: AssignmentState = field(default_factory=AssignmentState)
    networking: NetworkingState = field(default_factory=NetworkingState)
    evaluation: EvaluationState = field(default_factory=EvaluationState)

    @property
    def created(self) -> bool:
        return bool(self.forum.title)
