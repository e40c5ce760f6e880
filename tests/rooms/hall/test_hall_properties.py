"""Invariants of the hall over random sessions of agenda, label and link commands (Hypothesis).

Each step is a command from the organizer, a facilitator, a participant, the projector or the
system, valid or not (ids that do not exist, roles that may not send it), decided and applied
one by one while the clock moves on; the slices of the plenary have properties of their own.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rooms.actors import SYSTEM, Actor
from rooms.audience import Audience
from rooms.hall.hall import HALL
from rooms.hall.labels import LABELS
from rooms.hall.state import HallState

from .helpers import FAC, OBS, ORG, P1, Hall

SETTINGS = settings(max_examples=150, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow])
ACTORS = (ORG, ORG, ORG, FAC, P1, OBS, SYSTEM)
KINDS = ("plenary", "hackathon", "networking", "evaluation", "break")


def _session_id(state: HallState, n: int) -> str:
    sessions = state.agenda.sessions
    return sessions[n % len(sessions)].id if sessions and n < 90 else f"s{n}"


def _room_id(state: HallState, n: int) -> str:
    rooms = [r.id for s in state.agenda.sessions for r in s.rooms]
    return rooms[n % len(rooms)] if rooms and n < 90 else "nope"


def _command(state: HallState, what: int, n: int, m: int) -> tuple[str, dict[str, Any]]:
    """One of the hall's commands, with ids picked from the state (or made up)."""
    kind = KINDS[m % len(KINDS)]
    rooms = [{"title": f"R{m}", "capacity": 1 + m}] if kind == "hackathon" else []
    choices: list[tuple[str, dict[str, Any]]] = [
        ("session.add", {"kind": kind, "title": f"S{n}", "minutes": 1 + m,
                         **({"rooms": rooms} if rooms else {}), "position": m}),
        ("session.update", {"id": _session_id(state, n), "title": f"T{m}", "start": m * 1000}),
        ("session.remove", {"id": _session_id(state, n)}),
        ("session.move", {"id": _session_id(state, n), "position": m}),
        ("session.room_add", {"session": _session_id(state, n), "title": f"Room {m}"}),
        ("session.room_update", {"room": _room_id(state, n), "capacity": 1 + m}),
        ("agenda.now", {"session": _session_id(state, n) if m % 5 else None}),
        ("label.set", {"label": list(LABELS)[m % len(LABELS)]}),
        ("forum.update", {"topic": f"Topic {m}"}),
        ("link.issue", {"label": f"Link {m}", "room": _room_id(state, n) if m % 2 else None}),
        ("link.revoke", {"id": f"k{n}"}),
    ]
    return choices[what % len(choices)]


STEPS = st.lists(st.tuples(st.integers(0, len(ACTORS) - 1), st.integers(0, 20),
                           st.integers(0, 100), st.integers(0, 50),
                           st.integers(0, 3_600_000)), min_size=1, max_size=60)


def _run(steps: list[tuple[int, int, int, int, int]]) -> Hall:
    hall = Hall()
    for who, what, n, m, later in steps:
        actor: Actor = ACTORS[who]
        name, args = _command(hall.state, what, n, m)
        hall.now += later
        hall.send(actor, name, **args)
    return hall


@SETTINGS
@given(STEPS)
def test_replaying_the_log_gives_the_live_state(steps: list[tuple[int, int, int, int, int]]
                                                ) -> None:
    """A replica that replays the whole log from seq 1 has exactly the live state."""
    hall = _run(steps)
    assert hall.replayed() == hall.state
    assert [e.seq for e in hall.log] == list(range(1, len(hall.log) + 1))


@SETTINGS
@given(STEPS)
def test_events_are_json_and_views_keep_links_to_staff(
        steps: list[tuple[int, int, int, int, int]]) -> None:
    """Every event's data is JSON; no participant or projector view names a link's label."""
    hall = _run(steps)
    labels = {link.label for link in hall.state.links.values()}
    for event in hall.log:
        json.dumps(event.data, allow_nan=False)
        for audience, viewer in ((Audience.PARTICIPANT, "p1"), (Audience.OBSERVER, None)):
            seen = json.dumps(HALL.event_view(hall.state, event, audience, viewer))
            assert not any(f'"{label}"' in seen for label in labels)
    for audience, viewer in ((Audience.PARTICIPANT, "p1"), (Audience.OBSERVER, None)):
        assert "links" not in hall.view(audience, viewer)


@SETTINGS
@given(STEPS)
def test_only_the_current_session_has_an_open_run(
        steps: list[tuple[int, int, int, int, int]]) -> None:
    """At every point at most one run is open, and it is the current session's last one."""
    hall = Hall()
    for who, what, n, m, later in steps:
        name, args = _command(hall.state, what, n, m)
        hall.now += later
        hall.send(ACTORS[who], name, **args)
        agenda = hall.state.agenda
        open_runs = [s.id for s in agenda.sessions for run in s.runs if run[1] is None]
        assert open_runs == ([agenda.now] if agenda.now is not None else [])
        assert len({s.id for s in agenda.sessions}) == len(agenda.sessions)
        for s in agenda.sessions:
            assert all(start <= end for start, end in s.runs if end is not None)
