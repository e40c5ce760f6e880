"""The search behind a networking round: one pool of people, as integers, into pairs and a triad.

``matching.pair_round`` splits the people into pools (on-site, remote, or one pool when the
forum allows mixed groups) and hands each pool here as plain integer lists, so the inner
loops compare ints and look up ints in a set.

The objective is lexicographic, folded into one integer per group (``Pool.score``), from the
most important to the least:

1. repeats: each pair inside a group that met before in the forum costs ``repeat``;
2. organizations: each pair of one organization costs ``organization``;
3. the triad: each member who was in a triad before costs ``triad``, beyond the ones the pool
   cannot avoid (fewer than three people in it who have not been in one);
4. diversity: a group with more than one sector earns the sector weight, one with more than
   one country the country weight.

Each penalty outweighs everything below it put together, so one repeat fewer is worth any
loss of diversity. Every group that meets no penalty and mixes sectors and countries scores
``perfect``: the search only ever works on the groups that score less.

Two ways to search, one objective:

- ``exact`` (pools of at most ``EXACT_MAX`` people): dynamic programming over the subsets of
  the people still to place. It is the optimum, so it relaxes a rule only when no grouping of
  the pool keeps it.
- ``heuristic`` (larger pools): a greedy construction, then local search.

  The greedy takes a person of the sector with the most people still free (of the country with
  the most people still free among that sector's), and gives them the partner that adds most:
  another sector before another country, then the sector and country with the most people
  still free, then no conflict (a met pair, one organization) if one is available of that kind.
  Taking the largest sector first is what reaches the cross-sector bound: while one sector
  holds more than half of the people left, each of the others is paired with one of it; once
  it does not, pairing its people with anyone else keeps every sector at most half of the
  rest, so every pair can be cross-sector (see docs/networking.md). The last person of an odd
  pool joins the pair where they add most, as the triad.

  The local search then takes each group that scores less than ``perfect`` and tries
  exchanges with other groups: the two other ways of pairing the four people of two pairs
  (2-opt), or one member of the triad for one of a pair. It takes the first exchange that
  raises the two groups' total. A group with a penalty tries every other group; a group that is
  only less diverse tries ``TRIES`` of them from a seeded starting point. Then ``deepen``
  regroups each group still short of perfect with two others, exactly (penalties first): that
  repairs what needs three groups to move at once.

  A round with no penalty that reaches both the cross-sector and the cross-country bound
  (``Pool.ceiling``) cannot be beaten: the search stops there (the usual case in a large
  crowd). Otherwise it restarts the greedy from other seeded orders (more in a small pool than
  in a large one) and keeps the best. All of it within one budget of evaluations per pool
  (``Budget``), which bounds the time and depends on nothing but the input.

Maximum-weight matching (Edmonds' blossom algorithm, as in networkx) would give the optimum
of the pairs alone, but it is cubic, far too slow in pure Python for a thousand people within
200 ms, and a triad is not a matching at all. See docs/networking.md.
"""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Sequence
from itertools import combinations

EXACT_MAX = 12  # pools up to this size are solved exactly (a few ms at 12)
TRIES = 48  # partner groups a merely less diverse group tries per sweep
SWEEPS = 4
RESTARTS = 32  # starts of the greedy for a small pool, fewer for larger ones:
PEOPLE_STARTS = 1_000  # starts times people, at most
EXCHANGES = 40_000  # exchange evaluations per pool, over all starts and sweeps
TRIPLES = 300  # pairs of other groups a group regroups with, at most, per sweep
GROUPINGS = 8_000  # groupings tried by regrouping three groups (15 for 6 people, 105 for 7)
_NONE = -(10**30)  # below any grouping's score


