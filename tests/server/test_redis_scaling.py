"""Two server processes on one Redis and one SQLite file: the same room, whichever process."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis

from client import CommandRejected, ConnectionClosed, RoomClient
from tests.harness import RedisServer, Server

pytestmark = pytest.mark.redis

PRESENCE_TTL_MS = 2000


@pytest.fixture
def pair(tmp_path: Path, redis_server: RedisServer) -> Iterator[tuple[Server, Server]]:
    """Processes A and B sharing the Redis server and the SQLite file, as on one machine."""
    env = {"REDIS_URL": redis_server.url, "HACKROOMS_SWEEP_MS": "200",
           "HACKROOMS_PRESENCE_TTL_MS": str(PRESENCE_TTL_MS), "HACKROOMS_REDIS_TIMEOUT_MS": "1000"}
    servers = [Server(tmp_path / "hackrooms.db", env=env) for _ in range(2)]
    try:
        for srv in servers:
            srv.start()
        yield servers[0], servers[1]
    finally:
        for srv in servers:
            srv.stop()


def make_forum(srv: Server, people: int) -> tuple[dict[str, Any], str, list[dict[str, Any]]]:
    made = srv.api.create_forum("Floods", "Crisis communication", [{"title": "Room A"}])
    joined = [srv.api.join(made["join"]["code"], f"P{i}") for i in range(people)]
    return made, made["rooms"][0]["id"], joined


def view(client: RoomClient, after: int = 0) -> list[tuple[int, str, str, Any]]:
    return [(m["seq"], m["name"], m["actor"], m["data"]) for m in client.events()
            if m["seq"] > after]


async def test_clients_on_both_processes_see_one_order(pair: tuple[Server, Server]) -> None:
    """Participants on A and B post and vote at once; facilitators on each see one sequence."""
    a, b = pair
    made, room, joined = make_forum(a, 4)
    fac = made["facilitator"]["token"]
    watch_a = await RoomClient.connect(a.ws_url, fac, room)
    watch_b = await RoomClient.connect(b.ws_url, fac, room)
    people = [await RoomClient.connect((a, b)[i % 2].ws_url, p["token"], room)
              for i, p in enumerate(joined)]
    start = watch_a.seq
    await watch_a.command("phase.set", {"phase": "ideate"})
    acks = await asyncio.gather(*(p.command("idea.add", {"text": f"idea {i}-{n}"})
                                  for n in range(5) for i, p in enumerate(people)))
    ideas = [f"i{ack['seq']}" for ack in acks]
    await watch_b.command("phase.set", {"phase": "vote"})
    votes = await asyncio.gather(*(p.command("vote.cast", {"idea": ideas[(i + n) % len(ideas)]})
                                   for n in range(3) for i, p in enumerate(people)))
    last = max(ack["seq"] for ack in [*acks, *votes])
    await watch_a.wait_seq(last)
    await watch_b.wait_seq(last)
    assert view(watch_a, start) == view(watch_b, start)
    assert [e[0] for e in view(watch_a, start)] == list(range(start + 1, last + 1))
    for client in (*people, watch_a, watch_b):
        await client.close()


async def test_vote_budget_holds_across_processes(pair: tuple[Server, Server]) -> None:
    """One participant votes through A and B at once: no more dots than the budget land."""
    a, b = pair
    made, room, joined = make_forum(a, 1)
    fac = await RoomClient.connect(a.ws_url, made["facilitator"]["token"], room)
    await fac.command("phase.set", {"phase": "ideate"})
    ideas = [f"i{(await fac.command('idea.add', {'text': f'idea {n}'}))['seq']}"
             for n in range(3)]
    await fac.command("phase.set", {"phase": "vote"})
    token = joined[0]["token"]
    on_a = await RoomClient.connect(a.ws_url, token, room)
    on_b = await RoomClient.connect(b.ws_url, token, room)

    async def vote(client: RoomClient, idea: str) -> str:
        try:
            await client.command("vote.cast", {"idea": idea})
        except CommandRejected as rejected:
            return rejected.code
        return "ok"

    outcomes = await asyncio.gather(*(vote(c, ideas[n % 3]) for n in range(4)
                                      for c in (on_a, on_b)))
    assert outcomes.count("ok") == 5  # the default budget
    assert set(outcomes) == {"ok", "budget_exceeded"}
    for client in (fac, on_a, on_b):
        await client.close()


async def test_sigkill_of_one_process_loses_nothing(pair: tuple[Server, Server]) -> None:
    """A dies by SIGKILL mid-session: its clients resume on B, every acked event is there."""
    a, b = pair
    made, room, joined = make_forum(a, 2)
    fac = await RoomClient.connect(b.ws_url, made["facilitator"]["token"], room)
    await fac.command("phase.set", {"phase": "ideate"})
    writer = await RoomClient.connect(a.ws_url, joined[0]["token"], room)
    on_b = await RoomClient.connect(b.ws_url, joined[1]["token"], room)
    await fac.wait_presence(lambda p: len(p["members"]) == 2)
    acked: dict[int, int] = {}  # idea number -> seq of its ack
    ops = [uuid.uuid4().hex for _ in range(400)]

    async def post() -> None:
        for n, op in enumerate(ops):
            acked[n] = (await writer.command("idea.add", {"text": f"idea {n}"}, op=op))["seq"]

    posting = asyncio.create_task(post())
    await writer.wait_seq(writer.seq + 20)  # mid-session
    a.kill()
    with pytest.raises((ConnectionClosed, asyncio.TimeoutError)):
        await posting
    gone = joined[0]["participant"]["id"]
    # No ghost: A's participant leaves B's presence within the documented TTL.
    await fac.wait_presence(lambda p: gone not in {e["id"] for e in p["members"]},
                            timeout=PRESENCE_TTL_MS / 1000 + 5)

    assert writer.epoch is not None
    resumed = await RoomClient.connect(b.ws_url, joined[0]["token"], room,
                                       resume=(writer.epoch, writer.seq))
    assert not [m for m in resumed.messages if m["type"] == "snapshot"]
    # The op that was in flight when A died is retried on B: it lands exactly once.
    n = len(acked)
    acked[n] = (await resumed.command("idea.add", {"text": f"idea {n}"}, op=ops[n]))["seq"]
    await fac.wait_seq(resumed.seq)
    log = {m["seq"]: m["data"].get("text") for m in fac.events() if m["name"] == "idea.added"}
    assert {seq: log.get(seq) for seq in acked.values()} == {
        seq: f"idea {n}" for n, seq in acked.items()}
    assert sorted(log.values()) == sorted(f"idea {n}" for n in acked)  # none twice
    missed = [m["seq"] for m in resumed.events()]
    assert missed == list(range(writer.seq + 1, resumed.seq + 1))
    for client in (fac, writer, on_b, resumed):
        await client.close()


async def test_resume_on_another_process(pair: tuple[Server, Server]) -> None:
    """A client leaves A at some seq and resumes on B: exactly the events it missed, in order."""
    a, b = pair
    made, room, _ = make_forum(a, 0)
    token = made["facilitator"]["token"]
    first = await RoomClient.connect(a.ws_url, token, room)
    await first.command("phase.set", {"phase": "ideate"})
    left_at = first.seq
    assert first.epoch is not None
    await first.close()
    other = await RoomClient.connect(b.ws_url, token, room)
    for n in range(5):
        await other.command("idea.add", {"text": f"while away {n}"})
    back = await RoomClient.connect(b.ws_url, token, room, resume=(first.epoch, left_at))
    kinds = [m["type"] for m in back.messages if m["type"] != "presence"]
    assert kinds[:7] == ["welcome", *["event"] * 5, "synced"]
    assert [m["seq"] for m in back.events()] == list(range(left_at + 1, left_at + 6))
    await other.close()
    await back.close()


async def test_redis_outage_and_return(pair: tuple[Server, Server],
                                       redis_server: RedisServer) -> None:
    """Redis stops: clients get 'unavailable' or close 4503, nothing hangs; then all converge."""
    a, b = pair
    made, room, joined = make_forum(a, 2)
    fac = made["facilitator"]["token"]
    on_a = await RoomClient.connect(a.ws_url, joined[0]["token"], room)
    on_b = await RoomClient.connect(b.ws_url, joined[1]["token"], room)
    boss = await RoomClient.connect(a.ws_url, fac, room)
    await boss.command("phase.set", {"phase": "ideate"})

    redis_server.stop()
    with pytest.raises((CommandRejected, ConnectionClosed)) as failed:
        await on_a.command("idea.add", {"text": "during the outage"}, op="outage-op",
                           timeout=5)
    if isinstance(failed.value, CommandRejected):
        assert failed.value.code == "unavailable"
    for client in (on_a, on_b, boss):
        assert (await client.wait_closed(timeout=5))[0] == 4503
    with pytest.raises(ConnectionClosed) as refused:
        await RoomClient.connect(b.ws_url, joined[1]["token"], room)
    assert refused.value.code == 4503
    for srv in (a, b):  # both still running
        assert srv.proc is not None
        assert srv.proc.poll() is None

    redis_server.start()
    for srv in (a, b):
        srv.wait_for_line(lambda line: "redis is reachable again" in line)
    assert on_a.epoch is not None
    again_a = await RoomClient.connect(a.ws_url, joined[0]["token"], room,
                                       resume=(on_a.epoch, on_a.seq))
    again_b = await RoomClient.connect(b.ws_url, joined[1]["token"], room,
                                       resume=(on_a.epoch, on_b.seq))
    retry = await again_a.command("idea.add", {"text": "during the outage"}, op="outage-op")
    ack = await again_b.command("idea.add", {"text": "after the outage"})
    last = max(retry["seq"], ack["seq"])
    await again_a.wait_seq(last)
    await again_b.wait_seq(last)
    texts = [m["data"].get("text") for m in again_b.events() if m["name"] == "idea.added"]
    assert texts.count("during the outage") == 1
    assert view(again_a, on_a.seq)[-2:] == view(again_b, on_a.seq)[-2:]
    for client in (again_a, again_b):
        await client.close()


async def test_redis_losing_every_key_continues_from_the_store(
        pair: tuple[Server, Server], redis_server: RedisServer) -> None:
    """After FLUSHALL the next command refills the stream from SQLite and seqs continue."""
    a, b = pair
    made, room, _ = make_forum(a, 0)
    token = made["facilitator"]["token"]
    on_a = await RoomClient.connect(a.ws_url, token, room)
    on_b = await RoomClient.connect(b.ws_url, token, room)
    await on_a.command("phase.set", {"phase": "ideate"})
    before = (await on_a.command("idea.add", {"text": "before"}))["seq"]
    with redis.Redis(port=redis_server.port) as r:
        r.flushall()
    after = (await on_b.command("idea.add", {"text": "after"}))["seq"]
    assert after == before + 1
    await on_a.wait_seq(after)
    assert view(on_a, before - 1) == view(on_b, before - 1)
    late = await RoomClient.connect(a.ws_url, token, room, resume=(on_a.epoch or "", before))
    assert [m["seq"] for m in late.events()] == [after]
    for client in (on_a, on_b, late):
        await client.close()
