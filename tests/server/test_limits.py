"""Floods and pipelines: message budgets, connection caps, several commands in flight.

The token bucket and the process's limits are pure logic, tested with a clock of our own; the
rest talks to a real server over real sockets.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import time
from typing import Any

import pytest
import websockets

from client import CommandRejected, RoomClient
from client.room import Message
from server.config import Settings
from server.limits import Limits, TokenBucket, take
from tests.harness import RedisServer, Server
from tests.server.helpers import (
    TIMEOUT,
    Clients,
    ServerFactory,
    new_forum,
    still_serving,
)

D = Settings()  # the defaults, which the integration tests run with unless they say otherwise
PROMPT_S = 2.0  # an ack slower than this would mean the flood slowed the room down


# The token bucket -----------------------------------------------------------------------------

def test_a_full_bucket_lets_its_burst_through_then_names_the_wait() -> None:
    """A bucket lets `burst` messages through at once, then refuses with the time to a token."""
    bucket = TokenBucket.full(rate=20, burst=200, now=100.0)
    assert [bucket.take(100.0) for _ in range(200)] == [0.0] * 200
    assert bucket.take(100.0) == pytest.approx(0.05)
    assert bucket.take(100.01) == pytest.approx(0.04)
    assert bucket.take(100.05) == 0.0
    assert bucket.take(100.05) == pytest.approx(0.05)


def test_a_bucket_refills_at_its_rate_up_to_its_burst() -> None:
    """Tokens come back at `rate` per second and never beyond `burst`."""
    bucket = TokenBucket.full(rate=10, burst=5, now=0.0)
    for _ in range(5):
        bucket.take(0.0)
    assert bucket.wait(0.3) == 0.0
    assert [bucket.take(0.3) for _ in range(4)] == [0.0, 0.0, 0.0, pytest.approx(0.1)]
    assert not bucket.full_by(0.6)
    assert bucket.full_by(100.0)
    assert [bucket.take(100.0) for _ in range(6)][-2:] == [0.0, pytest.approx(0.1)]


def test_a_bucket_of_rate_zero_never_refuses() -> None:
    """A rate of 0 turns the bucket off."""
    bucket = TokenBucket.full(rate=0, burst=1, now=0.0)
    assert all(bucket.take(0.0) == 0.0 for _ in range(10_000))


def test_take_takes_from_every_bucket_or_from_none() -> None:
    """A message needs a token in each bucket; refused, it takes none from the others."""
    plenty, empty = TokenBucket.full(20, 200, 0.0), TokenBucket.full(1, 1, 0.0)
    assert take((plenty, empty), 0.0) == 0.0
    assert take((plenty, empty), 0.0) == pytest.approx(1.0)
    assert (plenty.tokens, empty.tokens) == (199, 0)
    assert take((plenty, empty), 1.0) == 0.0
    assert empty.tokens == 0


def _limits(**overrides: int) -> Limits:
    return Limits(Settings(**overrides))  # type: ignore[arg-type]


def test_a_budget_refuses_everything_until_the_time_it_named() -> None:
    """After a refusal nothing goes through before the named time, so resends keep their order."""
    budget = _limits(connection_rate=10, connection_burst=1).join(("f", "p"), 0.0, capped=True)
    assert budget is not None
    assert budget.take(0.0) == 0.0
    assert budget.take(0.0) == pytest.approx(0.1)
    assert budget.take(0.09) == pytest.approx(0.01)  # the bucket alone would not say otherwise
    assert budget.take(0.1) == 0.0
    assert budget.take(0.1) == pytest.approx(0.1)


def test_a_person_shares_one_bucket_over_their_connections() -> None:
    """Two connections of one person draw on the person's bucket together; others have theirs."""
    limits = _limits(connection_rate=100, connection_burst=100, person_rate=1, person_burst=3)
    laptop, phone = (limits.join(("f", "ann"), 0.0, capped=True) for _ in range(2))
    bob = limits.join(("f", "bob"), 0.0, capped=True)
    assert laptop is not None
    assert phone is not None
    assert bob is not None
    assert [laptop.take(0.0), phone.take(0.0), laptop.take(0.0)] == [0.0, 0.0, 0.0]
    assert phone.take(0.0) > 0
    assert bob.take(0.0) == 0.0


