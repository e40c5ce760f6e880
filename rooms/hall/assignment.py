"""Who is in which room of a hackathon session: picks, the organizer's moves, auto-balancing.

How the tools people know do it, and what we took: Zoom's and Teams' breakout rooms offer
"let participants choose", "assign automatically" (random, shuffling everyone) and "move to"
one person; BigBlueButton and Kaltura show each room's headcount and who is unassigned. We keep
the three ways, per hackathon session (a forum may run several), and replace the random shuffle
with a balancing that mixes sectors, countries and on site / remote (``rooms.hall.balance``).

- **Pick** (``assignment.pick``, a participant, only while the forum is in a hackathon session,
  in one of its rooms): capacity is enforced (``room_full``); picking another room changes the
  pick and frees the seat.
- **Move** (``assignment.move``, the organizer, any hackathon session, before or during it):
  one person to one room, within its capacity too.
- **Balance** (``assignment.balance``, the organizer, one action): places the people present
  (the member ids the conductor sends, by default every member of the hall); anyone with a room
  in the session who is not present leaves it, so seats go to the people who are there. With
  ``keep_picks`` (the default) people present who chose their room themselves, or whom the
  organizer moved, stay where they are and the others are balanced around them; without it
  everyone present is placed afresh. The algorithm is pure and seeded; its result, every
  placement of the session, is the event, so a replay never runs it again.

Who sees what: staff see every room's headcount, mix (counts by sector, country and
attendance) and members; a participant sees their own room and each room's headcount and
capacity (for the picker), never who else is where (their picks are shown as coming from
``HIDDEN_ACTOR``); the projector sees headcounts. A participant whose room changes gets a frame
of their own saying which room they are in now, so their device follows at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from ..actors import Actor
from ..audience import Audience
from ..errors import ErrorCode, Rejection, reject
from ..events import Event
from ..fields import FieldError, Flag, Int, Ref, spec
from ..registry import ORGANIZER, PARTICIPANT, Applier, CommandSpec, Decision, one
from . import balance as balancing
from .agenda import Session, SessionRoom

if TYPE_CHECKING:
    from .state import HallState

MAX_PRESENT = 10_000
MAX_SEED = 2**53 - 1  # the largest integer a JavaScript client reads exactly
HIDDEN_ACTOR = "anonymous"  # who another participant's pick is shown as coming from
HOW = ("pick", "move", "balance")  # how a person came to be in their room
_CHOSEN = frozenset({"pick", "move"})  # what ``keep_picks`` keeps


@dataclass(frozen=True, slots=True)
class Placement:
    """A person's room in one session, how they got there and by which event."""

    room: str
    how: str  # one of HOW
    seq: int


@dataclass(frozen=True, slots=True)
class AssignmentState:
    """Which room each person is in, per hackathon session: session id -> member id -> where."""

    sessions: Mapping[str, Mapping[str, Placement]] = field(default_factory=dict)

    def of(self, session_id: str) -> Mapping[str, Placement]:
        return self.sessions.get(session_id, {})

    def headcount(self, session_id: str, room_id: str) -> int:
        return sum(1 for p in self.of(session_id).values() if p.room == room_id)


def room_of(state: HallState, member_id: str) -> str | None:
    """The room ``member_id`` is in now: their room in the current session, if any."""
    current = state.agenda.now
    placement = state.assignment.of(current).get(member_id) if current else None
    return placement.room if placement is not None else None


class MemberList:
    """Member ids, each once: the people present for a balance."""

    def check(self, name: str, value: object) -> list[str]:
        if not isinstance(value, list) or len(value) > MAX_PRESENT:
            raise FieldError(f"'{name}' must list at most {MAX_PRESENT} member ids")
        ids = [Ref().check(name, v) for v in value]
        if len(set(ids)) != len(ids):
            raise FieldError(f"'{name}' lists a member twice")
        return [i for i in ids if i is not None]


# Deciders ------------------------------------------------------------------------------------


def _full(session: Session, room: SessionRoom, state: HallState) -> Rejection | None:
    held = state.assignment.headcount(session.id, room.id)
    if room.capacity is not None and held >= room.capacity:
        return reject(ErrorCode.ROOM_FULL,
                      f"{room.title} is full ({held} of {room.capacity}): choose another room")
    return None


def _place(state: HallState, member: str, room_id: str, event: str,
           current_only: bool) -> Decision:
    found = state.agenda.room(room_id)
    if found is None:
        return reject(ErrorCode.NOT_FOUND, "no such room")
    session, room = found
    if current_only and session.id != state.agenda.now:
        return reject(ErrorCode.INVALID_STATE, "the room is not in the current session")
    previous = state.assignment.of(session.id).get(member)
    if previous is not None and previous.room == room.id:
        return reject(ErrorCode.INVALID_STATE, f"already in {room.title}")
    if (full := _full(session, room, state)) is not None:
        return full
    return one(event, session=session.id, member=member, room=room.id,
               previous=previous.room if previous else None)


