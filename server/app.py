"""The ASGI application: routes, static files, and the lifespan that opens what they share."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket

from rooms.profiles import Vocabulary

from . import (
    api,
    followup_api,
    forum_api,
    networking_api,
    openapi,
    origins,
    privacy_api,
    profile_api,
    template_api,
)
from .auth import Signer, new_secret
from .bus.base import Bus
from .bus.memory import MemoryBus
from .config import Settings
from .exports import routes as exports
from .hosts import RoomHosts
from .limits import Limits
from .openings import Openings
from .protocol import Close
from .retention import scheduled_purge
from .services import Services
from .session import websocket_endpoint
from .store import describe, open_store

log = logging.getLogger("hackrooms.app")
STATIC = Path(__file__).resolve().parent.parent / "static"


def make_bus(settings: Settings) -> Bus:
    """The in-process bus, or Redis when ``REDIS_URL`` is set."""
    if settings.redis_url:
        from .bus.redis import RedisBus  # imported only when used: the default needs no Redis

        return RedisBus(settings.redis_url, presence_ttl_ms=settings.presence_ttl_ms,
                        timeout_s=settings.redis_timeout_ms / 1000)
    return MemoryBus()


def load_vocabulary(settings: Settings) -> Vocabulary:
    """The deployment's sectors and countries: the defaults, or a JSON file that replaces them."""
    if settings.vocabulary is None:
        return Vocabulary()
    return Vocabulary.from_json(json.loads(Path(settings.vocabulary).read_text("utf-8")))


def _page(name: str, headers: dict[str, str] | None = None) -> Route:
    async def page(request: Request) -> Response:
        return FileResponse(STATIC / name, headers={"Cache-Control": "no-cache", **(headers or {})})
    return page  # type: ignore[return-value]


def _secure(response: Response) -> Response:
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    response.headers.setdefault("X-Frame-Options", "DENY")
    return response


