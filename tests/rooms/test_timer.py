"""The room timer: a countdown held as absolute server times, expiring as a logged event."""

from __future__ import annotations

import pytest

from rooms.actors import SYSTEM
from rooms.errors import ErrorCode
from rooms.state import TimerState
from rooms.timer import DAY_S, due
from tests.rooms.helpers import FAC, Room

MIN = 60_000


def _running(seconds: int = 600) -> Room:
    room = Room()
    room.ok(FAC, "timer.start", seconds=seconds)
    return room


def test_a_new_room_has_an_idle_timer() -> None:
    """Before any start the timer is idle, shows nothing left and is not due."""
    room = Room()
    assert room.state.timer == TimerState()
    assert room.state.timer.remaining(room.now) == 0
    assert due(room.state) is None


def test_start_sets_an_absolute_end() -> None:
    """timer.start records the duration and the server time it ends at."""
    room = Room()
    event = room.one(FAC, "timer.start", seconds=300)
    assert (event.name, event.data) == ("timer.started", {"duration_ms": 300_000,
                                                          "ends_at": room.now + 300_000})
    assert room.state.timer.status == "running"
    assert due(room.state) == room.now + 300_000


def test_remaining_time_follows_the_clock_and_stops_at_zero() -> None:
    """Remaining time is computed from the clock and never goes below zero."""
    room = _running(120)
    timer, start = room.state.timer, room.now
    assert timer.remaining(start) == 120_000
    assert timer.remaining(start + 45_000) == 75_000
    assert timer.remaining(start + 10 * MIN) == 0


def test_start_while_running_restarts() -> None:
    """A second start replaces the running countdown."""
    room = _running(600)
    room.tick(MIN)
    room.ok(FAC, "timer.start", seconds=60)
    assert room.state.timer.ends_at == room.now + MIN
    assert room.state.timer.duration_ms == MIN


def test_pause_keeps_the_remaining_time() -> None:
    """timer.pause freezes what is left; the clock no longer changes it; nothing is due."""
    room = _running(600)
    room.tick(2 * MIN)
    event = room.one(FAC, "timer.pause")
    assert event.data == {"remaining_ms": 8 * MIN}
    timer = room.state.timer
    assert (timer.status, timer.remaining(room.now + 99 * MIN)) == ("paused", 8 * MIN)
    assert due(room.state) is None


def test_resume_counts_down_from_what_was_left() -> None:
    """timer.resume sets a new end from now plus the remaining time."""
    room = _running(600)
    room.tick(MIN)
    room.ok(FAC, "timer.pause")
    room.tick(30 * MIN)
    event = room.one(FAC, "timer.resume")
    assert event.data == {"ends_at": room.now + 9 * MIN}
    assert room.state.timer.status == "running"
    assert room.state.timer.duration_ms == 10 * MIN
    assert due(room.state) == room.now + 9 * MIN


def test_pause_and_resume_need_the_right_state() -> None:
    """Pausing a timer that is not running, or resuming one not paused, is invalid_state."""
    room = Room()
    assert room.no(FAC, "timer.pause") is ErrorCode.INVALID_STATE
    assert room.no(FAC, "timer.resume") is ErrorCode.INVALID_STATE
    room.ok(FAC, "timer.start", seconds=60)
    assert room.no(FAC, "timer.resume") is ErrorCode.INVALID_STATE
    room.ok(FAC, "timer.pause")
    assert room.no(FAC, "timer.pause") is ErrorCode.INVALID_STATE


def test_pausing_a_run_out_timer_expires_it() -> None:
    """A pause that arrives after the end (before the expiry event) records the expiry."""
    room = _running(60)
    room.tick(MIN)
    assert room.one(FAC, "timer.pause").name == "timer.expired"
    assert room.state.timer.status == "expired"


def test_adjust_extends_a_running_timer() -> None:
    """Positive seconds move the end and the duration later."""
    room = _running(600)
    room.tick(MIN)
    end = room.state.timer.ends_at
    event = room.one(FAC, "timer.adjust", seconds=120)
    assert event.name == "timer.adjusted"
    timer = room.state.timer
    assert (timer.status, timer.ends_at, timer.duration_ms) == ("running", end + 2 * MIN,
                                                                12 * MIN)


