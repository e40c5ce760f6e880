"""One SQLite connection in a thread of its own: calls in order, errors and cancellation."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from pathlib import Path

import pytest

from server.store.sqlite_thread import SqliteThread


async def _table(path: Path) -> SqliteThread:
    db = await SqliteThread.connect(str(path))
    await db.execute("CREATE TABLE t (n INTEGER PRIMARY KEY)")
    return db


async def test_calls_run_in_the_order_they_were_made(tmp_path: Path) -> None:
    """Calls made one after the other without waiting run in that order, each with its result."""
    db = await _table(tmp_path / "a.db")
    try:
        inserts = [asyncio.ensure_future(db.execute("INSERT INTO t VALUES (?)", (n,)))
                   for n in range(50)]
        assert await asyncio.gather(*inserts) == [1] * 50
        rows = await db.execute_fetchall("SELECT n FROM t ORDER BY rowid")
        assert [n for (n,) in rows] == list(range(50))
        assert await db.executemany("INSERT INTO t VALUES (?)", [(100,), (101,)]) == 2
    finally:
        await db.close()


async def test_a_whole_function_runs_in_the_connection_thread(tmp_path: Path) -> None:
    """run() hands the function the connection, in a thread that is not the loop's."""
    db = await _table(tmp_path / "a.db")
    try:
        def two_inserts(conn: sqlite3.Connection) -> str:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("INSERT INTO t VALUES (1)")
            conn.execute("INSERT INTO t VALUES (2)")
            conn.execute("COMMIT")
            return threading.current_thread().name

        thread = await db.run(two_inserts)
        assert thread != threading.current_thread().name
        assert thread.startswith("sqlite ")
        assert await db.execute_fetchall("SELECT count(*) FROM t") == [(2,)]
    finally:
        await db.close()


async def test_an_error_reaches_its_caller_and_the_connection_goes_on(tmp_path: Path) -> None:
    """A failing statement raises its own sqlite3 error in the caller; later calls still run."""
    db = await _table(tmp_path / "a.db")
    try:
        await db.execute("INSERT INTO t VALUES (1)")
        with pytest.raises(sqlite3.IntegrityError):
            await db.execute("INSERT INTO t VALUES (1)")
        with pytest.raises(ZeroDivisionError):
            await db.run(lambda conn: 1 // 0)
        assert await db.execute_fetchall("SELECT n FROM t") == [(1,)]
    finally:
        await db.close()


async def test_a_cancelled_caller_does_not_withdraw_its_write(tmp_path: Path) -> None:
    """A call whose caller is cancelled while it waits still runs to its end."""
    db = await _table(tmp_path / "a.db")
    try:
        started = threading.Event()
        release = threading.Event()

        def slow_insert(conn: sqlite3.Connection) -> None:
            started.set()
            release.wait(10)
            conn.execute("INSERT INTO t VALUES (7)")

        call = asyncio.ensure_future(db.run(slow_insert))
        assert await asyncio.to_thread(started.wait, 10)
        call.cancel()
        with pytest.raises(asyncio.CancelledError):
            await call
        release.set()
        assert await db.execute_fetchall("SELECT n FROM t") == [(7,)]
    finally:
        await db.close()


async def test_close_runs_what_came_before_and_refuses_what_comes_after(tmp_path: Path) -> None:
    """close() waits for the calls made before it; a call after it is refused at once."""
    path = tmp_path / "a.db"
    db = await _table(path)
    pending = asyncio.ensure_future(db.execute("INSERT INTO t VALUES (3)"))
    await asyncio.sleep(0)  # the insert is handed to the thread before close is
    await db.close()
    assert await pending == 1
    with pytest.raises(sqlite3.ProgrammingError, match="closed"):
        await db.execute("SELECT 1")
    await db.close()  # twice is harmless
    again = await SqliteThread.connect(str(path))
    try:
        assert await again.execute_fetchall("SELECT n FROM t") == [(3,)]
    finally:
        await again.close()


async def test_a_file_that_cannot_be_opened_fails_the_connect(tmp_path: Path) -> None:
    """connect() raises SQLite's own error for a file in a directory that does not exist."""
    with pytest.raises(sqlite3.OperationalError):
        await SqliteThread.connect(str(tmp_path / "missing" / "a.db"))
