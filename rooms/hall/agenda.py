"""The agenda: an ordered list of sessions, and which one the forum is in now.

A session is a plenary, a hackathon (one or more parallel rooms, each with its challenge and an
optional capacity), a networking round, the evaluation or a break; it has a title, a planned
start and a planned length. The organizer edits the agenda before and during the event and
moves the forum from one session to another with one command (``agenda.now``). Each visit of a
session is kept as a run with its actual start and end, so planned and actual times can be
compared; a session can be visited again (back to the plenary).

The rooms of a hackathon session are declared here and get their ids from the hall's log, so
that replay agrees; the server creates each room's own log from its declaration.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from ..actors import Actor
from ..errors import ErrorCode, Rejection, reject
from ..events import Draft, Event
from ..fields import Choice, Field, FieldError, Flag, Int, Ref, Spec, Text, spec
from ..phases import PhaseList
from ..registry import ORGANIZER, Applier, CommandSpec, Decision, one
from . import evaluation

if TYPE_CHECKING:
    from .state import HallState

KINDS = ("plenary", "hackathon", "networking", "evaluation", "break")
MAX_SESSIONS = 40
MAX_ROOMS = 12  # parallel rooms of one hackathon session
DAY_MINUTES = 24 * 60
FAR_FUTURE_MS = 2**53 - 1  # the largest integer a JavaScript client reads exactly

TITLE = Text(120)
CHALLENGE = Text(4000, min_len=0)

# What a room is created with: the room's own settings (``room.create``) and a capacity.
ROOM_SPEC = spec({"title": TITLE}, {
    "challenge": CHALLENGE, "capacity": Int(1, 10_000), "phases": PhaseList(),
    "budget": Int(1, 100), "cap": Int(1, 100), "anonymous": Flag()})


@dataclass(frozen=True, slots=True)
class SessionRoom:
    """A room of a hackathon session: its id, title, challenge, capacity and room settings."""

    id: str
    title: str
    challenge: str
    capacity: int | None
    # Further ``room.create`` arguments (phases, budget, cap, anonymous), as declared.
    settings: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Session:
    """One part of the forum, planned, with the runs it actually had."""

    id: str
    kind: str
    title: str
    start: int | None  # planned start, server ms; None: right after the session before
    minutes: int  # planned length
    rooms: tuple[SessionRoom, ...] = ()
    runs: tuple[tuple[int, int | None], ...] = ()  # actual (start, end); end None while on

    def room(self, room_id: str) -> SessionRoom | None:
        return next((r for r in self.rooms if r.id == room_id), None)


@dataclass(frozen=True, slots=True)
class AgendaState:
    """The sessions in order, and the id of the one the forum is in now (None: not started)."""

    sessions: tuple[Session, ...] = ()
    now: str | None = None

    def get(self, session_id: str | None) -> Session | None:
        return next((s for s in self.sessions if s.id == session_id), None)

    @property
    def current(self) -> Session | None:
        return self.get(self.now)

    def room(self, room_id: str) -> tuple[Session, SessionRoom] | None:
        """The session a room belongs to, with the room's declaration."""
        for s in self.sessions:
            if (r := s.room(room_id)) is not None:
                return s, r
        return None


class RoomList:
    """The rooms of a hackathon session: 1 to MAX_ROOMS objects of ``ROOM_SPEC``."""

    def check(self, name: str, value: object) -> list[dict[str, Any]]:
        if not isinstance(value, list) or not 1 <= len(value) <= MAX_ROOMS:
            raise FieldError(f"'{name}' must list 1 to {MAX_ROOMS} rooms")
        rooms = []
        for i, raw in enumerate(value):
            try:
                room = ROOM_SPEC.check(raw)
            except FieldError as error:
                raise FieldError(f"room {i + 1} of '{name}': {error}") from error
            if room.get("cap", 3) > room.get("budget", 5):
                raise FieldError(f"room {i + 1} of '{name}': 'cap' cannot be larger than "
                                 "'budget'")
            rooms.append(room)
        return rooms


SESSION_SPEC = spec({"kind": Choice(KINDS), "title": TITLE}, {
    "start": Int(0, FAR_FUTURE_MS), "minutes": Int(1, DAY_MINUTES), "rooms": RoomList()})


