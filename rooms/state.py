"""The state of a room: plain frozen dataclasses, changed only by ``apply`` (copy on write)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from .outcomes_state import OutcomesState

# What a phase may allow participants to do. Facilitators are never gated by the phase.
# "clusters": participants may group ideas (move them, make a cluster), as in scrumlr's stacking.
# "outcomes": participants may write recommendations and action items (the refine phase).
CAPABILITIES = ("ideas", "comments", "reactions", "votes", "clusters", "outcomes")

# The fixed set of reactions; a small set keeps the board readable on a projector.
REACTIONS = ("+1", "heart", "idea", "question", "concern")

EMPTY: Mapping[str, Any] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Phase:
    """A step of the room's agenda and what it lets participants do."""

    id: str
    label: str
    allows: frozenset[str]


@dataclass(frozen=True, slots=True)
class PhaseState:
    """The room's ordered phases and which one is current."""

    phases: tuple[Phase, ...] = ()
    current: int = 0

    @property
    def phase(self) -> Phase | None:
        return self.phases[self.current] if self.phases else None

    def allows(self, capability: str) -> bool:
        """Whether participants may use ``capability`` in the current phase."""
        phase = self.phase
        return phase is not None and capability in phase.allows

    def index_of(self, phase_id: str) -> int | None:
        return next((i for i, p in enumerate(self.phases) if p.id == phase_id), None)


@dataclass(frozen=True, slots=True)
class Comment:
    """A comment on an idea."""

    id: str
    author: str
    text: str
    at: int


@dataclass(frozen=True, slots=True)
class Idea:
    """An idea card on the board."""

    id: str
    author: str
    text: str
    created_at: int
    edited_at: int | None = None
    cluster: str | None = None
    hidden: bool = False  # hidden by a facilitator (moderation); only facilitator and author see it
    comments: tuple[Comment, ...] = ()
    # reaction -> ids of the people who gave it, in the order they did
    reactions: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Cluster:
    """A named group of ideas, made by the facilitator (or participants a phase lets)."""

    id: str
    title: str


@dataclass(frozen=True, slots=True)
class BoardState:
    """Ideas and clusters, in the order they were created."""

    ideas: Mapping[str, Idea] = field(default_factory=dict)
    clusters: Mapping[str, Cluster] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class VotingState:
    """Dot voting: a budget per person, a cap per person and idea, hidden until revealed."""

    budget: int = 5
    cap: int = 3
    anonymous: bool = True
    open: bool = True
    revealed: bool = False
    # voter -> the ideas they put a dot on, in the order they did (an idea repeats per dot)
    ballots: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def used(self, voter: str) -> int:
        return len(self.ballots.get(voter, ()))

    def dots(self, voter: str, idea: str) -> int:
        return self.ballots.get(voter, ()).count(idea)

    def tallies(self) -> dict[str, int]:
        """Votes per idea, over all voters."""
        totals: dict[str, int] = {}
        for ballot in self.ballots.values():
            for idea in ballot:
                totals[idea] = totals.get(idea, 0) + 1
        return totals

    def cast_total(self) -> int:
        return sum(len(b) for b in self.ballots.values())


@dataclass(frozen=True, slots=True)
class TimerState:
    """A server-authoritative countdown; times are server ms since the Unix epoch."""

    status: str = "idle"  # idle, running, paused, expired
    duration_ms: int = 0
    ends_at: int = 0  # when running
    remaining_ms: int = 0  # when paused

    def remaining(self, now: int) -> int:
        if self.status == "running":
            return max(0, self.ends_at - now)
        return self.remaining_ms if self.status == "paused" else 0


@dataclass(frozen=True, slots=True)
class Member:
    """A participant who has entered the room, with the profile others see."""

    id: str
    name: str
    organization: str
    sector: str
    country: str
    attendance: str  # onsite or remote
    joined_at: int
    about: str = ""  # "what I work on", one line; staff and a networking partner see it


@dataclass(frozen=True, slots=True)
class RoomState:
    """Everything a room is; the replay of its log from seq 1."""

    id: str = ""
    seq: int = 0
    title: str = ""
    challenge: str = ""
    phases: PhaseState = field(default_factory=PhaseState)
    board: BoardState = field(default_factory=BoardState)
    voting: VotingState = field(default_factory=VotingState)
    timer: TimerState = field(default_factory=TimerState)
    members: Mapping[str, Member] = field(default_factory=dict)
    outcomes: OutcomesState = field(default_factory=OutcomesState)

    @property
    def created(self) -> bool:
        return bool(self.phases.phases)

    def visible_idea(self, idea_id: str, viewer: str | None, facilitator: bool) -> Idea | None:
        """The idea if it exists and the viewer may see it (hidden ones: facilitator, author)."""
        idea = self.board.ideas.get(idea_id)
        if idea is None or (idea.hidden and not facilitator and idea.author != viewer):
            return None
        return idea
