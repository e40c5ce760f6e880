"""The OpenAPI document against the real server: every route in it, every real answer fits it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
import jsonschema
import pytest
from starlette.routing import Route

from client import Api
from server.app import create_app
from server.config import Settings
from tests.harness import Server
from tests.server.helpers import Clients, Forum, ServerFactory

AGENDA = [{"kind": "plenary", "title": "Opening", "minutes": 20},
          {"kind": "hackathon", "title": "Hacks", "rooms": [
              {"title": "Floods", "challenge": "Warn in time", "capacity": 5, "budget": 4,
               "cap": 2, "anonymous": True,
               "phases": [{"id": "open", "label": "Open", "allows": ["ideas", "votes"]}]}]}]
JOIN = {"name": "Ann", "organization": "City", "sector": "municipality", "country": "SE",
        "attendance": "onsite", "consent": {"contact": True}}
METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")


def _pointer(*parts: str) -> str:
    """A JSON pointer (RFC 6901) to the parts: ``~`` and ``/`` in them escaped."""
    return "".join("/" + p.replace("~", "~0").replace("/", "~1") for p in parts)


def _resolve(document: dict[str, Any], ref: str) -> Any:
    assert ref.startswith("#/"), f"only local references are used: {ref}"
    node: Any = document
    for part in ref[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        assert isinstance(node, dict), f"{ref} does not resolve"
        assert part in node, f"{ref} does not resolve"
        node = node[part]
    return node


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str):
            yield node["$ref"]
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


class Checked:
    """Requests to the real server whose answers are validated against the document."""

    def __init__(self, http: httpx.Client, document: dict[str, Any]) -> None:
        self.http, self.document = http, document

    def __call__(self, method: str, path: str, *, token: str | None = None,
                 json: Any = None, content: bytes | None = None,
                 content_type: str | None = None, **params: str) -> httpx.Response:
        """Send one request to ``path`` (a documented path) and validate its answer."""
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        if content_type:
            headers["Content-Type"] = content_type
        answer = self.http.request(method, path.format(**params), json=json, content=content,
                                   headers=headers)
        self._validate(method.lower(), path, answer, json)
        return answer

    def _validate(self, method: str, path: str, answer: httpx.Response, body: Any) -> None:
        operation = self.document["paths"][path][method]
        status = str(answer.status_code)
        where = f"{method.upper()} {path} answered {status}"
        assert status in operation["responses"], f"{where}: not documented ({answer.text:.200})"
        pointer = _pointer("paths", path, method, "responses", status)
        response = operation["responses"][status]
        if "$ref" in response:
            pointer, response = response["$ref"][1:], _resolve(self.document, response["$ref"])
        media = answer.headers["content-type"].split(";")[0]
        assert media in response["content"], f"{where} as {media}: not documented"
        if media == "application/json":
            self._against(pointer + _pointer("content", media, "schema"), answer.json(), where)
        if answer.is_success and body is not None:  # a body the server took fits its schema
            request = _pointer("paths", path, method, "requestBody", "content",
                               "application/json", "schema")
            self._against(request, body, f"the request body of {method.upper()} {path}")

    def _against(self, pointer: str, value: Any, where: str) -> None:
        # The document is the root, so that its "#/components/..." references resolve.
        validator = jsonschema.Draft202012Validator({**self.document, "$ref": "#" + pointer})
        errors = sorted(validator.iter_errors(value), key=lambda e: list(e.absolute_path))
        assert not errors, f"{where}: {errors[0].message} at {list(errors[0].absolute_path)}"


@pytest.fixture(scope="module")
def http(module_server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=module_server.url, timeout=15) as client:
        yield client


@pytest.fixture(scope="module")
def document(http: httpx.Client) -> dict[str, Any]:
    """The document as the server serves it."""
    answer = http.get("/openapi.json")
    assert answer.status_code == 200
    return answer.json()  # type: ignore[no-any-return]


@pytest.fixture
def call(http: httpx.Client, document: dict[str, Any]) -> Checked:
    return Checked(http, document)


def _forum(call: Checked, **body: Any) -> Forum:
    answer = call("POST", "/api/forums", json={"title": "Floods", "topic": "Warnings",
                                               "sessions": AGENDA, **body})
    assert answer.status_code == 201
    return Forum(Api(str(call.http.base_url)), answer.json())


# The document itself ---------------------------------------------------------------------


def _app_operations() -> set[tuple[str, str]]:
    """(path, method) of every HTTP route of the app but the pages (served by ``_page``)."""
    out = set()
    for route in create_app(Settings()).routes:
        if isinstance(route, Route) and "_page" not in route.endpoint.__qualname__:
            out |= {(route.path, m.lower()) for m in route.methods or () if m != "HEAD"}
    return out


def test_every_route_of_the_app_is_in_the_document(document: dict[str, Any]) -> None:
    """Each path and method the app serves (pages, /static and /ws aside) is documented."""
    documented = {(path, method) for path, operations in document["paths"].items()
                  for method in operations if method in METHODS}
    served = _app_operations()
    assert ("/api/forums", "post") in served, "the app's routes were not found"
    assert served - documented == set(), "routes missing from the OpenAPI document"
    assert documented - served == set(), "the document describes routes the app lacks"


def test_the_document_is_openapi_3_1(document: dict[str, Any]) -> None:
    """openapi 3.1.0, info, paths of operations with responses; every $ref resolves."""
    assert document["openapi"] == "3.1.0"
    assert document["info"]["title"]
    assert document["info"]["version"]
    ids = []
    for path, operations in document["paths"].items():
        assert path.startswith("/")
        for method, operation in operations.items():
            assert method in METHODS, f"{path}: {method} is no HTTP method"
            assert operation["responses"], f"{method} {path} has no responses"
            ids.append(operation["operationId"])
            names = {_resolve(document, p["$ref"])["name"] if "$ref" in p else p["name"]
                     for p in operation.get("parameters", [])}
            wanted = set(re.findall(r"\{(\w+)\}", path))  # {table}.csv has one too
            assert names == wanted, f"{method} {path}: path parameters {names} != {wanted}"
            for status in operation["responses"]:
                assert status == "default" or (len(status) == 3 and status.isdigit())
    assert len(ids) == len(set(ids)), "operationIds are not unique"
    for ref in _refs(document):
        _resolve(document, ref)
    for schema in document["components"]["schemas"].values():
        jsonschema.Draft202012Validator.check_schema(schema)


def test_the_validator_refuses_an_answer_of_the_wrong_shape(
        call: Checked, document: dict[str, Any]) -> None:
    """The check itself can fail: a forum without its join code does not fit the schema."""
    wrong = {"id": "f1", "title": "Floods", "topic": ""}
    with pytest.raises(AssertionError, match="join_code"):
        call._against(_pointer("components", "schemas", "Forum"), wrong, "a forum")
    error = {"error": {"code": "invalid_args", "message": "x"}}
    with pytest.raises(AssertionError, match="invalid_args"):
        call._against(_pointer("components", "responses", "404", "content",
                               "application/json", "schema"), error, "a 404")


# Real answers of every route -------------------------------------------------------------


def test_creating_forums(call: Checked, start_server: ServerFactory,
                         document: dict[str, Any]) -> None:
    """POST /api/forums: 201 from sessions, rooms or a template; 400, 413, 415; 401 with a key."""
    _forum(call)
    for body in ({"title": "Old", "rooms": [{"title": "A"}]},
                 {"template": "pilot", "topic": "Storms", "label": "tlp-red"}):
        assert call("POST", "/api/forums", json=body).status_code == 201
    for body in ({"title": "Bad"}, {"title": "Bad", "template": "tNone"},
                 {"title": "Bad", "sessions": [{"kind": "hackathon", "title": "H"}]}):
        assert call("POST", "/api/forums", json=body).status_code == 400
    assert call("POST", "/api/forums", content=b"{", content_type="application/json"
                ).json()["error"]["code"] == "bad_json"
    assert call("POST", "/api/forums", content=b"x" * 70_000,
                content_type="application/json").status_code == 413
    assert call("POST", "/api/forums", content=b"{}", content_type="text/plain"
                ).status_code == 415
    with httpx.Client(base_url=start_server(HACKROOMS_CREATE_KEY="k").url) as other:
        keyed = Checked(other, document)
        assert keyed("POST", "/api/forums", json={"template": "pilot"}).status_code == 401
        assert keyed("POST", "/api/forums", token="k",
                     json={"template": "pilot"}).status_code == 201
        assert keyed("GET", "/api/templates").status_code == 401
        assert keyed("GET", "/api/templates/{template_id}", template_id="pilot"
                     ).status_code == 401


def test_reading_a_forum(call: Checked) -> None:
    """GET /api/forums/{forum_id}: 200 for staff and the projector; 401, 403, 404."""
    forum = _forum(call)
    ann = call("POST", "/api/join", json={"code": forum.code, **JOIN}).json()["token"]
    path = "/api/forums/{forum_id}"
    for token in (forum.facilitator, forum.observer, forum.organizer):
        assert call("GET", path, token=token, forum_id=forum.id).status_code == 200
    assert call("GET", path, forum_id=forum.id).status_code == 401
    assert call("GET", path, token="a.b", forum_id=forum.id).status_code == 401
    assert call("GET", path, token=ann, forum_id=forum.id).status_code == 403
    assert call("GET", path, token=forum.organizer, forum_id="fNoSuch").status_code == 404


def test_facilitator_links(call: Checked) -> None:
    """Links: list 200, issue 201, revoke 200 then 409; 400, 403, 404, 415."""
    forum, other = _forum(call), _forum(call)
    links, one = "/api/forums/{forum_id}/links", "/api/forums/{forum_id}/links/{link_id}"
    org = {"token": forum.organizer, "forum_id": forum.id}
    assert call("GET", links, **org).status_code == 200
    made = call("POST", links, json={"label": "Floods", "room": forum.rooms[0]}, **org)
    assert made.status_code == 201
    assert call("POST", links, json={"label": "All"}, **org).status_code == 201
    assert call("POST", links, json={"room": forum.rooms[0]}, **org).status_code == 400
    assert call("POST", links, json={"label": "X", "room": "nope"}, **org).status_code == 404
    assert call("POST", links, content=b"{}", content_type="text/plain", **org
                ).status_code == 415
    assert call("GET", links, token=other.organizer, forum_id=forum.id).status_code == 403
    assert call("GET", links, forum_id=forum.id).status_code == 401
    link = made.json()["id"]
    assert call("DELETE", one, link_id=link, **org).status_code == 200
    assert call("DELETE", one, link_id=link, **org).status_code == 409
    assert call("DELETE", one, link_id="kNone", **org).status_code == 404
    assert call("DELETE", one, link_id=link, token=forum.facilitator,
                forum_id=forum.id).status_code == 403


def test_templates(call: Checked) -> None:
    """Templates: save 201 (400, 401, 403, 415), list 200, read 200 (400, 404)."""
    forum = _forum(call)
    save = "/api/forums/{forum_id}/template"
    saved = call("POST", save, json={"name": "Floods format"}, token=forum.organizer,
                 forum_id=forum.id)
    assert saved.status_code == 201
    assert call("POST", save, json={}, token=forum.organizer, forum_id=forum.id
                ).status_code == 201
    assert call("POST", save, json={"name": ""}, token=forum.organizer, forum_id=forum.id
                ).status_code == 400
    assert call("POST", save, json={}, forum_id=forum.id).status_code == 401
    assert call("POST", save, json={}, token=forum.facilitator, forum_id=forum.id
                ).status_code == 403
    assert call("POST", save, content=b"x", content_type="text/plain", token=forum.organizer,
                forum_id=forum.id).status_code == 415
    assert call("GET", "/api/templates").status_code == 200
    one = "/api/templates/{template_id}"
    for template in ("pilot", saved.json()["id"]):
        assert call("GET", one, template_id=template).status_code == 200
    assert call("GET", one, template_id="tNone").status_code == 404
    assert call("GET", one, template_id="t" * 65).status_code == 400


def test_joining(call: Checked) -> None:
    """Join: info 200 (400, 404), QR 200 as SVG (404), join 201 (400, 404, 415)."""
    forum = _forum(call)
    info, qr = "/api/join/{code}", "/api/join/{code}/qr.svg"
    assert call("GET", info, code=forum.code.lower()).status_code == 200
    assert call("GET", info, code="Z" * 33).status_code == 400
    assert call("GET", info, code="ZZZZZZ").status_code == 404
    assert call("GET", qr, code=forum.code).status_code == 200
    assert call("GET", qr, code="ZZZZZZ").status_code == 404
    assert call("POST", "/api/join", json={"code": forum.code, **JOIN}).status_code == 201
    assert call("POST", "/api/join", json={"code": forum.code, **JOIN, "sector": "x"}
                ).status_code == 400
    assert call("POST", "/api/join", json={"code": "ZZZZZZ", **JOIN}).status_code == 404
    assert call("POST", "/api/join", content=b"{}", content_type="text/plain"
                ).status_code == 415


def test_me_vocabulary_health_and_the_document(call: Checked) -> None:
    """/api/me 200 for a participant and the organizer, 401; vocabulary, health, this document."""
    forum = _forum(call)
    ann = call("POST", "/api/join", json={"code": forum.code, **JOIN}).json()["token"]
    for token in (ann, forum.organizer, forum.observer):
        assert call("GET", "/api/me", token=token).status_code == 200
    assert call("GET", "/api/me").status_code == 401
    for path in ("/api/vocabulary", "/healthz", "/openapi.json"):
        assert call("GET", path).status_code == 200


def test_contacts_and_networking_figures(call: Checked) -> None:
    """Join with about and details 201 (400); connections 200 JSON and CSV (401, 403); figures."""
    forum = _forum(call)
    body = {"code": forum.code, **JOIN, "about": "Flood sensors",
            "contact": {"email": "ann@example.org", "phone": "+46 70 123 45 67",
                        "link": "https://example.org/ann"},
            "consent": {"email": True, "phone": True, "link": False, "contact": True}}
    joined = call("POST", "/api/join", json=body)
    assert joined.status_code == 201
    assert joined.json()["participant"]["contact"] == {"email": "ann@example.org",
                                                       "phone": "+46 70 123 45 67"}
    ann = joined.json()["token"]
    assert call("POST", "/api/join", json={**body, "contact": {"email": "ann"}}
                ).status_code == 400
    assert call("GET", "/api/me", token=ann).status_code == 200
    for path in ("/api/me/connections", "/api/me/connections.csv"):
        assert call("GET", path, token=ann).status_code == 200
        assert call("GET", path, token=forum.organizer).status_code == 403
        assert call("GET", path).status_code == 401
    figures = "/api/forums/{forum_id}/networking"
    for token in (forum.organizer, forum.facilitator):
        assert call("GET", figures, token=token, forum_id=forum.id).status_code == 200
    assert call("GET", figures, token=ann, forum_id=forum.id).status_code == 403
    assert call("GET", figures, forum_id=forum.id).status_code == 401



def _followup(call: Checked, method: str, token: str, json: Any = None,
              content: bytes | None = None, content_type: str | None = None) -> httpx.Response:
    """A follow-up route's answer, validated (its path parameter is named like a bearer)."""
    headers = {"Content-Type": content_type} if content_type else {}
    answer = call.http.request(method, f"/api/followup/{token}", json=json, content=content,
                               headers=headers)
    call._validate(method.lower(), "/api/followup/{token}", answer, json)
    return answer


