"""Pairing people for a networking round: a pure function of people, history, weights and seed.

Everyone present is in exactly one group: pairs, and one triad when a pool's count is odd, so
nobody is left alone. Groups never mix on-site and remote people unless the forum allows it:
on-site and remote people are two pools, paired apart (one triad in each odd pool). Hard rules
come first and are relaxed only when they cannot hold (the result says which): no pair meets
twice in a forum, no two people of one organization meet, nobody is in a triad twice while
others of their pool have not been. Within the hard rules the pairing maximises the weighted
number of groups across sectors and across countries.

The search itself is in ``pair_search`` (exact for small pools, greedy by the largest sector
then local search for larger ones); docs/networking.md says why, with the figures.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence, Set
from dataclasses import dataclass

from . import pair_search

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
    """People who meet in a round: two, or three for the one triad of an odd pool."""

    members: tuple[str, ...]
    mode: str  # onsite, remote, or mixed (allowed by the forum, or a pool of one relaxed)


@dataclass(frozen=True, slots=True)
class Quality:
    """How diverse a round is, against what the people present allowed at best."""

    groups: int
    cross_sector: int  # groups with more than one sector
    cross_country: int  # groups with more than one country
    repeats: int  # pairs inside groups that had met before in the forum
    same_organization: int  # pairs inside groups of one organization
    sector_bound: int  # the most groups that could be cross-sector (exact, summed over pools)
    country_bound: int = 0  # the same for countries

    @property
    def bound_share(self) -> float:
        """The share of the cross-sector bound reached (1.0 when the bound is 0)."""
        return self.cross_sector / self.sector_bound if self.sector_bound else 1.0

    @property
    def country_bound_share(self) -> float:
        """The share of the cross-country bound reached (1.0 when the bound is 0)."""
        return self.cross_country / self.country_bound if self.country_bound else 1.0


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
    """The groups of one round (see the module's docstring); none for fewer than two people."""
    rng = random.Random(seed)
    ordered = sorted(people, key=lambda p: p.id)  # the input's order never matters, the seed does
    rng.shuffle(ordered)
    pools = pools_of(ordered, mixed=mixed)
    groups: list[Group] = []
    relaxed: set[str] = set()
    for pool in pools:
        if len(pool) < 2:
            continue
        problem = _problem(pool, met, in_triad_before, weights)
        for members in pair_search.solve(problem, rng):
            group = [pool[m] for m in members]
            groups.append(Group(tuple(p.id for p in group), _mode(group)))
            if not mixed and groups[-1].mode == MIXED:
                relaxed.add("attendance")
            if len(members) == 3 and sum(problem.veteran[m] for m in members) > problem.allowed:
                relaxed.add("triad")
    figures = quality(groups, people, met, mixed=mixed)
    if figures.repeats:
        relaxed.add("repeat")
    if figures.same_organization:
        relaxed.add("organization")
    return Pairing(tuple(groups), tuple(sorted(relaxed)), figures)


def pools_of(people: Sequence[Candidate], *, mixed: bool) -> list[list[Candidate]]:
    """The pools paired apart: on-site and remote people, or everyone when mixing is allowed.

    A pool of one person cannot form a group of its own: then everyone is one pool (which puts
    that person in the one mixed group, relaxing "attendance"). Two odd pools keep a triad each
    rather than mixing two people.
    """
    onsite, remote = _split(people)
    if mixed or min(len(onsite), len(remote)) <= 1:
        return [list(people)]
    return [onsite, remote]


def _split(people: Sequence[Candidate]) -> tuple[list[Candidate], list[Candidate]]:
    return ([p for p in people if p.attendance == ONSITE],
            [p for p in people if p.attendance != ONSITE])


def _mode(group: list[Candidate]) -> str:
    kinds = {p.attendance for p in group}
    return kinds.pop() if len(kinds) == 1 else MIXED


def _problem(pool: list[Candidate], met: Set[frozenset[str]], in_triad_before: Set[str],
             weights: Weights) -> pair_search.Pool:
    """The pool as integers: sectors, countries and organizations numbered, history as ints."""
    n = len(pool)
    index = {p.id: i for i, p in enumerate(pool)}
    sectors: dict[str, int] = {}
    countries: dict[str, int] = {}
    orgs: dict[str, int] = {}
    # Nobody's "" matches anyone: each person without an organization is their own.
    org = [orgs.setdefault(p.organization, len(orgs)) if p.organization else -1 - i
           for i, p in enumerate(pool)]
    seen: set[int] = set()
    for key in met:  # a set of sets: only membership is kept, never its order
        ends = [index[x] for x in key if x in index]
        if len(ends) == 2:
            a, b = ends
            seen.update((a * n + b, b * n + a))
    return pair_search.Pool(
        [sectors.setdefault(p.sector, len(sectors)) for p in pool],
        [countries.setdefault(p.country, len(countries)) for p in pool],
        org, seen, [p.id in in_triad_before for p in pool], weights.sector, weights.country)


def sector_bound(people: Sequence[Candidate], *, mixed: bool) -> int:
    """The most groups that can be cross-sector: per pool, min(floor(n/2), n - largest sector).

    Summed over the pools ``pair_round`` pairs apart (``pools_of``): a pool's people meet no
    one outside it. Exact for each pool: every cross-sector group holds someone outside the
    largest sector, and there are floor(n/2) groups; the greedy of ``pair_search`` reaches it
    when no history stands in the way (docs/networking.md).
    """
    return _bound(people, lambda p: p.sector, mixed)


def country_bound(people: Sequence[Candidate], *, mixed: bool) -> int:
    """The most groups that can be cross-country, by the same reasoning as ``sector_bound``."""
    return _bound(people, lambda p: p.country, mixed)


def _bound(people: Sequence[Candidate], trait: Callable[[Candidate], str], mixed: bool) -> int:
    total = 0
    for pool in pools_of(people, mixed=mixed):
        counts: dict[str, int] = {}
        for p in pool:
            counts[trait(p)] = counts.get(trait(p), 0) + 1
        total += min(len(pool) // 2, len(pool) - max(counts.values(), default=0))
    return total


def quality(groups: Sequence[Group], people: Sequence[Candidate], met: Set[frozenset[str]],
            *, mixed: bool | None = None) -> Quality:
    """The quality figures of a round's groups (``mixed``: None infers it from the groups)."""
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
    together = any(g.mode == MIXED for g in groups) if mixed is None else mixed
    return Quality(len(groups), cross_sector, cross_country, repeats, same_org,
                   sector_bound(people, mixed=together), country_bound(people, mixed=together))
