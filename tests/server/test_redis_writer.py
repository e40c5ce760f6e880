"""One writer per room across processes: contention, the writer killed, paused, and Redis frozen."""

from __future__ import annotations

import asyncio
import os
import signal
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis

from client import CommandRejected, ConnectionClosed, RoomClient
from tests.harness import RedisServer, Server
from tests.server.helpers import OPEN_PHASE

pytestmark = pytest.mark.redis

LEASE_MS = 1500
REDIS_TIMEOUT_MS = 1000
# docs/scaling.md: a dead writer is replaced once its lease expires and a command arrives,
# within the lease plus two Redis timeouts (a forwarding that times out, then the retry);
# every command is answered within the Redis timeout plus 1 s.
TAKEOVER_BOUND_S = (LEASE_MS + 2 * REDIS_TIMEOUT_MS) / 1000
ANSWER_BOUND_S = REDIS_TIMEOUT_MS / 1000 + 1.0


def _servers(tmp_path: Path, redis_server: RedisServer, count: int) -> list[Server]:
    env = {"REDIS_URL": redis_server.url, "HACKROOMS_SWEEP_MS": "200",
           "HACKROOMS_LEASE_MS": str(LEASE_MS),
           "HACKROOMS_REDIS_TIMEOUT_MS": str(REDIS_TIMEOUT_MS)}
    return [Server(tmp_path / "hackrooms.db", env=env) for _ in range(count)]


@pytest.fixture
def trio(tmp_path: Path, redis_server: RedisServer) -> Iterator[list[Server]]:
    """Three processes sharing the Redis server and the SQLite file."""
    servers = _servers(tmp_path, redis_server, 3)
    try:
        for srv in servers:
            srv.start()
        yield servers
    finally:
        for srv in servers:
            srv.stop()


def _forum(srv: Server, people: int) -> tuple[dict[str, Any], str, list[dict[str, Any]]]:
    made = srv.api.create_forum("Floods", "", [{"title": "Room A", "phases": OPEN_PHASE}])
    joined = [srv.api.join(made["join"]["code"], f"P{i}") for i in range(people)]
    return made, made["rooms"][0]["id"], joined


def _writer(redis_server: RedisServer, room: str, servers: list[Server]) -> Server:
    """The process that holds the room's lease now, from the lease key in Redis."""
    with redis.Redis(port=redis_server.port, decode_responses=True) as r:
        value = r.get(f"hackrooms:{{{room}}}:owner")
    assert value is not None, "nobody holds the room's lease"
    pid = int(value.split(" ", 1)[1].split(":")[1])
    return next(srv for srv in servers if srv.proc is not None and srv.proc.pid == pid)


def _log(client: RoomClient, after: int = 0) -> list[tuple[int, str, str]]:
    return [(m["seq"], m["name"], m["actor"]) for m in client.events() if m["seq"] > after]


async def _until_acked(client: RoomClient, name: str, args: dict[str, Any], op: str,
                       deadline_s: float) -> dict[str, Any]:
    """Send a command, and again with the same op after each `unavailable`, as clients do."""
    return await client.command_retrying(name, args, op, deadline_s=deadline_s,
                                         timeout=ANSWER_BOUND_S + 1)


async def test_thirty_clients_on_three_processes_never_get_unavailable(
        trio: list[Server]) -> None:
    """30 clients on 3 processes, 20 commands each at once, 10 rounds: all acked once, one order."""
    made, room, joined = _forum(trio[0], 30)
    watchers = [await RoomClient.connect(srv.ws_url, made["facilitator"]["token"], room)
                for srv in trio]
    people = [await RoomClient.connect(trio[i % 3].ws_url, p["token"], room)
              for i, p in enumerate(joined)]
    ideas = [(await p.command("idea.add", {"text": f"idea of {i}"}))["seq"]
             for i, p in enumerate(people)]
    start = max(ideas)
    replies: Counter[str] = Counter()
    acks: list[dict[str, Any]] = []

    async def burst(person: RoomClient, i: int, round_: int) -> None:
        ops = [f"{round_}-{i}-{n}-{uuid.uuid4().hex[:8]}" for n in range(20)]
        commands = [("idea.edit", {"id": f"i{ideas[i]}", "text": f"round {round_} edit {n}"})
                    if n % 2 else ("comment.add", {"idea": f"i{ideas[(i + n) % 30]}",
                                                   "text": f"{round_}/{n}"})
                    for n in range(20)]
        outcomes = await asyncio.gather(*(person.send_command(op, name, args, timeout=30)
                                          for op, (name, args) in zip(ops, commands,
                                                                      strict=True)))
        for op, outcome in zip(ops, outcomes, strict=True):
            replies[op] += 1
            assert outcome["type"] == "ack", outcome
            acks.append(outcome)

    for round_ in range(10):
        await asyncio.gather(*(burst(p, i, round_) for i, p in enumerate(people)))
    assert len(acks) == 6000
    assert set(replies.values()) == {1}  # every command answered exactly once
    last = max(a["seq"] for a in acks)
    assert sorted(a["seq"] for a in acks) == list(range(start + 1, last + 1))
    for client in (*watchers, *people):
        await client.wait_seq(last, timeout=30)
    order = _log(watchers[0], start)
    assert [seq for seq, _name, _actor in order] == list(range(start + 1, last + 1))
    for client in (*watchers[1:], *people):
        assert _log(client, start) == order
    for client in (*watchers, *people):
        await client.close()


