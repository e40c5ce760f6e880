"""Presence: counts for everyone, the roster for facilitators, and few messages in a storm."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from client import RoomClient
from server.presence import INTERVAL_S
from tests.harness import Server
from tests.server.helpers import Clients, Person, named, new_forum, snapshot_of

COUNTS = ("online", "onsite", "remote", "facilitators", "observers")


def _counts(presence: dict[str, Any]) -> tuple[int, int, int, int]:
    return (presence["onsite"], presence["remote"], presence["facilitators"],
            presence["observers"])


async def _presence(client: RoomClient, onsite: int, remote: int, facilitators: int = 1,
                    observers: int = 0) -> dict[str, Any]:
    """Wait for the presence message with these counts (changes may come coalesced)."""
    wanted = (onsite, remote, facilitators, observers)
    message = await client.expect(lambda m: m["type"] == "presence"
                                  and _counts(m["presence"]) == wanted)
    return dict(message["presence"])


async def _roster(fac: RoomClient, *ids: str) -> None:
    """Wait until a facilitator's roster (kept from whole roster and changes) is ``ids``."""
    await fac.wait_presence(lambda p: [e["id"] for e in p["members"]] == list(ids))


def _presences(client: RoomClient) -> list[dict[str, Any]]:
    return [m["presence"] for m in client.messages if m["type"] == "presence"]


async def test_participants_get_counts_and_facilitators_the_roster(module_server: Server,
                                                                   clients: Clients) -> None:
    """Joining and leaving change everyone's counts; only facilitators learn who it was."""
    forum = new_forum(module_server)
    ann: Person = forum.join("Ann", "onsite")
    bob: Person = forum.join("Bob", "remote")
    cem: Person = forum.join("Cem", "onsite")
    fac = await clients.connect(module_server, forum.facilitator, forum.room)
    await _presence(fac, 0, 0)
    a = await clients.connect(module_server, ann.token, forum.room)
    await _presence(fac, 1, 0)
    assert fac.presence["members"] == [{"id": ann.id, "name": "Ann", "attendance": "onsite"}]
    assert set(await _presence(a, 1, 0)) == set(COUNTS)  # the newcomer too, and counts only

    b = await clients.connect(module_server, bob.token, forum.room)
    c = await clients.connect(module_server, cem.token, forum.room)
    await _presence(b, 2, 1)
    await _roster(fac, ann.id, bob.id, cem.id)  # in the order they came
    await a.close()
    assert (await _presence(c, 1, 1))["online"] == 2
    await _roster(fac, bob.id, cem.id)
    await b.close()
    await _presence(c, 1, 0)
    await _roster(fac, cem.id)
    for client in (a, b, c):
        assert all(set(p) == set(COUNTS) for p in _presences(client))


async def test_a_facilitator_gets_the_roster_whole_then_its_changes(module_server: Server,
                                                                    clients: Clients) -> None:
    """On connecting a facilitator gets every member online; later messages only the changes."""
    forum = new_forum(module_server)
    ann, bob = forum.join("Ann", "onsite"), forum.join("Bob", "remote")
    await clients.connect(module_server, ann.token, forum.room)
    first = await clients.connect(module_server, forum.facilitator, forum.room)
    await _roster(first, ann.id)
    late = await clients.connect(module_server, forum.facilitator, forum.room)
    whole = await late.expect(lambda m: m["type"] == "presence")
    assert whole["presence"]["members"] == [{"id": ann.id, "name": "Ann",
                                             "attendance": "onsite"}]
    await clients.connect(module_server, bob.token, forum.room)
    change = await late.expect(lambda m: m["type"] == "presence" and m["presence"]["joined"])
    assert change["presence"]["joined"] == [{"id": bob.id, "name": "Bob",
                                             "attendance": "remote"}]
    assert "members" not in change["presence"]
    assert _counts(change["presence"]) == (1, 1, 2, 0)


async def test_a_new_connection_first_gets_the_whole_presence(module_server: Server,
                                                              clients: Clients) -> None:
    """A new connection's first presence counts it; a facilitator's lists everyone online."""
    forum = new_forum(module_server)
    ann = forum.join("Ann", "onsite")
    a = await clients.connect(module_server, ann.token, forum.room)
    first = await a.expect(lambda m: m["type"] == "presence")
    assert first["presence"] == {"online": 1, "onsite": 1, "remote": 0, "facilitators": 0,
                                 "observers": 0}
    fac = await clients.connect(module_server, forum.facilitator, forum.room)
    first = await fac.expect(lambda m: m["type"] == "presence")
    assert first["presence"]["members"] == [{"id": ann.id, "name": "Ann",
                                             "attendance": "onsite"}]
    assert _counts(first["presence"]) == (1, 0, 1, 0)
    projector = await clients.connect(module_server, forum.observer, forum.room)
    first = await projector.expect(lambda m: m["type"] == "presence")
    assert first["presence"] == {"online": 1, "onsite": 1, "remote": 0, "facilitators": 1,
                                 "observers": 1}


