"""Contact details with consent, over the real server: stored only when consented, shown only
to the two people of a connection, never to staff, never in a websocket message.

The tests marked ``needs_rounds`` make a connection through the hall's real networking rules
(``round.start`` by the organizer, then ``contact.request`` by both people who met): they run
once those rules exist (rooms/hall/networking.py, issue 9) and are skipped until then.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from client import Api, ApiError, CommandRejected, RoomClient
from rooms.hall.hall import HALL
from server.networking_api import CSV_COLUMNS
from tests.harness import Server
from tests.server.helpers import Clients, Forum, named, snapshot_of

AGENDA: list[dict[str, Any]] = [
    {"kind": "plenary", "title": "Opening", "minutes": 20},
    {"kind": "hackathon", "title": "Hacks", "minutes": 60, "rooms": [{"title": "Floods"}]},
    {"kind": "networking", "title": "Speed networking", "minutes": 30},
]

needs_rounds = pytest.mark.skipif(
    "contact.request" not in HALL.rules.commands or "round.start" not in HALL.rules.commands,
    reason="needs the networking rules of rooms/hall/networking.py (round.start, "
           "contact.request)")

ANN_EMAIL, ANN_PHONE, ANN_LINK = "ann.berg@malmo.example.se", "+46 70 123 45 67", \
    "https://example.se/ann-unshared"
BOB_EMAIL, BOB_LINK = "bob-unshared@example.fi", "https://example.fi/in/bob"
CID_EMAIL = "cid.kowalski@example.pl"


@pytest.fixture
def http(module_server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=module_server.url, timeout=15) as client:
        yield client


def networking_forum(server: Server) -> Forum:
    """A forum whose agenda has a plenary, a hackathon room and a networking session."""
    return Forum(server.api, server.api.request("POST", "/api/forums", {
        "title": "Baltic resilience", "topic": "Extreme weather", "sessions": AGENDA}))


@dataclass(frozen=True)
class Joined:
    id: str
    token: str
    answer: dict[str, Any]


def join(api: Api, forum: Forum, name: str, **body: Any) -> Joined:
    """POST /api/join with a profile and whatever else the test gives."""
    profile = {"code": forum.code, "name": name, "organization": "City",
               "sector": "municipality", "country": "SE", "attendance": "onsite", **body}
    answer = api.request("POST", "/api/join", profile)
    return Joined(answer["participant"]["id"], answer["token"], answer)


def stored(server: Server, participant: str) -> dict[str, Any]:
    """The participant's row as the server's database file holds it."""
    db = sqlite3.connect(f"file:{server.database}?mode=ro", uri=True)
    try:
        db.row_factory = sqlite3.Row
        row = db.execute("SELECT * FROM participants WHERE id = ?", (participant,)).fetchone()
        return dict(row)
    finally:
        db.close()


def database_bytes(server: Server) -> bytes:
    """Every byte of the database, its write-ahead log included."""
    files = [Path(f"{server.database}{suffix}") for suffix in ("", "-wal", "-shm")]
    return b"".join(f.read_bytes() for f in files if f.exists())


def event_texts(server: Server) -> str:
    """Every stored event's data, as one text."""
    db = sqlite3.connect(f"file:{server.database}?mode=ro", uri=True)
    try:
        return "\n".join(row[0] for row in db.execute("SELECT data FROM events"))
    finally:
        db.close()


def seen_text(*clients: RoomClient) -> str:
    """Everything the clients received over their websockets, as one JSON text."""
    return json.dumps([c.messages for c in clients], ensure_ascii=False)


# Joining: only what was consented to is stored -----------------------------------------------


