"""Outcomes of a room: recommendations made from its top-voted ideas or clusters, and action
items that carry them out.

Everyone in the room may see them (they are the room's shared work); participants write them
when the phase allows ``outcomes``, staff always. Recommendations are co-edited live: an edit
names only the fields it changes and each field is last-writer-wins, so two people typing in
two fields never overwrite each other. An action item's status changes are all kept in its
history (when, by whom, to what, why); its owner-participant may change its status in any
phase, and after the event its owner does so through a follow-up link (the server sends
``action.status`` as the ``followup`` actor, see server/followup_api.py).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from .actors import Actor, Role
from .audience import Audience
from .errors import ErrorCode, Rejection, reject
from .events import Event
from .fields import Field, FieldError, Ref, Text, spec
from .outcomes_state import (
    ACTION_FIELDS,
    RECOMMENDATION_FIELDS,
    STATUSES,
    ActionItem,
    OutcomesState,
    Recommendation,
    StatusChange,
)
from .registry import FACILITATOR, PEOPLE, Applier, CommandSpec, Decision, new_id, one
from .state import RoomState

MAX_RECOMMENDATIONS = 100  # a room's session yields a handful; this bounds the state
MAX_ACTIONS = 300
MAX_SOURCES = 50  # ideas or clusters one recommendation rests on
FOLLOWUP_ACTOR = "followup"  # who a change made through an owner's follow-up link is by

TITLE = Text(200)
LONG_TEXT = Text(4000, min_len=0)
OWNER = Text(200, min_len=0)
NOTE = Text(1000, min_len=0)


@dataclass(frozen=True, slots=True)
class IsoDate:
    """A calendar date as ISO "YYYY-MM-DD", or null (no due date)."""

    def check(self, name: str, value: object) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str) or len(value) != 10:
            raise FieldError(f"'{name}' must be a date as YYYY-MM-DD, or null")
        try:
            return datetime.date.fromisoformat(value).isoformat()
        except ValueError as error:
            raise FieldError(f"'{name}' must be a date as YYYY-MM-DD, or null") from error


@dataclass(frozen=True, slots=True)
class Status:
    """One of an action item's statuses."""

    def check(self, name: str, value: object) -> str:
        if not isinstance(value, str) or value not in STATUSES:
            raise FieldError(f"'{name}' must be one of: {', '.join(STATUSES)}")
        return value


@dataclass(frozen=True, slots=True)
class RefList:
    """A list of distinct ids (ideas, clusters), at most ``max_len``."""

    max_len: int

    def check(self, name: str, value: object) -> tuple[str, ...]:
        if not isinstance(value, list) or len(value) > self.max_len:
            raise FieldError(f"'{name}' must be a list of at most {self.max_len} ids")
        ids = tuple(Ref().check(name, v) or "" for v in value)
        if len(set(ids)) != len(ids):
            raise FieldError(f"'{name}' names an id twice")
        return ids


DATE = IsoDate()
_REC_FIELDS: dict[str, Field] = {"title": TITLE, "rationale": LONG_TEXT,
                                 "action": LONG_TEXT, "owner": OWNER, "due": DATE}
_ACTION_FIELDS: dict[str, Field] = {"title": TITLE, "owner": OWNER,
                                    "owner_member": Ref(nullable=True), "due": DATE,
                                    "recommendation": Ref(nullable=True)}


# Rules --------------------------------------------------------------------------------------


def _staff(actor: Actor) -> bool:
    return actor.role is Role.FACILITATOR


def _sources(state: RoomState, ideas: tuple[str, ...], clusters: tuple[str, ...],
             actor: Actor) -> Rejection | None:
    """Why the sources may not be used: each must exist and be visible to the actor."""
    for idea in ideas:
        if state.visible_idea(idea, actor.id, _staff(actor)) is None:
            return reject(ErrorCode.NOT_FOUND, f"no such idea '{idea}'")
    for cluster in clusters:
        if cluster not in state.board.clusters:
            return reject(ErrorCode.NOT_FOUND, f"no such cluster '{cluster}'")
    return None


def _create(state: RoomState, args: Mapping[str, Any], actor: Actor, now: int) -> Decision:
    if len(state.outcomes.recommendations) >= MAX_RECOMMENDATIONS:
        return reject(ErrorCode.INVALID_STATE,
                      f"a room holds at most {MAX_RECOMMENDATIONS} recommendations")
    ideas, clusters = args.get("ideas", ()), args.get("clusters", ())
    if denied := _sources(state, ideas, clusters, actor):
        return denied
    fields = {k: args[k] for k in RECOMMENDATION_FIELDS if k in args}
    return one("recommendation.created", id=new_id(state, "r"), **fields, ideas=list(ideas),
               clusters=list(clusters))


