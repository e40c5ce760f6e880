"""Retries are safe: a command retried with its op id is applied once and answered the same."""

from __future__ import annotations

import json

import pytest

from client import CommandRejected, RoomClient
from tests.harness import Server
from tests.server.helpers import (
    Clients,
    ServerFactory,
    crash_and_restart,
    events_after,
    named,
    new_forum,
    snapshot_of,
)

DEFAULT_AGENDA_ROOM = {"title": "Room A", "challenge": "How do we warn people?"}


def _texts(client: RoomClient) -> list[str]:
    return [idea["text"] for idea in snapshot_of(client)["board"]["ideas"]]


async def test_a_retry_on_the_same_connection_is_applied_once(module_server: Server,
                                                              clients: Clients) -> None:
    """The same op sent twice gets the same ack twice, and only one event is committed."""
    forum = new_forum(module_server)
    ann = forum.join("Ann")
    a = await clients.connect(module_server, ann.token, forum.room)
    first = await a.command("idea.add", {"text": "Sirens"}, op="op-1")
    again = await a.command("idea.add", {"text": "Sirens"}, op="op-1")
    # Even with other arguments, a retried op answers its first outcome and changes nothing.
    other = await a.command("idea.add", {"text": "Something else"}, op="op-1")
    assert first == again == other == {"type": "ack", "op": "op-1", "seq": first["seq"]}
    after = await a.command("idea.add", {"text": "Door-to-door"}, op="op-2")
    assert after["seq"] == first["seq"] + 1  # the retries took no seq
    await a.wait_seq(after["seq"])
    assert [m["data"]["text"] for m in named(a, "idea.added")] == ["Sirens", "Door-to-door"]


async def test_a_retry_on_a_new_connection_gets_the_first_ack(module_server: Server,
                                                              clients: Clients) -> None:
    """After a reconnect, the same op from the same person answers the original ack."""
    forum = new_forum(module_server)
    ann = forum.join("Ann")
    a = await clients.connect(module_server, ann.token, forum.room)
    first = await a.command("idea.add", {"text": "Sirens"}, op="op-reconnect")
    await a.close()
    again = await clients.connect(module_server, ann.token, forum.room,
                                  resume=(a.epoch, a.seq))
    assert await again.command("idea.add", {"text": "Sirens"}, op="op-reconnect") == first
    fresh = await clients.connect(module_server, forum.facilitator, forum.room)
    assert _texts(fresh) == ["Sirens"]
    assert fresh.seq == first["seq"]


async def test_a_command_cut_off_before_its_ack_is_applied_once(module_server: Server,
                                                                clients: Clients) -> None:
    """A command whose connection dropped before the ack, resent on a new one, lands once."""
    forum = new_forum(module_server)
    ann = forum.join("Ann")
    a = await clients.connect(module_server, ann.token, forum.room)
    await a.send({"type": "cmd", "op": "op-cut", "name": "idea.add", "args": {"text": "Sirens"}})
    await a.close()  # without reading the answer
    again = await clients.connect(module_server, ann.token, forum.room)
    ack = await again.command("idea.add", {"text": "Sirens"}, op="op-cut")
    fresh = await clients.connect(module_server, forum.facilitator, forum.room)
    assert _texts(fresh) == ["Sirens"]
    assert fresh.seq == ack["seq"]


async def test_op_ids_are_per_sender(module_server: Server, clients: Clients) -> None:
    """Two people who happen to pick the same op id each get their own command applied."""
    forum = new_forum(module_server)
    a = await clients.connect(module_server, forum.join("Ann").token, forum.room)
    b = await clients.connect(module_server, forum.join("Bob").token, forum.room)
    ack_a = await a.command("idea.add", {"text": "Ann's"}, op="same")
    ack_b = await b.command("idea.add", {"text": "Bob's"}, op="same")
    assert ack_b["seq"] == ack_a["seq"] + 1
    await b.wait_seq(ack_b["seq"])
    assert [m["data"]["text"] for m in named(b, "idea.added")] == ["Ann's", "Bob's"]


async def test_a_rejected_command_retried_gets_the_same_error(module_server: Server,
                                                              clients: Clients) -> None:
    """A refused op retried answers the same error, even once the command would now pass."""
    forum = new_forum(module_server, DEFAULT_AGENDA_ROOM)  # starts in "brief": no ideas
    ann = forum.join("Ann")
    fac = await clients.connect(module_server, forum.facilitator, forum.room)
    a = await clients.connect(module_server, ann.token, forum.room)
    with pytest.raises(CommandRejected) as first:
        await a.command("idea.add", {"text": "Too early"}, op="op-early")
    assert first.value.code == "phase_closed"
    opened = await fac.command("phase.next")
    await a.wait_seq(opened["seq"])
    with pytest.raises(CommandRejected) as again:
        await a.command("idea.add", {"text": "Too early"}, op="op-early")
    assert again.value.reply == first.value.reply
    ack = await a.command("idea.add", {"text": "On time"}, op="op-on-time")
    assert ack["seq"] == opened["seq"] + 1
    await a.wait_seq(ack["seq"])
    assert [m["data"]["text"] for m in named(a, "idea.added")] == ["On time"]


