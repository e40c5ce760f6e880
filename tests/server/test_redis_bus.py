"""The Redis bus against a real redis-server: the Lua append, reads, fan-out, presence, outages."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import pytest
import redis

from server.bus.base import BusUnavailable, Headcount, LeaseLost, LogConflict
from server.bus.redis import RedisBus
from server.store.base import StoredEvent
from tests.harness import RedisServer

pytestmark = pytest.mark.redis


def entry(seq: int, text: str = "x", op: str | None = None) -> StoredEvent:
    return StoredEvent("r1", seq, 1000 + seq, "idea.added", "p1", {"text": text}, op)


@pytest.fixture
async def bus(redis_server: RedisServer) -> AsyncIterator[RedisBus]:
    b = RedisBus(redis_server.url)
    await b.open()
    try:
        yield b
    finally:
        await b.close()


async def test_concurrent_appends_at_one_seq_exactly_one_wins(bus: RedisBus) -> None:
    """Twenty appends after the same seq at once: one lands, the others see the new head."""
    results = await asyncio.gather(*(bus.append("r1", 0, [entry(1, f"t{i}")]) for i in range(20)),
                                   return_exceptions=True)
    assert sum(r is None for r in results) == 1
    conflicts = [r for r in results if isinstance(r, LogConflict)]
    assert len(conflicts) == 19
    assert {c.head for c in conflicts} == {1}
    assert [e.seq for e in await bus.read("r1", 0)] == [1]


async def test_racing_appenders_leave_a_contiguous_log(redis_server: RedisServer) -> None:
    """Four buses (processes) race to append 25 events each: seqs 1..100, no gap, no repeat."""
    buses = [RedisBus(redis_server.url) for _ in range(4)]
    moves: list[tuple[int, int | None]] = []  # (expected, head) of every lost append

    async def writer(b: RedisBus, name: str) -> None:
        done = 0
        head = 0
        while done < 25:
            try:
                await b.append("r1", head, [entry(head + 1, f"{name}-{done}")])
            except LogConflict as conflict:
                moves.append((head, conflict.head))
                head = conflict.head or 0
                continue
            head, done = head + 1, done + 1

    try:
        await asyncio.gather(*(writer(b, f"w{i}") for i, b in enumerate(buses)))
        log = await buses[0].read("r1", 0)
    finally:
        for b in buses:
            await b.close()
    assert [e.seq for e in log] == list(range(1, 101))
    assert all(head is not None and head > expected for expected, head in moves)
    assert len({e.data["text"] for e in log}) == 100


async def test_append_of_several_events_and_read_after(bus: RedisBus) -> None:
    """One append numbers several events; read returns those after a seq, op keys kept."""
    await bus.append("r1", 0, [entry(1, op="p1:a"), entry(2, op="p1:a")])
    await bus.append("r1", 2, [entry(3)])
    later = await bus.read("r1", 1)
    assert [(e.seq, e.op_key) for e in later] == [(2, "p1:a"), (3, None)]
    with pytest.raises(LogConflict):
        await bus.append("r1", 2, [entry(3)])


async def test_subscribers_hear_appends(bus: RedisBus, redis_server: RedisServer) -> None:
    """A subscribed process hears another's append, in one message, with its op key."""
    other = RedisBus(redis_server.url)
    await other.open()
    heard: asyncio.Queue[list[StoredEvent]] = asyncio.Queue()
    try:
        await other.subscribe("r1", heard.put_nowait)
        await bus.append("r1", 0, [entry(1, op="p1:a"), entry(2, op="p1:a")])
        got = await asyncio.wait_for(heard.get(), 5)
    finally:
        await other.close()
    assert [(e.seq, e.op_key, e.data) for e in got] == [(1, "p1:a", {"text": "x"}),
                                                        (2, "p1:a", {"text": "x"})]


async def test_lost_head_is_taken_from_the_stream(bus: RedisBus,
                                                  redis_server: RedisServer) -> None:
    """With the head key gone but the stream kept, appends continue after the stream's end."""
    await bus.append("r1", 0, [entry(1), entry(2)])
    with redis.Redis(port=redis_server.port) as r:
        r.delete("hackrooms:{r1}:head")
    with pytest.raises(LogConflict) as conflict:
        await bus.append("r1", 0, [entry(1)])
    assert conflict.value.head == 2
    await bus.append("r1", 2, [entry(3)])
    assert [e.seq for e in await bus.read("r1", 0)] == [1, 2, 3]


async def test_presence_of_other_processes(bus: RedisBus, redis_server: RedisServer) -> None:
    """A process reads the others' headcounts, not its own; an empty one is removed."""
    other = RedisBus(redis_server.url)
    try:
        await bus.put_presence("r1", Headcount({"p1": 1}, facilitators=1))
        await other.put_presence("r1", Headcount({"p2": 2}, observers=1))
        assert await bus.presence("r1") == [Headcount({"p2": 2}, 0, 1)]
        assert await other.presence("r1") == [Headcount({"p1": 1}, 1, 0)]
        await other.put_presence("r1", Headcount())
        assert await bus.presence("r1") == []
    finally:
        await other.close()


async def test_presence_of_a_dead_process_expires(bus: RedisBus,
                                                  redis_server: RedisServer) -> None:
    """An entry past its expiry (a process that stopped renewing it) is ignored and dropped."""
    with redis.Redis(port=redis_server.port, decode_responses=True) as r:
        r.hset("hackrooms:{r1}:presence", "dead-process", '1 {"m":{"p9":1},"f":0,"o":0}')
        assert await bus.presence("r1") == []
        assert r.hgetall("hackrooms:{r1}:presence") == {}


