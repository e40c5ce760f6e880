"""Which process writes a room: a lease with a fencing token, held by one process at a time.

A room has one writer so that commands are never lost to a race between processes: the
process holding the lease decides every command, in order, and appends; the others forward
their commands to it (docs/scaling.md, "One writer per room"). The lease lives in the bus
(Redis: a key with a TTL) and carries a *fence* that grows with every new lease; the log's
append checks it, so a process whose lease moved on while it was paused can never append.

This module keeps a room's view of the lease: who holds it, and until when we may trust that
we do. A holder renews well before the TTL; a holder that could not renew in time (it was
paused, or Redis was away) stops trusting its lease and claims it again before deciding, so a
stale holder does not even refuse a command on old state.
"""

from __future__ import annotations

import asyncio

from .bus.base import Bus, Claim


class RoomLease:
    """This process's knowledge of one room's lease: ours (with a fence) or another's."""

    def __init__(self, room_id: str, bus: Bus, lease_ms: int) -> None:
        self._room, self._bus = room_id, bus
        self._lease_s = lease_ms / 1000
        self._lease_ms = lease_ms
        self._claim: Claim | None = None
        self._trusted_until = 0.0  # loop time until which our lease is surely still ours
        self._renewed_at = 0.0

    @property
    def fence(self) -> int | None:
        """Our fence while we hold the lease, else None."""
        return self._claim.fence if self._claim is not None and self._claim.mine else None

    def known(self) -> Claim | None:
        """The lease as last seen, if it can still be trusted (no call to the bus)."""
        if self._claim is None:
            return None
        if self._claim.mine and self._now() >= self._trusted_until:
            return None
        return self._claim

    async def resolve(self) -> Claim:
        """Who holds the lease now; takes it when it is free. Raises BusUnavailable."""
        known = self.known()
        if known is not None:
            return known
        return await self._take()

    async def _take(self) -> Claim:
        sent = self._now()
        claim = await self._bus.claim(self._room, self._lease_ms)
        self._claim = claim
        if claim.mine:
            self._trust(sent)
        return claim

    def _trust(self, sent: float) -> None:
        # Trust the lease for half its TTL, counted from before the call went out: the key
        # expires a full TTL after Redis ran the call, so half leaves room for clock drift and
        # for the time the answer took to reach us.
        self._renewed_at = sent
        self._trusted_until = sent + self._lease_s / 2

    def forget(self) -> None:
        """The holder did not answer or said it is not the holder: ask the bus again."""
        self._claim = None
        self._trusted_until = 0.0

    def renew_due(self) -> bool:
        """Whether we hold the lease and should renew it now (a third of the TTL has passed)."""
        return self.fence is not None and self._now() - self._renewed_at >= self._lease_s / 3

    async def renew(self) -> bool:
        """Extend our lease; False (and forgotten) when it is no longer ours."""
        fence = self.fence
        if fence is None:
            return False
        sent = self._now()
        if await self._bus.renew(self._room, fence, self._lease_ms):
            self._trust(sent)
            return True
        self.forget()
        return False

    async def release(self) -> None:
        """Give the lease up on a clean stop."""
        fence = self.fence
        self.forget()
        if fence is not None:
            await self._bus.release(self._room, fence)

    @staticmethod
    def _now() -> float:
        return asyncio.get_running_loop().time()
