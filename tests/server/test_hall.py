"""The forum's hall over real sockets: one log beside the rooms, followed by every device."""

from __future__ import annotations

from typing import Any

import pytest

from client import ApiError, CommandRejected
from rooms.hall.labels import LABELS
from tests.harness import Server
from tests.server.helpers import Clients, Forum, named, snapshot_of

AGENDA: list[dict[str, Any]] = [
    {"kind": "plenary", "title": "Crisis communication", "minutes": 40},
    {"kind": "hackathon", "title": "Hackathons", "minutes": 90, "rooms": [
        {"title": "Floods", "challenge": "Warn people in time", "capacity": 10},
        {"title": "Forest fires", "challenge": "Evacuate villages"}]},
    {"kind": "break", "title": "Coffee", "minutes": 15},
]


def hall_forum(server: Server, **extra: Any) -> Forum:
    """A forum made with a whole agenda (a plenary, two hackathon rooms, a break)."""
    body = {"title": "Baltic resilience", "topic": "Extreme weather", "sessions": AGENDA,
            **extra}
    return Forum(server.api, server.api.request("POST", "/api/forums", body))


def _session(snapshot: dict[str, Any], kind: str) -> str:
    return str(next(s["id"] for s in snapshot["agenda"]["sessions"] if s["kind"] == kind))


async def test_a_new_forum_has_a_hall_with_its_agenda_label_and_rooms(
        module_server: Server, clients: Clients) -> None:
    """The organizer's hall shows the topic, the label and the agenda; its rooms exist."""
    forum = hall_forum(module_server, label="tlp-green")
    org = await clients.connect(module_server, forum.organizer, forum.hall)
    assert org.welcome["kind"] == "hall"
    assert org.welcome["you"]["role"] == "organizer"
    hall = snapshot_of(org)
    assert hall["hall"]["topic"] == "Extreme weather"
    assert hall["hall"]["label"]["id"] == "tlp-green"
    assert [s["kind"] for s in hall["agenda"]["sessions"]] == ["plenary", "hackathon", "break"]
    rooms = hall["agenda"]["sessions"][1]["rooms"]
    assert [r["id"] for r in rooms] == forum.rooms
    floods = await clients.connect(module_server, forum.facilitator, forum.rooms[0])
    assert snapshot_of(floods)["room"]["challenge"] == "Warn people in time"


async def test_every_device_follows_now_and_a_late_joiner_lands_there(
        module_server: Server, clients: Clients) -> None:
    """agenda.now reaches participants and the projector; a newcomer's snapshot says now."""
    forum = hall_forum(module_server)
    org = await clients.connect(module_server, forum.organizer, forum.hall)
    ann = forum.join("Ann", "onsite")
    a = await clients.connect(module_server, ann.token, forum.hall)
    projector = await clients.connect(module_server, forum.observer, forum.hall)
    plenary = _session(snapshot_of(org), "plenary")
    moved = await org.command("agenda.now", {"session": plenary})
    for screen in (a, projector):
        await screen.wait_seq(moved["seq"])
        assert named(screen, "agenda.moved")[-1]["data"]["session"] == plenary
    bob = forum.join("Bob", "remote")
    b = await clients.connect(module_server, bob.token, forum.hall)
    assert snapshot_of(b)["agenda"]["now"] == plenary


async def test_a_participant_becomes_a_member_of_the_hall(module_server: Server,
                                                          clients: Clients) -> None:
    """Entering the hall records the profile: staff see it, others see the name only."""
    forum = hall_forum(module_server)
    org = await clients.connect(module_server, forum.organizer, forum.hall)
    ann = forum.join("Ann", "onsite", sector="municipality", country="LV")
    a = await clients.connect(module_server, ann.token, forum.hall)
    joined = await org.expect(lambda m: m.get("name") == "member.joined")
    assert joined["data"]["country"] == "LV"
    assert snapshot_of(a)["members"] == [{"id": ann.id, "name": "Ann"}]


async def test_a_hall_resumes_from_its_last_seq(module_server: Server, clients: Clients) -> None:
    """A reconnect with the hall's epoch and seq replays what it missed, no snapshot."""
    forum = hall_forum(module_server)
    org = await clients.connect(module_server, forum.organizer, forum.hall)
    ann = forum.join("Ann")
    a = await clients.connect(module_server, ann.token, forum.hall)
    left_at = (a.epoch or "", a.seq)
    await a.close()
    moved = await org.command("agenda.now", {"session": _session(snapshot_of(org), "break")})
    again = await clients.connect(module_server, ann.token, forum.hall, resume=left_at)
    assert not any(m["type"] == "snapshot" for m in again.messages)
    assert [e["seq"] for e in again.events()] == list(range(left_at[1] + 1, moved["seq"] + 1))


