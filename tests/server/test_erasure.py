"""Erasure: after a participant erases their data, no copy of it is left anywhere we keep one.

Two server processes share one Redis and one SQLite file. A participant with a name found
nowhere else joins the hall and a room, posts, asks, answers a poll and connects with someone,
then erases. Their name, organization, "about" line and contact details must then be in no API
answer, no websocket message (live, replay, snapshot, after a restart), no byte of the SQLite
files and no byte of Redis's data; their contributions stay, as "a participant".
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis

from client import ApiError, ConnectionClosed, RoomClient
from server.openapi import DOCUMENT
from tests.harness import RedisServer, Server
from tests.server.helpers import OPEN_PHASE, Clients, Forum, snapshot_of
from tests.server.test_openapi import Checked

NAME = "Zyxwæ Ąžuolaitė"
ORGANIZATION = "Ųžvėjų Gelbėtojų Draugija"
ABOUT = "Qwfpgj flood sirens in Šventoji"
EMAIL, PHONE, LINK = "zyxwae.q@example.lt", "+370 699 13579", "https://example.lt/zyxwae-q"
SECRETS = (NAME, ORGANIZATION, ABOUT, EMAIL, PHONE, LINK)
ERASED = "a participant"

AGENDA: list[dict[str, Any]] = [
    {"kind": "plenary", "title": "Opening", "minutes": 20},
    {"kind": "hackathon", "title": "Hacks", "minutes": 60,
     "rooms": [{"title": "Floods", "phases": OPEN_PHASE}]},
    {"kind": "networking", "title": "Speed networking", "minutes": 30},
]


def leaks(text: str) -> list[str]:
    """The secrets found in a text, as typed or as a JSON escape would write them."""
    return [s for s in SECRETS if s in text or json.dumps(s)[1:-1] in text]


def byte_leaks(data: bytes) -> list[str]:
    return [s for s in SECRETS if s.encode() in data
            or json.dumps(s)[1:-1].encode() in data]


def seen(client: RoomClient, start: int = 0) -> str:
    """Every message a client received from index ``start``, as one text."""
    return "\n".join(json.dumps(m, ensure_ascii=False) for m in client.messages[start:])


def wait_for_aof_rewrite(r: redis.Redis, timeout: float = 20.0) -> None:
    """Wait until Redis has finished rewriting its append-only file (the erasure asked it)."""
    deadline = time.monotonic() + timeout
    while True:
        info = r.info("persistence")
        if not info["aof_rewrite_in_progress"] and not info["aof_rewrite_scheduled"]:
            return
        assert time.monotonic() < deadline, "the AOF rewrite did not finish"
        time.sleep(0.05)  # polling Redis's own state until the deadline


def latest_snapshot(client: RoomClient) -> dict[str, Any]:
    """The state of the newest snapshot a client received."""
    return dict([m for m in client.messages if m["type"] == "snapshot"][-1]["state"])


@pytest.fixture
def pair(tmp_path: Path, redis_server: RedisServer) -> Iterator[tuple[Server, Server]]:
    """Processes A and B on one Redis and one SQLite file."""
    env = {"REDIS_URL": redis_server.url, "HACKROOMS_SWEEP_MS": "200",
           "HACKROOMS_REDIS_TIMEOUT_MS": "1000"}
    servers = [Server(tmp_path / "hackrooms.db", env=env) for _ in range(2)]
    try:
        for srv in servers:
            srv.start()
        yield servers[0], servers[1]
    finally:
        for srv in servers:
            srv.stop()


def join(forum: Forum, name: str, **body: Any) -> dict[str, Any]:
    profile = {"code": forum.code, "name": name, "organization": "City", "sector": "municipality",
               "country": "SE", "attendance": "onsite", **body}
    answer: dict[str, Any] = forum.api.request("POST", "/api/join", profile)
    return answer


async def test_erasure_reaches_every_copy(pair: tuple[Server, Server], clients: Clients,
                                          redis_server: RedisServer) -> None:
    """After erasure no API answer, message, SQLite byte or Redis byte names the person."""
    a, b = pair
    forum = Forum(a.api, a.api.request("POST", "/api/forums", {
        "title": "Baltic resilience", "topic": "Extreme weather", "sessions": AGENDA}))
    zy = join(forum, NAME, organization=ORGANIZATION, about=ABOUT, sector="rescue_emergency",
              country="LT", contact={"email": EMAIL, "phone": PHONE, "link": LINK},
              consent={"email": True, "phone": True, "link": True})
    bob = join(forum, "Bob", contact={"email": "bob@example.se"}, consent={"email": True})
    me, token = zy["participant"]["id"], zy["token"]
    org = await clients.connect(a, forum.organizer, forum.hall)
    watchers = [await clients.connect(b, forum.observer, forum.hall),
                await clients.connect(b, forum.facilitator, forum.room),
                await clients.connect(a, forum.observer, forum.room)]
    bob_hall = await clients.connect(b, bob["token"], forum.hall)
    zy_hall = await clients.connect(a, token, forum.hall)
    zy_room = await clients.connect(a, token, forum.room)
    sessions = snapshot_of(org)["agenda"]["sessions"]
    plenary, networking = (next(s["id"] for s in sessions if s["kind"] == kind)
                           for kind in ("plenary", "networking"))

    await org.command("agenda.now", {"session": plenary})
    await zy_hall.command("question.ask", {"text": "Who sounds the sirens?"})
    made = await org.command("poll.create", {"kind": "single", "question": "Which channel?",
                                             "options": ["Sirens", "Radio"]})
    poll = f"p{made['seq']}"
    await org.command("poll.open", {"id": poll})
    await zy_hall.command("poll.answer", {"poll": poll, "answer": "o1"})
    idea = f"i{(await zy_room.command('idea.add', {'text': 'Cell broadcast drills'}))['seq']}"
    await zy_room.command("comment.add", {"idea": idea, "text": "Twice a year"})
    await zy_room.command("reaction.toggle", {"idea": idea, "reaction": "+1"})
    await org.command("agenda.now", {"session": networking})
    await org.command("round.start", {"present": [me, bob["participant"]["id"]]})
    await zy_hall.command("contact.request", {"member": bob["participant"]["id"]})
    last = await bob_hall.command("contact.request", {"member": me})
    await watchers[0].wait_seq(last["seq"])
    assert leaks(seen(watchers[0]))  # the test would see the name if it were still there
    assert EMAIL in json.dumps(a.api.request("GET", "/api/me/connections",
                                             token=bob["token"]), ensure_ascii=False)

    erased = a.api.request("POST", "/api/me/erase", {"confirm": "erase"}, token=token)
    assert erased["erased"] is True

    # The person's own connections are closed; their token stops working everywhere.
    assert (await zy_hall.wait_closed())[0] == 4401
    assert (await zy_room.wait_closed())[0] == 4401
    for srv in (a, b):
        for path in ("/api/me", "/api/me/data", "/api/me/connections"):
            with pytest.raises(ApiError) as refused:
                srv.api.request("GET", path, token=token)
            assert (refused.value.status, refused.value.code) == (401, "erased")
        with pytest.raises(ConnectionClosed) as closed:
            await RoomClient.connect(srv.ws_url, token, forum.hall)
        assert closed.value.code == 4401
    again = a.api.request("POST", "/api/me/erase", {"confirm": "erase"}, token=token)
    assert again == erased  # idempotent

    # Live screens on both processes get a fresh snapshot (a new epoch) without the name.
    for client in (org, *watchers, bob_hall):
        old_epoch = client.welcome["epoch"]
        fresh = await client.expect(lambda m, e=old_epoch: m["type"] == "snapshot"
                                    and m["epoch"] != e)
        await client.expect(lambda m, e=fresh["epoch"]: m["type"] == "synced"
                            and m["epoch"] == e)
        if client.welcome["you"]["role"] in ("organizer", "facilitator"):  # a fresh roster
            await client.expect(lambda m: m["type"] == "presence" and "members" in m["presence"])
        assert not leaks(seen(client, client.messages.index(fresh))), client.welcome
        members = {m["id"]: m for m in fresh["state"].get("members", [])}
        assert members[me]["name"] == ERASED
    ideas = latest_snapshot(watchers[1])["board"]["ideas"]
    assert [i["author"] for i in ideas] == [me]  # the contribution stays, as theirs

    # Replay from seq 0 (old and new epoch) and snapshots, on both processes.
    for srv in (a, b):
        for log, tok in ((forum.hall, forum.organizer), (forum.room, forum.facilitator)):
            for epoch in ("e-old", org.epoch if log == forum.hall else watchers[1].epoch):
                fresh_client = await clients.connect(srv, tok, log, resume=(epoch, 0))
                assert not leaks(seen(fresh_client))
    # HTTP answers that show people.
    for path, tok in (("/api/me/connections", bob["token"]),
                      (f"/api/forums/{forum.id}", forum.facilitator),
                      (f"/api/forums/{forum.id}/networking", forum.organizer),
                      ("/api/me/data", bob["token"])):
        assert not leaks(json.dumps(b.api.request("GET", path, token=tok),
                                    ensure_ascii=False)), path

    # After a restart the snapshot is made from the rewritten log.
    for client in (org, *watchers, bob_hall):
        await client.close()
    a.stop()
    a.start()
    after = await clients.connect(a, forum.organizer, forum.hall)
    assert not leaks(seen(after))
    assert {m["id"]: m["name"] for m in snapshot_of(after)["members"]}[me] == ERASED

    # No byte of the SQLite files, no byte of Redis's data.
    for path in Path(a.database).parent.glob(Path(a.database).name + "*"):
        assert not byte_leaks(path.read_bytes()), path
    r = redis.Redis.from_url(redis_server.url)
    try:
        dumped = b"".join(r.dump(key) or b"" for key in r.scan_iter())
        assert not byte_leaks(dumped)
        r.save()
        assert not byte_leaks((redis_server.directory / "dump.rdb").read_bytes())
        wait_for_aof_rewrite(r)
        for path in (redis_server.directory / "appendonlydir").iterdir():
            assert not byte_leaks(path.read_bytes()), path
    finally:
        r.close()
    assert not leaks("".join(a.output) + "".join(b.output))  # nor in the servers' logs


async def test_my_data_answers_everything(tmp_path: Path, clients: Clients) -> None:
    """GET /api/me/data has the profile, consent, contact, forum and contributions."""
    srv = Server(tmp_path / "hackrooms.db")
    srv.start()
    try:
        forum = Forum(srv.api, srv.api.request("POST", "/api/forums", {
            "title": "Baltic resilience", "topic": "Extreme weather", "sessions": AGENDA}))
        zy = join(forum, NAME, organization=ORGANIZATION, about=ABOUT,
                  contact={"email": EMAIL}, consent={"email": True})
        other = join(forum, "Bob")
        org = await clients.connect(srv, forum.organizer, forum.hall)
        hall = await clients.connect(srv, zy["token"], forum.hall)
        room = await clients.connect(srv, zy["token"], forum.room)
        bob = await clients.connect(srv, other["token"], forum.room)
        plenary = snapshot_of(org)["agenda"]["sessions"][0]["id"]
        await org.command("agenda.now", {"session": plenary})
        await hall.command("question.ask", {"text": "Who sounds the sirens?"})
        await room.command("idea.add", {"text": "Cell broadcast drills"})
        await bob.command("idea.add", {"text": "Bob's idea"})
        with httpx.Client(base_url=srv.url, timeout=15) as http:
            answer = Checked(http, DOCUMENT)("GET", "/api/me/data", token=zy["token"])
        assert answer.headers["content-disposition"].startswith("attachment")
        data = answer.json()
        assert data["participant"]["name"] == NAME
        assert data["participant"]["contact"] == {"email": EMAIL}
        assert data["participant"]["consent"] == {"email": True}
        assert data["forum"]["id"] == forum.id
        events = {e["name"]: e["data"] for log in data["logs"] for e in log["events"]}
        assert events["question.asked"]["text"] == "Who sounds the sirens?"
        assert events["idea.added"]["text"] == "Cell broadcast drills"
        assert events["member.joined"]["name"] == NAME
        assert "Bob's idea" not in json.dumps(data)  # only their own contributions
        assert data["counts"]["idea.added"] == 1
        with pytest.raises(ApiError) as refused:
            srv.api.request("POST", "/api/me/erase", {}, token=zy["token"])
        assert refused.value.code == "invalid_args"  # no confirmation, nothing erased
        assert srv.api.request("GET", "/api/me", token=zy["token"])["participant"]["name"] == NAME
    finally:
        srv.stop()


def run_purge(database: Path) -> str:
    """Run `hackrooms purge --days 30` as its own process; what it printed."""
    done = subprocess.run([sys.executable, "-m", "server", "purge", "--days", "30",
                           "--database", str(database)], capture_output=True, text=True,
                          timeout=60, check=True)
    return done.stdout


def file_leaks(directory: Path) -> dict[str, list[str]]:
    """The secrets found in the SQLite files (database, WAL, shared memory) of a directory."""
    found = {p.name: byte_leaks(p.read_bytes()) for p in directory.glob("hackrooms.db*")}
    return {name: hits for name, hits in found.items() if hits}


def _age(database: Path, forum_id: str, days: int) -> None:
    """Move a forum's creation ``days`` into the past, as the store records it."""
    db = sqlite3.connect(database, timeout=10)
    try:
        with db:
            db.execute("UPDATE forums SET created_at = created_at - ? WHERE id = ?",
                       (days * 86_400_000, forum_id))
    finally:
        db.close()