async def test_a_retry_after_a_crash_gets_the_same_ack(start_server: ServerFactory,
                                                       clients: Clients) -> None:
    """Commit, kill -9, restart: the same op answers the same ack seq and adds no event."""
    srv = start_server()
    forum = new_forum(srv)
    ann = forum.join("Ann")
    a = await clients.connect(srv, ann.token, forum.room)
    await a.command("idea.add", {"text": "Before"}, op="op-0")
    ack = await a.command("idea.add", {"text": "Sirens"}, op="op-crash")
    crash_and_restart(srv)
    assert await a.wait_closed() is not None

    again = await clients.connect(srv, ann.token, forum.room, resume=(a.epoch, a.seq))
    assert again.welcome["seq"] == ack["seq"]
    assert again.welcome["epoch"] == a.epoch  # the same log: a resume, not a snapshot
    assert not [m for m in again.messages if m["type"] == "snapshot"]
    assert await again.command("idea.add", {"text": "Sirens"}, op="op-crash") == ack
    assert await again.command("idea.add", {"text": "Before"}, op="op-0") == {
        "type": "ack", "op": "op-0", "seq": ack["seq"] - 1}
    after = await again.command("idea.add", {"text": "After"}, op="op-after")
    assert after["seq"] == ack["seq"] + 1
    await again.wait_seq(after["seq"])
    assert [m["seq"] for m in events_after(again, 0)] == [after["seq"]]


async def test_a_retry_after_a_crash_is_remembered_beyond_the_resume_window(
        start_server: ServerFactory, clients: Clients) -> None:
    """An op whose events are older than the resume window still gets its ack after kill -9."""
    srv = start_server(HACKROOMS_RESUME_WINDOW="3", HACKROOMS_SNAPSHOT_EVERY="4")
    forum = new_forum(srv)
    ann = forum.join("Ann")
    a = await clients.connect(srv, ann.token, forum.room)
    ack = await a.command("idea.add", {"text": "Sirens"}, op="op-old")
    for n in range(10):  # pushes op-old out of the window and past two snapshots
        await a.command("idea.add", {"text": f"later {n}"})
    crash_and_restart(srv)
    assert await a.wait_closed() is not None
    again = await clients.connect(srv, ann.token, forum.room)
    head = again.welcome["seq"]
    assert await again.command("idea.add", {"text": "Sirens"}, op="op-old") == ack
    probe = await again.command("idea.add", {"text": "probe"})
    assert probe["seq"] == head + 1  # the retry added nothing


async def test_a_malformed_retry_names_its_op(module_server: Server, clients: Clients) -> None:
    """A cmd with a valid op but a bad name is answered bad_message with that op, each time."""
    forum = new_forum(module_server)
    a = await clients.connect(module_server, forum.join("Ann").token, forum.room)
    for _ in range(2):
        await a.send_raw(json.dumps({"type": "cmd", "op": "op-bad", "name": 7}))
        reply = await a.expect(lambda m: m.get("op") == "op-bad")
        assert (reply["type"], reply["code"]) == ("error", "bad_message")


async def test_a_multi_event_command_retried_after_a_crash_acks_its_last_event(
        start_server: ServerFactory, clients: Clients) -> None:
    """voting.configure that retracts dots, retried after kill -9, answers the same last seq."""
    srv = start_server()
    forum = new_forum(srv)
    ann = forum.join("Ann")
    fac = await clients.connect(srv, forum.facilitator, forum.room)
    a = await clients.connect(srv, ann.token, forum.room)
    idea = f"i{(await a.command('idea.add', {'text': 'Sirens'}))['seq']}"
    for _ in range(3):
        await a.command("vote.cast", {"idea": idea})
    ack = await fac.command("voting.configure", {"cap": 1}, op="op-cap")
    await fac.wait_seq(ack["seq"])
    made = [e["name"] for e in events_after(fac, ack["seq"] - 3)]
    assert made == ["vote.retracted", "vote.retracted", "voting.configured"]
    crash_and_restart(srv)

    again = await clients.connect(srv, forum.facilitator, forum.room)
    assert await again.command("voting.configure", {"cap": 1}, op="op-cap") == ack
    assert again.welcome["seq"] == ack["seq"]
    assert snapshot_of(again)["voting"]["cap"] == 1
