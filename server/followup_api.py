"""Follow-up of action items over HTTP: the organizer's board of every room's action items,
and the page of one item for its owner, reached by a follow-up link (``followup_links``).

A change made through a follow-up link is a room command like any other: the server sends
``action.status`` to the room's host as the ``followup`` actor, so it lands in the room's log
(every view, export and the item's history see it, with its time) and the room's clients get
the event live.
"""

from __future__ import annotations

import datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from rooms.actors import Actor, Role
from rooms.hall.labels import label_view
from rooms.hall.state import HallState
from rooms.outcomes import FOLLOWUP_ACTOR, action_view
from rooms.outcomes_state import ActionItem
from rooms.state import RoomState

from . import followup_links
from .api import ApiError, _body, api, base_url, services
from .auth import InvalidToken
from .followup_links import FollowupLink
from .forum_api import organizer_hall
from .room_host import RoomHost
from .services import Services

_OPEN = ("open", "in_progress")  # statuses an item can be overdue in
_STATUS = {"not_found": 404, "invalid_state": 409, "unavailable": 503, "invalid_args": 400}


def today() -> str:
    """Today's date (UTC) as YYYY-MM-DD: an item due before it and not finished is overdue."""
    return datetime.datetime.now(datetime.UTC).date().isoformat()


def _who(state: RoomState, by: str) -> dict[str, Any]:
    """Who made a change, as a page shows it: a member by name, staff, or the follow-up link."""
    if by == FOLLOWUP_ACTOR:
        return {"kind": "followup", "name": None}
    member = state.members.get(by)
    if member is not None:
        return {"kind": "member", "name": member.name}
    return {"kind": "staff", "name": None}


def item_json(state: RoomState, item: ActionItem, on: str) -> dict[str, Any]:
    """An action item for the board and the follow-up page (member ids turned into names)."""
    view = action_view(item)
    rec = state.outcomes.recommendations.get(item.recommendation or "")
    owner = state.members.get(item.owner_member or "")
    view["owner_member"] = {"id": owner.id, "name": owner.name} if owner else None
    view["history"] = [{**h, "by": _who(state, h["by"])} for h in view["history"]]
    view["recommendation"] = None if rec is None else {
        "id": rec.id, "title": rec.title, "rationale": rec.rationale, "action": rec.action,
        "owner": rec.owner, "due": rec.due}
    view["last_change"] = view["history"][-1] if view["history"] else None
    view["overdue"] = item.due is not None and item.due < on and item.status in _OPEN
    for key in ("created_by", "edited_by"):  # ids of people: not for a link's holder
        del view[key]
    return view


# The organizer's board ------------------------------------------------------------------------


@api
async def forum_actions(request: Request) -> Response:
    """``GET /api/forums/{forum_id}/actions``: every action item of every room of the forum."""
    grant, hall = await organizer_hall(request)
    s = services(request)
    hall_state: HallState = hall.state
    on, base = today(), base_url(request)
    rooms, actions = [], []
    for record in await s.store.list_rooms(grant.forum_id):
        host = await s.hosts.get(record)
        state: RoomState = host.state
        rooms.append({"id": record.id, "title": state.title or record.title})
        for item in state.outcomes.actions.values():
            token = followup_links.issue(s.signer, FollowupLink(grant.forum_id, record.id,
                                                                 item.id))
            actions.append({**item_json(state, item, on),
                            "room": {"id": record.id, "title": state.title or record.title},
                            "followup": {"token": token, "url": f"{base}/followup/{token}"}})
    return JSONResponse({"label": label_view(hall_state.forum.label), "today": on,
                         "rooms": rooms, "actions": actions})


# The owner's follow-up page --------------------------------------------------------------------


async def _followed(request: Request) -> tuple[Services, FollowupLink, RoomHost]:
    """The link of the token in the path and the live host of its room (else 401 or 404)."""
    s = services(request)
    try:
        link = followup_links.verify(s.signer, request.path_params["token"])
    except InvalidToken as error:
        raise ApiError(401, "unauthorized", "this follow-up link is not valid") from error
    record = await s.store.get_room(link.room_id)
    if record is None or record.forum_id != link.forum_id or record.kind != "room":
        raise ApiError(404, "not_found", "the room of this action item no longer exists")
    return s, link, await s.hosts.get(record)


async def _answer(s: Services, link: FollowupLink, host: RoomHost) -> dict[str, Any]:
    state: RoomState = host.state
    item = state.outcomes.actions.get(link.action_id)
    if item is None:
        raise ApiError(404, "not_found", "this action item was deleted")
    forum = await s.store.get_forum(link.forum_id)
    hall = await s.hosts.hall_of(link.forum_id)
    hall_state: HallState | None = hall.state if hall is not None else None
    return {"item": item_json(state, item, today()),
            "room": {"id": host.id, "title": state.title},
            "forum": {"title": forum.title if forum else ""},
            "label": label_view(hall_state.forum.label) if hall_state else None}


@api
async def show_followup(request: Request) -> Response:
    """``GET /api/followup/{token}``: the action item of a follow-up link, with its context."""
    s, link, host = await _followed(request)
    return JSONResponse(await _answer(s, link, host))


@api
async def change_followup(request: Request) -> Response:
    """``POST /api/followup/{token}``: change the item's status, with an optional note."""
    s, link, host = await _followed(request)
    body = await _body(request)
    unknown = sorted(set(body) - {"status", "note"})
    if unknown:
        raise ApiError(400, "invalid_args", f"unknown field '{unknown[0]}'")
    outcome = await host.submit("action.status", {"id": link.action_id, **body},
                                Actor(FOLLOWUP_ACTOR, Role.SYSTEM), None)
    if outcome["type"] != "ack":
        code = str(outcome["code"])
        raise ApiError(_STATUS.get(code, 400), code, str(outcome["message"]))
    return JSONResponse(await _answer(s, link, host))
