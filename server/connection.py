"""One client connection: its identity, its audience, and a bounded queue of encoded messages.

Messages are encoded once per audience by the room host, and framed once too
(``server/wire.py``). While the client keeps up, a message's frame is written straight to the
connection's transport (``FrameWriter``), in the sender's turn: no task wakes and nothing is
queued per connection. When the transport holds more than its high-water mark (the kernel
would not take more), or something is queued already, the message goes on the connection's
queue, which a writer task drains into the socket; it takes over until the queue is empty
again, so the client gets every message in order. A client that falls ``send_queue`` messages
behind is closed with ``Close.TOO_SLOW`` so that it can never slow the room down: it reconnects
and resumes from its last seq. Whatever closes a connection, the room lets go of it at once
(``on_close``), and the transport cuts it if its close has not gone through within
``CLOSE_GRACE_S`` (``server/transport.py``).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
from collections.abc import Callable
from typing import Protocol

from rooms.actors import Actor
from rooms.projection import Audience

from .outbox import Outbox
from .protocol import Close
from .transport import CLOSE_GRACE_S
from .wire import FrameWriter, Message, text_frame

log = logging.getLogger("hackrooms.connection")
_ids = itertools.count(1)


class Socket(Protocol):
    """The part of a websocket a connection writes to."""

    async def send_text(self, data: str) -> None: ...

    async def close(self, code: int = 1000, reason: str | None = None) -> None: ...


class Connection:
    """A live client of one room."""

    def __init__(self, socket: Socket, actor: Actor, audience: Audience, max_queue: int,
                 on_close: Callable[[Connection], None] | None = None,
                 wire: FrameWriter | None = None) -> None:
        self.id = f"c{next(_ids)}"
        self.actor = actor
        self.audience = audience
        self._socket = socket
        self._max = max_queue
        self._on_close = on_close
        # One slot more than the limit, so that the close marker always fits.
        self._queue: Outbox[str | None] = Outbox(max_queue + 1)
        self._close: tuple[int, str] | None = None
        self._writer: asyncio.Task[None] | None = None
        self._wire = wire  # None: everything goes through the queue and the writer
        # Frames go straight to the wire: there is one, and the writer is idle (nothing queued,
        # not inside a send). Kept as one flag because the fan-out checks it for every
        # connection of the room.
        self._direct = wire is not None
        self._closer: asyncio.Task[None] | None = None

    @property
    def member(self) -> str | None:
        """The member id this connection speaks for (participants only)."""
        return self.actor.id if self.audience is Audience.PARTICIPANT else None

    @property
    def closing(self) -> bool:
        return self._close is not None

    def start(self) -> None:
        self._writer = asyncio.create_task(self._drain(), name=f"writer-{self.id}")

    def send(self, message: str | Message) -> None:
        """Send an encoded message: now if the client keeps up, else queued; close the
        connection if the client lags too far behind."""
        if self._close is not None:
            return
        if self._direct:
            # type(), not isinstance(): this runs for every connection of a fan-out.
            frame = (message.frame if type(message) is Message
                     else text_frame(message.encode()))  # type: ignore[union-attr]
            if self._wire.write_frame(frame):  # type: ignore[union-attr]  # _direct: a wire
                return
            self._direct = False  # the writer takes over until it has caught up
        text = message.text if isinstance(message, Message) else message
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
        loop = asyncio.get_running_loop()
        if self._on_close is not None:
            # Soon, not now: we may be inside a loop over the room's connections.
            loop.call_soon(self._on_close, self)
        if code == Close.TOO_SLOW:
            # What is queued would only make the lagging client later: it resumes instead.
            while not self._queue.empty():
                self._queue.get_nowait()
            self._close_now()
            return
        self._queue.put_nowait(None)
        loop.call_later(CLOSE_GRACE_S, self._close_now)  # a flush may never end: bound it

    def _close_now(self) -> None:
        """Send the close frame now, leaving unsent what is still queued."""
        if self._closer is not None:
            return
        if self._writer is not None and self._writer is not asyncio.current_task():
            # A client that reads nothing blocks the writer in a send that never returns; the
            # message it was sending never reached the transport, so no frame is cut in half.
            self._writer.cancel()
        self._closer = asyncio.create_task(self._close_socket(), name=f"closer-{self.id}")

    async def _drain(self) -> None:
        try:
            while (text := await self._queue.get()) is not None:
                await self._socket.send_text(text)
                if self._queue.empty() and self._close is None:
                    self._direct = self._wire is not None  # caught up: write directly again
        except asyncio.CancelledError:
            raise
        except Exception:  # the peer went away while we wrote: the reader side cleans up
            log.debug("connection %s: write failed", self.id, exc_info=True)
            return
        self._close_now()

    async def _close_socket(self) -> None:
        code, reason = self._close or (Close.NORMAL, "")
        # The transport cuts a close that does not go through; this bound is for servers
        # other than ``hackrooms``'s own.
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self._socket.close(code, reason), CLOSE_GRACE_S)

    async def stop(self) -> None:
        """Stop the writer: the client is gone."""
        self._wire = None
        for task in (self._writer, self._closer):
            if task is not None and not task.done():
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
