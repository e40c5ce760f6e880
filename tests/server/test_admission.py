"""Admission of new connections: idle ones hold no turn, slow ones lose theirs, all are served."""

from __future__ import annotations

import asyncio

from server.admission import OPENING_AT_ONCE, OPENING_GRACE_S
from tests.server.helpers import Clients, ServerFactory, new_forum, snapshot_of

HEALTH = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"


async def _get_health(port: int, timeout: float) -> bytes:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(HEALTH)
        return await asyncio.wait_for(reader.read(), timeout)
    finally:
        writer.close()


async def test_idle_connections_hold_no_turn(start_server: ServerFactory) -> None:
    """Many connections that send nothing (preconnects) do not delay anyone's request."""
    server = start_server()
    idle = [await asyncio.open_connection("127.0.0.1", server.port)
            for _ in range(OPENING_AT_ONCE * 4)]
    try:
        answer = await _get_health(server.port, timeout=5)
        assert answer.startswith(b"HTTP/1.1 200")
    finally:
        for _reader, writer in idle:
            writer.close()


async def test_half_sent_requests_lose_their_turn_after_the_grace(
        start_server: ServerFactory) -> None:
    """Clients that stop halfway through their request hold their turns for the grace only."""
    server = start_server()
    stuck = []
    for _ in range(OPENING_AT_ONCE):
        reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
        writer.write(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # no end of headers
        await writer.drain()
        stuck.append((reader, writer))
    try:
        # Every turn is held; the request is served once the grace has taken them back.
        answer = await _get_health(server.port, timeout=OPENING_GRACE_S + 10)
        assert answer.startswith(b"HTTP/1.1 200")
    finally:
        for _reader, writer in stuck:
            writer.close()


async def test_a_storm_of_hellos_is_opened_in_full(
        start_server: ServerFactory, clients: Clients) -> None:
    """Many times more websockets than may be opened at once all get synced, in the room."""
    server = start_server()
    forum = new_forum(server)
    people = [forum.join(f"Person {i}") for i in range(OPENING_AT_ONCE * 6)]
    opened = await asyncio.gather(*(clients.connect(server, p.token, forum.room)
                                    for p in people))
    assert all(c.seq is not None for c in opened)
    facilitator = await clients.connect(server, forum.facilitator, forum.room)
    members = {m["id"] for m in snapshot_of(facilitator)["members"]}
    assert members == {p.id for p in people}