def test_adjust_shortens_a_running_timer() -> None:
    """Negative seconds move the end and the duration earlier."""
    room = _running(600)
    end = room.state.timer.ends_at
    room.ok(FAC, "timer.adjust", seconds=-300)
    assert (room.state.timer.ends_at, room.state.timer.duration_ms) == (end - 5 * MIN, 5 * MIN)


@pytest.mark.parametrize("seconds", [-60, -61, -DAY_S])
def test_shortening_past_zero_expires_at_once(seconds: int) -> None:
    """Shortening by the time left or more expires the timer now."""
    room = _running(600)
    room.tick(9 * MIN)
    assert room.one(FAC, "timer.adjust", seconds=seconds).name == "timer.expired"
    assert room.state.timer.status == "expired"
    assert due(room.state) is None


def test_adjust_changes_a_paused_timer_and_keeps_it_paused() -> None:
    """Adjusting a paused timer changes what is left; it stays paused."""
    room = _running(600)
    room.ok(FAC, "timer.pause")
    room.ok(FAC, "timer.adjust", seconds=-120)
    timer = room.state.timer
    assert (timer.status, timer.remaining_ms, timer.duration_ms, timer.ends_at) == (
        "paused", 8 * MIN, 8 * MIN, 0)
    room.ok(FAC, "timer.adjust", seconds=-480)
    assert room.state.timer.status == "expired"


def test_adjust_needs_a_set_timer_and_a_change() -> None:
    """Adjusting an idle or expired timer is invalid_state; zero seconds is invalid_args."""
    room = Room()
    assert room.no(FAC, "timer.adjust", seconds=60) is ErrorCode.INVALID_STATE
    room.ok(FAC, "timer.start", seconds=60)
    assert room.no(FAC, "timer.adjust", seconds=0) is ErrorCode.INVALID_ARGS
    room.tick(MIN)
    room.ok(SYSTEM, "timer.expire")
    assert room.no(FAC, "timer.adjust", seconds=60) is ErrorCode.INVALID_STATE


@pytest.mark.parametrize("pause", [False, True])
def test_stop_clears_the_timer(pause: bool) -> None:
    """timer.stop returns a running or paused timer to idle."""
    room = _running()
    if pause:
        room.ok(FAC, "timer.pause")
    room.ok(FAC, "timer.stop")
    assert room.state.timer == TimerState()


def test_stop_clears_an_expired_timer_but_not_an_idle_one() -> None:
    """An expired timer can be cleared; stopping an idle timer is invalid_state."""
    room = _running(60)
    room.tick(MIN)
    room.ok(SYSTEM, "timer.expire")
    room.ok(FAC, "timer.stop")
    assert room.no(FAC, "timer.stop") is ErrorCode.INVALID_STATE


def test_expire_happens_only_when_due() -> None:
    """timer.expire before ends_at is invalid_state; at ends_at it expires the timer."""
    room = _running(60)
    room.tick(MIN - 1)
    assert room.no(SYSTEM, "timer.expire") is ErrorCode.INVALID_STATE
    room.tick(1)
    assert room.one(SYSTEM, "timer.expire").name == "timer.expired"
    timer = room.state.timer
    assert (timer.status, timer.duration_ms, timer.remaining(room.now)) == ("expired", MIN, 0)


def test_expire_late_still_expires() -> None:
    """A timer found long past its end (a room loaded later) expires at once."""
    room = _running(60)
    room.tick(DAY_S * 1000)
    room.ok(SYSTEM, "timer.expire")


@pytest.mark.parametrize("expired", [False, True])
def test_expire_needs_a_running_timer(expired: bool) -> None:
    """An idle or already expired timer cannot expire: invalid_state."""
    room = Room()
    if expired:
        room.ok(FAC, "timer.start", seconds=60)
        room.tick(MIN)
        room.ok(SYSTEM, "timer.expire")
    assert room.no(SYSTEM, "timer.expire") is ErrorCode.INVALID_STATE


def test_a_paused_timer_does_not_expire() -> None:
    """A paused timer is never due, however late it is."""
    room = _running(60)
    room.ok(FAC, "timer.pause")
    room.tick(DAY_S * 1000)
    assert due(room.state) is None
    assert room.no(SYSTEM, "timer.expire") is ErrorCode.INVALID_STATE


def test_a_facilitator_cannot_expire_the_timer() -> None:
    """Expiry is decided by the server (system), never sent by a facilitator."""
    room = Room()
    assert room.no(FAC, "timer.expire") is ErrorCode.FORBIDDEN
