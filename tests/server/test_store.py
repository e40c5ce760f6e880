"""Tests of the store, run against each adapter: a SQLite file and a real PostgreSQL server."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import asyncpg
import pytest

from server.store import open_store
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
from tests.postgres import PostgresServer
from tests.server.databases import raw_sql

REPO_ROOT = Path(__file__).resolve().parents[2]


def _event(room: str, seq: int, name: str = "idea.added", **data: object) -> StoredEvent:
    return StoredEvent(room, seq, 1_700_000_000_000 + seq, name, "p1", dict(data), f"p1:op{seq}")


def _forum(forum_id: str = "f1", code: str = "AB12CD") -> ForumRecord:
    return ForumRecord(forum_id, "Civil security forum", "Crisis response", code, 1_700_000_000_000)


def _room(room_id: str, position: int, forum_id: str = "f1") -> RoomRecord:
    return RoomRecord(room_id, forum_id, f"epoch-{room_id}", f"Room {room_id}", position)


@pytest.fixture
async def store(database: str) -> AsyncIterator[Store]:
    s = open_store(database)
    await s.open()
    yield s
    await s.close()


async def _reopened(database: str) -> Store:
    s = open_store(database)
    await s.open()
    return s


# Schema and lifecycle ------------------------------------------------------------------------


async def test_open_refuses_an_unknown_schema_version(database: str) -> None:
    """A database written by another schema version is refused at open()."""
    await (await _reopened(database)).close()
    await raw_sql(database, "UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(RuntimeError, match="schema version 99"):
        await open_store(database).open()


async def test_calls_outside_open_raise_runtime_error(database: str) -> None:
    """Calls before open() or after close() raise RuntimeError naming the state."""
    s = open_store(database)
    with pytest.raises(RuntimeError, match="not open"):
        await s.last_seq("r1")
    await s.open()
    await s.close()
    with pytest.raises(RuntimeError, match="closed"):
        await s.append([_event("r1", 1)])
    with pytest.raises(RuntimeError, match="closed"):
        await s.read_events("r1")
    with pytest.raises(RuntimeError, match="closed"):
        await s.set_setting_if_missing("k", "v")
    with pytest.raises(RuntimeError, match="expected new"):
        await s.open()
    await s.close()  # closing twice is harmless


# Forums, rooms, participants -----------------------------------------------------------------


async def test_forum_and_rooms_round_trip(store: Store) -> None:
    """A forum and its rooms read back as written, rooms ordered by position."""
    forum = _forum()
    rooms = [_room("r2", 2), _room("r0", 0), _room("r1", 1)]
    await store.create_forum(forum, rooms)
    assert await store.get_forum("f1") == forum
    assert await store.list_rooms("f1") == sorted(rooms, key=lambda r: r.position)
    assert await store.get_room("r2") == rooms[0]
    assert await store.get_forum("nope") is None
    assert await store.get_room("nope") is None
    assert await store.list_rooms("nope") == []


async def test_a_hall_is_a_log_beside_the_rooms(store: Store) -> None:
    """The hall is found by its forum and by id, and is not listed among the rooms."""
    hall = RoomRecord("h1", "f1", "e1", "Forum", 0, kind="hall")
    await store.create_forum(_forum(), [hall, _room("r0", 0)])
    assert await store.get_hall("f1") == hall
    assert await store.get_room("h1") == hall
    assert [r.id for r in await store.list_rooms("f1")] == ["r0"]
    assert await store.get_hall("nope") is None


async def test_add_rooms_keeps_the_first_record_of_a_room(store: Store) -> None:
    """Declared rooms are inserted once; a second insert of the same id changes nothing."""
    await store.create_forum(_forum(), [])
    first = _room("h1-2-1", 0)
    await store.add_rooms([first])
    await store.add_rooms([RoomRecord("h1-2-1", "f1", "other-epoch", "Other", 5)])
    assert await store.get_room("h1-2-1") == first


async def test_join_code_lookup_ignores_case(store: Store) -> None:
    """get_forum_by_code finds a forum whatever the case of the code."""
    await store.create_forum(_forum(code="AbC123"), [])
    for code in ("AbC123", "abc123", "ABC123"):
        found = await store.get_forum_by_code(code)
        assert found is not None
        assert found.id == "f1"
    assert await store.get_forum_by_code("ABC124") is None


async def test_taken_join_code_is_rejected_and_nothing_lands(store: Store) -> None:
    """A join code taken in another case raises ValueError; the new forum and rooms are absent."""
    await store.create_forum(_forum("f1", "ABC123"), [_room("r1", 0)])
    with pytest.raises(ValueError, match="join code"):
        await store.create_forum(_forum("f2", "abc123"), [_room("r2", 0, "f2")])
    assert await store.get_forum("f2") is None
    assert await store.get_room("r2") is None


async def test_existing_forum_or_room_id_is_rejected(store: Store) -> None:
    """A taken forum id or room id raises ValueError and leaves the store unchanged."""
    await store.create_forum(_forum("f1", "CODE1"), [_room("r1", 0)])
    with pytest.raises(ValueError, match="already exists"):
        await store.create_forum(_forum("f1", "CODE2"), [])
    with pytest.raises(ValueError, match=r"rooms\.id|rooms_pkey"):
        await store.create_forum(_forum("f2", "CODE3"), [_room("r1", 0, "f2")])
    assert await store.get_forum("f2") is None
    with pytest.raises(ValueError, match="belongs to forum"):
        await store.create_forum(_forum("f3", "CODE4"), [_room("r3", 0, "f1")])


async def test_participant_round_trip(store: Store) -> None:
    """A participant (consent, about, details) reads back as written; duplicates: ValueError."""
    await store.create_forum(_forum(), [])
    person = ParticipantRecord(
        "p1", "f1", "Zoë Ærø", "THW", "civil protection", "DE", "remote", 1_700_000_000_123,
        consent={"photos": False, "contact": True, "email": True, "link": False},
        about="Flood warnings, in Łódź", email="zoe@example.org", link=None,
    )  # fmt: skip
    await store.add_participant(person)
    assert await store.get_participant("p1") == person
    assert person.contact == {"email": "zoe@example.org"}
    # A detail without its consent is never shared, even if a record held one.
    assert replace(person, consent={"contact": True}).contact == {}
    assert await store.get_participant("p2") is None
    with pytest.raises(ValueError, match="p1"):
        await store.add_participant(person)


async def test_update_profile_keeps_contact_details_and_consents(store: Store) -> None:
    """update_profile replaces the visible profile; email, phone, link and consents stay."""
    await store.create_forum(_forum(), [])
    person = ParticipantRecord("p1", "f1", "Ann", "City", "municipality", "SE", "onsite", 5,
                               consent={"email": True}, about="Floods", email="ann@example.org")
    await store.add_participant(person)
    changed = replace(person, name="Ann B", organization="Region", sector="business",
                      country="FI", attendance="remote", about="Storms",
                      consent={}, email=None)
    await store.update_profile(changed)
    assert await store.get_participant("p1") == replace(
        changed, consent={"email": True}, email="ann@example.org")


async def test_participant_of_unknown_forum_is_rejected(store: Store) -> None:
    """Foreign keys are enforced: a participant of a missing forum raises ValueError."""
    person = ParticipantRecord("p1", "ghost", "A", "B", "C", "FR", "onsite", 1)
    with pytest.raises(ValueError, match=r"(?i)foreign key"):
        await store.add_participant(person)


# Room logs -----------------------------------------------------------------------------------


async def test_read_events_orders_and_filters(store: Store) -> None:
    """read_events returns a room's events by ascending seq, after after_seq, at most limit."""
    await store.append([_event("r1", 3, text="c"), _event("r1", 1, text="a")])
    await store.append([_event("r1", 2, text="ä ✓"), _event("r2", 1, text="other room")])
    events = await store.read_events("r1")
    assert [e.seq for e in events] == [1, 2, 3]
    assert events[1] == _event("r1", 2, text="ä ✓")
    assert [e.seq for e in await store.read_events("r1", after_seq=1)] == [2, 3]
    assert [e.seq for e in await store.read_events("r1", after_seq=1, limit=1)] == [2]
    assert await store.read_events("r1", limit=0) == []
    assert await store.read_events("r1", after_seq=3) == []
    assert await store.read_events("nope") == []


