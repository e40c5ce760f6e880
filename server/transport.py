"""The websocket transport: uvicorn's Sans-I/O websockets protocol, letting go of what it held.

websockets' protocol object keeps its frame parser as a generator whose frame refers back to
the protocol: a reference cycle, which only the cyclic garbage collector frees, and only at a
full collection, which a long-running server makes rarely. Every closed connection left its
protocol (its buffers, and with permessage-deflate about 50 KiB of zlib state) waiting for it;
a soak of reconnecting clients grew by megabytes per cycle. Closing the parser when the
connection is lost breaks the cycle, so all of it is freed at once (docs/architecture.md,
"Memory per connection"). ``hackrooms`` runs uvicorn with this protocol (``server/cli.py``).
"""

from __future__ import annotations

from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol


class WebSocketProtocol(WebSocketsSansIOProtocol):
    """uvicorn's websockets-sansio protocol whose connections are freed when they end."""

    def connection_lost(self, exc: Exception | None) -> None:
        super().connection_lost(exc)
        # Nothing parses after the connection is lost: the generator holds only the cycle.
        self.conn.parser.close()