def _pick(state: HallState, args: Mapping[str, Any], actor: Actor, now: int) -> Decision:
    if actor.id not in state.members:
        return reject(ErrorCode.INVALID_STATE, "enter the hall before choosing a room")
    return _place(state, actor.id, args["room"], "assignment.picked", current_only=True)


def _move(state: HallState, args: Mapping[str, Any], actor: Actor, now: int) -> Decision:
    if args["member"] not in state.members:
        return reject(ErrorCode.NOT_FOUND, "no such member")
    return _place(state, args["member"], args["room"], "assignment.moved", current_only=False)


def _balance_session(state: HallState, session_id: str | None) -> Session | Rejection:
    if session_id is None:
        current = state.agenda.current
        if current is None or current.kind != "hackathon":
            return reject(ErrorCode.INVALID_STATE,
                          "the forum is not in a hackathon session: name the session")
        return current
    session = state.agenda.get(session_id)
    if session is None:
        return reject(ErrorCode.NOT_FOUND, "no such session")
    if session.kind != "hackathon":
        return reject(ErrorCode.INVALID_STATE, "only a hackathon session has rooms")
    return session


def _kept(state: HallState, session: Session, present: list[str]) -> dict[str, str]:
    """The chosen rooms of people present, each room kept up to its capacity (first come).

    A room can hold more than its capacity only if the capacity was lowered after people
    came in; the latest arrivals are then balanced like everyone else.
    """
    placements = state.assignment.of(session.id)
    here = set(present)
    chosen = sorted(((p.seq, m, p.room) for m, p in placements.items()
                     if m in here and p.how in _CHOSEN), key=lambda t: (t[0], t[1]))
    kept: dict[str, str] = {}
    for _seq, member, room_id in chosen:
        room = session.room(room_id)
        held = sum(1 for r in kept.values() if r == room_id)
        if room is not None and (room.capacity is None or held < room.capacity):
            kept[member] = room_id
    return kept


def _balance(state: HallState, args: Mapping[str, Any], actor: Actor, now: int) -> Decision:
    session = _balance_session(state, args.get("session"))
    if isinstance(session, Rejection):
        return session
    present = args.get("present", list(state.members))
    if (stranger := next((m for m in present if m not in state.members), None)) is not None:
        return reject(ErrorCode.NOT_FOUND, f"no such member: {stranger}")
    if not present:
        return reject(ErrorCode.INVALID_STATE, "nobody to place")
    if all(r.capacity is not None for r in session.rooms):
        seats = sum(r.capacity or 0 for r in session.rooms)
        if seats < len(present):
            return reject(ErrorCode.ROOM_FULL,
                          f"the rooms hold {seats} and {len(present)} people are present: "
                          "raise a capacity or add a room")
    keep = args.get("keep_picks", True)
    seed = args.get("seed", state.seq + 1)
    people = [balancing.Person(m.id, m.sector, m.country, m.attendance)
              for m in (state.members[i] for i in present)]
    rooms = [balancing.Room(r.id, r.capacity) for r in session.rooms]
    placed = balancing.balance(people, rooms, seed,
                               _kept(state, session, present) if keep else None)
    ordered = {m: placed[m] for m in present}  # in the order given: the event reads as sent
    left = [m for m in state.assignment.of(session.id) if m not in placed]
    return one("assignment.balanced", session=session.id, seed=seed, keep_picks=keep,
               assignments=ordered, left=left)


# Appliers ------------------------------------------------------------------------------------


def _with_session(state: HallState, session_id: str,
                  placements: Mapping[str, Placement]) -> HallState:
    sessions = {**state.assignment.sessions, session_id: placements}
    return replace(state, assignment=AssignmentState(sessions))


def _apply_placed(how: str) -> Applier:
    def apply(state: HallState, e: Event) -> HallState:
        d = e.data
        placements = {**state.assignment.of(d["session"]),
                      d["member"]: Placement(d["room"], how, e.seq)}
        return _with_session(state, d["session"], placements)
    return apply


def _apply_balanced(state: HallState, e: Event) -> HallState:
    # Someone whose room did not change keeps their placement: a kept pick stays a pick.
    old = state.assignment.of(e.data["session"])
    placements: dict[str, Placement] = {}
    for member, room in e.data["assignments"].items():
        known = old.get(member)
        placements[member] = (known if known is not None and known.room == room
                              else Placement(room, "balance", e.seq))
    return _with_session(state, e.data["session"], placements)


# Views ---------------------------------------------------------------------------------------

