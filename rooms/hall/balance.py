"""Auto-balancing: spread the people present over a session's rooms, pure and seeded.

The problem is the "maximally diverse grouping" (anti-assignment) problem: each room should
look like the whole crowd. The objective, lexicographic:

1. **Sizes** as even as the capacities allow: the smallest possible sum of squared room sizes
   (every room takes a person in turn, the emptiest room with a free seat first, ties to the
   room listed first). People who keep their room (``fixed``) count in their room's size.
2. **Mix**: for each attribute (sector, country, attendance) and each of its values, a room
   of ``s`` people out of ``N`` ideally holds ``n_v * s / N`` of the ``n_v`` people with that
   value. The cost is the sum, over attributes, rooms and values, of the squared difference
   between the count and that ideal, in people (``mix_cost`` keeps it in whole numbers:
   ``N**2`` times that sum). The three attributes weigh the same.

The search: rooms get their sizes (1.), then a greedy construction places people with rare
values first (ties in a seeded random order) into the room where they lower the cost most,
then a local search swaps pairs of people between rooms (and moves one person between rooms
whose sizes differ by one, which keeps the sizes as even) while that lowers the cost. It restarts
from other seeded orders while a fixed budget of evaluated swaps lasts, and keeps the best. So
the result is a function of the people, the rooms, the fixed placements and the seed alone
(not of the order the people are given in), and takes well under a second for a thousand
people; the hall records it in an event, so a replay never runs this again.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

ATTRIBUTES = ("sector", "country", "attendance")
RESTARTS = 4
BUDGET = 120_000  # swap and move evaluations over all restarts: bounds the time, not the result


@dataclass(frozen=True, slots=True)
class Person:
    """Someone to place, with the attributes a room should mix."""

    id: str
    sector: str
    country: str
    attendance: str

    def traits(self) -> tuple[str, str, str]:
        return (self.sector, self.country, self.attendance)


@dataclass(frozen=True, slots=True)
class Room:
    """A room to fill: its id and its capacity (None: no limit)."""

    id: str
    capacity: int | None = None


def balance(people: Iterable[Person], rooms: Sequence[Room], seed: int,
            fixed: Mapping[str, str] | None = None) -> dict[str, str]:
    """Each person's room id: sizes as even as capacities allow, then the most even mix.

    ``fixed`` maps people who stay where they are to their room. Raises ValueError when the
    rooms cannot hold everyone, or a fixed placement names an unknown person or room or
    overfills its room.
    """
    crowd = sorted(people, key=lambda p: p.id)  # the input's order must not matter
    fixed = dict(fixed or {})
    _check(crowd, rooms, fixed)
    if not crowd:
        return {}
    problem = _Problem(crowd, rooms, fixed)
    best: _Search | None = None
    rng = random.Random(seed)
    budget = BUDGET
    for _ in range(RESTARTS):
        search = _Search(problem, rng)
        budget = search.improve(budget)
        if best is None or search.cost < best.cost:
            best = search
        if budget <= 0:
            break
    assert best is not None
    return {p.id: rooms[r].id for p, r in zip(crowd, best.where, strict=True)}


def target_sizes(rooms: Sequence[Room], total: int, fixed: Sequence[int]) -> list[int]:
    """How many people each room gets: the emptiest room with a free seat first."""
    sizes = list(fixed)
    for _ in range(total - sum(fixed)):
        open_rooms = [i for i, r in enumerate(rooms)
                      if r.capacity is None or sizes[i] < r.capacity]
        sizes[min(open_rooms, key=lambda i: sizes[i])] += 1
    return sizes


def size_cost(assignment: Mapping[str, str], rooms: Sequence[Room]) -> int:
    """The sum of squared room sizes: the smaller, the more even."""
    sizes = {r.id: 0 for r in rooms}
    for room in assignment.values():
        sizes[room] += 1
    return sum(s * s for s in sizes.values())


def mix_cost(assignment: Mapping[str, str], people: Iterable[Person],
             rooms: Sequence[Room]) -> int:
    """``N**2`` times the summed squared distance of each room's counts from its ideal."""
    crowd = [p for p in people if p.id in assignment]
    n = len(crowd)
    cost = 0
    for a in range(len(ATTRIBUTES)):
        totals: dict[str, int] = {}
        counts: dict[tuple[str, str], int] = {}
        for p in crowd:
            v = p.traits()[a]
            totals[v] = totals.get(v, 0) + 1
            counts[assignment[p.id], v] = counts.get((assignment[p.id], v), 0) + 1
        sizes = {r.id: 0 for r in rooms}
        for p in crowd:
            sizes[assignment[p.id]] += 1
        for r in rooms:
            for v, total in totals.items():
                cost += (n * counts.get((r.id, v), 0) - total * sizes[r.id]) ** 2
    return cost


