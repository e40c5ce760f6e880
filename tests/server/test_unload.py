"""Idle rooms are unloaded from memory and come back whole; their timers keep time meanwhile.

The servers run with ``HACKROOMS_IDLE_UNLOAD_S=1`` and a fast sweep; each test waits for the
server's own log lines ("room ... unloaded", "room ... loaded for its due ...") with a
deadline, never for a guessed time.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import queue
import time
import weakref
from collections.abc import Iterator
from pathlib import Path

import pytest

from client import RoomClient
from rooms.actors import SYSTEM, Actor, Role
from server.bus.memory import MemoryBus
from server.config import Settings
from server.hosts import RoomHosts
from server.store.base import ForumRecord, RoomRecord
from server.store.sqlite import SqliteStore
from tests.harness import Process, RedisServer, Server
from tests.server.helpers import Clients, ServerFactory, new_forum, snapshot_of

FAST = {"HACKROOMS_IDLE_UNLOAD_S": "1", "HACKROOMS_SWEEP_MS": "100",
        "HACKROOMS_DUE_POLL_MS": "200"}
LATE_MS = 2500  # how late an expiry may be on a loaded machine (it is ~0.1 s when idle)


def unloaded(server: Process, room: str, timeout: float = 20.0) -> None:
    """Wait until the server logs that it unloaded ``room``."""
    server.wait_for_line(lambda line: f"room {room} unloaded" in line, timeout)


async def _seen(client: RoomClient, name: str) -> None:
    """Wait for an event (it may have come with the replay before ``synced``)."""
    if not any(m["name"] == name for m in client.events()):
        await client.expect(lambda m: m.get("name") == name, timeout=10)


def loaded_for_due(server: Process, room: str, timeout: float = 20.0) -> None:
    server.wait_for_line(lambda line: f"room {room} loaded for its due" in line, timeout)


async def test_an_idle_room_is_unloaded_and_reloads_with_all_its_events(
        start_server: ServerFactory, clients: Clients) -> None:
    """Everyone leaves; after the idle time the room is unloaded; the next hello has it all."""
    server = start_server(**FAST)
    forum = new_forum(server)
    fac = await clients.connect(server, forum.facilitator, forum.room)
    texts = [f"idea {n}" for n in range(5)]
    for text in texts:
        await fac.command("idea.add", {"text": text})
    seq, epoch = fac.seq, fac.epoch
    await fac.close()
    unloaded(server, forum.room)

    back = await clients.connect(server, forum.facilitator, forum.room)
    assert back.seq == seq
    assert sorted(i["text"] for i in snapshot_of(back)["board"]["ideas"]) == texts
    assert epoch is not None
    resumed = await clients.connect(server, forum.facilitator, forum.room, resume=(epoch, 0))
    assert [m["data"]["text"] for m in resumed.events() if m["name"] == "idea.added"] == texts


async def test_the_sweep_after_an_unload_gives_the_freed_memory_back(
        start_server: ServerFactory, clients: Clients) -> None:
    """Once rooms are unloaded, the next sweep returns free pages to the system and says so."""
    server = start_server(**FAST)
    forum = new_forum(server)
    fac = await clients.connect(server, forum.facilitator, forum.room)
    await fac.command("idea.add", {"text": "one"})
    await fac.close()
    unloaded(server, forum.room)
    line = server.wait_for_line(lambda line: "of memory given back to the system" in line)
    assert "rooms unloaded:" in line


async def test_a_running_timer_of_an_unloaded_room_expires_on_time(
        start_server: ServerFactory, clients: Clients) -> None:
    """The room is unloaded mid-timer; the due index loads it when due; comers see it expired."""
    server = start_server(**FAST)
    forum = new_forum(server)
    fac = await clients.connect(server, forum.facilitator, forum.room)
    started = await fac.command("timer.start", {"seconds": 3})
    ends_at = next(m for m in fac.events() if m["seq"] == started["seq"])["data"]["ends_at"]
    seq, epoch = fac.seq, fac.epoch
    await fac.close()
    unloaded(server, forum.room)
    loaded_for_due(server, forum.room)

    assert epoch is not None
    back = await clients.connect(server, forum.facilitator, forum.room, resume=(epoch, seq))
    await _seen(back, "timer.expired")
    expired = [m for m in back.events() if m["name"] == "timer.expired"]
    assert len(expired) == 1
    assert ends_at <= expired[0]["at"] < ends_at + LATE_MS
    assert snapshot_of(await clients.connect(server, forum.observer, forum.room))[
        "timer"]["status"] == "expired"


HALL_AGENDA = [{"kind": "networking", "title": "Speed networking", "minutes": 30}]


async def test_a_networking_round_of_an_unloaded_hall_expires(
        start_server: ServerFactory, clients: Clients) -> None:
    """The hall is unloaded during a round; the round ends on time; the organizer sees it."""
    server = start_server(**FAST)
    made = server.api.request("POST", "/api/forums", {
        "title": "Baltic resilience", "topic": "Extreme weather", "sessions": HALL_AGENDA})
    hall, organizer = made["hall"]["id"], made["organizer"]["token"]
    people = [server.api.join(made["join"]["code"], name) for name in ("Ann", "Bob")]
    for person in people:  # a member of the hall once connected
        await (await clients.connect(server, person["token"], hall)).close()
    ann, bob = (person["participant"]["id"] for person in people)
    org = await clients.connect(server, organizer, hall)
    session = snapshot_of(org)["agenda"]["sessions"][0]["id"]
    await org.command("agenda.now", {"session": session})
    await org.command("networking.configure", {"seconds": 10,
                                                   "template": "https://call.example/{table}"})
    started = await org.command("round.start", {"present": [ann, bob]})
    ends_at = next(m for m in org.events() if m["seq"] == started["seq"])["data"]["ends_at"]
    seq, epoch = org.seq, org.epoch
    await org.close()
    unloaded(server, hall)
    loaded_for_due(server, hall, timeout=30)

    assert epoch is not None
    back = await clients.connect(server, organizer, hall, resume=(epoch, seq))
    await _seen(back, "round.ended")
    ended = [m for m in back.events() if m["name"] == "round.ended"]
    assert len(ended) == 1
    assert ended[0]["actor"] == SYSTEM.id
    assert ends_at <= ended[0]["at"] < ends_at + LATE_MS


@pytest.fixture
def pair(tmp_path: Path, redis_server: RedisServer) -> Iterator[tuple[Server, Server]]:
    """Processes A and B on one Redis and one SQLite file, unloading fast."""
    env = {"REDIS_URL": redis_server.url, "HACKROOMS_PRESENCE_TTL_MS": "1000",
           "HACKROOMS_REDIS_TIMEOUT_MS": "1000", **FAST}
    servers = [Server(tmp_path / "hackrooms.db", env=env) for _ in range(2)]
    try:
        for srv in servers:
            srv.start()
        yield servers[0], servers[1]
    finally:
        for srv in servers:
            srv.stop()


@pytest.mark.redis
async def test_with_two_processes_an_unloaded_rooms_expiry_is_sent_once(
        pair: tuple[Server, Server], clients: Clients) -> None:
    """Both processes held the room and unloaded it: one of them loads it when due, once."""
    a, b = pair
    forum = new_forum(a)
    on_a = await clients.connect(a, forum.facilitator, forum.room)
    on_b = await clients.connect(b, forum.observer, forum.room)
    started = await on_a.command("timer.start", {"seconds": 4})
    await on_b.wait_seq(started["seq"])
    seq, epoch = on_a.seq, on_a.epoch
    await on_a.close()
    await on_b.close()
    unloaded(a, forum.room)
    unloaded(b, forum.room)

    assert epoch is not None
    # Whichever process loads it first; the other must not (its claim is taken).
    await asyncio.to_thread(_either_loads, a, b, forum.room)
    back = await clients.connect(b, forum.facilitator, forum.room, resume=(epoch, seq))
    await _seen(back, "timer.expired")
    assert [m["name"] for m in back.events()] == ["timer.expired"]
    lines = [line for srv in (a, b) for line in srv.output
             if f"room {forum.room} loaded for its due" in line]
    assert len(lines) == 1


def _either_loads(a: Server, b: Server, room: str) -> None:
    """Wait until A or B logs that it loaded the room for its due command (20 s at most)."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        for srv in (a, b):
            if any(f"room {room} loaded for its due" in line for line in srv.output):
                return
            with contextlib.suppress(queue.Empty):  # waits for the next line, briefly
                srv.lines.get(timeout=0.05)
    raise AssertionError("neither process loaded the room when it was due")


