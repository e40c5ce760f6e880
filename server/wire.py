"""A server message built once as a websocket frame, and written as it is to each connection.

Server frames are not masked (RFC 6455, 5.1), so the bytes of one message are the same for every
connection that gets it: the room builds the frame once per audience and writes those bytes to
each connection's transport, where encoding the text and framing it once per connection (what
``send_text`` does) cost most of a fan-out's time (docs/benchmarks.md, "Fan-out near the
floor"). An uncompressed frame is valid with permessage-deflate too (RSV1 unset, RFC 7692).
"""

from __future__ import annotations

import struct
from typing import Protocol

_OP_TEXT_FIN = 0x81


def text_frame(payload: bytes) -> bytes:
    """An unmasked, final text frame carrying ``payload``."""
    n = len(payload)
    if n < 126:
        return bytes((_OP_TEXT_FIN, n)) + payload
    if n < 65536:
        return struct.pack("!BBH", _OP_TEXT_FIN, 126, n) + payload
    return struct.pack("!BBQ", _OP_TEXT_FIN, 127, n) + payload


class Message:
    """An encoded server message: its text, and its frame (built once, for every connection)."""

    __slots__ = ("frame", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.frame = text_frame(text.encode())


class FrameWriter(Protocol):
    """A transport that takes whole frames while its client keeps up (``server/transport.py``)."""

    def write_frame(self, frame: bytes) -> bool:
        """Write ``frame`` now and say True, or say False and write nothing."""
        ...


WRITER_EXTENSION = "hackrooms.frame_writer"  # the scope extension that holds a FrameWriter
