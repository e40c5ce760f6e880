"""The logs this process serves: loaded on first use, one host per log, unloaded when idle.

Logs are hackathon rooms and forums' halls, hosted alike. A hall declares the rooms of its
hackathon sessions; their records and logs are made from the declaration when the hall commits
it, and again on first use if a process stopped in between (``room_of_hall``).

A sweep runs every ``sweep_ms``. With a shared bus (Redis) it ticks the rooms that are attended
here (``RoomHost.attended``: connections, commands in flight, background jobs) or were used
within the presence TTL (``presence_ttl_ms``: a dashboard reading presence): it fills what
lost pub/sub messages missed, renews our leases and presence, and notices when Redis is
unreachable. An unattended replica needs none of that: it still hears the bus, and ``get``
catches it up before anyone uses it. So the sweep's cost follows the live rooms, not the loaded
ones. A room unattended for ``idle_unload_s`` is unloaded (0: never): its host is closed (lease
released, snapshot saved) and dropped; the next ``get`` loads it again from the store. Its timer
is kept by the due index (server/due.py). See docs/architecture.md, "Unloading and the due
index".
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import Any

from rooms.actors import SYSTEM
from rooms.events import Event
from rooms.hall.agenda import SessionRoom
from rooms.hall.state import HallState

from .bus.base import Bus
from .config import Settings
from .due import DueScheduler
from .forwarding import Forwarder
from .ids import new_id
from .memory import release_freed_memory
from .room_host import Clock, RoomHost, Unavailable, wall_clock
from .store.base import RoomRecord, Store

log = logging.getLogger("hackrooms.hosts")

# Hall events after which the hall's declared rooms are made (or brought in line).
_DECLARING = frozenset({"hall.created", "session.added", "session.room_added",
                        "session.room_updated"})


class RoomHosts:
    """A registry of live rooms; loading a room twice at once yields one host."""

    def __init__(self, store: Store, bus: Bus, settings: Settings,
                 clock: Clock = wall_clock) -> None:
        self._store, self._bus, self._settings, self._clock = store, bus, settings, clock
        self._hosts: dict[str, RoomHost] = {}
        self._loading: dict[str, asyncio.Future[RoomHost]] = {}
        self._sweeper: asyncio.Task[None] | None = None
        self._jobs: set[asyncio.Future[None]] = set()
        self._forwarder = Forwarder(bus, settings.redis_timeout_ms / 1000)
        self._forwarder.serve(self._open_for_forwarding)
        bus.on_rewritten(self._on_rewritten)
        self._unloading: dict[str, asyncio.Task[None]] = {}
        self._unloaded_since_sweep = 0  # the next sweep gives their memory back (memory.py)
        self._declaring: dict[str, int] = {}  # halls making their declared rooms (jobs)
        self._due = DueScheduler(store, self._open_for_due, self.peek,
                                 settings.due_poll_ms, clock)
        # Told when a room was unloaded (with its id): for tests and the benchmark.
        self.on_unloaded: Callable[[str], None] | None = None

    def start(self) -> None:
        """Start the due scheduler and the sweep (called once the app is up)."""
        self._due.start()
        self._start_sweep()

    def loaded(self) -> list[RoomHost]:
        return list(self._hosts.values())

    def peek(self, room_id: str) -> RoomHost | None:
        """The host of a room if this process has it loaded."""
        return self._hosts.get(room_id)

    async def get(self, record: RoomRecord) -> RoomHost:
        """The live host of a room, loading it from the store on first use."""
        self._start_sweep()
        if record.id in self._unloading:  # let it finish: its lease is released, then ours
            await asyncio.shield(self._unloading[record.id])
        if record.id in self._hosts:
            host = self._hosts[record.id]
            host.touch()  # in use from now: not unloaded under its caller's feet
            await host.sync()  # another process may have moved the room on a moment ago
            return host
        if record.id in self._loading:
            return await asyncio.shield(self._loading[record.id])
        future: asyncio.Future[RoomHost] = asyncio.get_running_loop().create_future()
        self._loading[record.id] = future
        try:
            host = RoomHost(record, self._store, self._bus, self._settings, self._clock,
                            self._forwarder)
            if record.kind == "hall":
                host.on_committed = self._on_hall_committed
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

    async def _open_for_due(self, room_id: str) -> RoomHost | None:
        """The host of a room whose due time came (None: no such log); raises Unavailable."""
        record = await self._store.get_room(room_id)
        return await self.get(record) if record is not None else None

    async def create(self, record: RoomRecord, args: dict[str, Any]) -> RoomHost:
        """Start the log of a new room or hall with its creation command."""
        host = await self.get(record)
        if host.state.seq > 0:
            return host  # made already (by another process, from the same declaration)
        outcome = await host.submit(host.kind.create, args, SYSTEM, None)
        if outcome["type"] != "ack" and outcome.get("code") != "invalid_state":
            raise Unavailable(f"{record.kind} {record.id} was not created: "
                              f"{outcome['message']}")
        return host

    # Halls and the rooms they declare ---------------------------------------------------------

    async def hall_of(self, forum_id: str) -> RoomHost | None:
        """The live host of a forum's hall (None for a forum made before halls)."""
        record = await self._store.get_hall(forum_id)
        return await self.get(record) if record is not None else None

    async def room_of_hall(self, room_id: str) -> RoomRecord | None:
        """The record of a room, made now from its hall's declaration if it is still missing."""
        record = await self._store.get_room(room_id)
        if record is not None:
            return record
        hall_id = room_id.rsplit("-", 2)[0]  # a declared room's id starts with its hall's
        hall_record = await self._store.get_room(hall_id) if "-" in room_id else None
        if hall_record is None or hall_record.kind != "hall":
            return None
        hall = await self.get(hall_record)
        await self.ensure_rooms(hall)
        return await self._store.get_room(room_id)

    async def ensure_rooms(self, hall: RoomHost) -> None:
        """Make every room the hall declares that has no record or log yet; sync titles."""
        state: HallState = hall.state
        declared = [(i, room) for session in state.agenda.sessions
                    for i, room in enumerate(session.rooms)]
        await self._store.add_rooms([
            RoomRecord(room.id, hall.record.forum_id, new_id("e"), room.title, i)
            for i, room in declared])
        for _i, room in declared:
            record = await self._store.get_room(room.id)
            if record is None:
                continue
            host = await self.create(record, room_create_args(room))
            if (host.state.title, host.state.challenge) != (room.title, room.challenge):
                await host.submit("room.update", {"title": room.title,
                                                  "challenge": room.challenge}, SYSTEM, None)

    def _on_hall_committed(self, hall: RoomHost, events: list[Event]) -> None:
        """Called by a hall's writer after a commit: make the rooms it declared."""
        if any(e.name in _DECLARING for e in events):
            self._declaring[hall.id] = self._declaring.get(hall.id, 0) + 1  # not unloaded now
            task = asyncio.ensure_future(self._ensure_logged(hall))
            self._jobs.add(task)  # held until done: the loop keeps only weak references
            task.add_done_callback(self._jobs.discard)

    async def _ensure_logged(self, hall: RoomHost) -> None:
        try:
            await self.ensure_rooms(hall)
        except Exception:  # made on first use instead (room_of_hall)
            log.exception("hall %s: could not make its declared rooms now", hall.id)
        finally:
            left = self._declaring.pop(hall.id) - 1
            if left:
                self._declaring[hall.id] = left

    def _on_rewritten(self, room_id: str) -> None:
        """Another process rewrote a log (an erasure): our replica reloads it from the store."""
        host = self._hosts.get(room_id)
        if host is not None:
            task = asyncio.ensure_future(self._refresh(host))
            self._jobs.add(task)
            task.add_done_callback(self._jobs.discard)

    async def _refresh(self, host: RoomHost) -> None:
        try:
            await host.refresh()
        except Exception:
            log.exception("room %s: could not reload its rewritten log", host.id)

    def _start_sweep(self) -> None:
        wanted = self._bus.shared or self._settings.idle_unload_s > 0
        if wanted and self._sweeper is None:
            self._sweeper = asyncio.create_task(self._sweep(), name="room sweep")

    async def _sweep(self) -> None:
        while True:
            await asyncio.sleep(self._settings.sweep_ms / 1000)  # a period, not a wait for state
            await self._sweep_once()  # in its own frame: no list of hosts outlives a sweep

    async def _sweep_once(self) -> None:
        if self._unloaded_since_sweep:
            # The rooms unloaded since the last sweep are gone: give their pages back.
            unloaded, self._unloaded_since_sweep = self._unloaded_since_sweep, 0
            given = release_freed_memory()
            if given is not None:
                log.info("%d rooms unloaded: %d KiB of memory given back to the system",
                         unloaded, given // 1024)
        hosts = list(self._hosts.values())
        self.unload_idle(hosts)
        if self._bus.shared:
            # Live: attended, or used within a presence TTL (a dashboard reading its
            # presence, a room its last client just left: our presence entry expires).
            live_s = self._settings.presence_ttl_ms / 1000
            await asyncio.gather(*(host.tick() for host in hosts if host.idle_for() < live_s))

    def unload_idle(self, hosts: list[RoomHost]) -> None:
        """Start unloading every host unattended for ``idle_unload_s`` (0: never)."""
        idle_s = self._settings.idle_unload_s
        if idle_s <= 0:
            return
        for host in hosts:
            if host.id in self._declaring or host.id in self._unloading:
                continue
            if host.idle_for() >= idle_s:
                self._unload(host)

    def _unload(self, host: RoomHost) -> None:
        # Dropped from the registry at once, with no await before: a hello from now on loads
        # the room again (after this close has released the lease and saved the snapshot).
        del self._hosts[host.id]
        task = asyncio.create_task(self._close_unloaded(host), name=f"unload-{host.id}")
        self._unloading[host.id] = task

    async def _close_unloaded(self, host: RoomHost) -> None:
        try:
            await host.close()
            log.info("room %s unloaded after %d s unattended", host.id,
                     self._settings.idle_unload_s)
        except Exception:
            log.exception("room %s did not unload cleanly", host.id)
        finally:
            del self._unloading[host.id]
            self._unloaded_since_sweep += 1
        if host.kind.due(host.state) is not None:
            self._due.wake()  # its time is the scheduler's to keep now
        if self.on_unloaded is not None:
            self.on_unloaded(host.id)

    async def close(self) -> None:
        if self._sweeper is not None:
            self._sweeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._sweeper
        await self._due.close()
        if self._unloading:
            await asyncio.wait(list(self._unloading.values()))
        if self._jobs:
            await asyncio.wait(self._jobs)
        await self._forwarder.close()
        for host in list(self._hosts.values()):
            try:
                await host.close()
            except Exception:
                log.exception("room %s did not close cleanly", host.id)
        self._hosts.clear()


def room_create_args(room: SessionRoom) -> dict[str, Any]:
    """The ``room.create`` arguments of a room a hall declared."""
    return {"title": room.title, "challenge": room.challenge, **room.settings}
