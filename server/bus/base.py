"""The bus: how the replicas of a room in several processes share one ordered log.

With the embedded default (``memory``) there is one process and the room host is the only
replica, so the bus has nothing to do. The Redis adapter keeps each room's log as a stream and
appends atomically, so two processes can never number two events alike.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable

from rooms.events import Event

Listener = Callable[[list[Event]], None]


class LogConflict(Exception):
    """The log has moved past the seq the appender expected: catch up and decide again."""


class BusUnavailable(Exception):
    """The shared log cannot be reached right now; nothing was appended."""


class Bus(ABC):
    """A shared, totally ordered log per room with fan-out to every process."""

    @abstractmethod
    async def open(self) -> None: ...

    @abstractmethod
    async def close(self) -> None: ...

    @abstractmethod
    async def append(self, room_id: str, expected_seq: int, events: list[Event]) -> None:
        """Append ``events`` (numbered from ``expected_seq + 1``) iff the log ends there.

        Raises LogConflict when another process appended first, BusUnavailable when the log
        cannot be reached.
        """

    @abstractmethod
    async def read(self, room_id: str, after_seq: int) -> list[Event]:
        """The events after ``after_seq`` that the shared log holds, in order."""

    @abstractmethod
    async def subscribe(self, room_id: str, listener: Listener) -> None:
        """Call ``listener`` with events other processes append to the room (maybe with gaps)."""

    @abstractmethod
    async def unsubscribe(self, room_id: str, listener: Listener) -> None: ...
