"""The two stores side by side in one run: group-commit throughput and a durable command's latency.

Both are the real adapters on this machine's disk: SQLite in WAL mode with ``synchronous=FULL``,
and a PostgreSQL server started in a temporary directory (``fsync`` and ``synchronous_commit``
on, its defaults) reached over a unix socket, as the tests start it (tests/postgres.py).

- Group commit: ``WRITERS`` tasks append one event each to a room of their own, each as soon as
  its previous append is acknowledged, as the rooms of a busy process do; events per second and
  events per transaction.
- A durable command: one room's host (server/room_host.py) with the store, one participant
  sending ``idea.add`` one at a time: the time from submitting the command to its ack, which
  includes the decision, the commit and the fan-out to one connection.
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from bench.results import write_section
from rooms.actors import SYSTEM, Actor, Role
from server.bus.memory import MemoryBus
from server.config import Settings
from server.room_host import RoomHost
from server.store import open_store
from server.store.base import RoomRecord, Store, StoredEvent

HEADING = "## The stores side by side: SQLite and PostgreSQL"
WRITERS = 64
APPENDS = 40  # per writer
COMMANDS = 400


async def _group_commit(store: Store) -> dict[str, float]:
    async def writer(room: str) -> None:
        for seq in range(1, APPENDS + 1):
            await store.append([StoredEvent(room, seq, seq, "idea.added", "p1",
                                            {"text": "x" * 150}, f"p1:{seq}")])

    before = store.commits
    start = time.perf_counter()
    await asyncio.gather(*(writer(f"r{i}") for i in range(WRITERS)))
    elapsed = time.perf_counter() - start
    events = WRITERS * APPENDS
    return {"events_per_s": events / elapsed, "per_commit": events / (store.commits - before)}


async def _durable_command(store: Store) -> dict[str, float]:
    host = RoomHost(RoomRecord("cmd", "f1", "e1", "Bench", 0), store, MemoryBus(), Settings())
    await host.load()
    await host.submit("room.create", {"title": "Bench"}, SYSTEM, None)
    await host.submit("phase.set", {"phase": "ideate"}, Actor("h", Role.FACILITATOR), None)
    person = Actor("p1", Role.PARTICIPANT)
    await host.submit("member.join", {"id": "p1", "name": "P", "organization": "",
                                      "sector": "municipality", "country": "SE",
                                      "attendance": "onsite"}, SYSTEM, None)
    took = []
    for n in range(COMMANDS):
        start = time.perf_counter()
        outcome = await host.submit("idea.add", {"text": f"idea {n}"}, person, f"op-{n}")
        took.append((time.perf_counter() - start) * 1000)
        assert outcome["type"] == "ack", outcome
    await host.close()
    cuts = statistics.quantiles(took, n=100)
    return {"p50_ms": statistics.median(took), "p99_ms": cuts[98]}


async def _measure(database: str) -> dict[str, float]:
    store = open_store(database)
    await store.open()
    try:
        return {**await _group_commit(store), **await _durable_command(store)}
    finally:
        await store.close()


async def measure() -> dict[str, dict[str, float]]:
    """Both stores, one after the other, on the same machine in the same run."""
    from tests.postgres import PostgresServer

    with tempfile.TemporaryDirectory() as tmp:
        sqlite = await _measure(str(Path(tmp) / "bench.db"))
    server = PostgresServer()
    server.start()
    try:
        postgres = await _measure(server.url())
    finally:
        server.stop()
    return {"sqlite": sqlite, "postgres": postgres}


def report(result: dict[str, dict[str, float]]) -> str:
    """This benchmark's section of docs/benchmarks.md."""
    s, p = result["sqlite"], result["postgres"]
    return f"""{HEADING}

Both real adapters on this machine's disk in one run (`python -m bench.store_compare`): SQLite
(WAL, `synchronous=FULL`) and a PostgreSQL server started in a temporary directory (`fsync` and
`synchronous_commit` on) over a unix socket. Group commit: {WRITERS} writers, each appending one
150-byte event to its own room as soon as the previous one is acknowledged ({WRITERS * APPENDS}
events). Durable command: one room's host, one participant sending {COMMANDS} `idea.add` one at
a time, from submit to ack (decide, commit, fan out). On several machines PostgreSQL adds the
network's round trip to every commit and read; these numbers are the floor of that.

| | SQLite | PostgreSQL | PostgreSQL / SQLite |
| --- | --- | --- | --- |
| group commit, events per second | {s['events_per_s']:,.0f} | {p['events_per_s']:,.0f} | {p['events_per_s'] / s['events_per_s']:.2f} |
| events per transaction | {s['per_commit']:.1f} | {p['per_commit']:.1f} | |
| durable command, p50 | {s['p50_ms']:.2f} ms | {p['p50_ms']:.2f} ms | {p['p50_ms'] / s['p50_ms']:.2f} |
| durable command, p99 | {s['p99_ms']:.2f} ms | {p['p99_ms']:.2f} ms | {p['p99_ms'] / s['p99_ms']:.2f} |
"""  # noqa: E501


if __name__ == "__main__":
    measured = asyncio.run(measure())
    print(measured)
    write_section(HEADING, report(measured))
