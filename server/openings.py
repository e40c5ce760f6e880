"""Admission of hellos: how many rooms a process opens for new connections at once.

Opening a connection to a room is the heaviest thing a hello does: the room's snapshot (tens of
kB in a room of a thousand) is written to the newcomer, and its presence changes for everyone.
A thousand hellos at once, let through together, made event-loop turns of hundreds of
milliseconds, and every other room's acks waited behind them (docs/benchmarks.md, "Join
storm"). So a process opens a few at a time and the others wait their turn, in arrival order; a
hello that waited longer than the hello timeout is answered 4503 (retry), so a queue that cannot
drain does not hold clients for ever.

A participant's ``member.join`` comes before that turn (``server/session.py``): the joins of the
hellos being opened (``server/admission.py``) are committed together, decided in one batch and
fanned out as one frame per connection, and, made while the hellos wait, they reach the few
connections opened so far. Made inside the turn, two at a time, each join was a frame to every
connection of the room: half a million frames for a thousand joins.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator


class OpeningsFull(Exception):
    """A hello waited its whole allowance for a turn to open its room."""


class Openings:
    """At most ``at_once`` hellos being opened at a time (0: no limit)."""

    def __init__(self, at_once: int, wait_s: float) -> None:
        self._slots = asyncio.Semaphore(at_once) if at_once > 0 else None
        self._wait_s = wait_s

    @contextlib.asynccontextmanager
    async def turn(self) -> AsyncIterator[None]:
        """Wait for a turn (at most ``wait_s``), then hold it while the room is opened."""
        if self._slots is None:
            yield
            return
        try:
            await asyncio.wait_for(self._slots.acquire(), self._wait_s)
        except TimeoutError as failure:
            raise OpeningsFull from failure
        try:
            yield
        finally:
            self._slots.release()
