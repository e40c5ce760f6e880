"""Every client of a room sees the same board: the same events, in the same order."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from client import CommandRejected, RoomClient
from tests.harness import Server
from tests.server.helpers import Clients, Forum, event_at, events_after, new_forum, snapshot_of

DEFAULT_AGENDA_ROOM = {"title": "Room A", "challenge": "How do we warn people?"}


def _log(client: RoomClient, after: int) -> list[tuple[int, str, str, dict[str, Any]]]:
    return [(m["seq"], m["name"], m["actor"], m["data"]) for m in events_after(client, after)]


async def _room_of_three(server: Server, clients: Clients,
                         forum: Forum) -> tuple[RoomClient, RoomClient, RoomClient, int]:
    """A facilitator and two participants in sync; the seq from which all three see everything."""
    ann, bob = forum.join("Ann", "onsite"), forum.join("Bob", "remote")
    fac = await clients.connect(server, forum.facilitator, forum.room)
    a = await clients.connect(server, ann.token, forum.room)
    b = await clients.connect(server, bob.token, forum.room)
    start = b.welcome["seq"]  # Bob's member.joined: the last event before all three listen
    await fac.wait_seq(start)
    await a.wait_seq(start)
    return fac, a, b, start


async def test_facilitator_and_participants_see_the_same_board_in_order(
        module_server: Server, clients: Clients) -> None:
    """Ideas, comments, reactions, clusters, moves and phases reach all clients identically."""
    forum = new_forum(module_server, DEFAULT_AGENDA_ROOM)
    fac, a, b, start = await _room_of_three(module_server, clients, forum)

    await fac.command("phase.next")  # brief -> ideate
    # Three senders at once: the room puts them in one order, which everybody must see.
    acks = await asyncio.gather(*(c.command("idea.add", {"text": f"{who} idea {n}"})
                                  for n in range(3) for who, c in
                                  (("fac", fac), ("ann", a), ("bob", b))))
    ideas = [f"i{ack['seq']}" for ack in acks]
    await asyncio.gather(
        a.command("comment.add", {"idea": ideas[2], "text": "Which languages?"}),
        b.command("reaction.toggle", {"idea": ideas[1], "reaction": "+1"}),
        fac.command("reaction.toggle", {"idea": ideas[1], "reaction": "heart"}),
    )
    await fac.command("phase.set", {"phase": "cluster"})
    cluster = await fac.command("cluster.create", {"title": "Alerts"})
    await fac.command("idea.move", {"id": ideas[1], "cluster": f"k{cluster['seq']}"})
    await b.command("comment.add", {"idea": ideas[1], "text": "Sirens too"})
    await fac.command("cluster.rename", {"id": f"k{cluster['seq']}", "title": "Warnings"})
    last = (await fac.command("phase.back"))["seq"]

    for client in (fac, a, b):
        await client.wait_seq(last)
    seen = _log(fac, start)
    assert [s for s, *_ in seen] == list(range(start + 1, last + 1))  # no gap, no repeat
    assert _log(a, start) == seen
    assert _log(b, start) == seen
    names = [name for _, name, _, _ in seen]
    assert names.count("idea.added") == 9
    assert {"phase.changed", "comment.added", "reaction.toggled", "cluster.created",
            "idea.moved", "cluster.renamed"} <= set(names)
    assert sorted(ideas) == sorted(d["id"] for _, n, _, d in seen if n == "idea.added")


async def test_a_late_joiner_snapshot_matches_the_live_board(module_server: Server,
                                                             clients: Clients) -> None:
    """A client connecting afterwards gets a snapshot equal to the board built live."""
    forum = new_forum(module_server)
    fac, a, b, _ = await _room_of_three(module_server, clients, forum)
    first = await a.command("idea.add", {"text": "Cell broadcast"})
    second = await b.command("idea.add", {"text": "Door-to-door"})
    i1, i2 = f"i{first['seq']}", f"i{second['seq']}"
    comment = await b.command("comment.add", {"idea": i1, "text": "In all languages"})
    await a.command("reaction.toggle", {"idea": i2, "reaction": "idea"})
    cluster = await fac.command("cluster.create", {"title": "Channels"})
    last = (await fac.command("idea.move", {"id": i1, "cluster": f"k{cluster['seq']}"}))["seq"]
    await a.wait_seq(last)

    late = await clients.connect(module_server, forum.facilitator, forum.room)
    board = snapshot_of(late)["board"]
    assert late.seq == last
    assert board["clusters"] == [{"id": f"k{cluster['seq']}", "title": "Channels"}]
    by_id = {idea["id"]: idea for idea in board["ideas"]}
    assert list(by_id) == [i1, i2]
    added = await event_at(a, first["seq"])
    assert by_id[i1]["text"] == added["data"]["text"] == "Cell broadcast"
    assert by_id[i1]["created_at"] == added["at"]
    assert by_id[i1]["cluster"] == f"k{cluster['seq']}"
    assert [c["id"] for c in by_id[i1]["comments"]] == [f"c{comment['seq']}"]
    assert by_id[i2]["reactions"] == {"idea": [a.welcome["you"]["id"]]}


async def test_commands_pipelined_on_one_connection_are_handled_in_order(
        module_server: Server, clients: Clients) -> None:
    """Commands sent back to back on one connection are applied and acked in sending order."""
    forum = new_forum(module_server)
    ann = forum.join("Ann")
    a = await clients.connect(module_server, ann.token, forum.room)
    acks = await asyncio.gather(*(a.command("idea.add", {"text": f"idea {n}"})
                                  for n in range(10)))
    seqs = [ack["seq"] for ack in acks]
    assert seqs == list(range(seqs[0], seqs[0] + 10))
    texts = [(await event_at(a, seq))["data"]["text"] for seq in seqs]
    assert texts == [f"idea {n}" for n in range(10)]


async def test_an_observer_sees_the_board_as_participants_do(module_server: Server,
                                                            clients: Clients) -> None:
    """The projector receives the same board events as participants, in the same order."""
    forum = new_forum(module_server)
    fac, a, _, start = await _room_of_three(module_server, clients, forum)
    projector = await clients.connect(module_server, forum.observer, forum.room)
    assert projector.welcome["you"] == {"id": "projector", "role": "observer"}
    await a.command("idea.add", {"text": "Cell broadcast"})
    last = (await fac.command("cluster.create", {"title": "Alerts"}))["seq"]
    await projector.wait_seq(last)
    await a.wait_seq(last)
    assert _log(projector, start) == _log(a, start)


async def test_a_hidden_idea_is_seen_only_by_facilitators_and_its_author(
        module_server: Server, clients: Clients) -> None:
    """Hiding an idea redacts it for other participants and the projector, until it is shown."""
    forum = new_forum(module_server)
    ann, bob, fac, a, b, projector = await clients.room_of_four(module_server, forum)
    idea = f"i{(await a.command('idea.add', {'text': 'Off topic'}))['seq']}"
    await b.command("comment.add", {"idea": idea, "text": "Hmm"})

    hidden = await fac.command("idea.hide", {"id": idea, "hidden": True})
    full = {"id": idea, "author": ann.id, "hidden": True}
    assert (await event_at(fac, hidden["seq"]))["data"] == full
    assert (await event_at(a, hidden["seq"]))["data"] == full
    for other in (b, projector):
        assert (await event_at(other, hidden["seq"]))["data"] == {"id": idea, "hidden": True}

    # Its author may still comment on it; the others see that a seq went by, nothing more.
    comment = await a.command("comment.add", {"idea": idea, "text": "Secret follow-up"})
    assert (await event_at(fac, comment["seq"]))["data"]["text"] == "Secret follow-up"
    assert (await event_at(a, comment["seq"]))["data"]["text"] == "Secret follow-up"
    for other in (b, projector):
        assert (await event_at(other, comment["seq"]))["data"] == {"redacted": True}
    for name, args in (("comment.add", {"idea": idea, "text": "Where is it?"}),
                       ("reaction.toggle", {"idea": idea, "reaction": "+1"}),
                       ("vote.cast", {"idea": idea})):
        with pytest.raises(CommandRejected) as refused:
            await b.command(name, args)
        assert refused.value.code == "not_found", name
    for token, sees in ((bob.token, False), (forum.observer, False), (ann.token, True),
                        (forum.facilitator, True)):
        view = snapshot_of(await clients.connect(module_server, token, forum.room))
        assert (idea in [i["id"] for i in view["board"]["ideas"]]) is sees

    shown = await fac.command("idea.hide", {"id": idea, "hidden": False})
    back = (await event_at(b, shown["seq"]))["data"]
    assert back["hidden"] is False
    assert back["idea"]["text"] == "Off topic"  # the whole card, which Bob never had
    assert [c["text"] for c in back["idea"]["comments"]] == ["Hmm", "Secret follow-up"]
    assert (await event_at(projector, shown["seq"]))["data"] == back


async def test_commands_may_follow_the_hello_at_once(module_server: Server,
                                                    clients: Clients) -> None:
    """A client need not wait for welcome and synced: a command right after hello is handled."""
    forum = new_forum(module_server)
    a = await clients.connect(module_server, forum.join("Ann").token, forum.room,
                              wait_synced=False)
    ack = await a.command("idea.add", {"text": "Straight away"})
    assert [m["type"] for m in a.messages[:3]] == ["welcome", "snapshot", "synced"]
    assert (await event_at(a, ack["seq"]))["data"]["text"] == "Straight away"