def test_reconnecting_does_not_refill_a_persons_bucket() -> None:
    """A person's bucket outlives their last connection until full again, then is forgotten."""
    limits = _limits(person_rate=1, person_burst=2)
    first = limits.join(("f", "ann"), 0.0, capped=True)
    assert first is not None
    first.take(0.0)
    first.take(0.0)
    limits.part(first, 0.0)
    again = limits.join(("f", "ann"), 0.5, capped=True)
    assert again is not None
    assert again.take(0.5) == pytest.approx(0.5)
    limits.part(again, 0.5)
    assert limits.people() == 1
    limits.part(again, 10.0)  # any later event forgets the full ones (the counts stay right)
    assert limits.people() == 0


def test_connection_caps_per_process_and_per_participant() -> None:
    """The process takes its cap of websockets; a participant theirs, a shared token no cap."""
    limits = _limits(max_connections=2, max_connections_per_person=1)
    assert [limits.open(), limits.open(), limits.open()] == [True, True, False]
    limits.close()
    assert limits.open()
    ann = limits.join(("f", "ann"), 0.0, capped=True)
    assert ann is not None
    assert limits.join(("f", "ann"), 0.0, capped=True) is None
    assert limits.join(("f", "fac"), 0.0, capped=False) is not None
    assert limits.join(("f", "fac"), 0.0, capped=False) is not None
    limits.part(ann, 0.0)
    assert limits.join(("f", "ann"), 0.0, capped=True) is not None


# Floods over real sockets ---------------------------------------------------------------------

def _cmd(op: str, text: str) -> dict[str, Any]:
    return {"type": "cmd", "op": op, "name": "idea.add", "args": {"text": text}}


async def _answers(client: RoomClient, ops: list[str], timeout: float = 30.0) -> list[Message]:
    """The answers to ``ops``, in the order they arrived."""
    wanted = set(ops)
    return [await client.expect(lambda m: m.get("op") in wanted
                                and m["type"] in ("ack", "error"), timeout) for _ in ops]


async def test_a_flood_is_refused_beyond_the_budget_and_the_room_goes_on(
        server: Server, clients: Clients) -> None:
    """5,000 commands in a burst: the budget's worth is applied, the rest refused, none lost."""
    forum = new_forum(server)
    flooder, bob = forum.join("Flo"), forum.join("Bob")
    fac = await clients.connect(server, forum.facilitator, forum.room)
    flo = await clients.connect(server, flooder.token, forum.room)
    b = await clients.connect(server, bob.token, forum.room)
    before = fac.seq
    ops = [f"flood-{n}" for n in range(5000)]

    started = time.monotonic()
    for op in ops:
        await flo.send(_cmd(op, op))
    sent_in = time.monotonic() - started
    bob_started = time.monotonic()
    await b.command("idea.add", {"text": "Bob is still heard"})
    bob_took = time.monotonic() - bob_started
    answers = await _answers(flo, ops)
    took = time.monotonic() - started

    assert sent_in < 5.0, f"sending the flood took {sent_in:.2f} s: not a flood"
    assert [a["op"] for a in answers] == ops, "the answers are not in the order of the commands"
    acked = [a for a in answers if a["type"] == "ack"]
    refused = [a for a in answers if a["type"] == "error"]
    assert {a["code"] for a in refused} == {"rate_limited"}
    budget = D.connection_burst + D.connection_rate * took
    assert D.connection_burst <= len(acked) <= budget, (len(acked), took)
    assert all(1 <= a["retry_after_ms"] <= 1000 / D.connection_rate + 1 for a in refused)
    assert bob_took < PROMPT_S, f"Bob's ack took {bob_took:.2f} s during the flood"

    # Exactly what was acknowledged is in the log: one idea per ack, and Bob's.
    await fac.wait_seq(before + len(acked) + 1)
    texts = [e["data"]["text"] for e in fac.events() if e["seq"] > before]
    assert sorted(texts) == sorted([a["op"] for a in acked] + ["Bob is still heard"])
    assert fac.seq == before + len(acked) + 1

    # The flooder is still connected; a refused op was not remembered: sent again, it lands.
    op = refused[-1]["op"]
    landed = await _decided(flo, op, refused[-1])
    assert landed["type"] == "ack"
    assert await _decided(flo, op) == landed  # and now it is remembered
    rejected = CommandRejected(refused[0])  # what the Python client raises for it
    assert (rejected.code, rejected.retry_after_ms) == ("rate_limited",
                                                        refused[0]["retry_after_ms"])
    await still_serving(clients, server, forum)


