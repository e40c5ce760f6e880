"""Plenary polls: prepared by the organizer, opened one at a time, answered once per person.

Kinds: ``single`` and ``multiple`` choice (``max`` choices at most), ``rating`` (1 to 5),
``wordcloud`` (up to ``max`` short words, grouped by ``words.word_key``), ``text`` (open text)
and ``ranking`` (every option in order; Borda points, ``tally.py``). Decisions, after how
Slido, Mentimeter and Claper run polls:

- **Drafts are the organizer's.** A poll is prepared ahead (attached to an agenda session or
  not), edited (``poll.update`` replaces its whole definition) and removed while it is a draft;
  participants and the projector do not see drafts at all, so a question is not given away
  before it is asked. Once opened, a poll's definition is fixed: answers refer to it.
- **One open poll at a time**, as in Slido and Mentimeter: the projector shows "the open poll".
  Opening a poll while another is open closes that one first (two events, ``poll.closed`` then
  ``poll.opened``), so the conductor moves on with one action. A closed poll stays closed; to
  ask again, create a new poll.
- **Answering needs the poll to be open**, whatever the session: the rule, not a session gate.
  Only participants answer (the staff run the poll). One answer per person: an answer
  replaces the person's previous one, and a person may clear theirs, while the poll is open.
- **Results are live or shown on closing** (``reveal``: ``live`` or ``on_close``, chosen with
  the definition). Staff always see them live. Until a poll with ``on_close`` closes,
  participants and the projector see the number of answers and nothing else of them (as
  Mentimeter's hidden results show the count of responses): no tally, in no snapshot and no
  event; a participant always sees their own answer.
- **No names.** No view says who gave an answer, the organizer's included: events of answers
  are shown as coming from nobody (``""``) to everyone but the person who answered, and carry
  no member id; results are counts, and open texts are listed without their authors.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from ..actors import Actor
from ..audience import Audience
from ..errors import ErrorCode, Rejection, reject
from ..events import Draft, Event
from ..fields import Choice, Field, FieldError, Int, Ref, Text, spec
from ..projection import REDACTED
from ..registry import ORGANIZER, PARTICIPANT, Applier, CommandSpec, Decision, new_id, one
from . import tally
from .answers import WITH_OPTIONS, AnswerField, OptionList, check_answer
from .tally import AnswerValue, Given

if TYPE_CHECKING:
    from .state import HallState

KINDS = ("single", "multiple", "rating", "wordcloud", "text", "ranking")
REVEALS = ("live", "on_close")
MAX_POLLS = 200
MAX_WORDS = 5  # words one person may give to a word cloud
NOBODY = ""  # the actor an answer is shown as coming from, to all but its author

QUESTION = Text(300)


@dataclass(frozen=True, slots=True)
class Option:
    """One option of a choice or ranking poll; its id is unique within the poll."""

    id: str
    text: str


@dataclass(frozen=True, slots=True)
class Poll:
    """A poll: its definition, where it is (draft, open, closed) and its answers by member."""

    id: str
    kind: str
    question: str
    options: tuple[Option, ...]
    max: int  # choices (multiple), words (wordcloud), options (ranking); 1 for the rest
    session: str | None
    reveal: str
    status: str = "draft"  # draft -> open -> closed
    opened_at: int | None = None
    closed_at: int | None = None
    # The log must know who answered (one answer each); no view ever shows it.
    answers: Mapping[str, Given] = field(default_factory=dict)

    @property
    def option_ids(self) -> list[str]:
        return [o.id for o in self.options]


@dataclass(frozen=True, slots=True)
class PollsState:
    """The plenary's polls, in the order they were created."""

    polls: Mapping[str, Poll] = field(default_factory=dict)

    @property
    def open(self) -> Poll | None:
        return next((p for p in self.polls.values() if p.status == "open"), None)


# Deciders ------------------------------------------------------------------------------------


def _definition(state: HallState, args: Mapping[str, Any]) -> dict[str, Any] | Rejection:
    """A poll's definition as its event carries it, or why the arguments do not make one."""
    kind, options = args["kind"], args.get("options")
    if kind in WITH_OPTIONS and options is None:
        return reject(ErrorCode.INVALID_ARGS, f"a {kind} poll needs 'options'")
    if kind not in WITH_OPTIONS and options is not None:
        return reject(ErrorCode.INVALID_ARGS, f"a {kind} poll has no 'options'")
    most = _max(kind, len(options or ()), args.get("max"))
    if isinstance(most, Rejection):
        return most
    session = args.get("session")
    if session is not None and state.agenda.get(session) is None:
        return reject(ErrorCode.NOT_FOUND, "no such session")
    return {"kind": kind, "question": args["question"],
            "options": [{"id": f"o{i}", "text": t} for i, t in enumerate(options or (), 1)],
            "max": most, "session": session, "reveal": args.get("reveal", "live")}


