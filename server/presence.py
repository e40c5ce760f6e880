"""Who is connected to a room: counted per process, shared between processes through the bus.

Presence is not in the room's log (it changes with every flaky reconnect). Each process counts
its own connections; with a shared bus it writes that headcount for the others, renews it as a
heartbeat, and reads theirs, so an entry of a process that died expires after the TTL.

Changes are sent at most once per interval: the first change after a quiet moment goes out at
once, the ones that follow it wait for the end of the interval and go out together. The
interval is ``INTERVAL_S``, or ``PER_CONNECTION_S`` per connection of the room when that is
longer, so that presence costs a room a bounded share of the CPU however big it is. A thousand
people joining at once thus make a few presence messages per connection, not a thousand (see
docs/architecture.md, "Join storms").
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Awaitable, Callable
from typing import Any

from rooms.actors import Role

from .bus.base import Bus, BusUnavailable, Headcount
from .connection import Connection

log = logging.getLogger("hackrooms.presence")
INTERVAL_S = 0.25  # at most one presence message per audience in this time (docs/protocol.md)
PER_CONNECTION_S = 0.001  # or this much per connection of the room here, when longer


class RoomPresence:
    """The connections of one room, here and (with a shared bus) in every other process."""

    def __init__(self, room_id: str, bus: Bus, ttl_ms: int, changed: Callable[[], None],
                 spawn: Callable[[Awaitable[Any]], None]) -> None:
        self._room, self._bus, self._ttl_s = room_id, bus, ttl_ms / 1000
        self._changed, self._spawn = changed, spawn
        self._members: Counter[str] = Counter()
        self._roles: Counter[Role] = Counter()
        self._connections = 0
        self._due = False
        self._last = -INTERVAL_S  # loop time of the last change sent
        self._elsewhere: list[Headcount] = []  # the other processes' headcounts
        self._shared = Headcount()  # the headcount we last wrote
        self._heartbeat_due = 0.0  # loop time when our headcount must be written again
        self._lock = asyncio.Lock()

    def add(self, conn: Connection) -> None:
        self._count(conn, +1)

    def remove(self, conn: Connection) -> None:
        self._count(conn, -1)

    def _count(self, conn: Connection, delta: int) -> None:
        if conn.member is not None:
            self._members[conn.member] += delta
            if self._members[conn.member] <= 0:
                del self._members[conn.member]  # people who left are not kept
        else:
            self._roles[conn.actor.role] += delta
        self._connections += delta
        self._schedule()

    def interval(self) -> float:
        """The shortest time between two presence messages of this room, in seconds."""
        return max(INTERVAL_S, PER_CONNECTION_S * self._connections)

    def _schedule(self) -> None:
        """Send the change now, or with the others at the end of the interval."""
        if self._due:
            return
        self._due = True
        loop = asyncio.get_running_loop()
        # call_soon even when no wait is needed: what else happens in this turn goes along.
        wait = self._last + self.interval() - loop.time()
        if wait > 0:
            loop.call_later(wait, self._flush)
        else:
            loop.call_soon(self._flush)

    def _flush(self) -> None:
        self._due = False
        self._last = asyncio.get_running_loop().time()
        self._changed()
        if self._bus.shared:
            self._spawn(self._share())

    def totals(self) -> tuple[Counter[str], int, int]:
        """Connections per member, facilitators and observers, over every process."""
        members = Counter(self._members)
        facilitators, observers = self._roles[Role.FACILITATOR], self._roles[Role.OBSERVER]
        for other in self._elsewhere:
            members.update(other.members)
            facilitators += other.facilitators
            observers += other.observers
        return members, facilitators, observers

    def _headcount(self) -> Headcount:
        return Headcount({m: n for m, n in self._members.items() if n > 0},
                         self._roles[Role.FACILITATOR], self._roles[Role.OBSERVER])

    async def _share(self) -> None:
        """Write our headcount for the other processes (the newest one, in order)."""
        async with self._lock:
            mine = self._headcount()
            try:
                await self._bus.put_presence(self._room, mine)
            except BusUnavailable as failure:
                log.info("room %s: presence not shared: %s", self._room, failure)
                return
            self._shared = mine
            self._heartbeat_due = asyncio.get_running_loop().time() + self._ttl_s / 3

    async def refresh(self) -> None:
        """Renew our entry when due, then read the others'; raises BusUnavailable."""
        due = asyncio.get_running_loop().time() >= self._heartbeat_due
        if due and not (self._shared.empty and self._headcount().empty):
            await self._share()  # the heartbeat that keeps our entry alive
        elsewhere = await self._bus.presence(self._room)
        if elsewhere != self._elsewhere:
            self._elsewhere = elsewhere
            self._schedule()
