"""Admission of new connections: at most a few are being opened at a time, the others wait.

A thousand people opening a room at once are a thousand connections accepted together, and the
event loop then ran every one's HTTP upgrade, websocket handshake and hello in the same few
turns: on a 2-core machine, two turns of 150-200 ms each, during which every other room's
commands waited (docs/benchmarks.md, "Join storm"). Here a process has at most
``OPENING_AT_ONCE`` connections *opening*: from their first bytes to the end of their first
HTTP response or, for a websocket, until its hello is answered (attached to its room or
refused), for at most ``OPENING_GRACE_S``. The first bytes of a connection beyond that are held
unparsed, its reading paused (the kernel keeps the rest), and it is started, in arrival order,
when an opening is done; so no turn of the loop does more than a few openings' work. Out of a
storm, nothing waits.

The HTTP protocol is uvicorn's own (httptools when installed, else h11) with this in front
(``server/cli.py``); the websocket protocol (``server/transport.py``) and the session
(``server/session.py``) say when an opening is done.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable
from typing import Any

from uvicorn.protocols.http.auto import AutoHTTPProtocol

# Connections being opened at once. Each opening is a fraction of a millisecond of the loop's
# time spread over a few turns, and a hello waits for its room's turn (server/openings.py)
# anyway. In bench/join_storm.py on 2 cores, 8 kept other rooms' acks under 50 ms (p99) with
# the thousand synced in 7-8 s; 16 synced in 5-6 s with other rooms' p99 at 40-60 ms.
OPENING_AT_ONCE = 8
# An opening that takes longer than this (a client that sends its request slowly, a hello that
# waits long for its room) stops counting: a few slow clients cannot hold the others back.
OPENING_GRACE_S = 2.0


class Admission:
    """The connections of one event loop that are being opened, and those that wait."""

    def __init__(self, loop: asyncio.AbstractEventLoop, at_once: int = OPENING_AT_ONCE,
                 grace_s: float = OPENING_GRACE_S) -> None:
        self._loop = loop
        self._at_once = at_once
        self._grace_s = grace_s
        self._opening: dict[asyncio.BaseTransport, asyncio.TimerHandle] = {}
        self._waiting: deque[tuple[asyncio.BaseTransport, Callable[[], None]]] = deque()

    @property
    def opening(self) -> int:
        return len(self._opening)

    @property
    def waiting(self) -> int:
        return len(self._waiting)

    def enter(self, transport: asyncio.BaseTransport, start: Callable[[], None]) -> bool:
        """A connection that sent its first bytes: True if it may be opened now; otherwise
        ``start`` is called (soon, from the loop) when its turn comes."""
        if len(self._opening) < self._at_once and not self._waiting:
            self._hold(transport)
            return True
        self._waiting.append((transport, start))
        return False

    def done(self, transport: asyncio.BaseTransport) -> None:
        """The connection is open, or gone, or out of time: start the next. Idempotent."""
        timer = self._opening.pop(transport, None)
        if timer is None:
            return
        timer.cancel()
        while self._waiting and len(self._opening) < self._at_once:
            waiting, start = self._waiting.popleft()
            if waiting.is_closing():  # the client gave up while it waited
                continue
            self._hold(waiting)
            # Soon, not now: we may be inside another connection's callback.
            self._loop.call_soon(start)

    def _hold(self, transport: asyncio.BaseTransport) -> None:
        self._opening[transport] = self._loop.call_later(self._grace_s, self.done, transport)


_admissions: dict[asyncio.AbstractEventLoop, Admission] = {}


def admission_of(loop: asyncio.AbstractEventLoop) -> Admission:
    """The admission of this loop (a server has one loop; a test may run several in turn)."""
    admission = _admissions.get(loop)
    if admission is None:
        for stale in [other for other in _admissions if other.is_closed()]:
            del _admissions[stale]
        admission = _admissions[loop] = Admission(loop)
    return admission


class AdmittedHTTPProtocol(AutoHTTPProtocol):  # type: ignore[misc,valid-type]
    """uvicorn's HTTP protocol, whose connections wait for their turn to be opened.

    A connection counts from its first bytes, not from its accept: an idle connection (a
    browser's preconnect) costs the loop nothing, so it holds no turn.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._admitted = False
        self._held: list[bytes] = []  # what arrived before its turn

    def data_received(self, data: bytes) -> None:
        if self._admitted:
            super().data_received(data)
            return
        if self._held:
            self._held.append(data)  # read before the pause took: keep the order
            return
        admission = admission_of(asyncio.get_running_loop())
        if admission.enter(self.transport, self._start):
            self._admitted = True
            super().data_received(data)
            return
        self._held.append(data)
        self.transport.pause_reading()

    def _start(self) -> None:
        self._admitted = True
        if self.transport.is_closing():
            return
        held, self._held = b"".join(self._held), []
        self.transport.resume_reading()
        super().data_received(held)

    def on_response_complete(self) -> None:
        # A plain HTTP request was answered (a websocket's upgrade goes on elsewhere).
        admission_of(asyncio.get_running_loop()).done(self.transport)
        super().on_response_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        admission_of(asyncio.get_running_loop()).done(self.transport)
        super().connection_lost(exc)
