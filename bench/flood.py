"""Benchmark: one client floods a room; what do the other clients' acks cost meanwhile?

The real server in a subprocess, with its default limits. Ten participants each post an idea
every 100 ms and time the ack: first with nothing else going on (the baseline), then while
another participant of the same room, in a process of its own, flushes an outbox of 200, then
while a third one floods. The flood runs twice: against the default message budget, and
against a server with the budgets turned off (rate 0), as every server was before they existed.
Run alone with ``python -m bench.flood``; ``make bench`` runs it with the others.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OPEN = [{"id": "open", "label": "Open", "allows": ["ideas", "comments", "reactions", "votes"]}]
TARGET_MS = 50.0  # the others' ack p99 under a flood must stay below this
OUTBOX = 200  # a big offline outbox, sent at once on reconnecting: the default burst
# The black-box trial's 5,000 at once, then 100 times the budget's rate. Not "as fast as it
# can": on the server's own two cores that measures whose process gets the CPU.
FLOOD = (5000, 2000)


async def _flooder(url: str, token: str, room: str, seconds: float, burst: int,
                   rate: int) -> None:
    """Edit an idea ``burst`` times at once, then ``rate`` a second, for ``seconds``.

    It reads every reply meanwhile, and prints what it sent and what came back.
    """
    import websockets

    async with websockets.connect(url, max_size=None, compression=None) as ws:
        await ws.send(json.dumps({"type": "hello", "token": token, "room": room}))
        while '"synced"' not in str(await ws.recv()):
            pass
        # One idea of its own to edit: edits have no cap, so every accepted one is a commit.
        await ws.send(json.dumps({"type": "cmd", "op": "first", "name": "idea.add",
                                  "args": {"text": "flood"}}))
        while (reply := json.loads(await ws.recv())).get("op") != "first":
            pass
        idea = f"i{reply['seq']}"
        counts = {"sent": 0, "acks": 0, "rate_limited": 0}  # answers read while it ran

        async def read() -> None:
            with contextlib.suppress(websockets.ConnectionClosed):
                async for text in ws:
                    if '"type":"ack"' in str(text):
                        counts["acks"] += 1
                    elif '"rate_limited"' in str(text):
                        counts["rate_limited"] += 1

        reader = asyncio.create_task(read())
        print("flooding", flush=True)
        end = time.monotonic() + seconds
        closed = None
        async def send(n: int) -> None:
            for _ in range(n):
                op = uuid.uuid4().hex
                await ws.send(f'{{"type":"cmd","op":"{op}","name":"idea.edit",'
                              f'"args":{{"id":"{idea}","text":"flood {op}"}}}}')
                counts["sent"] += 1

        try:
            await send(burst)
            tick = time.monotonic()
            while rate and tick < end:  # a tenth of the rate every 100 ms: a steady flood
                await send(rate // 10)
                tick += 0.1
                await asyncio.sleep(max(0.0, tick - time.monotonic()))
            await asyncio.sleep(max(0.0, end - time.monotonic()))  # reading the answers
        except websockets.ConnectionClosed as failure:  # the server closed it: say so
            closed = str(failure)
        reader.cancel()
        print(json.dumps({**counts, "seconds": seconds, "closed": closed}), flush=True)


async def _paced(client: Any, seconds: float, offset: float,
                 period: float = 0.1) -> list[float]:
    """Post an idea every ``period`` seconds for ``seconds``; the ack times in seconds."""
    times: list[float] = []
    end = time.monotonic() + seconds
    tick = time.monotonic() + offset
    await asyncio.sleep(offset)  # people do not click in step: spread them over the period
    while tick < end:
        started = time.perf_counter()
        await client.command("idea.add", {"text": f"paced {len(times)}"})
        times.append(time.perf_counter() - started)
        tick += period
        await asyncio.sleep(max(0.0, tick - time.monotonic()))  # pacing, not waiting for state
    return times


async def _phase(people: list[Any], seconds: float) -> list[float]:
    runs = await asyncio.gather(*(_paced(c, seconds, 0.1 * i / len(people))
                                  for i, c in enumerate(people)))
    return [t for run in runs for t in run]


async def _burst(server: Any, token: str, room: str, people: list[Any], seconds: float,
                 burst: int, rate: int) -> tuple[list[float], dict[str, Any]]:
    """The paced clients' acks while a process of its own sends commands (see _flooder)."""
    flood = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bench.flood", "flooder", server.ws_url, token, room,
        str(seconds + 1.5), str(burst), str(rate), cwd=ROOT, stdout=asyncio.subprocess.PIPE)
    try:
        assert flood.stdout is not None
        assert (await flood.stdout.readline()).strip() == b"flooding"
        times = await _phase(people, seconds)
        return times, json.loads(await flood.stdout.readline())
    finally:
        if flood.returncode is None:
            flood.kill()
        await flood.wait()