async def test_redis_outage_fails_fast_and_recovers(bus: RedisBus,
                                                    redis_server: RedisServer) -> None:
    """With Redis stopped every call fails fast with BusUnavailable; once back, calls work."""
    await bus.append("r1", 0, [entry(1)])
    redis_server.stop()
    started = time.monotonic()
    with pytest.raises(BusUnavailable):
        await bus.append("r1", 1, [entry(2)])
    with pytest.raises(BusUnavailable):
        await bus.read("r1", 0)
    assert time.monotonic() - started < 5
    redis_server.start()
    await bus.append("r1", 1, [entry(2)])
    assert [e.seq for e in await bus.read("r1", 0)] == [1, 2]


async def test_a_lease_has_one_holder_and_a_growing_fence(redis_server: RedisServer) -> None:
    """The first claim takes the lease; others see its holder; a new lease has a higher fence."""
    a, b = RedisBus(redis_server.url), RedisBus(redis_server.url)
    first = await a.claim("r1", 60_000)
    seen = await b.claim("r1", 60_000)
    assert (first.mine, seen.mine) == (True, False)
    assert seen.holder == a.process
    assert seen.fence == first.fence
    assert (await a.claim("r1", 60_000)).fence == first.fence  # ours: renewed, same fence
    await a.release("r1", first.fence)
    taken = await b.claim("r1", 60_000)
    assert taken.mine
    assert taken.fence > first.fence
    for bus in (a, b):
        await bus.close()


async def test_an_append_with_a_lease_that_moved_on_is_refused(
        redis_server: RedisServer) -> None:
    """A writer whose lease expired and was taken over cannot append, nor renew, nor release."""
    stale, fresh = RedisBus(redis_server.url), RedisBus(redis_server.url)
    old = await stale.claim("r1", 60_000)
    await stale.append("r1", 0, [entry(1, "by the first writer")], old.fence)
    with redis.Redis(port=redis_server.port) as r:
        r.delete("hackrooms:{r1}:owner")  # the lease expired
    new = await fresh.claim("r1", 60_000)
    assert new.mine
    assert new.fence > old.fence
    with pytest.raises(LeaseLost):
        await stale.append("r1", 1, [entry(2, "by the stale writer")], old.fence)
    assert not await stale.renew("r1", old.fence, 60_000)
    await stale.release("r1", old.fence)  # not ours: changes nothing
    await fresh.append("r1", 1, [entry(2, "by the new writer")], new.fence)
    assert [e.data["text"] for e in await fresh.read("r1", 0)] == ["by the first writer",
                                                                  "by the new writer"]
    assert (await stale.claim("r1", 60_000)).holder == fresh.process
    for bus in (stale, fresh):
        await bus.close()


async def test_messages_reach_the_named_process(redis_server: RedisServer) -> None:
    """A message sent to a process arrives there, and only there."""
    a, b = RedisBus(redis_server.url), RedisBus(redis_server.url)
    got_a: list[dict[str, object]] = []
    got_b: asyncio.Queue[dict[str, object]] = asyncio.Queue()
    a.listen(got_a.append)
    b.listen(got_b.put_nowait)
    for bus in (a, b):
        await bus.open()
    deadline = time.monotonic() + 10
    while True:  # the pub/sub reader subscribes in the background: resend until it is on
        await a.send(b.process, {"k": "hello", "n": 1})
        try:
            message = await asyncio.wait_for(got_b.get(), 0.2)
            break
        except TimeoutError:
            assert time.monotonic() < deadline, "the message never arrived"
    assert message == {"k": "hello", "n": 1}
    assert got_a == []
    for bus in (a, b):
        await bus.close()


async def test_an_erasure_during_an_aof_rewrite_waits_and_leaves_redis_usable(
        bus: RedisBus, redis_server: RedisServer) -> None:
    """Scrubbing while a rewrite runs waits for it and rewrites again; calls keep working."""
    await bus.append("r1", 0, [entry(1)])
    admin = redis.Redis.from_url(redis_server.url)
    try:
        admin.config_set("appendonly", "yes")
        wait_for_no_rewrite(admin)
        admin.config_set("rdb-key-save-delay", "200000")  # each key takes 0.2 s to rewrite
        before = int(admin.info("persistence")["aof_rewrites"])
        admin.bgrewriteaof()  # the rewrite running already, which the scrub meets
        await bus.scrub()
        assert [e.seq for e in await bus.read("r1", 0)] == [1]  # no call failed fast after it
        admin.config_set("rdb-key-save-delay", "0")
        wait_for_no_rewrite(admin)
        assert int(admin.info("persistence")["aof_rewrites"]) == before + 2  # theirs, then ours
    finally:
        admin.close()


def wait_for_no_rewrite(r: redis.Redis, timeout: float = 20.0) -> None:
    """Wait until Redis runs no append-only file rewrite."""
    deadline = time.monotonic() + timeout
    while r.info("persistence")["aof_rewrite_in_progress"]:
        assert time.monotonic() < deadline, "the AOF rewrite did not finish"
        time.sleep(0.05)  # polling Redis's own state until the deadline


async def test_hundreds_of_calls_at_once_share_a_bounded_pool(bus: RedisBus) -> None:
    """A burst of 500 calls at once (a join storm's reads) all answer; none is "too many"."""
    await bus.append("r1", 0, [entry(1)])
    reads = await asyncio.gather(*(bus.read("r1", 0) for _ in range(500)))
    assert all([e.seq for e in read] == [1] for read in reads)