def test_join_stores_exactly_the_consented_details(module_server: Server) -> None:
    """Each detail lands only with its own consent; an unconsented one is nowhere on disk."""
    forum, api = networking_forum(module_server), module_server.api
    ann = join(api, forum, "Ann", about="Flood warnings by SMS",
               contact={"email": ANN_EMAIL, "phone": ANN_PHONE, "link": ANN_LINK},
               consent={"email": True, "phone": True, "link": False})
    bob = join(api, forum, "Bob", contact={"email": BOB_EMAIL, "link": BOB_LINK},
               consent={"link": True, "contact": True})
    old = join(api, forum, "Old client", contact={"email": "old@example.org"},
               consent={"contact": True})  # the first version's one box shares nothing
    none = join(api, forum, "Nobody", contact={"email": "nobody@example.org"})
    assert ann.answer["participant"]["contact"] == {"email": ANN_EMAIL, "phone": ANN_PHONE}
    assert ann.answer["participant"]["about"] == "Flood warnings by SMS"
    assert bob.answer["participant"]["contact"] == {"link": BOB_LINK}
    assert bob.answer["participant"]["consent"] == {"link": True, "contact": True}
    for person in (old, none):
        assert person.answer["participant"]["contact"] == {}
    rows = {p.id: stored(module_server, p.id) for p in (ann, bob, old, none)}
    assert [rows[ann.id][k] for k in ("about", "email", "phone", "link")] == [
        "Flood warnings by SMS", ANN_EMAIL, ANN_PHONE, None]
    assert [rows[bob.id][k] for k in ("email", "phone", "link")] == [None, None, BOB_LINK]
    for person in (old, none):
        assert [rows[person.id][k] for k in ("email", "phone", "link")] == [None] * 3
    on_disk = database_bytes(module_server)
    for unconsented in (ANN_LINK, BOB_EMAIL, "old@example.org", "nobody@example.org"):
        assert unconsented.encode() not in on_disk
    assert ANN_EMAIL.encode() in on_disk  # the check can fail: a kept detail is found
    assert api.me(ann.token)["participant"]["contact"] == {"email": ANN_EMAIL,
                                                           "phone": ANN_PHONE}


@pytest.mark.parametrize("body", [
    {"contact": "ann@example.org"}, {"contact": {"fax": "123"}},
    {"contact": {"email": "ann"}, "consent": {"email": True}},
    {"contact": {"email": "ann@example"}, "consent": {"email": True}},
    {"contact": {"email": "ann @example.org"}, "consent": {"email": True}},
    {"contact": {"email": "ann"}},  # checked even without its consent: a client bug shows
    {"contact": {"phone": "call me"}, "consent": {"phone": True}},
    {"contact": {"phone": "123"}, "consent": {"phone": True}},
    {"contact": {"phone": 4670123}, "consent": {"phone": True}},
    {"contact": {"link": "javascript:alert(1)"}, "consent": {"link": True}},
    {"contact": {"link": "ftp://example.org/me"}, "consent": {"link": True}},
    {"contact": {"link": "https://"}, "consent": {"link": True}},
    {"contact": {"link": "https://example.org/a b"}, "consent": {"link": True}},
    {"consent": {"email": "yes"}}, {"consent": ["email"]},
    {"about": "x" * 121}, {"about": 7}, {"about": "line\u202eflipped"},
])
def test_malformed_details_are_refused_and_nothing_is_stored(
        module_server: Server, body: dict[str, Any]) -> None:
    """A bad detail, consent or about is 400 invalid_args, and no participant is added."""
    forum = networking_forum(module_server)
    with pytest.raises(ApiError) as refused:
        join(module_server.api, forum, "Ann", **body)
    assert (refused.value.status, refused.value.code) == (400, "invalid_args")
    db = sqlite3.connect(f"file:{module_server.database}?mode=ro", uri=True)
    try:
        count = db.execute("SELECT COUNT(*) FROM participants WHERE forum_id = ?",
                           (forum.id,)).fetchone()[0]
    finally:
        db.close()
    assert count == 0


def test_well_formed_details_as_people_write_them_are_kept(module_server: Server) -> None:
    """Phones with spaces, dashes and brackets, http links and long domains are accepted."""
    forum = networking_forum(module_server)
    for email, phone, link in (("a.b+c@sub.example.co.uk", "(030) 123-4567",
                                "http://example.org/~a?b=c#d"),
                               ("zoë@exämple.de", "+372 5123 4567", "HTTPS://EXAMPLE.EE")):
        person = join(module_server.api, forum, "Ann",
                      contact={"email": email, "phone": phone, "link": link},
                      consent={"email": True, "phone": True, "link": True})
        assert person.answer["participant"]["contact"] == {"email": email, "phone": phone,
                                                           "link": link}


