"""Templates over HTTP: save a forum's format, list the templates, read one.

Who may do what (docs/protocol.md, "Templates"): saving needs the organizer token of the forum;
listing and reading templates is for whoever may create a forum, since that is what they are
for: open to anyone, unless the server has ``HACKROOMS_CREATE_KEY`` (then that key).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from rooms.fields import Ref, Text
from rooms.hall.state import HallState

from . import templates
from .api import ApiError, _body, _check, api, services
from .forum_api import organizer_hall
from .ids import new_id
from .room_host import wall_clock
from .store.base import TemplateRecord

NAME = Text(160)


def _may_create(request: Request) -> None:
    """401 unless the request may create forums (the create key, when the server has one)."""
    key = services(request).settings.create_key
    if key and request.headers.get("authorization") != f"Bearer {key}":
        raise ApiError(401, "unauthorized", "templates need the server's create key")


@api
async def save_template(request: Request) -> Response:
    """Save the format of the forum in the path, as its hall is now, under a name."""
    _grant, hall = await organizer_hall(request)
    body = await _body(request)
    unknown = sorted(set(body) - {"name"})
    if unknown:
        raise ApiError(400, "invalid_args", f"unknown field '{unknown[0]}'")
    state: HallState = hall.state
    name = _check(NAME, "name", body.get("name", state.forum.title))
    s = services(request)
    template = TemplateRecord(new_id("t"), name, wall_clock(),
                              templates.format_of(state, s.vocabulary))
    await s.store.save_template(template)
    return JSONResponse(templates.template_json(template), 201)


@api
async def list_templates(request: Request) -> Response:
    """The built-in and the saved templates, summed up."""
    _may_create(request)
    found = await templates.every(services(request).store)
    return JSONResponse({"templates": [templates.summary_json(t) for t in found]})


@api
async def get_template(request: Request) -> Response:
    """One template, whole: its settings and agenda as ``POST /api/forums`` takes them."""
    _may_create(request)
    template_id = _check(Ref(), "template_id", request.path_params["template_id"])
    template = await templates.find(services(request).store, template_id)
    if template is None:
        raise ApiError(404, "not_found", "no template has this id")
    return JSONResponse(templates.template_json(template))
