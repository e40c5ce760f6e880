"""What each audience may see: snapshots and event views per audience and viewer.

Votes stay hidden from participants and observers until the facilitator reveals them; a
participant always sees their own. Ideas hidden by a facilitator are seen only by facilitators
and their author. Members' profiles are for facilitators; others see a member's name only. A
redacted event keeps its ``seq`` (with ``{"redacted": true}`` as data) so that every client's
sequence stays gap-free.
"""

from __future__ import annotations

from typing import Any

from .audience import Audience
from .events import Event
from .outcomes import outcomes_view
from .phases import phase_to_json
from .state import Idea, Member, RoomState
from .voting import results

# idea.added is here for replays: an idea hidden since it was added is replayed redacted to
# someone resuming from before it (live, a new idea is never hidden).
_IDEA_EVENTS = {"idea.added", "idea.edited", "idea.moved", "idea.deleted", "idea.hidden"}
_ON_IDEA_EVENTS = {"comment.added", "comment.deleted", "reaction.toggled"}
_VOTE_EVENTS = {"vote.cast", "vote.retracted"}
# Showing or hiding the results changes what each audience sees of the vote as a whole.
_REVEAL_EVENTS = {"voting.revealed", "voting.hidden"}
REDACTED: dict[str, Any] = {"redacted": True}


__all__ = ["REDACTED", "Audience", "event_view", "idea_view", "member_view", "shares_view",
           "snapshot", "subjects", "voting_view"]


def idea_view(idea: Idea) -> dict[str, Any]:
    """An idea card as JSON."""
    return {
        "id": idea.id, "author": idea.author, "text": idea.text,
        "created_at": idea.created_at, "edited_at": idea.edited_at, "cluster": idea.cluster,
        "hidden": idea.hidden,
        "comments": [{"id": c.id, "author": c.author, "text": c.text, "at": c.at}
                     for c in idea.comments],
        "reactions": {k: list(v) for k, v in idea.reactions.items()},
    }


def _sees_votes(state: RoomState, audience: Audience) -> bool:
    return audience is Audience.FACILITATOR or state.voting.revealed


def _sees_voters(state: RoomState, audience: Audience) -> bool:
    return audience is Audience.FACILITATOR or (state.voting.revealed
                                                and not state.voting.anonymous)


def voting_view(state: RoomState, audience: Audience, viewer: str | None) -> dict[str, Any]:
    """The voting settings, the viewer's own dots, and totals once the viewer may see them."""
    v = state.voting
    view: dict[str, Any] = {
        "budget": v.budget, "cap": v.cap, "anonymous": v.anonymous, "open": v.open,
        "revealed": v.revealed, "cast": v.cast_total(),
        "mine": list(v.ballots.get(viewer, ())) if viewer else [],
    }
    # Dots on ideas a facilitator hid stay out of what others see (results leave them out too).
    def shown(idea_id: str) -> bool:
        idea = state.board.ideas.get(idea_id)
        return audience is Audience.FACILITATOR or (idea is not None and not idea.hidden)

    if _sees_votes(state, audience):
        view["tallies"] = {i: n for i, n in v.tallies().items() if shown(i)}
        view["results"] = results(state)
    if _sees_voters(state, audience):
        ballots = {voter: [i for i in b if shown(i)] for voter, b in v.ballots.items()}
        view["ballots"] = {voter: b for voter, b in ballots.items() if b}
    return view


def snapshot(state: RoomState, audience: Audience, viewer: str | None, *,
             members: bool = True) -> dict[str, Any]:
    """The whole room as ``viewer`` (a member id, or None) in ``audience`` may see it."""
    # members=False leaves out the one part that grows with the room: the server adds it
    # from views it keeps per member (member_view), instead of making all of them each time.
    facilitator = audience is Audience.FACILITATOR
    ideas = [idea_view(i) for i in state.board.ideas.values()
             if not i.hidden or facilitator or (viewer is not None and i.author == viewer)]
    view: dict[str, Any] = {
        "room": {"id": state.id, "title": state.title, "challenge": state.challenge},
        "seq": state.seq,
        "phases": [phase_to_json(p) for p in state.phases.phases],
        "phase": state.phases.phase.id if state.phases.phase else None,
        "board": {"ideas": ideas,
                  "clusters": [{"id": c.id, "title": c.title}
                               for c in state.board.clusters.values()]},
        "voting": voting_view(state, audience, viewer),
        "timer": _timer_view(state),
        "outcomes": outcomes_view(state, audience, viewer),
    }
    if members:
        view["members"] = [member_view(m, audience) for m in state.members.values()]
    return view


