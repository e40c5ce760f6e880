"""Follow-up of action items over real HTTP and websockets: the organizer's board, the
owner's follow-up link changing the status live in the room, and its refusals."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from client import ApiError
from tests.harness import Server
from tests.server.helpers import Clients, Forum, event_at, new_forum, snapshot_of

OUTCOMES_PHASE = [{"id": "refine", "label": "Refine",
                   "allows": ["ideas", "comments", "reactions", "votes", "outcomes"]}]


def _forum(server: Server) -> Forum:
    return new_forum(server, {"title": "Room A", "challenge": "Warn people",
                              "phases": OUTCOMES_PHASE})


async def _item(server: Server, forum: Forum, clients: Clients) -> tuple[Any, ...]:
    """Ann's room with a recommendation and an action item she owns; the board's entry."""
    ann = forum.join("Ann")
    fac = await clients.connect(server, forum.facilitator, forum.room)
    a = await clients.connect(server, ann.token, forum.room)
    idea = f"i{(await a.command('idea.add', {'text': 'Sirens'}))['seq']}"
    made = await a.command("recommendation.create", {"title": "Sirens", "ideas": [idea]})
    rec = f"r{made['seq']}"
    ack = await fac.command("action.add", {"title": "Buy sirens", "recommendation": rec,
                                           "owner": "Ann, City", "owner_member": ann.id,
                                           "due": "2020-01-31"})
    board = forum.api.request("GET", f"/api/forums/{forum.id}/actions", token=forum.organizer)
    return fac, a, f"a{ack['seq']}", board


async def test_the_board_lists_every_item_with_a_followup_link(
        module_server: Server, clients: Clients) -> None:
    """The organizer's board shows the item with room, recommendation, owner and overdue mark."""
    forum = _forum(module_server)
    _, _, item_id, board = await _item(module_server, forum, clients)
    [item] = board["actions"]
    assert (item["id"], item["title"], item["status"]) == (item_id, "Buy sirens", "open")
    assert item["room"] == {"id": forum.room, "title": "Room A"}
    assert item["recommendation"]["title"] == "Sirens"
    assert item["owner_member"]["name"] == "Ann"
    assert item["overdue"] is True  # due in 2020, still open
    assert item["followup"]["url"].endswith(f"/followup/{item['followup']['token']}")
    assert board["rooms"] == [{"id": forum.room, "title": "Room A"}]


async def test_a_followup_link_changes_the_status_live_and_keeps_history(
        module_server: Server, clients: Clients) -> None:
    """POST with the link: the room's clients get the event, the history has it with its time."""
    forum = _forum(module_server)
    fac, a, item_id, board = await _item(module_server, forum, clients)
    token = board["actions"][0]["followup"]["token"]
    shown = forum.api.request("GET", f"/api/followup/{token}")
    assert shown["item"]["id"] == item_id
    assert shown["room"]["title"] == "Room A"
    assert shown["forum"]["title"] == "Floods"
    assert shown["label"]["id"]
    changed = forum.api.request("POST", f"/api/followup/{token}",
                                {"status": "in_progress", "note": "Ordered 12 sirens"})
    [change] = changed["item"]["history"]
    assert (change["status"], change["note"], change["by"]) == (
        "in_progress", "Ordered 12 sirens", {"kind": "followup", "name": None})
    assert changed["item"]["status"] == "in_progress"
    assert changed["item"]["overdue"] is True
    live = await a.expect(lambda m: m.get("type") == "event"
                          and m.get("name") == "action.status_changed")
    assert live["actor"] == "followup"
    assert live["data"]["status"] == "in_progress"
    assert change["at"] == live["at"]
    await event_at(fac, live["seq"])
    later = await clients.connect(module_server, forum.facilitator, forum.room)
    [kept] = snapshot_of(later)["outcomes"]["actions"]
    assert kept["history"][0]["by"] == "followup"


async def test_the_owner_finishes_it_and_the_board_shows_it_done(
        module_server: Server, clients: Clients) -> None:
    """After done, the board shows the last change and no overdue mark."""
    forum = _forum(module_server)
    _, _, _, board = await _item(module_server, forum, clients)
    token = board["actions"][0]["followup"]["token"]
    forum.api.request("POST", f"/api/followup/{token}", {"status": "done"})
    after = forum.api.request("GET", f"/api/forums/{forum.id}/actions",
                              token=forum.organizer)["actions"][0]
    assert after["status"] == "done"
    assert after["overdue"] is False
    assert after["last_change"]["status"] == "done"


