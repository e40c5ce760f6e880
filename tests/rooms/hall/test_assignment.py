"""Who is in which room: picks, the organizer's moves and auto-balancing, and who sees what."""

from __future__ import annotations

from collections import Counter
from typing import Any

from rooms.actors import SYSTEM, Actor, Role
from rooms.audience import Audience
from rooms.errors import ErrorCode
from rooms.hall.assignment import HIDDEN_ACTOR, room_of
from rooms.hall.hall import HALL
from tests.rooms.helpers import profile

from .helpers import FAC, OBS, ORG, P1, P2, P3, SESSIONS, Hall

# Two hackathon sessions, to show that assignments are per session.
TWO_HACKATHONS: list[dict[str, Any]] = [
    *SESSIONS[:2],
    {"kind": "hackathon", "title": "Second round", "minutes": 60, "rooms": [
        {"title": "Heat waves", "capacity": 1}, {"title": "Storms"}]},
]


def rooms(hall: Hall, kind_index: int = 1) -> list[str]:
    """The room ids of session ``kind_index`` of the agenda."""
    return [r.id for r in hall.state.agenda.sessions[kind_index].rooms]


def in_hackathon(**kwargs: Any) -> Hall:
    hall = Hall(**kwargs)
    hall.move_to("hackathon")
    return hall


def test_a_participant_picks_a_room_in_a_hackathon_session() -> None:
    """The pick is an event with the session, the person and the room; room_of follows it."""
    hall = in_hackathon()
    floods, _fires = rooms(hall)
    (picked,) = hall.ok(P1, "assignment.pick", room=floods)
    assert picked.data == {"session": hall.session("hackathon"), "member": "p1",
                           "room": floods, "previous": None}
    assert room_of(hall.state, "p1") == floods
    assert room_of(hall.state, "p2") is None
    assert hall.replayed() == hall.state


def test_picking_waits_for_a_hackathon_session() -> None:
    """Before the forum starts and in the plenary, a pick is refused with session_closed."""
    hall = Hall()
    floods = rooms(hall)[0]
    hall.refused(P1, "assignment.pick", ErrorCode.SESSION_CLOSED, room=floods)
    hall.move_to("plenary")
    refusal = hall.refused(P1, "assignment.pick", ErrorCode.SESSION_CLOSED, room=floods)
    assert "choosing a room" in refusal.message


def test_a_full_room_refuses_with_room_full() -> None:
    """Floods holds two: the third person is told it is full, and can pick another room."""
    hall = in_hackathon()
    floods, fires = rooms(hall)
    hall.ok(P1, "assignment.pick", room=floods)
    hall.ok(P2, "assignment.pick", room=floods)
    refusal = hall.refused(P3, "assignment.pick", ErrorCode.ROOM_FULL, room=floods)
    assert refusal.message == "Floods is full (2 of 2): choose another room"
    hall.ok(P3, "assignment.pick", room=fires)


def test_a_participant_changes_their_pick_and_frees_the_seat() -> None:
    """Picking another room moves the person; their seat in the first room is free again."""
    hall = in_hackathon()
    floods, fires = rooms(hall)
    hall.ok(P1, "assignment.pick", room=floods)
    hall.ok(P2, "assignment.pick", room=floods)
    (changed,) = hall.ok(P1, "assignment.pick", room=fires)
    assert changed.data["previous"] == floods
    assert room_of(hall.state, "p1") == fires
    hall.ok(P3, "assignment.pick", room=floods)
    assert hall.state.assignment.headcount(hall.session("hackathon"), floods) == 2


def test_picks_of_no_such_room_the_same_room_or_another_session_are_refused() -> None:
    """Unknown room: not_found; the room one is in, or a room of another session: invalid_state."""
    hall = in_hackathon(sessions=TWO_HACKATHONS)
    floods = rooms(hall)[0]
    hall.refused(P1, "assignment.pick", ErrorCode.NOT_FOUND, room="nowhere")
    hall.ok(P1, "assignment.pick", room=floods)
    hall.refused(P1, "assignment.pick", ErrorCode.INVALID_STATE, room=floods)
    refusal = hall.refused(P1, "assignment.pick", ErrorCode.INVALID_STATE, room=rooms(hall, 2)[0])
    assert "current session" in refusal.message


