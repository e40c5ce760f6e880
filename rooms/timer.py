"""The room timer: a server-authoritative countdown whose expiry is an event in the log.

The state holds absolute server times (``ends_at``), never a ticking number: every client
computes the remaining time from the server clock, so all screens show the same second.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from .actors import Actor
from .errors import ErrorCode, reject
from .events import Event
from .fields import Int, spec
from .registry import FACILITATOR, SYSTEM_ONLY, Applier, CommandSpec, Decision, one
from .state import RoomState, TimerState

DAY_S = 24 * 3600


def _start(state: RoomState, args: Mapping[str, Any], actor: Actor, now: int) -> Decision:
    duration = args["seconds"] * 1000
    return one("timer.started", duration_ms=duration, ends_at=now + duration)


def _pause(state: RoomState, args: Mapping[str, Any], actor: Actor, now: int) -> Decision:
    timer = state.timer
    if timer.status != "running":
        return reject(ErrorCode.INVALID_STATE, "the timer is not running")
    if timer.remaining(now) == 0:
        return one("timer.expired")
    return one("timer.paused", remaining_ms=timer.remaining(now))


def _resume(state: RoomState, args: Mapping[str, Any], actor: Actor, now: int) -> Decision:
    if state.timer.status != "paused":
        return reject(ErrorCode.INVALID_STATE, "the timer is not paused")
    return one("timer.resumed", ends_at=now + state.timer.remaining_ms)


def _adjust(state: RoomState, args: Mapping[str, Any], actor: Actor, now: int) -> Decision:
    timer, delta = state.timer, args["seconds"] * 1000
    if timer.status not in ("running", "paused"):
        return reject(ErrorCode.INVALID_STATE, "start the timer first")
    if delta == 0:
        return reject(ErrorCode.INVALID_ARGS, "'seconds' must not be 0")
    left = timer.remaining(now) + delta
    if left <= 0:  # shortened past zero: the time is up now
        return one("timer.expired")
    duration = timer.duration_ms + delta
    if timer.status == "running":
        return one("timer.adjusted", duration_ms=duration, ends_at=now + left, remaining_ms=0)
    return one("timer.adjusted", duration_ms=duration, ends_at=0, remaining_ms=left)


def _stop(state: RoomState, args: Mapping[str, Any], actor: Actor, now: int) -> Decision:
    if state.timer.status == "idle":
        return reject(ErrorCode.INVALID_STATE, "the timer is not set")
    return one("timer.stopped")


def _expire(state: RoomState, args: Mapping[str, Any], actor: Actor, now: int) -> Decision:
    timer = state.timer
    if timer.status != "running" or now < timer.ends_at:
        return reject(ErrorCode.INVALID_STATE, "the timer has not run out")
    return one("timer.expired")


def _set(status: str) -> Callable[[RoomState, Event], RoomState]:
    def apply(state: RoomState, e: Event) -> RoomState:
        timer = state.timer
        d = e.data
        return replace(state, timer=TimerState(
            status=status,
            duration_ms=d.get("duration_ms", timer.duration_ms),
            ends_at=d.get("ends_at", 0),
            remaining_ms=d.get("remaining_ms", 0),
        ))
    return apply


def _apply_adjusted(state: RoomState, e: Event) -> RoomState:
    return _set(state.timer.status)(state, e)


def _apply_stopped(state: RoomState, e: Event) -> RoomState:
    return replace(state, timer=TimerState())


def _apply_expired(state: RoomState, e: Event) -> RoomState:
    return replace(state, timer=TimerState("expired", state.timer.duration_ms))


def due(state: RoomState) -> int | None:
    """When the server must send ``timer.expire`` (server ms), or None if no timer runs."""
    return state.timer.ends_at if state.timer.status == "running" else None


COMMANDS = (
    CommandSpec("timer.start", spec({"seconds": Int(1, DAY_S)}), FACILITATOR, _start),
    CommandSpec("timer.pause", spec(), FACILITATOR, _pause),
    CommandSpec("timer.resume", spec(), FACILITATOR, _resume),
    CommandSpec("timer.adjust", spec({"seconds": Int(-DAY_S, DAY_S)}), FACILITATOR, _adjust),
    CommandSpec("timer.stop", spec(), FACILITATOR, _stop),
    CommandSpec("timer.expire", spec(), SYSTEM_ONLY, _expire),
)

APPLIERS: dict[str, Applier] = {
    "timer.started": _set("running"),
    "timer.paused": _set("paused"),
    "timer.resumed": _set("running"),
    "timer.adjusted": _apply_adjusted,
    "timer.stopped": _apply_stopped,
    "timer.expired": _apply_expired,
}
