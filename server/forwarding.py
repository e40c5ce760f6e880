"""Commands forwarded to the process that writes a room, and their outcomes sent back.

A process that is not a room's writer (it does not hold the room's lease) sends the commands
its clients give it to the writer, in order, in one message per batch; the writer decides
them with its own, in arrival order, and answers with one outcome per command. Messages go
through the bus (Redis pub/sub to the writer's process channel), which is at most once: a
request or answer that is lost is sent again after a timeout, and since every command keeps
its operation key, the writer answers a repeated one with its first outcome instead of
deciding it twice (docs/scaling.md, "Forwarding").

Wire shape between processes (internal, not the public protocol)::

    {"k": "req", "id": "<call id>", "from": "<process>", "room": "<room id>",
     "cmds": [{"name", "args", "actor", "role", "key"}]}
    {"k": "rep", "id": "<call id>", "outcomes": [<ack or error>, ...]}

An outcome ``{"type": "moved"}`` says the receiver no longer writes the room: the sender asks
the bus who does and sends the command there.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from rooms.actors import Actor, Role
from rooms.room import Command

from .bus.base import Bus, BusUnavailable

log = logging.getLogger("hackrooms.forwarding")

MOVED = "moved"  # the outcome type of a command whose receiver no longer writes the room
Outcome = dict[str, Any]


class Writer(Protocol):
    """The part of a room host that takes forwarded commands."""

    def enqueue(self, command: Command, actor: Actor, key: str | None,
                forwarded: bool = False) -> asyncio.Future[Outcome]: ...


OpenRoom = Callable[[str], Awaitable[Writer | None]]


class Forwarder:
    """This process's end of forwarding: calls it makes, and calls it answers."""

    def __init__(self, bus: Bus, timeout_s: float) -> None:
        self._bus, self._timeout_s = bus, timeout_s
        self._calls: dict[str, asyncio.Future[list[Outcome]]] = {}
        self._open: OpenRoom | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        bus.listen(self._on_message)

    def serve(self, open_room: OpenRoom) -> None:
        """Answer forwarded commands with the rooms ``open_room`` gives."""
        self._open = open_room

    async def call(self, holder: str, room_id: str,
                   commands: list[dict[str, Any]]) -> list[Outcome] | None:
        """Send commands to the writer ``holder``; their outcomes, or None if none came."""
        call_id = secrets.token_hex(8)
        future: asyncio.Future[list[Outcome]] = asyncio.get_running_loop().create_future()
        self._calls[call_id] = future
        request = {"k": "req", "id": call_id, "from": self._bus.process, "room": room_id,
                   "cmds": commands}
        try:
            await self._bus.send(holder, request)
            return await asyncio.wait_for(future, self._timeout_s)
        except (TimeoutError, BusUnavailable):
            return None
        finally:
            del self._calls[call_id]

    def _on_message(self, message: dict[str, Any]) -> None:
        kind = message.get("k")
        if kind == "rep":
            future = self._calls.get(str(message.get("id")))
            outcomes = message.get("outcomes")
            if future is not None and not future.done() and isinstance(outcomes, list):
                future.set_result(outcomes)
        elif kind == "req":
            task = asyncio.create_task(self._answer(message))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _answer(self, request: dict[str, Any]) -> None:
        try:
            outcomes = await self._decide(request)
            await self._bus.send(str(request["from"]), {"k": "rep", "id": request["id"],
                                                        "outcomes": outcomes})
        except BusUnavailable as failure:
            log.info("room %s: a forwarded answer was not sent (%s); the sender retries",
                     request.get("room"), failure)
        except Exception:
            log.exception("room %s: a forwarded request failed", request.get("room"))

    async def _decide(self, request: dict[str, Any]) -> list[Outcome]:
        commands = request["cmds"]
        host = await self._open(str(request["room"])) if self._open is not None else None
        if host is None:
            return [{"type": MOVED} for _ in commands]
        futures = [host.enqueue(Command(c["name"], c["args"]), Actor(c["actor"], Role(c["role"])),
                                c["key"], forwarded=True) for c in commands]
        return list(await asyncio.gather(*futures))

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
