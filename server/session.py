"""The websocket endpoint: handshake, hello, then the connection's messages, in order.

Nothing a client sends can crash the connection, its room or the server: every message is
parsed and checked, every failure answers a documented error. A connection may have up to
``max_in_flight`` commands being decided at once; they start in the order they arrive (the
room decides a connection's commands first come, first served) and their replies are sent in
that order too. Every message takes a token from the connection's and the person's budget
(``server/limits.py``); a command over budget is answered ``rate_limited`` and not remembered.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from starlette.websockets import WebSocket, WebSocketDisconnect

from rooms.actors import Actor, Role
from rooms.audience import audience_of
from rooms.hall.links import revoked

from .auth import Grant, InvalidToken
from .connection import Connection
from .limits import Budget
from .openings import OpeningsFull
from .origins import allowed_origins
from .protocol import (
    ClientType,
    Close,
    Cmd,
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
from .transport import WebSocketProtocol
from .wire import WRITER_EXTENSION

log = logging.getLogger("hackrooms.session")



def origin_allowed(ws: WebSocket, s: Services) -> bool:
    """Browsers send Origin on every websocket handshake; only configured origins may connect.

    The allowed origins come from the settings alone (``server.origins``), never from the
    request's Host header, which a DNS-rebinding page controls. A client that sends no
    Origin is not a browser, so no other site can be speaking through it.
    """
    origin = ws.headers.get("origin")
    if origin is None:
        return True
    return origin.rstrip("/").lower() in allowed_origins(s.settings)


async def websocket_endpoint(ws: WebSocket) -> None:
    s: Services = ws.state.services
    if not origin_allowed(ws, s):
        log.info("websocket refused: origin %r not allowed", ws.headers.get("origin"))
        await ws.close(code=Close.FORBIDDEN)  # before accept: the handshake answers HTTP 403
        return
    await ws.accept()
    if not s.limits.open():
        log.info("websocket refused: this process has %d open, the most it takes",
                 s.limits.connections)
        await _refuse(ws, Close.TOO_MANY_CONNECTIONS, "the server is full; retry later")
        return
    try:
        await _session(ws, s)
    finally:
        s.limits.close()


async def _session(ws: WebSocket, s: Services) -> None:
    try:
        opened = await _open(ws, s)
    except Exception:
        log.exception("a connection failed while opening its room")
        await _refuse(ws, Close.INTERNAL, "the server failed; reconnect and resume")
        return
    finally:
        # Its hello is answered: the next connection that waits may be opened (admission.py).
        wire = (ws.scope.get("extensions") or {}).get(WRITER_EXTENSION)
        if isinstance(wire, WebSocketProtocol):
            wire.opened()
    if opened is None:
        return
    host, conn, budget, valid = opened
    replies = _Replies(conn, s.settings.max_in_flight)
    try:
        await _serve(ws, s, host, conn, budget, replies, valid)
    finally:
        host.detach(conn)
        s.limits.part(budget, time.monotonic())  # before the presence says the person left
        await conn.stop()
        await replies.finish()


Valid = Callable[[], bool]  # whether the connection's token is still honoured
_Opened = tuple[RoomHost, Connection, Budget, Valid]


async def _open(ws: WebSocket, s: Services) -> _Opened | None:
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
        entry = await _enter(s, hello)
        try:
            async with s.openings.turn():  # a few at a time: a join storm must not stall the loop
                return _attach(ws, s, entry)
        except BaseException:
            s.limits.part(entry.budget, time.monotonic())
            raise
    except _Refused as refusal:
        await _refuse(ws, refusal.code, refusal.reason)
    except OpeningsFull:
        log.warning("could not open room %s: no turn to open it within %d s", hello.room,
                    s.settings.hello_timeout_s)
        await _refuse(ws, Close.UNAVAILABLE, "the server is busy opening rooms; retry")
    except Unavailable as failure:
        log.warning("could not open room %s: %s", hello.room, failure)
        await _refuse(ws, Close.UNAVAILABLE, "the room cannot be opened now; retry")
    return None


class _Refused(Exception):
    def __init__(self, code: Close, reason: str) -> None:
        super().__init__(reason)
        self.code, self.reason = code, reason


@dataclass(frozen=True, slots=True)
class _Entry:
    """A hello that may enter its room: who, as what, and the connection budget it holds."""

    host: RoomHost
    grant: Grant
    role: Role
    budget: Budget
    valid: Valid
    resume_epoch: str | None
    resume_seq: int | None


async def _enter(s: Services, hello: Hello) -> _Entry:
    """Check the hello's token and room, take a connection budget, and make a participant a
    member of the room (before its turn to open the room: see ``server/openings.py``)."""
    try:
        grant = s.signer.verify(hello.token)
    except InvalidToken as failure:
        raise _Refused(Close.UNAUTHORIZED, "the token is not valid") from failure
    # A log's record never changes once made: a log loaded here needs no read per hello (a
    # join storm is a thousand hellos at once).
    loaded = s.hosts.peek(hello.room)
    room = loaded.record if loaded is not None else await s.hosts.room_of_hall(hello.room)
    if room is None:
        raise _Refused(Close.NOT_FOUND, "no such room")
    if room.forum_id != grant.forum_id:
        raise _Refused(Close.FORBIDDEN, "this token is for another forum")
    if grant.room is not None and room.kind == "room" and room.id != grant.room:
        raise _Refused(Close.FORBIDDEN, "this facilitator link is for another room")
    valid = await _honoured(s, grant)
    if not valid():
        raise _Refused(Close.UNAUTHORIZED, "this link was revoked")
    # In a room the organizer is one of its facilitators; the hall knows organizers apart.
    role = Role.FACILITATOR if grant.role is Role.ORGANIZER and room.kind == "room" \
        else grant.role
    # Facilitator and observer tokens are shared (a team, a forum's screens, a console with a
    # connection per room): only participants have a connection limit of their own.
    budget = s.limits.join((grant.forum_id, grant.subject), time.monotonic(),
                           capped=grant.role is Role.PARTICIPANT)
    if budget is None:
        log.info("websocket refused: participant %s has %d connections open", grant.subject,
                 s.settings.max_connections_per_person)
        raise _Refused(Close.TOO_MANY_CONNECTIONS, "too many connections for one person; "
                       "close some")
    try:
        host = await s.hosts.get(room)
        if grant.role is Role.PARTICIPANT:
            await _join(s, host, grant)
    except BaseException:
        s.limits.part(budget, time.monotonic())
        raise
    return _Entry(host, grant, role, budget, valid, hello.resume_epoch, hello.resume_seq)


def _attach(ws: WebSocket, s: Services, entry: _Entry) -> _Opened:
    """Attach the connection to its room: its snapshot (or replay) is written now."""
    host, grant = entry.host, entry.grant
    conn = Connection(ws, Actor(grant.subject, entry.role), audience_of(entry.role),
                      s.settings.send_queue, on_close=host.detach,
                      wire=(ws.scope.get("extensions") or {}).get(WRITER_EXTENSION))
    conn.start()
    host.attach(conn, entry.resume_epoch, entry.resume_seq)
    log.info("connection %s: %s %s joined %s %s", conn.id, entry.role, grant.subject,
             host.record.kind, host.id)
    return host, conn, entry.budget, entry.valid


def _always() -> bool:
    return True


async def _honoured(s: Services, grant: Grant) -> Valid:
    """Whether the token stays valid: a link's token until its hall says it was revoked."""
    link = grant.link
    if link is None:
        return _always
    hall = await s.hosts.hall_of(grant.forum_id)
    if hall is None:
        return lambda: False
    return lambda: not revoked(hall.state, link)


