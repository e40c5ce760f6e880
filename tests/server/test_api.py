"""The JSON HTTP API over real HTTP: creating, joining and looking up forums."""

from __future__ import annotations

import base64
import contextlib
import json
import socket
import sqlite3
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from client import Api, ApiError
from tests.harness import Server
from tests.server.helpers import OPEN_PHASE, Forum, ServerFactory, new_forum

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
                            "qr": f"{base}/api/join/{code}/qr.svg", "local_only": True}


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
    ({"title": "Floods", "rooms": [{**ROOM, "budget": 5.0}]}, "a float is no integer"),
    ({"title": "Floods", "rooms": [{**ROOM, "cap": True}]}, "a boolean is no integer"),
    ({"title": "Floods\u202e", "rooms": [ROOM]}, "a bidi override in the title"),
    ({"title": "Floods", "topic": "\u2066x\u2069", "rooms": [ROOM]}, "bidi isolates"),
    ({"title": "Flo\x85ods", "rooms": [ROOM]}, "a C1 control character"),
    ({"title": "Floods", "topic": "a\rb", "rooms": [ROOM]}, "a carriage return"),
    ({"title": "Floods", "rooms": [{**ROOM, "phases": [{"id": "a", "label": "A\x07"}]}]},
     "a control character in a phase label"),
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


def _forums_titled(server: Server, title: str) -> int:
    with contextlib.closing(sqlite3.connect(f"file:{server.database}?mode=ro", uri=True)) as db:
        return int(db.execute("SELECT COUNT(*) FROM forums WHERE title = ?", (title,))
                   .fetchone()[0])


def _post(server: Server, path: str, content: bytes) -> httpx.Response:
    with httpx.Client(base_url=server.url, timeout=5) as http:
        return http.post(path, content=content, headers={"Content-Type": "application/json"})


DEEP = b'{"title": ' + b"[" * 1500 + b"]" * 1500 + b"}"  # 3 kB


@pytest.mark.parametrize("path", ["/api/forums", "/api/join"])
@pytest.mark.parametrize(("content", "why"), [
    (DEEP, "nested 1500 deep: past the parser's recursion"),
    (b'{"title": ' + b"[" * 33 + b"]" * 33 + b', "rooms": [{"title": "A"}]}',
     "nested 34 deep: past the protocol's limit"),
    (b'{"title": "Floods", "rooms": [{"title": "A", "budget": NaN}]}', "NaN"),
    (b'{"title": "Floods", "rooms": [{"title": "A", "budget": Infinity}]}', "Infinity"),
    (b'{"title": "Floods", "rooms": [{"title": "A", "budget": -Infinity}]}', "-Infinity"),
    (b'{"title": "Floods", "rooms": [{"title": "A", "budget": 1e999}]}', "beyond a double"),
    (b'{"code": "ABCDEF", "name": "Ann \\ud800", "title": "x \\udfff"}', "lone surrogates"),
    (b'{"code": "ABCDEF", "\\udc00": 1}', "a lone surrogate in a key"),
    (b'\xef\xbb\xbf{"title": "Floods"}', "a byte order mark"),
    (b'{"title": "Fl\xed\xa0\x80ods"}', "a surrogate encoded in UTF-8"),
    (b'{"title": "Floods"} {}', "two values"),
])
def test_a_body_that_is_not_rfc_8259_json_is_bad_json(module_server: Server, path: str,
                                                      content: bytes, why: str) -> None:
    """Deep nesting, NaN, Infinity, 1e999, lone surrogates, non-UTF-8: 400 bad_json, at once."""
    answer = _post(module_server, path, content)
    assert (answer.status_code, answer.json()["error"]["code"]) == (400, "bad_json"), why
    assert answer.json()["error"]["message"]


@pytest.mark.parametrize("field", ["title", "topic"])
def test_a_forum_with_a_lone_surrogate_is_refused_and_not_stored(module_server: Server,
                                                                 field: str) -> None:
    """A lone surrogate in a forum's title or topic is 400 bad_json, not a 5xx; nothing stored."""
    title = f"Surrogate in the {field}"
    body = {"title": title, "rooms": [ROOM], field: f"{title} \udfff"}
    answer = _post(module_server, "/api/forums", json.dumps(body).encode())
    assert (answer.status_code, answer.json()["error"]["code"]) == (400, "bad_json")
    assert _forums_titled(module_server, title) == 0


def test_a_name_with_a_lone_surrogate_is_refused(module_server: Server) -> None:
    """A lone surrogate in a participant's name is 400 bad_json (it was a 500)."""
    forum = new_forum(module_server)
    body = {"code": forum.code, "name": "Ann \ud800", "sector": "municipality",
            "country": "SE", "attendance": "remote"}
    answer = _post(module_server, "/api/join", json.dumps(body).encode())
    assert (answer.status_code, answer.json()["error"]["code"]) == (400, "bad_json")


