"""Pairing people for a networking round: a pure function of people, history, weights and seed.

Everyone present is in exactly one group: pairs, and one triad when the count is odd, so nobody
is left alone. Groups never mix on-site and remote people unless the forum allows it. Hard
rules come first and are relaxed only when they cannot hold (the result says which): no pair
meets twice in a forum, no two people of one organization meet, nobody is in a triad twice
while others have not been. Within the hard rules the pairing maximises the weighted number of
meetings across sectors and across countries.

This is the interface and a first greedy implementation; ``pair_round`` keeps its signature
when the algorithm improves.
"""

from __future__ import annotations

import random
from collections.abc import Sequence, Set
from dataclasses import dataclass

ONSITE, REMOTE, MIXED = "onsite", "remote", "mixed"


@dataclass(frozen=True, slots=True)
class Candidate:
    """A person who may be paired: what the pairing looks at, nothing else."""

    id: str
    sector: str
    country: str
    organization: str  # "" for none: never counts as the same organization as anyone
    attendance: str  # onsite or remote


@dataclass(frozen=True, slots=True)
class Weights:
    """What a meeting across sectors and one across countries are worth (per forum)."""

    sector: int = 3
    country: int = 2


@dataclass(frozen=True, slots=True)
class Group:
    """People who meet in a round: two, or three for the one triad of an odd count."""

    members: tuple[str, ...]
    mode: str  # onsite, remote, or mixed (allowed by the forum only)


@dataclass(frozen=True, slots=True)
class Quality:
    """How diverse a round is, against what the people present allowed at best."""

    groups: int
    cross_sector: int  # groups with more than one sector
    cross_country: int  # groups with more than one country
    repeats: int  # pairs inside groups that had met before in the forum
    same_organization: int  # pairs inside groups of one organization
    sector_bound: int  # the most groups that could be cross-sector (exact)

    @property
    def bound_share(self) -> float:
        """The share of the cross-sector bound reached (1.0 when the bound is 0)."""
        return self.cross_sector / self.sector_bound if self.sector_bound else 1.0


@dataclass(frozen=True, slots=True)
class Pairing:
    """A round's groups, the hard rules it had to relax, and its quality figures."""

    groups: tuple[Group, ...]
    relaxed: tuple[str, ...]  # of: "repeat", "organization", "triad", "attendance"
    quality: Quality


def pair_key(a: str, b: str) -> frozenset[str]:
    return frozenset((a, b))


def pair_round(people: Sequence[Candidate], met: Set[frozenset[str]], in_triad_before: Set[str],
               weights: Weights, *, mixed: bool, seed: int) -> Pairing:
    """The groups of one round (see the module's docstring)."""
    rng = random.Random(seed)
    pools = [list(people)] if mixed else [[p for p in people if p.attendance == ONSITE],
                                          [p for p in people if p.attendance == REMOTE]]
    groups: list[Group] = []
    relaxed: set[str] = set()
    leftovers: list[Candidate] = []
    for pool in pools:
        rng.shuffle(pool)
        made, alone = _greedy(pool, met, weights, relaxed)
        groups.extend(Group(tuple(p.id for p in g), _mode(g)) for g in made)
        leftovers.extend(alone)
    # One person left in a pool joins a group: of their own attendance if the other pool
    # has one too (two leftovers make a mixed pair only when the forum allows it).
    by_id = {p.id: p for p in people}
    for person in leftovers:
        target = _triad_target(groups, by_id, person, in_triad_before, mixed)
        if target is None:
            continue
        if by_id[target.members[0]].attendance != person.attendance and not mixed:
            relaxed.add("attendance")
        if any(m in in_triad_before for m in (*target.members, person.id)):
            relaxed.add("triad")
        i = groups.index(target)
        mode = target.mode if by_id[target.members[0]].attendance == person.attendance else MIXED
        groups[i] = Group((*target.members, person.id), mode)
    return Pairing(tuple(groups), tuple(sorted(relaxed)), quality(groups, people, met))


def _mode(group: list[Candidate]) -> str:
    kinds = {p.attendance for p in group}
    return kinds.pop() if len(kinds) == 1 else MIXED


def _score(a: Candidate, b: Candidate, met: Set[frozenset[str]], weights: Weights) -> float:
    score = 0.0
    if pair_key(a.id, b.id) in met:
        score -= 1000.0
    if a.organization and a.organization == b.organization:
        score -= 100.0
    if a.sector != b.sector:
        score += weights.sector
    if a.country != b.country:
        score += weights.country
    return score


def _greedy(pool: list[Candidate], met: Set[frozenset[str]], weights: Weights,
            relaxed: set[str]) -> tuple[list[list[Candidate]], list[Candidate]]:
    free = list(pool)
    made: list[list[Candidate]] = []
    while len(free) >= 2:
        a = free.pop(0)
        b = max(free, key=lambda c: _score(a, c, met, weights))
        free.remove(b)
        if pair_key(a.id, b.id) in met:
            relaxed.add("repeat")
        if a.organization and a.organization == b.organization:
            relaxed.add("organization")
        made.append([a, b])
    return made, free


def _triad_target(groups: list[Group], by_id: dict[str, Candidate], person: Candidate,
                  in_triad_before: Set[str], mixed: bool) -> Group | None:
    pairs = [g for g in groups if len(g.members) == 2]
    if not pairs:
        return None
    same = [g for g in pairs if by_id[g.members[0]].attendance == person.attendance]
    options = same or pairs
    fresh = [g for g in options if not any(m in in_triad_before for m in g.members)]
    return (fresh or options)[0]


def sector_bound(people: Sequence[Candidate], *, mixed: bool) -> int:
    """The most groups that can be cross-sector: per pool, min(floor(n/2), n - largest sector)."""
    pools = [list(people)] if mixed else [[p for p in people if p.attendance == a]
                                          for a in (ONSITE, REMOTE)]
    total = 0
    for pool in pools:
        counts: dict[str, int] = {}
        for p in pool:
            counts[p.sector] = counts.get(p.sector, 0) + 1
        total += min(len(pool) // 2, len(pool) - max(counts.values(), default=0))
    return total


def quality(groups: Sequence[Group], people: Sequence[Candidate],
            met: Set[frozenset[str]]) -> Quality:
    """The quality figures of a round's groups."""
    by_id = {p.id: p for p in people}
    cross_sector = cross_country = repeats = same_org = 0
    for g in groups:
        members = [by_id[m] for m in g.members]
        cross_sector += len({m.sector for m in members}) > 1
        cross_country += len({m.country for m in members}) > 1
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                repeats += pair_key(a.id, b.id) in met
                same_org += bool(a.organization) and a.organization == b.organization
    mixed = any(g.mode == MIXED for g in groups)
    return Quality(len(groups), cross_sector, cross_country, repeats, same_org,
                   sector_bound(people, mixed=mixed))
