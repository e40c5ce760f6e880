"""The bus: how the replicas of a room in several processes share one ordered log.

With the embedded default (``memory``) there is one process and the room host is the only
replica, so the bus has nothing to do. The Redis adapter keeps each room's log as a stream and
appends atomically, so two processes can never number two events alike (see docs/scaling.md).

The bus carries ``StoredEvent``s, the same entries the store keeps: an event with the operation
key that produced it, so that a retry reaching another process still finds its first outcome.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from server.store.base import StoredEvent

Listener = Callable[[list[StoredEvent]], None]
Rewritten = Callable[[str], None]  # told the id of a room whose log another process rewrote


class LogConflict(Exception):
    """The log does not end at the seq the appender expected: catch up and decide again.

    ``head`` is where the shared log ends, when the bus knows it. A head *behind* the
    appender's replica means the shared log lost entries that the store still has.
    """

    def __init__(self, head: int | None = None) -> None:
        super().__init__(f"the log ends at seq {head}" if head is not None else "log conflict")
        self.head = head


class BusUnavailable(Exception):
    """The shared log cannot be reached right now; nothing was appended (or it is unknown)."""


class LeaseLost(Exception):
    """The append was fenced off: this process no longer holds the room's lease."""


@dataclass(frozen=True, slots=True)
class Claim:
    """Who may append to a room now: this process (``mine``) or ``holder``, with its fence.

    The fence grows with every new lease of a room, so an append that carries an old fence
    (a process that was paused while its lease moved on) is refused by the log.
    """

    mine: bool
    fence: int
    holder: str


Inbox = Callable[[dict[str, Any]], None]


@dataclass(frozen=True, slots=True)
class Headcount:
    """The connections one process holds in a room: per member id, then the other roles."""

    members: Mapping[str, int] = field(default_factory=dict)
    facilitators: int = 0
    observers: int = 0

    @property
    def empty(self) -> bool:
        return not any(self.members.values()) and not self.facilitators and not self.observers

    def to_json(self) -> dict[str, Any]:
        members = {k: v for k, v in self.members.items() if v > 0}
        return {"m": members, "f": self.facilitators, "o": self.observers}

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> Headcount:
        return cls({str(k): int(v) for k, v in raw.get("m", {}).items()},
                   int(raw.get("f", 0)), int(raw.get("o", 0)))


class Bus(ABC):
    """A shared, totally ordered log per room with fan-out to every process."""

    shared = False  # True when other processes append to the same logs (catch-up sweeps on)
    process = "local"  # this process's name on the bus (where messages for it are sent)

    @abstractmethod
    async def open(self) -> None: ...

    @abstractmethod
    async def close(self) -> None: ...

    @abstractmethod
    async def append(self, room_id: str, expected_seq: int, events: list[StoredEvent],
                     fence: int | None = None) -> None:
        """Append ``events`` (numbered from ``expected_seq + 1``) iff the log ends there.

        With a ``fence``, only while this process holds the room's lease with that fence.
        Raises LogConflict when the log ends elsewhere, LeaseLost when the lease moved on,
        BusUnavailable when the log cannot be reached.
        """

    @abstractmethod
    async def read(self, room_id: str, after_seq: int) -> list[StoredEvent]:
        """The events after ``after_seq`` that the shared log holds, in order.

        The result may start later than ``after_seq + 1`` when the log no longer holds the
        oldest entries (trimmed, or lost): the store has those.
        """

    @abstractmethod
    async def subscribe(self, room_id: str, listener: Listener) -> None:
        """Call ``listener`` with events appended to the room (maybe with gaps, maybe twice)."""

    @abstractmethod
    async def unsubscribe(self, room_id: str, listener: Listener) -> None: ...

    # Erasure: the log's past entries rewritten (server/erasure.py) ------------------------------

    @abstractmethod
    async def rewrite(self, room_id: str, events: list[StoredEvent]) -> None:
        """Replace the shared log's entries of these seqs, keeping every other entry as it is.

        No copy of the old entries may remain in the bus's data; every process that follows
        the room is then told (``on_rewritten``) to reload its replica from the store.
        """

    def on_rewritten(self, callback: Rewritten) -> None:
        """Call ``callback`` with a room's id when another process rewrote its log."""
        return None

    async def scrub(self) -> None:
        """After rewrites: leave no old copy in the bus's own files (Redis: rewrite the AOF)."""
        return None

    # The writer of a room: one process at a time holds its lease --------------------------------

    async def claim(self, room_id: str, lease_ms: int) -> Claim:
        """Take the room's lease if nobody holds it (renewing it if we do); say who holds it."""
        return Claim(True, 0, self.process)

    async def renew(self, room_id: str, fence: int, lease_ms: int) -> bool:
        """Extend our lease of the room; False when it is no longer ours."""
        return True

    async def release(self, room_id: str, fence: int) -> None:
        """Give the lease up (a clean stop), so another process need not wait for it."""
        return None

    # Messages between processes ------------------------------------------------------------------

    def listen(self, inbox: Inbox) -> None:
        """Call ``inbox`` with each message another process sends to this one."""
        return None

    async def send(self, process: str, message: dict[str, Any]) -> None:
        """Send a message to another process (at most once: the sender retries)."""
        raise BusUnavailable("this bus has no other process to send to")

    async def put_presence(self, room_id: str, mine: Headcount) -> None:
        """Publish this process's headcount of a room for the others (kept for a TTL)."""
        return None

    async def presence(self, room_id: str) -> list[Headcount]:
        """The headcounts of the room held by the *other* live processes."""
        return []