# What staff and participants see of a profile ---------------------------------------------------


async def test_about_is_shown_to_staff_and_names_only_to_others(
        module_server: Server, clients: Clients) -> None:
    """In the hall and in a room, staff see `about`; participants and the projector do not."""
    forum = networking_forum(module_server)
    org = await clients.connect(module_server, forum.organizer, forum.hall)
    fac = await clients.connect(module_server, forum.facilitator, forum.room)
    ann = join(module_server.api, forum, "Ann", about="Heat maps for cities")
    for log in (forum.hall, forum.room):
        await clients.connect(module_server, ann.token, log)
    for staff in (org, fac):
        joined = await staff.expect(lambda m: m.get("name") == "member.joined")
        assert joined["data"]["about"] == "Heat maps for cities"
    late = await clients.connect(module_server, forum.facilitator, forum.hall)
    assert snapshot_of(late)["members"][0]["about"] == "Heat maps for cities"
    bob = join(module_server.api, forum, "Bob")
    for log in (forum.hall, forum.room):
        b = await clients.connect(module_server, bob.token, log)
        projector = await clients.connect(module_server, forum.observer, log)
        for client in (b, projector):
            members = snapshot_of(client)["members"]
            assert {"id": ann.id, "name": "Ann"} in members
            assert "Heat maps" not in seen_text(client)


# The HTTP routes: who may call them --------------------------------------------------------------


def test_connections_answer_only_a_participant_and_start_empty(
        module_server: Server, http: httpx.Client) -> None:
    """/api/me/connections(.csv): [] and a header row for a participant; 403 staff; 401 none."""
    forum = networking_forum(module_server)
    ann = join(module_server.api, forum, "Ann", contact={"email": ANN_EMAIL},
               consent={"email": True})
    answer = http.get("/api/me/connections", headers={"Authorization": f"Bearer {ann.token}"})
    assert answer.status_code == 200
    assert answer.json()["connections"] == []
    assert answer.json()["label"]["id"] == "chatham-house"
    assert answer.headers["cache-control"] == "no-store"
    download = http.get("/api/me/connections.csv",
                        headers={"Authorization": f"Bearer {ann.token}"})
    assert download.status_code == 200
    assert download.headers["content-type"] == "text/csv; charset=utf-8"
    assert download.headers["content-disposition"] == 'attachment; filename="connections.csv"'
    assert list(csv.reader(io.StringIO(download.text.removeprefix("\ufeff")))) == [
        list(CSV_COLUMNS)]
    for path in ("/api/me/connections", "/api/me/connections.csv"):
        for token in (forum.organizer, forum.facilitator, forum.observer):
            refused = http.get(path, headers={"Authorization": f"Bearer {token}"})
            assert refused.status_code == 403
            assert refused.json()["error"]["code"] == "forbidden"
        assert http.get(path).status_code == 401


def test_networking_figures_answer_staff_only(module_server: Server,
                                              http: httpx.Client) -> None:
    """The forum's counts: 200 for the organizer and facilitators; 403, 401 for the rest."""
    forum, other = networking_forum(module_server), networking_forum(module_server)
    ann = join(module_server.api, forum, "Ann")
    path = f"/api/forums/{forum.id}/networking"
    for token in (forum.organizer, forum.facilitator):
        answer = http.get(path, headers={"Authorization": f"Bearer {token}"})
        assert answer.status_code == 200
        assert answer.json() == {"connections": 0, "cross_sector": 0, "cross_country": 0,
                                 "by_sector_pair": [], "by_country_pair": [],
                                 "label": answer.json()["label"]}
    for token in (ann.token, forum.observer, other.organizer, other.facilitator):
        assert http.get(path, headers={"Authorization": f"Bearer {token}"}).status_code == 403
    assert http.get(path).status_code == 401
    link = module_server.api.request("POST", f"/api/forums/{forum.id}/links",
                                     {"label": "Floods"}, forum.organizer)
    assert http.get(path, headers={"Authorization": f"Bearer {link['token']}"}
                    ).status_code == 200
    module_server.api.request("DELETE", f"/api/forums/{forum.id}/links/{link['id']}",
                              token=forum.organizer)
    revoked = http.get(path, headers={"Authorization": f"Bearer {link['token']}"})
    assert revoked.status_code == 401