def _max(kind: str, options: int, given: int | None) -> int | Rejection:
    limits = {"multiple": options, "wordcloud": MAX_WORDS}
    if kind not in limits:
        if given is not None:
            return reject(ErrorCode.INVALID_ARGS, f"a {kind} poll has no 'max'")
        return options if kind == "ranking" else 1
    if given is None:
        return options if kind == "multiple" else 1
    if given > limits[kind]:
        return reject(ErrorCode.INVALID_ARGS, f"'max' must be between 1 and {limits[kind]}")
    return given


def _draft(state: HallState, poll_id: str, doing: str) -> Poll | Rejection:
    poll = state.polls.polls.get(poll_id)
    if poll is None:
        return reject(ErrorCode.NOT_FOUND, "no such poll")
    if poll.status != "draft":
        return reject(ErrorCode.INVALID_STATE, f"a poll that was opened cannot be {doing}")
    return poll


MAX_PREPARED = 20  # polls prepared with one session of a template


class PreparedPolls:
    """The polls a session of a template comes with: poll.create's arguments, no session."""

    def check(self, name: str, value: object) -> list[dict[str, Any]]:
        if not isinstance(value, list) or len(value) > MAX_PREPARED:
            raise FieldError(f"'{name}' must list at most {MAX_PREPARED} polls")
        prepared = []
        for i, raw in enumerate(value):
            try:
                prepared.append(_PREPARED.check(raw))
            except FieldError as error:
                raise FieldError(f"poll {i + 1} of '{name}': {error}") from error
        return prepared


def prepared(state: HallState, seq: int, session: str,
             args: Mapping[str, Any]) -> Draft | Rejection:
    """The ``poll.created`` event (number ``seq``) of a poll prepared with a new session."""
    definition = _definition(state, args)
    if isinstance(definition, Rejection):
        return definition
    return Draft("poll.created", {"id": f"p{seq}", **definition, "session": session})


def _create(state: HallState, args: Mapping[str, Any], actor: Actor, now: int) -> Decision:
    if len(state.polls.polls) >= MAX_POLLS:
        return reject(ErrorCode.INVALID_STATE, f"a forum has at most {MAX_POLLS} polls")
    definition = _definition(state, args)
    if isinstance(definition, Rejection):
        return definition
    return one("poll.created", id=new_id(state, "p"), **definition)


def _update(state: HallState, args: Mapping[str, Any], actor: Actor, now: int) -> Decision:
    poll = _draft(state, args["id"], "changed")
    if isinstance(poll, Rejection):
        return poll
    definition = _definition(state, args)
    if isinstance(definition, Rejection):
        return definition
    if definition == _definition_of(poll):
        return reject(ErrorCode.INVALID_STATE, "this is the poll already")
    return one("poll.updated", id=poll.id, **definition)


def _remove(state: HallState, args: Mapping[str, Any], actor: Actor, now: int) -> Decision:
    poll = _draft(state, args["id"], "removed")
    if isinstance(poll, Rejection):
        return poll
    return one("poll.removed", id=poll.id)


def _open(state: HallState, args: Mapping[str, Any], actor: Actor, now: int) -> Decision:
    poll = state.polls.polls.get(args["id"])
    if poll is None:
        return reject(ErrorCode.NOT_FOUND, "no such poll")
    if poll.status == "open":
        return reject(ErrorCode.INVALID_STATE, "the poll is open already")
    if poll.status == "closed":
        return reject(ErrorCode.INVALID_STATE,
                      "a closed poll stays closed: create a new poll to ask again")
    current = state.polls.open
    closing = [Draft("poll.closed", {"id": current.id})] if current is not None else []
    return [*closing, Draft("poll.opened", {"id": poll.id})]


def _close(state: HallState, args: Mapping[str, Any], actor: Actor, now: int) -> Decision:
    poll = state.polls.polls.get(args["id"])
    if poll is None:
        return reject(ErrorCode.NOT_FOUND, "no such poll")
    if poll.status != "open":
        return reject(ErrorCode.INVALID_STATE, "the poll is not open")
    return one("poll.closed", id=poll.id)


def _answerable(state: HallState, poll_id: str) -> Poll | Rejection:
    poll = state.polls.polls.get(poll_id)
    if poll is None:
        return reject(ErrorCode.NOT_FOUND, "no such poll")
    if poll.status != "open":  # a draft too: it is not asked yet
        return reject(ErrorCode.INVALID_STATE, "the poll is not open")
    return poll


