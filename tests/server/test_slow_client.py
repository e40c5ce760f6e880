"""One slow client never slows a room: it is closed with 4429 and recovers by resuming."""

from __future__ import annotations

import asyncio
import json
import select
import time
from typing import Any

import pytest
import websockets
from websockets.asyncio.client import ClientConnection

from client import RoomClient
from server.transport import CLOSE_GRACE_S
from tests.harness import Server
from tests.server.helpers import (
    TIMEOUT,
    Clients,
    Forum,
    Person,
    ServerFactory,
    between,
    event_at,
    events_after,
    new_forum,
)

SEND_QUEUE = 20
# The longest texts a command takes, so that every event is kilobytes on the wire. The kernel
# may buffer megabytes for a connection that reads nothing (tcp_wmem), so it takes a thousand
# or more such events before the server's own queue for the stalled client fills.
CHALLENGE = "c" * 3990
IDEA = "i" * 990
MAX_ROUNDS = 5000  # far more than kernel and transport buffers hold: the test fails, not hangs
PROMPT_S = 2.0  # an ack slower than this would mean the room waits for the slow client
CUT_MARGIN_S = 2.0  # scheduling slack on top of the documented grace
# It takes thousands of commands to fill a stalled client's buffers, far above what a person
# may send (tests/server/test_limits.py pins that); the message budgets are off here.
UNLIMITED = {"HACKROOMS_CONNECTION_RATE": "0", "HACKROOMS_PERSON_RATE": "0"}


def _slow_close_logged(server: Server) -> bool:
    return any("messages behind: closing" in line for line in server.output)


async def _fill_until_closed(server: Server, fac: RoomClient, b: RoomClient) -> float:
    """Long events until the server closes the stalled client; the slowest ack meanwhile."""
    slowest, rounds = 0.0, 0
    while not _slow_close_logged(server):
        assert rounds < MAX_ROUNDS, "the stalled client was never closed"
        started = time.monotonic()
        if rounds % 4 == 3:  # Bob's ideas among the facilitator's long challenge updates
            await b.command("idea.add", {"text": f"{rounds} {IDEA}"})
        else:
            await fac.command("room.update", {"challenge": f"{rounds} {CHALLENGE}"})
        slowest = max(slowest, time.monotonic() - started)
        rounds += 1
    return slowest


def _sam_left(message: dict[str, Any]) -> bool:
    return message["type"] == "presence" and message["presence"]["remote"] == 1


async def _cut(ws: ClientConnection, timeout: float) -> int:
    """Wait, reading nothing, until the server ends the TCP connection; the poll events seen.

    POLLRDHUP is the server's FIN; POLLHUP and POLLERR (always reported) are its reset.
    """
    sock = ws.transport.get_extra_info("socket")
    poller = select.poll()
    poller.register(sock.fileno(), select.POLLRDHUP)
    seen = await asyncio.to_thread(poller.poll, int(timeout * 1000))
    return seen[0][1] if seen else 0


async def _read_all(ws: ClientConnection) -> list[dict[str, Any]]:
    """Everything the stalled client was sent, read at last, up to the server's close."""
    messages = []
    try:
        while True:
            messages.append(json.loads(await asyncio.wait_for(ws.recv(), TIMEOUT)))
    except websockets.ConnectionClosed:
        return messages


Stalled = tuple[Server, Forum, Person, RoomClient, RoomClient, ClientConnection]


async def _room_with_a_stalled_reader(start_server: ServerFactory, clients: Clients) -> Stalled:
    """A room with a facilitator, Bob reading, and Sam's socket that stopped reading."""
    srv = start_server(HACKROOMS_SEND_QUEUE=str(SEND_QUEUE), **UNLIMITED)
    forum = new_forum(srv)
    slow_person, bob = forum.join("Sam"), forum.join("Bob")
    fac = await clients.connect(srv, forum.facilitator, forum.room)
    b = await clients.connect(srv, bob.token, forum.room)
    stalled = await clients.stalled(srv, slow_person.token, forum.room)
    await fac.expect(lambda m: m["type"] == "presence" and m["presence"]["remote"] == 2)
    return srv, forum, slow_person, fac, b, stalled


@pytest.mark.parametrize("keeps_sending", [False, True], ids=["silent", "still-sending"])
async def test_a_client_that_stops_reading_is_closed_and_the_room_goes_on(
        start_server: ServerFactory, clients: Clients, keeps_sending: bool) -> None:
    """A stalled reader gets 4429 while the others' acks stay prompt; it then resumes."""
    srv, forum, slow_person, fac, b, stalled = await _room_with_a_stalled_reader(
        start_server, clients)

    first = b.seq + 1
    slowest = await _fill_until_closed(srv, fac, b)
    assert slowest < PROMPT_S, f"an ack took {slowest:.2f} s while a client lagged"
    # The room goes on after the close as before, gap-free for everybody else.
    last = (await b.command("idea.add", {"text": "after the close"}))["seq"]
    await fac.wait_seq(last)
    await b.wait_seq(last)
    assert [e["seq"] for e in events_after(b, first - 1)] == list(range(first, last + 1))

    if keeps_sending:  # a client on a bad link may still send while it cannot keep up
        await stalled.send(json.dumps({"type": "ping", "t": "are you there?"}))
        await stalled.send(json.dumps({"type": "cmd", "op": "late", "name": "idea.add",
                                       "args": {"text": "sent while behind"}}))
        await stalled.send(json.dumps({"type": "ping", "t": "and now?"}))
    got = await _read_all(stalled)
    assert stalled.close_code == 4429
    assert "resume" in (stalled.close_reason or "")
    seen = [m for m in got if m["type"] in ("snapshot", "event")]
    assert [m["type"] for m in got[:3]] == ["welcome", "snapshot", "synced"]
    last_seen = seen[-1]["seq"]
    assert last_seen < last
    assert [m["seq"] for m in seen[1:]] == list(range(seen[0]["seq"] + 1, last_seen + 1))

    # It comes back where it was cut off. It missed more events than a send queue may hold,
    # but a replay sends them in frames of many events, so they fit: exactly what it missed,
    # then live events.
    back = await clients.connect(srv, slow_person.token, forum.room,
                                 resume=(got[0]["epoch"], last_seen))
    caught = between(back, "welcome", "synced")[1:-1]
    assert last - last_seen > SEND_QUEUE
    assert [m["seq"] for m in caught] == list(range(last_seen + 1, last + 1))
    assert caught[-1]["data"]["text"] == "after the close"
    live = await fac.command("idea.add", {"text": "welcome back"})
    assert (await event_at(back, live["seq"]))["data"]["text"] == "welcome back"


