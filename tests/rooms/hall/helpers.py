"""A hall under test: send commands as named actors, keep the log, move a clock by hand."""

from __future__ import annotations

from typing import Any

from rooms.actors import SYSTEM, Actor, Role
from rooms.audience import Audience
from rooms.errors import ErrorCode, Rejection
from rooms.hall.hall import HALL
from rooms.hall.state import HallState
from tests.rooms.helpers import Log, profile

ORG = Actor("o1", Role.ORGANIZER)
FAC = Actor("f1", Role.FACILITATOR)
P1 = Actor("p1", Role.PARTICIPANT)
P2 = Actor("p2", Role.PARTICIPANT)
P3 = Actor("p3", Role.PARTICIPANT)
OBS = Actor("projector", Role.OBSERVER)
PARTICIPANTS = (P1, P2, P3)

# The pilot's shape: a plenary, parallel hackathon rooms, networking, evaluation.
SESSIONS: list[dict[str, Any]] = [
    {"kind": "plenary", "title": "Crisis communication", "minutes": 45},
    {"kind": "hackathon", "title": "Hackathons", "minutes": 90, "rooms": [
        {"title": "Floods", "challenge": "Warn people in time", "capacity": 2},
        {"title": "Forest fires"}]},
    {"kind": "networking", "title": "Speed networking", "minutes": 30},
    {"kind": "evaluation", "title": "Evaluation", "minutes": 10},
]


class Hall(Log):
    """A live hall: its state, its log and a clock, driven through the hall's gate."""

    state: HallState

    def __init__(self, *, members: tuple[Actor, ...] = PARTICIPANTS,
                 sessions: list[dict[str, Any]] | None = None, **create: Any) -> None:
        super().__init__(HALL, HALL.initial("h1"))
        self.ok(SYSTEM, "hall.create", **{"title": "Forum", "topic": "Resilience",
                                          "sessions": SESSIONS if sessions is None
                                          else sessions, **create})
        for member in members:
            self.ok(SYSTEM, "member.join", **profile(member.id))

    def refused(self, actor: Actor, name: str, code: ErrorCode, /, **args: Any) -> Rejection:
        """Send a command that must be rejected with ``code``."""
        result = self.send(actor, name, **args)
        assert isinstance(result, Rejection), f"{name} was accepted: {result}"
        assert result.code is code, result
        return result

    def session(self, kind: str) -> str:
        """The id of the first session of ``kind``."""
        return next(s.id for s in self.state.agenda.sessions if s.kind == kind)

    def move_to(self, kind: str) -> None:
        """The organizer moves the forum to the first session of ``kind``."""
        self.ok(ORG, "agenda.now", session=self.session(kind))

    def replayed(self) -> HallState:
        """The state a replica gets by replaying the whole log from scratch."""
        state: HallState = HALL.replay(self.log, HALL.initial("h1"))
        return state

    def view(self, audience: Audience, viewer: str | None = None) -> dict[str, Any]:
        return HALL.snapshot(self.state, audience, viewer, True)
