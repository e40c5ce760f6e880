"""One SQLite connection owned by one thread: calls run there in order, each waking the loop once.

``sqlite3`` blocks, so each connection of the store lives in a thread of its own and the event
loop awaits its calls. ``run`` takes a whole function of the connection, so that a group commit
(``BEGIN``, the inserts, ``COMMIT``) is one trip to the thread and one wake-up of the loop: with
one trip per statement, the wake-ups cost more than the statements (docs/benchmarks.md,
"Fan-out near the floor"). A call whose caller is cancelled still runs to its end, and its
result is dropped: a write is never cut in half by a cancellation.
"""

from __future__ import annotations

import asyncio
import contextlib
import queue
import sqlite3
import threading
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

T = TypeVar("T")
Row = tuple[Any, ...]
_Call = tuple[asyncio.AbstractEventLoop, asyncio.Future[Any], Callable[[sqlite3.Connection], Any]]


class SqliteThread:
    """A connection to one SQLite file, used from the event loop."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._calls: queue.SimpleQueue[_Call | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._serve, name=f"sqlite {path}", daemon=True)
        self._conn: sqlite3.Connection | None = None
        self._closed = False

    @classmethod
    async def connect(cls, path: str) -> SqliteThread:
        """Open the file in a new thread; autocommit mode, so transactions are ours to issue."""
        db = cls(path)
        db._thread.start()
        try:
            await db.run(lambda _conn: None)  # the connection is opened first thing
        except BaseException:
            await db.close()
            raise
        return db

    async def run(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``fn(connection)`` in the connection's thread and return what it returns."""
        if self._closed:
            raise sqlite3.ProgrammingError(f"the connection to {self.path} is closed")
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        self._calls.put((loop, future, fn))
        return await future

    async def execute(self, sql: str, params: Iterable[Any] = ()) -> int:
        """Run one statement; the number of rows it changed."""
        return await self.run(lambda conn: conn.execute(sql, tuple(params)).rowcount)

    async def executemany(self, sql: str, rows: Iterable[tuple[Any, ...]]) -> int:
        """Run one statement for each row; the number of rows changed in all."""
        return await self.run(lambda conn: conn.executemany(sql, rows).rowcount)

    async def execute_fetchall(self, sql: str, params: Iterable[Any] = ()) -> list[Row]:
        """Run one query; its rows."""
        return await self.run(lambda conn: conn.execute(sql, tuple(params)).fetchall())

    async def close(self) -> None:
        """Close the connection once the calls before this one have run; end the thread."""
        if self._closed:
            return
        self._closed = True
        if not self._thread.is_alive():
            return
        loop = asyncio.get_running_loop()
        future: asyncio.Future[None] = loop.create_future()
        self._calls.put((loop, future, _close))
        self._calls.put(None)
        try:
            await future
        finally:
            await asyncio.to_thread(self._thread.join)

    def _serve(self) -> None:
        opened: BaseException | None = None
        try:
            # isolation_level=None: the module opens no implicit transaction, we issue our own.
            # check_same_thread=False: the connection is only used here, but closed by _close.
            self._conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        except BaseException as exc:
            opened = exc
        while (call := self._calls.get()) is not None:
            loop, future, fn = call
            try:
                if self._conn is None:  # it could not be opened: nothing to run, or to close
                    assert opened is not None
                    if fn is not _close:
                        raise opened
                    result, error = None, None
                else:
                    result, error = fn(self._conn), None
            except BaseException as exc:
                result, error = None, exc
            with contextlib.suppress(RuntimeError):  # the loop is closed: nobody is waiting
                loop.call_soon_threadsafe(_settle, future, result, error)


def _close(conn: sqlite3.Connection) -> None:
    conn.close()


def _settle(future: asyncio.Future[Any], result: Any, error: BaseException | None) -> None:
    if future.done():  # the caller was cancelled: the call ran all the same
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(result)