async def _decided(client: RoomClient, op: str, answer: Message | None = None) -> Message:
    """Send ``op`` (again) until it is decided, waiting as long as each refusal asks."""
    if answer is not None and answer.get("code") != "rate_limited":
        return answer
    try:  # the client waits retry_after_ms before each resend, as the server asks
        return await client.command_retrying("idea.add", {"text": op}, op, deadline_s=30)
    except CommandRejected as refused:
        return refused.reply


async def test_a_ping_flood_is_not_free(server: Server, clients: Clients) -> None:
    """Pings take from the budget too: a burst of them gets its pongs, the rest rate_limited."""
    forum = new_forum(server)
    ann = await clients.connect(server, forum.join("Ann").token, forum.room)
    for n in range(1000):
        await ann.send({"type": "ping", "t": n})
    got: list[Message] = []
    while len(got) < 1000:
        got.append(await ann.expect(lambda m: m["type"] in ("pong", "error")))
    pongs = [m for m in got if m["type"] == "pong"]
    assert D.connection_burst <= len(pongs) < 1000
    assert {(m["code"], "op" in m) for m in got if m["type"] == "error"} == {
        ("rate_limited", False)}


async def test_the_process_caps_its_connections(start_server: ServerFactory,
                                                clients: Clients) -> None:
    """Over HACKROOMS_MAX_CONNECTIONS a websocket is closed 4430 before its hello; slots free up."""
    srv = start_server(HACKROOMS_MAX_CONNECTIONS="2")
    forum = new_forum(srv)
    fac = await clients.connect(srv, forum.facilitator, forum.room)
    spare = await clients.raw(srv)
    for _ in range(2):  # a refused websocket takes no slot
        extra = await clients.raw(srv)
        with pytest.raises(websockets.ConnectionClosed):
            await asyncio.wait_for(extra.recv(), TIMEOUT)
        assert extra.close_code == 4430
        assert extra.close_reason == "the server is full; retry later"
    assert (await fac.command("cluster.create", {"title": "still here"}))["type"] == "ack"
    await spare.close()
    back = await RoomClient.connect_retrying(srv.ws_url, forum.facilitator, forum.room,
                                             deadline_s=TIMEOUT, backoff_s=0.05)
    assert back.seq == fac.seq
    await back.close()


async def test_a_participant_caps_their_connections(start_server: ServerFactory,
                                                    clients: Clients) -> None:
    """A participant's third websocket is closed 4430 after hello; shared tokens have no cap."""
    srv = start_server(HACKROOMS_MAX_CONNECTIONS_PER_PERSON="2")
    forum = new_forum(srv, {"title": "A", "challenge": ""}, {"title": "B", "challenge": ""})
    ann, bob = forum.join("Ann"), forum.join("Bob")
    fac = await clients.connect(srv, forum.facilitator, forum.rooms[0])
    laptop = await clients.connect(srv, ann.token, forum.rooms[0])
    await clients.connect(srv, ann.token, forum.rooms[1])  # any room counts
    third = await clients.connect(srv, ann.token, forum.rooms[0], wait_synced=False)
    assert await third.wait_closed() == (4430, "too many connections for one person; close some")
    for room in (*forum.rooms, forum.rooms[0]):  # the facilitator's console: a team, many rooms
        await clients.connect(srv, forum.facilitator, room)
    await clients.connect(srv, bob.token, forum.rooms[0])
    await fac.expect(lambda m: m["type"] == "presence" and m["presence"]["remote"] == 2)

    await laptop.close()  # Ann leaves the presence once her slot is free again
    await fac.expect(lambda m: m["type"] == "presence" and m["presence"]["remote"] == 1)
    again = await clients.connect(srv, ann.token, forum.rooms[0])
    assert again.welcome["you"]["id"] == ann.id


