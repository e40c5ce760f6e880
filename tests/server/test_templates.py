"""Templates over real HTTP and a real SQLite file: the pilot, saving a forum, forums from them."""

from __future__ import annotations

import contextlib
import json
import sqlite3
from typing import Any

import pytest

from client import ApiError
from tests.harness import Server
from tests.server.helpers import Clients, Forum, ServerFactory, snapshot_of

PHASES = [{"id": "think", "label": "Think", "allows": ["ideas"]},
          {"id": "pick", "label": "Pick", "allows": ["votes"]}]
AGENDA: list[dict[str, Any]] = [
    {"kind": "plenary", "title": "Opening", "minutes": 20, "start": 1_900_000_000_000},
    {"kind": "hackathon", "title": "Hacks", "minutes": 90, "rooms": [
        {"title": "Storms", "challenge": "Keep the power on", "capacity": 8, "phases": PHASES,
         "budget": 4, "cap": 2, "anonymous": True},
        {"title": "Drought", "challenge": "Share the water"}]},
    {"kind": "evaluation", "title": "Feedback", "minutes": 10},
]


def _forum(server: Server, **body: Any) -> Forum:
    made = server.api.request("POST", "/api/forums", {"title": "Storm forum",
                                                      "topic": "Storms", **body})
    return Forum(server.api, made)


def _save(forum: Forum, body: dict[str, Any] | None = None,
          token: str | None = None) -> dict[str, Any]:
    saved: dict[str, Any] = forum.api.request(
        "POST", f"/api/forums/{forum.id}/template", {} if body is None else body,
        forum.organizer if token is None else token)
    return saved


def _refused(call: Any) -> ApiError:
    with pytest.raises(ApiError) as caught:
        call()
    return caught.value


def _templates_named(server: Server, name: str) -> int:
    with contextlib.closing(sqlite3.connect(f"file:{server.database}?mode=ro", uri=True)) as db:
        return int(db.execute("SELECT COUNT(*) FROM templates WHERE name = ?", (name,))
                   .fetchone()[0])


def test_the_pilot_is_a_built_in_template(module_server: Server) -> None:
    """`pilot`: a crisis-communication plenary, three hackathon rooms, networking, evaluation."""
    pilot = module_server.api.request("GET", "/api/templates/pilot")
    assert (pilot["builtin"], pilot["label"]) == (True, "chatham-house")
    assert [s["kind"] for s in pilot["sessions"]] == [
        "plenary", "hackathon", "networking", "evaluation"]
    assert "crisis communication" in pilot["sessions"][0]["title"].lower()
    rooms = pilot["sessions"][1]["rooms"]
    assert [r["title"] for r in rooms] == ["Floods", "Forest fires", "Heat waves"]
    assert all(r["challenge"].endswith("?") for r in rooms)
    listed = module_server.api.request("GET", "/api/templates")["templates"]
    assert listed[0]["id"] == "pilot"
    assert listed[0]["sessions"][1]["rooms"] == ["Floods", "Forest fires", "Heat waves"]


async def test_a_forum_from_the_pilot_for_another_topic(module_server: Server,
                                                        clients: Clients) -> None:
    """A forum made from `pilot` with its own title and topic has the pilot's agenda and rooms."""
    made = module_server.api.request("POST", "/api/forums", {
        "template": "pilot", "title": "Storm forum", "topic": "Winter storms"})
    forum = Forum(module_server.api, made)
    assert [r["title"] for r in made["rooms"]] == ["Floods", "Forest fires", "Heat waves"]
    org = await clients.connect(module_server, forum.organizer, forum.hall)
    hall = snapshot_of(org)
    assert (hall["hall"]["title"], hall["hall"]["topic"]) == ("Storm forum", "Winter storms")
    assert hall["hall"]["label"]["id"] == "chatham-house"
    assert [s["minutes"] for s in hall["agenda"]["sessions"]] == [45, 120, 30, 15]
    fires = await clients.connect(module_server, forum.facilitator, forum.rooms[1])
    assert "forest fire" in snapshot_of(fires)["room"]["challenge"]


