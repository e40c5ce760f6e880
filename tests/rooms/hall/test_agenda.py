"""The agenda: sessions, their order and times, and the move from one to the next."""

from __future__ import annotations

from rooms.audience import Audience
from rooms.errors import ErrorCode

from .helpers import FAC, ORG, P1, P2, Hall


def test_a_template_agenda_comes_with_the_hall() -> None:
    """hall.create with sessions adds each, in order, with room ids from the log."""
    hall = Hall()
    kinds = [s.kind for s in hall.state.agenda.sessions]
    assert kinds == ["plenary", "hackathon", "networking", "evaluation"]
    rooms = hall.state.agenda.sessions[1].rooms
    assert [r.title for r in rooms] == ["Floods", "Forest fires"]
    assert rooms[0].capacity == 2
    assert rooms[1].capacity is None
    assert len({r.id for r in rooms}) == 2
    assert all(r.id.startswith("h1-") for r in rooms)


def test_only_the_organizer_edits_the_agenda() -> None:
    """A facilitator or a participant may not add or move sessions."""
    hall = Hall()
    hall.refused(FAC, "session.add", ErrorCode.FORBIDDEN, kind="break", title="Coffee")
    hall.refused(P1, "agenda.now", ErrorCode.FORBIDDEN, session=hall.session("plenary"))


def test_add_reorder_retitle_retime_and_remove() -> None:
    """Each edit of the agenda does what it says and nothing else."""
    hall = Hall()
    (added,) = hall.ok(ORG, "session.add", kind="break", title="Coffee", minutes=15,
                       position=1)
    coffee = added.data["id"]
    assert [s.id for s in hall.state.agenda.sessions][1] == coffee
    hall.ok(ORG, "session.move", id=coffee, position=3)
    assert [s.id for s in hall.state.agenda.sessions][3] == coffee
    hall.ok(ORG, "session.update", id=coffee, title="Lunch", minutes=45, start=1_000)
    lunch = hall.state.agenda.get(coffee)
    assert lunch is not None
    assert (lunch.title, lunch.minutes, lunch.start) == ("Lunch", 45, 1_000)
    hall.ok(ORG, "session.remove", id=coffee)
    assert hall.state.agenda.get(coffee) is None
    assert hall.replayed() == hall.state


def test_hackathon_sessions_need_rooms_and_others_may_not_have_them() -> None:
    """Rooms belong to hackathon sessions only, and a hackathon session needs one."""
    hall = Hall()
    hall.refused(ORG, "session.add", ErrorCode.INVALID_ARGS, kind="hackathon", title="Hack")
    hall.refused(ORG, "session.add", ErrorCode.INVALID_ARGS, kind="plenary", title="P",
                 rooms=[{"title": "R"}])
    hall.refused(ORG, "session.room_add", ErrorCode.INVALID_STATE,
                 session=hall.session("plenary"), title="R")
    hall.ok(ORG, "session.room_add", session=hall.session("hackathon"), title="Heat waves",
            capacity=5)
    assert [r.title for r in hall.state.agenda.sessions[1].rooms][-1] == "Heat waves"


def test_now_keeps_planned_and_actual_times() -> None:
    """Moving on closes the run of the session before and opens one of the next."""
    hall = Hall()
    hall.move_to("plenary")
    hall.now += 50 * 60_000
    hall.move_to("hackathon")
    plenary, hack = hall.state.agenda.sessions[:2]
    assert plenary.runs == ((hall.now - 50 * 60_000, hall.now),)
    assert hack.runs == ((hall.now, None),)
    hall.now += 60_000
    hall.move_to("plenary")  # back to the plenary: a second run
    plenary = hall.state.agenda.sessions[0]
    assert len(plenary.runs) == 2
    assert plenary.runs[1] == (hall.now, None)
    assert hall.state.agenda.now == plenary.id
    assert hall.replayed() == hall.state


def test_now_refuses_the_current_session_and_unknown_ones() -> None:
    """Moving to where the forum is already, or to no such session, is refused."""
    hall = Hall()
    hall.move_to("plenary")
    hall.refused(ORG, "agenda.now", ErrorCode.INVALID_STATE, session=hall.session("plenary"))
    hall.refused(ORG, "agenda.now", ErrorCode.NOT_FOUND, session="s999")
    hall.refused(ORG, "session.remove", ErrorCode.INVALID_STATE, id=hall.session("plenary"))


def test_planned_starts_chain_from_the_first_given_start() -> None:
    """A session without its own start is planned right after the one before."""
    hall = Hall()
    first = hall.state.agenda.sessions[0].id
    hall.ok(ORG, "session.update", id=first, start=1_000_000)
    starts = [s["planned_start"] for s in hall.view(Audience.PARTICIPANT)["agenda"]["sessions"]]
    assert starts == [1_000_000, 1_000_000 + 45 * 60_000, 1_000_000 + 135 * 60_000,
                      1_000_000 + 165 * 60_000]


def test_room_settings_are_the_organizers_plan() -> None:
    """Participants see rooms' titles, challenges and capacities, not their settings."""
    hall = Hall()
    hall.ok(ORG, "session.room_add", session=hall.session("hackathon"), title="Heat",
            budget=3, cap=1)
    staff = hall.view(Audience.FACILITATOR)["agenda"]["sessions"][1]["rooms"][-1]
    public = hall.view(Audience.PARTICIPANT)["agenda"]["sessions"][1]["rooms"][-1]
    assert staff["settings"] == {"budget": 3, "cap": 1}
    assert "settings" not in public
    assert public["title"] == "Heat"


def test_a_capacity_below_the_headcount_is_refused() -> None:
    """A room's capacity cannot be lowered below the people in it."""
    hall = Hall()
    hall.move_to("hackathon")
    floods = hall.state.agenda.sessions[1].rooms[0].id
    hall.ok(P1, "assignment.pick", room=floods)
    hall.ok(P2, "assignment.pick", room=floods)
    hall.refused(ORG, "session.room_update", ErrorCode.INVALID_STATE, room=floods, capacity=1)
    hall.ok(ORG, "session.room_update", room=floods, capacity=3)