async def test_a_client_that_never_reads_again_is_cut_and_leaves_the_presence(
        start_server: ServerFactory, clients: Clients) -> None:
    """A stalled reader leaves the presence at once and its TCP connection ends within the grace."""
    srv, _forum, slow_person, fac, b, stalled = await _room_with_a_stalled_reader(
        start_server, clients)
    start = len(fac.messages)
    await _fill_until_closed(srv, fac, b)
    decided = time.monotonic()  # the close was decided a moment before its line was seen

    acks: list[float] = []

    idea = f"i{(await b.command('idea.add', {'text': 'still busy'}))['seq']}"

    async def keep_posting() -> None:  # the room stays busy while the stalled client is cut
        while True:  # edits: a room holds at most 2000 ideas, and this runs for seconds
            started = time.monotonic()
            await b.command("idea.edit", {"id": idea, "text": f"still busy {len(acks)}"})
            acks.append(time.monotonic() - started)

    posting = asyncio.create_task(keep_posting())
    try:
        # It may have come before the last ack the facilitator waited for: look there first.
        seen = [m for m in fac.messages[start:] if _sam_left(m)]
        gone = seen[0] if seen else await fac.expect(_sam_left, PROMPT_S)
        assert slow_person.id in gone["presence"]["left"]  # the roster's change
        assert [p["name"] for p in fac.presence["members"]] == ["Bob"]
        events = await _cut(stalled, CLOSE_GRACE_S + CUT_MARGIN_S - (time.monotonic() - decided))
    finally:
        posting.cancel()
    assert events & (select.POLLHUP | select.POLLERR | select.POLLRDHUP), \
        f"the connection was still open {CLOSE_GRACE_S + CUT_MARGIN_S} s after its close"
    assert acks, "no ack came while the stalled client was being cut"
    assert max(acks) < PROMPT_S, f"an ack took {max(acks):.2f} s while a client was cut"
    last = (await b.command("idea.add", {"text": "after the cut"}))["seq"]
    await fac.wait_seq(last)


def _kernel_send_buffer_max() -> int:
    """The most the kernel may buffer for one TCP socket's writes (tcp_wmem's maximum)."""
    with open("/proc/sys/net/ipv4/tcp_wmem") as f:
        return int(f.read().split()[2])


async def test_a_reader_that_falls_behind_and_catches_up_gets_every_frame_in_order(
        start_server: ServerFactory, clients: Clients) -> None:
    """Frames written directly, then queued behind a full transport, then direct again: in order."""
    srv = start_server(HACKROOMS_SEND_QUEUE="100000", **UNLIMITED)
    forum = new_forum(srv)
    sam = forum.join("Sam")
    fac = await clients.connect(srv, forum.facilitator, forum.room)
    stalled = await clients.stalled(srv, sam.token, forum.room)
    await fac.expect(lambda m: m["type"] == "presence" and m["presence"]["remote"] == 1)
    # More than the kernel and the transport's high-water mark can hold for Sam: some of
    # these frames cannot have been written directly, and waited in Sam's queue.
    # (The client side holds little: a 4 KiB receive window and one read of its own.)
    rounds = (_kernel_send_buffer_max() + 512 * 1024) // len(CHALLENGE) + 100
    last = 0
    for n in range(rounds):
        last = (await fac.command("room.update", {"challenge": f"{n} {CHALLENGE}"}))["seq"]
    got: list[dict[str, Any]] = []
    while not any(m.get("seq") == last and m["type"] == "event" for m in got):
        got.append(json.loads(await asyncio.wait_for(stalled.recv(), TIMEOUT)))
    # Sam is back in step: the next event comes directly, after all the others.
    after = (await fac.command("idea.add", {"text": "caught up"}))["seq"]
    got.append(json.loads(await asyncio.wait_for(stalled.recv(), TIMEOUT)))
    assert not _slow_close_logged(srv)
    seen = [m for m in got if m["type"] in ("snapshot", "event")]
    assert [m["type"] for m in got[:3]] == ["welcome", "snapshot", "synced"]
    assert [m["seq"] for m in seen] == list(range(seen[0]["seq"], after + 1))
    assert sum(len(m["data"].get("challenge", "")) for m in seen[1:-1]) > rounds * 3990
    assert seen[-1]["data"]["text"] == "caught up"
