"""Idle connections: the memory one server process holds per connected, idle participant.

Run alone with ``python -m bench.idle_connections`` (it rewrites its own section of
docs/benchmarks.md), or through ``make bench``. It is slow: joining 10,000 participants and
opening 30,000 websockets takes several minutes on two cores.

Measured in the same run, each server in its own process:

- the baseline, the Python floor of a websocket connection: a bare ``websockets`` server
  (``websockets.asyncio.server.serve``) whose handler reads one hello, answers it and waits,
  once without compression and once with the library's default permessage-deflate;
- hackrooms: the real server (``tests/harness.py``). 10,000 participants join through
  ``POST /api/join`` (forums of 10 rooms, 25 people a room), then each opens its own websocket,
  says hello to its room, is synced, and idles. The clients offer permessage-deflate, as
  browsers do; the report says whether the server accepted it.

The clients are spread over a few processes, each from its own source address in 127.0.0.0/8,
so that no process and no address runs short of sockets or ephemeral ports. Every phase waits
for what it needs (synced, a pong on every connection), never for a time.

Per connection: (RSS with the connections - RSS before them) / connections, RSS being VmRSS
from /proc/<pid>/status. "Before" is after the participants joined and the rooms were loaded.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import resource
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import websockets
from websockets.asyncio.client import ClientConnection
from websockets.asyncio.server import ServerConnection, serve

from bench.results import write_section

ROOT = Path(__file__).resolve().parent.parent
from bench.results import RESULTS  # noqa: E402

SECTION = "## Idle connections"
CONNECTIONS = 10_000
TARGET_KIB = 30.0  # issue 7: at most this much RSS per idle participant connection
CLIENT_PROCS = 4
ROOMS_PER_FORUM, PEOPLE_PER_ROOM = 10, 25
OPENING = 32  # handshakes under way at once, per client process
TIMEOUT_S = 600.0  # a phase that takes longer than this fails the benchmark
HELLO = {"type": "hello"}


def raise_nofile() -> None:
    """Ten thousand sockets in one process: lift the soft limit to the hard one (children too)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def open_fds(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/fd"))


async def fds_back_to(pid: int, count: int, timeout: float = TIMEOUT_S) -> None:
    """Wait until the server has closed its side of the connections: its fds are as before."""
    deadline = time.monotonic() + timeout
    while open_fds(pid) > count:
        if time.monotonic() > deadline:
            raise TimeoutError(f"process {pid} still has {open_fds(pid)} fds, not {count}")
        await asyncio.sleep(0.1)  # polling the kernel's table, with a deadline


def rss_kib(pid: int) -> int:
    """The resident set of a process, in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for process {pid}")


# The clients (their own processes) ---------------------------------------------------------

async def _open(url: str, source: str, deflate: bool) -> ClientConnection:
    return await websockets.connect(url, compression="deflate" if deflate else None,
                                    max_size=None, open_timeout=TIMEOUT_S,
                                    local_addr=(source, 0))


async def _open_room(url: str, source: str, deflate: bool, token: str, room: str) -> Any:
    """A RoomClient (the project's client) from ``source``, synced with its room."""
    from client import RoomClient

    client = RoomClient(await _open(url, source, deflate))
    await client.send({"type": "hello", "token": token, "room": room})
    await client.expect(lambda m: m["type"] == "welcome", TIMEOUT_S)
    await client.expect(lambda m: m["type"] == "synced", TIMEOUT_S)
    return client


async def _open_bare(url: str, source: str, deflate: bool) -> ClientConnection:
    ws = await _open(url, source, deflate)
    await ws.send(json.dumps(HELLO))
    await asyncio.wait_for(ws.recv(), TIMEOUT_S)
    return ws


async def _quiet(client: Any, n: int) -> None:
    """A pong after everything the server queued for this connection: it is idle now."""
    await client.send({"type": "ping", "t": n})
    await client.expect(lambda m: m["type"] == "pong" and m.get("t") == n, TIMEOUT_S)


async def clients_main(mode: str, url: str, source: str, deflate: bool) -> None:
    """A client process: the jobs come on stdin; 'ready', 'quiet' and 'closed' go to stdout."""
    loop = asyncio.get_running_loop()
    jobs: list[list[str]] = json.loads(await loop.run_in_executor(None, sys.stdin.readline))
    opening = asyncio.Semaphore(OPENING)

    async def one(job: list[str]) -> Any:
        async with opening:
            if mode == "bare":
                return await _open_bare(url, source, deflate)
            return await _open_room(url, source, deflate, job[0], job[1])

    held = await asyncio.gather(*map(one, jobs))
    ws = [c if mode == "bare" else c.ws for c in held]
    accepted = sum(1 for w in ws if any(e.name == "permessage-deflate"
                                        for e in w.protocol.extensions))
    print(f"ready {len(held)} {accepted}", flush=True)
    await loop.run_in_executor(None, sys.stdin.readline)
    if mode != "bare":
        await asyncio.gather(*(_quiet(c, n) for n, c in enumerate(held)))
    print("quiet", flush=True)
    await loop.run_in_executor(None, sys.stdin.readline)
    await asyncio.gather(*(c.close() for c in held))
    print("closed", flush=True)


class Clients:
    """A client process, driven through its stdin and stdout."""

    def __init__(self, mode: str, url: str, source: str, deflate: bool) -> None:
        self._argv = [sys.executable, "-m", "bench.idle_connections", "--clients", mode, url,
                      source] + ([] if deflate else ["--no-deflate"])
        self._proc: asyncio.subprocess.Process | None = None

    async def start(self, jobs: list[list[str]]) -> None:
        self._proc = await asyncio.create_subprocess_exec(
            *self._argv, cwd=ROOT, stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE)
        self._say(json.dumps(jobs))

    def _say(self, line: str) -> None:
        assert self._proc is not None
        assert self._proc.stdin is not None
        self._proc.stdin.write(line.encode() + b"\n")

    async def expect(self, word: str) -> list[str]:
        """Wait for the process to print ``word`` (and what follows it on the line)."""
        assert self._proc is not None
        assert self._proc.stdout is not None
        line = await asyncio.wait_for(self._proc.stdout.readline(), TIMEOUT_S)
        parts = line.decode().split()
        if not parts or parts[0] != word:
            raise RuntimeError(f"client process: expected {word!r}, got {line!r}")
        return parts[1:]

    async def step(self, answer: str) -> list[str]:
        self._say("go")
        return await self.expect(answer)

    async def stop(self) -> None:
        if self._proc is not None and self._proc.returncode is None:
            self._proc.kill()
            await self._proc.wait()


# One measurement ---------------------------------------------------------------------------

@dataclass
class Held:
    """What one server process held with the connections open."""

    connections: int
    before_kib: int
    held_kib: int
    left_kib: int  # after every connection closed
    deflate: int  # connections on which permessage-deflate was negotiated
    open_s: float  # from the first connect to all synced
    offered: bool  # whether the clients offered permessage-deflate

    @property
    def per_connection_kib(self) -> float:
        return (self.held_kib - self.before_kib) / self.connections


async def _hold(pid: int, mode: str, url: str, jobs: list[list[str]], deflate: bool,
                first_source: int) -> Held:
    """Open the connections from CLIENT_PROCS processes, wait until all are idle, read RSS."""
    before, fds = rss_kib(pid), open_fds(pid)
    procs = [Clients(mode, url, f"127.0.0.{first_source + k}", deflate)
             for k in range(CLIENT_PROCS)]
    start = time.perf_counter()
    try:
        for k, proc in enumerate(procs):
            await proc.start(jobs[k::CLIENT_PROCS])
        ready = [await proc.expect("ready") for proc in procs]
        opened = time.perf_counter() - start
        for proc in procs:
            await proc.step("quiet")
        held = rss_kib(pid)
        for proc in procs:
            await proc.step("closed")
        await fds_back_to(pid, fds)
        left = rss_kib(pid)
    finally:
        for proc in procs:
            await proc.stop()
    return Held(sum(int(r[0]) for r in ready), before, held, left,
                sum(int(r[1]) for r in ready), opened, deflate)


async def bare_server_main(port: int, deflate: bool) -> None:
    """The baseline server: read one hello, answer it, wait for the client to go."""
    async def handler(ws: ServerConnection) -> None:
        await ws.recv()
        await ws.send('{"type": "synced"}')
        await ws.wait_closed()

    # backlog as uvicorn's, so that neither server drops connects the other would queue.
    async with serve(handler, "127.0.0.1", port, compression="deflate" if deflate else None,
                     backlog=2048):
        print("listening", flush=True)
        await asyncio.Future()


async def measure_bare(connections: int, deflate: bool, first_source: int) -> Held:
    """The floor: a bare websockets server holding ``connections`` idle connections."""
    from tests.harness import Process, free_port

    port = free_port()
    server = Process([sys.executable, "-m", "bench.idle_connections", "--bare-server",
                      str(port)] + ([] if not deflate else ["--deflate"]))
    try:
        server.start()
        server.wait_for_line(lambda line: "listening" in line)
        assert server.proc is not None
        jobs = [[] for _ in range(connections)]
        return await _hold(server.proc.pid, "bare", f"ws://127.0.0.1:{port}/", jobs, deflate,
                           first_source)
    finally:
        server.stop()


def _forums(api: Any, connections: int) -> list[tuple[str, list[str]]]:
    """Enough forums of ROOMS_PER_FORUM rooms for ``connections`` people: (join code, rooms)."""
    per_forum = ROOMS_PER_FORUM * PEOPLE_PER_ROOM
    made = [api.create_forum(f"Forum {f}", "Idle", [{"title": f"Room {r}"}
                                                     for r in range(ROOMS_PER_FORUM)])
            for f in range(-(-connections // per_forum))]
    return [(m["join"]["code"], [r["id"] for r in m["rooms"]]) for m in made]


async def measure_hackrooms(connections: int, deflate: bool, first_source: int) -> Held:
    """The real server holding ``connections`` idle participants, each in their room."""
    from tests.harness import Server

    with tempfile.TemporaryDirectory() as tmp:
        # The flood caps (issue 7) are raised, and the hello deadline: this measures memory,
        # not how fast 10,000 clients can be let in at once.
        server = Server(Path(tmp) / "idle.db", env={"HACKROOMS_MAX_CONNECTIONS": "100000",
                                                   "HACKROOMS_HELLO_TIMEOUT": "600"})
        try:
            server.start()
            assert server.proc is not None
            api = server.api
            forums = _forums(api, connections)

            def join(i: int) -> list[str]:
                code, rooms = forums[i // (ROOMS_PER_FORUM * PEOPLE_PER_ROOM)]
                token = api.join(code, f"Person {i}")["token"]
                return [token, rooms[i // PEOPLE_PER_ROOM % ROOMS_PER_FORUM]]

            loop = asyncio.get_running_loop()
            with ThreadPoolExecutor(32) as pool:
                jobs = await asyncio.gather(*(loop.run_in_executor(pool, join, i)
                                              for i in range(connections)))
            return await _hold(server.proc.pid, "room", server.ws_url, list(jobs), deflate,
                               first_source)
        finally:
            server.stop()


async def measure(connections: int = CONNECTIONS,
                  hackrooms_deflate: bool = True) -> dict[str, Held]:
    """The two baselines and hackrooms (with and without deflate offered), one after another."""
    raise_nofile()
    out = {"bare": await measure_bare(connections, False, 2)}
    print("idle connections, bare websockets", out["bare"], flush=True)
    out["bare_deflate"] = await measure_bare(connections, True, 2 + CLIENT_PROCS)
    print("idle connections, bare websockets with deflate", out["bare_deflate"], flush=True)
    out["hackrooms"] = await measure_hackrooms(connections, hackrooms_deflate,
                                               2 + 2 * CLIENT_PROCS)
    print("idle connections, hackrooms", out["hackrooms"], flush=True)
    if hackrooms_deflate:  # and what it costs without deflate, whatever the server decides
        out["hackrooms_plain"] = await measure_hackrooms(connections, False,
                                                         2 + 3 * CLIENT_PROCS)
        print("idle connections, hackrooms, no deflate offered", out["hackrooms_plain"],
              flush=True)
    return out


def report(results: dict[str, Held]) -> str:
    """The section of docs/benchmarks.md."""
    bare, bare_z, ours = results["bare"], results["bare_deflate"], results["hackrooms"]
    verdict = "meets" if ours.per_connection_kib <= TARGET_KIB else "misses"
    negotiated = ("accepted it on every connection" if ours.deflate == ours.connections else
                  "declined it" if ours.deflate == 0 else
                  f"accepted it on {ours.deflate} of {ours.connections} connections")

    def row(name: str, h: Held) -> str:
        return (f"| {name} | {h.connections} | {h.before_kib / 1024:.1f} | "
                f"{h.held_kib / 1024:.1f} | {h.left_kib / 1024:.1f} | "
                f"{h.per_connection_kib:.1f} | {h.open_s:.0f} |")

    plain = (row("hackrooms, clients offering no deflate", results["hackrooms_plain"])
             if "hackrooms_plain" in results else "")
    without = (f" Without deflate: {results['hackrooms_plain'].per_connection_kib:.1f} KiB."
               if "hackrooms_plain" in results else "")
    offer = (f"the clients offered permessage-deflate as browsers do, and the server {negotiated}"
             if ours.offered else "the clients did not offer permessage-deflate")

    return f"""{SECTION}

{ours.connections} idle websocket connections held by one server process
(`bench/idle_connections.py`, run on {time.strftime('%Y-%m-%d')}, {platform.machine()},
{os.cpu_count()} cores shared with other work, Python {platform.python_version()}). Each
hackrooms connection is its own participant (joined through `POST /api/join`; forums of
{ROOMS_PER_FORUM} rooms of {PEOPLE_PER_ROOM} people), said `hello` to its room, was synced,
and then idles; {offer}. Baseline: a bare `websockets` server
(`websockets.asyncio.server.serve`) whose handler reads one hello and answers it, the Python
floor of a websocket connection. Per connection: (RSS held - RSS before) / connections.
Target: at most {TARGET_KIB:.0f} KiB. "All left": once every client has closed and the
server has closed every socket; both servers keep their high-water mark for reuse.

| | connections | RSS before MiB | held MiB | all left MiB | KiB per connection | s to open |
| --- | --- | --- | --- | --- | --- | --- |
{row("baseline, bare websockets, no compression", bare)}
{row("baseline, bare websockets, permessage-deflate", bare_z)}
{row("hackrooms", ours)}
{plain}

hackrooms {verdict} the target: {ours.per_connection_kib:.1f} KiB per idle participant
connection as browsers connect, {ours.per_connection_kib - bare.per_connection_kib:+.1f} KiB
over the bare floor without compression.{without}
What a connection costs, with and without deflate, and what stays after a storm, is in
docs/architecture.md ("Memory per connection").
"""



def main() -> None:
    parser = argparse.ArgumentParser(prog="bench.idle_connections", description=__doc__)
    parser.add_argument("--connections", type=int, default=CONNECTIONS)
    parser.add_argument("--no-deflate", action="store_true",
                        help="clients do not offer permessage-deflate")
    parser.add_argument("--clients", nargs=3, metavar=("MODE", "URL", "SOURCE"),
                        help=argparse.SUPPRESS)
    parser.add_argument("--bare-server", type=int, metavar="PORT", help=argparse.SUPPRESS)
    parser.add_argument("--deflate", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    if args.clients:
        asyncio.run(clients_main(*args.clients, deflate=not args.no_deflate))
    elif args.bare_server:
        asyncio.run(bare_server_main(args.bare_server, args.deflate))
    else:
        results = asyncio.run(measure(args.connections, not args.no_deflate))
        write_section(SECTION, report(results))
        print(f"wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