async def _old_and_new(srv: Server, clients: Clients) -> tuple[Forum, dict[str, Any],
                                                                  dict[str, Any]]:
    """Two forums with a participant each who entered the hall; the first made 40 days ago."""
    forums, people = [], []
    for title in ("Old forum", "New forum"):
        forum = Forum(srv.api, srv.api.request("POST", "/api/forums", {
            "title": title, "sessions": AGENDA}))
        person = join(forum, NAME if title == "Old forum" else "Newcomer",
                      organization=ORGANIZATION if title == "Old forum" else "",
                      contact={"email": EMAIL} if title == "Old forum" else {},
                      consent={"email": True})
        client = await clients.connect(srv, person["token"], forum.hall)
        await client.close()
        forums.append(forum)
        people.append(person)
    _age(srv.database, forums[0].id, 40)
    return forums[0], people[0], people[1]


async def test_hackrooms_purge_erases_forums_past_retention(tmp_path: Path,
                                                            clients: Clients) -> None:
    """`hackrooms purge --days 30` erases the 40-day-old forum's people, not the new one's."""
    srv = Server(tmp_path / "hackrooms.db", env={"HACKROOMS_RETENTION_DAYS": "0"})
    srv.start()
    try:
        old, person, newcomer = await _old_and_new(srv, clients)
    finally:
        srv.stop()
    assert "erased the personal data of 1 participants" in run_purge(srv.database)
    assert not file_leaks(tmp_path)
    srv.start()
    try:
        with pytest.raises(ApiError) as refused:
            srv.api.request("GET", "/api/me", token=person["token"])
        assert refused.value.code == "erased"
        assert srv.api.request("GET", "/api/me", token=newcomer["token"])["participant"]
        hall = await clients.connect(srv, old.organizer, old.hall)
        assert [m["name"] for m in snapshot_of(hall)["members"]] == [ERASED]
    finally:
        srv.stop()


