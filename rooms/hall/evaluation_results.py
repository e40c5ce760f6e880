"""The questionnaire's results: counts per question, overall and by the respondents' profiles.

A pure function of the hall's state; the conductor, the projector and the exports all use it
(the shape is in ``docs/protocol.md``, "Evaluation questionnaire"). Privacy decisions:

- **Small groups are suppressed**: a breakdown cell (and the overall one) with fewer than
  ``min_cell`` answers to that question is ``{"n": null, "suppressed": true}``, so nobody is
  identified by their sector, country or attendance.
- **Complementary suppression**: "overall" minus the shown cells would give away a lone
  suppressed cell. So when any cell of a breakdown is suppressed, the smallest other cells are
  suppressed too (the smaller group first, then by value), until at least two cells are
  suppressed and together they hold at least ``min_cell`` answers, or all are. What can be
  derived by subtracting is then a mix of at least two groups and ``min_cell`` people. Crossing
  two breakdowns of the same question (sector with country) is not protected against; for the
  group sizes of a forum, one breakdown at a time is what the reports show.
- **Free texts** are listed only overall (never per group), sorted, so their order says
  nothing about who wrote them or when.
- A respondent whose profile is gone (erased) counts in the group ``unknown``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .evaluation_state import Answer, EvalQuestion

if TYPE_CHECKING:
    from .state import HallState

DIMENSIONS = ("sector", "country", "attendance")
UNKNOWN = "unknown"
SUPPRESSED: dict[str, Any] = {"n": None, "suppressed": True}


def results(state: HallState, min_cell: int = 3) -> dict[str, Any]:
    """The questionnaire's results; cells with fewer than ``min_cell`` answers suppressed."""
    e = state.evaluation
    return {"status": e.status, "respondents": len(e.answers), "min_cell": min_cell,
            "questions": [question_results(state, q, min_cell) for q in e.questions]}


def question_results(state: HallState, question: EvalQuestion, min_cell: int = 3,
                     texts: bool = True) -> dict[str, Any]:
    """One question's results; ``texts=False`` leaves out the free texts (the projector's)."""
    given = [(member, answers[question.id])
             for member, answers in state.evaluation.answers.items() if question.id in answers]
    by: dict[str, dict[str, Any]] = {}
    for dimension in DIMENSIONS:
        groups: dict[str, list[Answer]] = {}
        for member_id, value in given:
            groups.setdefault(_group(state, member_id, dimension), []).append(value)
        by[dimension] = _breakdown(question, groups, min_cell)
    return {"id": question.id, "kind": question.kind, "text": question.text,
            "options": list(question.answers),
            "overall": _cell(question, [v for _, v in given], min_cell, texts),
            "by": by}


def _group(state: HallState, member_id: str, dimension: str) -> str:
    member = state.members.get(member_id)
    value = getattr(member, dimension, "") if member is not None else ""
    return value or UNKNOWN


def suppressed_groups(sizes: dict[str, int], min_cell: int) -> set[str]:
    """The groups of one breakdown to suppress: the small ones and their complements."""
    hidden = {k for k, n in sizes.items() if n < min_cell}
    if not hidden:
        return hidden
    rest = sorted((k for k in sizes if k not in hidden), key=lambda k: (sizes[k], k))
    while rest and (len(hidden) < 2 or sum(sizes[k] for k in hidden) < min_cell):
        hidden.add(rest.pop(0))
    return hidden


def _breakdown(question: EvalQuestion, groups: dict[str, list[Answer]],
               min_cell: int) -> dict[str, Any]:
    hidden = suppressed_groups({k: len(v) for k, v in groups.items()}, min_cell)
    return {k: dict(SUPPRESSED) if k in hidden else _cell(question, groups[k], min_cell, False)
            for k, v in sorted(groups.items())}


def _cell(question: EvalQuestion, values: Sequence[Answer], min_cell: int,
          texts: bool) -> dict[str, Any]:
    n = len(values)
    if n < min_cell:
        return dict(SUPPRESSED)
    distribution = {str(o): sum(1 for v in values if v == o) for o in question.answers}
    scores = [v for v in values if isinstance(v, int)]
    scored = question.kind in ("likert", "nps") and bool(scores)
    cell: dict[str, Any] = {
        "n": n, "suppressed": False, "distribution": distribution,
        "mean": round(sum(scores) / len(scores), 2) if scored else None,
        "nps": net_promoter_score(scores) if question.kind == "nps" and scores else None}
    if question.kind == "text" and texts:
        cell["answers"] = sorted(str(v) for v in values)
    return cell


def net_promoter_score(scores: Sequence[int]) -> int:
    """% of promoters (9-10) minus % of detractors (0-6), rounded to a whole number."""
    promoters = sum(1 for s in scores if s >= 9)
    detractors = sum(1 for s in scores if s <= 6)
    return round(100 * (promoters - detractors) / len(scores))
