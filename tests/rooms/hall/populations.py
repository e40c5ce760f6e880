"""Realistic crowds for the matcher's tests and benchmark: who comes to a cross-sector forum.

One dominant sector (the public authorities that host such a forum: 35 to 60% of the people)
and many small ones; a host country (35 to 60%) and several neighbours; people come in
organizations of one to a dozen people (at most a tenth of the crowd), who share a sector and
a country, and some come on
their own; most are on site. History is earlier rounds paired by the matcher itself, so the
pairs already met are the diverse ones the next round would want most.
"""

from __future__ import annotations

import random
from itertools import combinations

from rooms.hall.matching import (
    ONSITE,
    REMOTE,
    Candidate,
    Group,
    Pairing,
    Weights,
    pair_key,
    pair_round,
    pools_of,
)

SECTORS = ("public_authority", "municipality", "business", "ngo_civil_society",
           "research_academia", "media", "health", "utilities", "volunteer_rescue", "military")
DEFAULT = Weights()
COUNTRIES = ("LV", "LT", "EE", "FI", "SE", "PL", "DE", "NO", "DK")


def _shares(rng: random.Random, names: tuple[str, ...], small: int) -> tuple[list[str],
                                                                               list[float]]:
    """One dominant name and ``small`` others with falling shares."""
    chosen = [names[0], *rng.sample(names[1:], small)]
    top = rng.uniform(0.35, 0.6)
    tail = [1 / (i + 1) for i in range(small)]
    return chosen, [top] + [(1 - top) * t / sum(tail) for t in tail]


def population(n: int, seed: int, onsite: float = 0.7) -> list[Candidate]:
    """``n`` people of a realistic forum (see the module's docstring)."""
    rng = random.Random(seed)
    sectors, sector_weights = _shares(rng, SECTORS, rng.randint(3, len(SECTORS) - 1))
    countries, country_weights = _shares(rng, COUNTRIES, rng.randint(2, len(COUNTRIES) - 1))
    people: list[Candidate] = []
    org = 0
    while len(people) < n:
        sector = rng.choices(sectors, sector_weights)[0]
        country = rng.choices(countries, country_weights)[0]
        size = min(n - len(people), 1 + int(rng.expovariate(0.4)), max(1, n // 10))
        name = "" if size == 1 and rng.random() < 0.5 else f"org{org}"
        org += 1
        for _ in range(size):
            where = ONSITE if rng.random() < onsite else REMOTE
            people.append(Candidate(f"p{len(people)}", sector, country, name, where))
    return people


def history(people: list[Candidate], rounds: int, seed: int, *,
            mixed: bool = False) -> tuple[set[frozenset[str]], set[str]]:
    """The pairs met and the triads' people after ``rounds`` rounds of the matcher."""
    met: set[frozenset[str]] = set()
    triads: set[str] = set()
    for r in range(rounds):
        record(pair_round(people, met, triads, Weights(), mixed=mixed, seed=seed * 97 + r),
               met, triads)
    return met, triads


def record(pairing: Pairing, met: set[frozenset[str]], triads: set[str]) -> None:
    """Add a round's meetings to the history."""
    for group in pairing.groups:
        met.update(pair_key(a, b) for a, b in combinations(group.members, 2))
        if len(group.members) == 3:
            triads.update(group.members)


def random_pairing(people: list[Candidate], seed: int, *, mixed: bool = False) -> list[Group]:
    """The baseline most tools use: pairs at random within each pool, the odd one in a triad."""
    rng = random.Random(seed)
    groups: list[Group] = []
    for pool in pools_of(sorted(people, key=lambda p: p.id), mixed=mixed):
        rng.shuffle(pool)
        pairs = [[a, b] for a, b in zip(pool[::2], pool[1::2], strict=False)]
        groups.extend(_groups(pool, pairs))
    return groups


def greedy_pairing(people: list[Candidate], met: set[frozenset[str]], seed: int,
                   weights: Weights = DEFAULT, *, mixed: bool = False) -> list[Group]:
    """The plain greedy baseline: each free person in turn takes the partner who adds most."""
    rng = random.Random(seed)
    groups: list[Group] = []
    for pool in pools_of(sorted(people, key=lambda p: p.id), mixed=mixed):
        rng.shuffle(pool)
        free, pairs = list(pool), []
        while len(free) >= 2:
            a = free.pop(0)
            b = max(free, key=lambda c: _gain(a, c, met, weights))
            free.remove(b)
            pairs.append([a, b])
        groups.extend(_groups(pool, pairs))
    return groups


def _gain(a: Candidate, b: Candidate, met: set[frozenset[str]], weights: Weights) -> int:
    return (weights.sector * (a.sector != b.sector) + weights.country * (a.country != b.country)
            - 1000 * (pair_key(a.id, b.id) in met)
            - 100 * (bool(a.organization) and a.organization == b.organization))


def _groups(pool: list[Candidate], pairs: list[list[Candidate]]) -> list[Group]:
    if len(pool) % 2 and pairs:
        pairs[-1].append(pool[-1])  # the odd one out joins the last pair
    return [Group(tuple(p.id for p in g), g[0].attendance if len({p.attendance for p in g}) == 1
                  else "mixed") for g in pairs]