async def _run(env: dict[str, str], clients: int, seconds: float,
               baseline: bool) -> dict[str, Any]:
    from client import RoomClient
    from tests.harness import Server

    with tempfile.TemporaryDirectory() as tmp:
        server = Server(Path(tmp) / "f.db", env=env)
        try:
            server.start()
            api = server.api
            made = api.create_forum("Bench", "", [{"title": "Room", "phases": OPEN}])
            room, code = made["rooms"][0]["id"], made["join"]["code"]
            people = [await RoomClient.connect(server.ws_url, api.join(code, f"P{i}")["token"],
                                               room) for i in range(clients)]
            await _phase(people, 1.0)  # warm-up
            out: dict[str, Any] = {}
            if baseline:
                out["baseline"] = await _phase(people, seconds)
                out["outbox"], out["outboxer"] = await _burst(
                    server, api.join(code, "Otto")["token"], room, people, seconds, OUTBOX, 0)
            out["flood"], out["flooder"] = await _burst(
                server, api.join(code, "Flo")["token"], room, people, seconds, *FLOOD)
            for c in people:
                await c.close()
        finally:
            server.stop()
    return out


async def bench_flood(clients: int = 10, seconds: float = 6.0) -> dict[str, Any]:
    """The others' acks without a flood, with one under the default budget, and with no budget."""
    sys.path.insert(0, str(ROOT))
    limited = await _run({}, clients, seconds, baseline=True)
    unlimited = await _run({"HACKROOMS_CONNECTION_RATE": "0", "HACKROOMS_PERSON_RATE": "0"},
                           clients, seconds, baseline=False)
    return {"clients": clients, "seconds": seconds,
            "baseline": _stats(limited["baseline"]), "outbox": _stats(limited["outbox"]),
            "outboxer": limited["outboxer"], "flood": _stats(limited["flood"]),
            "flooder": limited["flooder"], "unlimited": _stats(unlimited["flood"]),
            "unlimited_flooder": unlimited["flooder"]}


def _stats(times: list[float]) -> dict[str, float]:
    cuts = statistics.quantiles(times, n=100)
    return {"n": len(times), "p50_ms": cuts[49] * 1000, "p99_ms": cuts[98] * 1000,
            "max_ms": max(times) * 1000}


def _line(name: str, s: dict[str, float]) -> str:
    return f"| {name} | {s['n']:.0f} | {s['p50_ms']:.1f} | {s['p99_ms']:.1f} | {s['max_ms']:.1f} |"


def _closed(flooder: dict[str, Any], case: str) -> str:
    closed = flooder.get("closed")
    return f" The server closed the flooder's connection ({case}): {closed}." if closed else ""


def section(r: dict[str, Any]) -> str:
    """The benchmark's section of docs/benchmarks.md."""
    f, u = r["flooder"], r["unlimited_flooder"]
    verdict = "below" if r["flood"]["p99_ms"] < TARGET_MS else "above"
    return f"""
## Floods: the others' acks while one client floods

The real server in a subprocess with its default limits. {r['clients']} participants each post
an idea every 100 ms (spread over the 100 ms: people do not click in step) for
{r['seconds']:.0f} s and time each ack. Baseline: nothing else happens. Then another
participant, in a process of its own, sends {OUTBOX} edits of an idea at once and reads the
answers: an offline outbox flushed on reconnecting, which the budget lets through (its burst).
Then a third one floods: {FLOOD[0]} edits at once (no cap: every accepted one is a commit),
then {FLOOD[1]} a second, reading every reply. Last row: the same flood against a server with
the message budgets off (`HACKROOMS_CONNECTION_RATE=0`, `HACKROOMS_PERSON_RATE=0`), as every
server was before they existed. The machine (2 cores) was shared with other work while this
ran.

| the other participants' `idea.add` → `ack` | acks | p50 ms | p99 ms | max ms |
| --- | --- | --- | --- | --- |
{_line("baseline, nothing else", r["baseline"])}
{_line(f"an outbox of {OUTBOX} sent at once", r["outbox"])}
{_line("during a flood, default budget", r["flood"])}
{_line("during a flood, no budget", r["unlimited"])}

With the default budget the flooder sent {f['sent']} commands in {f['seconds']:.1f} s;
{f['acks']} were applied (the burst of 200, then 20 a second) and {f['rate_limited']} answered
`rate_limited` while it listened. With no budget, {u['acks']} of its
{u['sent']} were applied.{_closed(f, "default budget")}{_closed(u, "no budget")} The others'
p99 during the flood is {verdict} the {TARGET_MS:.0f} ms target.

What bounds it: a refused message costs a parse and a small reply, no commit; the connection's
commands wait for their answer at most `HACKROOMS_MAX_IN_FLIGHT` (8) at a time, so another
client's command has at most that many of them ahead of it in the room's queue; and the other
connections get a turn between two of its messages. What is left is the burst: the first 200
commands are accepted (an outbox must pass), and on the commit path measured here, one commit
per command, they keep the room's writer busy for a fraction of a second, as the same outbox
sent by an honest client does (second row).
"""


def main(argv: list[str]) -> None:
    if argv[:1] == ["flooder"]:
        url, token, room, seconds, burst, rate = argv[1:7]
        asyncio.run(_flooder(url, token, room, float(seconds), int(burst), int(rate)))
        return
    result = asyncio.run(bench_flood())
    print(json.dumps(result, indent=2))
    print(section(result))


if __name__ == "__main__":
    main(sys.argv[1:])
