"""Invariants of room assignment over random hall sessions (Hypothesis).

A session is a hall with a plenary and two hackathon sessions (rooms with capacities 1, 2 and
none, then 2 and 3), six people who entered it, then random steps: participants pick rooms
(members or not, of the session now or another), the organizer moves people, balances (a
random session, people present, seed and keep_picks) and moves the forum from one session to
another, people enter the hall, and room capacities are raised (never below a room's
headcount: refusing that is the agenda's part), valid or not.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rooms.actors import SYSTEM, Actor, Role
from rooms.audience import Audience
from rooms.events import Event
from rooms.gate import Command
from rooms.hall.assignment import room_of
from rooms.hall.hall import HALL
from tests.rooms.helpers import profile

from .helpers import ORG, Hall

SETTINGS = settings(max_examples=150, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow])

SESSIONS: list[dict[str, Any]] = [
    {"kind": "plenary", "title": "Plenary", "minutes": 30},
    {"kind": "hackathon", "title": "Round one", "minutes": 60, "rooms": [
        {"title": "Floods", "capacity": 1}, {"title": "Fires", "capacity": 2},
        {"title": "Heat"}]},
    {"kind": "hackathon", "title": "Round two", "minutes": 60, "rooms": [
        {"title": "Storms", "capacity": 2}, {"title": "Drought", "capacity": 3}]},
]
PROFILES = [{"sector": s, "country": c, "attendance": a}
            for s, c, a in (("municipality", "SE", "onsite"), ("business", "FI", "remote"),
                            ("research_academia", "EE", "onsite"),
                            ("ngo_civil_society", "SE", "remote"),
                            ("public_authority", "LV", "onsite"))]
PEOPLE = 9  # p0..p8: p0..p5 enter at the start, the others may enter later

_step = st.tuples(st.integers(0, 9), st.integers(0, 15), st.integers(0, 511), st.booleans())


def _start() -> Hall:
    hall = Hall(members=(), sessions=SESSIONS)
    for i in range(6):
        hall.ok(SYSTEM, "member.join", **profile(f"p{i}", **PROFILES[i % len(PROFILES)]))
    return hall


def _rooms(hall: Hall) -> list[str]:
    return [r.id for s in hall.state.agenda.sessions for r in s.rooms]


def _session(hall: Hall, x: int) -> str | None:
    sessions = [s.id for s in hall.state.agenda.sessions]
    return sessions[x % 4] if x % 4 < 3 else None


def _command(hall: Hall, action: int, x: int, y: int, flag: bool) -> tuple[Actor, str,
                                                                           dict[str, Any]]:
    """What a step sends: drawn from small numbers, so shrinking stays short."""
    person, room = f"p{x % PEOPLE}", _rooms(hall)[y % 5]
    if action <= 3:
        return Actor(person, Role.PARTICIPANT), "assignment.pick", {"room": room}
    if action <= 5:
        return ORG, "assignment.move", {"member": person, "room": room}
    if action <= 7:
        args: dict[str, Any] = {"seed": y, "keep_picks": flag}
        if (session := _session(hall, x)) is not None:
            args["session"] = session
        if x >= 8:  # some of the people who came online, not all
            args["present"] = [m for i, m in enumerate(hall.state.members) if y >> i & 1]
        return ORG, "assignment.balance", args
    if action == 8:
        if flag:
            return ORG, "agenda.now", {"session": _session(hall, x)}
        return SYSTEM, "member.join", profile(person, **PROFILES[y % len(PROFILES)])
    return ORG, "session.room_update", {"room": room, "capacity": _more_seats(hall, room, y)}


def _more_seats(hall: Hall, room_id: str, y: int) -> int:
    # Raised, or set no lower than the room's headcount: lowering a capacity below the people
    # in the room is the agenda's to refuse (it does not yet), not this slice's.
    found = hall.state.agenda.room(room_id)
    assert found is not None
    session, room = found
    held = hall.state.assignment.headcount(session.id, room_id)
    return max(held, room.capacity or 0, 1) + y % 3


def _check_capacity_and_uniqueness(hall: Hall) -> None:
    for session in hall.state.agenda.sessions:
        placements = hall.state.assignment.of(session.id)
        counts = Counter(p.room for p in placements.values())
        for room in session.rooms:
            assert room.capacity is None or counts[room.id] <= room.capacity, (session, counts)
        assert set(counts) <= {r.id for r in session.rooms}
        assert set(placements) <= set(hall.state.members)
        seen = hall.view(Audience.FACILITATOR)["assignment"]["sessions"].get(session.id)
        if seen is not None:
            ids = [m["id"] for r in seen["rooms"] for m in r["members"]]
            assert len(ids) == len(set(ids)) == len(placements)


def _check_views(hall: Hall, events: list[Event]) -> None:
    for member in hall.state.members:
        assert room_of(hall.state, member) == (
            p.room if hall.state.agenda.now and (p := hall.state.assignment.of(
                hall.state.agenda.now).get(member)) else None)
        mine = hall.view(Audience.PARTICIPANT, member)["assignment"]["sessions"]
        for sid, seen in mine.items():
            placement = hall.state.assignment.of(sid).get(member)
            assert seen["mine"] == (placement.room if placement else None)
            assert all(set(r) == {"id", "capacity", "headcount"} for r in seen["rooms"])
    for event in events:
        if not event.name.startswith("assignment."):
            continue
        subjects = HALL.subjects(hall.state, event)
        for audience, viewer in ((Audience.PARTICIPANT, None), (Audience.OBSERVER, None),
                                 *((Audience.PARTICIPANT, m) for m in hall.state.members)):
            seen = HALL.event_view(hall.state, event, audience, viewer)
            own = viewer is not None and viewer in subjects
            assert set(seen) == ({"session", "rooms", "room"} if own else {"session", "rooms"})
            if own:
                placement = hall.state.assignment.of(event.data["session"]).get(viewer or "")
                assert seen["room"] == (placement.room if placement else None)


@SETTINGS
@given(st.lists(_step, min_size=1, max_size=40))
def test_assignment_invariants_hold_at_every_step(steps: list[tuple[int, int, int, bool]]
                                                  ) -> None:
    """Capacity is never exceeded, a person is in one room per session, views stay private."""
    hall = _start()
    hall.move_to("hackathon")
    for action, x, y, flag in steps:
        actor, name, args = _command(hall, action, x, y, flag)
        if name == "assignment.balance":
            again = HALL.decide(hall.state, Command(name, args), actor, hall.now)
            result = hall.send(actor, name, **args)
            assert again == result  # balancing is a function of the state, args and seed
        else:
            result = hall.send(actor, name, **args)
        _check_capacity_and_uniqueness(hall)
        if isinstance(result, list):
            _check_views(hall, result)
        hall.now += 1_000
    assert hall.replayed() == hall.state
