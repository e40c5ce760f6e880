"""What only the SQLite adapter has: its file in WAL mode, its migrations, no memory database."""

from __future__ import annotations

import os
from pathlib import Path

import aiosqlite
import pytest

from server.store.base import ParticipantRecord, RoomRecord
from server.store.sqlite import SqliteStore

TABLES = {"meta", "forums", "rooms", "participants", "events", "snapshots", "settings"}


@pytest.fixture
def db_path(tmp_path: Path) -> str:
    # A missing parent directory: the store must create it.
    return str(tmp_path / "data" / "hackrooms.db")


async def _reopened(path: str) -> SqliteStore:
    s = SqliteStore(path)
    await s.open()
    return s


async def test_open_creates_schema_in_wal_mode_and_reopens(db_path: str) -> None:
    """open() creates the parent directory, the tables and schema_version 3 in WAL mode."""
    s = await _reopened(db_path)
    await s.close()
    async with aiosqlite.connect(db_path) as db:
        names = {row[0] for row in await db.execute_fetchall("SELECT name FROM sqlite_master")}
        version = await db.execute_fetchall("SELECT value FROM meta WHERE key='schema_version'")
        mode = await db.execute_fetchall("PRAGMA journal_mode")
    assert names >= TABLES
    assert [tuple(row) for row in version] == [("3",)]
    assert [tuple(row) for row in mode] == [("wal",)]
    s = await _reopened(db_path)
    assert await s.last_seq("r1") == 0
    await s.close()




def test_constructor_rejects_memory_database_and_bad_batch_max() -> None:
    """An in-memory database or a batch_max below 1 is refused."""
    with pytest.raises(ValueError, match="file"):
        SqliteStore(":memory:")
    with pytest.raises(ValueError, match="batch_max"):
        SqliteStore("x.db", batch_max=0)




async def test_a_version_1_database_is_migrated_and_keeps_its_rooms(db_path: str) -> None:
    """A database of the first schema gets the rooms' kind column; its rooms stay rooms."""
    os.makedirs(os.path.dirname(db_path), exist_ok=True)
    async with aiosqlite.connect(db_path) as db:
        await db.executescript("""
            CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            INSERT INTO meta VALUES ('schema_version', '1');
            CREATE TABLE forums (id TEXT PRIMARY KEY, title TEXT NOT NULL, topic TEXT NOT NULL,
                join_code TEXT NOT NULL UNIQUE COLLATE NOCASE, created_at INTEGER NOT NULL);
            CREATE TABLE rooms (id TEXT PRIMARY KEY, forum_id TEXT NOT NULL REFERENCES forums (id),
                epoch TEXT NOT NULL, title TEXT NOT NULL, position INTEGER NOT NULL);
            INSERT INTO forums VALUES ('f1', 'Old', '', 'AB12CD', 1);
            INSERT INTO rooms VALUES ('r0', 'f1', 'e0', 'Old room', 0);
        """)
        await db.commit()
    s = await _reopened(db_path)
    try:
        assert await s.list_rooms("f1") == [RoomRecord("r0", "f1", "e0", "Old room", 0)]
        assert await s.get_hall("f1") is None
    finally:
        await s.close()
    async with aiosqlite.connect(db_path) as db:
        version = await db.execute_fetchall("SELECT value FROM meta WHERE key='schema_version'")
    assert [tuple(row) for row in version] == [("3",)]


# The tables of schema 2 as that server made them: participants without about or contacts.
_SCHEMA_2 = """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    INSERT INTO meta VALUES ('schema_version', '2');
    CREATE TABLE forums (id TEXT PRIMARY KEY, title TEXT NOT NULL, topic TEXT NOT NULL,
        join_code TEXT NOT NULL UNIQUE COLLATE NOCASE, created_at INTEGER NOT NULL);
    CREATE TABLE rooms (id TEXT PRIMARY KEY, forum_id TEXT NOT NULL REFERENCES forums (id),
        epoch TEXT NOT NULL, title TEXT NOT NULL, position INTEGER NOT NULL,
        kind TEXT NOT NULL DEFAULT 'room');
    CREATE INDEX rooms_by_forum ON rooms (forum_id, position);
    CREATE TABLE participants (id TEXT PRIMARY KEY, forum_id TEXT NOT NULL
        REFERENCES forums (id), name TEXT NOT NULL, organization TEXT NOT NULL,
        sector TEXT NOT NULL, country TEXT NOT NULL, attendance TEXT NOT NULL,
        created_at INTEGER NOT NULL, consent TEXT NOT NULL);
    CREATE INDEX participants_by_forum ON participants (forum_id);
    CREATE TABLE events (room_id TEXT NOT NULL, seq INTEGER NOT NULL, at INTEGER NOT NULL,
        name TEXT NOT NULL, actor TEXT NOT NULL, data TEXT NOT NULL, op_key TEXT,
        PRIMARY KEY (room_id, seq)) WITHOUT ROWID;
    CREATE TABLE snapshots (room_id TEXT PRIMARY KEY, seq INTEGER NOT NULL,
        state TEXT NOT NULL);
    CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE templates (id TEXT PRIMARY KEY, name TEXT NOT NULL,
        created_at INTEGER NOT NULL, format TEXT NOT NULL);
    INSERT INTO forums VALUES ('f1', 'Old', '', 'AB12CD', 1);
    INSERT INTO participants VALUES ('p0', 'f1', 'Ann', 'City', 'municipality', 'SE',
        'onsite', 5, '{"contact":true}');
"""


async def test_a_version_2_database_is_migrated_and_keeps_its_participants(
        db_path: str) -> None:
    """A schema 2 file gets about and the contact columns; its people read back with none."""
    os.makedirs(os.path.dirname(db_path), exist_ok=True)
    async with aiosqlite.connect(db_path) as db:
        await db.executescript(_SCHEMA_2)
        await db.commit()
    s = await _reopened(db_path)
    try:
        assert await s.get_participant("p0") == ParticipantRecord(
            "p0", "f1", "Ann", "City", "municipality", "SE", "onsite", 5,
            consent={"contact": True})
        new = ParticipantRecord("p1", "f1", "Bob", "", "business", "FI", "remote", 6,
                                consent={"email": True}, about="Sensors",
                                email="bob@example.org")
        await s.add_participant(new)
        assert await s.get_participant("p1") == new
    finally:
        await s.close()
    async with aiosqlite.connect(db_path) as db:
        version = await db.execute_fetchall("SELECT value FROM meta WHERE key='schema_version'")
        columns = [row[1] for row in await db.execute_fetchall(
            "PRAGMA table_info(participants)")]
    assert [tuple(row) for row in version] == [("3",)]
    assert columns[-4:] == ["about", "email", "phone", "link"]
    s = await _reopened(db_path)  # a migrated file opens again as it is
    await s.close()


