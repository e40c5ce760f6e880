"""The room timer in absolute server time: every screen gets the same ends_at."""

from __future__ import annotations

import time

import pytest

from client import CommandRejected, RoomClient
from tests.harness import Server
from tests.server.helpers import Clients, event_at, new_forum, snapshot_of

MINUTE_MS = 60_000


async def _timer_event(clients: list[RoomClient], seq: int) -> dict[str, object]:
    """The event at ``seq``, checked to be the same for every client."""
    seen = [await event_at(c, seq) for c in clients]
    assert all(e == seen[0] for e in seen)
    return seen[0]


async def test_timer_commands_give_everyone_the_same_absolute_times(module_server: Server,
                                                                    clients: Clients) -> None:
    """start, pause, resume, adjust and stop carry server times that all clients share."""
    forum = new_forum(module_server)
    fac = await clients.connect(module_server, forum.facilitator, forum.room)
    a = await clients.connect(module_server, forum.join("Ann").token, forum.room)
    projector = await clients.connect(module_server, forum.observer, forum.room)
    everyone = [fac, a, projector]

    started = await _timer_event(everyone, (await fac.command("timer.start",
                                                              {"seconds": 60}))["seq"])
    assert started["name"] == "timer.started"
    assert started["data"] == {"duration_ms": MINUTE_MS, "ends_at": started["at"] + MINUTE_MS}

    paused = await _timer_event(everyone, (await fac.command("timer.pause"))["seq"])
    remaining = paused["data"]["remaining_ms"]
    assert remaining == started["data"]["ends_at"] - paused["at"]
    assert 0 < remaining <= MINUTE_MS

    adjusted = await _timer_event(everyone, (await fac.command("timer.adjust",
                                                               {"seconds": 30}))["seq"])
    assert adjusted["data"] == {"duration_ms": MINUTE_MS + 30_000, "ends_at": 0,
                                "remaining_ms": remaining + 30_000}

    resumed = await _timer_event(everyone, (await fac.command("timer.resume"))["seq"])
    ends_at = resumed["data"]["ends_at"]
    assert ends_at == resumed["at"] + remaining + 30_000

    shortened = await _timer_event(everyone, (await fac.command("timer.adjust",
                                                                {"seconds": -10}))["seq"])
    assert shortened["data"]["ends_at"] == ends_at - 10_000
    assert shortened["data"]["duration_ms"] == MINUTE_MS + 20_000

    late = await clients.connect(module_server, forum.join("Bob").token, forum.room)
    assert snapshot_of(late)["timer"] == {"status": "running", "duration_ms": MINUTE_MS + 20_000,
                                          "ends_at": ends_at - 10_000, "remaining_ms": 0}

    stopped = await _timer_event(everyone, (await fac.command("timer.stop"))["seq"])
    assert (stopped["name"], stopped["data"]) == ("timer.stopped", {})
    with pytest.raises(CommandRejected) as idle:
        await fac.command("timer.pause")
    assert idle.value.code == "invalid_state"


async def test_a_timer_expires_by_itself_as_a_system_event(module_server: Server,
                                                           clients: Clients) -> None:
    """A running timer's end is a timer.expired event from "system", sent to everyone."""
    forum = new_forum(module_server)
    fac = await clients.connect(module_server, forum.facilitator, forum.room)
    a = await clients.connect(module_server, forum.join("Ann").token, forum.room)
    started = await fac.command("timer.start", {"seconds": 1})
    ends_at = (await event_at(fac, started["seq"]))["data"]["ends_at"]
    expired = await a.expect(lambda m: m.get("name") == "timer.expired", timeout=5)
    assert (expired["seq"], expired["actor"], expired["data"]) == (started["seq"] + 1,
                                                                   "system", {})
    assert expired["at"] >= ends_at
    assert (await event_at(fac, expired["seq"])) == expired
    later = await clients.connect(module_server, forum.observer, forum.room)
    assert snapshot_of(later)["timer"]["status"] == "expired"


async def test_shortening_a_timer_past_zero_expires_it(module_server: Server,
                                                       clients: Clients) -> None:
    """An adjust that leaves no time expires the timer at once, by the facilitator's command."""
    forum = new_forum(module_server)
    fac = await clients.connect(module_server, forum.facilitator, forum.room)
    await fac.command("timer.start", {"seconds": 600})
    ack = await fac.command("timer.adjust", {"seconds": -601})
    event = await event_at(fac, ack["seq"])
    assert (event["name"], event["actor"]) == ("timer.expired", fac.welcome["you"]["id"])


async def test_ping_answers_the_server_clock(module_server: Server, clients: Clients) -> None:
    """ping gets a pong echoing t, with the server time now between send and receipt."""
    forum = new_forum(module_server)
    a = await clients.connect(module_server, forum.join("Ann").token, forum.room)
    for t in (12345, "any", None, {"nested": [1, 2]}):
        before = time.time_ns() // 1_000_000
        await a.send({"type": "ping", "t": t})
        pong = await a.expect(lambda m: m["type"] == "pong")
        after = time.time_ns() // 1_000_000
        assert pong["t"] == t
        assert before - 5 <= pong["now"] <= after + 5  # same machine, same clock
    await a.send({"type": "ping"})
    assert (await a.expect(lambda m: m["type"] == "pong"))["t"] is None
    assert abs(a.welcome["now"] - time.time_ns() // 1_000_000) < 60_000