async def test_action_items_and_followup(call: Checked, module_server: Server,
                                         clients: Clients) -> None:
    """Board 200 (401, 403); follow-up read 200 (401, 404), change 200 (400, 401, 409, 415)."""
    forum = _forum(call)
    fac = await clients.connect(module_server, forum.facilitator, forum.rooms[0])
    added = await fac.command("action.add", {"title": "Buy sirens", "due": "2027-01-31"})
    await fac.command("action.add", {"title": "Gone soon"})
    board = "/api/forums/{forum_id}/actions"
    answer = call("GET", board, token=forum.organizer, forum_id=forum.id)
    assert answer.status_code == 200
    first, second = answer.json()["actions"]
    token, gone = first["followup"]["token"], second["followup"]["token"]
    assert call("GET", board, forum_id=forum.id).status_code == 401
    assert call("GET", board, token=forum.facilitator, forum_id=forum.id).status_code == 403
    assert _followup(call, "GET", token).json()["item"]["id"] == f"a{added['seq']}"
    assert _followup(call, "POST", token, {"status": "done", "note": "Bought"}
                     ).status_code == 200
    assert _followup(call, "POST", token, {"status": "done"}).status_code == 409
    assert _followup(call, "POST", token, {"status": "x"}).status_code == 400
    assert _followup(call, "POST", token, content=b"x", content_type="text/plain"
                     ).status_code == 415
    assert _followup(call, "GET", "a.b").status_code == 401
    await fac.command("action.delete", {"id": second["id"]})
    assert _followup(call, "GET", gone).status_code == 404