async def test_system_event_without_op_key_round_trips(store: Store) -> None:
    """An event with op_key None and nested data reads back equal."""
    event = StoredEvent("r1", 1, 5, "phase.advanced", "system", {"to": {"phase": 2, "x": [1]}})
    await store.append([event])
    assert await store.read_events("r1") == [event]


async def test_last_seq(store: Store) -> None:
    """last_seq is 0 for an empty log and the highest stored seq otherwise."""
    assert await store.last_seq("r1") == 0
    await store.append([_event("r1", 1), _event("r1", 2), _event("r2", 7)])
    assert await store.last_seq("r1") == 2
    assert await store.last_seq("r2") == 7


async def test_identical_reappend_is_a_no_op(store: Store) -> None:
    """Re-appending stored events with equal content succeeds and changes nothing."""
    await store.append([_event("r1", 1, a=1, b=2), _event("r1", 2)])
    # Same data with another key order and another timestamp still counts as identical.
    again = StoredEvent("r1", 1, 42, "idea.added", "p1", {"b": 2, "a": 1}, "p1:op1")
    await store.append([again, _event("r1", 2), _event("r1", 3)])
    assert await store.read_events("r1") == [
        _event("r1", 1, a=1, b=2),
        _event("r1", 2),
        _event("r1", 3),
    ]