def test_only_members_of_the_hall_pick() -> None:
    """A participant who has not entered the hall is told to, and bad arguments are refused."""
    hall = in_hackathon()
    stranger = Actor("p9", Role.PARTICIPANT)
    hall.refused(stranger, "assignment.pick", ErrorCode.INVALID_STATE, room=rooms(hall)[0])
    hall.refused(P1, "assignment.pick", ErrorCode.INVALID_ARGS, room=7)
    hall.refused(P1, "assignment.pick", ErrorCode.INVALID_ARGS)


def test_the_organizer_moves_a_person_within_capacity() -> None:
    """A move places anyone anywhere in a hackathon session, but not into a full room."""
    hall = Hall()  # before the hackathon: the organizer may prepare the rooms
    floods, fires = rooms(hall)
    (moved,) = hall.ok(ORG, "assignment.move", member="p1", room=floods)
    assert moved.data["member"] == "p1"
    hall.ok(ORG, "assignment.move", member="p2", room=floods)
    hall.refused(ORG, "assignment.move", ErrorCode.ROOM_FULL, member="p3", room=floods)
    hall.ok(ORG, "assignment.move", member="p1", room=fires)
    hall.refused(ORG, "assignment.move", ErrorCode.INVALID_STATE, member="p1", room=fires)
    hall.refused(ORG, "assignment.move", ErrorCode.NOT_FOUND, member="p9", room=fires)
    hall.refused(ORG, "assignment.move", ErrorCode.NOT_FOUND, member="p1", room="nowhere")
    assert room_of(hall.state, "p1") is None  # the forum is not in that session yet
    hall.move_to("hackathon")
    assert room_of(hall.state, "p1") == fires
    assert hall.replayed() == hall.state


def test_moves_and_balancing_are_the_organizers() -> None:
    """A facilitator, a participant or the projector may not move people or balance."""
    hall = in_hackathon()
    floods = rooms(hall)[0]
    for actor in (FAC, P1, OBS):
        hall.refused(actor, "assignment.move", ErrorCode.FORBIDDEN, member="p1", room=floods)
        hall.refused(actor, "assignment.balance", ErrorCode.FORBIDDEN)
    hall.refused(ORG, "assignment.pick", ErrorCode.FORBIDDEN, room=floods)


def test_assignments_are_per_session() -> None:
    """A person has a room in each hackathon session; room_of is the one of the session now."""
    hall = in_hackathon(sessions=TWO_HACKATHONS)
    floods = rooms(hall)[0]
    heat, storms = rooms(hall, 2)
    hall.ok(P1, "assignment.pick", room=floods)
    hall.ok(ORG, "assignment.move", member="p1", room=heat)
    hall.refused(ORG, "assignment.move", ErrorCode.ROOM_FULL, member="p2", room=heat)
    assert room_of(hall.state, "p1") == floods
    hall.ok(ORG, "agenda.now", session=hall.state.agenda.sessions[2].id)
    assert room_of(hall.state, "p1") == heat
    hall.ok(P2, "assignment.pick", room=storms)
    hall.ok(ORG, "agenda.now", session=hall.session("plenary"))
    assert room_of(hall.state, "p1") is None


# Balancing -----------------------------------------------------------------------------------

CROWD = [("m1", "municipality", "SE", "onsite"), ("m2", "municipality", "SE", "remote"),
         ("m3", "business", "FI", "onsite"), ("m4", "business", "FI", "remote"),
         ("m5", "research_academia", "SE", "onsite"), ("m6", "research_academia", "FI", "remote"),
         ("m7", "ngo_civil_society", "EE", "remote"), ("m8", "ngo_civil_society", "EE", "onsite")]
CROWD_ATTENDANCE = [(m[0], m[3]) for m in CROWD]