# No detail in any websocket message ---------------------------------------------------------------


async def test_no_contact_detail_reaches_any_websocket(module_server: Server,
                                                       clients: Clients) -> None:
    """Consented details stay out of every message of the hall and the rooms, for everyone."""
    forum = networking_forum(module_server)
    ann = join(module_server.api, forum, "Ann", about="Sirens",
               contact={"email": ANN_EMAIL, "phone": ANN_PHONE}, consent={"email": True,
                                                                          "phone": True})
    bob = join(module_server.api, forum, "Bob", contact={"link": BOB_LINK},
               consent={"link": True})
    watching = [await clients.connect(module_server, token, log)
                for log in (forum.hall, forum.room)
                for token in (forum.organizer, forum.facilitator, forum.observer)]
    people = [await clients.connect(module_server, p.token, log)
              for log in (forum.hall, forum.room) for p in (ann, bob)]
    for staff in watching[:2] + watching[3:5]:
        await staff.expect(lambda m: m.get("name") == "member.joined" and
                           m["data"]["id"] == bob.id)
    text = seen_text(*watching, *people)
    assert "Sirens" in text  # the check can fail: staff received the profiles
    for detail in (ANN_EMAIL, ANN_PHONE, BOB_LINK):
        assert detail not in text
        assert detail not in event_texts(module_server)
        assert detail not in "".join(module_server.output)  # nor in the server's log


# With a connection made through the hall's rules (needs rooms/hall/networking.py) ---------


@dataclass
class Flow:
    """A networking round of Ann and Bob who both asked to stay in touch; Cid was not there."""

    forum: Forum
    ann: Joined
    bob: Joined
    cid: Joined
    watching: list[RoomClient]


async def connected_pair(server: Server, clients: Clients) -> Flow:
    """Ann and Bob meet in a round and both ask; every audience watches the hall and room."""
    forum, api = networking_forum(server), server.api
    ann = join(api, forum, "Ann", organization="City of Malmö", about="Flood warnings",
               contact={"email": ANN_EMAIL, "phone": ANN_PHONE, "link": ANN_LINK},
               consent={"email": True, "phone": True, "link": False})
    bob = join(api, forum, "Bob", organization="=HYPERLINK(\"http://x\")", sector="business",
               country="FI", contact={"email": BOB_EMAIL, "link": BOB_LINK},
               consent={"link": True})
    cid = join(api, forum, "Cid", sector="research_academia", country="PL",
               contact={"email": CID_EMAIL}, consent={"email": True})
    org = await clients.connect(server, forum.organizer, forum.hall)
    watching = [org] + [await clients.connect(server, token, log)
                        for log, token in ((forum.hall, forum.facilitator),
                                           (forum.hall, forum.observer),
                                           (forum.room, forum.facilitator),
                                           (forum.room, forum.observer))]
    halls = {p.id: await clients.connect(server, p.token, forum.hall) for p in (ann, bob, cid)}
    watching += list(halls.values())
    watching += [await clients.connect(server, p.token, forum.room) for p in (ann, bob, cid)]
    networking = next(s["id"] for s in snapshot_of(org)["agenda"]["sessions"]
                      if s["kind"] == "networking")
    await org.command("agenda.now", {"session": networking})
    await org.command("round.start", {"present": [ann.id, bob.id]})
    with pytest.raises(CommandRejected):  # Cid met nobody: he may ask nobody
        await halls[cid.id].command("contact.request", {"member": ann.id})
    await halls[ann.id].command("contact.request", {"member": bob.id})
    last = await halls[bob.id].command("contact.request", {"member": ann.id})
    for client in watching:
        if client.welcome["kind"] == "hall":  # everyone has the hall's whole flow
            await client.wait_seq(last["seq"])
    return Flow(forum, ann, bob, cid, watching)


def _get(http: httpx.Client, path: str, token: str) -> httpx.Response:
    return http.get(path, headers={"Authorization": f"Bearer {token}"})


