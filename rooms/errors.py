"""Typed rejections: why a command produced no event. Codes are part of the public protocol."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ErrorCode(StrEnum):
    """Why a log refused a command (documented in docs/protocol.md)."""

    UNKNOWN_COMMAND = "unknown_command"
    INVALID_ARGS = "invalid_args"
    FORBIDDEN = "forbidden"
    PHASE_CLOSED = "phase_closed"
    SESSION_CLOSED = "session_closed"  # the hall's current session does not allow it
    NOT_FOUND = "not_found"
    VOTING_CLOSED = "voting_closed"
    BUDGET_EXCEEDED = "budget_exceeded"
    CAP_EXCEEDED = "cap_exceeded"
    NO_VOTE = "no_vote"
    ROOM_FULL = "room_full"  # a room of a hackathon session is at its capacity
    INVALID_STATE = "invalid_state"


@dataclass(frozen=True, slots=True)
class Rejection:
    """A command refused with a stable code and a sentence a person can read."""

    code: ErrorCode
    message: str


def reject(code: ErrorCode, message: str) -> Rejection:
    """Build a rejection; a helper so rule code reads as one line."""
    return Rejection(code, message)