def _answer(state: HallState, args: Mapping[str, Any], actor: Actor, now: int) -> Decision:
    poll = _answerable(state, args["poll"])
    if isinstance(poll, Rejection):
        return poll
    try:
        value = check_answer(poll.kind, poll.option_ids, poll.max, args["answer"])
    except FieldError as error:
        return reject(ErrorCode.INVALID_ARGS, str(error))
    previous = poll.answers.get(actor.id)
    if previous is not None and _json(previous.value) == value:
        return reject(ErrorCode.INVALID_STATE, "this is your answer already")
    return one("poll.answered", poll=poll.id, voter=actor.id, answer=value,
               replaces=previous.seq if previous is not None else None)


def _clear(state: HallState, args: Mapping[str, Any], actor: Actor, now: int) -> Decision:
    poll = _answerable(state, args["poll"])
    if isinstance(poll, Rejection):
        return poll
    previous = poll.answers.get(actor.id)
    if previous is None:
        return reject(ErrorCode.INVALID_STATE, "you have not answered this poll")
    return one("poll.cleared", poll=poll.id, voter=actor.id, replaces=previous.seq)


# Appliers ------------------------------------------------------------------------------------


def _with_poll(state: HallState, poll: Poll) -> HallState:
    polls = {**state.polls.polls, poll.id: poll}
    return replace(state, polls=PollsState(polls))


def _poll_from(d: Mapping[str, Any]) -> Poll:
    return Poll(d["id"], d["kind"], d["question"],
                tuple(Option(o["id"], o["text"]) for o in d["options"]), d["max"],
                d["session"], d["reveal"])


def _apply_created(state: HallState, e: Event) -> HallState:
    return _with_poll(state, _poll_from(e.data))


def _apply_removed(state: HallState, e: Event) -> HallState:
    polls = {k: p for k, p in state.polls.polls.items() if k != e.data["id"]}
    return replace(state, polls=PollsState(polls))


def _apply_opened(state: HallState, e: Event) -> HallState:
    poll = state.polls.polls[e.data["id"]]
    return _with_poll(state, replace(poll, status="open", opened_at=e.at))


def _apply_closed(state: HallState, e: Event) -> HallState:
    poll = state.polls.polls[e.data["id"]]
    return _with_poll(state, replace(poll, status="closed", closed_at=e.at))


def _apply_answered(state: HallState, e: Event) -> HallState:
    poll = state.polls.polls[e.data["poll"]]
    value = e.data["answer"]
    given = Given(tuple(value) if isinstance(value, list) else value, e.seq)
    return _with_poll(state, replace(poll, answers={**poll.answers, e.data["voter"]: given}))


def _apply_cleared(state: HallState, e: Event) -> HallState:
    poll = state.polls.polls[e.data["poll"]]
    answers = {k: a for k, a in poll.answers.items() if k != e.data["voter"]}
    return _with_poll(state, replace(poll, answers=answers))


# Views ---------------------------------------------------------------------------------------


def _json(value: AnswerValue) -> Any:
    return list(value) if isinstance(value, tuple) else value


def _definition_of(poll: Poll) -> dict[str, Any]:
    return {"kind": poll.kind, "question": poll.question,
            "options": [{"id": o.id, "text": o.text} for o in poll.options], "max": poll.max,
            "session": poll.session, "reveal": poll.reveal}


def sees_results(poll: Poll, audience: Audience) -> bool:
    """Whether ``audience`` may see the poll's results now (staff: always)."""
    if audience is Audience.FACILITATOR:
        return True
    return poll.status == "closed" or (poll.status == "open" and poll.reveal == "live")


def _shown(poll: Poll, audience: Audience) -> bool:
    return audience is Audience.FACILITATOR or poll.status != "draft"


def results(poll: Poll) -> dict[str, Any]:
    """The poll's results: a count of its current answers (``tally.py``)."""
    return tally.results(poll.kind, poll.option_ids, poll.answers.values())


def poll_view(state: HallState, poll: Poll, audience: Audience) -> dict[str, Any]:
    """A poll as ``audience`` may see it, without anyone's own answer."""
    # An attached session the organizer removed since: the poll stays, attached to nothing.
    session = poll.session if state.agenda.get(poll.session) is not None else None
    view = {"id": poll.id, **_definition_of(poll), "session": session, "status": poll.status,
            "opened_at": poll.opened_at, "closed_at": poll.closed_at,
            "answers": len(poll.answers)}
    if sees_results(poll, audience):
        view["results"] = results(poll)
    return view


