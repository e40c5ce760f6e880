"""Soak: clients connecting, reconnecting and leaving, cycle after cycle, do not grow the server.

The first cycle lifts the server's resident memory to the allocator's high-water mark for that
many connections (freed memory is kept for reuse, not returned to the system), so growth is
measured from the level after the first cycle, not from the level before it. A connection that
stayed referenced after its client left (in a room, a set, a closure, a timer) holds 25 KiB or
more; a cycle opens CLIENTS * (RECONNECTS + 1) of them, so such a leak adds several MiB a cycle
and the later cycles end far above the bound (docs/architecture.md, "Memory per connection").
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from client import RoomClient
from client.room import Message
from tests.harness import Server
from tests.server.helpers import Forum, new_forum

CLIENTS = 50  # participants, each with one connection at a time
RECONNECTS = 4  # per cycle: each client closes and resumes this many times, then leaves
CYCLES = 4  # the first sets the level; the others must stay near it
GROWTH_MIB = 4.0  # allowed over the first cycle's level, by the end of the last
TIMEOUT = 30.0


def rss_mib(server: Server) -> float:
    """The server process's resident set (VmRSS), in MiB."""
    assert server.proc is not None
    for line in Path(f"/proc/{server.proc.pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS in /proc/<pid>/status")


def _online(message: Message) -> int:
    presence = message["presence"]
    return int(presence["onsite"]) + int(presence["remote"])


async def _everyone_left(server: Server, forum: Forum) -> None:
    """Wait until the room's presence counts nobody: the server has let every client go."""
    witness = await RoomClient.connect(server.ws_url, forum.facilitator, forum.room,
                                       timeout=TIMEOUT)
    try:
        await witness.expect(lambda m: m["type"] == "presence" and _online(m) == 0, TIMEOUT)
    finally:
        await witness.close()


async def _cycle(server: Server, forum: Forum, tokens: list[str]) -> None:
    """Every client connects, then closes and resumes RECONNECTS times, then leaves."""
    def connect(token: str, resume: tuple[str, int] | None = None) -> asyncio.Task[RoomClient]:
        return asyncio.ensure_future(RoomClient.connect(server.ws_url, token, forum.room,
                                                        resume=resume, timeout=TIMEOUT))

    clients = await asyncio.gather(*map(connect, tokens))
    for _ in range(RECONNECTS):
        resumes = [(c.epoch or "", c.seq) for c in clients]
        await asyncio.gather(*(c.close() for c in clients))
        clients = await asyncio.gather(*(connect(t, r) for t, r in zip(tokens, resumes,
                                                                         strict=True)))
    await asyncio.gather(*(c.close() for c in clients))
    await _everyone_left(server, forum)


async def test_connection_churn_does_not_grow_the_server(server: Server) -> None:
    """Cycles of clients connecting, reconnecting and leaving end where the first cycle ended."""
    forum = new_forum(server)
    tokens = [forum.join(f"Person {i}").token for i in range(CLIENTS)]
    levels = []
    for _ in range(CYCLES):
        await _cycle(server, forum, tokens)
        levels.append(rss_mib(server))
    growth = levels[-1] - levels[0]
    assert growth <= GROWTH_MIB, (
        f"RSS after each cycle (MiB): {[round(x, 1) for x in levels]}; it grew {growth:.1f} "
        f"MiB after the first, more than {GROWTH_MIB} MiB: something keeps what clients left")
