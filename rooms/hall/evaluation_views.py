"""What each audience sees of the evaluation questionnaire.

- **Staff** (organizer and facilitators) see the questionnaire at every stage and its results
  (``evaluation_results.results``): aggregates, suppressed below 3 per cell, and the free texts
  without names. Nobody's answers are shown with who gave them, the staff's view included.
- **Participants** see the questions once it is opened (a draft is the staff's work), and
  their own answers (``mine``), never anyone else's, nor any result.
- **The projector** (observers) sees the questions once opened and the aggregates only while
  the organizer shows them (``evaluation.show_results``, Slido's "show results"), without the free
  texts: a wall is not the place for one person's sentence.
- **Events of answers** show the answer to its respondent alone; to the staff and a showing
  projector they bring the question's new aggregates, to other participants nothing
  (redacted). Their actor is ``""`` (nobody) to all but the respondent.
- Views of the other events carry the ``evaluation`` part as the audience sees it, without
  ``mine`` (a participant's own answers are theirs already).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..audience import Audience
from ..events import Event
from ..projection import REDACTED
from .evaluation_results import question_results, results

if TYPE_CHECKING:
    from .state import HallState

NOBODY = ""  # the actor an answer is shown as coming from, to all but its respondent
_ANSWERS = {"evaluation.answered", "evaluation.cleared"}
_WHOLE = {"evaluation.opened", "evaluation.closed", "evaluation.results_shown"}


def _results(state: HallState, audience: Audience) -> dict[str, Any] | None:
    if audience is Audience.FACILITATOR:
        return results(state)
    if audience is Audience.OBSERVER and state.evaluation.results_shown:
        return screen_results(state)
    return None


def screen_results(state: HallState) -> dict[str, Any]:
    """The results as the projector shows them: the aggregates without the free texts."""
    shown = results(state)
    for q in shown["questions"]:
        q["overall"].pop("answers", None)
    return shown


def part(state: HallState, audience: Audience, viewer: str | None) -> dict[str, Any]:
    """The questionnaire as ``viewer`` in ``audience`` sees it."""
    e = state.evaluation
    staff = audience is Audience.FACILITATOR
    seen: dict[str, Any] = {
        "status": e.status, "opened_at": e.opened_at, "closed_at": e.closed_at,
        "results_shown": e.results_shown, "respondents": len(e.answers),
        "questions": [q.to_json() for q in e.questions] if staff or e.status != "draft"
        else [],
        "results": _results(state, audience)}
    if audience is Audience.PARTICIPANT:
        seen["mine"] = dict(e.answers.get(viewer, {})) if viewer is not None else {}
    return seen


def view(state: HallState, audience: Audience, viewer: str | None) -> dict[str, Any]:
    """This slice's part of the hall's snapshot."""
    return {"evaluation": part(state, audience, viewer)}


def event_view(state: HallState, event: Event, audience: Audience,
               viewer: str | None) -> dict[str, Any] | None:
    """An event of this slice as ``viewer`` may see it; None for events of other slices."""
    if event.name == "evaluation.drafted":
        return event.data if audience is Audience.FACILITATOR else REDACTED
    if event.name in _WHOLE:
        return {**event.data, "evaluation": part(state, audience, None)}
    if event.name == "evaluation.sent":
        return event.data
    if event.name in _ANSWERS:
        return _answer_view(state, event, audience, viewer)
    return None


def _answer_view(state: HallState, event: Event, audience: Audience,
                 viewer: str | None) -> dict[str, Any]:
    d = event.data
    if audience is Audience.PARTICIPANT:
        if viewer != d["respondent"]:
            return REDACTED
        return {"question": d["question"], "answer": d.get("answer")}  # None: cleared
    e = state.evaluation
    seen: dict[str, Any] = {"question": d["question"], "respondents": len(e.answers)}
    question = e.question(d["question"])
    shows = audience is Audience.FACILITATOR or e.results_shown
    if question is not None and shows:
        seen["result"] = question_results(state, question,
                                          texts=audience is Audience.FACILITATOR)
    return seen


def subjects(state: HallState, event: Event) -> set[str]:
    """Members who see an event of this slice their own way: the respondent, for their answer."""
    if event.name in _ANSWERS:
        return {event.data["respondent"]}
    return set()


def actor_view(state: HallState, event: Event, audience: Audience,
               viewer: str | None) -> str | None:
    """Who an event of this slice is shown as coming from; None: its actor."""
    if event.name in _ANSWERS:
        respondent: str = event.data["respondent"]
        return respondent if audience is Audience.PARTICIPANT and viewer == respondent \
            else NOBODY
    return None


def own_view(state: HallState, viewer: str) -> bool:
    """Whether ``viewer``'s snapshot of this slice differs from their audience's: an answer."""
    return viewer in state.evaluation.answers
