"""Results and exports over HTTP: the organizer's files, and a participant's results page.

Every answer is personal data or confidential (``Cache-Control: no-store``) and names its
file (``Content-Disposition``) after the forum and the day; docs/protocol.md, "Results and
exports", lists them.
"""

from __future__ import annotations

import asyncio
import re
import unicodedata

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from rooms.actors import Role

from ..api import ApiError, api, grant_of, services
from ..room_host import wall_clock
from . import brief, csv_export, json_export, markdown, pdf
from .collect import Model, collect, for_participant
from .schema import schema
from .sources import NoForum, Sources, live


async def _sources(request: Request, forum_id: str) -> Sources:
    s = services(request)
    try:
        return await live(s.store, s.hosts, forum_id, s.vocabulary, wall_clock())
    except NoForum as error:
        raise ApiError(404, "not_found", "no such forum (or it predates halls)") from error


async def _organizer_model(request: Request) -> Model:
    """The organizer's model of the forum in the path (else 401/403/404)."""
    grant = grant_of(request)
    forum_id = request.path_params["forum_id"]
    if grant.forum_id != forum_id or grant.role is not Role.ORGANIZER:
        raise ApiError(403, "forbidden", "only the forum's organizer may export its results")
    return collect(await _sources(request, forum_id))


def _file(body: bytes | str, media_type: str, model: Model, suffix: str,
          disposition: str = "attachment") -> Response:
    name = f"{_slug(model['forum']['title'])}-{model['generated_at'][:10]}{suffix}"
    return Response(body, media_type=media_type, headers={
        "Content-Disposition": f'{disposition}; filename="{name}"',
        "Cache-Control": "no-store"})


def _slug(title: str) -> str:
    """A file name's part from a title: ASCII letters, digits and dashes (Łódź -> odz)."""
    plain = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]+", "-", plain).strip("-").lower()[:60] or "forum"


@api
async def export_json(request: Request) -> Response:
    """``GET /api/forums/{forum_id}/export.json``: everything, against the schema."""
    model = await _organizer_model(request)
    return _file(json_export.render(model), "application/json", model, ".json")


@api
async def export_markdown(request: Request) -> Response:
    """``GET /api/forums/{forum_id}/export.md``: the report."""
    model = await _organizer_model(request)
    return _file(markdown.render(model), "text/markdown; charset=utf-8", model, ".md")


@api
async def export_csv(request: Request) -> Response:
    """``GET /api/forums/{forum_id}/export/{table}.csv``: one table."""
    table = request.path_params["table"]
    if table not in csv_export.TABLES:
        raise ApiError(404, "not_found", "no such table; the tables are "
                       + ", ".join(csv_export.TABLES))
    model = await _organizer_model(request)
    return _file(csv_export.render(model, table), "text/csv; charset=utf-8", model,
                 f"-{table}.csv")


@api
async def brief_html(request: Request) -> Response:
    """``GET /api/forums/{forum_id}/brief.html``: the brief, to read and print."""
    model = await _organizer_model(request)
    return _file(brief.render(model), "text/html; charset=utf-8", model, "-brief.html",
                 "inline")


@api
async def brief_pdf(request: Request) -> Response:
    """``GET /api/forums/{forum_id}/brief.pdf``: the brief printed by headless Chromium."""
    model = await _organizer_model(request)
    chromium = pdf.find_chromium(services(request).settings.chromium)
    try:
        async with _printer(request):
            printed = await pdf.render(brief.render(model), chromium)
    except pdf.PdfUnavailable as error:
        raise ApiError(503, "pdf_unavailable", str(error)) from error
    return _file(printed, "application/pdf", model, "-brief.pdf")


PRINTS_AT_ONCE = 2  # Chromiums of this process at a time: a venue laptop has a few cores


def _printer(request: Request) -> asyncio.Semaphore:
    """The app's limit on PDFs printed at once (made on first use, in the app's loop)."""
    state = request.app.state
    printer: asyncio.Semaphore | None = getattr(state, "pdf_printer", None)
    if printer is None:
        printer = state.pdf_printer = asyncio.Semaphore(PRINTS_AT_ONCE)
    return printer


@api
async def my_results(request: Request) -> Response:
    """``GET /api/me/results``: the forum's results and the participant's own action items."""
    s, grant = services(request), grant_of(request)
    if grant.role is not Role.PARTICIPANT:
        raise ApiError(403, "forbidden", "this page is a participant's own")
    me = await s.store.get_participant(grant.subject)
    if me is None or me.forum_id != grant.forum_id:
        raise ApiError(401, "unauthorized", "this participant no longer exists")
    sources = await _sources(request, grant.forum_id)
    return JSONResponse(for_participant(sources, me.id), headers={"Cache-Control": "no-store"})


async def export_schema(request: Request) -> Response:
    """``GET /api/export.schema.json``: the JSON Schema every ``export.json`` validates against."""
    return JSONResponse(schema(), media_type="application/schema+json",
                        headers={"Cache-Control": "public, max-age=3600"})