def crowded(capacity: int | None = None, **kwargs: Any) -> Hall:
    """A hall in a two-room hackathon with the eight people of CROWD."""
    room = {"title": "Floods"} if capacity is None else {"title": "Floods", "capacity": capacity}
    sessions = [SESSIONS[0], {"kind": "hackathon", "title": "Hack", "minutes": 60,
                              "rooms": [room, {"title": "Fires"}]}]
    hall = Hall(members=(), sessions=sessions, **kwargs)
    for mid, sector, country, attendance in CROWD:
        hall.ok(SYSTEM, "member.join", **profile(mid, sector=sector, country=country,
                                                  attendance=attendance))
    hall.move_to("hackathon")
    return hall


def test_balancing_mixes_sectors_countries_and_attendance() -> None:
    """Each of two rooms gets four people: one of each sector, two on site, two remote."""
    hall = crowded()
    (balanced,) = hall.ok(ORG, "assignment.balance", seed=42)
    placed = balanced.data["assignments"]
    assert set(placed) == {m[0] for m in CROWD}
    for room in rooms(hall):
        here = [m for m in CROWD if placed[m[0]] == room]
        assert len(here) == 4
        assert len({m[1] for m in here}) == 4
        assert Counter(m[3] for m in here) == {"onsite": 2, "remote": 2}
        assert Counter(m[2] for m in here)["SE"] in (1, 2)
    assert balanced.data["seed"] == 42
    assert balanced.data["left"] == []
    assert all(room_of(hall.state, m[0]) == placed[m[0]] for m in CROWD)


def test_the_result_is_in_the_event_so_replay_never_balances_again() -> None:
    """Replaying the log gives the same rooms, and applying the event alone places everyone."""
    hall = crowded()
    (balanced,) = hall.ok(ORG, "assignment.balance", seed=5)
    assert hall.replayed() == hall.state
    tampered = balanced.data["assignments"] | {"m1": rooms(hall)[1], "m2": rooms(hall)[1]}
    forged = HALL.apply(HALL.replay(hall.log[:-1], HALL.initial("h1")),
                        type(balanced)(balanced.seq, balanced.at, balanced.name, balanced.actor,
                                       {**balanced.data, "assignments": tampered}))
    assert room_of(forged, "m1") == rooms(hall)[1]  # the applier reads the event, not the seed


def test_the_same_seed_gives_the_same_rooms() -> None:
    """Two halls with the same people and seed get the same balance; the seed defaults to seq."""
    first, second = crowded(), crowded()
    (a,) = first.ok(ORG, "assignment.balance", seed=9, keep_picks=False)
    (b,) = second.ok(ORG, "assignment.balance", seed=9, keep_picks=False)
    assert a.data == b.data
    (c,) = first.ok(ORG, "assignment.balance")
    assert c.data["seed"] == c.seq


def test_balancing_places_the_people_present_and_frees_the_others_seats() -> None:
    """Only the people present are placed; someone absent who had a room leaves it."""
    hall = crowded()
    hall.ok(ORG, "assignment.move", member="m8", room=rooms(hall)[0])
    present = ["m1", "m2", "m3", "m4", "m5", "m6"]
    (balanced,) = hall.ok(ORG, "assignment.balance", present=present)
    assert list(balanced.data["assignments"]) == present
    assert balanced.data["left"] == ["m8"]
    assert room_of(hall.state, "m8") is None
    assert Counter(balanced.data["assignments"].values()) == {r: 3 for r in rooms(hall)}


def test_own_picks_are_kept_unless_the_organizer_says_otherwise() -> None:
    """keep_picks (the default) keeps picks and moves; keep_picks false places everyone anew."""
    hall = crowded()
    floods, fires = rooms(hall)
    # All four on site people choose Floods, so a fresh balance must move some of them.
    for mid in ("m1", "m3", "m5", "m8"):
        hall.ok(Actor(mid, Role.PARTICIPANT), "assignment.pick", room=floods)
    (kept,) = hall.ok(ORG, "assignment.balance", seed=1)
    assert all(kept.data["assignments"][m] == floods for m in ("m1", "m3", "m5", "m8"))
    assert Counter(kept.data["assignments"].values()) == {floods: 4, fires: 4}
    members = hall.view(Audience.FACILITATOR)["assignment"]["sessions"][hall.session(
        "hackathon")]["rooms"][0]["members"]
    assert {m["id"]: m["how"] for m in members} == {m: "pick" for m in ("m1", "m3", "m5", "m8")}
    (fresh,) = hall.ok(ORG, "assignment.balance", seed=1, keep_picks=False)
    floods_now = [m for m, r in fresh.data["assignments"].items() if r == floods]
    assert Counter(dict(CROWD_ATTENDANCE)[m] for m in floods_now) == {"onsite": 2, "remote": 2}