# In one process: the memory is freed ----------------------------------------------------------


async def test_an_unloaded_rooms_memory_is_freed(tmp_path: Path) -> None:
    """After unloading, nothing holds the room's host: garbage collection frees it."""
    store = SqliteStore(str(tmp_path / "store.db"))
    await store.open()
    bus = MemoryBus()
    await bus.open()
    hosts = RoomHosts(store, bus, Settings(idle_unload_s=1, sweep_ms=50))
    gone: asyncio.Queue[str] = asyncio.Queue()
    hosts.on_unloaded = gone.put_nowait
    try:
        hosts.start()
        record = RoomRecord("r1", "f1", "e1", "Room A", 1)
        await store.create_forum(ForumRecord("f1", "Floods", "Warnings", "CODE1", 0), [record])
        host = await hosts.create(record, {"title": "Room A", "challenge": "Warn people"})
        await host.submit("timer.start", {"seconds": 3600}, _facilitator(), None)
        ref = weakref.ref(host)
        del host
        assert await asyncio.wait_for(gone.get(), 10) == "r1"
        gc.collect()
        assert ref() is None
        assert hosts.peek("r1") is None
        due = await store.next_due(0, 10)
        assert [(d.room_id, d.command) for d in due] == [("r1", "timer.expire")]
        again = await hosts.get(record)
        assert again.state.timer.status == "running"
    finally:
        await hosts.close()
        await bus.close()
        await store.close()


def _facilitator() -> Actor:
    return Actor("k1", Role.FACILITATOR)