async def test_sigkill_of_the_writer_mid_burst(trio: list[Server],
                                               redis_server: RedisServer) -> None:
    """The writer dies mid-burst: another process writes within the bound, nothing acked is lost."""
    made, room, joined = _forum(trio[0], 6)
    first = await RoomClient.connect(trio[0].ws_url, made["facilitator"]["token"], room)
    await first.command("room.update", {"challenge": "who writes?"})
    writer = _writer(redis_server, room, trio)
    others = [srv for srv in trio if srv is not writer]
    watcher = await RoomClient.connect(others[0].ws_url, made["facilitator"]["token"], room)
    people = [await RoomClient.connect(trio[i % 3].ws_url, p["token"], room)
              for i, p in enumerate(joined)]
    acked: dict[str, int] = {}  # op -> seq of its ack
    texts: dict[str, str] = {}

    async def post(i: int) -> None:
        for n in range(40):
            op = f"p{i}-{n}"
            texts[op] = f"idea {i}/{n}"
            try:
                acked[op] = (await people[i].command("idea.add", {"text": texts[op]}, op=op,
                                                     timeout=5))["seq"]
            except (CommandRejected, ConnectionClosed, TimeoutError):
                return  # the unanswered op is retried below

    posting = [asyncio.create_task(post(i)) for i in range(len(people))]
    await watcher.wait_seq(watcher.seq + 30)  # mid-burst
    writer.kill()
    killed_at = time.monotonic()
    probe = await _until_acked(watcher, "room.update", {"challenge": "after the writer died"},
                               "probe", TAKEOVER_BOUND_S + 5)
    took = time.monotonic() - killed_at
    assert _writer(redis_server, room, trio) in others
    assert took < TAKEOVER_BOUND_S, f"a new writer took {took:.1f} s"
    await asyncio.gather(*posting)

    # Every person resumes on a surviving process and retries their unanswered op.
    for i, person in enumerate(people):
        assert person.epoch is not None
        back = await RoomClient.connect(others[i % 2].ws_url, joined[i]["token"], room,
                                        resume=(person.epoch, person.seq))
        pending = [op for op in texts if op.startswith(f"p{i}-") and op not in acked]
        for op in pending:
            acked[op] = (await _until_acked(back, "idea.add", {"text": texts[op]}, op,
                                            TAKEOVER_BOUND_S + 5))["seq"]
        await person.close()
        people[i] = back
    last = max(*acked.values(), probe["seq"])
    await watcher.wait_seq(last)
    log = {m["seq"]: m["data"].get("text") for m in watcher.events() if m["name"] == "idea.added"}
    assert {seq: log.get(seq) for seq in acked.values()} == {
        seq: texts[op] for op, seq in acked.items()}  # nothing acknowledged is lost
    assert Counter(log.values()) == Counter(texts[op] for op in acked)  # none twice
    assert [seq for seq, _n, _a in _log(watcher, watcher.events()[0]["seq"] - 1)] == list(
        range(watcher.events()[0]["seq"], last + 1))
    for client in (first, watcher, *people):
        await client.close()