_EVENTS = frozenset({"assignment.picked", "assignment.moved", "assignment.balanced"})


def _mix(state: HallState, members: list[str]) -> dict[str, dict[str, int]]:
    mix: dict[str, dict[str, int]] = {a: {} for a in balancing.ATTRIBUTES}
    for member_id in members:
        m = state.members.get(member_id)
        if m is None:
            continue
        for a, value in zip(balancing.ATTRIBUTES, (m.sector, m.country, m.attendance),
                            strict=True):
            mix[a][value] = mix[a].get(value, 0) + 1
    return mix


def rooms_view(state: HallState, session: Session, audience: Audience) -> list[dict[str, Any]]:
    """Each room of ``session``: headcount and capacity; for staff also its members and mix."""
    placements = state.assignment.of(session.id)
    rooms = []
    for r in session.rooms:
        members = sorted(m for m, p in placements.items() if p.room == r.id)
        room: dict[str, Any] = {"id": r.id, "capacity": r.capacity, "headcount": len(members)}
        if audience is Audience.FACILITATOR:
            room["members"] = [{"id": m, "how": placements[m].how} for m in members]
            room["mix"] = _mix(state, members)
        rooms.append(room)
    return rooms


def _session_view(state: HallState, session: Session, audience: Audience,
                  viewer: str | None) -> dict[str, Any]:
    seen: dict[str, Any] = {"rooms": rooms_view(state, session, audience)}
    if audience is Audience.PARTICIPANT:
        mine = state.assignment.of(session.id).get(viewer) if viewer else None
        seen["mine"] = mine.room if mine is not None else None
    return seen


def _hackathons(state: HallState) -> list[Session]:
    return [s for s in state.agenda.sessions if s.kind == "hackathon"]


def view(state: HallState, audience: Audience, viewer: str | None) -> dict[str, Any]:
    """Every hackathon session's rooms as ``audience`` may see them (and ``viewer``'s room)."""
    return {"assignment": {"sessions": {s.id: _session_view(state, s, audience, viewer)
                                        for s in _hackathons(state)}}}


def _room_in(event: Event, viewer: str) -> str | None:
    if event.name == "assignment.balanced":
        room: str | None = event.data["assignments"].get(viewer)
        return room
    return event.data["room"] if event.data["member"] == viewer else None


def event_view(state: HallState, event: Event, audience: Audience,
               viewer: str | None) -> dict[str, Any] | None:
    """An event of this slice as ``viewer`` may see it; None for events of other slices.

    Every view carries the session's rooms as they are now, for the client to replace; the
    person it concerns also gets ``room``, the room they are in now (None: none).
    """
    if event.name not in _EVENTS:
        return None
    session = state.agenda.get(event.data["session"])
    rooms = rooms_view(state, session, audience) if session is not None else []
    if audience is Audience.FACILITATOR:
        return {**event.data, "rooms": rooms}
    seen: dict[str, Any] = {"session": event.data["session"], "rooms": rooms}
    if audience is Audience.PARTICIPANT and viewer is not None and viewer in subjects(
            state, event):
        seen["room"] = _room_in(event, viewer)
    return seen


def subjects(state: HallState, event: Event) -> set[str]:
    """The people an event places or takes out of a room: they see where they are now."""
    if event.name == "assignment.balanced":
        return set(event.data["assignments"]) | set(event.data["left"])
    if event.name in _EVENTS:
        return {event.data["member"]}
    return set()


def actor_view(state: HallState, event: Event, audience: Audience,
               viewer: str | None) -> str | None:
    """A participant's pick is theirs and the staff's to see: others see ``HIDDEN_ACTOR``."""
    if event.name != "assignment.picked" or audience is Audience.FACILITATOR:
        return None
    return None if viewer == event.actor else HIDDEN_ACTOR


def own_view(state: HallState, viewer: str) -> bool:
    """Whether ``viewer`` is in a room of some hackathon session (their snapshot says which)."""
    return any(viewer in state.assignment.of(s.id) for s in _hackathons(state))


_ROOM = Ref()

COMMANDS = (
    CommandSpec("assignment.pick", spec({"room": _ROOM}), PARTICIPANT, _pick,
                capability="rooms"),
    CommandSpec("assignment.move", spec({"member": Ref(), "room": _ROOM}), ORGANIZER, _move),
    CommandSpec("assignment.balance", spec({}, {
        "session": Ref(), "present": MemberList(), "seed": Int(0, MAX_SEED),
        "keep_picks": Flag()}), ORGANIZER, _balance),
)

APPLIERS: dict[str, Applier] = {
    "assignment.picked": _apply_placed("pick"),
    "assignment.moved": _apply_placed("move"),
    "assignment.balanced": _apply_balanced,
}
