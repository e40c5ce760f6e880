"""One connection to a room: hello, resume, commands with op ids, and waiting for messages."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Callable
from types import TracebackType
from typing import Any

import websockets
from websockets.asyncio.client import ClientConnection

Message = dict[str, Any]
Predicate = Callable[[Message], bool]


RETRYABLE = ("unavailable", "rate_limited")  # error codes after which the same op is sent again


class CommandRejected(Exception):
    """The server answered a command with an error message."""

    def __init__(self, reply: Message) -> None:
        super().__init__(f"{reply.get('code')}: {reply.get('message')}")
        self.reply = reply
        self.code: str = reply.get("code", "")
        # With ``rate_limited``: the same op may be sent again after this many ms.
        self.retry_after_ms: int | None = reply.get("retry_after_ms")


class ConnectionClosed(Exception):
    """The server closed the connection; ``code`` and ``reason`` say why."""

    def __init__(self, code: int | None, reason: str) -> None:
        super().__init__(f"closed {code}: {reason}")
        self.code, self.reason = code, reason


class RoomClient:
    """A client of one room. Every message received is kept in ``messages``, in order.

    An `events` frame (several events committed together) is kept as its `event` messages.
    ``presence`` is the newest presence: the counts, and for a facilitator ``members`` (the
    roster of who is online, kept up to date from the changes the server sends).
    """

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws
        self.messages: list[Message] = []
        self.epoch: str | None = None
        self.seq = 0
        self.welcome: Message = {}
        self.presence: Message = {}
        self._roster: dict[str, Message] | None = None  # facilitators only
        self._cursor = 0
        self._replies: dict[str, asyncio.Future[int]] = {}  # op -> index of its ack or error
        self._arrived = asyncio.Condition()
        self._reader = asyncio.create_task(self._read())
        self.close_code: int | None = None
        self.close_reason = ""

    @classmethod
    async def connect(cls, url: str, token: str, room: str, *,
                      resume: tuple[str, int] | None = None, origin: str | None = None,
                      wait_synced: bool = True, timeout: float = 10.0) -> RoomClient:
        """Open a connection, say hello, and (by default) wait until it is in sync."""
        headers = {"Origin": origin} if origin else None
        ws = await websockets.connect(url, additional_headers=headers, open_timeout=timeout,
                                      max_size=None)
        client = cls(ws)
        hello: Message = {"type": "hello", "token": token, "room": room}
        if resume is not None:
            hello["resume"] = {"epoch": resume[0], "seq": resume[1]}
        try:
            await client.send(hello)
            if wait_synced:
                client.welcome = await client.expect(lambda m: m["type"] == "welcome", timeout)
                await client.expect(lambda m: m["type"] == "synced", timeout)
        except BaseException:
            await client.close()  # refused or timed out: leave no socket open behind
            raise
        return client

    @classmethod
    async def connect_retrying(cls, url: str, token: str, room: str, *,
                               deadline_s: float = 30.0, backoff_s: float = 0.2,
                               resume: tuple[str, int] | None = None) -> RoomClient:
        """Connect, and again after a close that says "retry later" (4503, 4430), with backoff."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + deadline_s
        while True:
            try:
                return await cls.connect(url, token, room, resume=resume)
            except ConnectionClosed as closed:
                if closed.code not in (4503, 4430) or loop.time() > deadline:
                    raise
            await asyncio.sleep(backoff_s)  # the backoff the protocol asks of a client

    async def __aenter__(self) -> RoomClient:
        return self

    async def __aexit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        await self.close()

    async def send(self, message: Message) -> None:
        try:
            await self.ws.send(json.dumps(message))
        except websockets.ConnectionClosed as closed:
            # The same exception as a wait gets, whichever of the two notices the close first.
            rcvd = closed.rcvd
            raise ConnectionClosed(rcvd.code if rcvd else None,
                                   rcvd.reason if rcvd else "") from closed

    async def send_raw(self, text: str | bytes) -> None:
        await self.ws.send(text)

    async def command(self, name: str, args: Message | None = None, *, op: str | None = None,
                      timeout: float = 10.0) -> Message:
        """Send a command and wait for its ack; raise CommandRejected on its error.

        Several commands may be awaited at once on one client: each waits for its own op.
        """
        op = op or uuid.uuid4().hex
        reply = await self.send_command(op, name, args or {}, timeout)
        if reply["type"] == "error":
            raise CommandRejected(reply)
        return reply

    async def command_retrying(self, name: str, args: Message, op: str, *,
                               deadline_s: float = 30.0, backoff_s: float = 0.1,
                               timeout: float = 10.0) -> Message:
        """Send a command, and again with the same op while it is `unavailable` or
        `rate_limited`, as a client should, until ``deadline_s``; the ack or the refusal."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + deadline_s
        while True:
            try:
                return await self.command(name, args, op=op, timeout=timeout)
            except CommandRejected as rejected:
                if rejected.code not in RETRYABLE or loop.time() > deadline:
                    raise
                wait = (rejected.retry_after_ms or 0) / 1000 or backoff_s
            await asyncio.sleep(wait)  # the backoff the protocol asks of a client

    async def send_command(self, op: str, name: str, args: Message,
                           timeout: float = 10.0) -> Message:
        """Send a command and return its reply, the ack or the error."""
        index: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        self._replies[op] = index
        try:
            if self._reader.done():
                raise ConnectionClosed(self.close_code, self.close_reason)
            await self.send({"type": "cmd", "op": op, "name": name, "args": args})
            at = await asyncio.wait_for(index, timeout)
        finally:
            self._replies.pop(op, None)
        self._cursor = max(self._cursor, at + 1)  # later expects look after the reply
        return self.messages[at]

    async def expect(self, predicate: Predicate, timeout: float = 10.0) -> Message:
        """The next message (after those already expected) that matches, waiting for it."""
        async def find() -> Message:
            async with self._arrived:
                while True:
                    for i in range(self._cursor, len(self.messages)):
                        if predicate(self.messages[i]):
                            self._cursor = i + 1
                            return self.messages[i]
                    if self._reader.done():
                        raise ConnectionClosed(self.close_code, self.close_reason)
                    await self._arrived.wait()
        return await asyncio.wait_for(find(), timeout)

    async def wait_seq(self, seq: int, timeout: float = 10.0) -> None:
        """Wait until this client has seen the room up to ``seq``."""
        async def reached() -> None:
            async with self._arrived:
                while self.seq < seq:
                    if self._reader.done():
                        raise ConnectionClosed(self.close_code, self.close_reason)
                    await self._arrived.wait()
        await asyncio.wait_for(reached(), timeout)

    async def wait_presence(self, predicate: Predicate, timeout: float = 10.0) -> Message:
        """Wait until the newest presence matches (intermediate ones may be skipped)."""
        async def reached() -> Message:
            async with self._arrived:
                while not (self.presence and predicate(self.presence)):
                    if self._reader.done():
                        raise ConnectionClosed(self.close_code, self.close_reason)
                    await self._arrived.wait()
                return self.presence
        return await asyncio.wait_for(reached(), timeout)

    async def wait_closed(self, timeout: float = 10.0) -> tuple[int | None, str]:
        """Wait for the server to close the connection; its close code and reason."""
        await asyncio.wait_for(asyncio.shield(self._reader), timeout)
        return self.close_code, self.close_reason

    def events(self) -> list[Message]:
        """Every event received so far, in order."""
        return [m for m in self.messages if m["type"] == "event"]

    async def close(self) -> None:
        await self.ws.close()
        await asyncio.gather(self._reader, return_exceptions=True)

    async def _read(self) -> None:
        try:
            async for raw in self.ws:
                for message in _unbatch(json.loads(raw)):
                    self._track(message)
                    async with self._arrived:
                        self.messages.append(message)
                        self._settle(message)
                        self._arrived.notify_all()
        except websockets.ConnectionClosed:
            pass
        finally:
            rcvd = self.ws.protocol.close_rcvd
            self.close_code = rcvd.code if rcvd else None
            self.close_reason = rcvd.reason if rcvd else ""
            for waiting in self._replies.values():
                if not waiting.done():
                    waiting.set_exception(ConnectionClosed(self.close_code, self.close_reason))
            async with self._arrived:
                self._arrived.notify_all()

    def _settle(self, message: Message) -> None:
        if message["type"] in ("ack", "error"):
            waiting = self._replies.get(message.get("op", ""))
            if waiting is not None and not waiting.done():
                waiting.set_result(len(self.messages) - 1)

    def _track(self, message: Message) -> None:
        if message["type"] in ("snapshot", "welcome") or message["type"] == "synced":
            self.epoch = message.get("epoch", self.epoch)
        # synced too: after a resume that missed nothing there is no snapshot and no event, and
        # the client must still know its seq (else its next resume asks for the whole log).
        if message["type"] in ("snapshot", "event", "synced"):
            self.seq = message["seq"]
        elif message["type"] == "presence":
            self._track_presence(message["presence"])

    def _track_presence(self, p: Message) -> None:
        # A facilitator's roster comes whole on connecting, then as changes.
        if "members" in p:
            self._roster = {e["id"]: e for e in p["members"]}
        if self._roster is not None:
            for gone in p.get("left", ()):
                self._roster.pop(gone, None)
            for entry in p.get("joined", ()):
                self._roster[entry["id"]] = entry
        view = {k: v for k, v in p.items() if k not in ("members", "joined", "left")}
        if self._roster is not None:
            view["members"] = list(self._roster.values())
        self.presence = view


def _unbatch(message: Message) -> list[Message]:
    """An `events` frame as the `event` messages it carries, so callers see one shape."""
    if message.get("type") != "events":
        return [message]
    return [{"type": "event", "epoch": message.get("epoch"), **event}
            for event in message.get("events", [])]
