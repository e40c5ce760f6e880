"""Plenary at scale: a thousand people each upvote a question, or answer a poll, within 30 s.

Run alone with ``python -m bench.plenary`` (it rewrites its own section of docs/benchmarks.md;
``--people``, ``--seconds`` and ``--no-write`` for a quick look), or through ``make bench``.

The real server runs in its own process with its defaults; the load runs in this one. Every
participant has joined over HTTP and holds a websocket to the forum's hall, as the browser
does; the organizer's conductor and the projector are connected too. Each participant sends
exactly one command at a moment drawn uniformly in the window, and every frame every screen
receives is timed. For each command, the latency is from its sending to the moment the *last*
screen received the event that carries it (the first frame whose seq reaches the command's
ack). Every screen must see every seq, with no gap, and the tally must come out exact.

Baseline, in the same run: the same people, load and timing against a hackathon room as it is
today (each participant toggles the same reaction on one idea: a per-person toggle, as an
upvote is), with every participant's websocket in that room.
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import json
import random
import resource
import statistics
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import websockets
from websockets.asyncio.client import ClientConnection

from bench.results import write_section

ROOT = Path(__file__).resolve().parent.parent
SECTION = "## Plenary at scale"
OPEN = [{"id": "open", "label": "Open", "allows": ["ideas", "comments", "reactions", "votes"]}]
SEED = 8


@dataclass
class Screen:
    """One websocket: the frames it got (their last seq, and when), and the replies to its ops."""

    ws: ClientConnection
    seqs: list[int] = field(default_factory=list)
    times: list[float] = field(default_factory=list)
    gaps: int = 0
    acks: dict[str, int] = field(default_factory=dict)
    errors: list[dict[str, Any]] = field(default_factory=list)
    synced: asyncio.Event = field(default_factory=asyncio.Event)
    seq: int = 0

    def arrived(self, seq: int) -> float | None:
        """When this screen first held ``seq``."""
        i = bisect.bisect_left(self.seqs, seq)
        return self.times[i] if i < len(self.seqs) else None


async def _read(screen: Screen) -> None:
    async for text in screen.ws:
        now = time.monotonic()
        m = json.loads(text)
        kind = m.get("type")
        if kind == "event" or kind == "events":
            first = m["events"][0]["seq"] if kind == "events" else m["seq"]
            if first != screen.seq + 1 and screen.synced.is_set():
                screen.gaps += 1
            screen.seq = m["seq"]
            screen.seqs.append(screen.seq)
            screen.times.append(now)
        elif kind in ("welcome", "synced"):
            screen.seq = m["seq"]
            if kind == "synced":
                screen.synced.set()
        elif kind == "ack":
            screen.acks[m["op"]] = m["seq"]
        elif kind == "error":
            screen.errors.append(m)


async def _connect(url: str, token: str, log: str, readers: list[asyncio.Task[None]]) -> Screen:
    ws = await websockets.connect(url, max_size=None, compression=None, open_timeout=60)
    screen = Screen(ws)
    readers.append(asyncio.create_task(_read(screen)))
    await ws.send(json.dumps({"type": "hello", "token": token, "room": log}))
    await asyncio.wait_for(screen.synced.wait(), 60)
    return screen


async def _until(predicate: Any, timeout: float) -> None:
    """Wait (polling the screens' records, which the readers fill) until ``predicate()``."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError("the screens did not converge in time")
        await asyncio.sleep(0.05)  # a poll of in-process records, not a wait for the server


@dataclass
class Load:
    """What the people send, where, and how the result is checked."""

    name: str
    log: str  # the log every screen follows
    command: str
    args: dict[str, Any]


async def _run_load(url: str, load: Load, tokens: list[str], staff: list[str],
                    seconds: float) -> dict[str, Any]:
    readers: list[asyncio.Task[None]] = []
    start = time.monotonic()
    people = [await _connect(url, t, load.log, readers) for t in tokens]
    screens = people + [await _connect(url, t, load.log, readers) for t in staff]
    connect_s = time.monotonic() - start
    rng = random.Random(SEED)
    moments = sorted(rng.uniform(0, seconds) for _ in people)
    sent: list[tuple[Screen, str, float]] = []
    t0 = time.monotonic()
    for screen, moment in zip(rng.sample(people, len(people)), moments, strict=True):
        await asyncio.sleep(max(0.0, t0 + moment - time.monotonic()))
        op = uuid.uuid4().hex
        sent.append((screen, op, time.monotonic()))
        await screen.ws.send(json.dumps({"type": "cmd", "op": op, "name": load.command,
                                         "args": load.args}))
    await _until(lambda: all(op in s.acks or s.errors for s, op, _ in sent), 120)
    last = max(s.acks.get(op, 0) for s, op, _ in sent)
    await _until(lambda: all(s.seq >= last for s in screens), 120)
    latencies = []
    for screen, op, at in sent:
        seq = screen.acks.get(op)
        if seq is None:
            continue
        arrivals = [s.arrived(seq) for s in screens]
        latencies.append((max(a for a in arrivals if a is not None) - at) * 1000)
    out = {"connect_s": connect_s, "sent": len(sent), "acked": len(latencies),
           "errors": sum(len(s.errors) for s in screens), "gaps": sum(s.gaps for s in screens),
           "screens": len(screens), "frames": sum(len(s.seqs) for s in screens),
           "p50_ms": statistics.median(latencies), "p99_ms": _pct(latencies, 99),
           "max_ms": max(latencies), "last_seq": last}
    for s in screens:
        await s.ws.close()
    for task in readers:
        task.cancel()
    await asyncio.gather(*readers, return_exceptions=True)
    return out


def _state(client: Any) -> dict[str, Any]:
    """The state of the snapshot a client got when it connected."""
    return dict(next(m for m in client.messages if m["type"] == "snapshot")["state"])


def _pct(values: list[float], p: int) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def _cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / 100  # utime + stime, in clock ticks


async def measure(people: int = 1000, seconds: float = 30.0) -> dict[str, Any]:
    """The three loads on one server: upvotes and poll answers in the hall, reactions in a room."""
    sys.path.insert(0, str(ROOT))
    from tests.harness import Server

    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    results: dict[str, Any] = {"people": people, "seconds": seconds}
    with tempfile.TemporaryDirectory() as tmp:
        server = Server(Path(tmp) / "plenary.db", env={"HACKROOMS_LOG_LEVEL": "info"})
        server.start()
        try:
            api = server.api
            made = api.request("POST", "/api/forums", {
                "title": "Plenary bench", "topic": "Crisis communication", "sessions": [
                    {"kind": "plenary", "title": "Plenary"},
                    {"kind": "hackathon", "title": "Hack",
                     "rooms": [{"title": "Room", "phases": OPEN}]}]})
            hall, room, code = made["hall"]["id"], made["rooms"][0]["id"], made["join"]["code"]
            organizer, observer = made["organizer"]["token"], made["observer"]["token"]
            tokens = [api.join(code, f"P{i}", attendance="onsite" if i % 2 else "remote")
                      ["token"] for i in range(people)]
            question, poll, idea = await _prepare(server.ws_url, hall, room, organizer,
                                                  tokens[0])
            loads = [
                Load("upvote", hall, "question.upvote", {"id": question}),
                Load("poll", hall, "poll.answer", {"poll": poll, "answer": "o2"}),
                Load("baseline", room, "reaction.toggle", {"idea": idea, "reaction": "+1"}),
            ]
            assert server.proc is not None
            pid = server.proc.pid
            for load in loads:
                cpu = _cpu_s(pid)
                results[load.name] = await _run_load(server.ws_url, load, tokens,
                                                     [organizer, observer], seconds)
                results[load.name]["server_cpu_s"] = _cpu_s(pid) - cpu
                print(load.name, results[load.name], flush=True)
            results["tallies"] = await _tallies(server.ws_url, hall, room, organizer, question,
                                                poll, idea)
        finally:
            server.stop()
    return results


async def _prepare(url: str, hall: str, room: str, organizer: str,
                   asker: str) -> tuple[str, str, str]:
    """The plenary now, one question, one open poll, and an idea in the room."""
    from client import RoomClient

    async with await RoomClient.connect(url, organizer, hall) as org, \
            await RoomClient.connect(url, asker, hall) as ann:
        plenary = next(s["id"] for s in _state(org)["agenda"]["sessions"]
                       if s["kind"] == "plenary")
        await org.command("agenda.now", {"session": plenary})
        asked = await ann.command("question.ask", {"text": "How do we reach tourists?"})
        made = await org.command("poll.create", {
            "kind": "single", "question": "Which channel first?",
            "options": ["Sirens", "Cell broadcast", "Radio"]})
        poll = f"p{made['seq']}"
        await org.command("poll.open", {"id": poll})
    async with await RoomClient.connect(url, organizer, room) as fac:
        added = await fac.command("idea.add", {"text": "Cell broadcast in every language"})
    return f"q{asked['seq']}", poll, f"i{added['seq']}"


async def _tallies(url: str, hall: str, room: str, organizer: str, question: str, poll: str,
                   idea: str) -> dict[str, int]:
    """The final tallies, as a fresh conductor and console see them."""
    from client import RoomClient

    async with await RoomClient.connect(url, organizer, hall) as org:
        state = _state(org)
    async with await RoomClient.connect(url, organizer, room) as fac:
        board = _state(fac)["board"]
    upvotes = next(q["votes"] for q in state["questions"]["items"] if q["id"] == question)
    answers = next(p["answers"] for p in state["polls"]["list"] if p["id"] == poll)
    reactions = next(len(i["reactions"].get("+1", [])) for i in board["ideas"]
                     if i["id"] == idea)
    return {"upvotes": upvotes, "poll_answers": answers, "reactions": reactions}


def report(r: dict[str, Any]) -> str:
    """The Markdown section of docs/benchmarks.md."""
    rows = []
    names = {"upvote": "hall: every participant upvotes one question",
             "poll": "hall: every participant answers one open poll",
             "baseline": "baseline, a hackathon room today: every participant reacts to one idea"}
    for key in ("baseline", "upvote", "poll"):
        x = r[key]
        rows.append(f"| {names[key]} | {x['acked']} of {x['sent']} | {x['p50_ms']:.0f} | "
                    f"{x['p99_ms']:.0f} | {x['max_ms']:.0f} | {x['gaps']} | {x['frames']} | "
                    f"{x['server_cpu_s']:.1f} | {x['connect_s']:.1f} |")
    t = r["tallies"]
    exact = (t["upvotes"] == r["people"] and t["poll_answers"] == r["people"]
             and t["reactions"] == r["people"])
    return "\n".join([
        f"{SECTION}", "",
        f"`bench/plenary.py`. {r['people']} participants (who joined over HTTP before) hold a "
        "websocket to the forum's hall, with the organizer's conductor and the projector: "
        f"{r['people'] + 2} screens. Each participant sends one command at a moment drawn "
        f"uniformly within {r['seconds']:.0f} s; latency is from sending it to the moment the "
        "last of the screens received the event that carries it. Server in its own process "
        "(defaults, SQLite with fsync), load and screens in another, on the same 2 cores. "
        "Baseline, in the same run: the same people and timing in a hackathon room as it is "
        "today, each toggling the same reaction on one idea.", "",
        "| load | acked | p50, ms | p99, ms | max, ms | gaps | frames received | server CPU, s | "
        "connecting all, s |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        *rows, "",
        f"Tallies afterwards (a fresh conductor's snapshot): {t['upvotes']} upvotes, "
        f"{t['poll_answers']} poll answers, {t['reactions']} reactions, for {r['people']} "
        f"people: {'exact' if exact else '**not exact**'}. Every screen saw every seq "
        "(gaps counts frames that skipped one).", "",
        "Read with care: all the screens live in one Python process, which parses every frame "
        "of every screen (about a million in half a minute), so the latencies include its own "
        "delays, alike for the three loads. Frames and server CPU count the whole load, its "
        "connecting included: the first load into a log also commits each person's "
        "`member.joined`, sent to everyone there (hence the longer connecting; the poll's "
        "people were members of the hall already). With results live, each `poll.answered` "
        "carries the poll's results to every screen.", ""])



def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    result = asyncio.run(measure(args.people, args.seconds))
    section = report(result)
    print(section)
    if not args.no_write:
        write_section(SECTION, section)


if __name__ == "__main__":
    main()
