"""The JSON HTTP API over real HTTP: creating, joining and looking up forums."""

from __future__ import annotations

import base64
import contextlib
import json
import sqlite3
from typing import Any

import httpx
import pytest

from client import Api, ApiError
from tests.harness import Server
from tests.server.helpers import OPEN_PHASE, ServerFactory, new_forum

ROOM = {"title": "Room A", "challenge": "How do we warn people?"}


def _error(call: Any) -> ApiError:
    with pytest.raises(ApiError) as caught:
        call()
    return caught.value


def forged(token: str, **changes: str) -> str:
    """A token whose payload was changed (say, to a higher role) keeping the old signature."""
    body, signature = token.split(".")
    payload = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    payload.update(changes)
    raw = json.dumps(payload, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode() + "." + signature


def test_create_forum_answers_rooms_tokens_and_links(module_server: Server) -> None:
    """Creating a forum answers 201 with its rooms, a facilitator and an observer token, links."""
    made = module_server.api.create_forum("Floods", "Crisis communication",
                                          [ROOM, {"title": "Room B", "phases": OPEN_PHASE}])
    base = module_server.url
    assert made["forum"]["title"] == "Floods"
    assert made["forum"]["topic"] == "Crisis communication"
    assert [r["title"] for r in made["rooms"]] == ["Room A", "Room B"]
    assert made["facilitator"]["url"] == f"{base}/facilitate#token={made['facilitator']['token']}"
    assert made["observer"]["url"] == f"{base}/projector#token={made['observer']['token']}"
    code = made["join"]["code"]
    assert made["join"] == {"code": code, "url": f"{base}/join/{code}",
                            "qr": f"{base}/api/join/{code}/qr.svg"}


@pytest.mark.parametrize(("body", "why"), [
    ({"rooms": [ROOM]}, "missing title"),
    ({"title": "  ", "rooms": [ROOM]}, "blank title"),
    ({"title": "Floods", "rooms": []}, "no room"),
    ({"title": "Floods", "rooms": [ROOM] * 13}, "13 rooms"),
    ({"title": "Floods"}, "rooms missing"),
    ({"title": "Floods", "rooms": "Room A"}, "rooms not a list"),
    ({"title": "Floods", "rooms": ["Room A"]}, "room not an object"),
    ({"title": "Floods", "rooms": [{"challenge": "no title"}]}, "room without title"),
    ({"title": "Floods", "rooms": [{**ROOM, "phases": []}]}, "no phase"),
    ({"title": "Floods", "rooms": [{**ROOM, "phases": [{"id": "Bad Id", "label": "x"}]}]},
     "bad phase id"),
    ({"title": "Floods", "rooms": [{**ROOM, "phases": OPEN_PHASE * 2}]}, "duplicate phase"),
    ({"title": "Floods", "rooms": [{**ROOM, "phases": [
        {"id": "a", "label": "A", "allows": ["teleport"]}]}]}, "unknown capability"),
    ({"title": "Floods", "rooms": [{**ROOM, "budget": 0}]}, "budget out of range"),
    ({"title": "Floods", "rooms": [{**ROOM, "budget": 3, "cap": 4}]}, "cap above budget"),
    ({"title": "Floods", "rooms": [{**ROOM, "cap": 6}]}, "cap above default budget"),
    ({"title": "Floods", "rooms": [{**ROOM, "surprise": 1}]}, "unknown room field"),
])
def test_create_forum_refuses_invalid_args(module_server: Server, body: dict[str, Any],
                                           why: str) -> None:
    """An invalid forum (title, 0 or 13 rooms, bad phases, cap > budget...) is 400 invalid_args."""
    error = _error(lambda: module_server.api.request("POST", "/api/forums", body))
    assert (error.status, error.code) == (400, "invalid_args"), why


def test_refused_forum_leaves_nothing_behind(module_server: Server) -> None:
    """A forum refused for a room rule (cap > budget) is not stored half-created."""
    body = {"title": "Refused forum", "rooms": [ROOM, {"title": "Bad", "budget": 2, "cap": 3}]}
    error = _error(lambda: module_server.api.request("POST", "/api/forums", body))
    assert (error.status, error.code) == (400, "invalid_args")
    with contextlib.closing(sqlite3.connect(f"file:{module_server.database}?mode=ro",
                                            uri=True)) as db:
        rows = db.execute("SELECT COUNT(*) FROM forums WHERE title = ?", (body["title"],))
        assert rows.fetchone() == (0,)


@pytest.mark.parametrize(("content", "content_type", "status", "code"), [
    (b"title=Floods", "application/x-www-form-urlencoded", 415, "bad_request"),
    (b'{"title": "Floods"', "application/json", 400, "bad_json"),
    (b'["Floods"]', "application/json", 400, "bad_request"),
    (b"\xff\xfe", "application/json", 400, "bad_json"),
])
def test_create_forum_refuses_a_body_that_is_not_a_json_object(
        module_server: Server, content: bytes, content_type: str, status: int,
        code: str) -> None:
    """A body that is not JSON, or not a JSON object, is refused with 415 or 400."""
    with httpx.Client(base_url=module_server.url) as http:
        answer = http.post("/api/forums", content=content,
                           headers={"Content-Type": content_type})
    assert answer.status_code == status
    assert answer.json()["error"]["code"] == code


def test_create_forum_refuses_a_body_above_64_kib(module_server: Server) -> None:
    """A request body above the API's limit is 413 too_large."""
    body = {"title": "Floods", "topic": "x" * (64 * 1024), "rooms": [ROOM]}
    error = _error(lambda: module_server.api.request("POST", "/api/forums", body))
    assert (error.status, error.code) == (413, "too_large")


def test_join_by_code_ignores_case_and_separators(module_server: Server) -> None:
    """A join code typed in lower case or with a dash joins the forum and answers a token."""
    forum = new_forum(module_server)
    typed = forum.code.lower()[:3] + "-" + forum.code.lower()[3:]
    joined = forum.api.join(typed, "Ann", sector="municipality", country="SE",
                            attendance="onsite", organization="City of Malmö",
                            consent={"contact": True, "ignored": True})
    assert joined["forum"]["id"] == forum.id
    assert [r["id"] for r in joined["rooms"]] == forum.rooms
    assert joined["participant"] == {
        "id": joined["participant"]["id"], "name": "Ann", "organization": "City of Malmö",
        "sector": "municipality", "country": "SE", "attendance": "onsite",
        "consent": {"contact": True}}
    assert joined["participant"]["id"].startswith("p")
    assert joined["token"]


def test_join_with_an_unknown_code_is_404(module_server: Server) -> None:
    """A code no forum has is 404 not_found, on joining and on the join info."""
    error = _error(lambda: module_server.api.join("ZZZZZZ", "Ann"))
    assert (error.status, error.code) == (404, "not_found")
    info = _error(lambda: module_server.api.request("GET", "/api/join/ZZZZZZ"))
    assert (info.status, info.code) == (404, "not_found")


@pytest.mark.parametrize("change", [
    {"sector": "pirates"}, {"country": "XX"}, {"attendance": "hybrid"}, {"name": ""},
    {"name": None}, {"consent": ["contact"]}, {"consent": {"contact": "yes"}},
    {"organization": "x" * 121},
])
def test_join_refuses_a_bad_profile(module_server: Server, change: dict[str, Any]) -> None:
    """A bad sector, country, attendance, name or consent is 400 invalid_args."""
    forum = new_forum(module_server)
    body = {"code": forum.code, "name": "Ann", "organization": "", "sector": "municipality",
            "country": "SE", "attendance": "remote", **change}
    error = _error(lambda: forum.api.request("POST", "/api/join", body))
    assert (error.status, error.code) == (400, "invalid_args")


def test_join_refuses_a_missing_code(module_server: Server) -> None:
    """A join without a code string is 400 invalid_args."""
    error = _error(lambda: module_server.api.request("POST", "/api/join", {"name": "Ann"}))
    assert (error.status, error.code) == (400, "invalid_args")


def test_join_info_shows_the_forum_rooms_and_vocabulary(module_server: Server) -> None:
    """GET /api/join/{code} shows the forum, its rooms and the profile vocabulary."""
    forum = new_forum(module_server, ROOM, {"title": "Room B"})
    info = forum.api.request("GET", f"/api/join/{forum.code.lower()}")
    assert info["forum"] == forum.made["forum"]
    assert info["rooms"] == forum.made["rooms"]
    vocabulary = info["vocabulary"]
    assert {"id": "municipality", "label": "Municipality"} in vocabulary["sectors"]
    assert {"id": "SE", "label": "Sweden"} in vocabulary["countries"]
    assert [a["id"] for a in vocabulary["attendance"]] == ["onsite", "remote"]
    assert forum.api.request("GET", "/api/vocabulary") == vocabulary


def test_me_tells_a_participant_who_they_are(module_server: Server) -> None:
    """GET /api/me with a participant token answers the role, the profile, forum and rooms."""
    forum = new_forum(module_server)
    ann = forum.join("Ann", attendance="onsite")
    me = forum.api.me(ann.token)
    assert me["role"] == "participant"
    assert me["id"] == ann.id
    assert me["participant"]["name"] == "Ann"
    assert me["participant"]["attendance"] == "onsite"
    assert me["forum"] == forum.made["forum"]
    assert me["rooms"] == forum.made["rooms"]


def test_me_tells_a_facilitator_and_an_observer_their_role(module_server: Server) -> None:
    """GET /api/me with a facilitator or observer token answers the role and no profile."""
    forum = new_forum(module_server)
    facilitator = forum.api.me(forum.facilitator)
    assert facilitator["role"] == "facilitator"
    assert facilitator["id"].startswith("h")
    assert "participant" not in facilitator
    observer = forum.api.me(forum.observer)
    assert (observer["role"], observer["id"]) == ("observer", "projector")


@pytest.mark.parametrize("token", ["participant-forged", "garbage", "a.b", "", None])
def test_a_forged_or_missing_token_is_401(module_server: Server, token: str | None) -> None:
    """A token that was tampered with, is malformed or is absent is 401 unauthorized."""
    forum = new_forum(module_server)
    if token == "participant-forged":
        token = forged(forum.join("Mallory").token, r="facilitator")
    for path in ("/api/me", f"/api/forums/{forum.id}"):
        error = _error(lambda p=path: forum.api.request("GET", p, token=token))
        assert (error.status, error.code) == (401, "unauthorized")


def test_forum_overview_for_facilitator_and_observer(module_server: Server) -> None:
    """GET /api/forums/{id} shows facilitators and observers each room's live state."""
    forum = new_forum(module_server, ROOM, {"title": "Room B", "phases": OPEN_PHASE})
    forum.join("Ann")
    for token in (forum.facilitator, forum.observer):
        overview = forum.api.forum(forum.id, token)
        assert overview["forum"] == forum.made["forum"]
        assert overview["join"]["code"] == forum.code
        rooms = overview["rooms"]
        assert [r["id"] for r in rooms] == forum.rooms
        assert [r["phase"] for r in rooms] == ["brief", "open"]
        for room in rooms:
            assert room["timer"] == {"status": "idle", "ends_at": 0, "remaining_ms": 0}
            assert (room["ideas"], room["votes"], room["members"]) == (0, 0, 0)
            assert room["presence"]["onsite"] == room["presence"]["remote"] == 0


def test_forum_overview_is_forbidden_to_participants_and_other_forums(
        module_server: Server) -> None:
    """A participant, or a facilitator of another forum, gets 403 on a forum's overview."""
    forum, other = new_forum(module_server), new_forum(module_server)
    ann = forum.join("Ann")
    for token in (ann.token, other.facilitator, other.observer):
        error = _error(lambda t=token: forum.api.forum(forum.id, t))
        assert (error.status, error.code) == (403, "forbidden")
    missing = _error(lambda: forum.api.forum("fnosuchforum", forum.facilitator))
    assert (missing.status, missing.code) == (404, "not_found")


def test_join_qr_code_is_an_svg(module_server: Server) -> None:
    """The join link's QR code is served as an SVG image."""
    forum = new_forum(module_server)
    with httpx.Client(base_url=module_server.url) as http:
        answer = http.get(f"/api/join/{forum.code.lower()}/qr.svg")
        unknown = http.get("/api/join/ZZZZZZ/qr.svg")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("image/svg+xml")
    assert answer.text.lstrip().startswith("<svg")
    assert answer.text.rstrip().endswith("</svg>")
    assert unknown.status_code == 404


def test_health(module_server: Server) -> None:
    """GET /healthz answers ok."""
    assert module_server.api.request("GET", "/healthz") == {"ok": True}


def test_create_key_is_required_when_configured(start_server: ServerFactory) -> None:
    """With HACKROOMS_CREATE_KEY set, creating a forum needs that key as a bearer token."""
    srv = start_server(HACKROOMS_CREATE_KEY="sesame")
    api = Api(srv.url)
    for key in (None, "wrong", "sesam"):
        error = _error(lambda k=key: api.create_forum("Floods", "", [ROOM], key=k))
        assert (error.status, error.code) == (401, "unauthorized")
    made = api.create_forum("Floods", "", [ROOM], key="sesame")
    assert made["rooms"][0]["title"] == "Room A"
    # Joining is not behind the key: it is for everyone who has the join code.
    assert api.join(made["join"]["code"], "Ann")["token"]
