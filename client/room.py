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
    """A client of one room. Every message received is kept in ``messages``, in order."""

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws
        self.messages: list[Message] = []
        self.epoch: str | None = None
        self.seq = 0
        self.welcome: Message = {}
        self._cursor = 0
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
        await client.send(hello)
        if wait_synced:
            client.welcome = await client.expect(lambda m: m["type"] == "welcome", timeout)
            await client.expect(lambda m: m["type"] == "synced", timeout)
        return client

    async def __aenter__(self) -> RoomClient:
        return self

    async def __aexit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        await self.close()

    async def send(self, message: Message) -> None:
        await self.ws.send(json.dumps(message))

    async def send_raw(self, text: str | bytes) -> None:
        await self.ws.send(text)

    async def command(self, name: str, args: Message | None = None, *, op: str | None = None,
                      timeout: float = 10.0) -> Message:
        """Send a command and wait for its ack; raise CommandRejected on its error."""
        op = op or uuid.uuid4().hex
        await self.send({"type": "cmd", "op": op, "name": name, "args": args or {}})
        reply = await self.expect(lambda m: m.get("op") == op
                                  and m["type"] in ("ack", "error"), timeout)
        if reply["type"] == "error":
            raise CommandRejected(reply)
        return reply

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
                message = json.loads(raw)
                self._track(message)
                async with self._arrived:
                    self.messages.append(message)
                    self._arrived.notify_all()
        except websockets.ConnectionClosed:
            pass
        finally:
            rcvd = self.ws.protocol.close_rcvd
            self.close_code = rcvd.code if rcvd else None
            self.close_reason = rcvd.reason if rcvd else ""
            async with self._arrived:
                self._arrived.notify_all()

    def _track(self, message: Message) -> None:
        if message["type"] in ("snapshot", "welcome") or message["type"] == "synced":
            self.epoch = message.get("epoch", self.epoch)
        # synced too: after a resume that missed nothing there is no snapshot and no event, and
        # the client must still know its seq (else its next resume asks for the whole log).
        if message["type"] in ("snapshot", "event", "synced"):
            self.seq = message["seq"]