@needs_rounds
async def test_two_connected_people_see_each_others_consented_details_only(
        module_server: Server, clients: Clients, http: httpx.Client) -> None:
    """JSON and CSV: each of the two sees the other's consented details; nobody else does."""
    flow = await connected_pair(module_server, clients)
    ann_sees = _get(http, "/api/me/connections", flow.ann.token).json()["connections"]
    bob_sees = _get(http, "/api/me/connections", flow.bob.token).json()["connections"]
    assert [(c["id"], c["contact"]) for c in ann_sees] == [(flow.bob.id, {"link": BOB_LINK})]
    assert [(c["id"], c["contact"]) for c in bob_sees] == [
        (flow.ann.id, {"email": ANN_EMAIL, "phone": ANN_PHONE})]
    assert {k: bob_sees[0][k] for k in ("name", "organization", "sector", "country",
                                        "about")} == {
        "name": "Ann", "organization": "City of Malmö", "sector": "municipality",
        "country": "SE", "about": "Flood warnings"}
    ann_csv = _get(http, "/api/me/connections.csv", flow.ann.token)
    bob_csv = _get(http, "/api/me/connections.csv", flow.bob.token)
    for download in (ann_csv, bob_csv):
        assert download.headers["content-disposition"].startswith("attachment")
    ann_rows = list(csv.DictReader(io.StringIO(ann_csv.text.removeprefix("\ufeff"))))
    bob_rows = list(csv.DictReader(io.StringIO(bob_csv.text.removeprefix("\ufeff"))))
    assert [(r["name"], r["email"], r["phone"], r["link"]) for r in ann_rows] == [
        ("Bob", "", "", BOB_LINK)]
    assert ann_rows[0]["organization"] == "'=HYPERLINK(\"http://x\")"  # text, not a formula
    assert [(r["name"], r["email"], r["phone"], r["link"]) for r in bob_rows] == [
        ("Ann", ANN_EMAIL, ANN_PHONE, "")]
    assert bob_rows[0]["sector"] == "Municipality"
    for unshared in (ANN_LINK, BOB_EMAIL, CID_EMAIL):
        assert unshared not in ann_csv.text + bob_csv.text
    # A third participant, the facilitators and the organizer never get them.
    assert _get(http, "/api/me/connections", flow.cid.token).json()["connections"] == []
    for token in (flow.forum.organizer, flow.forum.facilitator, flow.forum.observer):
        for path in ("/api/me/connections", "/api/me/connections.csv"):
            assert _get(http, path, token).status_code == 403
    figures = [_get(http, f"/api/forums/{flow.forum.id}/networking", token)
               for token in (flow.forum.organizer, flow.forum.facilitator)]
    for answer in figures:
        assert answer.json() == {
            "connections": 1, "cross_sector": 1, "cross_country": 1,
            "by_sector_pair": [{"sectors": ["business", "municipality"], "connections": 1}],
            "by_country_pair": [{"countries": ["FI", "SE"], "connections": 1}],
            "label": answer.json()["label"]}
        for personal in ("Ann", "Bob", flow.ann.id, flow.bob.id, ANN_EMAIL, BOB_LINK):
            assert personal not in answer.text
    for token in (flow.ann.token, flow.forum.observer):
        assert _get(http, f"/api/forums/{flow.forum.id}/networking", token
                    ).status_code == 403


@needs_rounds
async def test_no_email_in_any_websocket_message_of_a_networking_flow(
        module_server: Server, clients: Clients) -> None:
    """Hall and room, staff, projector and people: no message carries a contact detail."""
    flow = await connected_pair(module_server, clients)
    hall_messages = [c for c in flow.watching if c.welcome["kind"] == "hall"]
    assert any(named(c, "member.joined") for c in hall_messages)
    text = seen_text(*flow.watching)
    assert flow.ann.id in text  # the check can fail: the flow was seen
    assert flow.bob.id in text
    for detail in (ANN_EMAIL, ANN_PHONE, ANN_LINK, BOB_EMAIL, BOB_LINK, CID_EMAIL):
        assert detail not in text
        assert detail not in event_texts(module_server)
        assert detail not in "".join(module_server.output)
