"""Many events on one platform: 2,000 rooms used over a "day", 20 of them live now.

One server process on Redis (the sweep has work only with a shared bus). A "day" passes: every
room is used once, by a participant who joins, connects, posts an idea and leaves; the idle
unload setting is 1 s, so the day's passing is simulated by waiting until the server has
unloaded what went idle. Then 20 participants stay connected, one in each of 20 rooms, and in a
steady window of WINDOW_S seconds we read the server's RSS (VmRSS) and its CPU time
(utime + stime from /proc/<pid>/stat), which is mostly the sweep's ticking.

Measured in the same run, on the same machine:
- **unloading off** (``HACKROOMS_IDLE_UNLOAD_S=0``, what a user got before): the same day, so
  every room stays loaded and (before this change) every one was ticked;
- **unloading on** (``HACKROOMS_IDLE_UNLOAD_S=1``);
- **only the 20**: a server that only ever loaded the 20 live rooms (the floor to compare to).

Run: ``python -m bench.many_rooms`` (``--rooms N`` for a quick run; only the default writes
docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import queue
import subprocess
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.results import ROOT, write_section
from client import CommandRejected, ConnectionClosed, RoomClient
from client.http import ApiError

SECTION = "## Many rooms over a day, 20 live: unloading idle rooms"
ROOMS = 2000
LIVE = 20
ROOMS_PER_FORUM = 10  # the API takes 1 to 12 rooms per forum
WINDOW_S = 10.0
# After the day (and its unloads) and before the window: the presence TTL (15 s by default),
# during which a room its last client left still counts as live, and 3 s for the last jobs.
SETTLE_S = 18.0
# The code before unloading (main just before it landed), run as the first baseline.
BASE = "38941eb"
# The code before unloaded rooms' memory was handed back (server/memory.py).
BEFORE_RELEASE = "778ff96"
PARALLEL = 16  # participants using their room at once during the day
OPEN = [{"id": "open", "label": "Open", "allows": ["ideas", "comments", "reactions", "votes"]}]


@dataclass(frozen=True)
class Measured:
    """One server's steady window with the live rooms connected."""

    name: str
    rooms_used: int
    unloads: int  # times the server logged a room or hall as unloaded
    failed: int  # visits of the day that the server refused (4503: Redis calls failed)
    rss_kib: int
    cpu_ms_per_s: float  # server CPU (user + system) per second of the window


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for process {pid}")


def cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _unloads(server: Any) -> int:
    return sum(1 for line in server.output if " unloaded after " in line)


async def _use(url: str, token: str, room: str, n: int) -> None:
    """A participant's visit: connect, post an idea, leave."""
    client = await RoomClient.connect(url, token, room)
    try:
        await client.command("idea.add", {"text": f"idea of the day {n}"})
    finally:
        await client.close()


def _tree_of(ref: str, into: Path) -> Path:
    """The server's source at a git ref (``BASE``: the code before this change), unpacked."""
    into.mkdir()
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref], check=True,
                             capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