async def test_the_server_purges_on_its_schedule(tmp_path: Path, clients: Clients) -> None:
    """A running server erases a forum past retention by itself; its screens resync."""
    srv = Server(tmp_path / "hackrooms.db", env={"HACKROOMS_RETENTION_DAYS": "30",
                                                 "HACKROOMS_PURGE_EVERY_S": "1"})
    srv.start()
    try:
        old, person, newcomer = await _old_and_new(srv, clients)
        watcher = await clients.connect(srv, old.organizer, old.hall)
        assert leaks(seen(watcher))
        fresh = await watcher.expect(lambda m: m["type"] == "snapshot"
                                     and m["epoch"] != watcher.welcome["epoch"], timeout=20)
        assert [m["name"] for m in fresh["state"]["members"]] == [ERASED]
        # The server says when it is done with the forum (the records go after the logs).
        srv.wait_for_line(lambda line: f"forum {old.id}: retention purge erased" in line)
        with pytest.raises(ApiError) as refused:
            srv.api.request("GET", "/api/me", token=person["token"])
        assert refused.value.code == "erased"
        assert srv.api.request("GET", "/api/me", token=newcomer["token"])["participant"]
    finally:
        srv.stop()
    assert not file_leaks(tmp_path)


def test_purge_needs_no_running_server(tmp_path: Path) -> None:
    """`hackrooms purge` on a new database erases nothing and says so."""
    assert "erased the personal data of 0 participants" in run_purge(tmp_path / "empty.db")