def test_a_second_balance_rebalances_what_balancing_placed() -> None:
    """Balanced placements are not picks: keep_picks does not freeze them."""
    hall = crowded()
    hall.ok(ORG, "assignment.balance", seed=1, present=["m1", "m3", "m5", "m7"])
    (again,) = hall.ok(ORG, "assignment.balance", seed=2)
    assert len(again.data["assignments"]) == 8
    assert Counter(again.data["assignments"].values()) == {r: 4 for r in rooms(hall)}


def test_balancing_refusals() -> None:
    """Wrong session, unknown or repeated people, nobody, or too few seats are refused."""
    hall = crowded(capacity=2)
    hall.refused(ORG, "assignment.balance", ErrorCode.INVALID_STATE,
                 session=hall.session("plenary"))
    hall.refused(ORG, "assignment.balance", ErrorCode.NOT_FOUND, session="s999")
    hall.refused(ORG, "assignment.balance", ErrorCode.NOT_FOUND, present=["m1", "zz"])
    hall.refused(ORG, "assignment.balance", ErrorCode.INVALID_ARGS, present=["m1", "m1"])
    hall.refused(ORG, "assignment.balance", ErrorCode.INVALID_ARGS, present="m1")
    hall.refused(ORG, "assignment.balance", ErrorCode.INVALID_STATE, present=[])
    hall.refused(ORG, "assignment.balance", ErrorCode.INVALID_ARGS, seed=-1)
    hall.move_to("plenary")
    refusal = hall.refused(ORG, "assignment.balance", ErrorCode.INVALID_STATE)
    assert "name the session" in refusal.message
    hall.ok(ORG, "assignment.balance", session=hall.session("hackathon"))


def test_too_few_seats_refuse_with_room_full() -> None:
    """When every room has a capacity and they hold fewer than the people present: room_full."""
    sessions = [{"kind": "hackathon", "title": "Hack", "minutes": 60,
                 "rooms": [{"title": "A", "capacity": 1}, {"title": "B", "capacity": 1}]}]
    hall = Hall(sessions=sessions)
    hall.move_to("hackathon")
    refusal = hall.refused(ORG, "assignment.balance", ErrorCode.ROOM_FULL)
    assert refusal.message.startswith("the rooms hold 2 and 3 people are present")
    hall.ok(ORG, "assignment.balance", present=["p1", "p3"])


# Views ---------------------------------------------------------------------------------------


def picked_hall() -> tuple[Hall, str, str]:
    hall = in_hackathon()
    floods, fires = rooms(hall)
    hall.ok(P1, "assignment.pick", room=floods)
    hall.ok(P2, "assignment.pick", room=fires)
    return hall, floods, fires


def test_staff_see_headcounts_mix_and_who_is_where() -> None:
    """The staff view lists each room's members, how they came, and counts of their profiles."""
    hall, floods, _fires = picked_hall()
    session = hall.view(Audience.FACILITATOR)["assignment"]["sessions"][hall.session("hackathon")]
    assert session["rooms"][0] == {
        "id": floods, "capacity": 2, "headcount": 1, "members": [{"id": "p1", "how": "pick"}],
        "mix": {"sector": {"municipality": 1}, "country": {"SE": 1},
                "attendance": {"onsite": 1}}}
    assert session["rooms"][1]["members"] == [{"id": "p2", "how": "pick"}]


