"""Auto-balancing, the pure algorithm: measured against random assignment and exhaustive search."""

from __future__ import annotations

import itertools
import random
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rooms.hall.balance import Person, Room, balance, mix_cost, size_cost, target_sizes

SECTORS = ("public_authority", "rescue_emergency", "municipality", "research_academia",
           "business", "ngo_civil_society", "international_org", "business_association")
COUNTRIES = ("DK", "EE", "FI", "DE", "IS", "LV", "LT", "NO", "PL", "SE", "other")
ATTENDANCE = ("onsite", "remote")


def crowd(n: int, rng: random.Random) -> list[Person]:
    """A forum's crowd: skewed like real ones (a few sectors and countries dominate)."""
    sectors = SECTORS[:rng.randint(2, len(SECTORS))]
    return [Person(f"m{i:04d}", rng.choices(sectors, weights=range(len(sectors), 0, -1))[0],
                   rng.choices(COUNTRIES, weights=range(len(COUNTRIES), 0, -1))[0],
                   rng.choices(ATTENDANCE, weights=(3, 1))[0]) for i in range(n)]


def random_assignment(people: list[Person], rooms: list[Room],
                      rng: random.Random) -> dict[str, str]:
    """What "assign automatically" does elsewhere: a shuffle dealt round the rooms."""
    ids = [p.id for p in people]
    rng.shuffle(ids)
    return {pid: rooms[i % len(rooms)].id for i, pid in enumerate(ids)}


def test_everyone_is_placed_within_capacity_and_sizes_are_even() -> None:
    """Every person gets a room, no room holds more than its capacity, sizes differ by <= 1."""
    people = crowd(50, random.Random(1))
    rooms = [Room("a", 10), Room("b"), Room("c"), Room("d", 30)]
    placed = balance(people, rooms, seed=7)
    assert set(placed) == {p.id for p in people}
    sizes = Counter(placed.values())
    assert sizes["a"] == 10
    assert sorted(sizes[r] for r in "bcd") == [13, 13, 14]


def test_capacities_decide_sizes_when_they_bind() -> None:
    """A small room is filled to its capacity; the rest share the others evenly."""
    assert target_sizes([Room("a", 2), Room("b"), Room("c")], 11, [0, 0, 0]) == [2, 5, 4]
    assert target_sizes([Room("a"), Room("b")], 5, [4, 0]) == [4, 1]


def test_a_perfect_mix_is_found_when_one_exists() -> None:
    """Two of every profile over two rooms: each room gets one of each (cost 0)."""
    profiles = list(itertools.product(SECTORS[:4], ("SE", "FI"), ATTENDANCE))
    people = [Person(f"m{i}{j}", *profile) for i, profile in enumerate(profiles)
              for j in range(2)]
    placed = balance(people, [Room("a"), Room("b")], seed=3)
    assert mix_cost(placed, people, [Room("a"), Room("b")]) == 0


def rounding_floor(people: list[Person], rooms: list[Room], placed: dict[str, str]) -> int:
    """A cost no assignment with these room sizes can go below: each count is a whole number."""
    n, sizes, floor = len(people), Counter(placed.values()), 0
    for a in range(3):
        totals = Counter(p.traits()[a] for p in people)
        for r in rooms:
            for total in totals.values():
                off = total * sizes[r.id] % n  # n times the ideal's distance to a whole number
                floor += min(off, n - off) ** 2
    return floor


def test_balancing_beats_a_random_assignment_by_far() -> None:
    """On forum-like crowds the mix beats 200 shuffles and is near what whole numbers allow."""
    for n, k, seed in ((24, 2, 1), (60, 3, 2), (150, 3, 3), (300, 6, 4)):
        rng = random.Random(seed)
        people, rooms = crowd(n, rng), [Room(f"r{i}") for i in range(k)]
        placed = balance(people, rooms, seed)
        balanced = mix_cost(placed, people, rooms)
        shuffles = [mix_cost(random_assignment(people, rooms, rng), people, rooms)
                    for _ in range(200)]
        assert balanced <= min(shuffles), (n, k, balanced, min(shuffles))
        assert balanced * 4 <= sum(shuffles) / len(shuffles), (n, k)
        if n >= 60:
            assert balanced * 3 <= min(shuffles), (n, k, balanced, min(shuffles))
        assert balanced <= 3 * rounding_floor(people, rooms, placed), (n, k)