def test_a_template_keeps_its_title_topic_and_label_unless_given(module_server: Server) -> None:
    """Without title or topic the forum takes the template's; a label given replaces its label."""
    made = module_server.api.request("POST", "/api/forums", {"template": "pilot",
                                                             "label": "tlp-amber"})
    saved = _save(Forum(module_server.api, made))
    pilot = module_server.api.request("GET", "/api/templates/pilot")
    assert made["forum"]["title"] == pilot["title"]
    assert (saved["topic"], saved["label"]) == (pilot["topic"], "tlp-amber")


async def test_a_saved_template_is_the_hall_as_it_is_now(module_server: Server,
                                                         clients: Clients) -> None:
    """Saving takes the live agenda (edits included), room settings and label, not the dates."""
    forum = _forum(module_server, sessions=AGENDA, label="tlp-green")
    org = await clients.connect(module_server, forum.organizer, forum.hall)
    await org.command("session.room_update", {"room": forum.rooms[1],
                                              "challenge": "Share the water fairly"})
    await org.command("label.set", {"label": "tlp-red"})
    done = await org.command("forum.update", {"topic": "Storms and drought"})
    await org.wait_seq(done["seq"])
    saved = _save(forum, {"name": "Storms, the format"})
    assert (saved["name"], saved["builtin"], saved["id"][0]) == ("Storms, the format", False, "t")
    assert (saved["title"], saved["topic"], saved["label"]) == (
        "Storm forum", "Storms and drought", "tlp-red")
    expected = [{k: v for k, v in s.items() if k != "start"} for s in AGENDA]
    expected[1]["rooms"][1]["challenge"] = "Share the water fairly"
    assert saved["sessions"] == expected
    assert saved == module_server.api.request("GET", f"/api/templates/{saved['id']}")
    assert saved["id"] in [t["id"] for t in
                           module_server.api.request("GET", "/api/templates")["templates"]]
    assert [o["id"] for o in saved["vocabulary"]["countries"]][-1] == "other"


async def test_a_forum_from_a_saved_template_runs_the_same_format(module_server: Server,
                                                                  clients: Clients) -> None:
    """A forum from a saved template has its rooms with their phases; saving it again is equal."""
    first = _save(_forum(module_server, sessions=AGENDA))
    made = module_server.api.request("POST", "/api/forums", {"template": first["id"],
                                                             "topic": "Hail"})
    forum = Forum(module_server.api, made)
    storms = await clients.connect(module_server, forum.organizer, forum.rooms[0])
    room = snapshot_of(storms)
    assert [p["id"] for p in room["phases"]] == ["think", "pick"]
    again = _save(forum)
    assert again["sessions"] == first["sessions"]
    assert again["topic"] == "Hail"


async def test_a_template_holds_no_personal_data(module_server: Server,
                                                 clients: Clients) -> None:
    """Members, their profiles and the links' tokens of a forum stay out of its template."""
    forum = _forum(module_server, sessions=AGENDA)
    org = await clients.connect(module_server, forum.organizer, forum.hall)
    zelda = forum.join("Zelda Quinterro", organization="Quinterro Rescue AB")
    await clients.connect(module_server, zelda.token, forum.hall)
    await org.expect(lambda m: m.get("name") == "member.joined")
    text = json.dumps(_save(forum))
    assert "Quinterro" not in text
    assert zelda.id not in text
    assert forum.facilitator not in text


def test_only_the_organizer_saves_a_template(module_server: Server) -> None:
    """Facilitator, participant and another forum's organizer get 403, no token 401."""
    forum, other = _forum(module_server, sessions=AGENDA), _forum(module_server, sessions=AGENDA)
    ann = forum.join("Ann")
    for token in (forum.facilitator, forum.observer, ann.token, other.organizer):
        error = _refused(lambda t=token: _save(forum, {"name": "Not mine"}, t))
        assert (error.status, error.code) == (403, "forbidden")
    error = _refused(lambda: forum.api.request("POST", f"/api/forums/{forum.id}/template",
                                               {"name": "Not mine"}))
    assert (error.status, error.code) == (401, "unauthorized")
    assert _templates_named(module_server, "Not mine") == 0