def view(state: HallState, audience: Audience, viewer: str | None) -> dict[str, Any]:
    """This slice's part of the hall's snapshot: the polls ``viewer`` may see, and the open one."""
    polls = []
    for poll in state.polls.polls.values():
        if not _shown(poll, audience):
            continue
        seen = poll_view(state, poll, audience)
        if audience is Audience.PARTICIPANT:
            mine = poll.answers.get(viewer) if viewer is not None else None
            seen["mine"] = _json(mine.value) if mine is not None else None
        polls.append(seen)
    current = state.polls.open
    return {"polls": {"open": current.id if current is not None else None, "list": polls}}


_DRAFT_EVENTS = {"poll.created", "poll.updated", "poll.removed"}
_ANSWER_EVENTS = {"poll.answered", "poll.cleared"}


def event_view(state: HallState, event: Event, audience: Audience,
               viewer: str | None) -> dict[str, Any] | None:
    """An event of this slice as ``viewer`` may see it; None for events of other slices."""
    if event.name in _DRAFT_EVENTS:
        return event.data if audience is Audience.FACILITATOR else REDACTED
    if event.name in ("poll.opened", "poll.closed"):
        poll = state.polls.polls[event.data["id"]]
        return {"id": poll.id, "poll": poll_view(state, poll, audience)}
    if event.name in _ANSWER_EVENTS:
        return _answer_view(state, event, audience, viewer)
    return None


def _answer_view(state: HallState, event: Event, audience: Audience,
                 viewer: str | None) -> dict[str, Any]:
    d = event.data
    poll = state.polls.polls[d["poll"]]
    seen: dict[str, Any] = {"poll": poll.id, "answers": len(poll.answers)}
    if audience is Audience.PARTICIPANT and viewer == d["voter"]:
        seen["answer"] = d.get("answer")  # None: cleared
    if not sees_results(poll, audience):
        return seen
    if poll.kind != "text":
        return {**seen, "results": results(poll)}
    # Open texts change one at a time: the text given and the one it replaces, not them all.
    added = {"id": event.seq, "text": d["answer"]} if event.name == "poll.answered" else None
    return {**seen, "added": added, "removed": d["replaces"]}


def subjects(state: HallState, event: Event) -> set[str]:
    """Members who see an event of this slice their own way: who answered, for their answer."""
    if event.name in _ANSWER_EVENTS:
        return {event.data["voter"]}
    return set()


def actor_view(state: HallState, event: Event, audience: Audience,
               viewer: str | None) -> str | None:
    """Who an event of this slice is shown as coming from; None: its actor."""
    if event.name in _ANSWER_EVENTS:
        voter: str = event.data["voter"]
        return voter if audience is Audience.PARTICIPANT and viewer == voter else NOBODY
    return None


def own_view(state: HallState, viewer: str) -> bool:
    """Whether ``viewer``'s snapshot of this slice differs from their audience's: an answer."""
    return any(viewer in p.answers for p in state.polls.polls.values())


_ID = Ref()
_DEFINITION: dict[str, Field] = {"options": OptionList(), "max": Int(1, 100),
                                  "session": Ref(nullable=True), "reveal": Choice(REVEALS)}
_REQUIRED: dict[str, Field] = {"kind": Choice(KINDS), "question": QUESTION}
_PREPARED = spec(_REQUIRED, {k: v for k, v in _DEFINITION.items() if k != "session"})

COMMANDS = (
    CommandSpec("poll.create", spec(_REQUIRED, _DEFINITION), ORGANIZER, _create),
    CommandSpec("poll.update", spec({"id": _ID, **_REQUIRED}, _DEFINITION), ORGANIZER, _update),
    CommandSpec("poll.remove", spec({"id": _ID}), ORGANIZER, _remove),
    CommandSpec("poll.open", spec({"id": _ID}), ORGANIZER, _open),
    CommandSpec("poll.close", spec({"id": _ID}), ORGANIZER, _close),
    CommandSpec("poll.answer", spec({"poll": _ID, "answer": AnswerField()}), PARTICIPANT,
                _answer),
    CommandSpec("poll.clear", spec({"poll": _ID}), PARTICIPANT, _clear),
)

APPLIERS: dict[str, Applier] = {
    "poll.created": _apply_created,
    "poll.updated": _apply_created,  # a draft's whole definition, replaced
    "poll.removed": _apply_removed,
    "poll.opened": _apply_opened,
    "poll.closed": _apply_closed,
    "poll.answered": _apply_answered,
    "poll.cleared": _apply_cleared,
}