@pytest.mark.parametrize("text", [
    "\u05e9\u05dc\u05d5\u05dd!\u200f",  # Hebrew, an RLM keeps the "!" on its side
    "\u0645\u0631\u062d\u0628\u0627 \u061c1",  # Arabic with an ALM
    "\u200e(Ann) \U0001f44b\U0001f3fd",  # an LRM, an emoji with a skin tone
    "a\u200db\u200cc",  # zero-width joiner and non-joiner
])
def test_right_to_left_text_and_its_marks_are_kept(module_server: Server, text: str) -> None:
    """Hebrew and Arabic with LRM/RLM/ALM, emoji and joiners are accepted and kept as sent."""
    made = module_server.api.create_forum(text, text, [{"title": text}])
    assert (made["forum"]["title"], made["forum"]["topic"]) == (text, text)
    assert made["rooms"][0]["title"] == text
    joined = Forum(module_server.api, made).join(text)
    assert module_server.api.me(joined.token)["participant"]["name"] == text


def test_a_non_ascii_token_is_401(module_server: Server) -> None:
    """A bearer token with non-ASCII bytes is 401 unauthorized (it was a 500)."""
    forum = new_forum(module_server)
    with httpx.Client(base_url=module_server.url, timeout=5) as http:
        for path in ("/api/me", f"/api/forums/{forum.id}"):
            answer = http.get(path, headers={"Authorization": b"Bearer \xe9t\xe9.\xff"})
            assert (answer.status_code, answer.json()["error"]["code"]) == (401, "unauthorized")


def _raw_request(server: Server, head: bytes, body: bytes, timeout: float) -> bytes:
    """Send a request by hand and read until the server has answered and closed (or timeout)."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=timeout) as sock:
        sock.sendall(head + b"\r\n\r\n" + body)
        answer = b""
        with contextlib.suppress(TimeoutError):
            while b"\r\n\r\n" not in answer or not answer.rstrip().endswith(b"}"):
                chunk = sock.recv(65536)
                if not chunk:
                    break
                answer += chunk
        return answer


def _post_head(length: int | str) -> bytes:
    return (b"POST /api/forums HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
            b"Content-Type: application/json\r\nContent-Length: " + str(length).encode())


def test_a_huge_content_length_is_refused_at_once(module_server: Server) -> None:
    """Content-Length 999999999 with 2 bytes sent is answered 413 at once, not held open."""
    started = time.monotonic()
    answer = _raw_request(module_server, _post_head(999_999_999), b"{}", timeout=5)
    assert answer.startswith(b"HTTP/1.1 413 "), answer[:200]
    assert b'"too_large"' in answer
    assert time.monotonic() - started < 2


def test_a_body_shorter_than_its_content_length_times_out(module_server: Server) -> None:
    """A body that never reaches its Content-Length is answered 408 timeout after 10 s."""
    started = time.monotonic()
    answer = _raw_request(module_server, _post_head(100), b'{"title": ', timeout=20)
    assert answer.startswith(b"HTTP/1.1 408 "), answer[:200]
    assert b'"timeout"' in answer
    assert 9 < time.monotonic() - started < 15


def test_a_streamed_body_is_cut_at_64_kib(module_server: Server) -> None:
    """A chunked body without Content-Length is refused 413 as soon as it passes 64 KiB."""
    def chunks() -> Iterator[bytes]:
        yield b'{"title": "'
        for _ in range(1000):  # 8 MB if it were all read
            yield b"x" * 8192

    with httpx.Client(base_url=module_server.url, timeout=10) as http:
        answer = http.post("/api/forums", content=chunks(),
                           headers={"Content-Type": "application/json"})
    assert (answer.status_code, answer.json()["error"]["code"]) == (413, "too_large")


def test_a_content_length_that_is_no_number_is_400(module_server: Server) -> None:
    """A Content-Length that is not a number is refused with a 4xx, never a 5xx."""
    answer = _raw_request(module_server, _post_head("12abc"), b"{}", timeout=5)
    assert answer.startswith(b"HTTP/1.1 400 "), answer[:200]


def test_an_unforeseen_failure_is_a_json_500_and_logged(start_server: ServerFactory) -> None:
    """A failure no route handles (a table gone from the database) is a JSON 500 internal."""
    srv = start_server()
    forum = new_forum(srv)
    with contextlib.closing(sqlite3.connect(srv.database)) as db:
        db.execute("DROP TABLE participants")
        db.commit()
    body = {"code": forum.code, "name": "Ann", "sector": "municipality", "country": "SE",
            "attendance": "remote"}
    answer = _post(srv, "/api/join", json.dumps(body).encode())
    assert answer.status_code == 500
    assert answer.json()["error"]["code"] == "internal"
    assert answer.headers["x-content-type-options"] == "nosniff"
    srv.wait_for_line(lambda line: "POST /api/join failed" in line)
    srv.wait_for_line(lambda line: "Traceback" in line)  # the framework logs it after our line
    assert srv.api.request("GET", "/healthz") == {"ok": True}


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
        "sector": "municipality", "country": "SE", "attendance": "onsite", "about": "",
        "consent": {"contact": True}, "contact": {}}
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
    assert facilitator["id"] == forum.made["facilitator"]["link"]  # known by its link
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