class Pool:
    """One pool's people as integers, its history, and the score of a group."""

    __slots__ = ("allowed", "ceiling", "country", "met", "n", "org", "organization", "perfect",
                 "repeat", "sector", "triad", "veteran", "wc", "ws")

    def __init__(self, sector: Sequence[int], country: Sequence[int], org: Sequence[int],
                 met: set[int], veteran: Sequence[bool], ws: int, wc: int) -> None:
        # org: an int per person, unique for people without one; met: a * n + b, both orders.
        self.n = n = len(sector)
        self.sector, self.country, self.org = list(sector), list(country), list(org)
        self.met, self.veteran = met, list(veteran)
        self.allowed = max(0, 3 - (n - sum(veteran)))  # veterans a triad cannot avoid
        self.ws, self.wc = ws, wc
        self.perfect = ws + wc
        # No grouping scores more: the weights times the cross-sector and cross-country bounds.
        self.ceiling = max(ws, 0) * _bound(self.sector) + max(wc, 0) * _bound(self.country)
        span = (n + 1) * (abs(ws) + abs(wc) + 1)  # more than any difference in diversity
        self.triad = span
        self.organization = 5 * span  # more than three veterans and all the diversity
        self.repeat = (n + 4) * self.organization  # more than every pair of one organization

    def pair(self, a: int, b: int) -> int:
        """The score of the pair ``a``, ``b``."""
        s = 0
        if self.sector[a] != self.sector[b]:
            s += self.ws
        if self.country[a] != self.country[b]:
            s += self.wc
        if self.org[a] == self.org[b]:
            s -= self.organization
        if a * self.n + b in self.met:
            s -= self.repeat
        return s

    def trio(self, a: int, b: int, c: int) -> int:
        """The score of the triad ``a``, ``b``, ``c``."""
        sector, country, org, met, n = self.sector, self.country, self.org, self.met, self.n
        s = 0
        if not sector[a] == sector[b] == sector[c]:
            s += self.ws
        if not country[a] == country[b] == country[c]:
            s += self.wc
        for x, y in ((a, b), (a, c), (b, c)):
            if org[x] == org[y]:
                s -= self.organization
            if x * n + y in met:
                s -= self.repeat
        veterans = self.veteran[a] + self.veteran[b] + self.veteran[c]
        if veterans > self.allowed:
            s -= self.triad * (veterans - self.allowed)
        return s

    def score(self, group: Sequence[int]) -> int:
        return self.pair(group[0], group[1]) if len(group) == 2 else self.trio(*group)


