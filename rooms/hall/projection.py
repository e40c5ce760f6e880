"""What each audience of a hall may see: snapshots and event views per audience and viewer.

The forum's settings, agenda and "now" are for everyone. Members' profiles and facilitator
links are for the staff (organizer and facilitators); others see a member's name only. Each
plenary slice (questions, polls, room assignment) says itself how its events are seen, who sees
them their own way, and whether their author is shown (``rooms/hall/questions.py`` and its
siblings); this composes them.
"""

from __future__ import annotations

from typing import Any, Protocol

from ..audience import Audience
from ..events import Event
from ..projection import REDACTED, member_view
from . import agenda, assignment, evaluation, networking, polls, questions
from .labels import label_view
from .links import link_view
from .state import HallState


class ViewedSlice(Protocol):
    """What a hall slice with views of its own provides (see ``rooms/hall/questions.py``)."""

    def view(self, state: HallState, audience: Audience,
             viewer: str | None) -> dict[str, Any]: ...

    def event_view(self, state: HallState, event: Event, audience: Audience,
                   viewer: str | None) -> dict[str, Any] | None: ...

    def subjects(self, state: HallState, event: Event) -> set[str]: ...

    def actor_view(self, state: HallState, event: Event, audience: Audience,
                   viewer: str | None) -> str | None: ...

    def own_view(self, state: HallState, viewer: str) -> bool: ...


_SLICES: tuple[ViewedSlice, ...] = (questions, polls, assignment, networking, evaluation)
_STAFF_ONLY = {"link.issued", "link.revoked"}


def snapshot(state: HallState, audience: Audience, viewer: str | None,
             members: bool = True) -> dict[str, Any]:
    """The whole hall as ``viewer`` (a member id, or None) in ``audience`` may see it."""
    staff = audience is Audience.FACILITATOR
    f = state.forum
    view: dict[str, Any] = {
        "hall": {"id": state.id, "title": f.title, "topic": f.topic,
                 "label": label_view(f.label)},
        "seq": state.seq,
        "agenda": agenda.view(state, settings=staff),
    }
    if staff:
        view["links"] = [link_view(link) for link in state.links.values()]
    for part in _SLICES:
        view.update(part.view(state, audience, viewer))
    if members:
        view["members"] = [member_view(m, audience) for m in state.members.values()]
    return view


def event_view(state: HallState, event: Event, audience: Audience,
               viewer: str | None) -> dict[str, Any]:
    """The data of ``event`` (already applied to ``state``) as ``viewer`` may see it."""
    for part in _SLICES:
        seen = part.event_view(state, event, audience, viewer)
        if seen is not None:
            return seen
    data: dict[str, Any] = event.data
    if audience is Audience.FACILITATOR:
        return data
    if event.name in _STAFF_ONLY:
        return REDACTED
    if event.name == "member.joined":
        return {"id": event.data["id"], "name": event.data["name"]}
    if event.name in ("session.added", "session.room_added"):
        return _without_settings(data)
    return data


def _without_settings(data: dict[str, Any]) -> dict[str, Any]:
    # Room settings (phases, voting) are the organizer's plan; the agenda shows the rest.
    def bare(room: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in room.items() if k != "settings"}
    if "rooms" in data:
        return {**data, "rooms": [bare(r) for r in data["rooms"]]}
    return {**data, "room": bare(data["room"])}


def subjects(state: HallState, event: Event) -> set[str]:
    """Members who may see ``event`` differently from the rest of their audience."""
    return set().union(*(part.subjects(state, event) for part in _SLICES))


def actor_view(state: HallState, event: Event, audience: Audience, viewer: str | None) -> str:
    """Who ``event`` is shown as coming from (an anonymous author: nobody, in every view)."""
    for part in _SLICES:
        shown = part.actor_view(state, event, audience, viewer)
        if shown is not None:
            return shown
    actor: str = event.actor
    return actor


def shares_view(state: HallState, viewer: str) -> bool:
    """Whether ``viewer`` sees the same snapshot as a participant with nothing of their own."""
    return not any(part.own_view(state, viewer) for part in _SLICES)
