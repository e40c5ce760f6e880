"""Events: the entries of a room's log, and the drafts that ``decide`` returns."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Draft:
    """An event decided but not yet numbered: the log assigns ``seq`` when it commits."""

    name: str
    data: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Event:
    """One committed change of a room, numbered by the room's log (1, 2, 3, ... no gaps)."""

    seq: int
    at: int  # server time in ms since the Unix epoch
    name: str
    actor: str
    data: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        """The event as plain JSON data (the store and the bus carry this)."""
        return {"seq": self.seq, "at": self.at, "name": self.name, "actor": self.actor,
                "data": self.data}

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> Event:
        """Rebuild an event written by ``to_json``."""
        return cls(int(raw["seq"]), int(raw["at"]), str(raw["name"]), str(raw["actor"]),
                   dict(raw["data"]))


def number(drafts: list[Draft], after_seq: int, at: int, actor: str) -> list[Event]:
    """Give drafts the next seqs of a log that ends at ``after_seq``."""
    return [Event(after_seq + i, at, d.name, actor, d.data) for i, d in enumerate(drafts, 1)]