def _find_rec(state: RoomState, rec_id: str) -> Recommendation | Rejection:
    rec = state.outcomes.recommendations.get(rec_id)
    return rec if rec is not None else reject(ErrorCode.NOT_FOUND, "no such recommendation")


def _edit(state: RoomState, args: Mapping[str, Any], actor: Actor, now: int) -> Decision:
    rec = _find_rec(state, args["id"])
    if isinstance(rec, Rejection):
        return rec
    changed = {k: args[k] for k in RECOMMENDATION_FIELDS
               if k in args and args[k] != getattr(rec, k)}
    if not changed:
        return reject(ErrorCode.INVALID_STATE, "the recommendation already says this")
    return one("recommendation.edited", id=rec.id, **changed)


def _link(state: RoomState, args: Mapping[str, Any], actor: Actor, now: int) -> Decision:
    rec = _find_rec(state, args["id"])
    if isinstance(rec, Rejection):
        return rec
    ideas = tuple(i for i in args.get("ideas", ()) if i not in rec.ideas)
    clusters = tuple(c for c in args.get("clusters", ()) if c not in rec.clusters)
    if not ideas and not clusters:
        return reject(ErrorCode.INVALID_STATE, "these sources are linked already")
    if len(rec.ideas) + len(ideas) > MAX_SOURCES or len(rec.clusters) + len(clusters) > \
            MAX_SOURCES:
        return reject(ErrorCode.INVALID_STATE,
                      f"a recommendation rests on at most {MAX_SOURCES} ideas and clusters")
    if denied := _sources(state, ideas, clusters, actor):
        return denied
    return one("recommendation.linked", id=rec.id, ideas=list(ideas), clusters=list(clusters))


def _unlink(state: RoomState, args: Mapping[str, Any], actor: Actor, now: int) -> Decision:
    rec = _find_rec(state, args["id"])
    if isinstance(rec, Rejection):
        return rec
    ideas = [i for i in args.get("ideas", ()) if i in rec.ideas]
    clusters = [c for c in args.get("clusters", ()) if c in rec.clusters]
    if not ideas and not clusters:
        return reject(ErrorCode.INVALID_STATE, "none of these sources is linked")
    return one("recommendation.unlinked", id=rec.id, ideas=ideas, clusters=clusters)


def _delete(state: RoomState, args: Mapping[str, Any], actor: Actor, now: int) -> Decision:
    rec = _find_rec(state, args["id"])
    if isinstance(rec, Rejection):
        return rec
    if not _staff(actor) and rec.created_by != actor.id:
        return reject(ErrorCode.FORBIDDEN,
                      "only who made it or a facilitator may delete a recommendation")
    return one("recommendation.deleted", id=rec.id)


def _action_refs(state: RoomState, args: Mapping[str, Any]) -> Rejection | None:
    rec = args.get("recommendation")
    if rec is not None and rec not in state.outcomes.recommendations:
        return reject(ErrorCode.NOT_FOUND, "no such recommendation")
    member = args.get("owner_member")
    if member is not None and member not in state.members:
        return reject(ErrorCode.NOT_FOUND, "the owner is not a member of this room")
    return None


def _add_action(state: RoomState, args: Mapping[str, Any], actor: Actor, now: int) -> Decision:
    if len(state.outcomes.actions) >= MAX_ACTIONS:
        return reject(ErrorCode.INVALID_STATE, f"a room holds at most {MAX_ACTIONS} action items")
    if denied := _action_refs(state, args):
        return denied
    fields = {k: args[k] for k in ACTION_FIELDS if k in args}
    return one("action.added", id=new_id(state, "a"), **fields)


def _find_action(state: RoomState, action_id: str) -> ActionItem | Rejection:
    item = state.outcomes.actions.get(action_id)
    return item if item is not None else reject(ErrorCode.NOT_FOUND, "no such action item")


def _edit_action(state: RoomState, args: Mapping[str, Any], actor: Actor,
                 now: int) -> Decision:
    item = _find_action(state, args["id"])
    if isinstance(item, Rejection):
        return item
    changed = {k: args[k] for k in ACTION_FIELDS if k in args and args[k] != getattr(item, k)}
    if not changed:
        return reject(ErrorCode.INVALID_STATE, "the action item already says this")
    if denied := _action_refs(state, changed):
        return denied
    return one("action.edited", id=item.id, **changed)


def _status(state: RoomState, args: Mapping[str, Any], actor: Actor, now: int) -> Decision:
    item = _find_action(state, args["id"])
    if isinstance(item, Rejection):
        return item
    # Not gated by the phase: the owner reports progress after the event too.
    if actor.role is Role.PARTICIPANT and item.owner_member != actor.id \
            and not state.phases.allows("outcomes"):
        label = state.phases.phase.label if state.phases.phase else "current"
        return reject(ErrorCode.PHASE_CLOSED, f"the {label} phase does not allow changing "
                      "action items; their owner still may")
    note = args.get("note", "")
    if args["status"] == item.status and not note:
        return reject(ErrorCode.INVALID_STATE,
                      f"the action item is {item.status} already (add a note to report on it)")
    return one("action.status_changed", id=item.id, status=args["status"], note=note,
               previous=item.status)


