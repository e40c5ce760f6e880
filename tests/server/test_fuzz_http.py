"""Fuzzing every HTTP route of the real server: no request, however bad, gets a 5xx or `internal`.

Each route of ``server.app.create_app()`` (a new route is fuzzed without a change here) gets
requests drawn by Hypothesis: its methods and others, path parameters of any bytes, bearer
tokens genuine, forged or not ASCII, content types, and bodies that are near the real ones,
any JSON, JSON with a hostile fragment spliced in (NaN, 1e999, a lone surrogate, nesting) or
bytes. After each route the server still answers a well-formed request, and its log holds no
traceback. The number of examples is fixed, so the time is bounded (a few seconds a route).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.routing import Mount, Route, WebSocketRoute

from server.app import create_app
from server.config import Settings
from tests.harness import Server
from tests.server.helpers import Forum, new_forum
from tests.server.strategies import dumps, json_values, spliced, texts

# A fixed number of examples bounds the time: about 20 s for the whole file on a busy machine.
BODY_EXAMPLES, API_EXAMPLES, PAGE_EXAMPLES = 150, 50, 20


def _routes() -> list[tuple[str, tuple[str, ...]]]:
    """Every path of the app with the methods it serves (static files under the mount)."""
    out: list[tuple[str, tuple[str, ...]]] = []
    for route in create_app(Settings()).routes:
        if isinstance(route, Route):
            out.append((route.path, tuple(sorted(route.methods or ("GET",)))))
        elif isinstance(route, Mount):
            out.append((route.path + "/{path}", ("GET", "HEAD")))
        elif isinstance(route, WebSocketRoute):
            out.append((route.path, ("GET",)))  # an HTTP request to the websocket's path
    return out


ROUTES = _routes()


@pytest.fixture(scope="module")
def forum(module_server: Server) -> Forum:
    """A real forum, so that some requests carry genuine codes, ids and tokens."""
    return new_forum(module_server)


@pytest.fixture(scope="module")
def http(module_server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=module_server.url, timeout=15) as client:
        yield client


@pytest.fixture(scope="module", autouse=True)
def no_traceback(module_server: Server) -> Iterator[None]:
    """Whatever the fuzzers send, the server logs no traceback (a failure it did not foresee)."""
    before = len(module_server.output)
    yield
    assert "Traceback" not in "".join(module_server.output[before:])


def _header(raw: bytes) -> bytes:
    """The bytes an HTTP header value may hold (visible, non-ASCII, inner space and tab)."""
    return bytes(b for b in raw if (b >= 0x21 and b != 0x7F) or b in b" \t").strip()


def _tokens(forum: Forum) -> st.SearchStrategy[bytes | None]:
    genuine = [forum.facilitator, forum.observer, forum.join("Fuzz").token, forum.organizer]
    forged = [t[:-1] + ("A" if t[-1] != "A" else "B") for t in genuine]
    return st.one_of(
        st.none(), st.sampled_from([f"Bearer {t}".encode() for t in genuine + forged]),
        texts.map(lambda t: _header(b"Bearer " + t.encode("utf-8", "surrogatepass"))),
        st.binary(max_size=64).map(lambda b: _header(b"Bearer " + b)),
        st.sampled_from([b"bearer", b"Basic eA==", b"Bearer", b"Bearer a.b"]))


def _path_values(forum: Forum) -> st.SearchStrategy[str]:
    """A path parameter, percent-encoded: genuine, any text, any bytes, or traversal."""
    return st.one_of(
        st.sampled_from([forum.id, forum.code, forum.code.lower(), forum.room, "", "..",
                         "pilot", "k2"]),
        texts.map(lambda t: quote(t.encode("utf-8", "surrogatepass"), safe="")),
        st.binary(max_size=40).map(lambda b: quote(b, safe="")),
        st.sampled_from(["..%2f..%2fetc%2fpasswd", "%00", "a/b", "x" * 3000, "app.js",
                         "%ED%A0%80", "%FF", "?", "#"]))


VALID_FORUM = {"title": "Floods", "topic": "Crisis communication",
               "rooms": [{"title": "Room A", "challenge": "Warn people", "budget": 5, "cap": 2,
                          "anonymous": False, "phases": [{"id": "open", "label": "Open",
                                                          "allows": ["ideas"]}]}]}


FROM_TEMPLATE = {"template": "pilot", "title": "Storms", "topic": "Winter storms",
                 "label": "tlp-green"}


def _valid_join(forum: Forum) -> dict[str, Any]:
    return {"code": forum.code, "name": "Ann", "organization": "", "sector": "municipality",
            "country": "SE", "attendance": "remote", "consent": {"contact": True}}


def _valid_join_with_contacts(forum: Forum) -> dict[str, Any]:
    """A join with about and every contact detail, each with its own consent."""
    return {**_valid_join(forum), "about": "Flood sensors",
            "contact": {"email": "ann@example.org", "phone": "+46 (0)70-123 45 67",
                        "link": "https://example.org/ann"},
            "consent": {"email": True, "phone": True, "link": True}}


@st.composite
def _mutated(draw: st.DrawFn, valid: dict[str, Any]) -> dict[str, Any]:
    """A valid body with one or two of its values (a room's, a contact's too) replaced or left
    out."""
    body = json.loads(json.dumps(valid))
    for _ in range(draw(st.integers(1, 2))):
        target = body
        rooms = body.get("rooms")
        # The first change may have replaced the rooms, or the first room, by anything.
        if isinstance(rooms, list) and rooms and isinstance(rooms[0], dict) and rooms[0] \
                and draw(st.booleans()):
            target = rooms[0]
        contact = body.get("contact")  # a join's contact details, nested the same way
        if isinstance(contact, dict) and contact and draw(st.booleans()):
            target = contact
        if not target:  # a one-field body whose field the first change left out
            break
        key = draw(st.sampled_from(sorted(target)))
        if draw(st.integers(0, 4)) == 0:
            del target[key]
        else:
            target[key] = draw(st.one_of(texts, texts, json_values))
    return body  # type: ignore[no-any-return]


def _bodies(path: str, forum: Forum) -> st.SearchStrategy[bytes | None]:
    valid = {"/api/forums": [VALID_FORUM, FROM_TEMPLATE], "/api/join": [_valid_join(forum),
                                                             _valid_join_with_contacts(forum)],
             "/api/forums/{forum_id}/template": [{"name": "Fuzzed format"}],
             "/api/forums/{forum_id}/links": [{"label": "Fuzz", "room": forum.room}],
             }.get(path)
    near = st.sampled_from(valid).flatmap(_mutated) if valid is not None else json_values
    return st.one_of(
        near.map(dumps).map(str.encode), near.map(dumps).map(str.encode),
        near.flatmap(spliced).map(lambda t: t.encode("utf-8", "surrogatepass")),
        json_values.map(dumps).map(str.encode), st.binary(max_size=200), st.none())


CONTENT_TYPES = st.one_of(st.just("application/json"), st.just("application/json"),
                          st.sampled_from(["application/json; charset=utf-16", "text/plain",
                                           "application/x-www-form-urlencoded", ""]))


def _check(answer: httpx.Response, request: str) -> None:
    """The property: a 4xx or a success, never a 5xx; a JSON error never says internal."""
    assert answer.status_code < 500, f"{request} -> {answer.status_code} {answer.text[:300]}"
    if answer.content and answer.headers.get("content-type", "").startswith("application/json"):
        body = json.loads(answer.content)
        if isinstance(body, dict) and isinstance(body.get("error"), dict):
            assert body["error"]["code"] != "internal", f"{request} -> {body}"


@pytest.mark.parametrize(("path", "methods"), ROUTES, ids=[p for p, _ in ROUTES])
def test_no_request_to_a_route_gets_a_5xx(module_server: Server, http: httpx.Client,
                                          forum: Forum, path: str,
                                          methods: tuple[str, ...]) -> None:
    """Any method, path parameter, token, content type or body: never a 5xx nor internal."""
    @settings(max_examples=BODY_EXAMPLES if "POST" in methods
              else API_EXAMPLES if path.startswith("/api") else PAGE_EXAMPLES,
              deadline=None, database=None, report_multiple_bugs=False,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(st.data())
    def fuzz(data: st.DataObject) -> None:
        method = data.draw(st.one_of(st.sampled_from(methods), st.sampled_from(
            ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"])))
        url = path
        for name in ("forum_id", "code", "path", "link_id", "template_id"):
            if "{" + name + "}" in url:
                url = url.replace("{" + name + "}", data.draw(_path_values(forum)))
        headers: dict[bytes, bytes] = {}
        if (token := data.draw(_tokens(forum))) is not None:
            headers[b"Authorization"] = token
        body = data.draw(_bodies(path, forum)) if method not in ("GET", "HEAD") else None
        if body is not None:
            headers[b"Content-Type"] = data.draw(CONTENT_TYPES).encode()
        answer = http.request(method, url, content=body, headers=headers)
        _check(answer, f"{method} {url} {headers} {body!r:.300}")

    fuzz()
    assert http.get("/healthz").json() == {"ok": True}  # and it still serves