def _bound(traits: list[int]) -> int:
    """The most groups with more than one trait: min(floor(n/2), n - the largest count)."""
    counts: dict[int, int] = {}
    for t in traits:
        counts[t] = counts.get(t, 0) + 1
    return min(len(traits) // 2, len(traits) - max(counts.values(), default=0))


class Budget:
    """What is left of a pool's work: it bounds the time, and depends on nothing but the input."""

    __slots__ = ("exchanges", "groupings")

    def __init__(self, exchanges: int = EXCHANGES, groupings: int = GROUPINGS) -> None:
        self.exchanges, self.groupings = exchanges, groupings


def solve(pool: Pool, rng: random.Random) -> list[list[int]]:
    """The pool's groups: pairs, and one triad when its count is odd (at least two people)."""
    if pool.n <= EXACT_MAX:
        return exact(pool)
    return heuristic(pool, rng)


def exact(pool: Pool) -> list[list[int]]:
    """The best groups, by dynamic programming over the people still to place."""
    n = pool.n
    memo: dict[int, tuple[int, tuple[int, ...]]] = {}

    def best(mask: int) -> int:
        # mask: the people still to place; the triad is still to form while their count is odd.
        if mask == 0:
            return 0
        if mask in memo:
            return memo[mask][0]
        low = mask & -mask
        i = low.bit_length() - 1
        rest = [j for j in range(i + 1, n) if mask >> j & 1]
        if not rest:  # one person left over: not a grouping
            memo[mask] = (_NONE, (i,))
            return _NONE
        top: tuple[int, tuple[int, ...]] | None = None
        for x, j in enumerate(rest):
            value = pool.pair(i, j) + best(mask ^ low ^ (1 << j))
            if top is None or value > top[0]:
                top = (value, (i, j))
            if len(rest) % 2 == 0:  # odd count here: the triad may take i, j and one more
                for k in rest[x + 1:]:
                    value = pool.trio(i, j, k) + best(mask ^ low ^ (1 << j) ^ (1 << k))
                    if value > top[0]:
                        top = (value, (i, j, k))
        assert top is not None
        memo[mask] = top
        return top[0]

    mask = (1 << n) - 1
    best(mask)
    groups = []
    while mask:
        group = memo[mask][1]
        groups.append(list(group))
        for m in group:
            mask ^= 1 << m
    return groups


def heuristic(pool: Pool, rng: random.Random) -> list[list[int]]:
    """Greedy by the largest sector, then local search, from a few starts: the best of them."""
    order = list(range(pool.n))
    budget = Budget()
    best: tuple[int, list[list[int]]] | None = None
    for start in range(max(1, min(RESTARTS, PEOPLE_STARTS // pool.n))):
        if start:
            rng.shuffle(order)
        groups = greedy(pool, order)
        improve(pool, groups, rng, budget)
        total = sum(pool.score(g) for g in groups)
        if total < pool.ceiling:
            deepen(pool, groups, rng, budget)
            total = sum(pool.score(g) for g in groups)
        if best is None or total > best[0]:
            best = (total, groups)
        if total >= pool.ceiling:  # no penalty and both bounds reached: nothing beats it
            break
    assert best is not None
    return best[1]


def greedy(pool: Pool, order: Sequence[int]) -> list[list[int]]:
    """Pairs by the largest sector first, and the last person of an odd pool in the triad."""
    kinds: dict[tuple[int, int], int] = {}
    buckets: list[list[int]] = []
    for p in reversed(order):  # popped from the end: people in their given order
        kind = kinds.setdefault((pool.sector[p], pool.country[p]), len(kinds))
        if kind == len(buckets):
            buckets.append([])
        buckets[kind].append(p)
    kind_sector = [0] * len(kinds)
    kind_country = [0] * len(kinds)
    for (s, c), k in kinds.items():
        kind_sector[k], kind_country[k] = s, c
    sectors = [0] * (max(pool.sector) + 1)
    countries = [0] * (max(pool.country) + 1)
    for p in range(pool.n):
        sectors[pool.sector[p]] += 1
        countries[pool.country[p]] += 1
    of_sector: list[list[int]] = [[] for _ in sectors]
    for k in range(len(kinds)):
        of_sector[kind_sector[k]].append(k)

    def take(kind: int) -> int:
        p = buckets[kind].pop()
        sectors[pool.sector[p]] -= 1
        countries[pool.country[p]] -= 1
        return p

    groups: list[list[int]] = []
    left = pool.n
    while left >= 2:
        largest = max(range(len(sectors)), key=sectors.__getitem__)
        kind = max((k for k in of_sector[largest] if buckets[k]),
                   key=lambda k: countries[kind_country[k]])
        p = take(kind)
        groups.append([p, _partner(pool, p, buckets, kind_sector, kind_country, sectors,
                                   countries)])
        left -= 2
    if left:
        last = next(b[0] for b in buckets if b)
        gains = [pool.trio(last, *g) - pool.pair(*g) for g in groups]
        at = max(range(len(groups)), key=gains.__getitem__)
        groups[at].append(last)
    return groups


def _partner(pool: Pool, p: int, buckets: list[list[int]], kind_sector: list[int],
             kind_country: list[int], sectors: list[int], countries: list[int]) -> int:
    """The free person who adds most to ``p`` (a conflict only when every kind has one)."""
    ps, pc = pool.sector[p], pool.country[p]
    ws, wc = pool.ws, pool.wc

    def rank(k: int) -> tuple[int, int, int]:
        s, c = kind_sector[k], kind_country[k]
        return ((ws if s != ps else 0) + (wc if c != pc else 0), sectors[s], countries[c])

    kinds = sorted((k for k in range(len(buckets)) if buckets[k]), key=rank, reverse=True)
    met, org, n = pool.met, pool.org, pool.n
    for k in kinds:
        bucket = buckets[k]
        for at in range(len(bucket) - 1, -1, -1):
            q = bucket[at]
            if org[q] != org[p] and p * n + q not in met:
                bucket[at], bucket[-1] = bucket[-1], bucket[at]
                return _pop(bucket, k, pool, sectors, countries)
    return _pop(buckets[kinds[0]], kinds[0], pool, sectors, countries)


def _pop(bucket: list[int], kind: int, pool: Pool, sectors: list[int],
         countries: list[int]) -> int:
    q = bucket.pop()
    sectors[pool.sector[q]] -= 1
    countries[pool.country[q]] -= 1
    return q


def improve(pool: Pool, groups: list[list[int]], rng: random.Random, budget: Budget) -> None:
    """Exchange people between groups while that raises the total (and the budget lasts)."""
    count = len(groups)
    scores = [pool.score(g) for g in groups]
    perfect = pool.perfect
    for _ in range(SWEEPS):
        queue = deque(i for i in range(count) if scores[i] < perfect)
        moved = False
        while queue and budget.exchanges > 0:
            i = queue.popleft()
            if scores[i] >= perfect:
                continue
            tries = count - 1 if scores[i] < 0 else min(TRIES, count - 1)
            start = rng.randrange(count)
            for step in range(tries):
                j = (start + step) % count
                if j == i:
                    j = (start + tries) % count
                    if j == i:
                        continue
                budget.exchanges -= 1
                found = _exchange(pool, groups[i], groups[j], scores[i] + scores[j])
                if found is not None:
                    groups[i], groups[j] = found[0], found[1]
                    scores[i], scores[j] = pool.score(found[0]), pool.score(found[1])
                    moved = True
                    queue.extend(x for x in (i, j) if scores[x] < perfect)
                    break
        if not moved or budget.exchanges <= 0:
            break


def _exchange(pool: Pool, g: list[int], h: list[int],
              before: int) -> tuple[list[int], list[int]] | None:
    """The best regrouping of two groups' people, if it beats ``before``."""
    best: tuple[list[int], list[int]] | None = None
    top = before
    if len(g) == 2 and len(h) == 2:
        a, b = g
        c, d = h
        for x, y in (([a, c], [b, d]), ([a, d], [b, c])):
            value = pool.pair(x[0], x[1]) + pool.pair(y[0], y[1])
            if value > top:
                top, best = value, (x, y)
        return best
    three, two = (g, h) if len(g) == 3 else (h, g)
    for u in range(3):
        for v in range(2):
            t, p = list(three), list(two)
            t[u], p[v] = two[v], three[u]
            value = pool.trio(t[0], t[1], t[2]) + pool.pair(p[0], p[1])
            if value > top:
                top, best = value, ((t, p) if len(g) == 3 else (p, t))
    return best


def deepen(pool: Pool, groups: list[list[int]], rng: random.Random, budget: Budget) -> None:
    """Regroup each group that scores less than perfect with two others, exactly, if better.

    Three groups' six or seven people have 15 or 105 groupings: ``_regroup`` tries them all.
    That escapes what exchanges between two groups cannot (a conflict that needs three people
    to move at once). Each such group tries every two others in a small pool, ``TRIPLES`` of
    them from a seeded sample in a larger one.
    """
    count = len(groups)
    if count < 3:
        return
    scores = [pool.score(g) for g in groups]
    for _ in range(SWEEPS):
        moved = False
        for i in sorted(range(count), key=scores.__getitem__):  # penalties first
            if scores[i] >= pool.perfect or budget.groupings <= 0:
                continue
            others = [j for j in range(count) if j != i]
            if len(others) * (len(others) - 1) // 2 <= TRIPLES:
                pairs = [(j, k) for x, j in enumerate(others) for k in others[x + 1:]]
            else:
                pairs = [(j, k) for j, k in (rng.sample(others, 2) for _ in range(TRIPLES))]
            for j, k in pairs:
                budget.groupings -= 105 if len(groups[i] + groups[j] + groups[k]) == 7 else 15
                before = scores[i] + scores[j] + scores[k]
                value, made = _regroup(pool, [*groups[i], *groups[j], *groups[k]])
                if value > before:
                    for at, group in zip((i, j, k), made, strict=True):
                        groups[at], scores[at] = group, pool.score(group)
                    moved = True
                    break
        if not moved:
            break


def _patterns(size: int) -> list[tuple[tuple[int, ...], ...]]:
    """Every grouping of ``size`` places into pairs, and one triad (first) if ``size`` is odd."""
    def split(places: tuple[int, ...]) -> list[tuple[tuple[int, int], ...]]:
        if not places:
            return [()]
        first, rest = places[0], places[1:]
        return [((first, j), *more) for x, j in enumerate(rest)
                for more in split(rest[:x] + rest[x + 1:])]

    everyone = tuple(range(size))
    if size % 2 == 0:
        return list(split(everyone))
    return [(trio, *more) for trio in combinations(everyone, 3)
            for more in split(tuple(x for x in everyone if x not in trio))]


_PATTERNS = {size: _patterns(size) for size in (6, 7)}  # 15 and 105 groupings


def _regroup(pool: Pool, people: list[int]) -> tuple[int, list[list[int]]]:
    """The best grouping of six or seven people into pairs, and a triad if they are seven."""
    size = len(people)
    score: dict[tuple[int, ...], int] = {
        (x, y): pool.pair(people[x], people[y]) for x, y in combinations(range(size), 2)}
    if size % 2:
        score.update({t: pool.trio(*(people[x] for x in t)) for t in combinations(range(size), 3)})
    best, top = _PATTERNS[size][0], _NONE
    for pattern in _PATTERNS[size]:
        value = sum(score[g] for g in pattern)
        if value > top:
            best, top = pattern, value
    return top, [[people[x] for x in g] for g in best]