async def test_participants_may_not_conduct(module_server: Server, clients: Clients) -> None:
    """A participant's agenda.now is forbidden; the facilitators' shared link may not either."""
    forum = hall_forum(module_server)
    ann = forum.join("Ann")
    a = await clients.connect(module_server, ann.token, forum.hall)
    fac = await clients.connect(module_server, forum.facilitator, forum.hall)
    session = _session(snapshot_of(a), "plenary")
    for client in (a, fac):
        with pytest.raises(CommandRejected) as refused:
            await client.command("agenda.now", {"session": session})
        assert refused.value.code == "forbidden"


async def test_a_room_added_to_the_agenda_is_made_at_once(module_server: Server,
                                                          clients: Clients) -> None:
    """session.room_add over the socket makes the room's own log, which people can open."""
    forum = hall_forum(module_server)
    org = await clients.connect(module_server, forum.organizer, forum.hall)
    hack = _session(snapshot_of(org), "hackathon")
    added = await org.command("session.room_add", {"session": hack, "title": "Heat waves",
                                                   "challenge": "Cool the cities"})
    await org.wait_seq(added["seq"])
    room = named(org, "session.room_added")[-1]["data"]["room"]["id"]
    ann = forum.join("Ann")
    heat = await clients.connect(module_server, ann.token, room)
    assert snapshot_of(heat)["room"]["title"] == "Heat waves"
    assert snapshot_of(heat)["room"]["challenge"] == "Cool the cities"


async def test_the_organizer_runs_every_room_as_a_facilitator(module_server: Server,
                                                              clients: Clients) -> None:
    """In a room the organizer's token acts as the room's facilitator."""
    forum = hall_forum(module_server)
    org = await clients.connect(module_server, forum.organizer, forum.rooms[1])
    assert org.welcome["you"]["role"] == "facilitator"
    await org.command("phase.next")


def _link(forum: Forum, **body: Any) -> dict[str, Any]:
    answer: dict[str, Any] = forum.api.request("POST", f"/api/forums/{forum.id}/links", body,
                                               forum.organizer)
    return answer


async def test_a_room_link_runs_its_room_only_and_a_revoked_link_is_refused(
        module_server: Server, clients: Clients) -> None:
    """A room's facilitator link opens that room; once revoked its next message is refused."""
    forum = hall_forum(module_server)
    link = _link(forum, label="Floods team", room=forum.rooms[0])
    assert link["room"] == forum.rooms[0]
    fac = await clients.connect(module_server, link["token"], forum.rooms[0])
    other = await clients.connect(module_server, link["token"], forum.rooms[1],
                                  wait_synced=False)
    assert (await other.wait_closed())[0] == 4403
    await fac.command("phase.next")
    revoked = forum.api.request("DELETE", f"/api/forums/{forum.id}/links/{link['id']}",
                                token=forum.organizer)
    assert revoked["revoked_at"] is not None
    await fac.send({"type": "ping"})
    assert (await fac.wait_closed())[0] == 4401
    again = await clients.connect(module_server, link["token"], forum.rooms[0],
                                  wait_synced=False)
    assert (await again.wait_closed())[0] == 4401


def test_only_the_organizer_manages_links(module_server: Server) -> None:
    """Facilitators and participants get 403 from the links API; the organizer lists them."""
    forum = hall_forum(module_server)
    ann = forum.join("Ann")
    for token in (forum.facilitator, ann.token):
        with pytest.raises(ApiError) as refused:
            forum.api.request("GET", f"/api/forums/{forum.id}/links", token=token)
        assert refused.value.status == 403
    links = forum.api.request("GET", f"/api/forums/{forum.id}/links", token=forum.organizer)
    assert [link["token"] for link in links["links"]] == [forum.facilitator]


def test_a_bad_agenda_is_refused_with_its_reason(module_server: Server) -> None:
    """A hackathon session without rooms answers 400 invalid_args saying why."""
    body = {"title": "Bad", "sessions": [{"kind": "hackathon", "title": "Hack"}]}
    with pytest.raises(ApiError) as refused:
        module_server.api.request("POST", "/api/forums", body)
    assert refused.value.status == 400
    assert refused.value.code == "invalid_args"
    assert "needs at least one room" in refused.value.message


def test_join_and_me_name_the_hall_and_its_label(module_server: Server) -> None:
    """The join screen, joining and /api/me name the hall to follow and the label in force."""
    forum = hall_forum(module_server, label="tlp-amber")
    info = forum.api.request("GET", f"/api/join/{forum.code}")
    joined = forum.api.join(forum.code, "Ann")
    me = forum.api.me(joined["token"])
    label = {"id": "tlp-amber", "meaning": LABELS["tlp-amber"]}
    assert info["hall"] == joined["hall"] == me["hall"] == {"id": forum.hall, "label": label}
