"""Presence: who is connected to a room now, on site and remote, sent to every connection."""

from __future__ import annotations

from typing import Any

from client import RoomClient
from tests.harness import Server
from tests.server.helpers import Clients, Person, new_forum


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


def _ids(presence: dict[str, Any]) -> list[str]:
    return [m["id"] for m in presence["members"]]


async def test_presence_follows_participants_coming_and_going(module_server: Server,
                                                              clients: Clients) -> None:
    """Joining and leaving participants change the onsite and remote counts for everyone."""
    forum = new_forum(module_server)
    ann: Person = forum.join("Ann", "onsite")
    bob: Person = forum.join("Bob", "remote")
    cem: Person = forum.join("Cem", "onsite")
    fac = await clients.connect(module_server, forum.facilitator, forum.room)
    assert _ids(await _presence(fac, 0, 0)) == []

    a = await clients.connect(module_server, ann.token, forum.room)
    here = await _presence(fac, 1, 0)
    assert here["members"] == [{"id": ann.id, "name": "Ann", "attendance": "onsite"}]
    assert _ids(await _presence(a, 1, 0)) == [ann.id]  # the newcomer gets it too

    b = await clients.connect(module_server, bob.token, forum.room)
    c = await clients.connect(module_server, cem.token, forum.room)
    everyone = await _presence(fac, 2, 1)
    assert _ids(everyone) == [ann.id, bob.id, cem.id]  # in the order they joined the room
    await _presence(b, 2, 1)

    await a.close()
    assert _ids(await _presence(fac, 1, 1)) == [bob.id, cem.id]
    await _presence(c, 1, 1)
    await b.close()
    assert _ids(await _presence(c, 1, 0)) == [cem.id]


async def test_presence_counts_people_not_connections(module_server: Server,
                                                      clients: Clients) -> None:
    """A person on two devices counts once, and stays present until both have left."""
    forum = new_forum(module_server)
    ann = forum.join("Ann", "remote")
    fac = await clients.connect(module_server, forum.facilitator, forum.room)
    phone = await clients.connect(module_server, ann.token, forum.room)
    await _presence(fac, 0, 1)
    laptop = await clients.connect(module_server, ann.token, forum.room)
    assert _ids(await _presence(fac, 0, 1)) == [ann.id]
    await phone.close()
    # Every connection that closes sends a presence; this one still shows Ann.
    after_phone = await fac.expect(lambda m: m["type"] == "presence")
    assert _ids(after_phone["presence"]) == [ann.id]
    assert _counts(after_phone["presence"]) == (0, 1, 1, 0)
    await laptop.close()
    after_laptop = await fac.expect(lambda m: m["type"] == "presence")
    assert _counts(after_laptop["presence"]) == (0, 0, 1, 0)


async def test_presence_counts_facilitators_and_observers(module_server: Server,
                                                          clients: Clients) -> None:
    """Facilitator and projector connections are counted apart from the members."""
    forum = new_forum(module_server)
    fac = await clients.connect(module_server, forum.facilitator, forum.room)
    await _presence(fac, 0, 0, facilitators=1)
    second = await clients.connect(module_server, forum.facilitator, forum.room)
    projector = await clients.connect(module_server, forum.observer, forum.room)
    assert _ids(await _presence(fac, 0, 0, facilitators=2, observers=1)) == []
    await second.close()
    await _presence(projector, 0, 0, facilitators=1, observers=1)
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
    assert all(_counts(m["presence"]) == (0, 0, 1, 0)
               for m in fac_b.messages if m["type"] == "presence")