def _delete_action(state: RoomState, args: Mapping[str, Any], actor: Actor,
                   now: int) -> Decision:
    item = _find_action(state, args["id"])
    if isinstance(item, Rejection):
        return item
    return one("action.deleted", id=item.id)


# Appliers -----------------------------------------------------------------------------------


def _with(state: RoomState, **changes: Any) -> RoomState:
    return replace(state, outcomes=replace(state.outcomes, **changes))


def _put_rec(state: RoomState, rec: Recommendation) -> RoomState:
    return _with(state, recommendations={**state.outcomes.recommendations, rec.id: rec})


def _put_action(state: RoomState, item: ActionItem) -> RoomState:
    return _with(state, actions={**state.outcomes.actions, item.id: item})


def _apply_created(state: RoomState, e: Event) -> RoomState:
    d = e.data
    fields = {k: d[k] for k in RECOMMENDATION_FIELDS if k in d}
    return _put_rec(state, Recommendation(
        id=d["id"], **fields, ideas=tuple(d["ideas"]), clusters=tuple(d["clusters"]),
        created_by=e.actor, created_at=e.at))


def _apply_edited(state: RoomState, e: Event) -> RoomState:
    rec = state.outcomes.recommendations[e.data["id"]]
    fields = {k: e.data[k] for k in RECOMMENDATION_FIELDS if k in e.data}
    return _put_rec(state, replace(rec, **fields, edited_at=e.at, edited_by=e.actor))


def _apply_linked(state: RoomState, e: Event) -> RoomState:
    rec = state.outcomes.recommendations[e.data["id"]]
    return _put_rec(state, replace(rec, ideas=(*rec.ideas, *e.data["ideas"]),
                                   clusters=(*rec.clusters, *e.data["clusters"]),
                                   edited_at=e.at, edited_by=e.actor))


def _apply_unlinked(state: RoomState, e: Event) -> RoomState:
    rec = state.outcomes.recommendations[e.data["id"]]
    return _put_rec(state, replace(
        rec, ideas=tuple(i for i in rec.ideas if i not in e.data["ideas"]),
        clusters=tuple(c for c in rec.clusters if c not in e.data["clusters"]),
        edited_at=e.at, edited_by=e.actor))


def _apply_deleted(state: RoomState, e: Event) -> RoomState:
    gone = e.data["id"]
    recs = {k: v for k, v in state.outcomes.recommendations.items() if k != gone}
    # Its action items stay (someone may already be working on them), under no recommendation.
    actions = {k: replace(v, recommendation=None) if v.recommendation == gone else v
               for k, v in state.outcomes.actions.items()}
    return replace(state, outcomes=OutcomesState(recs, actions))


def _apply_action_added(state: RoomState, e: Event) -> RoomState:
    fields = {k: e.data[k] for k in ACTION_FIELDS if k in e.data}
    return _put_action(state, ActionItem(id=e.data["id"], **fields, created_by=e.actor,
                                         created_at=e.at))


def _apply_action_edited(state: RoomState, e: Event) -> RoomState:
    item = state.outcomes.actions[e.data["id"]]
    fields = {k: e.data[k] for k in ACTION_FIELDS if k in e.data}
    return _put_action(state, replace(item, **fields, edited_at=e.at, edited_by=e.actor))


def _apply_status(state: RoomState, e: Event) -> RoomState:
    item = state.outcomes.actions[e.data["id"]]
    change = StatusChange(e.at, e.actor, e.data["status"], e.data["note"])
    return _put_action(state, replace(item, status=change.status,
                                      history=(*item.history, change)))


def _apply_action_deleted(state: RoomState, e: Event) -> RoomState:
    return _with(state, actions={k: v for k, v in state.outcomes.actions.items()
                                 if k != e.data["id"]})


_SOURCES: dict[str, Field] = {"ideas": RefList(MAX_SOURCES), "clusters": RefList(MAX_SOURCES)}
_STATUS_ROLES = PEOPLE | {Role.SYSTEM}  # the system: an owner's follow-up link