async def test_a_paused_writer_cannot_append_after_its_lease_moved(
        trio: list[Server], redis_server: RedisServer) -> None:
    """SIGSTOP the writer, the lease moves, SIGCONT: its commands go to the new writer."""
    made, room, joined = _forum(trio[0], 2)
    fac = made["facilitator"]["token"]
    first = await RoomClient.connect(trio[0].ws_url, fac, room)
    await first.command("room.update", {"challenge": "who writes?"})
    stale = _writer(redis_server, room, trio)
    other = next(srv for srv in trio if srv is not stale)
    on_stale = await RoomClient.connect(stale.ws_url, joined[0]["token"], room)
    on_other = await RoomClient.connect(other.ws_url, joined[1]["token"], room)
    base = on_other.seq
    assert stale.proc is not None
    os.kill(stale.proc.pid, signal.SIGSTOP)
    try:
        # Sent to the paused writer: it reads them only when it runs again.
        await on_stale.send({"type": "cmd", "op": "while-paused", "name": "idea.add",
                             "args": {"text": "sent to the paused writer"}})
        moved = await _until_acked(on_other, "idea.add", {"text": "the room goes on"},
                                   "on-other", TAKEOVER_BOUND_S + 5)
        assert _writer(redis_server, room, trio) is other
    finally:
        os.kill(stale.proc.pid, signal.SIGCONT)
    reply = await on_stale.expect(lambda m: m.get("op") == "while-paused", timeout=15)
    if reply["type"] == "error":  # it may have timed out while paused: the retry is safe
        assert reply["code"] == "unavailable", reply
        reply = await _until_acked(on_stale, "idea.add", {"text": "sent to the paused writer"},
                                   "while-paused", 10)
    assert _writer(redis_server, room, trio) is other  # the paused one did not take it back
    last = max(moved["seq"], reply["seq"])
    for client in (first, on_stale, on_other):
        await client.wait_seq(last, timeout=15)
    assert _log(on_stale, base) == _log(on_other, base) == _log(first, base)
    assert [seq for seq, _n, _a in _log(first, base)] == list(range(base + 1, last + 1))
    texts = [m["data"]["text"] for m in on_other.events() if m["name"] == "idea.added"]
    assert sorted(texts) == ["sent to the paused writer", "the room goes on"]
    for client in (first, on_stale, on_other):
        await client.close()


async def test_a_frozen_redis_answers_every_command_in_time(
        trio: list[Server], redis_server: RedisServer) -> None:
    """Redis SIGSTOPped: commands get `unavailable` within the bound, HTTP and hellos too."""
    made, room, joined = _forum(trio[0], 3)
    people = [await RoomClient.connect(trio[i].ws_url, p["token"], room)
              for i, p in enumerate(joined)]
    await people[0].command("idea.add", {"text": "before the freeze"})
    assert redis_server.proc is not None
    os.kill(redis_server.proc.pid, signal.SIGSTOP)
    try:
        started = time.monotonic()
        replies = await asyncio.gather(*(
            p.send_command(f"frozen-{i}", "idea.add", {"text": f"frozen {i}"},
                           timeout=ANSWER_BOUND_S + 2)
            for i, p in enumerate(people)), return_exceptions=True)
        answered_in = time.monotonic() - started
        for reply in replies:
            # A connection may be closed 4503 by the sweep first; never silence.
            if isinstance(reply, ConnectionClosed):
                assert reply.code == 4503
            else:
                assert not isinstance(reply, BaseException), reply
                assert (reply["type"], reply["code"]) == ("error", "unavailable")
        assert answered_in < ANSWER_BOUND_S + 0.5
        started = time.monotonic()
        with pytest.raises(ConnectionClosed) as refused:
            await RoomClient.connect(trio[1].ws_url, joined[1]["token"], room, timeout=5)
        assert refused.value.code == 4503
        async with httpx.AsyncClient(timeout=5) as http:
            response = await http.get(
                f"{trio[2].url}/api/forums/{made['forum']['id']}",
                headers={"Authorization": f"Bearer {made['facilitator']['token']}"})
        assert response.status_code in (200, 503)
        assert time.monotonic() - started < 2 * (ANSWER_BOUND_S + 0.5)
    finally:
        os.kill(redis_server.proc.pid, signal.SIGCONT)
    back = await RoomClient.connect_retrying(trio[0].ws_url, joined[0]["token"], room,
                                             deadline_s=10)
    retry = await _until_acked(back, "idea.add", {"text": "frozen 0"}, "frozen-0", 10)
    texts = [i["text"] for i in back.messages[1]["state"]["board"]["ideas"]]
    assert "before the freeze" in texts
    await back.wait_seq(retry["seq"])
    seen = [m["data"]["text"] for m in back.events() if m["name"] == "idea.added"]
    assert (texts + seen).count("frozen 0") == 1
    for client in (*people, back):
        await client.close()