def _check(crowd: Sequence[Person], rooms: Sequence[Room], fixed: Mapping[str, str]) -> None:
    if not rooms:
        raise ValueError("no rooms to fill")
    ids = {r.id for r in rooms}
    if len(ids) != len(rooms):
        raise ValueError("two rooms have the same id")
    if len({p.id for p in crowd}) != len(crowd):
        raise ValueError("a person is listed twice")
    known = {p.id for p in crowd}
    for person, room in fixed.items():
        if person not in known or room not in ids:
            raise ValueError(f"fixed placement {person} -> {room} names no such person or room")
    for r in rooms:
        held = sum(1 for room in fixed.values() if room == r.id)
        if r.capacity is not None and held > r.capacity:
            raise ValueError(f"room {r.id} holds {r.capacity}; {held} are fixed in it")
    if all(r.capacity is not None for r in rooms):
        seats = sum(r.capacity or 0 for r in rooms)
        if seats < len(crowd):
            raise ValueError(f"the rooms hold {seats}; {len(crowd)} people to place")


class _Problem:
    """The instance in numbers: each person's value codes, totals and each room's target."""

    def __init__(self, crowd: Sequence[Person], rooms: Sequence[Room],
                 fixed: Mapping[str, str]) -> None:
        self.n = len(crowd)
        self.rooms = rooms
        index = {r.id: i for i, r in enumerate(rooms)}
        self.fixed = [index[fixed[p.id]] if p.id in fixed else -1 for p in crowd]
        self.codes: list[tuple[int, ...]] = []
        values: list[dict[str, int]] = [{} for _ in ATTRIBUTES]
        for p in crowd:
            self.codes.append(tuple(values[a].setdefault(v, len(values[a]))
                                    for a, v in enumerate(p.traits())))
        self.totals = [[0] * len(values[a]) for a in range(len(ATTRIBUTES))]
        for code in self.codes:
            for a, v in enumerate(code):
                self.totals[a][v] += 1
        self.squares = [sum(t * t for t in totals) for totals in self.totals]
        held = [self.fixed.count(i) for i in range(len(rooms))]
        self.targets = target_sizes(rooms, self.n, held)

    def rarity(self, person: int) -> int:
        """How common the person's rarest value is: rare people are placed first."""
        return min(self.totals[a][v] for a, v in enumerate(self.codes[person]))


