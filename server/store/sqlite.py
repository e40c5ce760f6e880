"""SQLite adapter of the store: WAL mode, one reader, one writer task with group commit.

Every write goes through a single writer task that owns the writer connection. ``append`` calls
that are pending at the same time are committed together in one ``BEGIN IMMEDIATE`` transaction
(group commit), so an fsync is paid per batch, not per event. Other writes are jobs on the same
queue, each in its own transaction. Several processes of one machine may share the file: every
write transaction takes the lock up front with ``BEGIN IMMEDIATE`` and waits on ``busy_timeout``.

Failure rule of a batch: an ``append`` call is atomic. When one call of a batch conflicts with the
stored log (``SeqConflictError``), the batch is rolled back and its calls are committed again one
by one, so only the conflicting call fails and none of its events lands. Any other failure of the
batch transaction (disk full, lock timeout) fails every call of the batch.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import json
import logging
import sqlite3
from collections.abc import Awaitable, Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

from server.store.base import (
    DueTime,
    ForumRecord,
    ParticipantRecord,
    RoomRecord,
    SeqConflictError,
    Snapshot,
    Store,
    StoredEvent,
    TemplateRecord,
)
from server.store.sqlite_thread import SqliteThread
from server.store.writer import EventRow as _EventRow
from server.store.writer import GroupWriter

log = logging.getLogger(__name__)

# 2: rooms.kind (a forum's hall is a log beside its rooms); 3: the participants' one-line
# "about" and their consented contact details (email, phone, link)
SCHEMA_VERSION = 3
BUSY_TIMEOUT_MS = 5000
_IN_CHUNK = 500  # stays far below SQLite's limit on bound parameters per statement

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    """CREATE TABLE IF NOT EXISTS forums (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        topic TEXT NOT NULL,
        join_code TEXT NOT NULL UNIQUE COLLATE NOCASE,
        created_at INTEGER NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS rooms (
        id TEXT PRIMARY KEY,
        forum_id TEXT NOT NULL REFERENCES forums (id),
        epoch TEXT NOT NULL,
        title TEXT NOT NULL,
        position INTEGER NOT NULL,
        kind TEXT NOT NULL DEFAULT 'room'
    )""",
    "CREATE INDEX IF NOT EXISTS rooms_by_forum ON rooms (forum_id, position)",
    """CREATE TABLE IF NOT EXISTS participants (
        id TEXT PRIMARY KEY,
        forum_id TEXT NOT NULL REFERENCES forums (id),
        name TEXT NOT NULL,
        organization TEXT NOT NULL,
        sector TEXT NOT NULL,
        country TEXT NOT NULL,
        attendance TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        consent TEXT NOT NULL,
        about TEXT NOT NULL DEFAULT '',
        email TEXT,
        phone TEXT,
        link TEXT
    )""",
    "CREATE INDEX IF NOT EXISTS participants_by_forum ON participants (forum_id)",
    """CREATE TABLE IF NOT EXISTS events (
        room_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        at INTEGER NOT NULL,
        name TEXT NOT NULL,
        actor TEXT NOT NULL,
        data TEXT NOT NULL,
        op_key TEXT,
        PRIMARY KEY (room_id, seq)
    ) WITHOUT ROWID""",
    """CREATE TABLE IF NOT EXISTS snapshots (
        room_id TEXT PRIMARY KEY,
        seq INTEGER NOT NULL,
        state TEXT NOT NULL
    )""",
    "CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    # Made by every open when missing: a table added to schema 2 with no migration step.
    """CREATE TABLE IF NOT EXISTS templates (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        format TEXT NOT NULL
    )""",
    # Tombstones of erased participants: ids and a time, no personal data (made by every
    # open when missing, like templates). A token of an erased person is answered "erased".
    """CREATE TABLE IF NOT EXISTS erasures (
        participant_id TEXT PRIMARY KEY,
        forum_id TEXT NOT NULL,
        erased_at INTEGER NOT NULL
    )""",
    # The due-time index: each log's next due command (made by every open when missing).
    """CREATE TABLE IF NOT EXISTS due (
        room_id TEXT PRIMARY KEY,
        at INTEGER NOT NULL,
        command TEXT NOT NULL,
        claimed_until INTEGER NOT NULL DEFAULT 0
    )""",
    "CREATE INDEX IF NOT EXISTS due_by_time ON due (at)",
)

_EVENT_COLUMNS = "room_id, seq, at, name, actor, data, op_key"
_FORUM_COLUMNS = "id, title, topic, join_code, created_at"
_ROOM_COLUMNS = "id, forum_id, epoch, title, position, kind"
_PARTICIPANT_COLUMNS = (
    "id, forum_id, name, organization, sector, country, attendance, created_at, consent,"
    " about, email, phone, link"
)

T = TypeVar("T")
_Job = Callable[[SqliteThread], Awaitable[T]]


class _State(enum.Enum):
    NEW = "new"
    OPEN = "open"
    CLOSING = "closing"
    CLOSED = "closed"


class SqliteStore(GroupWriter[SqliteThread], Store):
    """The embedded store: one SQLite file in WAL mode, shared by the processes of a machine."""

    def __init__(self, path: str, *, batch_max: int = 512) -> None:
        if path == ":memory:" or path.startswith("file::memory:"):
            raise ValueError("SqliteStore needs a file: its reader and writer are two connections")
        GroupWriter.__init__(self, batch_max)
        self.path = path
        self._state = _State.NEW
        self._writer: SqliteThread | None = None
        self._reader: SqliteThread | None = None
        self._writer_task: asyncio.Task[None] | None = None

    # Lifecycle -------------------------------------------------------------------------------

    async def open(self) -> None:
        """Open connections, create the schema when missing, start the writer."""
        if self._state is not _State.NEW:
            raise RuntimeError(f"cannot open a store that is {self._state.value}; expected new")
        Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        try:
            self._writer = await _connect_writer(self.path)
            await _transaction(self._writer, _create_schema)
            self._reader = await _connect_reader(self.path)
        except BaseException:
            await self._close_connections()
            raise
        self._writer_task = asyncio.create_task(
            self._run_writer(), name=f"store writer {self.path}"
        )
        self._state = _State.OPEN
        log.info("store opened: %s (schema version %d)", self.path, SCHEMA_VERSION)

    async def close(self) -> None:
        """Flush pending writes, stop the writer, close connections."""
        if self._state is not _State.OPEN:
            if self._state is _State.NEW:
                self._state = _State.CLOSED
            return
        # New calls are refused from here on; everything queued before the stop is still written.
        self._state = _State.CLOSING
        self._stop_writer()
        try:
            if self._writer_task is not None:
                await self._writer_task
        finally:
            await self._close_connections()
            self._state = _State.CLOSED
            log.info("store closed: %s", self.path)

    async def _close_connections(self) -> None:
        for db in (self._reader, self._writer):
            if db is not None:
                await db.close()
        self._reader = self._writer = None

    def _check_open(self) -> None:
        if self._state is _State.OPEN:
            return
        if self._state is _State.NEW:
            raise RuntimeError("store is not open: call open() first")
        raise RuntimeError(f"store is {self._state.value}: it accepts no more calls")

    def _read_db(self) -> SqliteThread:
        self._check_open()
        assert self._reader is not None
        return self._reader

    # The writer ------------------------------------------------------------------------------

    async def _writer_db(self) -> SqliteThread:
        assert self._writer is not None
        return self._writer

    async def _in_transaction(self, db: SqliteThread, job: _Job[T]) -> T:
        return await _transaction(db, job)

    async def _insert_rows(self, db: SqliteThread, rows: list[_EventRow]) -> None:
        await db.run(lambda conn: _insert_events(conn, rows))

    async def _commit_rows(self, db: SqliteThread, rows: list[_EventRow]) -> None:
        # The whole transaction in one trip to the connection's thread (sqlite_thread.py).
        await db.run(lambda conn: _commit_events(conn, rows))

    # Forums, rooms, participants -------------------------------------------------------------

    async def create_forum(self, forum: ForumRecord, rooms: list[RoomRecord]) -> None:
        """Insert a forum and its rooms in one transaction; raises ValueError on a taken code."""
        for room in rooms:
            if room.forum_id != forum.id:
                raise ValueError(f"room {room.id!r} belongs to forum {room.forum_id!r}")

        async def job(db: SqliteThread) -> None:
            taken = await db.execute_fetchall(
                "SELECT id FROM forums WHERE id = ? OR join_code = ?", (forum.id, forum.join_code)
            )
            if any(row[0] == forum.id for row in taken):
                raise ValueError(f"forum {forum.id!r} already exists")
            if taken:
                raise ValueError("join code is already taken")  # the code itself is not logged
            try:
                await db.execute(
                    f"INSERT INTO forums ({_FORUM_COLUMNS}) VALUES (?, ?, ?, ?, ?)",
                    (forum.id, forum.title, forum.topic, forum.join_code, forum.created_at),
                )
                await db.executemany(
                    f"INSERT INTO rooms ({_ROOM_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)",
                    [_room_row(r) for r in rooms],
                )
            except sqlite3.IntegrityError as exc:
                raise ValueError(f"cannot create forum {forum.id!r}: {exc}") from exc

        await self._write(job)

    async def get_forum(self, forum_id: str) -> ForumRecord | None:
        """The forum with this id, if any."""
        rows = await self._read_db().execute_fetchall(
            f"SELECT {_FORUM_COLUMNS} FROM forums WHERE id = ?", (forum_id,)
        )
        return next((ForumRecord(*row) for row in rows), None)

    async def get_forum_by_code(self, join_code: str) -> ForumRecord | None:
        """Find a forum by its join code (case-insensitive)."""
        # The column is COLLATE NOCASE, so the comparison and the unique index ignore case.
        rows = await self._read_db().execute_fetchall(
            f"SELECT {_FORUM_COLUMNS} FROM forums WHERE join_code = ?", (join_code,)
        )
        return next((ForumRecord(*row) for row in rows), None)

    async def list_rooms(self, forum_id: str) -> list[RoomRecord]:
        """The rooms of a forum, ordered by position."""
        rows = await self._read_db().execute_fetchall(
            f"SELECT {_ROOM_COLUMNS} FROM rooms WHERE forum_id = ? AND kind = 'room' "
            "ORDER BY position, id",
            (forum_id,),
        )
        return [RoomRecord(*row) for row in rows]

    async def get_hall(self, forum_id: str) -> RoomRecord | None:
        """The record of a forum's hall, if it has one."""
        rows = await self._read_db().execute_fetchall(
            f"SELECT {_ROOM_COLUMNS} FROM rooms WHERE forum_id = ? AND kind = 'hall'",
            (forum_id,),
        )
        return next((RoomRecord(*row) for row in rows), None)

    async def add_rooms(self, rooms: list[RoomRecord]) -> None:
        """Insert records of rooms a hall declared; existing ones are kept as they are."""
        if not rooms:
            return

        async def job(db: SqliteThread) -> None:
            await db.executemany(
                f"INSERT OR IGNORE INTO rooms ({_ROOM_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)",
                [_room_row(r) for r in rooms],
            )

        await self._write(job)

    async def get_room(self, room_id: str) -> RoomRecord | None:
        """The room with this id, if any."""
        rows = await self._read_db().execute_fetchall(
            f"SELECT {_ROOM_COLUMNS} FROM rooms WHERE id = ?", (room_id,)
        )
        return next((RoomRecord(*row) for row in rows), None)

    async def add_participant(self, participant: ParticipantRecord) -> None:
        """Insert a participant; raises ValueError on a taken id or an unknown forum."""
        p = participant
        params = (
            p.id, p.forum_id, p.name, p.organization, p.sector, p.country, p.attendance,
            p.created_at, _dumps(p.consent), p.about, p.email, p.phone, p.link,
        )  # fmt: skip

        async def job(db: SqliteThread) -> None:
            try:
                await db.execute(
                    f"INSERT INTO participants ({_PARTICIPANT_COLUMNS})"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    params,
                )
            except sqlite3.IntegrityError as exc:
                raise ValueError(f"cannot add participant {p.id!r}: {exc}") from exc

        await self._write(job)

    async def update_profile(self, participant: ParticipantRecord) -> None:
        """Replace a participant's profile (contact details and consents stay)."""
        p = participant
        params = (p.name, p.organization, p.sector, p.country, p.attendance, p.about, p.id)

        async def job(db: SqliteThread) -> None:
            await db.execute(
                "UPDATE participants SET name = ?, organization = ?, sector = ?, country = ?,"
                " attendance = ?, about = ? WHERE id = ?",
                params,
            )

        await self._write(job)

    async def get_participant(self, participant_id: str) -> ParticipantRecord | None:
        """The participant with this id, if any."""
        rows = await self._read_db().execute_fetchall(
            f"SELECT {_PARTICIPANT_COLUMNS} FROM participants WHERE id = ?", (participant_id,)
        )
        return next((_participant(row) for row in rows), None)

    # Erasure and retention -------------------------------------------------------------------

    async def list_participants(self, forum_id: str) -> list[ParticipantRecord]:
        """The stored (not erased) participants of a forum, oldest first."""
        rows = await self._read_db().execute_fetchall(
            f"SELECT {_PARTICIPANT_COLUMNS} FROM participants WHERE forum_id = ?"
            " ORDER BY created_at, id", (forum_id,))
        return [_participant(row) for row in rows]

    async def forums_to_purge(self, created_before: int) -> list[ForumRecord]:
        """Forums created before this time (ms) that still hold a participant's record."""
        rows = await self._read_db().execute_fetchall(
            f"SELECT {_FORUM_COLUMNS} FROM forums WHERE created_at < ? AND EXISTS"
            " (SELECT 1 FROM participants WHERE participants.forum_id = forums.id)"
            " ORDER BY created_at, id", (created_before,))
        return [ForumRecord(*row) for row in rows]

    async def rewrite_log(self, room_id: str, events: list[StoredEvent], epoch: str) -> None:
        """Replace these events' stored content, give the log ``epoch``, drop its snapshot."""
        rows = [(e.name, _dumps(e.data), room_id, e.seq) for e in events]
        for event in events:
            if event.room_id != room_id:
                raise ValueError(f"event of {event.room_id!r} in a rewrite of {room_id!r}")

        async def job(db: SqliteThread) -> None:
            await db.executemany(
                "UPDATE events SET name = ?, data = ? WHERE room_id = ? AND seq = ?", rows)
            await db.execute("UPDATE rooms SET epoch = ? WHERE id = ?", (epoch, room_id))
            await db.execute("DELETE FROM snapshots WHERE room_id = ?", (room_id,))

        await self._write(job)

    async def erase_participant(self, participant_id: str, erased_at: int) -> bool:
        """Delete a participant's record and keep a tombstone; False when there was none."""

        async def job(db: SqliteThread) -> bool:
            rows = await db.execute_fetchall(
                "SELECT forum_id FROM participants WHERE id = ?", (participant_id,))
            found = next((str(row[0]) for row in rows), None)
            if found is None:
                return False
            await db.execute("DELETE FROM participants WHERE id = ?", (participant_id,))
            await db.execute(
                "INSERT OR IGNORE INTO erasures (participant_id, forum_id, erased_at)"
                " VALUES (?, ?, ?)", (participant_id, found, erased_at))
            return True

        return await self._write(job)

    async def erased_at(self, participant_id: str) -> int | None:
        """When the participant's record was erased, None if it never was."""
        rows = await self._read_db().execute_fetchall(
            "SELECT erased_at FROM erasures WHERE participant_id = ?", (participant_id,))
        return next((int(row[0]) for row in rows), None)

    async def scrub(self) -> None:
        """Copy the WAL into the database and truncate it, so no old page stays in the WAL.

        With ``secure_delete`` on every connection, deleted content is overwritten with zeros
        in the database's pages; the WAL still held the pages as they were before, until this.
        Another process reading at this moment can keep the checkpoint from finishing: it is
        then logged, and the next erasure (or SQLite's own checkpoints) finishes it.
        """

        async def job(db: SqliteThread) -> None:
            rows = await db.execute_fetchall("PRAGMA wal_checkpoint(TRUNCATE)")
            busy = next(iter(rows))[0]
            if busy:
                log.warning("store %s: the WAL checkpoint after an erasure was blocked by a "
                            "reader; it is finished by a later one", self.path)

        await self._write(job, bare=True)

    # Templates -------------------------------------------------------------------------------

    async def save_template(self, template: TemplateRecord) -> None:
        """Insert a saved template; raises ValueError on a taken id."""
        t = template
        if t.builtin:
            raise ValueError(f"template {t.id!r} is built in: it is never stored")
        params = (t.id, t.name, t.created_at, _dumps(t.format))

        async def job(db: SqliteThread) -> None:
            try:
                await db.execute(
                    "INSERT INTO templates (id, name, created_at, format) VALUES (?, ?, ?, ?)",
                    params)
            except sqlite3.IntegrityError as exc:
                raise ValueError(f"cannot save template {t.id!r}: {exc}") from exc

        await self._write(job)

    async def list_templates(self) -> list[TemplateRecord]:
        """Every saved template, oldest first."""
        rows = await self._read_db().execute_fetchall(
            "SELECT id, name, created_at, format FROM templates ORDER BY created_at, id")
        return [TemplateRecord(i, name, at, json.loads(f)) for i, name, at, f in rows]

    async def get_template(self, template_id: str) -> TemplateRecord | None:
        """The saved template with this id, if any."""
        rows = await self._read_db().execute_fetchall(
            "SELECT id, name, created_at, format FROM templates WHERE id = ?", (template_id,))
        return next((TemplateRecord(i, name, at, json.loads(f)) for i, name, at, f in rows),
                    None)

    # Room logs -------------------------------------------------------------------------------

    async def append(self, events: list[StoredEvent]) -> None:
        """Commit events durably; returns only once they are committed (group commit)."""
        self._check_open()
        # Encode here so that unserializable data fails its own caller, not a shared batch.
        rows = [_event_row(event) for event in events]
        if not rows:
            return
        # A cancelled caller does not withdraw its events: they are written all the same.
        await self._append_rows(rows)

    async def read_events(
        self, room_id: str, after_seq: int = 0, limit: int | None = None
    ) -> list[StoredEvent]:
        """Events of a room with ``seq > after_seq`` in order, at most ``limit`` of them."""
        sql = f"SELECT {_EVENT_COLUMNS} FROM events WHERE room_id = ? AND seq > ? ORDER BY seq"
        params: tuple[object, ...] = (room_id, after_seq)
        if limit is not None:
            if limit < 0:
                raise ValueError(f"limit must not be negative, got {limit}")
            sql += " LIMIT ?"
            params += (limit,)
        rows = await self._read_db().execute_fetchall(sql, params)
        return [
            StoredEvent(room, seq, at, name, actor, json.loads(data), op_key)
            for room, seq, at, name, actor, data, op_key in rows
        ]

    async def last_seq(self, room_id: str) -> int:
        """The highest committed seq of a room, 0 for an empty log."""
        rows = await self._read_db().execute_fetchall(
            "SELECT COALESCE(MAX(seq), 0) FROM events WHERE room_id = ?", (room_id,)
        )
        return int(next(iter(rows))[0])

    async def save_snapshot(self, snapshot: Snapshot) -> None:
        """Keep the newest snapshot of a room: one with a lower seq than the stored is ignored."""
        params = (snapshot.room_id, snapshot.seq, _dumps(snapshot.state))

        async def job(db: SqliteThread) -> None:
            await db.execute(
                "INSERT INTO snapshots (room_id, seq, state) VALUES (?, ?, ?)"
                " ON CONFLICT (room_id) DO UPDATE SET seq = excluded.seq, state = excluded.state"
                " WHERE excluded.seq >= snapshots.seq",
                params,
            )

        await self._write(job)

    async def load_snapshot(self, room_id: str) -> Snapshot | None:
        """The newest stored snapshot of a room, if any."""
        rows = await self._read_db().execute_fetchall(
            "SELECT room_id, seq, state FROM snapshots WHERE room_id = ?", (room_id,)
        )
        return next((Snapshot(room, seq, json.loads(state)) for room, seq, state in rows), None)

    # The due-time index ---------------------------------------------------------------------

    async def set_due(self, due: DueTime) -> None:
        """Record a log's next due command (an upsert); a changed one loses its claim."""
        params = (due.room_id, due.at, due.command)

        async def job(db: SqliteThread) -> None:
            await db.execute(
                "INSERT INTO due (room_id, at, command, claimed_until) VALUES (?, ?, ?, 0)"
                " ON CONFLICT (room_id) DO UPDATE SET at = excluded.at,"
                " command = excluded.command, claimed_until = 0"
                " WHERE due.at != excluded.at OR due.command != excluded.command",
                params,
            )

        await self._write(job)

    async def clear_due(self, room_id: str) -> None:
        """The log has nothing due any more."""

        async def job(db: SqliteThread) -> None:
            await db.execute("DELETE FROM due WHERE room_id = ?", (room_id,))

        await self._write(job)

    async def next_due(self, now: int, limit: int) -> list[DueTime]:
        """The earliest unclaimed due commands, soonest first."""
        rows = await self._read_db().execute_fetchall(
            "SELECT room_id, at, command FROM due WHERE claimed_until <= ? ORDER BY at LIMIT ?",
            (now, limit),
        )
        return [DueTime(room, at, command) for room, at, command in rows]

    async def claim_due(self, due: DueTime, now: int, until: int) -> bool:
        """Take a due command until ``until``; False when it changed or another holds it."""
        params = (until, due.room_id, due.at, due.command, now)

        async def job(db: SqliteThread) -> bool:
            changed = await db.execute(
                "UPDATE due SET claimed_until = ? WHERE room_id = ? AND at = ? AND command = ?"
                " AND claimed_until <= ?",
                params,
            )
            return changed == 1

        return await self._write(job)

    # Settings --------------------------------------------------------------------------------

    async def setting(self, key: str) -> str | None:
        """A server-wide stored setting (for example the generated token secret)."""
        rows = await self._read_db().execute_fetchall(
            "SELECT value FROM settings WHERE key = ?", (key,)
        )
        return next((str(row[0]) for row in rows), None)

    async def set_setting_if_missing(self, key: str, value: str) -> str:
        """Store ``value`` unless the key exists; return the value in force."""

        async def job(db: SqliteThread) -> str:
            # Insert and read back in one transaction so that two processes agree on the winner.
            await db.execute(
                "INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)", (key, value)
            )
            rows = await db.execute_fetchall("SELECT value FROM settings WHERE key = ?", (key,))
            return str(next(iter(rows))[0])

        return await self._write(job)


# Connections and transactions ----------------------------------------------------------------


async def _connect(path: str, pragmas: Iterable[str]) -> SqliteThread:
    # isolation_level=None: the sqlite3 module opens no implicit transaction, we issue our own.
    db = await SqliteThread.connect(path)
    try:
        # busy_timeout first: switching to WAL needs a lock another process may hold.
        await db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        # Deleted content is overwritten with zeros, not left in free space of the file: an
        # erasure must leave no copy of the person's data in any page (docs/architecture.md).
        await db.execute("PRAGMA secure_delete = ON")
        for pragma in pragmas:
            await db.execute(pragma)
    except BaseException:
        await db.close()
        raise
    return db


async def _connect_writer(path: str) -> SqliteThread:
    db = await _connect(path, ("PRAGMA synchronous = FULL", "PRAGMA foreign_keys = ON"))
    try:
        rows = await db.execute_fetchall("PRAGMA journal_mode = WAL")
        mode = str(next(iter(rows))[0])
        if mode.lower() != "wal":
            raise RuntimeError(f"cannot put {path} in WAL mode (journal_mode is {mode})")
    except BaseException:
        await db.close()
        raise
    return db


async def _connect_reader(path: str) -> SqliteThread:
    # query_only guards the one-writer rule: a write on the reader is refused by SQLite itself.
    return await _connect(path, ("PRAGMA foreign_keys = ON", "PRAGMA query_only = ON"))


async def _transaction(db: SqliteThread, job: _Job[T]) -> T:
    """Run ``job`` inside ``BEGIN IMMEDIATE`` ... ``COMMIT``, rolling back on any failure."""
    # IMMEDIATE takes the write lock now, so a busy database is waited for (busy_timeout) here
    # rather than failing later on a read-to-write lock upgrade, which no timeout can resolve.
    await db.execute("BEGIN IMMEDIATE")
    try:
        result = await job(db)
        await db.execute("COMMIT")
    except BaseException:
        await _rollback(db)
        raise
    return result


async def _rollback(db: SqliteThread) -> None:
    try:
        await db.execute("ROLLBACK")
    except sqlite3.Error as exc:
        # SQLite may already have rolled back on its own (for example after an I/O error).
        log.debug("rollback: %r", exc)


def _room_row(r: RoomRecord) -> tuple[str, str, str, str, int, str]:
    return (r.id, r.forum_id, r.epoch, r.title, r.position, r.kind)


def _participant(row: Iterable[Any]) -> ParticipantRecord:
    (pid, forum_id, name, org, sector, country, attendance, created_at, consent, about, email,
     phone, link) = row
    return ParticipantRecord(
        pid, forum_id, name, org, sector, country, attendance, created_at,
        consent=json.loads(consent), about=about, email=email, phone=phone, link=link,
    )  # fmt: skip


# What takes a database of one version to the next, as (table, statement): each step runs in
# the open transaction. A table the old database lacks is skipped: the schema makes it whole.
_MIGRATIONS: dict[int, tuple[tuple[str, str], ...]] = {
    1: (("rooms", "ALTER TABLE rooms ADD COLUMN kind TEXT NOT NULL DEFAULT 'room'"),),
    2: (("participants", "ALTER TABLE participants ADD COLUMN about TEXT NOT NULL DEFAULT ''"),
        ("participants", "ALTER TABLE participants ADD COLUMN email TEXT"),
        ("participants", "ALTER TABLE participants ADD COLUMN phone TEXT"),
        ("participants", "ALTER TABLE participants ADD COLUMN link TEXT")),
}


async def _create_schema(db: SqliteThread) -> None:
    known = await db.execute_fetchall(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'meta'")
    if known:
        await _migrate(db)
    for statement in _SCHEMA:
        await db.execute(statement)
    await db.execute(
        "INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', ?)",
        (str(SCHEMA_VERSION),),
    )
    rows = await db.execute_fetchall("SELECT value FROM meta WHERE key = 'schema_version'")
    found = str(next(iter(rows))[0])
    if found != str(SCHEMA_VERSION):
        raise RuntimeError(
            f"database has schema version {found}; this server knows version {SCHEMA_VERSION}"
        )


async def _migrate(db: SqliteThread) -> None:
    """Bring a database written by an earlier version up to this one, step by step."""
    rows = await db.execute_fetchall("SELECT value FROM meta WHERE key = 'schema_version'")
    version = int(next(iter(rows))[0]) if rows else SCHEMA_VERSION
    while version < SCHEMA_VERSION and version in _MIGRATIONS:
        for table, statement in _MIGRATIONS[version]:
            found = await db.execute_fetchall(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?", (table,))
            if found:
                await db.execute(statement)
        version += 1
        await db.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'",
                         (str(version),))


# Events --------------------------------------------------------------------------------------


def _commit_events(conn: sqlite3.Connection, rows: list[_EventRow]) -> None:
    """Insert rows in a transaction of their own (run in the connection's thread)."""
    conn.execute("BEGIN IMMEDIATE")  # IMMEDIATE: see _transaction
    try:
        _insert_events(conn, rows)
        conn.execute("COMMIT")
    except BaseException:
        with contextlib.suppress(sqlite3.Error):  # SQLite may have rolled back on its own
            conn.execute("ROLLBACK")
        raise


def _insert_events(conn: sqlite3.Connection, rows: list[_EventRow]) -> None:
    """Insert rows; an already stored row must be identical, else SeqConflictError."""
    cursor = conn.executemany(
        f"INSERT OR IGNORE INTO events ({_EVENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)", rows
    )
    # The common case: every row was new. Only when some were ignored do we compare contents.
    if cursor.rowcount != len(rows):
        _check_stored(conn, rows)


def _check_stored(conn: sqlite3.Connection, rows: list[_EventRow]) -> None:
    """Raise SeqConflictError unless each row matches the stored event of its seq."""
    seqs_by_room: dict[str, set[int]] = {}
    for row in rows:
        seqs_by_room.setdefault(row[0], set()).add(row[1])
    stored: dict[tuple[str, int], tuple[str, str, str]] = {}
    for room_id, seqs in seqs_by_room.items():
        ordered = sorted(seqs)
        for start in range(0, len(ordered), _IN_CHUNK):
            chunk = ordered[start : start + _IN_CHUNK]
            found = conn.execute(
                "SELECT seq, name, actor, data FROM events"
                f" WHERE room_id = ? AND seq IN ({', '.join('?' * len(chunk))})",
                (room_id, *chunk),
            ).fetchall()
            for seq, name, actor, data in found:
                stored[(room_id, seq)] = (name, actor, data)
    for room_id, seq, _at, name, actor, data, _op_key in rows:
        if not _same_event(stored[(room_id, seq)], (name, actor, data)):
            raise SeqConflictError(
                f"room {room_id!r} seq {seq} is already stored with different content"
            )


def _same_event(stored: tuple[str, str, str], new: tuple[str, str, str]) -> bool:
    if stored == new:
        return True
    # Equal data may have been encoded with another key order: compare the decoded values.
    return stored[:2] == new[:2] and json.loads(stored[2]) == json.loads(new[2])


def _event_row(event: StoredEvent) -> _EventRow:
    return (
        event.room_id, event.seq, event.at, event.name, event.actor, _dumps(event.data),
        event.op_key,
    )  # fmt: skip


# Futures and encoding ------------------------------------------------------------------------


def _dumps(value: object) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