@pytest.mark.parametrize(("body", "why"), [
    ({"name": ""}, "an empty name"),
    ({"name": "x" * 161}, "a name too long"),
    ({"name": 7}, "a name that is no string"),
    ({"name": "Bad\u202e"}, "a bidi override"),
    ({"name": "Fine", "sessions": []}, "an unknown field"),
])
def test_a_bad_template_body_is_refused_and_stores_nothing(module_server: Server,
                                                           body: dict[str, Any],
                                                           why: str) -> None:
    """A bad name or an unknown field is 400 invalid_args, and no template is stored."""
    forum = _forum(module_server, sessions=AGENDA)
    error = _refused(lambda: _save(forum, body))
    assert (error.status, error.code) == (400, "invalid_args"), why
    if isinstance(body["name"], str):
        assert _templates_named(module_server, body["name"]) == 0


@pytest.mark.parametrize(("body", "words"), [
    ({"template": "tNoSuchTemplate"}, "no template"),
    ({"template": 12}, "must be an id"),
    ({"template": ""}, "must be an id"),
    ({"template": "pilot", "sessions": AGENDA}, "not both"),
    ({"template": "pilot", "rooms": [{"title": "A"}]}, "not both"),
    ({"template": "pilot", "label": "secret"}, "label"),
    ({"template": "pilot", "title": ""}, "title"),
])
def test_a_bad_template_for_a_forum_is_refused_and_stores_nothing(
        module_server: Server, body: dict[str, Any], words: str) -> None:
    """An unknown template, or one with an agenda or bad fields of its own, makes no forum."""
    body = {"title": f"Refused {words} {len(json.dumps(body))}", **body}
    error = _refused(lambda: module_server.api.request("POST", "/api/forums", body))
    assert (error.status, error.code) == (400, "invalid_args")
    assert words in error.message
    with contextlib.closing(sqlite3.connect(f"file:{module_server.database}?mode=ro",
                                            uri=True)) as db:
        assert db.execute("SELECT COUNT(*) FROM forums WHERE title = ?",
                          (body["title"],)).fetchone() == (0,)


def test_an_unknown_template_is_404(module_server: Server) -> None:
    """GET of a template nobody saved is 404 not_found; an id too long is 400."""
    error = _refused(lambda: module_server.api.request("GET", "/api/templates/tNope"))
    assert (error.status, error.code) == (404, "not_found")
    error = _refused(lambda: module_server.api.request("GET", "/api/templates/" + "t" * 65))
    assert (error.status, error.code) == (400, "invalid_args")


def test_templates_need_the_create_key_when_the_server_has_one(
        start_server: ServerFactory) -> None:
    """With HACKROOMS_CREATE_KEY, listing and reading templates need it, as creating does."""
    server = start_server(HACKROOMS_CREATE_KEY="sesame")
    for path in ("/api/templates", "/api/templates/pilot"):
        error = _refused(lambda p=path: server.api.request("GET", p))
        assert (error.status, error.code) == (401, "unauthorized")
        error = _refused(lambda p=path: server.api.request("GET", p, token="open"))
        assert error.status == 401
        assert server.api.request("GET", path, token="sesame")
    made = server.api.request("POST", "/api/forums", {"template": "pilot"}, "sesame")
    assert len(made["rooms"]) == 3


async def test_a_saved_template_keeps_the_polls_prepared_for_a_session(
        module_server: Server, clients: Clients) -> None:
    """Polls prepared with a session travel with the format and become drafts again."""
    body = {"title": "With polls", "sessions": [{"kind": "plenary", "title": "Opening",
                                                 "polls": [{"kind": "single", "question": "First?",
                                                            "options": ["Sirens", "Radio"]}]}]}
    made = module_server.api.request("POST", "/api/forums", body)
    saved = module_server.api.request("POST", f"/api/forums/{made['forum']['id']}/template", {},
                                      made["organizer"]["token"])
    assert saved["sessions"][0]["polls"] == [{"kind": "single", "question": "First?",
                                              "reveal": "live", "options": ["Sirens", "Radio"]}]
    again = module_server.api.request("POST", "/api/forums", {"template": saved["id"]})
    org = await clients.connect(module_server, again["organizer"]["token"], again["hall"]["id"])
    hall = snapshot_of(org)
    plenary = hall["agenda"]["sessions"][0]["id"]
    assert [(p["question"], p["status"], p["session"]) for p in hall["polls"]["list"]] == [
        ("First?", "draft", plenary)]