async def test_conflicting_reappend_raises_and_nothing_of_it_lands(store: Store) -> None:
    """A different event on a stored seq raises SeqConflictError; its sibling events are absent."""
    await store.append([_event("r1", 1, text="first")])
    with pytest.raises(SeqConflictError, match="seq 1"):
        await store.append([_event("r1", 2), _event("r1", 1, text="second")])
    with pytest.raises(SeqConflictError):
        await store.append([_event("r1", 1, name="vote.cast", text="first")])
    assert await store.read_events("r1") == [_event("r1", 1, text="first")]


async def test_two_events_on_one_seq_in_one_append_conflict(store: Store) -> None:
    """Two different events with one seq inside a single append raise SeqConflictError."""
    with pytest.raises(SeqConflictError):
        await store.append([_event("r1", 1, v=1), _event("r1", 1, v=2)])
    assert await store.last_seq("r1") == 0


async def test_conflict_in_a_shared_batch_fails_only_its_own_append(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    """In a group commit, only the conflicting append fails; the others of the batch commit."""
    await store.append([_event("r1", 1, text="first")])
    caplog.set_level(logging.WARNING, logger="server.store")
    # Both calls are queued before the writer wakes, so they share one batch.
    results = await asyncio.gather(
        store.append([_event("r2", 1), _event("r2", 2)]),
        store.append([_event("r1", 2), _event("r1", 1, text="second")]),
        store.append([_event("r3", 1)]),
        return_exceptions=True,
    )
    assert results[0] is None
    assert isinstance(results[1], SeqConflictError)
    assert results[2] is None
    assert "batch of 3 appends" in caplog.text
    assert [e.seq for e in await store.read_events("r2")] == [1, 2]
    assert [e.seq for e in await store.read_events("r3")] == [1]
    assert await store.read_events("r1") == [_event("r1", 1, text="first")]


async def test_unserializable_data_fails_the_caller_only(store: Store) -> None:
    """Data that is not JSON raises TypeError in append() before reaching the writer."""
    with pytest.raises(TypeError):
        await store.append([_event("r1", 1, bad=object())])
    await store.append([_event("r1", 1)])
    assert await store.last_seq("r1") == 1


async def test_concurrent_appends_are_group_committed(store: Store) -> None:
    """200 concurrent one-event appends all commit, in fewer transactions than appends."""
    before = store.commits
    await asyncio.gather(*(store.append([_event("r1", seq)]) for seq in range(1, 201)))
    assert [e.seq for e in await store.read_events("r1")] == list(range(1, 201))
    assert store.commits - before < 200


async def test_batch_max_bounds_a_group_commit(database: str) -> None:
    """No transaction holds more than batch_max events from several appends."""
    s = open_store(database, batch_max=10)
    await s.open()
    try:
        await asyncio.gather(*(s.append([_event("r1", seq)]) for seq in range(1, 101)))
        assert s.commits >= 10
        assert await s.last_seq("r1") == 100
    finally:
        await s.close()


async def test_large_batch_and_its_identical_replay(store: Store) -> None:
    """A 500-event append commits, and replaying it whole with one new event is accepted."""
    events = [_event("r1", seq, n=seq) for seq in range(1, 501)]
    await store.append(events)
    await store.append([*events, _event("r1", 501)])
    assert await store.last_seq("r1") == 501
    with pytest.raises(SeqConflictError, match="seq 250"):
        await store.append([*events[:249], _event("r1", 250, n=-1), _event("r1", 502)])
    assert await store.last_seq("r1") == 501


async def test_close_drains_pending_appends(database: str) -> None:
    """Appends queued before close() are committed and their callers see success."""
    s = await _reopened(database)
    # gather starts its tasks in order: the 50 appends are queued before close() runs.
    results = await asyncio.gather(
        *(s.append([_event("r1", seq)]) for seq in range(1, 51)), s.close()
    )
    assert results == [None] * 51
    s = await _reopened(database)
    assert await s.last_seq("r1") == 50
    await s.close()


async def test_two_stores_share_one_database(database: str) -> None:
    """Two writers on one database (as two processes would) both commit all they are given."""
    first, second = await _reopened(database), await _reopened(database)
    try:
        await asyncio.gather(
            *(first.append([_event("a", seq)]) for seq in range(1, 51)),
            *(second.append([_event("b", seq)]) for seq in range(1, 51)),
            first.set_setting_if_missing("secret", "one"),
            second.set_setting_if_missing("secret", "two"),
        )
        assert await first.last_seq("b") == 50
        assert await second.last_seq("a") == 50
        assert await first.setting("secret") == await second.setting("secret")
    finally:
        await first.close()
        await second.close()


# Snapshots and settings ----------------------------------------------------------------------


async def test_snapshot_keeps_the_newest(store: Store) -> None:
    """load_snapshot returns the snapshot with the highest seq, whatever the save order."""
    assert await store.load_snapshot("r1") is None
    await store.save_snapshot(Snapshot("r1", 10, {"phase": "vote", "ideas": ["ä"]}))
    await store.save_snapshot(Snapshot("r1", 5, {"phase": "ideate"}))
    assert await store.load_snapshot("r1") == Snapshot("r1", 10, {"phase": "vote", "ideas": ["ä"]})
    await store.save_snapshot(Snapshot("r1", 20, {"phase": "done"}))
    assert await store.load_snapshot("r1") == Snapshot("r1", 20, {"phase": "done"})


async def test_set_setting_if_missing_keeps_the_first_value(store: Store) -> None:
    """The first stored value of a setting stays in force and is returned to later callers."""
    assert await store.setting("token_secret") is None
    assert await store.set_setting_if_missing("token_secret", "first") == "first"
    assert await store.set_setting_if_missing("token_secret", "second") == "first"
    assert await store.setting("token_secret") == "first"


# Durability ----------------------------------------------------------------------------------


async def test_data_survives_close_and_reopen(database: str) -> None:
    """Everything written before close() reads back after a reopen."""
    s = await _reopened(database)
    await s.create_forum(_forum(), [_room("r1", 0)])
    await s.append([_event("r1", 1), _event("r1", 2)])
    await s.save_snapshot(Snapshot("r1", 2, {"n": 2}))
    await s.set_setting_if_missing("k", "v")
    await s.close()
    s = await _reopened(database)
    try:
        assert await s.get_forum_by_code("ab12cd") == _forum()
        assert await s.list_rooms("f1") == [_room("r1", 0)]
        assert [e.seq for e in await s.read_events("r1")] == [1, 2]
        assert await s.load_snapshot("r1") == Snapshot("r1", 2, {"n": 2})
        assert await s.setting("k") == "v"
    finally:
        await s.close()


_WRITER_SCRIPT = """
import asyncio, sys
from server.store.base import StoredEvent
from server.store import open_store
from server.store.base import Store, TemplateRecord

async def write(store, room):
    seq = 0
    while True:
        seq += 1
        await store.append([StoredEvent(room, seq, seq, "tick", "system", {"n": seq})])
        print(room, seq, flush=True)

async def main():
    store = open_store(sys.argv[1])
    await store.open()
    await asyncio.gather(*(write(store, f"room-{i}") for i in range(4)))

asyncio.run(main())
"""


async def test_acknowledged_appends_survive_kill_9(database: str) -> None:
    """Every append acknowledged before a SIGKILL of the writing process is in the file."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-c", _WRITER_SCRIPT, database,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        cwd=REPO_ROOT, env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
    )  # fmt: skip
    assert proc.stdout is not None
    acked: set[tuple[str, int]] = set()
    try:
        while len(acked) < 50:
            line = await asyncio.wait_for(proc.stdout.readline(), timeout=30)
            assert line, "the writer process exited before 50 acknowledgements"
            room, seq = line.decode().split()
            acked.add((room, int(seq)))
    finally:
        proc.kill()
        _, stderr = await proc.communicate()
    assert proc.returncode == -signal.SIGKILL, stderr.decode()
    s = await _reopened(database)
    try:
        stored = {(e.room_id, e.seq) for r in range(4) for e in await s.read_events(f"room-{r}")}
    finally:
        await s.close()
    assert acked <= stored


async def test_batch_max_must_be_at_least_one(database: str) -> None:
    """A batch_max below 1 is refused by either adapter."""
    with pytest.raises(ValueError, match="batch_max"):
        open_store(database, batch_max=0)


async def test_the_store_keeps_templates_across_a_reopen(database: str) -> None:
    """save_template, list_templates and get_template on a real database, a taken id refused."""
    store = await _reopened(database)
    first = TemplateRecord("tA", "First", 2, {"title": "A", "sessions": []})
    try:
        await store.save_template(TemplateRecord("tB", "Second", 1, {"title": "B"}))
        await store.save_template(first)
        with pytest.raises(ValueError, match="cannot save"):
            await store.save_template(TemplateRecord("tA", "Again", 3, {}))
    finally:
        await store.close()
    store = await _reopened(database)
    try:
        assert [t.id for t in await store.list_templates()] == ["tB", "tA"]
        assert await store.get_template("tA") == first
        assert await store.get_template("tZ") is None
    finally:
        await store.close()


async def test_a_postgres_store_reconnects_after_the_server_drops_it(
        postgres_server: PostgresServer) -> None:
    """After PostgreSQL ends the store's sessions, at most one write fails; the next is stored."""
    server = postgres_server
    s = await _reopened(server.new_schema())
    try:
        await s.append([_event("r1", 1)])
        server.sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                   " WHERE pid <> pg_backend_pid() AND backend_type = 'client backend'")
        failures = 0
        for _ in range(2):
            try:
                await s.append([_event("r1", 2)])
                break
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError):
                failures += 1
        assert failures <= 1
        assert [e.seq for e in await s.read_events("r1")] == [1, 2]
    finally:
        await s.close()


