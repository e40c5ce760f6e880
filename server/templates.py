"""Templates: a forum's format (label, agenda, rooms and their settings), kept to run it again.

A template is what ``POST /api/forums`` takes, minus the date: the title, topic and label, and
the ``sessions`` of the agenda with their rooms, challenges, capacities and room settings
(phases, budget, cap, anonymous). A forum made from it may give its own title and topic (the
same format for another topic). Planned starts are left out: they are dates of one event.

Templates are built in (the pilot format, ``pilot``) or saved by an organizer from a forum's
hall as it is now, edits during the event included. They hold no personal data: no members,
questions, answers or links. The vocabulary (sectors, countries) is deployment-wide today, so a
saved template records the one it was made with, for information: a forum made from it uses
the deployment's vocabulary (see docs/protocol.md, "Templates").
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from rooms.fields import FieldError, Ref
from rooms.hall.agenda import Session, SessionRoom
from rooms.hall.polls import Poll
from rooms.hall.state import HallState
from rooms.profiles import Vocabulary

from .store.base import Store, TemplateRecord

BUILTIN_CREATED_AT = 0  # built-in templates are as old as the server


class TemplateError(ValueError):
    """A forum asked for a template that does not exist, or with fields that contradict it."""


# What a template holds -----------------------------------------------------------------------


def format_of(state: HallState, vocabulary: Vocabulary) -> dict[str, Any]:
    """The format of a hall as it is now: its settings, agenda and the vocabulary in force."""
    vocab = vocabulary.to_json()
    return {"title": state.forum.title, "topic": state.forum.topic, "label": state.forum.label,
            "sessions": [_session(state, s) for s in state.agenda.sessions],
            "vocabulary": {"sectors": vocab["sectors"], "countries": vocab["countries"]}}


def _session(state: HallState, session: Session) -> dict[str, Any]:
    out: dict[str, Any] = {"kind": session.kind, "title": session.title,
                           "minutes": session.minutes}
    if session.rooms:
        out["rooms"] = [_room(r) for r in session.rooms]
    # The polls prepared for the session, as poll.create takes them: their questions, not
    # their answers (a template holds no one's data).
    prepared = [_poll(p) for p in state.polls.polls.values() if p.session == session.id]
    if prepared:
        out["polls"] = prepared
    return out


def _poll(poll: Poll) -> dict[str, Any]:
    out: dict[str, Any] = {"kind": poll.kind, "question": poll.question, "reveal": poll.reveal}
    if poll.options:
        out["options"] = [o.text for o in poll.options]
    if poll.kind in ("multiple", "wordcloud"):
        out["max"] = poll.max
    return out


def _room(room: SessionRoom) -> dict[str, Any]:
    out: dict[str, Any] = {"title": room.title, "challenge": room.challenge}
    if room.capacity is not None:
        out["capacity"] = room.capacity
    return {**out, **room.settings}  # phases, budget, cap, anonymous: as they were declared


# The pilot format: the one the product was made for (docs/protocol.md, "Templates").
PILOT = TemplateRecord("pilot", "Pilot forum: crisis communication", BUILTIN_CREATED_AT, {
    "title": "Crisis communication forum",
    "topic": "Crisis communication in the Baltic Sea Region: floods, forest fires and heat "
             "waves",
    "label": "chatham-house",
    "sessions": [
        {"kind": "plenary", "title": "Crisis communication: the common challenge",
         "minutes": 45, "polls": [
             {"kind": "wordcloud", "question": "In one or two words: what fails first when a "
              "crisis has to be communicated?", "max": 2, "reveal": "live"},
             {"kind": "rating", "question": "How ready is your organization to warn the "
              "public across borders and languages?", "reveal": "on_close"}]},
        {"kind": "hackathon", "title": "Risk-specific hackathons", "minutes": 120, "rooms": [
            {"title": "Floods", "capacity": 15, "challenge":
                "How can authorities, municipalities and businesses warn the people most at "
                "risk of a coming flood in time, and keep them informed until the water "
                "recedes?"},
            {"title": "Forest fires", "capacity": 15, "challenge":
                "How do we tell residents and visitors, across borders and languages, when to "
                "leave ahead of a forest fire, and keep rumours from outrunning the facts?"},
            {"title": "Heat waves", "capacity": 15, "challenge":
                "How do we reach older people, outdoor workers and others at risk during a "
                "heat wave, so that they act on the advice before they fall ill?"}]},
        {"kind": "networking", "title": "Cross-sectoral speed networking", "minutes": 30},
        {"kind": "evaluation", "title": "Evaluation", "minutes": 15},
    ],
    "vocabulary": None,  # a built-in template is made for whatever the deployment offers
}, builtin=True)

BUILTIN: Mapping[str, TemplateRecord] = {PILOT.id: PILOT}


# Finding and using templates -----------------------------------------------------------------


async def find(store: Store, template_id: str) -> TemplateRecord | None:
    """A built-in or saved template by id."""
    return BUILTIN.get(template_id) or await store.get_template(template_id)


async def every(store: Store) -> list[TemplateRecord]:
    """The built-in templates, then the saved ones, oldest first."""
    return [*BUILTIN.values(), *await store.list_templates()]


async def forum_body(store: Store, body: Mapping[str, Any]) -> dict[str, Any]:
    """A ``POST /api/forums`` body naming a ``template``, as the body with its agenda spelt out.

    ``title``, ``topic`` and ``label`` of the body replace the template's; the agenda is the
    template's alone, so giving ``sessions`` or ``rooms`` as well is refused.
    """
    try:
        template_id = Ref().check("template", body["template"])
    except FieldError as error:
        raise TemplateError(str(error)) from error
    if "sessions" in body or "rooms" in body:
        raise TemplateError("give a 'template' or its 'sessions' ('rooms'), not both")
    assert template_id is not None  # Ref() is not nullable
    template = await find(store, template_id)
    if template is None:
        raise TemplateError("'template': no template has this id")
    f = template.format
    made = {"title": f["title"], "topic": f["topic"], "label": f["label"],
            "sessions": copy.deepcopy(f["sessions"])}  # the built-ins are shared: keep them
    return {**made, **{k: body[k] for k in ("title", "topic", "label") if k in body}}


# As JSON -------------------------------------------------------------------------------------


def template_json(t: TemplateRecord) -> dict[str, Any]:
    """A whole template: what ``GET /api/templates/{template_id}`` answers."""
    return {"id": t.id, "name": t.name, "builtin": t.builtin, "created_at": t.created_at,
            **t.format}


def summary_json(t: TemplateRecord) -> dict[str, Any]:
    """A template in the list: enough to choose one (room titles, no challenges or settings)."""
    f = t.format
    return {"id": t.id, "name": t.name, "builtin": t.builtin, "created_at": t.created_at,
            "title": f["title"], "topic": f["topic"], "label": f["label"],
            "sessions": [{"kind": s["kind"], "title": s["title"], "minutes": s["minutes"],
                          "rooms": [r["title"] for r in s.get("rooms", [])]}
                         for s in f["sessions"]]}
