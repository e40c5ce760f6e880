"""The state of a room's outcomes: recommendations and the action items that carry them out.

Recommendations are the room's shared work after voting (co-edited, per-field last writer
wins); action items outlive the event: their owners change their status long after the room
closed, through a follow-up link, and every change is kept in the item's history.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

# An action item's life; "dropped" ends it without doing it (kept, with why, in the history).
STATUSES = ("open", "in_progress", "done", "dropped")

# The text fields of a recommendation that people co-edit; each is last-writer-wins on its own.
RECOMMENDATION_FIELDS = ("title", "rationale", "action", "owner", "due")
ACTION_FIELDS = ("title", "owner", "owner_member", "due", "recommendation")


@dataclass(frozen=True, slots=True)
class Recommendation:
    """What the room recommends, to whom, by when, and which ideas and clusters it rests on."""

    id: str
    title: str
    rationale: str = ""
    action: str = ""  # the proposed action
    owner: str = ""  # free text: "Ministry of the Interior, rescue dept."
    due: str | None = None  # ISO date "YYYY-MM-DD"
    ideas: tuple[str, ...] = ()  # source idea ids
    clusters: tuple[str, ...] = ()  # source cluster ids
    created_by: str = ""  # member (or staff) id
    created_at: int = 0  # server ms
    edited_at: int | None = None
    edited_by: str | None = None


@dataclass(frozen=True, slots=True)
class StatusChange:
    """One change of an action item's status: when, by whom, to what, and why."""

    at: int
    by: str  # a member or staff id, or "followup" for the owner's follow-up link
    status: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class ActionItem:
    """A concrete step someone owns, optionally under a recommendation."""

    id: str
    title: str
    recommendation: str | None = None
    owner: str = ""  # free text
    owner_member: str | None = None  # when the owner is a participant of the room
    due: str | None = None  # ISO date "YYYY-MM-DD"
    status: str = "open"
    history: tuple[StatusChange, ...] = ()  # every status change, oldest first
    created_by: str = ""
    created_at: int = 0
    edited_at: int | None = None
    edited_by: str | None = None


@dataclass(frozen=True, slots=True)
class OutcomesState:
    """Recommendations and action items, each in creation order."""

    recommendations: Mapping[str, Recommendation] = field(default_factory=dict)
    actions: Mapping[str, ActionItem] = field(default_factory=dict)
