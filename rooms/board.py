"""The idea board: ideas, comments, reactions and clusters.

Facilitators cluster at any time; participants too in a phase that allows ``clusters`` (move any
idea they see, make a cluster, also of two cards dropped on each other); renaming and deleting
clusters stays with the facilitator.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from .actors import Actor, Role
from .errors import ErrorCode, Rejection, reject
from .events import Draft, Event
from .fields import Choice, FieldError, Flag, Ref, Text, spec
from .registry import FACILITATOR, PEOPLE, Applier, CommandSpec, Decision, new_id, one
from .state import REACTIONS, BoardState, Cluster, Comment, Idea, RoomState

IDEA_TEXT = Text(1000)
COMMENT_TEXT = Text(1000)
CLUSTER_TITLE = Text(120)
MAX_IDEAS = 2000  # bounds a room's state; far above what a two-hour session produces
MAX_COMMENTS = 200  # per idea
MAX_CLUSTERS = 100
MAX_GATHERED = 50  # ideas one cluster.create may gather


class _IdeaIds:
    """A list of 1 to MAX_GATHERED distinct idea ids."""

    def check(self, name: str, value: object) -> tuple[str, ...]:
        if not isinstance(value, list) or not 0 < len(value) <= MAX_GATHERED:
            raise FieldError(f"'{name}' must be a list of 1 to {MAX_GATHERED} idea ids")
        ids = tuple(Ref().check(name, v) or "" for v in value)
        if len(set(ids)) != len(ids):
            raise FieldError(f"'{name}' names an idea twice")
        return ids


def _find(state: RoomState, idea_id: str, actor: Actor) -> Idea | Rejection:
    idea = state.visible_idea(idea_id, actor.id, actor.role is Role.FACILITATOR)
    return idea if idea is not None else reject(ErrorCode.NOT_FOUND, "no such idea")


def _own(idea: Idea, actor: Actor, what: str) -> Rejection | None:
    if actor.role is Role.FACILITATOR or idea.author == actor.id:
        return None
    return reject(ErrorCode.FORBIDDEN, f"only the author or a facilitator may {what} this idea")


def _add(state: RoomState, args: Mapping[str, Any], actor: Actor, now: int) -> Decision:
    if len(state.board.ideas) >= MAX_IDEAS:
        return reject(ErrorCode.INVALID_STATE, f"a room holds at most {MAX_IDEAS} ideas")
    return one("idea.added", id=new_id(state, "i"), author=actor.id, text=args["text"])


def _edit(state: RoomState, args: Mapping[str, Any], actor: Actor, now: int) -> Decision:
    idea = _find(state, args["id"], actor)
    if isinstance(idea, Rejection):
        return idea
    if denied := _own(idea, actor, "edit"):
        return denied
    if idea.text == args["text"]:
        return reject(ErrorCode.INVALID_STATE, "the idea already has this text")
    return one("idea.edited", id=idea.id, author=idea.author, text=args["text"])


def _delete(state: RoomState, args: Mapping[str, Any], actor: Actor, now: int) -> Decision:
    idea = _find(state, args["id"], actor)
    if isinstance(idea, Rejection):
        return idea
    if denied := _own(idea, actor, "delete"):
        return denied
    return one("idea.deleted", id=idea.id, author=idea.author, hidden=idea.hidden)


def _hide(state: RoomState, args: Mapping[str, Any], actor: Actor, now: int) -> Decision:
    idea = _find(state, args["id"], actor)
    if isinstance(idea, Rejection):
        return idea
    if idea.hidden == args["hidden"]:
        return reject(ErrorCode.INVALID_STATE, "the idea is " + ("hidden" if idea.hidden
                                                                    else "visible") + " already")
    return one("idea.hidden", id=idea.id, author=idea.author, hidden=args["hidden"])


def _comment(state: RoomState, args: Mapping[str, Any], actor: Actor, now: int) -> Decision:
    idea = _find(state, args["idea"], actor)
    if isinstance(idea, Rejection):
        return idea
    if len(idea.comments) >= MAX_COMMENTS:
        return reject(ErrorCode.INVALID_STATE, f"an idea holds at most {MAX_COMMENTS} comments")
    return one("comment.added", idea=idea.id, id=new_id(state, "c"), author=actor.id,
               text=args["text"])


def _uncomment(state: RoomState, args: Mapping[str, Any], actor: Actor, now: int) -> Decision:
    idea = _find(state, args["idea"], actor)
    if isinstance(idea, Rejection):
        return idea
    comment = next((c for c in idea.comments if c.id == args["id"]), None)
    if comment is None:
        return reject(ErrorCode.NOT_FOUND, "no such comment")
    if actor.role is not Role.FACILITATOR and comment.author != actor.id:
        return reject(ErrorCode.FORBIDDEN, "only the author or a facilitator may delete it")
    return one("comment.deleted", idea=idea.id, id=comment.id, author=comment.author)


def _react(state: RoomState, args: Mapping[str, Any], actor: Actor, now: int) -> Decision:
    idea = _find(state, args["idea"], actor)
    if isinstance(idea, Rejection):
        return idea
    on = actor.id not in idea.reactions.get(args["reaction"], ())
    return one("reaction.toggled", idea=idea.id, reaction=args["reaction"], by=actor.id, on=on)


def _cluster_create(state: RoomState, args: Mapping[str, Any], actor: Actor,
                    now: int) -> Decision:
    if len(state.board.clusters) >= MAX_CLUSTERS:
        return reject(ErrorCode.INVALID_STATE, f"a room has at most {MAX_CLUSTERS} clusters")
    cluster = new_id(state, "k")
    drafts = [Draft("cluster.created", {"id": cluster, "title": args["title"]})]
    for idea_id in args.get("ideas", ()):  # gathered in the same step: one drop, one cluster
        idea = _find(state, idea_id, actor)
        if isinstance(idea, Rejection):
            return idea
        drafts.append(Draft("idea.moved", {"id": idea.id, "author": idea.author,
                                           "cluster": cluster}))
    return drafts


def _cluster_rename(state: RoomState, args: Mapping[str, Any], actor: Actor,
                    now: int) -> Decision:
    if args["id"] not in state.board.clusters:
        return reject(ErrorCode.NOT_FOUND, "no such cluster")
    return one("cluster.renamed", id=args["id"], title=args["title"])


def _cluster_delete(state: RoomState, args: Mapping[str, Any], actor: Actor,
                    now: int) -> Decision:
    if args["id"] not in state.board.clusters:
        return reject(ErrorCode.NOT_FOUND, "no such cluster")
    return one("cluster.deleted", id=args["id"])


def _move(state: RoomState, args: Mapping[str, Any], actor: Actor, now: int) -> Decision:
    idea = _find(state, args["id"], actor)
    if isinstance(idea, Rejection):
        return idea
    cluster = args["cluster"]
    if cluster is not None and cluster not in state.board.clusters:
        return reject(ErrorCode.NOT_FOUND, "no such cluster")
    if idea.cluster == cluster:
        return reject(ErrorCode.INVALID_STATE, "the idea is there already")
    return one("idea.moved", id=idea.id, author=idea.author, cluster=cluster)


# Appliers: each returns a new BoardState inside a new RoomState --------------------------------


def _with_board(state: RoomState, **changes: Any) -> RoomState:
    return replace(state, board=replace(state.board, **changes))


def _with_idea(state: RoomState, idea: Idea) -> RoomState:
    return _with_board(state, ideas={**state.board.ideas, idea.id: idea})


def _apply_added(state: RoomState, e: Event) -> RoomState:
    return _with_idea(state, Idea(e.data["id"], e.data["author"], e.data["text"], e.at))


def _apply_edited(state: RoomState, e: Event) -> RoomState:
    idea = state.board.ideas[e.data["id"]]
    return _with_idea(state, replace(idea, text=e.data["text"], edited_at=e.at))


def _apply_deleted(state: RoomState, e: Event) -> RoomState:
    ideas = {k: v for k, v in state.board.ideas.items() if k != e.data["id"]}
    # The dots on a deleted idea go back to their voters' budgets.
    ballots = {voter: tuple(i for i in ballot if i != e.data["id"])
               for voter, ballot in state.voting.ballots.items()}
    return replace(state, board=replace(state.board, ideas=ideas),
                   voting=replace(state.voting, ballots={k: v for k, v in ballots.items() if v}))


def _apply_hidden(state: RoomState, e: Event) -> RoomState:
    idea = state.board.ideas[e.data["id"]]
    return _with_idea(state, replace(idea, hidden=e.data["hidden"]))


def _apply_comment(state: RoomState, e: Event) -> RoomState:
    idea = state.board.ideas[e.data["idea"]]
    comment = Comment(e.data["id"], e.data["author"], e.data["text"], e.at)
    return _with_idea(state, replace(idea, comments=(*idea.comments, comment)))


def _apply_uncomment(state: RoomState, e: Event) -> RoomState:
    idea = state.board.ideas[e.data["idea"]]
    comments = tuple(c for c in idea.comments if c.id != e.data["id"])
    return _with_idea(state, replace(idea, comments=comments))


def _apply_reaction(state: RoomState, e: Event) -> RoomState:
    idea = state.board.ideas[e.data["idea"]]
    who = tuple(p for p in idea.reactions.get(e.data["reaction"], ()) if p != e.data["by"])
    if e.data["on"]:
        who = (*who, e.data["by"])
    reactions = {**idea.reactions, e.data["reaction"]: who}
    return _with_idea(state, replace(idea, reactions={k: v for k, v in reactions.items() if v}))


def _apply_cluster(state: RoomState, e: Event) -> RoomState:
    cluster = Cluster(e.data["id"], e.data["title"])
    return _with_board(state, clusters={**state.board.clusters, cluster.id: cluster})


def _apply_cluster_deleted(state: RoomState, e: Event) -> RoomState:
    gone = e.data["id"]
    ideas = {k: replace(v, cluster=None) if v.cluster == gone else v
             for k, v in state.board.ideas.items()}
    clusters = {k: v for k, v in state.board.clusters.items() if k != gone}
    return replace(state, board=BoardState(ideas, clusters))


def _apply_moved(state: RoomState, e: Event) -> RoomState:
    idea = state.board.ideas[e.data["id"]]
    return _with_idea(state, replace(idea, cluster=e.data["cluster"]))


COMMANDS = (
    CommandSpec("idea.add", spec({"text": IDEA_TEXT}), PEOPLE, _add, "ideas"),
    CommandSpec("idea.edit", spec({"id": Ref(), "text": IDEA_TEXT}), PEOPLE, _edit, "ideas"),
    CommandSpec("idea.delete", spec({"id": Ref()}), PEOPLE, _delete, "ideas"),
    CommandSpec("idea.hide", spec({"id": Ref(), "hidden": Flag()}), FACILITATOR, _hide),
    CommandSpec("idea.move", spec({"id": Ref(), "cluster": Ref(nullable=True)}), PEOPLE, _move,
                "clusters"),
    CommandSpec("comment.add", spec({"idea": Ref(), "text": COMMENT_TEXT}), PEOPLE, _comment,
                "comments"),
    CommandSpec("comment.delete", spec({"idea": Ref(), "id": Ref()}), PEOPLE, _uncomment,
                "comments"),
    CommandSpec("reaction.toggle", spec({"idea": Ref(), "reaction": Choice(REACTIONS)}), PEOPLE,
                _react, "reactions"),
    CommandSpec("cluster.create", spec({"title": CLUSTER_TITLE}, {"ideas": _IdeaIds()}), PEOPLE,
                _cluster_create, "clusters"),
    CommandSpec("cluster.rename", spec({"id": Ref(), "title": CLUSTER_TITLE}), FACILITATOR,
                _cluster_rename),
    CommandSpec("cluster.delete", spec({"id": Ref()}), FACILITATOR, _cluster_delete),
)

APPLIERS: dict[str, Applier] = {
    "idea.added": _apply_added,
    "idea.edited": _apply_edited,
    "idea.deleted": _apply_deleted,
    "idea.hidden": _apply_hidden,
    "idea.moved": _apply_moved,
    "comment.added": _apply_comment,
    "comment.deleted": _apply_uncomment,
    "reaction.toggled": _apply_reaction,
    "cluster.created": _apply_cluster,
    "cluster.renamed": _apply_cluster,
    "cluster.deleted": _apply_cluster_deleted,
}