class _SecurityHeaders(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        return _secure(await call_next(request))


async def _internal(request: Request, exc: Exception) -> Response:
    """The last resort: an exception no route turned into its answer is a JSON 500, logged.

    (The framework logs the traceback after this answer; this line says which request.)
    """
    log.error("%s %s failed: %s", request.method, request.url.path, type(exc).__name__)
    return _secure(JSONResponse({"error": {"code": "internal", "message":
                                           "the server failed on this request"}}, 500))


class _App(Starlette):
    """Starlette, with the websockets of ``/ws`` handed straight to their endpoint.

    An open websocket keeps the coroutine frame of every layer it went through. Starlette's
    (error and exception middleware, our headers middleware, the router, the route and their
    exception wrappers) held about 5 KiB per connection and do nothing for our websocket, which
    handles its own errors (docs/architecture.md, "Memory per connection"). The ``/ws`` route
    stays in ``routes``: the same endpoint, reached this way.
    """

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket" and scope["path"] == "/ws":
            scope["app"] = self
            await websocket_endpoint(WebSocket(scope, receive, send))
            return
        await super().__call__(scope, receive, send)


def create_app(settings: Settings | None = None) -> Starlette:
    """The whole server as one ASGI app."""
    settings = settings or Settings.from_env()

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[dict[str, Services]]:
        allowed = origins.describe(settings)  # first: a bad HACKROOMS_PUBLIC_URL opens nothing
        store = open_store(settings.database)
        await store.open()
        bus = make_bus(settings)
        await bus.open()
        secret = settings.secret or await store.set_setting_if_missing("token_secret",
                                                                       new_secret())
        hosts = RoomHosts(store, bus, settings)
        hosts.start()
        services = Services(settings, store, bus, hosts, Signer(secret),
                            load_vocabulary(settings), Limits(settings),
                            Openings(settings.opening_at_once, settings.hello_timeout_s))
        log.info("hackrooms ready (database %s, bus %s, event loop %s)",
                 describe(settings.database), "redis" if settings.redis_url else "memory",
                 type(asyncio.get_running_loop()).__module__.split(".")[0])
        log.info("websocket origins allowed: %s; and clients that send no Origin", allowed)
        purging = asyncio.create_task(scheduled_purge(services), name="retention purge")
        try:
            yield {"services": services}
        finally:
            purging.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await purging
            for host in hosts.loaded():
                host.close_all(Close.GOING_AWAY, "the server is restarting; reconnect")
            await hosts.close()
            await bus.close()
            await store.close()

    routes = [
        Route("/api/forums", api.create_forum, methods=["POST"]),
        Route("/api/forums/{forum_id}", api.get_forum, methods=["GET"]),
        Route("/api/forums/{forum_id}/links", forum_api.list_links, methods=["GET"]),
        Route("/api/forums/{forum_id}/links", forum_api.issue_link, methods=["POST"]),
        Route("/api/forums/{forum_id}/links/{link_id}", forum_api.revoke_link,
              methods=["DELETE"]),
        Route("/api/forums/{forum_id}/template", template_api.save_template, methods=["POST"]),
        Route("/api/forums/{forum_id}/networking", networking_api.forum_networking,
              methods=["GET"]),
        Route("/api/forums/{forum_id}/export.json", exports.export_json, methods=["GET"]),
        Route("/api/forums/{forum_id}/export.md", exports.export_markdown, methods=["GET"]),
        Route("/api/forums/{forum_id}/export/{table}.csv", exports.export_csv,
              methods=["GET"]),
        Route("/api/forums/{forum_id}/brief.html", exports.brief_html, methods=["GET"]),
        Route("/api/forums/{forum_id}/brief.pdf", exports.brief_pdf, methods=["GET"]),
        Route("/api/export.schema.json", exports.export_schema, methods=["GET"]),
        Route("/api/forums/{forum_id}/actions", followup_api.forum_actions, methods=["GET"]),
        Route("/api/followup/{token}", followup_api.show_followup, methods=["GET"]),
        Route("/api/followup/{token}", followup_api.change_followup, methods=["POST"]),
        Route("/api/templates", template_api.list_templates, methods=["GET"]),
        Route("/api/templates/{template_id}", template_api.get_template, methods=["GET"]),
        Route("/api/join", api.join, methods=["POST"]),
        Route("/api/join/{code}", api.join_info, methods=["GET"]),
        Route("/api/join/{code}/qr.svg", api.join_qr, methods=["GET"]),
        Route("/api/me", api.me, methods=["GET"]),
        Route("/api/me/data", privacy_api.my_data, methods=["GET"]),
        Route("/api/me/erase", privacy_api.erase_me, methods=["POST"]),
        Route("/api/me", profile_api.update_me, methods=["PATCH"]),
        Route("/api/me/connections", networking_api.my_connections, methods=["GET"]),
        Route("/api/me/connections.csv", networking_api.my_connections_csv, methods=["GET"]),
        Route("/api/me/results", exports.my_results, methods=["GET"]),
        Route("/api/vocabulary", api.vocabulary, methods=["GET"]),
        Route("/healthz", api.health, methods=["GET"]),
        Route("/openapi.json", openapi.serve, methods=["GET"]),
        WebSocketRoute("/ws", websocket_endpoint),
        Route("/", _page("index.html")),
        Route("/join/{code}", _page("index.html")),
        Route("/facilitate", _page("facilitate.html")),
        Route("/conduct", _page("conduct.html")),
        Route("/projector", _page("projector.html")),
        Route("/results", _page("results.html")),
        Route("/actions", _page("actions.html")),
        Route("/followup/{token}", _page("followup.html")),
        # The offline app shell's worker, at the root so that its scope may be every page.
        Route("/sw.js", _page("sw.js", {"Service-Worker-Allowed": "/"})),
        Mount("/static", StaticFiles(directory=STATIC, check_dir=False), name="static"),
    ]
    return _App(routes=routes, lifespan=lifespan, exception_handlers={Exception: _internal},
                middleware=[Middleware(_SecurityHeaders)])
