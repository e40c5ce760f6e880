"""Invariants of the questionnaire over random sequences of commands (Hypothesis).

Three participants and the staff send random evaluation commands (draft edits, open, close,
reopen, send, show results, valid and malformed answers, clears) and move the agenda. At every
point: nothing crashes, a replay of the log gives the same state, nobody's view holds another
participant's answer, and the results always match the answers kept.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rooms.actors import Actor
from rooms.audience import Audience
from rooms.errors import Rejection
from rooms.gate import Command
from rooms.hall.evaluation_results import results
from rooms.hall.hall import HALL
from rooms.hall.state import HallState

from .helpers import FAC, OBS, ORG, P1, P2, P3, Hall

SETTINGS = settings(max_examples=60, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow])

_ANSWERS: tuple[Any, ...] = (1, 3, 5, 0, 9, 10, 11, -1, "Yes", "No", "Maybe", "Secret of p",
                             "", True, None, [1], "x" * 1001)
_ACTIONS: list[tuple[Actor, str]] = [
    *[(p, "evaluation.answer") for p in (P1, P2, P3)] * 6,
    *[(p, "evaluation.clear") for p in (P1, P2, P3)],
    (ORG, "evaluation.add"), (FAC, "evaluation.edit"), (ORG, "evaluation.move"),
    (ORG, "evaluation.remove"), *[(ORG, "evaluation.open")] * 2, (ORG, "evaluation.close"),
    (FAC, "evaluation.send"), (ORG, "evaluation.show_results"), (ORG, "agenda.now"),
    (OBS, "evaluation.open"), (P1, "evaluation.add"),
]
STEPS = st.lists(st.tuples(st.sampled_from(_ACTIONS), st.integers(0, 20), st.integers(0, 20)),
                 min_size=10, max_size=60)


def _args(state: HallState, actor: Actor, name: str, x: int, y: int) -> dict[str, Any]:
    ids = [q.id for q in state.evaluation.questions] or ["none"]
    qid = ids[x % len(ids)]
    if name == "evaluation.answer":
        value = _ANSWERS[y % len(_ANSWERS)]
        return {"question": qid, "answer": f"Secret of {actor.id}" if value == "Secret of p"
                else value}
    if name == "evaluation.clear":
        return {"question": qid}
    if name == "evaluation.add":
        kind = ("likert", "nps", "choice", "text")[y % 4]
        return {"kind": kind, "text": f"Question {x}", "position": y,
                **({"options": ["A", "B"]} if kind == "choice" else {})}
    if name == "evaluation.edit":
        return {"id": qid, "kind": "likert", "text": f"Edited {y}"}
    if name in ("evaluation.move",):
        return {"id": qid, "position": y}
    if name == "evaluation.remove":
        return {"id": qid}
    if name == "evaluation.show_results":
        return {"shown": bool(y % 2)}
    if name == "agenda.now":
        sessions = state.agenda.sessions
        return {"session": sessions[y % len(sessions)].id}
    return {}


@SETTINGS
@given(STEPS)
def test_random_sequences_keep_answers_private_and_results_true(
        steps: list[tuple[tuple[Actor, str], int, int]]) -> None:
    """No crash, replay agrees, no view shows another's answer, results count the answers."""
    hall = Hall()
    for (actor, name), x, y in steps:
        result = HALL.decide(hall.state, Command(name, _args(hall.state, actor, name, x, y)),
                             actor, hall.now)
        if isinstance(result, Rejection):
            continue
        for event in result:
            hall.state = HALL.apply(hall.state, event)
            hall.log.append(event)
            for viewer in ("p1", "p2", "p3"):
                seen = json.dumps(HALL.event_view(hall.state, event, Audience.PARTICIPANT,
                                                  viewer))
                assert all(f"Secret of {other}" not in seen for other in ("p1", "p2", "p3")
                           if other != viewer)
    for viewer in ("p1", "p2", "p3"):
        seen = json.dumps(HALL.snapshot(hall.state, Audience.PARTICIPANT, viewer, True))
        assert all(f"Secret of {o}" not in seen for o in ("p1", "p2", "p3") if o != viewer)
    assert "Secret of" not in json.dumps(HALL.snapshot(hall.state, Audience.OBSERVER, None,
                                                       True))
    assert hall.replayed() == hall.state
    e = hall.state.evaluation
    shown = results(hall.state, min_cell=0)
    assert shown["respondents"] == len(e.answers)
    for q in shown["questions"]:
        given_n = sum(1 for answers in e.answers.values() if q["id"] in answers)
        assert q["overall"]["n"] == given_n
        if q["kind"] != "text":
            assert sum(q["overall"]["distribution"].values()) == given_n