async def _join(s: Services, host: RoomHost, grant: Grant) -> None:
    p = await s.store.get_participant(grant.subject)
    if p is None or p.forum_id != grant.forum_id:
        raise _Refused(Close.UNAUTHORIZED, "this participant does not exist")
    # The profile others may see (rooms/members.py): never a contact detail, which no log holds.
    await ensure_member(host, {"id": p.id, "name": p.name, "organization": p.organization,
                               "sector": p.sector, "country": p.country,
                               "attendance": p.attendance, "about": p.about})


async def _refuse(ws: WebSocket, code: Close, reason: str) -> None:
    with contextlib.suppress(RuntimeError):  # the client may be gone already
        await ws.close(code=code, reason=reason[:120])


class _Replies:
    """A connection's commands awaiting their reply; replies go out in the order they came."""

    def __init__(self, conn: Connection, limit: int) -> None:
        self._conn, self._limit = conn, max(1, limit)
        self._waiting: deque[asyncio.Future[dict[str, Any]]] = deque()
        self._room = asyncio.Event()
        self._room.set()
        self._open = True

    async def room(self) -> None:
        """Wait until fewer than ``limit`` commands await their reply (back-pressure)."""
        await self._room.wait()

    def add(self, reply: dict[str, Any] | asyncio.Future[dict[str, Any]]) -> None:
        """Send a command's reply once those of the commands before it have been sent."""
        if isinstance(reply, dict):
            if not self._waiting:
                self._conn.send(encode(reply))
                return
            ready: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
            ready.set_result(reply)
            reply = ready
        self._waiting.append(reply)
        reply.add_done_callback(self._flush)
        if len(self._waiting) >= self._limit:
            self._room.clear()

    def _flush(self, _: object) -> None:
        while self._waiting and self._waiting[0].done():
            done = self._waiting.popleft()
            if self._open and not done.cancelled():
                self._conn.send(encode(done.result()))
        if len(self._waiting) < self._limit:
            self._room.set()

    async def finish(self) -> None:
        """The client is gone: send nothing more, but let its commands be decided.

        Their outcomes are remembered, so a retry of one after a reconnect gets it.
        """
        self._open = False
        if self._waiting:
            await asyncio.wait(list(self._waiting))


