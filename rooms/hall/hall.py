"""The hall as one state machine: the same gate as a room, with the session as its step."""

from __future__ import annotations

from typing import Any

from .. import members
from ..audience import Audience
from ..gate import Rules
from ..kind import Kind
from ..projection import member_view
from . import agenda, assignment, evaluation, forum, links, networking, polls, projection, questions
from .state import HallState

_SLICES = (forum, agenda, links, members, questions, polls, assignment, networking,
           evaluation)


def _created(state: HallState) -> bool:
    return state.created


def _snapshot(state: HallState, audience: Audience, viewer: str | None,
              with_members: bool) -> dict[str, Any]:
    return projection.snapshot(state, audience, viewer, with_members)


def _due(state: HallState) -> tuple[int, str] | None:
    return networking.due(state)  # a networking round's timer


RULES = Rules.of("hall", _SLICES, "hall.create", _created, agenda.session_gate)

# No snapshots: a hall's log is a few thousand events even for a large plenary, replayed on
# load in milliseconds; snapshotting it can come with a codec when that stops being true.
HALL = Kind(
    name="hall", rules=RULES, initial=lambda log_id: HallState(id=log_id),
    snapshot=_snapshot, event_view=projection.event_view, subjects=projection.subjects,
    shares_view=projection.shares_view, member_view=member_view,
    actor_view=projection.actor_view, due=_due)
