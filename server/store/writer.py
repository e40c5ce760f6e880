"""The writer task of a store: writes run one at a time, in order; consecutive appends are
grouped into one transaction (group commit), at most ``batch_max`` events each.

Every adapter (``server.store.sqlite``, ``server.store.postgres``) has one writer connection and
this task in front of it; the adapter gives the connection, its transaction and its insert of
event rows.
"""

from __future__ import annotations

import asyncio
import logging
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from .base import SeqConflictError

log = logging.getLogger("server.store")
T = TypeVar("T")
C = TypeVar("C")  # the adapter's connection
EventRow = tuple[str, int, int, str, str, str, str | None]  # room, seq, at, name, actor, data, op


@dataclass(slots=True)
class Append:
    """One ``append`` call waiting for the writer: its encoded rows and its caller's future."""

    rows: list[EventRow]
    future: asyncio.Future[None]


@dataclass(slots=True)
class Call(Generic[C, T]):
    """Any other write waiting for the writer: a job run inside one transaction."""

    job: Callable[[C], Awaitable[T]]
    future: asyncio.Future[T]
    bare: bool = False  # run outside a transaction (a checkpoint or VACUUM cannot run inside one)


class Stop:
    """Tells the writer task that the queue is drained and it may return."""


STOP = Stop()


class GroupWriter(ABC, Generic[C]):
    """The queue and the task that run a store's writes (group commit of appends)."""

    def __init__(self, batch_max: int) -> None:
        if batch_max < 1:
            raise ValueError(f"batch_max must be at least 1, got {batch_max}")
        self.batch_max = batch_max
        self.commits = 0  # write transactions committed by the writer task; tests read it
        self._queue: asyncio.Queue[Append | Call[C, Any] | Stop] = asyncio.Queue()

    # What the adapter gives -------------------------------------------------------------------

    @abstractmethod
    def _check_open(self) -> None:
        """Raise unless the store accepts calls."""

    @abstractmethod
    async def _writer_db(self) -> C:
        """The writer's connection."""

    @abstractmethod
    async def _in_transaction(self, db: C, job: Callable[[C], Awaitable[T]]) -> T:
        """Run ``job`` in one transaction on ``db``, rolled back on any failure."""

    @abstractmethod
    async def _insert_rows(self, db: C, rows: list[EventRow]) -> None:
        """Insert event rows; an already stored row must be identical, else SeqConflictError."""

    async def _commit_rows(self, db: C, rows: list[EventRow]) -> None:
        """Insert event rows in one transaction of their own."""
        await self._in_transaction(db, lambda d: self._insert_rows(d, rows))

    # The queue --------------------------------------------------------------------------------

    async def _write(self, job: Callable[[C], Awaitable[T]], *, bare: bool = False) -> T:
        """Run ``job`` in its own transaction on the writer task and return its result."""
        self._check_open()
        future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._queue.put_nowait(Call(job, future, bare))
        return await future

    async def _append_rows(self, rows: list[EventRow]) -> None:
        """Queue rows for the next group commit; returns once they are committed."""
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._queue.put_nowait(Append(rows, future))
        await future

    def _stop_writer(self) -> None:
        """Let the writer return once everything queued before now is written."""
        self._queue.put_nowait(STOP)

    async def _run_writer(self) -> None:
        """Take queued writes in order, grouping consecutive appends into one transaction."""
        held: Append | Call[C, Any] | Stop | None = None
        current: list[asyncio.Future[Any]] = []
        try:
            while True:
                item = held if held is not None else await self._queue.get()
                held = None
                if isinstance(item, Stop):
                    return
                if isinstance(item, Call):
                    current = [item.future]
                    await self._run_call(item)
                    continue
                batch, held = self._gather_batch(item)
                current = [entry.future for entry in batch]
                await self._commit_appends(batch)
        finally:
            # Only reached with work left if the task is cancelled or a bug escapes: no caller
            # may wait forever on a write that will never be made.
            if held is not None and not isinstance(held, Stop):
                current.append(held.future)
            while not self._queue.empty():
                left = self._queue.get_nowait()
                if not isinstance(left, Stop):
                    current.append(left.future)
            for future in current:
                fail(future, RuntimeError("store writer stopped; the write may not be committed"))

    def _gather_batch(
            self, first: Append) -> tuple[list[Append], Append | Call[C, Any] | Stop | None]:
        """Take the pending appends that follow ``first``, up to ``batch_max`` events in all."""
        batch, count = [first], len(first.rows)
        while count < self.batch_max and not self._queue.empty():
            item = self._queue.get_nowait()
            if not isinstance(item, Append) or count + len(item.rows) > self.batch_max:
                return batch, item
            batch.append(item)
            count += len(item.rows)
        return batch, None

    async def _run_call(self, call: Call[C, Any]) -> None:
        try:
            db = await self._writer_db()
            if call.bare:
                result = await call.job(db)
            else:
                result = await self._in_transaction(db, call.job)
        except Exception as exc:
            fail(call.future, exc)
            return
        self.commits += 1
        resolve(call.future, result)

    async def _commit_appends(self, batch: list[Append]) -> None:
        rows = [row for entry in batch for row in entry.rows]
        try:
            db = await self._writer_db()
            await self._commit_rows(db, rows)
        except SeqConflictError as exc:
            if len(batch) == 1:
                log.warning("append refused: %s", exc)
                fail(batch[0].future, exc)
                return
            # One caller's conflict must not fail the others: retry each call on its own.
            log.warning("seq conflict in a batch of %d appends; committing one by one", len(batch))
            for entry in batch:
                await self._commit_appends([entry])
            return
        except Exception as exc:
            log.error("append batch of %d events failed: %r", len(rows), exc)
            for entry in batch:
                fail(entry.future, exc)
            return
        self.commits += 1
        for entry in batch:
            resolve(entry.future, None)


def resolve(future: asyncio.Future[T], result: T) -> None:
    if not future.done():
        future.set_result(result)


def fail(future: asyncio.Future[Any], exc: BaseException) -> None:
    if not future.done():
        future.set_exception(exc)