class SessionList:
    """A whole agenda at once (a template's): up to MAX_SESSIONS objects of ``SESSION_SPEC``.

    ``extra`` are fields a session may have only there (the polls prepared with it).
    """

    def __init__(self, extra: Mapping[str, Field] | None = None) -> None:
        self._spec = spec(SESSION_SPEC.required, {**SESSION_SPEC.optional, **(extra or {})})

    def check(self, name: str, value: object) -> list[dict[str, Any]]:
        if not isinstance(value, list) or len(value) > MAX_SESSIONS:
            raise FieldError(f"'{name}' must list at most {MAX_SESSIONS} sessions")
        sessions = []
        for i, raw in enumerate(value):
            try:
                session = self._spec.check(raw)
            except FieldError as error:
                raise FieldError(f"session {i + 1} of '{name}': {error}") from error
            if (why := _rooms_problem(session)) is not None:
                raise FieldError(f"session {i + 1} of '{name}': {why}")
            sessions.append(session)
        return sessions


def _rooms_problem(session: Mapping[str, Any]) -> str | None:
    if session["kind"] == "hackathon" and not session.get("rooms"):
        return "a hackathon session needs at least one room"
    if session["kind"] != "hackathon" and session.get("rooms"):
        return "only a hackathon session has rooms"
    return None


def room_id(hall_id: str, seq: int, index: int) -> str:
    """The id of a room declared by the hall's event ``seq``: unique, and the same on replay."""
    return f"{hall_id}-{seq}-{index + 1}"


def _room_json(rid: str, room: Mapping[str, Any]) -> dict[str, Any]:
    settings = {k: v for k, v in room.items() if k not in ("title", "challenge", "capacity")}
    return {"id": rid, "title": room["title"], "challenge": room.get("challenge", ""),
            "capacity": room.get("capacity"), "settings": settings}


def added(hall_id: str, seq: int, session: Mapping[str, Any], position: int) -> Draft:
    """The ``session.added`` event of a checked session, which event ``seq`` of the log adds."""
    rooms = [_room_json(room_id(hall_id, seq, i), r)
             for i, r in enumerate(session.get("rooms", []))]
    return Draft("session.added", {
        "id": f"s{seq}", "kind": session["kind"], "title": session["title"],
        "start": session.get("start"), "minutes": session.get("minutes", 30),
        "rooms": rooms, "position": position})


# Deciders ------------------------------------------------------------------------------------


def _session(state: HallState, session_id: str) -> Session | Rejection:
    found = state.agenda.get(session_id)
    return found if found is not None else reject(ErrorCode.NOT_FOUND, "no such session")


def _add(state: HallState, args: Mapping[str, Any], actor: Actor, now: int) -> Decision:
    if len(state.agenda.sessions) >= MAX_SESSIONS:
        return reject(ErrorCode.INVALID_STATE, f"an agenda has at most {MAX_SESSIONS} sessions")
    if (why := _rooms_problem(args)) is not None:
        return reject(ErrorCode.INVALID_ARGS, why)
    position = min(args.get("position", len(state.agenda.sessions)),
                   len(state.agenda.sessions))
    return [added(state.id, state.seq + 1, args, position)]


def _update(state: HallState, args: Mapping[str, Any], actor: Actor, now: int) -> Decision:
    session = _session(state, args["id"])
    if isinstance(session, Rejection):
        return session
    changes = {k: v for k, v in args.items() if k != "id"}
    if not changes:
        return reject(ErrorCode.INVALID_ARGS, "nothing to change: give a title, start or minutes")
    return one("session.updated", id=session.id, **changes)


def _remove(state: HallState, args: Mapping[str, Any], actor: Actor, now: int) -> Decision:
    session = _session(state, args["id"])
    if isinstance(session, Rejection):
        return session
    if state.agenda.now == session.id:
        return reject(ErrorCode.INVALID_STATE,
                      "the forum is in this session now: move to another one first")
    return one("session.removed", id=session.id)


def _move(state: HallState, args: Mapping[str, Any], actor: Actor, now: int) -> Decision:
    session = _session(state, args["id"])
    if isinstance(session, Rejection):
        return session
    position = min(args["position"], len(state.agenda.sessions) - 1)
    if state.agenda.sessions.index(session) == position:
        return reject(ErrorCode.INVALID_STATE, "the session is at this position already")
    return one("session.moved", id=session.id, position=position)


