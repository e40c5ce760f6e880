"""Acknowledged means durable: kill -9 right after the acks loses nothing."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from typing import Any

from client import RoomClient
from tests.harness import Server
from tests.server.helpers import (
    OPEN_PHASE,
    Clients,
    Forum,
    ServerFactory,
    boot,
    crash,
    crash_and_restart,
    new_forum,
    snapshot_of,
)

SNAPSHOT_EVERY = 7


async def _full_log(server: Server, clients: Clients, forum: Forum, epoch: str,
                    token: str | None = None) -> list[dict[str, Any]]:
    """Every event of the room, read back by a new connection (a facilitator's) from 0."""
    reader = await clients.connect(server, token or forum.facilitator, forum.room,
                                   resume=(epoch, 0))
    assert not any(m["type"] == "snapshot" for m in reader.messages)
    return reader.events()


Acked = tuple[dict[str, Any], str, dict[str, Any]]  # an ack, its event's name and data


async def _participant_burst(client: RoomClient, me: str) -> list[Acked]:
    """Ideas, comments and reactions as fast as acks come back, with the events they made."""
    async def send(name: str, args: dict[str, Any], event: str,
                   data: dict[str, Any]) -> Acked:
        return await client.command(name, args), event, data

    text = f"{me} idea 0"
    acks = [await send("idea.add", {"text": text}, "idea.added", {"author": me, "text": text})]
    first = f"i{acks[0][0]['seq']}"
    for n in range(1, 8):
        text, note = f"{me} idea {n}", f"{me} comment {n}"
        acks.append(await send("idea.add", {"text": text}, "idea.added",
                               {"author": me, "text": text}))
        acks.append(await send("comment.add", {"idea": first, "text": note}, "comment.added",
                               {"idea": first, "author": me, "text": note}))
        acks.append(await send("reaction.toggle", {"idea": first, "reaction": "+1"},
                               "reaction.toggled",
                               {"idea": first, "reaction": "+1", "by": me, "on": n % 2 == 1}))
    return acks


async def test_every_acknowledged_event_survives_kill_9(start_server: ServerFactory,
                                                        clients: Clients) -> None:
    """Concurrent acked commands, SIGKILL right after the last ack: all are in the log."""
    srv = start_server()
    forum = new_forum(srv, {"title": "Room A", "phases": OPEN_PHASE})
    people = [forum.join(name) for name in ("Ann", "Bob", "Cem", "Dan")]
    fac = await clients.connect(srv, forum.facilitator, forum.room)
    conns = [await clients.connect(srv, p.token, forum.room) for p in people]
    epoch = fac.welcome["epoch"]

    bursts = await asyncio.gather(*(_participant_burst(c, p.id)
                                    for c, p in zip(conns, people, strict=True)))
    crash(srv)  # at once: nothing gets a chance to flush
    seen_live = fac.events()
    seen_by_participants = [c.events() for c in conns]
    boot(srv)

    log = await _full_log(srv, clients, forum, epoch)
    assert [e["seq"] for e in log] == list(range(1, len(log) + 1))
    by_seq = {e["seq"]: e for e in log}
    for person, burst in zip(people, bursts, strict=True):
        for ack, name, data in burst:
            event = by_seq[ack["seq"]]
            assert (event["actor"], event["name"]) == (person.id, name)
            assert data.items() <= event["data"].items()
    acked = {ack["seq"] for burst in bursts for ack, _, _ in burst}
    assert len(acked) == sum(len(burst) for burst in bursts) == 4 * 22
    assert max(acked) == len(log)  # nothing beyond the acks was invented either
    # What every client saw live is exactly its stretch of the log, field for field, as its
    # audience sees it (participants get a member's name, not the profile).
    as_participant = await _full_log(srv, clients, forum, epoch, people[0].token)
    for seen, whole in ((seen_live, log), *((s, as_participant) for s in seen_by_participants)):
        assert seen == whole[seen[0]["seq"] - 1:seen[-1]["seq"]]

    fresh = await clients.connect(srv, forum.facilitator, forum.room)
    board = snapshot_of(fresh)["board"]
    texts = sorted(i["text"] for i in board["ideas"])
    assert texts == sorted(f"{p.id} idea {n}" for p in people for n in range(8))
    firsts = [i for i in board["ideas"] if i["text"].endswith(" idea 0")]
    assert all(len(i["comments"]) == 7 for i in firsts)
    assert all(i["reactions"] == {"+1": [i["author"]]} for i in firsts)  # toggled 7 times


async def _busy_session(fac: RoomClient, a: RoomClient, b: RoomClient) -> int:
    """A session touching every slice of the state; the seq of its last event."""
    ideas = [f"i{(await c.command('idea.add', {'text': t}))['seq']}"
             for c, t in ((a, "Sirens"), (b, "Cell broadcast"), (fac, "Radio"), (a, "SMS"))]
    await b.command("comment.add", {"idea": ideas[0], "text": "Loud enough?"})
    await a.command("reaction.toggle", {"idea": ideas[1], "reaction": "heart"})
    cluster = f"k{(await fac.command('cluster.create', {'title': 'Broadcast'}))['seq']}"
    await fac.command("idea.move", {"id": ideas[1], "cluster": cluster})
    await fac.command("idea.hide", {"id": ideas[3], "hidden": True})
    await fac.command("idea.edit", {"id": ideas[2], "text": "Radio and TV"})
    for voter, idea in ((a, ideas[1]), (a, ideas[1]), (b, ideas[0]), (b, ideas[2])):
        await voter.command("vote.cast", {"idea": idea})
    await fac.command("voting.configure", {"cap": 1})  # retracts one of Ann's two dots
    await fac.command("timer.start", {"seconds": 3600})
    await fac.command("timer.pause")
    await fac.command("room.update", {"challenge": "How do we warn everyone?"})
    await fac.command("phase.next")
    return int((await fac.command("cluster.rename", {"id": cluster, "title": "Channels"}))["seq"])


def _stored_snapshot_seqs(server: Server, room: str) -> list[int]:
    with contextlib.closing(sqlite3.connect(f"file:{server.database}?mode=ro", uri=True)) as db:
        rows = db.execute("SELECT seq FROM snapshots WHERE room_id = ?", (room,)).fetchall()
    return [int(seq) for (seq,) in rows]


async def test_state_after_a_crash_is_rebuilt_from_snapshot_and_log(
        start_server: ServerFactory, clients: Clients) -> None:
    """After more than HACKROOMS_SNAPSHOT_EVERY events and kill -9, every view is unchanged."""
    srv = start_server(HACKROOMS_SNAPSHOT_EVERY=str(SNAPSHOT_EVERY))
    wrap = {"id": "wrap", "label": "Wrap up", "allows": []}
    forum = new_forum(srv, {"title": "Room A", "phases": [*OPEN_PHASE, wrap],
                            "anonymous": False})
    ann, bob = forum.join("Ann", "onsite"), forum.join("Bob")
    fac = await clients.connect(srv, forum.facilitator, forum.room)
    a = await clients.connect(srv, ann.token, forum.room)
    b = await clients.connect(srv, bob.token, forum.room)
    last = await _busy_session(fac, a, b)
    assert last > 3 * SNAPSHOT_EVERY
    views = {}
    for name, token in (("fac", forum.facilitator), ("ann", ann.token), ("obs", forum.observer)):
        views[name] = snapshot_of(await clients.connect(srv, token, forum.room))
    log = await _full_log(srv, clients, forum, fac.epoch)
    # A snapshot was stored part-way: the restart loads it and replays only the tail.
    stored = _stored_snapshot_seqs(srv, forum.room)
    assert stored
    assert SNAPSHOT_EVERY <= stored[0] < last

    crash_and_restart(srv)

    for name, token in (("fac", forum.facilitator), ("ann", ann.token), ("obs", forum.observer)):
        assert snapshot_of(await clients.connect(srv, token, forum.room)) == views[name], name
    assert await _full_log(srv, clients, forum, fac.epoch) == log
    # The log goes on where it stopped.
    after = await clients.connect(srv, forum.facilitator, forum.room)
    assert (await after.command("timer.resume"))["seq"] == last + 1


async def test_a_running_timer_expires_after_a_crash(start_server: ServerFactory,
                                                     clients: Clients) -> None:
    """A timer running when the server is killed still expires, once it is back."""
    srv = start_server()
    forum = new_forum(srv)
    fac = await clients.connect(srv, forum.facilitator, forum.room)
    started = await fac.command("timer.start", {"seconds": 1})
    crash_and_restart(srv)
    back = await clients.connect(srv, forum.facilitator, forum.room,
                                 resume=(fac.epoch, started["seq"]))
    expired = await back.expect(lambda m: m.get("name") == "timer.expired", timeout=10)
    assert (expired["seq"], expired["actor"]) == (started["seq"] + 1, "system")


async def test_a_clean_shutdown_closes_connections_and_keeps_the_room(
        start_server: ServerFactory, clients: Clients) -> None:
    """SIGTERM closes every connection with 1012 (restarting); the room is intact after."""
    srv = start_server()
    forum = new_forum(srv)
    fac = await clients.connect(srv, forum.facilitator, forum.room)
    last = (await fac.command("idea.add", {"text": "Sirens"}))["seq"]
    before = snapshot_of(await clients.connect(srv, forum.facilitator, forum.room))
    srv.stop()
    code, _ = await fac.wait_closed()
    # uvicorn closes websockets with 1012 before the app's own 1001 (docs/protocol.md).
    assert code == 1012
    boot(srv)
    back = await clients.connect(srv, forum.facilitator, forum.room, resume=(fac.epoch, last))
    assert back.events() == []
    assert snapshot_of(await clients.connect(srv, forum.facilitator, forum.room)) == before
