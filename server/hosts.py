"""The rooms this process serves: loaded on first use, one host per room, kept while running.

With a shared bus (Redis) a sweep ticks every loaded room each ``sweep_ms``: it fills what lost
pub/sub messages missed, renews and reads presence, and notices when Redis is unreachable.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from rooms.actors import SYSTEM

from .bus.base import Bus
from .config import Settings
from .forwarding import Forwarder
from .room_host import Clock, RoomHost, Unavailable, wall_clock
from .store.base import RoomRecord, Store

log = logging.getLogger("hackrooms.hosts")


class RoomHosts:
    """A registry of live rooms; loading a room twice at once yields one host."""

    def __init__(self, store: Store, bus: Bus, settings: Settings,
                 clock: Clock = wall_clock) -> None:
        self._store, self._bus, self._settings, self._clock = store, bus, settings, clock
        self._hosts: dict[str, RoomHost] = {}
        self._loading: dict[str, asyncio.Future[RoomHost]] = {}
        self._sweeper: asyncio.Task[None] | None = None
        self._forwarder = Forwarder(bus, settings.redis_timeout_ms / 1000)
        self._forwarder.serve(self._open_for_forwarding)

    def loaded(self) -> list[RoomHost]:
        return list(self._hosts.values())

    def peek(self, room_id: str) -> RoomHost | None:
        """The host of a room if this process has it loaded."""
        return self._hosts.get(room_id)

    async def get(self, record: RoomRecord) -> RoomHost:
        """The live host of a room, loading it from the store on first use."""
        self._start_sweep()
        if record.id in self._hosts:
            host = self._hosts[record.id]
            await host.sync()  # another process may have moved the room on a moment ago
            return host
        if record.id in self._loading:
            return await asyncio.shield(self._loading[record.id])
        future: asyncio.Future[RoomHost] = asyncio.get_running_loop().create_future()
        self._loading[record.id] = future
        try:
            host = RoomHost(record, self._store, self._bus, self._settings, self._clock,
                            self._forwarder)
            await host.load()
            self._hosts[record.id] = host
            future.set_result(host)
            return host
        except BaseException as failure:
            future.set_exception(failure)
            future.exception()  # retrieved here, so an unawaited future does not warn
            raise
        finally:
            del self._loading[record.id]

    async def _open_for_forwarding(self, room_id: str) -> RoomHost | None:
        """The host of a room another process forwards commands to (loaded if need be)."""
        host = self._hosts.get(room_id)
        if host is not None:
            return host
        record = await self._store.get_room(room_id)
        if record is None:
            return None
        try:
            return await self.get(record)
        except Unavailable:
            return None

    async def create(self, record: RoomRecord, args: dict[str, Any]) -> RoomHost:
        """Start the log of a new room with its ``room.created`` event."""
        host = await self.get(record)
        outcome = await host.submit("room.create", args, SYSTEM, None)
        if outcome["type"] != "ack":
            raise Unavailable(f"room {record.id} was not created: {outcome['message']}")
        return host

    def _start_sweep(self) -> None:
        if self._bus.shared and self._sweeper is None:
            self._sweeper = asyncio.create_task(self._sweep(), name="room sweep")

    async def _sweep(self) -> None:
        while True:
            await asyncio.sleep(self._settings.sweep_ms / 1000)  # a period, not a wait for state
            await asyncio.gather(*(host.tick() for host in list(self._hosts.values())))

    async def close(self) -> None:
        if self._sweeper is not None:
            self._sweeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._sweeper
        await self._forwarder.close()
        for host in list(self._hosts.values()):
            try:
                await host.close()
            except Exception:
                log.exception("room %s did not close cleanly", host.id)
        self._hosts.clear()