async def _serve(ws: WebSocket, s: Services, host: RoomHost, conn: Connection, budget: Budget,
                 replies: _Replies, valid: Valid) -> None:
    while True:
        await replies.room()
        message = await ws.receive()
        if message["type"] == "websocket.disconnect":
            return
        if conn.closing:
            # The writer is delivering the close frame (4429 to a client too far behind, which
            # may be stuck behind a full socket buffer): read on, handling nothing, until the
            # client is gone. Returning here stopped the writer first, so the client saw the
            # socket drop with 1006 instead of the documented close code.
            continue
        if not valid():
            log.info("connection %s: its link was revoked; closing", conn.id)
            conn.close(Close.UNAUTHORIZED, "this link was revoked")
            continue
        try:
            _dispatch(s, host, conn, budget, replies, message.get("text"))
        except Exception:
            log.exception("connection %s: a message failed", conn.id)
            conn.send(encode(error(ProtocolError.INTERNAL, "the server failed on this message")))
        # A burst of frames arrives in one read and would be handled without a pause: let the
        # room and the other connections have their turn between two messages.
        await asyncio.sleep(0)


def _dispatch(s: Services, host: RoomHost, conn: Connection, budget: Budget,
              replies: _Replies, text: str | None) -> None:
    """Answer one message or start its command. Nothing here awaits: commands start in order."""
    parsed = _parse(text, s.settings.max_message_bytes)
    is_cmd = isinstance(parsed, dict) and parsed.get("type") == ClientType.CMD
    wait = budget.take(time.monotonic())
    reply: dict[str, Any] | asyncio.Future[dict[str, Any]]
    if wait > 0:
        reply = _rate_limited(conn, budget, wait, _op_of(parsed) if is_cmd else None)
    elif isinstance(parsed, MessageError):
        reply = error(parsed.code, str(parsed), parsed.op)
    else:
        reply = _answer(host, conn, parsed)
    if is_cmd:
        replies.add(reply)
    elif isinstance(reply, dict):
        conn.send(encode(reply))


def _parse(text: str | None, max_bytes: int) -> dict[str, Any] | MessageError:
    if text is None:
        return MessageError(ProtocolError.BAD_MESSAGE, "send text frames with JSON")
    try:
        return decode(text, max_bytes)
    except MessageError as failure:
        return failure


def _answer(host: RoomHost, conn: Connection,
            raw: dict[str, Any]) -> dict[str, Any] | asyncio.Future[dict[str, Any]]:
    kind = raw.get("type")
    if kind == ClientType.PING:
        return {"type": ServerType.PONG.value, "t": raw.get("t"), "now": wall_clock()}
    try:
        if kind == ClientType.CMD:
            return asyncio.ensure_future(_command(host, conn, parse_cmd(raw)))
        if kind == ClientType.HELLO:
            raise MessageError(ProtocolError.BAD_MESSAGE, "hello was sent already")
        raise MessageError(ProtocolError.BAD_MESSAGE, f"unknown message type {kind!r}",
                           raw.get("op") if isinstance(raw.get("op"), str) else None)
    except MessageError as failure:
        return error(failure.code, str(failure), failure.op)


async def _command(host: RoomHost, conn: Connection, cmd: Cmd) -> dict[str, Any]:
    # No await before submit: its first step queues the command behind the earlier ones.
    try:
        return await host.submit(cmd.name, cmd.args, conn.actor, cmd.op)
    except Exception:
        log.exception("connection %s: command %s failed", conn.id, cmd.name)
        return error(ProtocolError.INTERNAL, "the server failed on this message", cmd.op)


def _op_of(raw: dict[str, Any] | MessageError) -> str | None:
    if isinstance(raw, MessageError):
        return raw.op
    try:
        return parse_cmd(raw).op
    except MessageError as failure:
        return failure.op


def _rate_limited(conn: Connection, budget: Budget, wait: float,
                  op: str | None) -> dict[str, Any]:
    retry_ms = max(1, math.ceil(wait * 1000))
    if budget.note_limited():
        log.info("connection %s (%s): over its message budget; refusing for now", conn.id,
                 conn.actor.id)
    return {**error(ProtocolError.RATE_LIMITED,
                    f"too many messages; nothing was done: retry in {retry_ms} ms", op),
            "retry_after_ms": retry_ms}
