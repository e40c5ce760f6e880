"""The wire protocol: message types, error codes and close codes (see docs/protocol.md).

Every name here is public API. ``tests/test_docs.py`` fails when one of them is missing from
the document.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from enum import IntEnum, StrEnum
from typing import Any

from rooms.errors import ErrorCode


class ClientType(StrEnum):
    """Messages a client sends."""

    HELLO = "hello"
    CMD = "cmd"
    PING = "ping"


class ServerType(StrEnum):
    """Messages the server sends."""

    WELCOME = "welcome"
    SNAPSHOT = "snapshot"
    EVENT = "event"
    EVENTS = "events"  # several events committed together, in one frame
    SYNCED = "synced"
    ACK = "ack"
    ERROR = "error"
    PRESENCE = "presence"
    PONG = "pong"


class ProtocolError(StrEnum):
    """Error codes of the connection itself (room rule codes are in ``rooms.errors``)."""

    BAD_JSON = "bad_json"
    BAD_MESSAGE = "bad_message"
    TOO_LARGE = "too_large"
    UNAVAILABLE = "unavailable"
    RATE_LIMITED = "rate_limited"  # carries retry_after_ms; nothing was remembered
    INTERNAL = "internal"


ERROR_CODES = tuple(ProtocolError) + tuple(ErrorCode)


class Close(IntEnum):
    """WebSocket close codes the server uses."""

    NORMAL = 1000
    GOING_AWAY = 1001  # the server is shutting down; reconnect elsewhere or later
    MESSAGE_TOO_BIG = 1009  # a frame above the hard transport limit
    BAD_HELLO = 4400  # the first message was not a valid hello
    UNAUTHORIZED = 4401  # missing, forged or unknown token
    FORBIDDEN = 4403  # a valid token for another forum
    NOT_FOUND = 4404  # no such room
    HELLO_TIMEOUT = 4408  # no hello in time
    TOO_SLOW = 4429  # the send queue overflowed; resume from the last seq
    TOO_MANY_CONNECTIONS = 4430  # the person's or the process's connection limit is reached
    INTERNAL = 4500  # the server failed; reconnect and resume
    UNAVAILABLE = 4503  # the log or the store is unreachable; reconnect with backoff


@dataclass(frozen=True, slots=True)
class Hello:
    """The first message: who the client is, which room, and where it left off."""

    token: str
    room: str
    resume_epoch: str | None
    resume_seq: int | None


@dataclass(frozen=True, slots=True)
class Cmd:
    """A command with its client-chosen operation id."""

    op: str
    name: str
    args: dict[str, Any]


class MessageError(ValueError):
    """A client message that cannot be understood; carries the protocol error code."""

    def __init__(self, code: ProtocolError, message: str, op: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.op = op


def encode(message: dict[str, Any]) -> str:
    """Serialize a server message (compact, UTF-8 kept as is, never NaN or Infinity)."""
    return json.dumps(message, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def decode(text: str, max_bytes: int) -> dict[str, Any]:
    """Parse a client message into a JSON object, or raise MessageError."""
    if len(text) > max_bytes or len(text.encode("utf-8")) > max_bytes:
        raise MessageError(ProtocolError.TOO_LARGE, f"a message may have at most {max_bytes} bytes")
    try:
        raw = parse_json(text)
    except InvalidJson as error:
        raise MessageError(ProtocolError.BAD_JSON, str(error)) from error
    if not isinstance(raw, dict):
        raise MessageError(ProtocolError.BAD_MESSAGE, "a message must be a JSON object")
    return raw


MAX_DEPTH = 32  # objects and arrays nested in one another: a message needs 5


class InvalidJson(ValueError):
    """Text that is not RFC 8259 JSON, or JSON beyond what the server accepts."""


def parse_json(text: str) -> Any:
    """Parse RFC 8259 JSON that the server can hold and write back, or raise InvalidJson.

    The websocket and the HTTP API both parse with this, so both refuse the same things: what
    is not JSON (``NaN``, ``Infinity``), numbers out of range, nesting deeper than MAX_DEPTH and
    escaped lone surrogates.
    """
    try:
        value = _DECODER.decode(text)
    except RecursionError as error:
        raise InvalidJson(f"the JSON is nested deeper than {MAX_DEPTH} levels") from error
    except InvalidJson:
        raise
    except ValueError as error:
        raise InvalidJson("the JSON is not valid") from error
    # Both checks walk the parsed value; the cheap scans of the text say when they can find
    # nothing. Unchecked, a value nested just below the parser's own limit (about 960 levels
    # here) failed the encoder on its way back (a ping's ``t``) and dropped the connection.
    if text.count("[") + text.count("{") > MAX_DEPTH or _ESCAPED_SURROGATE.search(text):
        _check_tree(value)
    return value


def _not_json(name: str) -> float:
    raise InvalidJson(f"{name} is not a JSON number (RFC 8259)")


def _finite(literal: str) -> float:
    number = float(literal)
    if not math.isfinite(number):  # 1e999: valid syntax, but no float holds it
        raise InvalidJson(f"the number {literal[:20]} is out of range")
    return number


# One decoder made once: json.loads with hooks would build a new one (and its scanner) per call.
_DECODER = json.JSONDecoder(parse_constant=_not_json, parse_float=_finite)


# JSON may escape half of a UTF-16 surrogate pair ("\ud800") and Python parses it into a str
# that UTF-8 cannot encode: stored, it failed the store's whole group-commit batch (other
# rooms' commands too); echoed (an op, a ping's t), it killed the connection's writer, leaving
# the client with a silent socket; in a hello it crashed the handshake; over HTTP it answered
# 500, or 503 when the store's error looked like a taken join code. Refuse it on arrival. The
# regex is only a pre-filter: escaped *pairs* (emoji written as \ud83d\ude00) are characters.
_ESCAPED_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _check_tree(value: Any) -> None:
    """Refuse nesting deeper than MAX_DEPTH and strings with a lone surrogate (no recursion)."""
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            if _SURROGATE.search(item):
                raise InvalidJson("the JSON escapes a lone surrogate, which is not a character")
        elif isinstance(item, dict | list):
            if depth >= MAX_DEPTH:
                raise InvalidJson(f"the JSON is nested deeper than {MAX_DEPTH} levels")
            children = [*item, *item.values()] if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)


def _op(raw: dict[str, Any]) -> str | None:
    op = raw.get("op")
    return op if isinstance(op, str) and 0 < len(op) <= 64 else None


def parse_hello(raw: dict[str, Any]) -> Hello:
    """Check a hello message."""
    if raw.get("type") != ClientType.HELLO:
        raise MessageError(ProtocolError.BAD_MESSAGE, "the first message must be a hello")
    token, room, resume = raw.get("token"), raw.get("room"), raw.get("resume")
    if not isinstance(token, str) or not isinstance(room, str) or not room:
        raise MessageError(ProtocolError.BAD_MESSAGE, "hello needs 'token' and 'room' strings")
    if resume is None:
        return Hello(token, room, None, None)
    epoch, seq = (resume.get("epoch"), resume.get("seq")) if isinstance(resume, dict) else (0, 0)
    if not isinstance(epoch, str) or not isinstance(seq, int) or isinstance(seq, bool) or seq < 0:
        raise MessageError(ProtocolError.BAD_MESSAGE,
                           "'resume' must be {\"epoch\": string, \"seq\": whole number >= 0}")
    return Hello(token, room, epoch, seq)


def parse_cmd(raw: dict[str, Any]) -> Cmd:
    """Check a command message; the op id is echoed in any error about it."""
    op = _op(raw)
    if op is None:
        raise MessageError(ProtocolError.BAD_MESSAGE, "a cmd needs an 'op' string of 1 to 64 "
                           "characters")
    name, args = raw.get("name"), raw.get("args", {})
    if not isinstance(name, str) or not name:
        raise MessageError(ProtocolError.BAD_MESSAGE, "a cmd needs a 'name' string", op)
    if not isinstance(args, dict):
        raise MessageError(ProtocolError.BAD_MESSAGE, "'args' must be an object", op)
    return Cmd(op, name, args)


def error(code: str, message: str, op: str | None = None) -> dict[str, Any]:
    """An error message; ``op`` names the command it answers, when there is one."""
    out: dict[str, Any] = {"type": ServerType.ERROR.value, "code": code, "message": message}
    if op is not None:
        out["op"] = op
    return out
