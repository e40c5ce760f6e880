"""The forum's own settings in its hall: title, topic and confidentiality label.

The hall is created with them (and, from a template, its whole agenda) in one command, so that
a forum is never half made. Only the organizer changes them; a label change is an event of its
own, so every output can say which label was in force when.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from ..actors import Actor
from ..errors import ErrorCode, Rejection, reject
from ..events import Draft, Event
from ..fields import Choice, Text, spec
from ..registry import ORGANIZER, SYSTEM_ONLY, Applier, CommandSpec, Decision, one
from . import agenda, polls
from .labels import DEFAULT_LABEL, LABELS

if TYPE_CHECKING:
    from .state import HallState

TITLE = Text(160)
TOPIC = Text(2000, min_len=0)
LABEL = Choice(tuple(LABELS))


@dataclass(frozen=True, slots=True)
class ForumSettings:
    """What every screen of the forum shows: its title, its topic and its label."""

    title: str = ""
    topic: str = ""
    label: str = DEFAULT_LABEL


def _create(state: HallState, args: Mapping[str, Any], actor: Actor, now: int) -> Decision:
    if state.created:
        return reject(ErrorCode.INVALID_STATE, "the hall exists already")
    drafts = [Draft("hall.created", {"title": args["title"], "topic": args.get("topic", ""),
                                     "label": args.get("label", DEFAULT_LABEL)})]
    # The agenda of a template comes with the hall: its sessions (and the polls prepared with
    # them) are added by the same rules as one by one, in order.
    for position, session in enumerate(args.get("sessions", [])):
        added = agenda.added(state.id, state.seq + len(drafts) + 1, session, position)
        drafts.append(added)
        for i, poll in enumerate(session.get("polls", [])):
            made = polls.prepared(state, state.seq + len(drafts) + 1, added.data["id"], poll)
            if isinstance(made, Rejection):
                return reject(made.code, f"session {position + 1}, poll {i + 1}: {made.message}")
            drafts.append(made)
    return drafts


def _update(state: HallState, args: Mapping[str, Any], actor: Actor, now: int) -> Decision:
    if not args:
        return reject(ErrorCode.INVALID_ARGS, "nothing to change: give a title or a topic")
    return one("forum.updated", **args)


def _label(state: HallState, args: Mapping[str, Any], actor: Actor, now: int) -> Decision:
    if args["label"] == state.forum.label:
        return reject(ErrorCode.INVALID_STATE, f"the label is {args['label']} already")
    return one("label.changed", label=args["label"], was=state.forum.label)


def _apply_created(state: HallState, e: Event) -> HallState:
    d = e.data
    return replace(state, forum=ForumSettings(d["title"], d["topic"], d["label"]))


def _apply_updated(state: HallState, e: Event) -> HallState:
    f = state.forum
    return replace(state, forum=replace(f, title=e.data.get("title", f.title),
                                        topic=e.data.get("topic", f.topic)))


def _apply_label(state: HallState, e: Event) -> HallState:
    return replace(state, forum=replace(state.forum, label=e.data["label"]))


COMMANDS = (
    CommandSpec("hall.create", spec({"title": TITLE}, {
        "topic": TOPIC, "label": LABEL,
        "sessions": agenda.SessionList({"polls": polls.PreparedPolls()})}), SYSTEM_ONLY, _create),
    CommandSpec("forum.update", spec(optional={"title": TITLE, "topic": TOPIC}), ORGANIZER,
                _update),
    CommandSpec("label.set", spec({"label": LABEL}), ORGANIZER, _label),
)

APPLIERS: dict[str, Applier] = {
    "hall.created": _apply_created,
    "forum.updated": _apply_updated,
    "label.changed": _apply_label,
}