# Several commands in flight -------------------------------------------------------------------

async def test_pipelined_commands_are_decided_and_answered_in_order(
        server: Server, clients: Clients) -> None:
    """A connection's commands sent without waiting are applied and answered in arrival order."""
    forum = new_forum(server)
    ann = await clients.connect(server, forum.join("Ann").token, forum.room)
    first = ann.seq + 1
    ops = [f"o{n}" for n in range(150)]
    for op in ops:
        await ann.send(_cmd(op, f"idea {op}"))
    await ann.send({"type": "cmd", "op": "bad", "name": "idea.add", "args": []})
    await ann.send(_cmd("o0", "a retry"))
    answers = await _answers(ann, [*ops, "bad", "o0"])
    assert [a["op"] for a in answers] == [*ops, "bad", "o0"]
    assert [a["seq"] for a in answers[:150]] == list(range(first, first + 150))
    assert (answers[150]["code"], answers[151]) == ("bad_message", answers[0])
    await ann.wait_seq(first + 149)
    assert [e["data"]["text"] for e in ann.events() if e["seq"] >= first] == [
        f"idea {op}" for op in ops]


async def test_commands_in_flight_still_land_when_the_client_leaves(
        server: Server, clients: Clients) -> None:
    """Commands unanswered at a disconnect are decided; resent after reconnecting, they are acks."""
    forum = new_forum(server)
    ann = forum.join("Ann")
    fac = await clients.connect(server, forum.facilitator, forum.room)
    before = fac.seq
    ws = await clients.raw(server)
    await ws.send(json.dumps({"type": "hello", "token": ann.token, "room": forum.room}))
    ops = [f"away-{n}" for n in range(D.max_in_flight)]
    for op in ops:
        await ws.send(json.dumps(_cmd(op, op)))
    await ws.close()
    last = before + 1 + len(ops)  # Ann's member.joined, then her ideas
    await fac.wait_seq(last)
    back = await clients.connect(server, ann.token, forum.room)
    seqs = [(await back.command("idea.add", {"text": "again"}, op=op))["seq"] for op in ops]
    assert seqs == list(range(before + 2, last + 1))
    assert back.seq == fac.seq == last


@pytest.mark.redis
async def test_a_ping_is_answered_while_a_command_waits(start_server: ServerFactory,
                                                        redis_server: RedisServer,
                                                        clients: Clients) -> None:
    """The next message is read while a command is being committed: a ping gets its pong."""
    srv = start_server(REDIS_URL=redis_server.url, HACKROOMS_REDIS_TIMEOUT_MS="20000",
                       HACKROOMS_SWEEP_MS="60000")
    forum = new_forum(srv)
    ann = await clients.connect(srv, forum.join("Ann").token, forum.room)
    assert redis_server.proc is not None
    os.kill(redis_server.proc.pid, signal.SIGSTOP)  # the command's append waits for Redis
    try:
        await ann.send(_cmd("stuck", "waits for Redis"))
        await ann.send({"type": "ping", "t": "meanwhile"})
        pong = await ann.expect(lambda m: m["type"] == "pong" or m.get("op") == "stuck")
        assert pong == {"type": "pong", "t": "meanwhile", "now": pong["now"]}
    finally:
        os.kill(redis_server.proc.pid, signal.SIGCONT)
    answer = await ann.expect(lambda m: m.get("op") == "stuck", 30.0)
    assert answer["type"] in ("ack", "error")
