"""Benchmarks, each with its baseline measured in the same run; results go to docs/benchmarks.md.

Run with ``make bench``. Four questions:

1. Fan-out: what does encoding once per audience save against encoding once per connection?
2. Group commit: what does batching appends save against one transaction per append?
3. End to end: what does a durable command cost against a bare websocket round trip (ping) on
   the same server, over the same connections?
4. Join storm (``bench/join_storm.py``): 1,000 participants opening one room at once, against a
   bare ``websockets`` relay.
5. Floods (``bench/flood.py``): what do the other clients' acks cost while one client floods?
6. Idle connections (``bench/idle_connections.py``, several minutes): the memory one process
   holds per idle participant connection, against a bare ``websockets`` server.
7. Plenary at scale (``bench/plenary.py``): 1,000 participants each upvote a question or
   answer a poll within 30 s, against the same load on a hackathon room.
8. Networking rounds (``bench/matching.py``): a round for 1,000 people with five earlier
   rounds of history, against a random and a plain greedy pairing.
9. Fan-out near the floor (``bench/fanout.py``): CPU per delivered frame and latency of one
   room at 1,000 x 10 and x 40 ideas/s and 200 x 100/s, against a bare ``websockets.broadcast``
   relay and a Starlette ``send_text`` loop.
10. Many rooms (``bench/many_rooms.py``): 2,000 rooms used over a day, 20 live: the server's
   memory and sweep CPU with idle rooms unloaded, against unloading off, the code before
   unloading, and a server that only ever used the 20.
"""

from __future__ import annotations

import asyncio
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.flood import bench_flood
from bench.flood import section as flood_section
from rooms.actors import Actor, Role
from rooms.events import Event
from rooms.projection import Audience, event_view
from server.bus.memory import MemoryBus
from server.config import Settings
from server.connection import Connection
from server.protocol import encode
from server.room_host import RoomHost
from server.store.base import RoomRecord, StoredEvent
from server.store.sqlite import SqliteStore

from . import (
    commit_pipeline,
    fanout,
    idle_connections,
    join_storm,
    many_rooms,
    matching,
    plenary,
    store_compare,
)

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "docs" / "benchmarks.md"


class _NullSocket:
    async def send_text(self, data: str) -> None:
        return None

    async def close(self, code: int = 1000, reason: str | None = None) -> None:
        return None