def _add_room(state: HallState, args: Mapping[str, Any], actor: Actor, now: int) -> Decision:
    session = _session(state, args["session"])
    if isinstance(session, Rejection):
        return session
    if session.kind != "hackathon":
        return reject(ErrorCode.INVALID_STATE, "only a hackathon session has rooms")
    if len(session.rooms) >= MAX_ROOMS:
        return reject(ErrorCode.INVALID_STATE, f"a session has at most {MAX_ROOMS} rooms")
    try:
        room = RoomList().check("room", [{k: v for k, v in args.items() if k != "session"}])[0]
    except FieldError as error:
        return reject(ErrorCode.INVALID_ARGS, str(error))
    return one("session.room_added", session=session.id,
               room=_room_json(room_id(state.id, state.seq + 1, 0), room))


def _update_room(state: HallState, args: Mapping[str, Any], actor: Actor, now: int) -> Decision:
    found = state.agenda.room(args["room"])
    if found is None:
        return reject(ErrorCode.NOT_FOUND, "no such room")
    changes = {k: v for k, v in args.items() if k != "room"}
    if not changes:
        return reject(ErrorCode.INVALID_ARGS,
                      "nothing to change: give a title, a challenge or a capacity")
    inside = state.assignment.headcount(found[0].id, args["room"])
    if changes.get("capacity", inside) < inside:
        # Capacity is never exceeded: move people out first (or balance) to make it smaller.
        return reject(ErrorCode.INVALID_STATE, f"{inside} people are in this room already; "
                      "move some to another room first")
    return one("session.room_updated", session=found[0].id, room=args["room"], **changes)


def _now(state: HallState, args: Mapping[str, Any], actor: Actor, now: int) -> Decision:
    target = args["session"]
    if target is not None and state.agenda.get(target) is None:
        return reject(ErrorCode.NOT_FOUND, "no such session")
    if target == state.agenda.now:
        return reject(ErrorCode.INVALID_STATE, "the forum is in this session already"
                      if target is not None else "the forum is not in a session")
    # Moving to the evaluation session opens its questionnaire, in the same decision.
    return [*one("agenda.moved", session=target, previous=state.agenda.now),
            *evaluation.on_session(state, target)]


# Appliers ------------------------------------------------------------------------------------


def _with_sessions(state: HallState, sessions: list[Session]) -> HallState:
    return replace(state, agenda=replace(state.agenda, sessions=tuple(sessions)))


def _room_from(d: Mapping[str, Any]) -> SessionRoom:
    return SessionRoom(d["id"], d["title"], d["challenge"], d["capacity"],
                       dict(d.get("settings", {})))


def _apply_added(state: HallState, e: Event) -> HallState:
    d = e.data
    session = Session(d["id"], d["kind"], d["title"], d["start"], d["minutes"],
                      tuple(_room_from(r) for r in d["rooms"]))
    sessions = list(state.agenda.sessions)
    sessions.insert(d["position"], session)
    return _with_sessions(state, sessions)


def _replace_session(state: HallState, session_id: str, **changes: Any) -> HallState:
    return _with_sessions(state, [replace(s, **changes) if s.id == session_id else s
                                  for s in state.agenda.sessions])


def _apply_updated(state: HallState, e: Event) -> HallState:
    changes = {k: v for k, v in e.data.items() if k in ("title", "start", "minutes")}
    return _replace_session(state, e.data["id"], **changes)


def _apply_removed(state: HallState, e: Event) -> HallState:
    return _with_sessions(state, [s for s in state.agenda.sessions if s.id != e.data["id"]])


def _apply_moved(state: HallState, e: Event) -> HallState:
    sessions = list(state.agenda.sessions)
    session = next(s for s in sessions if s.id == e.data["id"])
    sessions.remove(session)
    sessions.insert(e.data["position"], session)
    return _with_sessions(state, sessions)


def _apply_room_added(state: HallState, e: Event) -> HallState:
    session = state.agenda.get(e.data["session"])
    assert session is not None  # decided against this state
    return _replace_session(state, session.id,
                            rooms=(*session.rooms, _room_from(e.data["room"])))


def _apply_room_updated(state: HallState, e: Event) -> HallState:
    session = state.agenda.get(e.data["session"])
    assert session is not None
    d = e.data
    rooms = tuple(replace(r, title=d.get("title", r.title),
                          challenge=d.get("challenge", r.challenge),
                          capacity=d.get("capacity", r.capacity)) if r.id == d["room"] else r
                  for r in session.rooms)
    return _replace_session(state, session.id, rooms=rooms)