def member_view(m: Member, audience: Audience) -> dict[str, Any]:
    """A member's whole profile for facilitators; for everyone else the name an idea shows."""
    if audience is Audience.FACILITATOR:
        return {"id": m.id, "name": m.name, "organization": m.organization,
                "sector": m.sector, "country": m.country, "attendance": m.attendance,
                "about": m.about}
    return {"id": m.id, "name": m.name}


def shares_view(state: RoomState, viewer: str) -> bool:
    """Whether ``viewer`` sees the same snapshot as a participant with nothing of their own."""
    # Only their dots and their hidden ideas make a participant's snapshot their own.
    return not state.voting.ballots.get(viewer) and not any(
        i.hidden and i.author == viewer for i in state.board.ideas.values())


def _timer_view(state: RoomState) -> dict[str, Any]:
    t = state.timer
    return {"status": t.status, "duration_ms": t.duration_ms, "ends_at": t.ends_at,
            "remaining_ms": t.remaining_ms}


def subjects(state: RoomState, event: Event) -> set[str]:
    """Members who may see ``event`` differently from the rest of their audience."""
    if event.name in _VOTE_EVENTS:
        return {event.data["voter"]}
    if event.name in _REVEAL_EVENTS:
        return set(state.voting.ballots)  # each voter's view carries their own dots
    if _deleted_hidden(event):
        return {event.data["author"]}
    idea = _idea_of(state, event)
    return {idea.author} if idea is not None and idea.hidden else set()


def _deleted_hidden(event: Event) -> bool:
    # The idea is gone from the state, so the event itself says whether it was hidden.
    return event.name == "idea.deleted" and bool(event.data.get("hidden"))


def _idea_of(state: RoomState, event: Event) -> Idea | None:
    if event.name in _IDEA_EVENTS:
        return state.board.ideas.get(event.data["id"])
    if event.name in _ON_IDEA_EVENTS:
        return state.board.ideas.get(event.data["idea"])
    return None


def event_view(state: RoomState, event: Event, audience: Audience,
               viewer: str | None) -> dict[str, Any]:
    """The data of ``event`` (already applied to ``state``) as ``viewer`` may see it."""
    if audience is Audience.FACILITATOR:
        return _facilitator_view(state, event)
    if event.name == "member.joined":
        return {"id": event.data["id"], "name": event.data["name"]}
    if event.name in _VOTE_EVENTS:
        return _vote_view(state, event, audience, viewer)
    if event.name in _REVEAL_EVENTS:
        return {"voting": voting_view(state, audience, viewer)}
    if _deleted_hidden(event) and viewer != event.data["author"]:
        return REDACTED
    idea = _idea_of(state, event)
    if idea is None or viewer == idea.author:
        return _unhidden(event, idea)
    if event.name == "idea.hidden":
        return {"id": idea.id, "hidden": True} if idea.hidden else _unhidden(event, idea)
    return REDACTED if idea.hidden else event.data


def _facilitator_view(state: RoomState, event: Event) -> dict[str, Any]:
    if event.name in _REVEAL_EVENTS:
        return {"voting": voting_view(state, Audience.FACILITATOR, None)}
    return event.data


def _unhidden(event: Event, idea: Idea | None) -> dict[str, Any]:
    # Someone who did not see a hidden idea needs the whole card when it comes back (only on
    # the unhiding event: a replayed hiding event of an idea visible again carries no card).
    if event.name == "idea.hidden" and not event.data["hidden"] and idea is not None \
            and not idea.hidden:
        return {**event.data, "idea": idea_view(idea)}
    return event.data


def _vote_view(state: RoomState, event: Event, audience: Audience,
               viewer: str | None) -> dict[str, Any]:
    if viewer is not None and viewer == event.data["voter"]:
        return event.data
    if not _sees_votes(state, audience):
        return {"hidden": True}
    if not _sees_voters(state, audience):
        return {k: v for k, v in event.data.items() if k != "voter"}
    return event.data
