"""The websocket transport: uvicorn's Sans-I/O websockets protocol, with closes that end.

uvicorn ends a TCP connection with ``transport.close()``, which first waits until everything
buffered has been written. A client that stops reading never lets that happen: its connection
stayed open for minutes after the server had closed it, holding megabytes in the kernel's send
buffer, and its close frame (queued behind them) never left. Here every close has a deadline:
a connection still open ``CLOSE_GRACE_S`` after it began closing (the app's close frame, the
client's, a keepalive timeout, the app's end) is aborted. ``SO_LINGER`` 0 makes the kernel
drop what it still holds for the client and answer with a TCP reset, so the socket and its
buffers are freed at once; and a connection that is lost frees its protocol object at once
(docs/architecture.md, "Memory per connection"). ``hackrooms`` runs uvicorn with this
protocol (``server/cli.py``).

It also takes whole pre-built frames (``write_frame``, ``server/wire.py``): the room's fan-out
writes one message's bytes straight to every transport whose client keeps up, with no task,
queue or encoding per connection. The protocol offers itself to the app as the scope
extension ``hackrooms.frame_writer``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import struct
from typing import Any

from uvicorn._types import ASGISendEvent
from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
from websockets.http11 import Request
from websockets.protocol import State

from .admission import admission_of
from .wire import WRITER_EXTENSION

log = logging.getLogger("hackrooms.transport")
CLOSE_GRACE_S = 5.0  # how long a closing connection may take to flush before it is cut
_LINGER_RESET = struct.pack("ii", 1, 0)  # on, 0 s: close() discards the send buffer, sends RST
# A frame is written straight to the transport only while less than this waits in its buffer
# (what the kernel would not take yet); above it the connection's queue takes over, and a client
# that stays behind is cut (``server/connection.py``). It is the transport's high-water mark, so
# ``pause_writing`` says when it is passed.
DIRECT_HIGH_WATER = 64 * 1024


class WebSocketProtocol(WebSocketsSansIOProtocol):
    """uvicorn's websockets-sansio protocol whose closing connections are cut after a grace."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.close_timeout = CLOSE_GRACE_S  # the wait for the client's close frame
        self._cut: asyncio.TimerHandle | None = None
        self._paused = False  # the transport holds more than DIRECT_HIGH_WATER unsent

    def handle_connect(self, event: Request) -> None:
        super().handle_connect(event)
        scope = getattr(self, "scope", None)
        if scope is not None:
            scope["extensions"][WRITER_EXTENSION] = self

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        super().connection_made(transport)
        # The transport pauses writing (``pause_writing``) exactly when direct writes must stop.
        self.transport.set_write_buffer_limits(high=DIRECT_HIGH_WATER)

    def pause_writing(self) -> None:
        super().pause_writing()
        self._paused = True

    def resume_writing(self) -> None:
        super().resume_writing()
        self._paused = False

    def write_frame(self, frame: bytes) -> bool:
        """Write a whole unmasked frame now if the connection is open and its client keeps up.

        Nothing is buffered in ``self.conn`` between sends (every send writes its output at
        once), so these bytes cannot overtake a frame of the protocol's own. This runs once per
        connection per fan-out, so it makes three checks only: a close frame sent or received
        takes the state out of OPEN (websockets' ``send_close``, ``fail``, a received close),
        and a closing or lost transport says so itself.
        """
        if self._paused or self.conn.state is not State.OPEN or self.transport.is_closing():
            return False
        self.transport.write(frame)
        return True

    async def send(self, message: ASGISendEvent) -> None:
        if message["type"] == "websocket.close":
            # Before the send: it waits for room in the buffer, which may never come.
            self._cut_later()
        await super().send(message)

    def handle_close(self, event: Any) -> None:
        super().handle_close(event)  # the client's close frame: our reply must still flush
        self._cut_later()

    def keepalive_timeout(self) -> None:
        super().keepalive_timeout()
        self._cut_later()

    def shutdown(self) -> None:
        super().shutdown()
        self._cut_later()

    async def run_asgi(self) -> None:
        await super().run_asgi()
        self._cut_later()  # the app is done with the connection: it ends, flushed or not

    def opened(self) -> None:
        """The app answered the hello: this connection no longer counts as being opened."""
        transport = getattr(self, "transport", None)  # set by connection_made
        if transport is not None:
            admission_of(self.loop).done(transport)

    def connection_lost(self, exc: Exception | None) -> None:
        transport = getattr(self, "transport", None)  # set by connection_made
        if transport is not None:
            admission_of(self.loop).done(transport)
        if self._cut is not None:
            self._cut.cancel()
            self._cut = None
        super().connection_lost(exc)
        # websockets keeps its frame parser as a generator whose frame refers back to the
        # protocol: a cycle only a full garbage collection frees, which a long-running server
        # makes rarely, so every closed connection's buffers waited for it. Nothing parses
        # after the connection is lost: closing the parser breaks the cycle and frees it all.
        self.conn.parser.close()
        # The scope offers this protocol to the app (``handle_connect``): another cycle.
        scope = getattr(self, "scope", None)
        if scope is not None:
            scope["extensions"].pop(WRITER_EXTENSION, None)

    def _cut_later(self) -> None:
        if self._cut is None and not self.disconnected and self.transport is not None:
            self._cut = self.loop.call_later(CLOSE_GRACE_S, self._abort)

    def _abort(self) -> None:
        self._cut = None
        if self.disconnected:
            return
        log.info("websocket %s:%s still open %.0f s after its close (%d bytes unsent): cut",
                 *(self.client or ("?", "?")), CLOSE_GRACE_S,
                 self.transport.get_write_buffer_size())
        sock = self.transport.get_extra_info("socket")
        if sock is not None:
            with contextlib.suppress(OSError):  # already gone: abort() is all that is left
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, _LINGER_RESET)
        self.transport.abort()