def test_open_store_picks_the_adapter_and_logs_no_password() -> None:
    """A postgresql URL gets the PostgreSQL adapter, a path SQLite; describe hides the password."""
    from server.store import describe
    from server.store.postgres import PostgresStore
    from server.store.sqlite import SqliteStore

    url = "postgresql://hackrooms:s3cret@db.example.org:5432/forums"
    assert isinstance(open_store(url), PostgresStore)
    assert isinstance(open_store("data/x.db"), SqliteStore)
    assert describe(url) == "postgresql://db.example.org:5432/forums"
    assert "s3cret" not in describe(url)
    assert describe("data/x.db") == "data/x.db"


# The due-time index (server/due.py) --------------------------------------------


async def test_the_due_index_claims_once_and_a_changed_row_is_free_again(store: Store) -> None:
    """claim_due succeeds once per row; set_due with a new time frees it; clear_due drops it."""
    due = DueTime("r1", 1000, "timer.expire")
    await store.set_due(due)
    await store.set_due(DueTime("r2", 500, "round.expire"))
    assert [d.room_id for d in await store.next_due(0, 10)] == ["r2", "r1"]
    assert await store.claim_due(due, 1000, 5000)
    assert not await store.claim_due(due, 1000, 5000)
    assert [d.room_id for d in await store.next_due(1000, 10)] == ["r2"]
    assert await store.claim_due(due, 5000, 9000)  # the claim lapsed
    later = DueTime("r1", 2000, "timer.expire")
    await store.set_due(later)
    assert not await store.claim_due(due, 5000, 9000)  # the old time is gone
    assert await store.claim_due(later, 5000, 9000)
    await store.clear_due("r1")
    assert await store.next_due(0, 10) == [DueTime("r2", 500, "round.expire")]
