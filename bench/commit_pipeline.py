"""One room's commit path: commands per second, pipelined batches against one at a time.

The room's host in this process with the real SQLite store (``synchronous=FULL``, an fsync per
commit) and the embedded bus, 50 participants each sending their commands as fast as their
acks come back, and a facilitator, a projector and one participant connected, so every
event is also projected and queued for three connections.

Baseline (same run, same code path): ``HACKROOMS_COMMIT_BATCH=1``, which decides and commits
one command at a time, one fsync each, as every room did before the writer pipelined.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from pathlib import Path
from typing import Any

from rooms.actors import SYSTEM, Actor, Role
from rooms.projection import Audience
from server.bus.memory import MemoryBus
from server.config import Settings
from server.connection import Connection
from server.room_host import RoomHost
from server.store.base import RoomRecord
from server.store.sqlite import SqliteStore

RESULTS = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"
SECTION = "## One room's commit path"
PEOPLE = 50
EDITS = 100  # per person


class _NullSocket:
    async def send_text(self, data: str) -> None:
        return None

    async def close(self, code: int = 1000, reason: str | None = None) -> None:
        return None


async def _run(batch: int) -> float:
    """Commands per second through one room with at most ``batch`` per commit."""
    with tempfile.TemporaryDirectory() as tmp:
        store = SqliteStore(str(Path(tmp) / "p.db"))
        await store.open()
        settings = Settings(commit_batch=batch, send_queue=10**9)
        host = RoomHost(RoomRecord("r1", "f1", "e1", "Bench", 0), store, MemoryBus(), settings)
        await host.load()
        await host.submit("room.create", {"title": "Bench"}, SYSTEM, None)
        await host.submit("phase.set", {"phase": "ideate"}, Actor("h", Role.FACILITATOR), None)
        people = [Actor(f"p{i}", Role.PARTICIPANT) for i in range(PEOPLE)]
        for p in people:
            await host.submit("member.join", {"id": p.id, "name": p.id, "organization": "",
                                              "sector": "municipality", "country": "SE",
                                              "attendance": "onsite"}, SYSTEM, None)
        ideas = [(await host.submit("idea.add", {"text": "first"}, p, f"{p.id}-0"))["seq"]
                 for p in people]
        for actor, audience in ((Actor("h", Role.FACILITATOR), Audience.FACILITATOR),
                                (Actor("projector", Role.OBSERVER), Audience.OBSERVER),
                                (people[0], Audience.PARTICIPANT)):
            conn = Connection(_NullSocket(), actor, audience, 10**9)
            conn.start()
            host.attach(conn, None, None)

        async def edits(person: Actor, idea: int) -> None:
            for n in range(EDITS):
                outcome = await host.submit("idea.edit", {"id": f"i{idea}", "text": f"v{n}"},
                                            person, f"{person.id}-{n + 1}")
                assert outcome["type"] == "ack", outcome

        start = time.perf_counter()
        await asyncio.gather(*(edits(p, i) for p, i in zip(people, ideas, strict=True)))
        elapsed = time.perf_counter() - start
        for conn in list(host.connections):
            host.detach(conn)
            await conn.stop()
        await host.close()
        await store.close()
    return PEOPLE * EDITS / elapsed


async def bench_commit_pipeline() -> dict[str, Any]:
    """Today's pipelined writer against one command per commit, in one run."""
    base = await _run(1)
    ours = await _run(Settings().commit_batch)
    return {"people": PEOPLE, "commands": PEOPLE * EDITS, "baseline_per_s": base,
            "ours_per_s": ours, "speedup": ours / base}


def report(result: dict[str, Any]) -> str:
    """The section of docs/benchmarks.md."""
    return f"""## One room's commit path: pipelined batches

One room in one process, the real SQLite store (`synchronous=FULL`), {result['people']}
participants each editing their idea as fast as their acks return ({result['commands']}
commands in all), with a facilitator, a projector and a participant connected. Baseline:
`HACKROOMS_COMMIT_BATCH=1`, one command decided and committed (one fsync) at a time, which is
how every room committed before its writer pipelined. Target: at least 5,000 commands/s.

| | commands per second |
| --- | --- |
| baseline, one command per commit | {result['baseline_per_s']:.0f} |
| hackrooms, decided in order and committed in batches | {result['ours_per_s']:.0f} |
| speed-up | {result['speedup']:.1f} times |
"""


def write_section(section: str, path: Path = RESULTS) -> None:
    """Replace this benchmark's section of the results file (and the note it answered)."""
    text = path.read_text()
    for title in (SECTION, "## What limits a single room"):
        at = text.find(title)
        if at >= 0:
            nxt = text.find("\n## ", at + len(title))
            text = text[:at] + (text[nxt + 1:] if nxt >= 0 else "")
    path.write_text(text.rstrip("\n") + "\n\n" + section)


if __name__ == "__main__":
    measured = asyncio.run(bench_commit_pipeline())
    print(measured)
    write_section(report(measured))
