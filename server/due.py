"""Timers that keep time for logs nobody has loaded: a scheduler over the store's due index.

A loaded room schedules its own ``timer.expire`` (and a hall its networking round's end) from
``Kind.due`` of its state, and writes that due time to the store's index whenever it changes
(``RoomHost._index_due``). Once the room is unloaded (server/hosts.py) nothing in memory keeps
its time: this scheduler reads the soonest due times from the store, sleeps until the first,
and loads the room when it is due; the loaded room sends its own command, as it always does.

With several processes every scheduler reads the same index. The one that claims the row
(``Store.claim_due``, atomic in the store) loads the room; the others skip it until the claim
lapses. A room that is loaded somewhere else sends the command there too, and the rules reject
the second one (``invalid_state``): delivery is at least once, which the rules make exactly once
in the log.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from .room_host import Clock, RoomHost, Unavailable, wall_clock
from .store.base import DueTime, Store

log = logging.getLogger("hackrooms.due")

BATCH = 100  # due rows read at a time: more than come due in one poll on any real platform
CLAIM_MS = 30_000  # a claim not followed up (its process died) lapses after this

Load = Callable[[str], Awaitable[RoomHost | None]]  # a room's host, loaded if need be
Peek = Callable[[str], RoomHost | None]  # a room's host if loaded here


class DueScheduler:
    """Loads unloaded logs when their due time comes; one task per process."""

    def __init__(self, store: Store, load: Load, peek: Peek, poll_ms: int,
                 clock: Clock = wall_clock) -> None:
        self._store, self._load, self._peek, self._clock = store, load, peek, clock
        self._poll_s = max(poll_ms, 10) / 1000
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._jobs: set[asyncio.Task[None]] = set()

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="due scheduler")

    def wake(self) -> None:
        """Read the index again now (a room with a due time was just unloaded)."""
        self._wake.set()

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self._jobs:
            await asyncio.wait(self._jobs)

    async def _run(self) -> None:
        while True:
            try:
                wait_s = await self._round()
            except Exception:  # the store was busy or closing: try again after a poll
                log.exception("the due scheduler could not read the due index")
                wait_s = self._poll_s
            # Other processes' rows come in without a wake: poll at least every poll_ms.
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), min(wait_s, self._poll_s))
            self._wake.clear()

    async def _round(self) -> float:
        """Fire what is due now; the seconds until the next row we would act on."""
        now = self._clock()
        next_s = self._poll_s
        for due in await self._store.next_due(now, BATCH):
            host = self._peek(due.room_id)
            if host is not None:
                continue  # loaded here: its own timer keeps the time
            if due.at > now:
                next_s = (due.at - now) / 1000
                break
            if await self._store.claim_due(due, now, now + CLAIM_MS):
                job = asyncio.create_task(self._fire(due), name=f"due-{due.room_id}")
                self._jobs.add(job)
                job.add_done_callback(self._jobs.discard)
        return next_s

    async def _fire(self, due: DueTime) -> None:
        """Load the room: loading schedules its expiry, past due, to run at once."""
        try:
            host = await self._load(due.room_id)
            if host is None:
                await self._store.clear_due(due.room_id)  # its log is gone
                return
            log.info("room %s loaded for its due %s", due.room_id, due.command)
            # The row may be stale (two replicas wrote it out of order): write what holds now.
            await host.reindex_due()
        except Unavailable as failure:  # the claim lapses and a scheduler tries again
            log.warning("room %s: could not load it for its due %s: %s", due.room_id,
                        due.command, failure)
        except Exception:
            log.exception("room %s: could not load it for its due %s", due.room_id,
                          due.command)
