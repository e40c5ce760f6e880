"""The state of the forum's speed networking: settings, rounds and their groups, contacts.

Plain frozen dataclasses, changed only by the appliers of ``networking.py`` and
``contacts.py``. A round keeps the groups it ended up with (after any repair): that is who met
whom, for the matcher's history and for who may ask whom to stay in touch.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .matching import Weights, pair_key

# The defaults, and why (docs/protocol-hall-networking.md says the same):
ROUNDS = 3  # the "three rounds": enough to meet several people in a 30-minute session
ROUND_SECONDS = 300  # five minutes: speed networking runs 3 to 8; five lets both sides talk
GRACE_SECONDS = 60  # a minute to find the table or open the call before a partner is missing


@dataclass(frozen=True, slots=True)
class NetworkingConfig:
    """How the forum's rounds run (``networking.configure``)."""

    rounds: int = ROUNDS
    seconds: int = ROUND_SECONDS
    template: str = ""  # the call link of a remote group; "" until the organizer sets one
    mixed: bool = False  # whether an on-site person may meet a remote one (a laptop at a table)
    grace_seconds: int = GRACE_SECONDS
    weights: Weights = field(default_factory=Weights)

    def to_json(self) -> dict[str, Any]:
        return {"rounds": self.rounds, "seconds": self.seconds, "template": self.template,
                "mixed": self.mixed, "grace_seconds": self.grace_seconds,
                "weights": {"sector": self.weights.sector, "country": self.weights.country}}


@dataclass(frozen=True, slots=True)
class Table:
    """A group of a round and where it meets: a numbered table, a call link, or both."""

    number: int  # unique within the round; the table number of a group with on-site people
    members: tuple[str, ...]
    mode: str  # onsite, remote or mixed
    table: int | None  # where on-site people sit (onsite and mixed groups)
    call: str | None  # the call remote people open (remote and mixed groups)

    def to_json(self) -> dict[str, Any]:
        return {"number": self.number, "members": list(self.members), "mode": self.mode,
                "table": self.table, "call": self.call}

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> Table:
        return cls(d["number"], tuple(d["members"]), d["mode"], d["table"], d["call"])


@dataclass(frozen=True, slots=True)
class Round:
    """One networking round: its timer, its groups, and what the pairing said about them."""

    number: int  # 1, 2, ... in the forum
    session: str
    seed: int
    started_at: int
    ends_at: int
    duration_ms: int
    groups: tuple[Table, ...]
    relaxed: tuple[str, ...]
    quality: Mapping[str, Any]
    unpaired: tuple[str, ...]  # present at the start (or after a repair) with nobody to meet
    absent: tuple[str, ...] = ()  # no-shows the organizer re-paired around
    ended_at: int | None = None
    ended_by: str | None = None  # "organizer" or "timer"

    @property
    def running(self) -> bool:
        return self.ended_at is None

    def group_of(self, member: str) -> Table | None:
        return next((g for g in self.groups if member in g.members), None)

    def grouped(self) -> set[str]:
        return {m for g in self.groups for m in g.members}


@dataclass(frozen=True, slots=True)
class NetworkingState:
    """The forum's networking rounds and who asked to stay in touch with whom."""

    config: NetworkingConfig = field(default_factory=NetworkingConfig)
    rounds: tuple[Round, ...] = ()
    opted_out: frozenset[str] = frozenset()
    # One-sided requests only: sender -> the people they asked -> when. A request answered by
    # the other side moves to ``connected``.
    requests: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    # Mutual connections: unordered pairs of member ids, with when the second side asked
    # (first asker, second asker, at).
    connected: tuple[tuple[str, str, int], ...] = field(default_factory=tuple)

    @property
    def current(self) -> Round | None:
        """The running round, if any."""
        last = self.rounds[-1] if self.rounds else None
        return last if last is not None and last.running else None

    def met(self) -> set[frozenset[str]]:
        """Every pair that was in one group of a round of the forum (as the groups are now)."""
        return {pair_key(a, b) for r in self.rounds for g in r.groups
                for i, a in enumerate(g.members) for b in g.members[i + 1:]}

    def in_triad(self) -> set[str]:
        """Everyone who has been in a group of three."""
        return {m for r in self.rounds for g in r.groups if len(g.members) > 2
                for m in g.members}

    def have_met(self, a: str, b: str) -> bool:
        return a != b and any(a in g.members and b in g.members
                              for r in self.rounds for g in r.groups)

    def is_connected(self, a: str, b: str) -> bool:
        return any({a, b} == {x, y} for x, y, _at in self.connected)