@pytest.mark.parametrize("token", ["nonsense", "a.b", "e30.AAAA", "x" * 2000])
async def test_a_bad_token_is_401_json(module_server: Server, token: str) -> None:
    """A forged or malformed follow-up token is refused 401 with a JSON error."""
    api = module_server.api
    for method, body in (("GET", None), ("POST", {"status": "done"})):
        with pytest.raises(ApiError) as failure:
            api.request(method, f"/api/followup/{token}", body)
        assert (failure.value.status, failure.value.code) == (401, "unauthorized")


async def test_other_tokens_are_not_followup_links(module_server: Server,
                                                   clients: Clients) -> None:
    """Neither the organizer's nor a participant's token opens a follow-up page, nor a
    follow-up token the board (it is signed for its purpose only)."""
    forum = _forum(module_server)
    _, _, _, board = await _item(module_server, forum, clients)
    for token in (forum.organizer, forum.facilitator, forum.join("Bo").token):
        with pytest.raises(ApiError) as failure:
            forum.api.request("GET", f"/api/followup/{token}")
        assert failure.value.status == 401
    followup = board["actions"][0]["followup"]["token"]
    with pytest.raises(ApiError) as refused:
        forum.api.request("GET", f"/api/forums/{forum.id}/actions", token=followup)
    assert refused.value.status == 401


async def test_the_board_is_for_the_organizer_only(module_server: Server) -> None:
    """The board is 401 without a token and 403 for a facilitator or another forum's organizer."""
    forum, other = _forum(module_server), _forum(module_server)
    path = f"/api/forums/{forum.id}/actions"
    for token, status in ((None, 401), (forum.facilitator, 403), (other.organizer, 403)):
        with pytest.raises(ApiError) as failure:
            forum.api.request("GET", path, token=token)
        assert failure.value.status == status


@pytest.mark.parametrize(("body", "status", "code"), [
    ({"status": "finished"}, 400, "invalid_args"),
    ({}, 400, "invalid_args"),
    ({"status": "done", "due": "2027-01-01"}, 400, "invalid_args"),
    ({"status": "done", "note": 7}, 400, "invalid_args"),
    ({"status": "open"}, 409, "invalid_state"),
    ([1, 2], 400, "bad_request"),
])
async def test_bad_input_is_a_4xx_json(module_server: Server, clients: Clients,
                                       body: Any, status: int, code: str) -> None:
    """Bad bodies are answered 4xx with a JSON error and change nothing."""
    forum = _forum(module_server)
    _, _, _, board = await _item(module_server, forum, clients)
    token = board["actions"][0]["followup"]["token"]
    with pytest.raises(ApiError) as failure:
        forum.api.request("POST", f"/api/followup/{token}", body)
    assert (failure.value.status, failure.value.code) == (status, code)
    assert forum.api.request("GET", f"/api/followup/{token}")["item"]["history"] == []


async def test_non_json_is_415_and_bad_json_400(module_server: Server,
                                                clients: Clients) -> None:
    """A body that is not JSON is refused with the API's usual codes."""
    forum = _forum(module_server)
    _, _, _, board = await _item(module_server, forum, clients)
    url = f"{module_server.url}/api/followup/{board['actions'][0]['followup']['token']}"
    async with httpx.AsyncClient(timeout=10) as http:
        for data, kind, status in ((b"{", "application/json", 400),
                                   (b"x", "text/plain", 415)):
            answer = await http.post(url, content=data, headers={"Content-Type": kind})
            assert answer.status_code == status
            assert "error" in answer.json()


async def test_a_deleted_item_is_404(module_server: Server, clients: Clients) -> None:
    """When a facilitator deletes the item its follow-up link answers 404."""
    forum = _forum(module_server)
    fac, _, item_id, board = await _item(module_server, forum, clients)
    await fac.command("action.delete", {"id": item_id})
    with pytest.raises(ApiError) as failure:
        forum.api.request("GET", f"/api/followup/{board['actions'][0]['followup']['token']}")
    assert (failure.value.status, failure.value.code) == (404, "not_found")