def _best(fn: Callable[[], None], repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


async def bench_fanout(connections: int = 200, events: int = 200) -> dict[str, Any]:
    """Broadcast ``events`` idea events to a room of ``connections`` connections."""
    with tempfile.TemporaryDirectory() as tmp:
        store = SqliteStore(str(Path(tmp) / "b.db"))
        await store.open()
        settings = Settings(send_queue=10**9)
        host = RoomHost(RoomRecord("r1", "f1", "e1", "Bench", 0), store, MemoryBus(), settings)
        await host.load()
        await host.submit("room.create", {"title": "Bench"}, Actor("system", Role.SYSTEM), None)
        await host.submit("phase.next", {}, Actor("f", Role.FACILITATOR), None)
        conns = []
        for i in range(connections):
            role, audience = ((Role.FACILITATOR, Audience.FACILITATOR) if i < 3 else
                              (Role.OBSERVER, Audience.OBSERVER) if i < 5 else
                              (Role.PARTICIPANT, Audience.PARTICIPANT))
            conns.append(Connection(_NullSocket(), Actor(f"p{i}", role), audience, 10**9))
        host.connections.update(conns)
        text = "Cell broadcast alerts in every language spoken in the municipality " * 3
        batch = [Event(100 + n, 0, "idea.added", "p9", {"id": f"i{n}", "author": "p9",
                                                        "text": text}) for n in range(events)]

        def per_audience() -> None:
            for event in batch:
                host._fan_out([(event, host.state, None)])
            _drain(conns)

        def per_connection() -> None:  # the baseline: one encoding per connection
            for event in batch:
                for conn in conns:
                    conn.send(encode({"type": "event", "epoch": host.epoch, "seq": event.seq,
                                      "at": event.at, "name": event.name, "actor": event.actor,
                                      "data": event_view(host.state, event, conn.audience,
                                                         conn.member)}))
            _drain(conns)

        base = _best(per_connection)
        ours = _best(per_audience)
        await store.close()
    sends = connections * events
    return {"connections": connections, "events": events,
            "baseline_us_per_send": base / sends * 1e6, "ours_us_per_send": ours / sends * 1e6,
            "speedup": base / ours}


def _drain(conns: list[Connection]) -> None:
    for conn in conns:
        queue = conn._queue
        while not queue.empty():
            queue.get_nowait()


async def bench_group_commit(writers: int = 100, rounds: int = 20) -> dict[str, Any]:
    """``writers`` concurrent tasks append one event each, ``rounds`` times."""
    async def run(batch_max: int) -> float:
        with tempfile.TemporaryDirectory() as tmp:
            store = SqliteStore(str(Path(tmp) / "g.db"), batch_max=batch_max)
            await store.open()
            start = time.perf_counter()
            for r in range(rounds):
                await asyncio.gather(*(store.append([StoredEvent(
                    f"room{w}", r + 1, 0, "idea.added", "p", {"text": "x" * 80})])
                    for w in range(writers)))
            elapsed = time.perf_counter() - start
            await store.close()
            return elapsed
    total = writers * rounds
    base = await run(1)
    ours = await run(512)
    return {"appends": total, "baseline_per_s": total / base, "ours_per_s": total / ours,
            "speedup": base / ours}


async def bench_end_to_end(clients: int = 20, commands: int = 50) -> dict[str, Any]:
    """``clients`` participants each post ``commands`` ideas; ping round trips as baseline."""
    sys.path.insert(0, str(ROOT))
    from client import RoomClient
    from tests.harness import Server

    with tempfile.TemporaryDirectory() as tmp:
        server = Server(Path(tmp) / "e.db")
        try:
            server.start()
            api = server.api
            made = api.create_forum("Bench", "", [{"title": "Room"}])
            room = made["rooms"][0]["id"]
            fac = await RoomClient.connect(server.ws_url, made["facilitator"]["token"], room)
            await fac.command("phase.next")
            tokens = [api.join(made["join"]["code"], f"P{i}")["token"] for i in range(clients)]
            people = [await RoomClient.connect(server.ws_url, t, room) for t in tokens]

            async def pings(c: RoomClient) -> list[float]:
                out = []
                for n in range(commands):
                    start = time.perf_counter()
                    await c.send({"type": "ping", "t": n})
                    await c.expect(lambda m, n=n: m["type"] == "pong" and m["t"] == n)
                    out.append(time.perf_counter() - start)
                return out

            async def comments(c: RoomClient) -> list[float]:
                out = []
                for n in range(commands):
                    start = time.perf_counter()
                    await c.command("idea.add", {"text": f"idea number {n}"})
                    out.append(time.perf_counter() - start)
                return out

            start = time.perf_counter()
            ping_times = [t for ts in await asyncio.gather(*map(pings, people)) for t in ts]
            ping_wall = time.perf_counter() - start
            start = time.perf_counter()
            cmd_times = [t for ts in await asyncio.gather(*map(comments, people)) for t in ts]
            cmd_wall = time.perf_counter() - start
            for c in [fac, *people]:
                await c.close()
        finally:
            server.stop()
    n = clients * commands
    return {"clients": clients, "per_client": commands,
            "ping_p50_ms": _pct(ping_times, 50), "ping_p99_ms": _pct(ping_times, 99),
            "ping_per_s": n / ping_wall,
            "cmd_p50_ms": _pct(cmd_times, 50), "cmd_p99_ms": _pct(cmd_times, 99),
            "cmd_per_s": n / cmd_wall}


def _pct(values: list[float], p: int) -> float:
    return statistics.quantiles(values, n=100)[p - 1] * 1000 if p < 100 else max(values) * 1000


def _row(e2e: dict[str, Any], kind: str) -> str:
    return f"{e2e[kind + '_p50_ms']:.2f} | {e2e[kind + '_p99_ms']:.2f} | {e2e[kind + '_per_s']:.0f}"


def _report(fan: dict[str, Any], gc: dict[str, Any], e2e: dict[str, Any]) -> str:
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    return f"""# Benchmarks

Measured by `make bench` (`bench/run.py`) on {time.strftime('%Y-%m-%d')}, {machine}.
Every number has its baseline measured in the same run, on the same machine.

## Fan-out: encode once per audience

A room of {fan['connections']} connections (3 facilitators, 2 observers, the rest participants)
receives {fan['events']} idea events. Baseline: one JSON encoding per connection.

| | µs per message delivered to a queue |
| --- | --- |
| baseline, encode per connection | {fan['baseline_us_per_send']:.2f} |
| hackrooms, encode per audience | {fan['ours_us_per_send']:.2f} |
| speed-up | {fan['speedup']:.1f} times |

## Group commit in the SQLite store

{gc['appends']} appends of one event each, 100 at a time concurrently, `synchronous=FULL`.
Baseline: the same store with batches of one (one transaction and fsync per append).

| | appends per second |
| --- | --- |
| baseline, one transaction per append | {gc['baseline_per_s']:.0f} |
| hackrooms, group commit | {gc['ours_per_s']:.0f} |
| speed-up | {gc['speedup']:.1f} times |

## End to end: a durable command against a bare round trip

The real server in a subprocess; {e2e['clients']} participants on their own websockets each send
{e2e['per_client']} messages one after another. Baseline: `ping` → `pong` (no room, no store) on
the same connections. Measured: `idea.add` → `ack`, which includes deciding, committing to
SQLite with fsync, fanning the event out to all {e2e['clients'] + 1} connections, and the ack.

| | p50 ms | p99 ms | messages per second (all clients) |
| --- | --- | --- | --- |
| baseline, ping round trip | {_row(e2e, "ping")} |
| durable command round trip | {_row(e2e, "cmd")} |

A hackathon room of a forum sees a few commands per second at its busiest (a vote phase with a
hundred people); the numbers above leave a wide margin on one process.
"""


async def main() -> None:
    pipeline = await commit_pipeline.bench_commit_pipeline()
    print("commit pipeline", pipeline, flush=True)
    fan = await bench_fanout()
    print("fan-out", fan, flush=True)
    gc = await bench_group_commit()
    print("group commit", gc, flush=True)
    e2e = await bench_end_to_end()
    print("end to end", e2e, flush=True)
    flood = await bench_flood()
    print("flood", flood, flush=True)
    storm, storm_base = await join_storm.measure()
    assert storm_base is not None
    near_floor = await fanout.measure(fanout.LOADS, fanout.WARM_S, fanout.WINDOW_S)
    idle = await idle_connections.measure()
    crowd = await plenary.measure()
    stores = await store_compare.measure()
    print("stores", stores, flush=True)
    day = await many_rooms.measure()
    sections = [_report(fan, gc, e2e) + flood_section(flood), commit_pipeline.report(pipeline),
                join_storm.report(storm, storm_base),
                fanout.report(near_floor, fanout.WARM_S, fanout.WINDOW_S),
                idle_connections.report(idle),
                plenary.report(crowd), matching.report(matching.measure()),
                store_compare.report(stores), many_rooms.report(day)]
    RESULTS.write_text("\n".join(sections))
    print(f"wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    asyncio.run(main())
