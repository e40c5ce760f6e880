"""The store's part of erasure: records to tombstones, logs rewritten in place, no old bytes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from server.store import is_postgres, open_store
from server.store.base import (
    ForumRecord,
    ParticipantRecord,
    RoomRecord,
    Snapshot,
    Store,
    StoredEvent,
)
from tests.postgres import PostgresServer

SECRET = "Zyxwæ Ąžuolaitė"


def _person(pid: str, forum: str = "f1", at: int = 1) -> ParticipantRecord:
    return ParticipantRecord(pid, forum, SECRET, "Org", "municipality", "SE", "onsite", at,
                             consent={"email": True}, email="zy@example.lt")


@pytest.fixture
async def store(database: str) -> AsyncIterator[Store]:
    opened = open_store(database)
    await opened.open()
    await opened.create_forum(ForumRecord("f1", "Old", "", "AB12CD", 1_000),
                              [RoomRecord("h1", "f1", "e1", "Old", 0, kind="hall")])
    await opened.create_forum(ForumRecord("f2", "New", "", "CD34EF", 9_000), [])
    try:
        yield opened
    finally:
        await opened.close()


async def test_erasing_a_record_leaves_a_tombstone(store: Store) -> None:
    """The record is gone, its tombstone says when; a second erasure finds nothing."""
    await store.add_participant(_person("p1"))
    assert await store.erased_at("p1") is None
    assert await store.erase_participant("p1", 5_000) is True
    assert await store.get_participant("p1") is None
    assert await store.erased_at("p1") == 5_000
    assert await store.erase_participant("p1", 6_000) is False
    assert await store.erased_at("p1") == 5_000


async def test_forums_to_purge_are_old_ones_with_records(store: Store) -> None:
    """Only forums created before the time that still hold a participant are listed."""
    await store.add_participant(_person("p1"))
    await store.add_participant(_person("p2", "f2"))
    assert [f.id for f in await store.forums_to_purge(10_000)] == ["f1", "f2"]
    assert [f.id for f in await store.forums_to_purge(5_000)] == ["f1"]
    await store.erase_participant("p1", 6_000)
    assert [f.id for f in await store.forums_to_purge(5_000)] == []
    assert [p.id for p in await store.list_participants("f2")] == ["p2"]


async def test_a_rewrite_replaces_events_renews_the_epoch_and_drops_the_snapshot(
        store: Store, database: str, request: pytest.FixtureRequest) -> None:
    """Rewritten events keep seq, actor and op; the epoch is new; no byte of the old remains."""
    joined = StoredEvent("h1", 1, 10, "member.joined", "system", {"id": "p1", "name": SECRET})
    idea = StoredEvent("h1", 2, 11, "idea.added", "p1", {"text": "kept"}, "p1:op1")
    await store.add_participant(_person("p1"))
    await store.append([joined, idea])
    await store.save_snapshot(Snapshot("h1", 2, {"members": [SECRET]}))
    assert _files_holding(database, request, SECRET.encode())  # the check can see the bytes
    await store.rewrite_log("h1", [StoredEvent("h1", 1, 10, "member.joined", "system",
                                               {"id": "p1", "name": "a participant"})], "e2")
    events = await store.read_events("h1")
    assert [(e.seq, e.actor, e.op_key, e.data.get("name")) for e in events] == [
        (1, "system", None, "a participant"), (2, "p1", "p1:op1", None)]
    room = await store.get_room("h1")
    assert room is not None
    assert room.epoch == "e2"
    assert await store.load_snapshot("h1") is None
    await store.erase_participant("p1", 20)
    await store.scrub()
    assert not _files_holding(database, request, SECRET.encode())


def _files_holding(database: str, request: pytest.FixtureRequest, needle: bytes) -> list[str]:
    """The store's files whose bytes contain ``needle``.

    SQLite: the database, its WAL and shared memory. PostgreSQL: the database's table and index
    files (its WAL keeps old rows until recycled: docs/scaling.md says so).
    """
    if is_postgres(database):
        server: PostgresServer = request.getfixturevalue("postgres_server")
        server.sql("CHECKPOINT")  # what the server holds in memory only goes to the files
        return server.files_holding(needle, parse_qs(urlsplit(database).query)["search_path"][0])
    path = Path(database)
    return [p.name for p in path.parent.glob(path.name + "*") if needle in p.read_bytes()]