def _apply_now(state: HallState, e: Event) -> HallState:
    previous, target = state.agenda.now, e.data["session"]
    sessions = []
    for s in state.agenda.sessions:
        if s.id == previous and s.runs and s.runs[-1][1] is None:
            s = replace(s, runs=(*s.runs[:-1], (s.runs[-1][0], e.at)))
        if s.id == target:
            s = replace(s, runs=(*s.runs, (e.at, None)))
        sessions.append(s)
    return replace(state, agenda=AgendaState(tuple(sessions), target))


# Views ---------------------------------------------------------------------------------------


def planned_starts(agenda: AgendaState) -> list[int | None]:
    """Each session's planned start: its own, else right after the one before (if known)."""
    starts: list[int | None] = []
    previous_end: int | None = None
    for s in agenda.sessions:
        start = s.start if s.start is not None else previous_end
        starts.append(start)
        previous_end = start + s.minutes * 60_000 if start is not None else None
    return starts


def session_view(s: Session, planned: int | None, *, settings: bool) -> dict[str, Any]:
    """A session as JSON; ``settings`` adds each room's settings (for the organizer)."""
    rooms = []
    for r in s.rooms:
        room: dict[str, Any] = {"id": r.id, "title": r.title, "challenge": r.challenge,
                                "capacity": r.capacity}
        if settings:
            room["settings"] = dict(r.settings)
        rooms.append(room)
    return {"id": s.id, "kind": s.kind, "title": s.title, "start": s.start,
            "planned_start": planned, "minutes": s.minutes, "rooms": rooms,
            "runs": [list(run) for run in s.runs]}


def view(state: HallState, *, settings: bool) -> dict[str, Any]:
    """The agenda: sessions in order (with planned starts and actual runs) and "now"."""
    agenda = state.agenda
    current = agenda.current
    return {"sessions": [session_view(s, p, settings=settings)
                         for s, p in zip(agenda.sessions, planned_starts(agenda), strict=True)],
            "now": agenda.now,
            "since": current.runs[-1][0] if current and current.runs else None}


# What a participant may do in which kind of session (the hall's step gate).
CAPABILITY_SESSIONS: Mapping[str, frozenset[str]] = {
    "questions": frozenset({"plenary"}),
    "rooms": frozenset({"hackathon"}),
}
CAPABILITY_WORDS = {"questions": "audience questions", "rooms": "choosing a room"}


def session_gate(state: HallState, capability: str) -> Rejection | None:
    """Why a participant may not use ``capability`` in the current session, or None."""
    current = state.agenda.current
    if current is not None and current.kind in CAPABILITY_SESSIONS[capability]:
        return None
    where = f"the {current.title} session" if current is not None else "the forum now"
    return reject(ErrorCode.SESSION_CLOSED,
                  f"{where} does not allow {CAPABILITY_WORDS[capability]}")


_ID = Ref()
_CHANGES: dict[str, Field] = {"title": TITLE, "start": Int(0, FAR_FUTURE_MS),
                              "minutes": Int(1, DAY_MINUTES)}
_ADD: Spec = spec(SESSION_SPEC.required, {**SESSION_SPEC.optional, "position": Int(0, 1000)})

COMMANDS = (
    CommandSpec("session.add", _ADD, ORGANIZER, _add),
    CommandSpec("session.update", spec({"id": _ID}, _CHANGES), ORGANIZER, _update),
    CommandSpec("session.remove", spec({"id": _ID}), ORGANIZER, _remove),
    CommandSpec("session.move", spec({"id": _ID, "position": Int(0, 1000)}), ORGANIZER, _move),
    CommandSpec("session.room_add", spec({"session": _ID, **ROOM_SPEC.required},
                                         ROOM_SPEC.optional), ORGANIZER, _add_room),
    CommandSpec("session.room_update", spec({"room": _ID}, {
        "title": TITLE, "challenge": CHALLENGE, "capacity": Int(1, 10_000)}), ORGANIZER,
        _update_room),
    CommandSpec("agenda.now", spec({"session": Ref(nullable=True)}), ORGANIZER, _now),
)

APPLIERS: dict[str, Applier] = {
    "session.added": _apply_added,
    "session.updated": _apply_updated,
    "session.removed": _apply_removed,
    "session.moved": _apply_moved,
    "session.room_added": _apply_room_added,
    "session.room_updated": _apply_room_updated,
    "agenda.moved": _apply_now,
}
