"""Flood limits: token buckets for messages, counters for connections. Pure: time comes in.

Every message a connection sends takes one token from its connection's bucket and one from its
person's (the token's subject in its forum, over all of that person's connections in this
process). A message is let through only when both have a token; else it is refused with the
time until they will. Buckets refill at ``rate`` tokens per second up to ``burst``. A person's
bucket outlives their connections until it would be full again, so reconnecting does not refill
it. A rate of 0 turns a bucket off; a connection limit of 0 means no limit.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

from .config import Settings

_EPSILON = 1e-9  # a token refilled exactly by the time named counts, whatever the rounding
Person = tuple[str, str]  # (forum id, subject id): observers of every forum are "projector"


@dataclass(slots=True)
class TokenBucket:
    """Up to ``burst`` tokens, refilled at ``rate`` per second since ``stamp``."""

    rate: float
    burst: float
    tokens: float
    stamp: float

    @classmethod
    def full(cls, rate: float, burst: float, now: float) -> TokenBucket:
        return cls(rate, burst, burst, now)

    def wait(self, now: float) -> float:
        """Seconds until a token is there: 0.0 when one is there now."""
        if self.rate <= 0:
            return 0.0
        if now > self.stamp:
            self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
            self.stamp = now
        return 0.0 if self.tokens >= 1 - _EPSILON else (1 - self.tokens) / self.rate

    def take(self, now: float) -> float:
        """Take a token if there is one: 0.0; else the seconds until there is, taking none."""
        return take((self,), now)

    def full_by(self, now: float) -> bool:
        """Whether the bucket is full at ``now`` (forgetting it would change nothing)."""
        return self.rate <= 0 or self.tokens + max(0.0, now - self.stamp) * self.rate >= self.burst


def take(buckets: Sequence[TokenBucket], now: float) -> float:
    """One token from every bucket, or none at all: 0.0, else the seconds until all have one."""
    wait = max(bucket.wait(now) for bucket in buckets)
    if wait == 0.0:
        for bucket in buckets:
            if bucket.rate > 0:
                bucket.tokens -= 1
    return wait


@dataclass(slots=True)
class _PersonState:
    bucket: TokenBucket
    connections: int = 0


@dataclass(slots=True)
class Budget:
    """What one connection may send: its own bucket and its person's."""

    person: Person
    own: TokenBucket
    shared: TokenBucket
    until: float = 0.0  # the time the last refusal named: nothing goes through before it
    limited: bool = False  # the last message was refused

    def take(self, now: float) -> float:
        """Let one message through (0.0), or the seconds until one may go.

        After a refusal everything is refused until the time it named, even if a token comes
        back sooner: a client that resends the refused messages in order keeps its order.
        """
        if now < self.until:
            return self.until - now
        wait = take((self.own, self.shared), now)
        if wait > 0.0:
            self.until = now + wait
        else:
            self.limited = False
        return wait

    def note_limited(self) -> bool:
        """Mark a refusal; whether it is the first of a run (worth one line in the log)."""
        first, self.limited = not self.limited, True
        return first


class Limits:
    """The flood limits of one process: connections, and a message budget per connection."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self.connections = 0  # open websockets of the process
        self._people: dict[Person, _PersonState] = {}
        self._idle: OrderedDict[Person, None] = OrderedDict()  # no connection, oldest first

    def open(self) -> bool:
        """Count a new websocket of the process, unless the process has as many as it takes."""
        cap = self._settings.max_connections
        if 0 < cap <= self.connections:
            return False
        self.connections += 1
        return True

    def close(self) -> None:
        self.connections -= 1

    def join(self, person: Person, now: float, capped: bool) -> Budget | None:
        """A budget for a new connection of ``person``; None when ``capped`` and at their cap."""
        self._forget_idle(now)
        s = self._settings
        state = self._people.get(person)
        if state is None:
            state = self._people[person] = _PersonState(
                TokenBucket.full(s.person_rate, s.person_burst, now))
        cap = s.max_connections_per_person
        if capped and 0 < cap <= state.connections:
            return None
        state.connections += 1
        self._idle.pop(person, None)
        return Budget(person, TokenBucket.full(s.connection_rate, s.connection_burst, now),
                      state.bucket)

    def part(self, budget: Budget, now: float) -> None:
        """A connection of ``budget.person`` ended."""
        state = self._people.get(budget.person)
        if state is None:
            return
        state.connections -= 1
        if state.connections <= 0:
            self._idle[budget.person] = None
        self._forget_idle(now)

    def people(self) -> int:
        """How many people the process keeps a budget for (connected, or refilling)."""
        return len(self._people)

    def _forget_idle(self, now: float) -> None:
        # A person without connections is forgotten once their bucket is full again: looked at
        # oldest first, stopping at the first one still refilling (a few seconds at most).
        while self._idle:
            person = next(iter(self._idle))
            if not self._people[person].bucket.full_by(now):
                return
            del self._idle[person]
            del self._people[person]
