"""A room under test: send commands as named actors, keep the log, move a clock by hand."""

from __future__ import annotations

from typing import Any

from rooms.actors import SYSTEM, Actor, Role
from rooms.errors import ErrorCode, Rejection
from rooms.events import Event
from rooms.gate import Command
from rooms.kind import Kind
from rooms.room import ROOM
from rooms.state import CAPABILITIES, RoomState

FAC = Actor("f1", Role.FACILITATOR)
P1 = Actor("p1", Role.PARTICIPANT)
P2 = Actor("p2", Role.PARTICIPANT)
P3 = Actor("p3", Role.PARTICIPANT)
OBS = Actor("o1", Role.OBSERVER)
PARTICIPANTS = (P1, P2, P3)

START = 1_700_000_000_000  # server ms; any fixed instant will do

# One phase that lets participants do everything, for tests that are not about phases.
OPEN = [{"id": "open", "label": "Open", "allows": list(CAPABILITIES)}]


def profile(member_id: str, **changes: str) -> dict[str, str]:
    """A valid member profile for ``member.join``."""
    base = {"id": member_id, "name": f"Person {member_id}", "organization": "Org",
            "sector": "municipality", "country": "SE", "attendance": "onsite"}
    return {**base, **changes}


class Log:
    """A log of any kind under test: its state, its events and a clock, through its gate."""

    state: Any

    def __init__(self, kind: Kind, state: Any) -> None:
        self.kind, self.state = kind, state
        self.log: list[Event] = []
        self.now = START

    def send_raw(self, actor: Actor, name: str, args: Any) -> list[Event] | Rejection:
        """Decide a command with arguments as a client sent them; apply what it produced."""
        result = self.kind.decide(self.state, Command(name, args), actor, self.now)
        if isinstance(result, list):
            for event in result:
                self.state = self.kind.apply(self.state, event)
                self.log.append(event)
        return result

    def send(self, actor: Actor, name: str, /, **args: Any) -> list[Event] | Rejection:
        """Decide and apply a command given as keyword arguments."""
        return self.send_raw(actor, name, args)

    def ok(self, actor: Actor, name: str, /, **args: Any) -> list[Event]:
        """Send a command that must succeed; return its events."""
        result = self.send(actor, name, **args)
        assert isinstance(result, list), f"{name} was rejected: {result}"
        return result


class Room(Log):
    """A live room: its state, its log and a clock, driven through ``decide`` and ``apply``."""

    state: RoomState

    def __init__(self, *, members: tuple[Actor, ...] = PARTICIPANTS, **create: Any) -> None:
        super().__init__(ROOM, RoomState())
        self.ok(SYSTEM, "room.create", **{"title": "Room", **create})
        for member in members:
            self.ok(SYSTEM, "member.join", **profile(member.id))

    def no(self, actor: Actor, name: str, /, **args: Any) -> ErrorCode:
        """Send a command that must be refused without changing anything; return the code."""
        before = self.state
        result = self.send(actor, name, **args)
        assert isinstance(result, Rejection), result
        assert self.state is before
        return result.code

    def one(self, actor: Actor, name: str, /, **args: Any) -> Event:
        """Send a command that must produce exactly one event; return it."""
        events = self.ok(actor, name, **args)
        assert len(events) == 1, events
        return events[0]

    def idea(self, actor: Actor = P1, text: str = "An idea") -> str:
        """Post an idea as ``actor`` and return its id."""
        return str(self.one(actor, "idea.add", text=text).data["id"])

    def goto(self, phase: str) -> None:
        """Move the room to ``phase`` (unless it is there already)."""
        if self.state.phases.phase is None or self.state.phases.phase.id != phase:
            self.ok(FAC, "phase.set", phase=phase)

    def tick(self, ms: int) -> None:
        """Move the server clock forward."""
        self.now += ms


def open_room(**create: Any) -> Room:
    """A room with one phase that allows participants everything."""
    return Room(phases=OPEN, **create)
