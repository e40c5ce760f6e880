"""Reconnects lose nothing: a resuming client gets exactly the events it missed, or a snapshot."""

from __future__ import annotations

from typing import Any

from client import RoomClient
from server.room_host import REPLAY_FRAME
from tests.harness import Server
from tests.server.helpers import (
    OPEN_PHASE,
    Clients,
    Forum,
    ServerFactory,
    between,
    crash_and_restart,
    events_after,
    new_forum,
)

WINDOW = 5


def _catch_up(client: RoomClient) -> list[dict[str, Any]]:
    """What came between a resuming client's welcome and its synced."""
    return between(client, "welcome", "synced")[1:-1]


async def _ideas(client: RoomClient, count: int, prefix: str = "idea") -> int:
    last = 0
    for n in range(count):
        last = (await client.command("idea.add", {"text": f"{prefix} {n}"}))["seq"]
    return last


async def test_a_dropped_client_resumes_with_exactly_the_missed_events(
        module_server: Server, clients: Clients) -> None:
    """A client that dropped mid-vote gets the events it missed, in order, then synced."""
    forum = new_forum(module_server, {"title": "Room A", "phases": OPEN_PHASE})
    ann, bob, dan = forum.join("Ann"), forum.join("Bob"), forum.join("Dan")
    fac = await clients.connect(module_server, forum.facilitator, forum.room)
    a = await clients.connect(module_server, ann.token, forum.room)
    b = await clients.connect(module_server, bob.token, forum.room)
    d = await clients.connect(module_server, dan.token, forum.room)  # stays, never votes
    one = f"i{(await fac.command('idea.add', {'text': 'Sirens'}))['seq']}"
    two = f"i{(await fac.command('idea.add', {'text': 'Cell broadcast'}))['seq']}"
    left_at = (await a.command("vote.cast", {"idea": one}))["seq"]
    await a.wait_seq(left_at)
    await a.close()  # the Wi-Fi drops

    await b.command("vote.cast", {"idea": two})
    await b.command("vote.cast", {"idea": one})
    await fac.command("idea.add", {"text": "Door-to-door"})
    await b.command("vote.retract", {"idea": two})
    forum.join("Eve")  # joining the forum alone changes no room
    last = (await fac.command("voting.configure", {"budget": 4}))["seq"]
    await d.wait_seq(last)

    back = await clients.connect(module_server, ann.token, forum.room,
                                 resume=(a.epoch, left_at))
    missed = _catch_up(back)
    assert all(m["type"] == "event" for m in missed), "no snapshot on a replayable gap"
    assert [m["seq"] for m in missed] == list(range(left_at + 1, last + 1))
    # Shown as a participant sees them: Bob's votes stay hidden, exactly as Dan saw them live.
    assert missed == events_after(d, left_at)
    assert [m["data"] for m in missed if m["name"] == "vote.cast"] == [{"hidden": True}] * 2
    synced = back.messages[len(missed) + 1]
    assert (synced["type"], synced["seq"], synced["epoch"]) == ("synced", last, a.epoch)
    assert back.welcome["seq"] == last

    live = await b.command("vote.cast", {"idea": two})
    await back.wait_seq(live["seq"])
    assert [m["seq"] for m in events_after(back, last)] == [live["seq"]]


async def test_a_client_that_missed_nothing_gets_no_events(module_server: Server,
                                                           clients: Clients) -> None:
    """A resume at the current seq gets welcome and synced only; the client knows its seq."""
    forum = new_forum(module_server)
    fac = await clients.connect(module_server, forum.facilitator, forum.room)
    seq = (await fac.command("cluster.create", {"title": "Alerts"}))["seq"]
    await fac.wait_seq(seq)
    back = await clients.connect(module_server, forum.facilitator, forum.room,
                                 resume=(fac.epoch, seq))
    assert _catch_up(back) == []
    assert (back.epoch, back.seq) == (fac.epoch, seq)  # where to resume from next time


async def _resume_gets_snapshot(server: Server, clients: Clients, forum: Forum,
                                resume: tuple[str, int], seq: int) -> None:
    client = await clients.connect(server, forum.facilitator, forum.room, resume=resume)
    caught = _catch_up(client)
    assert [m["type"] for m in caught] == ["snapshot"]
    assert caught[0]["seq"] == caught[0]["state"]["seq"] == seq
    assert caught[0]["epoch"] == client.welcome["epoch"]
    assert [c["title"] for c in caught[0]["state"]["board"]["clusters"]] == ["Alerts"]


async def test_a_resume_with_another_epoch_gets_a_snapshot(module_server: Server,
                                                           clients: Clients) -> None:
    """A resume naming an epoch the room does not have is answered with a snapshot."""
    forum = new_forum(module_server)
    fac = await clients.connect(module_server, forum.facilitator, forum.room)
    seq = (await fac.command("cluster.create", {"title": "Alerts"}))["seq"]
    await _resume_gets_snapshot(module_server, clients, forum, ("e-another-log", 1), seq)
    other = new_forum(module_server)  # a real epoch, of another room
    other_fac = await clients.connect(module_server, other.facilitator, other.room)
    await _resume_gets_snapshot(module_server, clients, forum, (other_fac.epoch, 1), seq)