async def run_day(rooms: int, idle_unload_s: int, name: str,
                  ref: str | None = None) -> Measured:
    from tests.harness import RedisServer, Server

    with tempfile.TemporaryDirectory() as tmp:
        redis = RedisServer(Path(tmp) / "redis")
        redis.start()
        server = Server(Path(tmp) / "day.db", env={
            "REDIS_URL": redis.url, "HACKROOMS_IDLE_UNLOAD_S": str(idle_unload_s),
            "HACKROOMS_CONNECTION_RATE": "0", "HACKROOMS_PERSON_RATE": "0",
            "HACKROOMS_REDIS_TIMEOUT_MS": "10000", "PYTHONDONTWRITEBYTECODE": "1"})
        if ref is not None:  # `python -m server` imports the package from its working folder
            server.cwd = _tree_of(ref, Path(tmp) / "before")
        live: list[RoomClient] = []
        try:
            server.start()
            assert server.proc is not None
            api, loop = server.api, asyncio.get_running_loop()
            forums = [_retrying(lambda f=f: api.create_forum(f"Forum {f}", "A day", [
                {"title": f"Room {r}", "phases": OPEN} for r in range(ROOMS_PER_FORUM)]))
                for f in range(-(-rooms // ROOMS_PER_FORUM))]
            targets = [(f["join"]["code"], r["id"]) for f in forums for r in f["rooms"]][:rooms]

            def join(i: int) -> str:
                return _join(api, targets[i][0], f"Person {i}")

            with ThreadPoolExecutor(8) as pool:
                tokens = await asyncio.gather(*(loop.run_in_executor(pool, join, i)
                                                for i in range(len(targets))))
            gate = asyncio.Semaphore(PARALLEL)

            async def visit(i: int) -> bool:
                async with gate:
                    try:
                        await _use(server.ws_url, tokens[i], targets[i][1], i)
                    except (ConnectionClosed, CommandRejected, OSError, TimeoutError):
                        return False
                    return True

            failed = [ok for ok in await asyncio.gather(*(visit(i) for i in range(len(targets))))
                      ].count(False)
            # The live ones: one participant in each of LIVE rooms, spread over the forums.
            for k in range(LIVE):
                i = k * len(targets) // LIVE
                token = _join(api, targets[i][0], f"Live {k}")
                live.append(await RoomClient.connect_retrying(server.ws_url, token,
                                                              targets[i][1]))
            if idle_unload_s > 0:  # the day passes: what went idle is unloaded
                idle = len(targets) + len(forums) - LIVE
                deadline = time.monotonic() + 600
                while _unloads(server) < idle:
                    if time.monotonic() > deadline:
                        raise RuntimeError(f"only {_unloads(server)} of {idle} unloaded")
                    await loop.run_in_executor(None, _next_line, server)
            await asyncio.sleep(SETTLE_S)  # a period: the last unloads' jobs are done
            pid = server.proc.pid
            before, started = cpu_s(pid), time.monotonic()
            await asyncio.sleep(WINDOW_S)  # the steady window, measured by the clock
            spent, elapsed = cpu_s(pid) - before, time.monotonic() - started
            return Measured(name, len(targets), _unloads(server), failed, rss_kib(pid),
                            spent * 1000 / elapsed)
        finally:
            for client in live:
                await client.close()
            server.stop()
            redis.stop()


def _retrying(call: Callable[[], Any]) -> Any:
    """An HTTP call, again with backoff on 503 (as the pages do); the before-baseline needs it."""
    for _ in range(50):
        try:
            return call()
        except ApiError as failure:
            if failure.status != 503:
                raise
        time.sleep(0.2)  # the client's backoff
    raise RuntimeError("the server kept answering 503")


def _join(api: Any, code: str, name: str) -> str:
    return str(_retrying(lambda: api.join(code, name))["token"])


def _next_line(server: Any) -> None:
    """Wait for the server's next output line, at most a second."""
    with contextlib.suppress(queue.Empty):
        server.lines.get(timeout=1.0)


async def measure(rooms: int = ROOMS) -> list[Measured]:
    from bench.join_storm import raise_nofile

    raise_nofile()  # redis-server inherits it: its maxclients follow the open-file limit
    out = []
    runs: list[tuple[int, str, int, str | None]] = [
        (0, f"before unloading (`{BASE}`: every loaded room ticked)", rooms, BASE),
        (0, "unloading off (`HACKROOMS_IDLE_UNLOAD_S=0`)", rooms, None),
        (1, f"unloading on, freed memory kept (`{BEFORE_RELEASE}`)", rooms, BEFORE_RELEASE),
        (1, "unloading on (`HACKROOMS_IDLE_UNLOAD_S=1`)", rooms, None),
        (1, f"only the {LIVE} live rooms ever used", LIVE, None)]
    for idle, name, used, ref in runs:
        result = await run_day(used, idle, name, ref)
        print("many rooms", result, flush=True)
        out.append(result)
    return out


def report(results: list[Measured]) -> str:
    floor = results[-1]
    rows = "\n".join(
        f"| {r.name} | {r.rooms_used:,} | {r.failed:,} | {r.unloads:,} "
        f"| {r.rss_kib / 1024:.1f} MiB "
        f"({r.rss_kib / floor.rss_kib:.2f}x) | {r.cpu_ms_per_s:.1f} ms/s "
        f"({r.cpu_ms_per_s / max(floor.cpu_ms_per_s, 0.1):.2f}x) |" for r in results)
    return f"""{SECTION}

One server process on Redis (`bench/many_rooms.py`). Over a "day" each room is used once: a
participant joins, connects, posts an idea and leaves; then {LIVE} participants stay connected,
one in each of {LIVE} rooms, and for {WINDOW_S:.0f} s we read the server's RSS and its CPU time
(user + system, per second of the window: with nobody typing, that is the sweep, which runs
every `HACKROOMS_SWEEP_MS` = 1000 ms, and the live rooms' presence). The idle unload setting is
1 s, so a day's idleness passes in seconds. Ratios are to a server that only ever used the
{LIVE} live rooms.

| server | rooms used | visits refused | unloads | RSS | CPU in the steady window |
| --- | --- | --- | --- | --- | --- |
{rows}

With unloading on, the sweep's cost is that of the live rooms, and memory no longer holds the
day: idle rooms (and their forums' halls) are unloaded, their timers kept by the store's due
index, and the sweep ticks only rooms in use (docs/architecture.md, "Unloading idle rooms and
the due index"). Unloaded rooms free their objects (a test checks it with `weakref`), but the C
allocator keeps the freed pages for later allocations, and CPython its arenas: a sweep that
follows unloads hands the allocator's free pages back to the system (`server/memory.py`, glibc's
`malloc_trim`), which the row "freed memory kept" (the code before it) does not do. What stays
above the floor is not objects: a day of 600 rooms run under `tracemalloc` (its own overhead
aside) held 29.5 MiB of Python allocations 15 s into the day and 30.1 MiB once the idle rooms
were unloaded, none of it from a room's state, presence or connections. The rest is
fragmentation: CPython's small-object arenas can be given back only when every object in them
is freed, and objects of the live rooms and the process itself stay scattered over arenas the
day filled. Measured on a 2-core machine.

With unloading off every room of the day stays in memory; the sweep ticks only rooms in use
there too (its rule does not depend on the setting), so the difference between the code before
unloading and unloading off is the sweep alone, and between unloading off and on the memory
and bus subscriptions of the idle rooms. "Unloads" counts more than the rooms: a room is
loaded when its hall makes it at the forum's creation and again at its visit, and halls too.
"Visits refused": the visit's hello or idea was answered `4503`/`unavailable` because a Redis
call failed. Before unloading, that was redis-py's "Too many connections" (its default pool
fails a process's 101st concurrent call, and the sweep then called Redis for every loaded room
at once); the bus's pool is now bounded with callers waiting for a connection
(`server/bus/redis.py`), which the first row, running the old code, does not have. Real clients
retry these; the bench counts them.
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rooms", type=int, default=ROOMS)
    args = parser.parse_args()
    results = asyncio.run(measure(args.rooms))
    text = report(results)
    if args.rooms == ROOMS:
        write_section(SECTION, text)
        print("wrote docs/benchmarks.md")
    else:
        print(text)


if __name__ == "__main__":
    main()
