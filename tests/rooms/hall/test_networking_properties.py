"""Invariants of speed networking over random hall sessions (Hypothesis).

A session is a hall in its networking session with five people (on site and remote, some of
one organization), then random steps: the organizer starts rounds with random people present
and seeds, ends them, lets the timer run out (the system's ``round.expire`` at ``due``),
repairs no-shows, turns mixed pairs on and off and moves the forum out of the networking
session and back; participants opt out and in, ask to stay in touch and withdraw; people
arrive late.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rooms.actors import SYSTEM, Actor, Role
from rooms.audience import Audience
from rooms.events import Event
from rooms.hall.hall import HALL
from rooms.hall.matching import pair_key
from rooms.hall.networking import due
from rooms.hall.state import HallState
from rooms.projection import REDACTED
from tests.rooms.helpers import profile

from .helpers import ORG, Hall

SETTINGS = settings(max_examples=120, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow])
TEMPLATE = "https://meet.example.org/{forum}-{round}-{table}"
PEOPLE = 8  # p0..p7: p0..p4 are in the hall at the start, the others may arrive late
PROFILES = [{"sector": s, "country": c, "organization": o, "attendance": a}
            for s, c, o, a in (("municipality", "SE", "City", "onsite"),
                               ("business", "FI", "Shop", "remote"),
                               ("research_academia", "EE", "City", "onsite"),
                               ("ngo_civil_society", "SE", "Aid", "remote"),
                               ("business", "LV", "", "onsite"),
                               ("public_authority", "SE", "Agency", "onsite"))]

_step = st.tuples(st.integers(0, 12), st.integers(0, 15), st.integers(0, 255), st.booleans())


def _person(i: int) -> str:
    return f"p{i % PEOPLE}"


def _start() -> Hall:
    hall = Hall(members=())
    for i in range(5):
        hall.ok(SYSTEM, "member.join", **profile(_person(i), **PROFILES[i % len(PROFILES)]))
    hall.ok(ORG, "networking.configure", template=TEMPLATE, rounds=50, grace_seconds=0)
    hall.move_to("networking")
    return hall


def _command(hall: Hall, action: int, x: int, y: int,
             flag: bool) -> tuple[Actor, str, dict[str, Any]]:
    """What a step sends: drawn from small numbers, so shrinking stays short."""
    person, other = _person(x), _person(y)
    members = list(hall.state.members)
    if action <= 2:
        args: dict[str, Any] = {"seed": y}
        if not flag:
            args["present"] = [m for i, m in enumerate(members) if (y >> i) & 1]
        return ORG, "round.start", args
    if action == 3:
        return ORG, "round.end", {}
    if action == 4:
        if flag:
            return ORG, "round.repair", {"absent": [person]}
        return ORG, "round.repair", {"present": [m for i, m in enumerate(members)
                                                 if (y >> i) & 1], "seed": x}
    if action == 5:
        return Actor(person, Role.PARTICIPANT), "networking.opt_out", {"out": flag}
    if action == 8:  # asking back someone who asked them: a connection
        askers = sorted(s for s, t in hall.state.networking.requests.items() if person in t)
        return Actor(person, Role.PARTICIPANT), "contact.request", {
            "member": askers[y % len(askers)] if askers else other}
    if action <= 7:  # mostly someone they met
        met = sorted(m for m in hall.state.members if hall.state.networking.have_met(person, m))
        target = met[y % len(met)] if met and y % 4 else other
        return Actor(person, Role.PARTICIPANT), "contact.request", {"member": target}
    if action == 9:
        asked = sorted(hall.state.networking.requests.get(person, {}))
        target = asked[y % len(asked)] if asked and y % 4 else other
        return Actor(person, Role.PARTICIPANT), "contact.withdraw", {"member": target}
    if action == 10:
        return SYSTEM, "member.join", profile(person, **PROFILES[y % len(PROFILES)])
    if action == 11:
        return ORG, "networking.configure", {"mixed": flag}
    kind = "networking" if flag else "plenary"
    return ORG, "agenda.now", {"session": hall.session(kind)}


def _pairs(members: Sequence[str]) -> list[frozenset[str]]:
    return [pair_key(a, b) for a, b in itertools.combinations(members, 2)]


def _repeat_free_exists(pool: list[str], met: set[frozenset[str]]) -> bool:
    """Whether ``pool`` splits into pairs (and one triad if odd) with no pair met before."""
    if not pool:
        return True
    if len(pool) == 1:
        return False
    first, rest = pool[0], pool[1:]
    for i, partner in enumerate(rest):
        if pair_key(first, partner) in met:
            continue
        left = rest[:i] + rest[i + 1:]
        if _repeat_free_exists(left, met):  # left is as odd as the pool: the triad is there
            return True
        if len(pool) % 2:  # first and partner with a third: the one triad
            for j, third in enumerate(left):
                if pair_key(first, third) not in met and pair_key(partner, third) not in met \
                        and _repeat_free_exists(left[:j] + left[j + 1:], met):
                    return True
    return False


def _check_started(before: HallState, after: HallState, event: Event,
                   args: dict[str, Any]) -> None:
    d = event.data
    net = before.networking
    present = args.get("present", list(before.members))
    eligible = set(present) - net.opted_out
    grouped = [m for g in d["groups"] for m in g["members"]]
    assert len(grouped) == len(set(grouped)), "someone is in two groups"
    assert set(grouped) | set(d["unpaired"]) == eligible, "the eligible are grouped or listed"
    assert not set(grouped) & set(d["unpaired"])
    assert not set(grouped) & net.opted_out, "an opted-out person was paired"
    met = net.met()
    repeats = sum(p in met for g in d["groups"] for p in _pairs(g["members"]))
    assert d["quality"]["repeats"] == repeats  # the figures count against the whole history
    onsite = sorted(g["table"] for g in d["groups"] if g["mode"] == "onsite")
    assert onsite == list(range(1, len(onsite) + 1)), "on-site tables are 1..k"
    calls = [g["call"] for g in d["groups"] if g["mode"] != "onsite"]
    assert all(calls), "every remote group has a call"
    assert len(set(calls)) == len(calls), "each remote group has its own call"
    for g in d["groups"]:
        kinds = {before.members[m].attendance for m in g["members"]}
        assert g["mode"] == (kinds.pop() if len(kinds) == 1 else "mixed")
        if g["mode"] == "mixed":
            assert net.config.mixed or "attendance" in d["relaxed"]


def _check_repeats_avoided_when_possible(before: HallState, event: Event) -> None:
    # Per pool of attendance (when mixing is off): a repeat only when no grouping avoids it.
    d = event.data
    if not any(p in before.networking.met() for g in d["groups"]
               for p in _pairs(g["members"])):
        return
    if before.networking.config.mixed or "attendance" in d["relaxed"]:
        return
    met = before.networking.met()
    for mode in ("onsite", "remote"):
        pool = [m for g in d["groups"] if g["mode"] == mode for m in g["members"]]
        if any(p in met for g in d["groups"] if g["mode"] == mode
               for p in _pairs(g["members"])):
            assert not _repeat_free_exists(pool, met), (pool, d["groups"])


def _viewers(state: HallState) -> list[tuple[Audience, str | None]]:
    return [(Audience.FACILITATOR, None), (Audience.OBSERVER, None),
            (Audience.PARTICIPANT, None), *((Audience.PARTICIPANT, m) for m in state.members)]


def _check_private_events(state: HallState, events: list[Event]) -> None:
    for event in events:
        for audience, viewer in _viewers(state):
            seen = HALL.event_view(state, event, audience, viewer)
            shown_as = HALL.actor_view(state, event, audience, viewer)
            if event.name in ("contact.requested", "contact.withdrawn"):
                own = audience is Audience.PARTICIPANT and viewer == event.actor
                assert (seen != REDACTED) == own, (event, audience, viewer)
                assert (shown_as == event.actor) == own
            if event.name == "contact.connected":
                pair = {event.data["a"], event.data["b"]}
                own = audience is Audience.PARTICIPANT and viewer in pair
                assert (seen == event.data) == own
                assert (shown_as == event.actor) == own
                if not own:
                    assert set(seen) == {"connections"}


def _networking_views(state: HallState, skip: str) -> dict[tuple[Audience, str | None], Any]:
    return {(a, v): (HALL.snapshot(state, a, v, False)["networking"],
                     v is None or HALL.shares_view(state, v))
            for a, v in _viewers(state) if v != skip}


def _check_private_state(state: HallState) -> None:
    net = state.networking
    for audience, viewer in _viewers(state):
        seen = HALL.snapshot(state, audience, viewer, False)["networking"]
        assert seen["connections"] == len(net.connected)
        if audience is not Audience.PARTICIPANT:
            assert "requests" not in seen
            assert "contacts" not in seen
            continue
        assert seen["requests"] == sorted(net.requests.get(viewer or "", {}))
        mine = {b if a == viewer else a for a, b, _at in net.connected if viewer in (a, b)}
        assert [c["member"] for c in seen["contacts"]] == [
            b if a == viewer else a for a, b, _at in net.connected if viewer in (a, b)]
        assert {c["member"] for c in seen["contacts"]} == mine
    # A one-sided request changes nothing anyone but its sender sees.
    for sender, targets in net.requests.items():
        for target in targets:
            rest = {**net.requests, sender: {t: at for t, at in targets.items()
                                             if t != target}}
            without = replace(state, networking=replace(
                net, requests={k: v for k, v in rest.items() if v}))
            assert _networking_views(state, sender) == _networking_views(without, sender)


def _check_rounds(state: HallState) -> None:
    net = state.networking
    for r in net.rounds:
        members = [m for g in r.groups for m in g.members]
        assert len(members) == len(set(members))
        assert all(2 <= len(g.members) <= 3 for g in r.groups), "nobody is alone"
        assert not set(members) & set(r.absent)
    current = net.current
    assert due(state) == ((current.ends_at, "round.expire") if current is not None else None)
    assert sum(r.running for r in net.rounds) <= 1


@SETTINGS
@given(st.lists(_step, min_size=10, max_size=60))
def test_networking_invariants_hold_at_every_step(steps: list[tuple[int, int, int, bool]]
                                                  ) -> None:
    """Groups, history, privacy of requests and connections, the timer and replay all hold."""
    hall = _start()
    for action, x, y, flag in steps:
        if action == 12 and x % 3 == 0 and (when := due(hall.state)) is not None:
            hall.now = max(hall.now, when[0])  # the timer runs out: the server sends expire
            (ended,) = hall.ok(SYSTEM, when[1])
            assert ended.data["by"] == "timer"
            continue
        actor, name, args = _command(hall, action, x, y, flag)
        before = hall.state
        result = hall.send(actor, name, **args)
        if isinstance(result, list):
            for event in result:
                if event.name == "round.started":
                    _check_started(before, hall.state, event, args)
                    _check_repeats_avoided_when_possible(before, event)
            _check_private_events(hall.state, result)
        _check_rounds(hall.state)
        _check_private_state(hall.state)
        hall.now += 7_000
    assert hall.replayed() == hall.state


@SETTINGS
@given(st.lists(st.tuples(st.integers(0, 4), st.integers(0, 255), st.booleans()),
                min_size=1, max_size=12))
def test_late_arrivals_and_opted_out_people_across_rounds(
        steps: list[tuple[int, int, bool]]) -> None:
    """Everyone present and not opted out is in a group of the next round (or unpaired)."""
    hall = _start()
    for i, (who, mask, out) in enumerate(steps):
        person = _person(who + i)
        if person not in hall.state.members:
            hall.ok(SYSTEM, "member.join", **profile(person, **PROFILES[i % len(PROFILES)]))
        elif out != (person in hall.state.networking.opted_out):
            hall.ok(Actor(person, Role.PARTICIPANT), "networking.opt_out", out=out)
        present = [m for j, m in enumerate(hall.state.members) if (mask >> j) & 1]
        eligible = set(present) - hall.state.networking.opted_out
        result = hall.send(ORG, "round.start", present=present, seed=mask)
        if not isinstance(result, list):
            assert len(eligible) < 2 or not _pairable(hall.state, eligible)
            continue
        (started,) = result
        grouped = {m for g in started.data["groups"] for m in g["members"]}
        assert grouped | set(started.data["unpaired"]) == eligible
        assert not grouped & hall.state.networking.opted_out
        hall.ok(ORG, "round.end")
        hall.now += 60_000
    assert hall.replayed() == hall.state


def _pairable(state: HallState, eligible: set[str]) -> bool:
    # Two people of one attendance (or any two when mixing is on) can always make a group.
    kinds = [state.members[m].attendance for m in eligible]
    return max(kinds.count("onsite"), kinds.count("remote")) >= 2
