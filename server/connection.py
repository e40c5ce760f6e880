"""One client connection: its identity, its audience, and a bounded queue of encoded messages.

Messages are encoded once per audience by the room host and put on each connection's queue; a
writer task drains the queue into the socket. A client that falls ``send_queue`` messages
behind is closed with ``Close.TOO_SLOW`` so that it can never slow the room down: it reconnects
and resumes from its last seq.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
from typing import Protocol

from rooms.actors import Actor
from rooms.projection import Audience

from .outbox import Outbox
from .protocol import Close

log = logging.getLogger("hackrooms.connection")
_ids = itertools.count(1)
_GRACE_S = 5.0  # how long a closing connection may take to flush before it is cut


class Socket(Protocol):
    """The part of a websocket a connection writes to."""

    async def send_text(self, data: str) -> None: ...

    async def close(self, code: int = 1000, reason: str | None = None) -> None: ...


class Connection:
    """A live client of one room."""

    def __init__(self, socket: Socket, actor: Actor, audience: Audience, max_queue: int) -> None:
        self.id = f"c{next(_ids)}"
        self.actor = actor
        self.audience = audience
        self._socket = socket
        self._max = max_queue
        # One slot more than the limit, so that the close marker always fits.
        self._queue: Outbox[str | None] = Outbox(max_queue + 1)
        self._close: tuple[int, str] | None = None
        self._writer: asyncio.Task[None] | None = None

    @property
    def member(self) -> str | None:
        """The member id this connection speaks for (participants only)."""
        return self.actor.id if self.audience is Audience.PARTICIPANT else None

    @property
    def closing(self) -> bool:
        return self._close is not None

    def start(self) -> None:
        self._writer = asyncio.create_task(self._drain(), name=f"writer-{self.id}")

    def send(self, text: str) -> None:
        """Queue an encoded message; close the connection if the client lags too far behind."""
        if self._close is not None:
            return
        if self._queue.qsize() >= self._max:
            log.info("connection %s is %d messages behind: closing", self.id, self._max)
            self.close(Close.TOO_SLOW, "too slow: resume from your last seq")
            return
        self._queue.put_nowait(text)

    def close(self, code: int, reason: str) -> None:
        """Close after what is already queued (at once, dropping it, for a lagging client)."""
        if self._close is not None:
            return
        self._close = (code, reason)
        if code == Close.TOO_SLOW:
            # What is queued would only make the lagging client later: it resumes instead.
            while not self._queue.empty():
                self._queue.get_nowait()
            asyncio.get_running_loop().call_later(_GRACE_S, self._abort)
        self._queue.put_nowait(None)

    def _abort(self) -> None:
        # A client that reads nothing blocks the writer in send(); stop waiting for it.
        if self._writer is not None and not self._writer.done():
            self._writer.cancel()
            self._writer = asyncio.create_task(self._close_socket())

    async def _drain(self) -> None:
        try:
            while (text := await self._queue.get()) is not None:
                await self._socket.send_text(text)
        except asyncio.CancelledError:
            raise
        except Exception:  # the peer went away while we wrote: the reader side cleans up
            log.debug("connection %s: write failed", self.id, exc_info=True)
            return
        await self._close_socket()

    async def _close_socket(self) -> None:
        code, reason = self._close or (Close.NORMAL, "")
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self._socket.close(code, reason), _GRACE_S)

    async def stop(self) -> None:
        """Stop the writer: the client is gone."""
        if self._writer is not None and not self._writer.done():
            self._writer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._writer