def _optimum(people: list[Person], rooms: list[Room],
             fixed: dict[str, str]) -> tuple[int, int]:
    """The best (size cost, mix cost) over every assignment that respects the constraints."""
    best: tuple[int, int] | None = None
    for choice in itertools.product(rooms, repeat=len(people)):
        placed = {p.id: r.id for p, r in zip(people, choice, strict=True)}
        if any(placed[p] != r for p, r in fixed.items()):
            continue
        sizes = Counter(placed.values())
        if any(r.capacity is not None and sizes[r.id] > r.capacity for r in rooms):
            continue
        key = (size_cost(placed, rooms), mix_cost(placed, people, rooms))
        best = key if best is None or key < best else best
    assert best is not None
    return best


def test_tiny_instances_match_exhaustive_search() -> None:
    """On 300 tiny instances the sizes are always optimal and the mix optimal in >= 97%."""
    rng = random.Random(11)
    tried = optimal = 0
    while tried < 300:
        n, k = rng.randint(1, 8), rng.randint(1, 3)
        people = [Person(f"m{i}", rng.choice(SECTORS[:3]), rng.choice(COUNTRIES[:3]),
                         rng.choice(ATTENDANCE)) for i in range(n)]
        rooms = [Room(f"r{i}", rng.choice((None, None, 1, 2, 3, 4))) for i in range(k)]
        if all(r.capacity is not None for r in rooms) and sum(
                r.capacity or 0 for r in rooms) < n:
            continue
        fixed = {people[0].id: rooms[0].id} if rng.random() < 0.3 else {}
        placed = balance(people, rooms, seed=tried, fixed=fixed)
        got = (size_cost(placed, rooms), mix_cost(placed, people, rooms))
        best = _optimum(people, rooms, fixed)
        assert got[0] == best[0], (people, rooms, got, best)
        tried += 1
        optimal += got == best
    assert optimal >= 0.97 * tried, optimal


def test_fixed_people_stay_and_count() -> None:
    """People kept in their room stay there, and the others fill around them."""
    people = crowd(12, random.Random(5))
    fixed = {people[0].id: "a", people[1].id: "a", people[2].id: "a"}
    placed = balance(people, [Room("a", 4), Room("b"), Room("c")], seed=1, fixed=fixed)
    assert all(placed[p] == "a" for p in fixed)
    assert Counter(placed.values()) == {"a": 4, "b": 4, "c": 4}


def test_impossible_inputs_are_refused() -> None:
    """Too few seats, an overfull fixed room or unknown names raise ValueError."""
    people = crowd(5, random.Random(2))
    with pytest.raises(ValueError, match="hold 4"):
        balance(people, [Room("a", 2), Room("b", 2)], seed=1)
    with pytest.raises(ValueError, match="fixed"):
        balance(people, [Room("a", 1), Room("b")], seed=1,
                fixed={people[0].id: "a", people[1].id: "a"})
    with pytest.raises(ValueError, match="no such"):
        balance(people, [Room("a")], seed=1, fixed={"nobody": "a"})
    with pytest.raises(ValueError, match="no rooms"):
        balance(people, [], seed=1)


def test_nobody_to_place_is_an_empty_result() -> None:
    """No people: no placements."""
    assert balance([], [Room("a")], seed=1) == {}


def test_a_thousand_people_take_well_under_a_second() -> None:
    """The search's budget bounds its time: a plenary's worth over twelve rooms."""
    import time
    people, rooms = crowd(1000, random.Random(9)), [Room(f"r{i}") for i in range(12)]
    began = time.perf_counter()
    balance(people, rooms, seed=1)
    assert time.perf_counter() - began < 3.0  # about 0.3 s alone; the machine is shared


_people = st.lists(st.tuples(st.sampled_from(SECTORS[:4]), st.sampled_from(COUNTRIES[:4]),
                             st.sampled_from(ATTENDANCE)), max_size=30)


@settings(max_examples=100, deadline=None, database=None)
@given(_people, st.integers(1, 5), st.integers(0, 2**53 - 1), st.randoms(use_true_random=False))
def test_the_result_is_a_function_of_people_rooms_and_seed(
        profiles: list[tuple[str, str, str]], k: int, seed: int, rng: random.Random) -> None:
    """The same seed gives the same rooms, whatever order the people come in."""
    people = [Person(f"m{i}", *p) for i, p in enumerate(profiles)]
    rooms = [Room(f"r{i}") for i in range(k)]
    first = balance(people, rooms, seed)
    shuffled = list(people)
    rng.shuffle(shuffled)
    assert balance(shuffled, rooms, seed) == first
    sizes = Counter(first.values())
    assert max(sizes.values(), default=0) - min((sizes[r.id] for r in rooms), default=0) <= 1
