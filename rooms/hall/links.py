"""Facilitator links: handed out by the organizer, per room or for the whole forum, revocable.

A link is recorded here with an id, never with its token: the server signs a token naming the
link (``server/auth.py``), and every process refuses a token whose link this log says was
revoked, on its next message. The log says who may facilitate, the token only proves which
link a person holds.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from ..actors import Actor
from ..errors import ErrorCode, reject
from ..events import Event
from ..fields import Ref, Text, spec
from ..registry import ORGANIZER, Applier, CommandSpec, Decision, new_id, one

if TYPE_CHECKING:
    from .state import HallState


@dataclass(frozen=True, slots=True)
class Link:
    """A facilitator link: for one room, or for every room of the forum (room None)."""

    id: str
    room: str | None
    label: str
    issued_at: int
    revoked_at: int | None = None


def _issue(state: HallState, args: Mapping[str, Any], actor: Actor, now: int) -> Decision:
    room = args.get("room")
    if room is not None and state.agenda.room(room) is None:
        return reject(ErrorCode.NOT_FOUND, "no such room in the agenda")
    return one("link.issued", id=new_id(state, "k"), room=room, label=args["label"])


def _revoke(state: HallState, args: Mapping[str, Any], actor: Actor, now: int) -> Decision:
    link = state.links.get(args["id"])
    if link is None:
        return reject(ErrorCode.NOT_FOUND, "no such link")
    if link.revoked_at is not None:
        return reject(ErrorCode.INVALID_STATE, "the link is revoked already")
    return one("link.revoked", id=link.id)


def _apply_issued(state: HallState, e: Event) -> HallState:
    d = e.data
    return replace(state, links={**state.links, d["id"]: Link(d["id"], d["room"], d["label"],
                                                               e.at)})


def _apply_revoked(state: HallState, e: Event) -> HallState:
    link = state.links[e.data["id"]]
    return replace(state, links={**state.links, link.id: replace(link, revoked_at=e.at)})


def link_view(link: Link) -> dict[str, Any]:
    return {"id": link.id, "room": link.room, "label": link.label,
            "issued_at": link.issued_at, "revoked_at": link.revoked_at}


def revoked(state: HallState, link_id: str) -> bool:
    """Whether a token naming ``link_id`` is refused: revoked, or never issued by this hall."""
    link = state.links.get(link_id)
    return link is None or link.revoked_at is not None


COMMANDS = (
    CommandSpec("link.issue", spec({"label": Text(80)}, {"room": Ref(nullable=True)}),
                ORGANIZER, _issue),
    CommandSpec("link.revoke", spec({"id": Ref()}), ORGANIZER, _revoke),
)

APPLIERS: dict[str, Applier] = {
    "link.issued": _apply_issued,
    "link.revoked": _apply_revoked,
}