async def test_a_resume_from_the_future_gets_a_snapshot(module_server: Server,
                                                        clients: Clients) -> None:
    """A resume with a seq above the room's (a client ahead of the server) gets a snapshot."""
    forum = new_forum(module_server)
    fac = await clients.connect(module_server, forum.facilitator, forum.room)
    seq = (await fac.command("cluster.create", {"title": "Alerts"}))["seq"]
    await _resume_gets_snapshot(module_server, clients, forum, (fac.epoch, seq + 1), seq)
    await _resume_gets_snapshot(module_server, clients, forum, (fac.epoch, seq + 1000), seq)


async def test_a_gap_longer_than_the_resume_window_gets_a_snapshot(
        start_server: ServerFactory, clients: Clients) -> None:
    """Up to HACKROOMS_RESUME_WINDOW missed events are replayed; one more means a snapshot."""
    srv = start_server(HACKROOMS_RESUME_WINDOW=str(WINDOW))
    forum = new_forum(srv)
    fac = await clients.connect(srv, forum.facilitator, forum.room)
    await fac.command("cluster.create", {"title": "Alerts"})
    away = await clients.connect(srv, forum.observer, forum.room)
    left_at = away.seq
    await away.close()

    last = await _ideas(fac, WINDOW)  # exactly a window of missed events: replayed
    back = await clients.connect(srv, forum.observer, forum.room, resume=(away.epoch, left_at))
    assert [m["seq"] for m in _catch_up(back)] == list(range(left_at + 1, last + 1))
    await back.close()

    newest = await _ideas(fac, WINDOW + 1, "more")  # one event too many: a snapshot
    again = await clients.connect(srv, forum.observer, forum.room, resume=(back.epoch, last))
    caught = _catch_up(again)
    assert [m["type"] for m in caught] == ["snapshot"]
    assert caught[0]["seq"] == newest
    texts = [i["text"] for i in caught[0]["state"]["board"]["ideas"]]
    assert texts == [f"idea {n}" for n in range(WINDOW)] + [f"more {n}"
                                                            for n in range(WINDOW + 1)]


async def test_a_replay_longer_than_the_send_queue_is_a_snapshot(start_server: ServerFactory,
                                                                 clients: Clients) -> None:
    """A gap that fits the window but not the send queue gets a snapshot, not a 4429 loop."""
    queue = 4  # welcome, two frames of replayed events, synced
    # Hundreds of commands in a row: more than the message budget lets one client send.
    srv = start_server(HACKROOMS_SEND_QUEUE=str(queue), HACKROOMS_CONNECTION_RATE="0",
                       HACKROOMS_PERSON_RATE="0")
    forum = new_forum(srv)
    fac = await clients.connect(srv, forum.facilitator, forum.room)
    left_at = fac.seq
    fits = await _ideas(fac, 2 * REPLAY_FRAME)  # welcome + replay + synced fill the queue
    back = await clients.connect(srv, forum.observer, forum.room, resume=(fac.epoch, left_at))
    assert [m["seq"] for m in _catch_up(back)] == list(range(left_at + 1, fits + 1))

    newest = await _ideas(fac, 2 * REPLAY_FRAME + 1, "more")  # a third frame: too many
    again = await clients.connect(srv, forum.observer, forum.room, resume=(fac.epoch, fits))
    assert [m["type"] for m in _catch_up(again)] == ["snapshot"]
    live = await fac.command("idea.add", {"text": "live"})
    await again.wait_seq(live["seq"])  # still connected, and following the room
    assert [e["seq"] for e in again.events()] == [live["seq"]]
    assert newest == live["seq"] - 1


async def test_the_resume_window_survives_a_restart(start_server: ServerFactory,
                                                    clients: Clients) -> None:
    """After kill -9 and a restart, a gap within the window is still replayed, not a snapshot."""
    srv = start_server(HACKROOMS_RESUME_WINDOW=str(WINDOW))
    forum = new_forum(srv)
    fac = await clients.connect(srv, forum.facilitator, forum.room)
    away = await clients.connect(srv, forum.observer, forum.room)
    left_at = away.seq
    await away.close()
    last = await _ideas(fac, WINDOW)  # a whole window missed, all of it acknowledged
    await fac.close()
    crash_and_restart(srv)

    back = await clients.connect(srv, forum.observer, forum.room, resume=(away.epoch, left_at))
    missed = _catch_up(back)
    assert all(m["type"] == "event" for m in missed), "no snapshot for a gap within the window"
    assert [m["seq"] for m in missed] == list(range(left_at + 1, last + 1))
    assert [m["data"]["text"] for m in missed] == [f"idea {n}" for n in range(WINDOW)]