async def test_presence_counts_people_not_connections(module_server: Server,
                                                      clients: Clients) -> None:
    """A person on two devices counts once, and stays present until both have left."""
    forum = new_forum(module_server)
    ann, bob = forum.join("Ann", "remote"), forum.join("Bob", "onsite")
    fac = await clients.connect(module_server, forum.facilitator, forum.room)
    phone = await clients.connect(module_server, ann.token, forum.room)
    await _presence(fac, 0, 1)
    laptop = await clients.connect(module_server, ann.token, forum.room)
    await phone.close()
    # Bob connects after the phone's close handshake ended, so after the server dropped it.
    await clients.connect(module_server, bob.token, forum.room)
    await _presence(fac, 1, 1)
    await _roster(fac, ann.id, bob.id)
    await laptop.close()
    await _presence(fac, 1, 0)
    await _roster(fac, bob.id)
    assert all(ann.id not in p.get("left", ()) for p in _presences(fac)[:-1])


async def test_presence_counts_facilitators_and_observers(module_server: Server,
                                                          clients: Clients) -> None:
    """Facilitator and projector connections are counted apart from the members."""
    forum = new_forum(module_server)
    fac = await clients.connect(module_server, forum.facilitator, forum.room)
    await _presence(fac, 0, 0, facilitators=1)
    second = await clients.connect(module_server, forum.facilitator, forum.room)
    projector = await clients.connect(module_server, forum.observer, forum.room)
    await _presence(fac, 0, 0, facilitators=2, observers=1)
    assert fac.presence["members"] == []
    await second.close()
    assert set(await _presence(projector, 0, 0, facilitators=1, observers=1)) == set(COUNTS)
    await projector.close()
    await _presence(fac, 0, 0, facilitators=1, observers=0)


async def test_presence_of_one_room_is_not_shown_in_another(module_server: Server,
                                                            clients: Clients) -> None:
    """Connections to one room of a forum do not count in its other rooms."""
    forum = new_forum(module_server, {"title": "Room A"}, {"title": "Room B"})
    room_a, room_b = forum.rooms
    ann = forum.join("Ann", "onsite")
    fac_b = await clients.connect(module_server, forum.facilitator, room_b)
    await clients.connect(module_server, ann.token, room_a)
    fac_a = await clients.connect(module_server, forum.facilitator, room_a)
    await _presence(fac_a, 1, 0)
    overview = forum.api.forum(forum.id, forum.facilitator)
    assert [r["presence"]["onsite"] for r in overview["rooms"]] == [1, 0]
    assert [r["presence"]["facilitators"] for r in overview["rooms"]] == [1, 1]
    assert all(set(r["presence"]) == set(COUNTS) for r in overview["rooms"])  # no names
    assert all(_counts(p)[:2] == (0, 0) for p in _presences(fac_b))
    assert _counts(fac_b.presence) == (0, 0, 1, 0)


async def test_a_storm_of_joins_makes_few_presence_messages(module_server: Server,
                                                            clients: Clients) -> None:
    """100 people joining at once: at most one presence per interval on each connection."""
    forum = new_forum(module_server)
    people = [forum.join(f"P{n}", "onsite" if n % 2 else "remote") for n in range(100)]
    fac = await clients.connect(module_server, forum.facilitator, forum.room)
    await _presence(fac, 0, 0)
    projector = await clients.connect(module_server, forum.observer, forum.room)
    await _presence(fac, 0, 0, observers=1)
    before = {c: len(_presences(c)) for c in (fac, projector)}
    start = time.monotonic()
    joined = await asyncio.gather(*(clients.connect(module_server, p.token, forum.room)
                                    for p in people))
    await _presence(fac, 50, 50, observers=1)
    await _presence(projector, 50, 50, observers=1)
    elapsed = time.monotonic() - start
    # Without coalescing every join made one message to every connection: 100 each here.
    bound = elapsed / INTERVAL_S + 2
    for client, seen in before.items():
        assert len(_presences(client)) - seen <= bound
    for client in joined:
        await client.expect(lambda m: m["type"] == "presence" and m["presence"]["online"] == 100)
        assert len(_presences(client)) <= bound
    await fac.wait_presence(lambda p: {e["id"] for e in p["members"]} == {p.id for p in people})
    assert all("members" not in p for p in _presences(fac)[1:])  # whole once, then changes


async def test_profiles_are_for_facilitators_and_names_for_the_others(
        module_server: Server, clients: Clients) -> None:
    """Snapshots and member.joined carry the whole profile to facilitators, the name to others."""
    forum = new_forum(module_server)
    ann, bob = forum.join("Ann", "onsite", organization="City of Malmö"), forum.join("Bob")
    a = await clients.connect(module_server, ann.token, forum.room)
    fac = await clients.connect(module_server, forum.facilitator, forum.room)
    projector = await clients.connect(module_server, forum.observer, forum.room)
    assert snapshot_of(fac)["members"] == [{
        "id": ann.id, "name": "Ann", "organization": "City of Malmö",
        "sector": "research_academia", "country": "FI", "attendance": "onsite", "about": ""}]
    assert snapshot_of(a)["members"] == snapshot_of(projector)["members"] == [
        {"id": ann.id, "name": "Ann"}]
    b = await clients.connect(module_server, bob.token, forum.room)
    assert [m["name"] for m in snapshot_of(b)["members"]] == ["Ann", "Bob"]
    for client in (fac, a, projector):
        await client.wait_seq(b.seq)
    assert named(fac, "member.joined")[-1]["data"]["sector"] == "research_academia"
    assert named(a, "member.joined")[-1]["data"] == {"id": bob.id, "name": "Bob"}
    assert named(projector, "member.joined")[-1]["data"] == {"id": bob.id, "name": "Bob"}
