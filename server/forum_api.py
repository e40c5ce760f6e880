"""Forum management over HTTP for its organizer: facilitator links (hand out, list, revoke).

A link is recorded in the forum's hall (``rooms/hall/links.py``) and its token is signed here,
from the link's id: the same link always gives the same token, so the organizer can list the
links again at any time, and a revoked link's token is refused everywhere on its next message.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from rooms.actors import Actor, Role
from rooms.hall.links import Link, link_view
from rooms.hall.state import HallState

from .api import ApiError, _body, api, base_url, grant_of, services
from .auth import Grant
from .room_host import RoomHost


async def organizer_hall(request: Request) -> tuple[Grant, RoomHost]:
    """The grant and the hall of the forum in the path, for its organizer only (else 4xx)."""
    s, grant = services(request), grant_of(request)
    forum_id = request.path_params["forum_id"]
    if grant.forum_id != forum_id or grant.role is not Role.ORGANIZER:
        raise ApiError(403, "forbidden", "only the forum's organizer may do this")
    hall = await s.hosts.hall_of(forum_id)
    if hall is None:
        raise ApiError(404, "not_found", "this forum has no hall (it predates halls)")
    return grant, hall


def _link_json(request: Request, forum_id: str, link: Link) -> dict[str, Any]:
    token = services(request).signer.issue(
        Grant(Role.FACILITATOR, forum_id, link.id, room=link.room, link=link.id))
    return {**link_view(link), "token": token,
            "url": f"{base_url(request)}/facilitate#token={token}"}


@api
async def list_links(request: Request) -> Response:
    """Every facilitator link of the forum, revoked ones included, with their tokens."""
    grant, hall = await organizer_hall(request)
    state: HallState = hall.state
    return JSONResponse({"links": [_link_json(request, grant.forum_id, link)
                                   for link in state.links.values()]})


@api
async def issue_link(request: Request) -> Response:
    """Hand out a facilitator link: for one room of the agenda, or for every room."""
    grant, hall = await organizer_hall(request)
    body = await _body(request)
    unknown = sorted(set(body) - {"label", "room"})
    if unknown:
        raise ApiError(400, "invalid_args", f"unknown field '{unknown[0]}'")
    outcome = await hall.submit("link.issue", body, Actor(grant.subject, Role.ORGANIZER), None)
    _raise_refusal(outcome)
    state: HallState = hall.state
    link = state.links[f"k{outcome['seq']}"]
    return JSONResponse(_link_json(request, grant.forum_id, link), 201)


@api
async def revoke_link(request: Request) -> Response:
    """Revoke a facilitator link: its token is refused on its next message, everywhere."""
    grant, hall = await organizer_hall(request)
    outcome = await hall.submit("link.revoke", {"id": request.path_params["link_id"]},
                                Actor(grant.subject, Role.ORGANIZER), None)
    _raise_refusal(outcome)
    state: HallState = hall.state
    return JSONResponse(link_view(state.links[request.path_params["link_id"]]))


_STATUS = {"not_found": 404, "invalid_state": 409, "forbidden": 403, "unavailable": 503}


def _raise_refusal(outcome: dict[str, Any]) -> None:
    """A command's error as the HTTP error of the same code."""
    if outcome["type"] == "ack":
        return
    code = str(outcome["code"])
    raise ApiError(_STATUS.get(code, 400), code, str(outcome["message"]))