COMMANDS = (
    CommandSpec("recommendation.create",
                spec({"title": TITLE}, {**_REC_FIELDS, **_SOURCES}), PEOPLE, _create,
                "outcomes"),
    CommandSpec("recommendation.edit", spec({"id": Ref()}, _REC_FIELDS), PEOPLE, _edit,
                "outcomes"),
    CommandSpec("recommendation.link", spec({"id": Ref()}, _SOURCES), PEOPLE, _link,
                "outcomes"),
    CommandSpec("recommendation.unlink", spec({"id": Ref()}, _SOURCES), PEOPLE, _unlink,
                "outcomes"),
    CommandSpec("recommendation.delete", spec({"id": Ref()}), PEOPLE, _delete, "outcomes"),
    CommandSpec("action.add", spec({"title": TITLE}, _ACTION_FIELDS), PEOPLE, _add_action,
                "outcomes"),
    CommandSpec("action.edit", spec({"id": Ref()}, _ACTION_FIELDS), PEOPLE, _edit_action,
                "outcomes"),
    CommandSpec("action.status", spec({"id": Ref(), "status": Status()}, {"note": NOTE}),
                frozenset(_STATUS_ROLES), _status),
    CommandSpec("action.delete", spec({"id": Ref()}), FACILITATOR, _delete_action),
)

APPLIERS: dict[str, Applier] = {
    "recommendation.created": _apply_created,
    "recommendation.edited": _apply_edited,
    "recommendation.linked": _apply_linked,
    "recommendation.unlinked": _apply_unlinked,
    "recommendation.deleted": _apply_deleted,
    "action.added": _apply_action_added,
    "action.edited": _apply_action_edited,
    "action.status_changed": _apply_status,
    "action.deleted": _apply_action_deleted,
}


# Provenance and views -----------------------------------------------------------------------


def _source_ideas(state: RoomState, rec: Recommendation) -> list[str]:
    """The visible ideas a recommendation rests on, directly or through its clusters, once."""
    seen: dict[str, None] = {}
    for idea_id in rec.ideas:
        seen[idea_id] = None
    for cluster in rec.clusters:
        for idea in state.board.ideas.values():
            if idea.cluster == cluster:
                seen[idea.id] = None
    return [i for i in seen if (found := state.board.ideas.get(i)) and not found.hidden]


def support(state: RoomState, rec: Recommendation) -> dict[str, Any]:
    """What a recommendation rests on: its ideas with their votes, its clusters with their
    ideas, the total votes on all of them (each idea once) and who voted for them.

    For the server and exports only (it names voters, even in an anonymous vote): turn
    ``voters`` into counts (by sector, by country) before anyone sees them. Hidden and deleted
    ideas and deleted clusters are left out.
    """
    tallies = state.voting.tallies()

    def idea(idea_id: str) -> dict[str, Any]:
        i = state.board.ideas[idea_id]
        return {"id": i.id, "text": i.text, "votes": tallies.get(i.id, 0)}

    visible = _source_ideas(state, rec)
    clusters = [{"id": c, "title": state.board.clusters[c].title,
                 "ideas": [idea(i.id) for i in state.board.ideas.values()
                           if i.cluster == c and not i.hidden]}
                for c in rec.clusters if c in state.board.clusters]
    chosen = set(visible)
    voters = [voter for voter, ballot in state.voting.ballots.items()
              if any(i in chosen for i in ballot)]
    return {"ideas": [idea(i) for i in rec.ideas if i in chosen], "clusters": clusters,
            "votes": sum(tallies.get(i, 0) for i in visible), "voters": voters}


def recommendation_view(state: RoomState, rec: Recommendation, audience: Audience,
                        viewer: str | None) -> dict[str, Any]:
    """A recommendation as ``viewer`` may see it: its vote total only when votes are shown."""
    staff = audience is Audience.FACILITATOR
    view: dict[str, Any] = {
        "id": rec.id, "title": rec.title, "rationale": rec.rationale, "action": rec.action,
        "owner": rec.owner, "due": rec.due,
        "ideas": [i for i in rec.ideas if state.visible_idea(i, viewer, staff) is not None],
        "clusters": [c for c in rec.clusters if c in state.board.clusters],
        "created_by": rec.created_by, "created_at": rec.created_at,
        "edited_at": rec.edited_at, "edited_by": rec.edited_by,
    }
    if staff or state.voting.revealed:
        view["votes"] = support(state, rec)["votes"]
    return view


def action_view(item: ActionItem) -> dict[str, Any]:
    """An action item as JSON, its whole history included."""
    return {"id": item.id, "title": item.title, "recommendation": item.recommendation,
            "owner": item.owner, "owner_member": item.owner_member, "due": item.due,
            "status": item.status,
            "history": [{"at": h.at, "by": h.by, "status": h.status, "note": h.note}
                        for h in item.history],
            "created_by": item.created_by, "created_at": item.created_at,
            "edited_at": item.edited_at, "edited_by": item.edited_by}


def outcomes_view(state: RoomState, audience: Audience, viewer: str | None) -> dict[str, Any]:
    """The room's recommendations and action items, as everyone in it may see them."""
    return {"recommendations": [recommendation_view(state, r, audience, viewer)
                                for r in state.outcomes.recommendations.values()],
            "actions": [action_view(a) for a in state.outcomes.actions.values()]}
