"""PostgreSQL adapter of the store (asyncpg): for deployments whose processes span machines.

The same guarantees as the SQLite adapter (server/store/sqlite.py), kept the same way: every write
of a process goes through one writer task that owns one connection; ``append`` calls pending at
the same time are committed together in one transaction (group commit: one WAL flush per batch),
and ``append`` returns only after the commit, with ``synchronous_commit = on`` forced on the
writer's session so that an acknowledged event is on the server's disk. One order per room holds
across processes and machines through the primary key ``(room_id, seq)``: two writers can never
both store a seq; the second one's insert waits for the first to commit and then compares.

Reads go through a small pool of connections (READ COMMITTED: each read sees what is committed).

Failure rule of a batch, as in SQLite: an ``append`` call is atomic; a conflicting call in a batch
makes the batch roll back and its calls commit again one by one, so only the conflicting one fails.

Erasure: PostgreSQL never overwrites a row in place; an UPDATE or DELETE leaves the old version in
the table's file until it is vacuumed. ``scrub`` runs ``VACUUM FULL`` on the tables an erasure
touches, which rewrites them into new files and truncates the old ones: no byte of the deleted
data stays in the database's files. What PostgreSQL cannot promise: the old rows stay in the
write-ahead log (``pg_wal``) until its segments are recycled (after the next checkpoints), and in
any WAL archive or base backup the operator keeps (docs/scaling.md, "Erasure on PostgreSQL").
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable, Iterable
from typing import TYPE_CHECKING, Any, TypeAlias, TypeVar

import asyncpg

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
from server.store.sqlite import SCHEMA_VERSION, _State
from server.store.writer import EventRow as _EventRow
from server.store.writer import GroupWriter

log = logging.getLogger(__name__)

READ_POOL_SIZE = 4
# Taken while the schema is made, so that processes starting at once do not race on CREATE.
_SCHEMA_LOCK = 0x6861636B  # "hack"

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    """CREATE TABLE IF NOT EXISTS forums (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        topic TEXT NOT NULL,
        join_code TEXT NOT NULL,
        created_at BIGINT NOT NULL
    )""",
    # Join codes are unique and looked up ignoring case, like SQLite's COLLATE NOCASE column.
    "CREATE UNIQUE INDEX IF NOT EXISTS forums_by_code ON forums (lower(join_code))",
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
        created_at BIGINT NOT NULL,
        consent TEXT NOT NULL,
        about TEXT NOT NULL DEFAULT '',
        email TEXT,
        phone TEXT,
        link TEXT
    )""",
    "CREATE INDEX IF NOT EXISTS participants_by_forum ON participants (forum_id)",
    # data is the JSON text as encoded, not jsonb: a re-append is compared byte for byte first.
    """CREATE TABLE IF NOT EXISTS events (
        room_id TEXT NOT NULL,
        seq BIGINT NOT NULL,
        at BIGINT NOT NULL,
        name TEXT NOT NULL,
        actor TEXT NOT NULL,
        data TEXT NOT NULL,
        op_key TEXT,
        PRIMARY KEY (room_id, seq)
    )""",
    """CREATE TABLE IF NOT EXISTS snapshots (
        room_id TEXT PRIMARY KEY,
        seq BIGINT NOT NULL,
        state TEXT NOT NULL
    )""",
    "CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    """CREATE TABLE IF NOT EXISTS templates (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        format TEXT NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS erasures (
        participant_id TEXT PRIMARY KEY,
        forum_id TEXT NOT NULL,
        erased_at BIGINT NOT NULL
    )""",
    # The due-time index: each log's next due command (server/due.py).
    """CREATE TABLE IF NOT EXISTS due (
        room_id TEXT PRIMARY KEY,
        at BIGINT NOT NULL,
        command TEXT NOT NULL,
        claimed_until BIGINT NOT NULL DEFAULT 0
    )""",
    "CREATE INDEX IF NOT EXISTS due_by_time ON due (at)",
)
# The tables an erasure changes: rewritten by scrub so that no dead row version stays in them.
_SCRUBBED = ("participants", "events", "snapshots")

_EVENT_COLUMNS = "room_id, seq, at, name, actor, data, op_key"
_FORUM_COLUMNS = "id, title, topic, join_code, created_at"
_ROOM_COLUMNS = "id, forum_id, epoch, title, position, kind"
_PARTICIPANT_COLUMNS = (
    "id, forum_id, name, organization, sector, country, attendance, created_at, consent,"
    " about, email, phone, link"
)

T = TypeVar("T")
# The stubs make Connection generic in its record type; at run time the class is not.
if TYPE_CHECKING:
    _Conn: TypeAlias = asyncpg.Connection[asyncpg.Record]
else:
    _Conn = asyncpg.Connection
_Job = Callable[[_Conn], Awaitable[T]]


class PostgresStore(GroupWriter[_Conn], Store):
    """The store on a PostgreSQL server, shared by every process of a deployment."""

    def __init__(self, dsn: str, *, batch_max: int = 512) -> None:
        if not dsn.startswith(("postgresql://", "postgres://")):
            raise ValueError("PostgresStore needs a postgresql:// URL")
        GroupWriter.__init__(self, batch_max)
        self.dsn = dsn
        self._state = _State.NEW
        self._writer: _Conn | None = None
        self._readers: asyncpg.Pool[asyncpg.Record] | None = None
        self._writer_task: asyncio.Task[None] | None = None

    # Lifecycle -------------------------------------------------------------------------------

    async def open(self) -> None:
        """Connect, create the schema when missing, start the writer."""
        if self._state is not _State.NEW:
            raise RuntimeError(f"cannot open a store that is {self._state.value}; expected new")
        try:
            self._writer = await _connect_writer(self.dsn)
            await _transaction(self._writer, _create_schema)
            self._readers = await asyncpg.create_pool(self.dsn, min_size=1,
                                                      max_size=READ_POOL_SIZE)
        except BaseException:
            await self._close_connections()
            raise
        self._writer_task = asyncio.create_task(self._run_writer(), name="store writer postgres")
        self._state = _State.OPEN
        log.info("store opened: postgresql (schema version %d)", SCHEMA_VERSION)

    async def close(self) -> None:
        """Flush pending writes, stop the writer, close connections."""
        if self._state is not _State.OPEN:
            if self._state is _State.NEW:
                self._state = _State.CLOSED
            return
        self._state = _State.CLOSING
        self._stop_writer()
        try:
            if self._writer_task is not None:
                await self._writer_task
        finally:
            await self._close_connections()
            self._state = _State.CLOSED
            log.info("store closed: postgresql")

    async def _close_connections(self) -> None:
        if self._readers is not None:
            await self._readers.close()
        if self._writer is not None:
            await self._writer.close()
        self._readers = None
        self._writer = None

    def _check_open(self) -> None:
        if self._state is _State.OPEN:
            return
        if self._state is _State.NEW:
            raise RuntimeError("store is not open: call open() first")
        raise RuntimeError(f"store is {self._state.value}: it accepts no more calls")

    def _read(self) -> asyncpg.Pool[asyncpg.Record]:
        self._check_open()
        assert self._readers is not None
        return self._readers

    async def _fetch(self, sql: str, *args: object) -> list[asyncpg.Record]:
        return list(await self._read().fetch(sql, *args))

    # The writer ------------------------------------------------------------------------------

    async def _writer_db(self) -> _Conn:
        """The writer's connection, made again when the server dropped it (a restart, a
        failover): the write that met the drop failed its caller; the next one goes on."""
        if self._writer is None or self._writer.is_closed():
            self._writer = None
            self._writer = await _connect_writer(self.dsn)
            log.warning("store: the writer's connection to PostgreSQL was made again")
        return self._writer

    async def _in_transaction(self, db: _Conn, job: _Job[T]) -> T:
        return await _transaction(db, job)

    async def _insert_rows(self, db: _Conn, rows: list[_EventRow]) -> None:
        await _insert_events(db, rows)

    # Forums, rooms, participants -------------------------------------------------------------

    async def create_forum(self, forum: ForumRecord, rooms: list[RoomRecord]) -> None:
        """Insert a forum and its rooms in one transaction; raises ValueError on a taken code."""
        for room in rooms:
            if room.forum_id != forum.id:
                raise ValueError(f"room {room.id!r} belongs to forum {room.forum_id!r}")

        async def job(db: _Conn) -> None:
            taken = await db.fetch(
                "SELECT id FROM forums WHERE id = $1 OR lower(join_code) = lower($2)",
                forum.id, forum.join_code)
            if any(row[0] == forum.id for row in taken):
                raise ValueError(f"forum {forum.id!r} already exists")
            if taken:
                raise ValueError("join code is already taken")  # the code itself is not logged
            try:
                await db.execute(
                    f"INSERT INTO forums ({_FORUM_COLUMNS}) VALUES ($1, $2, $3, $4, $5)",
                    forum.id, forum.title, forum.topic, forum.join_code, forum.created_at)
                await db.executemany(
                    f"INSERT INTO rooms ({_ROOM_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)",
                    [_room_row(r) for r in rooms])
            except asyncpg.IntegrityConstraintViolationError as exc:
                raise ValueError(f"cannot create forum {forum.id!r}: {exc} ({exc.detail})"
                                 ) from exc

        await self._write(job)

    async def get_forum(self, forum_id: str) -> ForumRecord | None:
        """The forum with this id, if any."""
        rows = await self._fetch(f"SELECT {_FORUM_COLUMNS} FROM forums WHERE id = $1", forum_id)
        return next((ForumRecord(*row) for row in rows), None)

    async def get_forum_by_code(self, join_code: str) -> ForumRecord | None:
        """Find a forum by its join code (case-insensitive)."""
        rows = await self._fetch(
            f"SELECT {_FORUM_COLUMNS} FROM forums WHERE lower(join_code) = lower($1)", join_code)
        return next((ForumRecord(*row) for row in rows), None)

    async def list_rooms(self, forum_id: str) -> list[RoomRecord]:
        """The rooms of a forum, ordered by position."""
        rows = await self._fetch(
            f"SELECT {_ROOM_COLUMNS} FROM rooms WHERE forum_id = $1 AND kind = 'room'"
            " ORDER BY position, id", forum_id)
        return [RoomRecord(*row) for row in rows]

    async def get_hall(self, forum_id: str) -> RoomRecord | None:
        """The record of a forum's hall, if it has one."""
        rows = await self._fetch(
            f"SELECT {_ROOM_COLUMNS} FROM rooms WHERE forum_id = $1 AND kind = 'hall'", forum_id)
        return next((RoomRecord(*row) for row in rows), None)

    async def add_rooms(self, rooms: list[RoomRecord]) -> None:
        """Insert records of rooms a hall declared; existing ones are kept as they are."""
        if not rooms:
            return

        async def job(db: _Conn) -> None:
            await db.executemany(
                f"INSERT INTO rooms ({_ROOM_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)"
                " ON CONFLICT DO NOTHING", [_room_row(r) for r in rooms])

        await self._write(job)

    async def get_room(self, room_id: str) -> RoomRecord | None:
        """The room with this id, if any."""
        rows = await self._fetch(f"SELECT {_ROOM_COLUMNS} FROM rooms WHERE id = $1", room_id)
        return next((RoomRecord(*row) for row in rows), None)

    async def add_participant(self, participant: ParticipantRecord) -> None:
        """Insert a participant; raises ValueError on a taken id or an unknown forum."""
        p = participant
        params = (
            p.id, p.forum_id, p.name, p.organization, p.sector, p.country, p.attendance,
            p.created_at, _dumps(p.consent), p.about, p.email, p.phone, p.link,
        )  # fmt: skip

        async def job(db: _Conn) -> None:
            try:
                await db.execute(
                    f"INSERT INTO participants ({_PARTICIPANT_COLUMNS}) VALUES"
                    " ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)", *params)
            except asyncpg.IntegrityConstraintViolationError as exc:
                raise ValueError(f"cannot add participant {p.id!r}: {exc}") from exc

        await self._write(job)

    async def update_profile(self, participant: ParticipantRecord) -> None:
        """Replace a participant's profile (contact details and consents stay)."""
        p = participant

        async def job(db: _Conn) -> None:
            await db.execute(
                "UPDATE participants SET name = $1, organization = $2, sector = $3,"
                " country = $4, attendance = $5, about = $6 WHERE id = $7",
                p.name, p.organization, p.sector, p.country, p.attendance, p.about, p.id)

        await self._write(job)

    async def get_participant(self, participant_id: str) -> ParticipantRecord | None:
        """The participant with this id, if any."""
        rows = await self._fetch(
            f"SELECT {_PARTICIPANT_COLUMNS} FROM participants WHERE id = $1", participant_id)
        return next((_participant(row) for row in rows), None)

    # Erasure and retention -------------------------------------------------------------------

    async def list_participants(self, forum_id: str) -> list[ParticipantRecord]:
        """The stored (not erased) participants of a forum, oldest first."""
        rows = await self._fetch(
            f"SELECT {_PARTICIPANT_COLUMNS} FROM participants WHERE forum_id = $1"
            " ORDER BY created_at, id", forum_id)
        return [_participant(row) for row in rows]

    async def forums_to_purge(self, created_before: int) -> list[ForumRecord]:
        """Forums created before this time (ms) that still hold a participant's record."""
        rows = await self._fetch(
            f"SELECT {_FORUM_COLUMNS} FROM forums WHERE created_at < $1 AND EXISTS"
            " (SELECT 1 FROM participants WHERE participants.forum_id = forums.id)"
            " ORDER BY created_at, id", created_before)
        return [ForumRecord(*row) for row in rows]

    async def rewrite_log(self, room_id: str, events: list[StoredEvent], epoch: str) -> None:
        """Replace these events' stored content, give the log ``epoch``, drop its snapshot."""
        rows = [(e.name, _dumps(e.data), room_id, e.seq) for e in events]
        for event in events:
            if event.room_id != room_id:
                raise ValueError(f"event of {event.room_id!r} in a rewrite of {room_id!r}")

        async def job(db: _Conn) -> None:
            if rows:
                await db.executemany(
                    "UPDATE events SET name = $1, data = $2 WHERE room_id = $3 AND seq = $4",
                    rows)
            await db.execute("UPDATE rooms SET epoch = $1 WHERE id = $2", epoch, room_id)
            await db.execute("DELETE FROM snapshots WHERE room_id = $1", room_id)

        await self._write(job)

    async def erase_participant(self, participant_id: str, erased_at: int) -> bool:
        """Delete a participant's record and keep a tombstone; False when there was none."""

        async def job(db: _Conn) -> bool:
            found = await db.fetchval(
                "DELETE FROM participants WHERE id = $1 RETURNING forum_id", participant_id)
            if found is None:
                return False
            await db.execute(
                "INSERT INTO erasures (participant_id, forum_id, erased_at) VALUES ($1, $2, $3)"
                " ON CONFLICT DO NOTHING", participant_id, found, erased_at)
            return True

        return await self._write(job)

    async def erased_at(self, participant_id: str) -> int | None:
        """When the participant's record was erased, None if it never was."""
        rows = await self._fetch(
            "SELECT erased_at FROM erasures WHERE participant_id = $1", participant_id)
        return next((int(row[0]) for row in rows), None)

    async def scrub(self) -> None:
        """Rewrite the tables an erasure touched (``VACUUM FULL``): no dead row stays in them.

        ``VACUUM FULL`` locks each table while it copies it (a short pause of the writes of
        every process: erasures are rare, and the tables of a forum platform are small). The
        write-ahead log keeps the old rows until its segments are recycled: see the module's
        docstring for what PostgreSQL cannot promise.
        """

        async def job(db: _Conn) -> None:
            for table in _SCRUBBED:
                await db.execute(f"VACUUM FULL {table}")

        await self._write(job, bare=True)

    # Templates -------------------------------------------------------------------------------

    async def save_template(self, template: TemplateRecord) -> None:
        """Insert a saved template; raises ValueError on a taken id."""
        t = template
        if t.builtin:
            raise ValueError(f"template {t.id!r} is built in: it is never stored")

        async def job(db: _Conn) -> None:
            try:
                await db.execute(
                    "INSERT INTO templates (id, name, created_at, format) VALUES ($1, $2, $3, $4)",
                    t.id, t.name, t.created_at, _dumps(t.format))
            except asyncpg.IntegrityConstraintViolationError as exc:
                raise ValueError(f"cannot save template {t.id!r}: {exc}") from exc

        await self._write(job)

    async def list_templates(self) -> list[TemplateRecord]:
        """Every saved template, oldest first."""
        rows = await self._fetch(
            "SELECT id, name, created_at, format FROM templates ORDER BY created_at, id")
        return [TemplateRecord(i, name, at, json.loads(f)) for i, name, at, f in rows]

    async def get_template(self, template_id: str) -> TemplateRecord | None:
        """The saved template with this id, if any."""
        rows = await self._fetch(
            "SELECT id, name, created_at, format FROM templates WHERE id = $1", template_id)
        return next((TemplateRecord(i, name, at, json.loads(f)) for i, name, at, f in rows),
                    None)

    # Room logs -------------------------------------------------------------------------------

    async def append(self, events: list[StoredEvent]) -> None:
        """Commit events durably; returns only once they are committed (group commit)."""
        self._check_open()
        rows = [_event_row(event) for event in events]
        if not rows:
            return
        await self._append_rows(rows)

    async def read_events(
        self, room_id: str, after_seq: int = 0, limit: int | None = None
    ) -> list[StoredEvent]:
        """Events of a room with ``seq > after_seq`` in order, at most ``limit`` of them."""
        sql = (f"SELECT {_EVENT_COLUMNS} FROM events WHERE room_id = $1 AND seq > $2"
               " ORDER BY seq")
        args: tuple[object, ...] = (room_id, after_seq)
        if limit is not None:
            if limit < 0:
                raise ValueError(f"limit must not be negative, got {limit}")
            sql += " LIMIT $3"
            args += (limit,)
        rows = await self._fetch(sql, *args)
        return [
            StoredEvent(room, seq, at, name, actor, json.loads(data), op_key)
            for room, seq, at, name, actor, data, op_key in rows
        ]

    async def last_seq(self, room_id: str) -> int:
        """The highest committed seq of a room, 0 for an empty log."""
        rows = await self._fetch(
            "SELECT COALESCE(MAX(seq), 0) FROM events WHERE room_id = $1", room_id)
        return int(rows[0][0])

    async def save_snapshot(self, snapshot: Snapshot) -> None:
        """Keep the newest snapshot of a room: one with a lower seq than the stored is ignored."""
        params = (snapshot.room_id, snapshot.seq, _dumps(snapshot.state))

        async def job(db: _Conn) -> None:
            await db.execute(
                "INSERT INTO snapshots (room_id, seq, state) VALUES ($1, $2, $3)"
                " ON CONFLICT (room_id) DO UPDATE SET seq = excluded.seq, state = excluded.state"
                " WHERE excluded.seq >= snapshots.seq", *params)

        await self._write(job)

    async def load_snapshot(self, room_id: str) -> Snapshot | None:
        """The newest stored snapshot of a room, if any."""
        rows = await self._fetch(
            "SELECT room_id, seq, state FROM snapshots WHERE room_id = $1", room_id)
        return next((Snapshot(room, seq, json.loads(state)) for room, seq, state in rows), None)

    # The due-time index ---------------------------------------------------------------------

    async def set_due(self, due: DueTime) -> None:
        """Record a log's next due command (an upsert); a changed one loses its claim."""

        async def job(db: _Conn) -> None:
            await db.execute(
                "INSERT INTO due (room_id, at, command, claimed_until) VALUES ($1, $2, $3, 0)"
                " ON CONFLICT (room_id) DO UPDATE SET at = excluded.at,"
                " command = excluded.command, claimed_until = 0"
                " WHERE due.at != excluded.at OR due.command != excluded.command",
                due.room_id, due.at, due.command)

        await self._write(job)

    async def clear_due(self, room_id: str) -> None:
        """The log has nothing due any more."""

        async def job(db: _Conn) -> None:
            await db.execute("DELETE FROM due WHERE room_id = $1", room_id)

        await self._write(job)

    async def next_due(self, now: int, limit: int) -> list[DueTime]:
        """The earliest unclaimed due commands, soonest first."""
        rows = await self._fetch(
            "SELECT room_id, at, command FROM due WHERE claimed_until <= $1 ORDER BY at"
            " LIMIT $2", now, limit)
        return [DueTime(room, at, command) for room, at, command in rows]

    async def claim_due(self, due: DueTime, now: int, until: int) -> bool:
        """Take a due command until ``until``; False when it changed or another holds it."""

        async def job(db: _Conn) -> bool:
            claimed = await db.fetchval(
                "UPDATE due SET claimed_until = $1 WHERE room_id = $2 AND at = $3"
                " AND command = $4 AND claimed_until <= $5 RETURNING room_id",
                until, due.room_id, due.at, due.command, now)
            return claimed is not None

        return await self._write(job)

    # Settings --------------------------------------------------------------------------------

    async def setting(self, key: str) -> str | None:
        """A server-wide stored setting (for example the generated token secret)."""
        rows = await self._fetch("SELECT value FROM settings WHERE key = $1", key)
        return next((str(row[0]) for row in rows), None)

    async def set_setting_if_missing(self, key: str, value: str) -> str:
        """Store ``value`` unless the key exists; return the value in force."""

        async def job(db: _Conn) -> str:
            # A concurrent insert of the key by another process makes ours wait, then do
            # nothing; the read that follows sees the winner's committed value.
            await db.execute(
                "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                key, value)
            return str(await db.fetchval("SELECT value FROM settings WHERE key = $1", key))

        return await self._write(job)


# Transactions and schema ---------------------------------------------------------------------


async def _connect_writer(dsn: str) -> _Conn:
    db = await asyncpg.connect(dsn)
    try:
        # Acknowledged means durable: whatever the server's default, this session's commits
        # wait for the WAL flush.
        await db.execute("SET synchronous_commit TO on")
    except BaseException:
        await db.close()
        raise
    return db


async def _transaction(db: _Conn, job: _Job[T]) -> T:
    async with db.transaction():
        return await job(db)


async def _create_schema(db: _Conn) -> None:
    await db.execute("SELECT pg_advisory_xact_lock($1)", _SCHEMA_LOCK)
    for statement in _SCHEMA:
        await db.execute(statement)
    await db.execute(
        "INSERT INTO meta (key, value) VALUES ('schema_version', $1) ON CONFLICT DO NOTHING",
        str(SCHEMA_VERSION))
    found = await db.fetchval("SELECT value FROM meta WHERE key = 'schema_version'")
    if found != str(SCHEMA_VERSION):
        raise RuntimeError(
            f"database has schema version {found}; this server knows version {SCHEMA_VERSION}")


def _room_row(r: RoomRecord) -> tuple[str, str, str, str, int, str]:
    return (r.id, r.forum_id, r.epoch, r.title, r.position, r.kind)


def _participant(row: Iterable[Any]) -> ParticipantRecord:
    (pid, forum_id, name, org, sector, country, attendance, created_at, consent, about, email,
     phone, link) = row
    return ParticipantRecord(
        pid, forum_id, name, org, sector, country, attendance, created_at,
        consent=json.loads(consent), about=about, email=email, phone=phone, link=link,
    )  # fmt: skip


# Events --------------------------------------------------------------------------------------


async def _insert_events(db: _Conn, rows: list[_EventRow]) -> None:
    """Insert rows in one statement; an already stored row must be identical."""
    columns = list(zip(*rows, strict=True))
    inserted = await db.fetch(
        f"INSERT INTO events ({_EVENT_COLUMNS}) SELECT * FROM unnest($1::text[], $2::bigint[],"
        " $3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[])"
        " ON CONFLICT DO NOTHING RETURNING seq", *(list(c) for c in columns))
    # The common case: every row was new. Only when some were skipped do we compare contents.
    if len(inserted) != len(rows):
        await _check_stored(db, rows)


async def _check_stored(db: _Conn, rows: list[_EventRow]) -> None:
    """Raise SeqConflictError unless each row matches the stored event of its seq."""
    seqs_by_room: dict[str, set[int]] = {}
    for row in rows:
        seqs_by_room.setdefault(row[0], set()).add(row[1])
    stored: dict[tuple[str, int], tuple[str, str, str]] = {}
    for room_id, seqs in seqs_by_room.items():
        found = await db.fetch(
            "SELECT seq, name, actor, data FROM events WHERE room_id = $1 AND seq = ANY($2)",
            room_id, sorted(seqs))
        for seq, name, actor, data in found:
            stored[(room_id, seq)] = (name, actor, data)
    for room_id, seq, _at, name, actor, data, _op_key in rows:
        if not _same_event(stored[(room_id, seq)], (name, actor, data)):
            raise SeqConflictError(
                f"room {room_id!r} seq {seq} is already stored with different content")


def _same_event(stored: tuple[str, str, str], new: tuple[str, str, str]) -> bool:
    if stored == new:
        return True
    return stored[:2] == new[:2] and json.loads(stored[2]) == json.loads(new[2])


def _event_row(event: StoredEvent) -> _EventRow:
    return (
        event.room_id, event.seq, event.at, event.name, event.actor, _dumps(event.data),
        event.op_key,
    )  # fmt: skip


def _dumps(value: object) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
