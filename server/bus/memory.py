"""The in-process bus: one process, one replica per room, so appends never conflict."""

from __future__ import annotations

from server.store.base import StoredEvent

from .base import Bus, Listener


class MemoryBus(Bus):
    """The embedded default: the room host in this process is the only writer of each log.

    The room host serializes its decisions with a lock and the store numbers nothing twice
    (its primary key is ``(room, seq)``), so there is nothing to coordinate and nobody else to
    tell. Presence and the lease have no other process to hear about (this one always holds
    every lease), so the defaults of ``Bus`` do.
    """

    async def open(self) -> None:
        return None

    async def close(self) -> None:
        return None

    async def append(self, room_id: str, expected_seq: int, events: list[StoredEvent],
                     fence: int | None = None) -> None:
        return None

    async def read(self, room_id: str, after_seq: int) -> list[StoredEvent]:
        return []

    async def subscribe(self, room_id: str, listener: Listener) -> None:
        return None

    async def unsubscribe(self, room_id: str, listener: Listener) -> None:
        return None

    async def rewrite(self, room_id: str, events: list[StoredEvent]) -> None:
        return None  # the store holds the only copy of the log