class _Search:
    """One construction and its local search, with the counts that make a swap's cost O(1).

    Per room and attribute it keeps ``q`` (sum of squared value counts) and ``lin`` (sum of
    counts times the value's total), so a room's cost is ``N²q - 2N·s·lin + s²·S``.
    """

    def __init__(self, problem: _Problem, rng: random.Random) -> None:
        self.p = problem
        rooms = range(len(problem.rooms))
        attrs = range(len(ATTRIBUTES))
        self.counts = [[[0] * len(problem.totals[a]) for _ in rooms] for a in attrs]
        self.q = [[0] * len(problem.rooms) for _ in attrs]
        self.lin = [[0] * len(problem.rooms) for _ in attrs]
        self.sizes = [0] * len(problem.rooms)
        self.where = [-1] * problem.n
        # The movable people of each room by profile (a dict as an ordered set).
        self.free: list[dict[tuple[int, ...], dict[int, None]]] = [{} for _ in rooms]
        for person, room in enumerate(problem.fixed):
            if room >= 0:
                self._add(person, room)
        free = [i for i in range(problem.n) if problem.fixed[i] < 0]
        rng.shuffle(free)
        free.sort(key=problem.rarity)  # stable: the shuffle breaks ties
        for person in free:
            self._add(person, self._best_room(person))
        self.cost = sum(self._room_cost(r) for r in rooms)

    def _add(self, person: int, room: int) -> None:
        for a, v in enumerate(self.p.codes[person]):
            c = self.counts[a][room][v]
            self.counts[a][room][v] = c + 1
            self.q[a][room] += 2 * c + 1
            self.lin[a][room] += self.p.totals[a][v]
        self.sizes[room] += 1
        self.where[person] = room
        if self.p.fixed[person] < 0:
            self.free[room].setdefault(self.p.codes[person], {})[person] = None

    def _remove(self, person: int) -> None:
        room = self.where[person]
        for a, v in enumerate(self.p.codes[person]):
            c = self.counts[a][room][v]
            self.counts[a][room][v] = c - 1
            self.q[a][room] -= 2 * c - 1
            self.lin[a][room] -= self.p.totals[a][v]
        self.sizes[room] -= 1
        self.where[person] = -1
        if self.p.fixed[person] < 0:
            del self.free[room][self.p.codes[person]][person]

    def _best_room(self, person: int) -> int:
        # The marginal cost of one more person against the room's final ideal counts.
        n, targets = self.p.n, self.p.targets
        best, best_key = -1, (0, 0)
        for r in range(len(targets)):
            if self.sizes[r] >= targets[r]:
                continue
            gain = sum(2 * (n * self.counts[a][r][v] - self.p.totals[a][v] * targets[r])
                       for a, v in enumerate(self.p.codes[person]))
            key = (gain, self.sizes[r] - targets[r])
            if best < 0 or key < best_key:
                best, best_key = r, key
        return best

    def _room_cost(self, r: int, size: int | None = None) -> int:
        n, s = self.p.n, self.sizes[r] if size is None else size
        return sum(n * n * self.q[a][r] - 2 * n * s * self.lin[a][r] + s * s * self.p.squares[a]
                   for a in range(len(ATTRIBUTES)))

    def _swap_delta(self, x: int, y: int) -> int:
        """The cost change (divided by 2N) of swapping x and y, who are in different rooms."""
        ra, rb, n = self.where[x], self.where[y], self.p.n
        gap = self.sizes[ra] - self.sizes[rb]
        delta = 0
        for a, (u, w) in enumerate(zip(self.p.codes[x], self.p.codes[y], strict=True)):
            if u == w:
                continue
            ca, cb, t = self.counts[a][ra], self.counts[a][rb], self.p.totals[a]
            delta += n * (ca[w] - ca[u] + cb[u] - cb[w] + 2) - (t[w] - t[u]) * gap
        return delta

    def _move_delta(self, x: int, rb: int) -> int:
        ra = self.where[x]
        before = self._room_cost(ra) + self._room_cost(rb)
        self._remove(x)
        self._add(x, rb)
        after = self._room_cost(ra) + self._room_cost(rb)
        self._remove(x)
        self._add(x, ra)
        return after - before

    def _movable(self, ra: int, rb: int) -> bool:
        # A move from a room one larger keeps the sizes as even; the target room must hold it.
        cap = self.p.rooms[rb].capacity
        return self.sizes[ra] == self.sizes[rb] + 1 and (cap is None or self.sizes[ra] <= cap)

    def improve(self, budget: int) -> int:
        """Swap and move while the cost falls and the budget lasts; the budget left."""
        improved = True
        while improved and budget > 0:
            improved = False
            for ra in range(len(self.sizes)):
                for rb in range(len(self.sizes)):
                    if ra == rb:
                        continue
                    found, budget = self._improve_pair(ra, rb, budget)
                    improved |= found
                    if budget <= 0:
                        return 0
        return budget

    def _improve_pair(self, ra: int, rb: int, budget: int) -> tuple[bool, int]:
        found = False
        for x in self._kinds(ra):
            if self.where[x] != ra:
                continue
            if self._movable(ra, rb):
                budget -= 1
                delta = self._move_delta(x, rb)
                if delta < 0:
                    self._relocate(x, rb, delta)
                    found = True
                    continue
            if ra > rb:
                continue  # each pair of rooms is swapped from one side only
            for y in self._kinds(rb):
                if self.where[y] != rb:
                    continue
                budget -= 1
                delta = self._swap_delta(x, y)
                if delta < 0:
                    self._relocate(x, rb, 0)
                    self._relocate(y, ra, 0)
                    self.cost += 2 * self.p.n * delta
                    found = True
                    break
                if budget <= 0:
                    return found, 0
        return found, budget

    def _relocate(self, person: int, room: int, delta: int) -> None:
        self._remove(person)
        self._add(person, room)
        self.cost += delta

    def _kinds(self, room: int) -> list[int]:
        """One movable person of each distinct profile in ``room`` (the same ones swap alike)."""
        return [next(iter(people)) for people in self.free[room].values() if people]