def test_a_participant_sees_their_room_and_headcounts_only() -> None:
    """A participant's snapshot says which room is theirs; nobody else's, no mix."""
    hall, floods, _fires = picked_hall()
    sid = hall.session("hackathon")
    mine = hall.view(Audience.PARTICIPANT, "p1")["assignment"]["sessions"][sid]
    assert mine["mine"] == floods
    assert [set(r) for r in mine["rooms"]] == [{"id", "capacity", "headcount"}] * 2
    assert [r["headcount"] for r in mine["rooms"]] == [1, 1]
    shared = hall.view(Audience.PARTICIPANT, None)["assignment"]["sessions"][sid]
    assert shared["mine"] is None
    assert shared["rooms"] == mine["rooms"]
    assert HALL.shares_view(hall.state, "p3")
    assert not HALL.shares_view(hall.state, "p1")


def test_the_projector_sees_headcounts() -> None:
    """The projector's view of the rooms is their headcounts and capacities."""
    hall, floods, fires = picked_hall()
    seen = hall.view(Audience.OBSERVER)["assignment"]["sessions"][hall.session("hackathon")]
    assert seen == {"rooms": [{"id": floods, "capacity": 2, "headcount": 1},
                              {"id": fires, "capacity": None, "headcount": 1}]}


def test_sessions_other_than_hackathons_have_no_rooms_view() -> None:
    """Only hackathon sessions appear in the assignment view."""
    hall = Hall()
    assert list(hall.view(Audience.PARTICIPANT)["assignment"]["sessions"]) == [
        hall.session("hackathon")]


def test_others_see_a_pick_as_a_headcount_from_nobody() -> None:
    """Another participant or the projector sees new headcounts, not who picked."""
    hall = in_hackathon()
    floods = rooms(hall)[0]
    (picked,) = hall.ok(P1, "assignment.pick", room=floods)
    for audience, viewer in ((Audience.PARTICIPANT, "p2"), (Audience.PARTICIPANT, None),
                             (Audience.OBSERVER, None)):
        seen = HALL.event_view(hall.state, picked, audience, viewer)
        assert set(seen) == {"session", "rooms"}
        assert seen["rooms"][0]["headcount"] == 1
        assert "p1" not in str(seen)
        assert HALL.actor_view(hall.state, picked, audience, viewer) == HIDDEN_ACTOR
    assert HALL.actor_view(hall.state, picked, Audience.PARTICIPANT, "p1") == "p1"
    assert HALL.actor_view(hall.state, picked, Audience.FACILITATOR, None) == "p1"
    staff = HALL.event_view(hall.state, picked, Audience.FACILITATOR, None)
    assert staff["member"] == "p1"
    assert staff["rooms"][0]["members"] == [{"id": "p1", "how": "pick"}]


def test_a_person_moved_is_told_their_room_in_a_frame_of_their_own() -> None:
    """The moved person is a subject of the event and their view names the room they are in."""
    hall = in_hackathon()
    fires = rooms(hall)[1]
    (moved,) = hall.ok(ORG, "assignment.move", member="p3", room=fires)
    assert HALL.subjects(hall.state, moved) == {"p3"}
    own = HALL.event_view(hall.state, moved, Audience.PARTICIPANT, "p3")
    assert own["room"] == fires
    assert own["session"] == hall.session("hackathon")
    assert "room" not in HALL.event_view(hall.state, moved, Audience.PARTICIPANT, "p1")


def test_everyone_a_balance_places_or_unseats_gets_their_room() -> None:
    """After a balance each person placed sees their room, and one who left sees none."""
    hall = crowded()
    hall.ok(ORG, "assignment.move", member="m8", room=rooms(hall)[0])
    (balanced,) = hall.ok(ORG, "assignment.balance", present=["m1", "m2", "m3"])
    assert HALL.subjects(hall.state, balanced) == {"m1", "m2", "m3", "m8"}
    for mid in ("m1", "m2", "m3"):
        seen = HALL.event_view(hall.state, balanced, Audience.PARTICIPANT, mid)
        assert seen["room"] == balanced.data["assignments"][mid]
        assert "assignments" not in seen
    assert HALL.event_view(hall.state, balanced, Audience.PARTICIPANT, "m8")["room"] is None
    shared = HALL.event_view(hall.state, balanced, Audience.OBSERVER, None)
    assert set(shared) == {"session", "rooms"}
    assert sum(r["headcount"] for r in shared["rooms"]) == 3
