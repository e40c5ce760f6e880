"""The websocket endpoint: handshake, hello, then one message at a time for the connection.

Nothing a client sends can crash the connection, its room or the server: every message is
parsed and checked, every failure answers a documented error, and commands of one connection
are handled in the order they arrive.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any
from urllib.parse import urlsplit

from starlette.websockets import WebSocket, WebSocketDisconnect

from rooms.actors import Actor, Role
from rooms.projection import Audience

from .auth import Grant, InvalidToken
from .connection import Connection
from .protocol import (
    ClientType,
    Close,
    Hello,
    MessageError,
    ProtocolError,
    ServerType,
    decode,
    encode,
    error,
    parse_cmd,
    parse_hello,
)
from .room_host import RoomHost, Unavailable, ensure_member, wall_clock
from .services import Services

log = logging.getLogger("hackrooms.session")

_AUDIENCE = {Role.FACILITATOR: Audience.FACILITATOR, Role.PARTICIPANT: Audience.PARTICIPANT,
             Role.OBSERVER: Audience.OBSERVER}


def origin_allowed(ws: WebSocket, s: Services) -> bool:
    """Browsers send Origin on every websocket handshake; only listed origins may connect.

    Without a configured list the server's own origin (and the public URL) is allowed. A
    client that sends no Origin is not a browser, so no other site can be speaking through it.
    """
    origin = ws.headers.get("origin")
    if origin is None:
        return True
    allowed = set(s.settings.allowed_origins)
    if not allowed:
        scheme = "https" if ws.url.scheme == "wss" else "http"
        allowed.add(f"{scheme}://{ws.headers.get('host', '')}")
    if s.settings.public_url:
        parts = urlsplit(s.settings.public_url)
        allowed.add(f"{parts.scheme}://{parts.netloc}")
    return origin.rstrip("/") in allowed


async def websocket_endpoint(ws: WebSocket) -> None:
    s: Services = ws.state.services
    if not origin_allowed(ws, s):
        log.info("websocket refused: origin %r not allowed", ws.headers.get("origin"))
        await ws.close(code=Close.FORBIDDEN)  # before accept: the handshake answers HTTP 403
        return
    await ws.accept()
    try:
        opened = await _open(ws, s)
    except Exception:
        log.exception("a connection failed while opening its room")
        await _refuse(ws, Close.INTERNAL, "the server failed; reconnect and resume")
        return
    if opened is None:
        return
    host, conn = opened
    try:
        await _serve(ws, s, host, conn)
    finally:
        host.detach(conn)
        await conn.stop()


async def _open(ws: WebSocket, s: Services) -> tuple[RoomHost, Connection] | None:
    """Read the hello, check the token and the room, and attach the connection."""
    try:
        text = await asyncio.wait_for(ws.receive_text(), s.settings.hello_timeout_s)
        hello = parse_hello(decode(text, s.settings.max_message_bytes))
    except TimeoutError:
        await _refuse(ws, Close.HELLO_TIMEOUT, "no hello in time")
        return None
    except (MessageError, KeyError, RuntimeError) as failure:
        await _refuse(ws, Close.BAD_HELLO, str(failure) or "the first message must be a hello")
        return None
    except WebSocketDisconnect:
        return None
    try:
        return await _attach(ws, s, hello)
    except _Refused as refusal:
        await _refuse(ws, refusal.code, refusal.reason)
    except Unavailable as failure:
        log.warning("could not open room %s: %s", hello.room, failure)
        await _refuse(ws, Close.UNAVAILABLE, "the room cannot be opened now; retry")
    return None


class _Refused(Exception):
    def __init__(self, code: Close, reason: str) -> None:
        super().__init__(reason)
        self.code, self.reason = code, reason


async def _attach(ws: WebSocket, s: Services, hello: Hello) -> tuple[RoomHost, Connection]:
    try:
        grant = s.signer.verify(hello.token)
    except InvalidToken as failure:
        raise _Refused(Close.UNAUTHORIZED, "the token is not valid") from failure
    room = await s.store.get_room(hello.room)
    if room is None:
        raise _Refused(Close.NOT_FOUND, "no such room")
    if room.forum_id != grant.forum_id:
        raise _Refused(Close.FORBIDDEN, "this token is for another forum")
    host = await s.hosts.get(room)
    if grant.role is Role.PARTICIPANT:
        await _enter(s, host, grant)
    conn = Connection(ws, Actor(grant.subject, grant.role), _AUDIENCE[grant.role],
                      s.settings.send_queue, on_close=host.detach)
    conn.start()
    host.attach(conn, hello.resume_epoch, hello.resume_seq)
    log.info("connection %s: %s %s joined room %s", conn.id, grant.role, grant.subject, room.id)
    return host, conn


async def _enter(s: Services, host: RoomHost, grant: Grant) -> None:
    p = await s.store.get_participant(grant.subject)
    if p is None or p.forum_id != grant.forum_id:
        raise _Refused(Close.UNAUTHORIZED, "this participant does not exist")
    await ensure_member(host, {"id": p.id, "name": p.name, "organization": p.organization,
                               "sector": p.sector, "country": p.country,
                               "attendance": p.attendance})


async def _refuse(ws: WebSocket, code: Close, reason: str) -> None:
    with contextlib.suppress(RuntimeError):  # the client may be gone already
        await ws.close(code=code, reason=reason[:120])


async def _serve(ws: WebSocket, s: Services, host: RoomHost, conn: Connection) -> None:
    while True:
        message = await ws.receive()
        if message["type"] == "websocket.disconnect":
            return
        if conn.closing:
            # The writer is delivering the close frame (4429 to a client too far behind, which
            # may be stuck behind a full socket buffer): read on, handling nothing, until the
            # client is gone. Returning here stopped the writer first, so the client saw the
            # socket drop with 1006 instead of the documented close code.
            continue
        text = message.get("text")
        if text is None:
            conn.send(encode(error(ProtocolError.BAD_MESSAGE, "send text frames with JSON")))
            continue
        try:
            reply = await _handle(s, host, conn, text)
        except Exception:
            log.exception("connection %s: a message failed", conn.id)
            reply = error(ProtocolError.INTERNAL, "the server failed on this message")
        if reply is not None:
            conn.send(encode(reply))


async def _handle(s: Services, host: RoomHost, conn: Connection,
                  text: str) -> dict[str, Any] | None:
    try:
        raw = decode(text, s.settings.max_message_bytes)
        kind = raw.get("type")
        if kind == ClientType.PING:
            return {"type": ServerType.PONG.value, "t": raw.get("t"), "now": wall_clock()}
        if kind == ClientType.CMD:
            cmd = parse_cmd(raw)
            return await host.submit(cmd.name, cmd.args, conn.actor, cmd.op)
        if kind == ClientType.HELLO:
            raise MessageError(ProtocolError.BAD_MESSAGE, "hello was sent already")
        raise MessageError(ProtocolError.BAD_MESSAGE, f"unknown message type {kind!r}",
                           raw.get("op") if isinstance(raw.get("op"), str) else None)
    except MessageError as failure:
        return error(failure.code, str(failure), failure.op)
