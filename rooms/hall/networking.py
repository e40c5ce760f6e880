"""Cross-sectoral speed networking: timed rounds, their groups, and stay-in-touch requests.

What the tools do, and what this does. Brella and Swapcard pair by declared interests and leave
people to book meetings; Remo, Airmeet and Zoom's breakouts shuffle at random. Their users
complain about meeting the same person twice and about the odd person left alone. Here the
organizer runs timed rounds in the agenda's ``networking`` session, as a speed-dating host does,
and the pairing (``rooms.hall.matching.pair_round``) puts people together who would not
otherwise meet (Vaggi et al., eLife 2014): across sectors and countries, never twice, never two
of one organization, nobody alone (one triad for an odd count), nobody in a triad twice while
others have not been.

- **Settings** (``networking.configure``, the organizer): the number of rounds, their length,
  the call-link template of remote groups (``{forum}``, ``{round}``, ``{table}``), whether
  on-site and remote people may meet (off), the grace time for no-shows and the weights.
- **A round** (``round.start``, the organizer, only in a networking session) pairs the people
  the conductor sees online (``present``) who have not opted out (``networking.opt_out``).
  Its **result** (numbered tables, call links, what it relaxed, its quality figures, its timer)
  is the event ``round.started``: a replay never runs the matcher again. Someone who arrives
  late joins the next round. ``round.extend`` and ``round.end`` change the timer; when it runs
  out the server sends ``round.expire`` (``due``).
- **No-shows** (``round.repair``, the organizer, one action after the grace time): people whose
  partner did not come are paired among themselves and with anyone waiting.
- **Staying in touch**: ``rooms/hall/contacts.py``. Views: ``rooms/hall/network_views.py``.
  The protocol: ``docs/protocol-hall-networking.md``.

Between rounds an agenda move is the organizer's: a running round does not end when the forum
leaves the networking session (its timer ends it), and a new one starts only in one.
"""

from __future__ import annotations

import string
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from ..actors import Actor
from ..errors import ErrorCode, Rejection, reject
from ..events import Event
from ..fields import FieldError, Flag, Int, Text, spec
from ..registry import ORGANIZER, PARTICIPANT, SYSTEM_ONLY, Applier, CommandSpec, Decision, one
from . import contacts, matching
from .assignment import MAX_SEED, MemberList
from .matching import MIXED, ONSITE, REMOTE, Candidate, Group, Weights
from .network_state import NetworkingConfig, NetworkingState, Round, Table
from .network_views import actor_view, event_view, own_view, subjects, view

if TYPE_CHECKING:
    from .state import HallState

__all__ = ["APPLIERS", "COMMANDS", "NetworkingConfig", "NetworkingState", "Round", "Table",
           "actor_view", "call_link", "connections_of", "due", "event_view", "own_view",
           "subjects", "view"]

MAX_ROUNDS = 50
MIN_SECONDS, MAX_SECONDS = 10, 2 * 3600  # a round's length
MAX_EXTEND = 3600
MAX_GRACE = 3600
MAX_WEIGHT = 100
PLACEHOLDERS = ("forum", "round", "table")


def connections_of(state: HallState, member: str) -> list[tuple[str, int]]:
    """The people ``member`` is connected with (both asked), with when: for their own eyes."""
    return [(b if a == member else a, at) for a, b, at in state.networking.connected
            if member in (a, b)]


def due(state: HallState) -> tuple[int, str] | None:
    """When the running round's timer runs out, and the system command that ends it."""
    current = state.networking.current
    return (current.ends_at, "round.expire") if current is not None else None


# Arguments -----------------------------------------------------------------------------------


class Template:
    """A call-link template: an http(s) URL with ``{table}``, and ``{forum}``/``{round}``."""

    def check(self, name: str, value: object) -> str:
        text: str = Text(500, min_len=0).check(name, value)
        if not text:
            return text  # no link: remote groups cannot be formed until one is set
        if not text.startswith(("https://", "http://")) or any(c.isspace() for c in text):
            raise FieldError(f"'{name}' must be an http(s) link without spaces")
        try:
            parts = list(string.Formatter().parse(text))
        except ValueError as error:
            raise FieldError(f"'{name}' has an unbalanced brace: {error}") from error
        fields = set()
        for _literal, field_name, format_spec, conversion in parts:
            if field_name is None:
                continue
            if field_name not in PLACEHOLDERS or format_spec or conversion:
                raise FieldError(f"'{name}' may use only {{forum}}, {{round}} and {{table}}, "
                                 f"not {{{field_name}}}")
            fields.add(field_name)
        if "table" not in fields:
            raise FieldError(f"'{name}' needs {{table}}, so that each group has its own call")
        return text


class WeightsField:
    """``{"sector"?: 0..100, "country"?: 0..100}``: what a cross meeting is worth."""

    def check(self, name: str, value: object) -> dict[str, int]:
        checked: dict[str, int] = spec(optional={"sector": Int(0, MAX_WEIGHT),
                                                 "country": Int(0, MAX_WEIGHT)}).check(value)
        return checked


def call_link(template: str, forum: str, round_number: int, number: int) -> str:
    """A group's call link: the template with the hall's id, the round and the group's number."""
    return template.format(forum=quote(forum, safe=""), round=round_number, table=number)


# Deciders: settings --------------------------------------------------------------------------


def _configure(state: HallState, args: Mapping[str, Any], actor: Actor, now: int) -> Decision:
    if not args:
        return reject(ErrorCode.INVALID_ARGS, "nothing to change")
    config = state.networking.config
    seconds = config.seconds
    if "minutes" in args or "seconds" in args:
        seconds = args.get("minutes", 0) * 60 + args.get("seconds", 0)
        if not MIN_SECONDS <= seconds <= MAX_SECONDS:
            return reject(ErrorCode.INVALID_ARGS, f"a round lasts {MIN_SECONDS} s to "
                          f"{MAX_SECONDS // 60} minutes")
    rounds = args.get("rounds", config.rounds)
    if rounds < len(state.networking.rounds):
        return reject(ErrorCode.INVALID_STATE,
                      f"{len(state.networking.rounds)} rounds have run already")
    weights = {"sector": config.weights.sector, "country": config.weights.country,
               **args.get("weights", {})}
    after = NetworkingConfig(rounds, seconds, args.get("template", config.template),
                             args.get("mixed", config.mixed),
                             args.get("grace_seconds", config.grace_seconds),
                             Weights(weights["sector"], weights["country"]))
    if after == config:
        return reject(ErrorCode.INVALID_STATE, "the settings are so already")
    return one("networking.configured", **after.to_json())


def _opt_out(state: HallState, args: Mapping[str, Any], actor: Actor, now: int) -> Decision:
    if actor.id not in state.members:
        return reject(ErrorCode.INVALID_STATE, "enter the hall first")
    if (actor.id in state.networking.opted_out) == args["out"]:
        return reject(ErrorCode.INVALID_STATE, "opted out already" if args["out"]
                      else "not opted out")
    return one("networking.opted_out", out=args["out"])


# Deciders: rounds ----------------------------------------------------------------------------


def _candidates(state: HallState, ids: set[str]) -> list[Candidate]:
    # In the order people entered the hall: the same state gives the same input to the matcher.
    return [Candidate(m.id, m.sector, m.country, m.organization, m.attendance)
            for m in state.members.values() if m.id in ids]


def _present(state: HallState, args: Mapping[str, Any]) -> list[str] | Rejection:
    present: list[str] = args.get("present", list(state.members))
    if (stranger := next((m for m in present if m not in state.members), None)) is not None:
        return reject(ErrorCode.NOT_FOUND, f"no such member: {stranger}")
    return present


def _places(state: HallState, groups: Sequence[Group], round_number: int, taken: int,
            free_tables: list[int] | None = None) -> list[Table] | Rejection:
    """Numbered groups: on-site tables first (1..k), then mixed groups, then remote calls.

    ``taken`` is the highest number used in the round so far; ``free_tables`` are tables of
    on-site groups a repair dissolved, which new on-site groups take first.
    """
    template = state.networking.config.template
    order = {ONSITE: 0, MIXED: 1, REMOTE: 2}
    free = list(free_tables or [])
    tables: list[Table] = []
    for g in sorted(groups, key=lambda g: order[g.mode]):
        if g.mode == ONSITE and free:
            number = free.pop(0)
        else:
            taken += 1
            number = taken
        call = None
        if g.mode != ONSITE:
            if not template:
                return reject(ErrorCode.INVALID_STATE, "remote people need a call link: set "
                              "the call-link template first (networking.configure)")
            call = call_link(template, state.id, round_number, number)
        tables.append(Table(number, g.members, g.mode, number if g.mode != REMOTE else None,
                            call))
    return tables


def _quality(state: HallState, tables: Sequence[Table], met: set[frozenset[str]]
             ) -> dict[str, Any]:
    people = _candidates(state, {m for t in tables for m in t.members})
    q = matching.quality([Group(t.members, t.mode) for t in tables], people, met)
    return {"groups": q.groups, "cross_sector": q.cross_sector,
            "cross_country": q.cross_country, "repeats": q.repeats,
            "same_organization": q.same_organization, "sector_bound": q.sector_bound,
            "bound_share": q.bound_share}


def _start(state: HallState, args: Mapping[str, Any], actor: Actor, now: int) -> Decision:
    net = state.networking
    session = state.agenda.current
    if session is None or session.kind != "networking":
        return reject(ErrorCode.INVALID_STATE,
                      "the forum is not in a networking session: move to one first")
    if (current := net.current) is not None:
        return reject(ErrorCode.INVALID_STATE, f"round {current.number} is on: end it first")
    if len(net.rounds) >= net.config.rounds:
        return reject(ErrorCode.INVALID_STATE, f"all {net.config.rounds} rounds have run: "
                      "raise the number of rounds to run another")
    present = _present(state, args)
    if isinstance(present, Rejection):
        return present
    people = _candidates(state, set(present) - net.opted_out)
    if len(people) < 2:
        return reject(ErrorCode.INVALID_STATE, "fewer than two people to pair")
    seed = args.get("seed", state.seq + 1)
    met = net.met()
    pairing = matching.pair_round(people, met, net.in_triad(), net.config.weights,
                                  mixed=net.config.mixed, seed=seed)
    if not pairing.groups:
        return reject(ErrorCode.INVALID_STATE, "nobody present can be paired")
    number = len(net.rounds) + 1
    tables = _places(state, pairing.groups, number, 0)
    if isinstance(tables, Rejection):
        return tables
    grouped = {m for t in tables for m in t.members}
    duration = net.config.seconds * 1000
    return one("round.started", round=number, session=session.id, seed=seed,
               duration_ms=duration, ends_at=now + duration,
               groups=[t.to_json() for t in tables], relaxed=list(pairing.relaxed),
               quality=_quality(state, tables, met),
               unpaired=[p.id for p in people if p.id not in grouped])


def _running(state: HallState) -> Round | Rejection:
    current = state.networking.current
    return current if current is not None else reject(ErrorCode.INVALID_STATE,
                                                      "no round is on")


def _extend(state: HallState, args: Mapping[str, Any], actor: Actor, now: int) -> Decision:
    current = _running(state)
    if isinstance(current, Rejection):
        return current
    # A timer that ran out a moment ago (its expiry on the way) is extended from now.
    ends_at = max(current.ends_at, now) + args["seconds"] * 1000
    return one("round.extended", round=current.number, seconds=args["seconds"],
               ends_at=ends_at, duration_ms=ends_at - current.started_at)


def _end(state: HallState, args: Mapping[str, Any], actor: Actor, now: int) -> Decision:
    current = _running(state)
    if isinstance(current, Rejection):
        return current
    return one("round.ended", round=current.number, by="organizer")


def _expire(state: HallState, args: Mapping[str, Any], actor: Actor, now: int) -> Decision:
    current = state.networking.current
    if current is None or now < current.ends_at:
        return reject(ErrorCode.INVALID_STATE, "the round's time has not run out")
    return one("round.ended", round=current.number, by="timer")


def _repair(state: HallState, args: Mapping[str, Any], actor: Actor, now: int) -> Decision:
    current = _running(state)
    if isinstance(current, Rejection):
        return current
    net = state.networking
    grace_ends = current.started_at + net.config.grace_seconds * 1000
    if now < grace_ends:
        return reject(ErrorCode.INVALID_STATE, "give people the grace time to arrive: "
                      f"{(grace_ends - now + 999) // 1000} s more")
    if "absent" not in args and "present" not in args:
        return reject(ErrorCode.INVALID_ARGS, "name the no-shows (absent) or who is here "
                      "(present)")
    grouped = current.grouped()
    absent_given: list[str] = args.get("absent", [])
    for member in absent_given:
        if member not in grouped:
            return reject(ErrorCode.NOT_FOUND, f"{member} is not in a group of this round")
    if "present" in args:
        present = _present(state, args)
        if isinstance(present, Rejection):
            return present
        here = set(present)
        absent = set(absent_given) | (grouped - here)
        # A no-show of an earlier repair who is here now waits like anyone else.
        waiting = here - grouped - net.opted_out
    else:
        absent, waiting = set(absent_given), set(current.unpaired)
    if not absent:
        return reject(ErrorCode.INVALID_STATE, "everyone's partner is here")
    return _repaired(state, current, absent, waiting - absent, args.get("seed", state.seq + 1))


def _repaired(state: HallState, current: Round, absent: set[str], waiting: set[str],
              seed: int) -> Decision:
    net = state.networking
    kept: list[Table] = []
    stranded: set[str] = set()
    dissolved: list[Table] = []
    changed: list[int] = []
    for t in current.groups:
        here = tuple(m for m in t.members if m not in absent)
        if len(here) == len(t.members):
            kept.append(t)
        elif len(here) >= 2:  # a triad that lost one is a pair: nobody to re-pair
            kept.append(replace(t, members=here))
            changed.append(t.number)
        else:
            stranded.update(here)
            dissolved.append(t)
    pool = _candidates(state, stranded | waiting)
    history = replace(net, rounds=(*net.rounds[:-1], replace(current, groups=tuple(kept))))
    met, in_triad = history.met(), history.in_triad()
    pairing = matching.pair_round(pool, met, in_triad, net.config.weights,
                                  mixed=net.config.mixed, seed=seed)
    taken = max(t.number for t in current.groups)
    free = sorted(t.number for t in dissolved if t.mode == ONSITE)
    new = _places(state, pairing.groups, current.number, taken, free)
    if isinstance(new, Rejection):
        return new
    relaxed = set(pairing.relaxed)
    grouped = {m for t in new for m in t.members}
    for person in [p for p in pool if p.id not in grouped]:
        joined = _join_a_pair(state, kept, person, met, in_triad, relaxed)
        if joined is not None:
            changed.append(joined)
            grouped.add(person.id)
    groups = sorted([*kept, *new], key=lambda t: t.number)
    earlier = replace(net, rounds=net.rounds[:-1]).met()
    unpaired = [m for m in state.members
                if m in (stranded | waiting | set(current.unpaired)) - grouped - absent]
    return one("round.repaired", round=current.number, absent=sorted(absent),
               dissolved=[t.number for t in dissolved],
               changed=sorted({*changed, *(t.number for t in new)}),
               groups=[t.to_json() for t in groups], relaxed=sorted(relaxed),
               quality=_quality(state, groups, earlier), unpaired=unpaired)


def _join_a_pair(state: HallState, kept: list[Table], person: Candidate,
                 met: set[frozenset[str]], in_triad: set[str], relaxed: set[str]) -> int | None:
    """Make a pair of the round a triad with ``person``, who is left alone; its number."""
    members = state.members
    mixed = state.networking.config.mixed

    def fits(t: Table) -> bool:
        kinds = {members[m].attendance for m in t.members} | {person.attendance}
        return len(t.members) == 2 and (mixed or len(kinds) == 1)

    def cost(t: Table) -> tuple[int, int, int, int]:
        return (sum(matching.pair_key(person.id, m) in met for m in t.members),
                sum(bool(person.organization) and members[m].organization
                    == person.organization for m in t.members),
                sum(m in in_triad for m in (*t.members, person.id)), t.number)

    options = sorted((t for t in kept if fits(t)), key=cost)
    if not options:
        return None
    best = options[0]
    repeats, same_org, triads, _number = cost(best)
    relaxed.update(name for name, hit in (("repeat", repeats), ("organization", same_org),
                                          ("triad", triads)) if hit)
    kinds = {members[m].attendance for m in best.members} | {person.attendance}
    mode = kinds.pop() if len(kinds) == 1 else MIXED
    call = best.call
    if mode != best.mode and call is None:
        template = state.networking.config.template
        if not template:
            return None
        call = call_link(template, state.id, state.networking.rounds[-1].number, best.number)
    table = best.table if best.table is not None or mode == REMOTE else best.number
    kept[kept.index(best)] = Table(best.number, (*best.members, person.id), mode, table, call)
    return best.number


# Appliers ------------------------------------------------------------------------------------


def _with(state: HallState, **changes: Any) -> HallState:
    return replace(state, networking=replace(state.networking, **changes))


def _with_current(state: HallState, **changes: Any) -> HallState:
    rounds = state.networking.rounds
    return _with(state, rounds=(*rounds[:-1], replace(rounds[-1], **changes)))


def _apply_configured(state: HallState, e: Event) -> HallState:
    d = e.data
    config = NetworkingConfig(d["rounds"], d["seconds"], d["template"], d["mixed"],
                              d["grace_seconds"],
                              Weights(d["weights"]["sector"], d["weights"]["country"]))
    return _with(state, config=config)


def _apply_opted_out(state: HallState, e: Event) -> HallState:
    out = state.networking.opted_out
    return _with(state, opted_out=out | {e.actor} if e.data["out"] else out - {e.actor})


def _apply_started(state: HallState, e: Event) -> HallState:
    d = e.data
    r = Round(d["round"], d["session"], d["seed"], e.at, d["ends_at"], d["duration_ms"],
              tuple(Table.from_json(g) for g in d["groups"]), tuple(d["relaxed"]),
              dict(d["quality"]), tuple(d["unpaired"]))
    return _with(state, rounds=(*state.networking.rounds, r))


def _apply_extended(state: HallState, e: Event) -> HallState:
    return _with_current(state, ends_at=e.data["ends_at"], duration_ms=e.data["duration_ms"])


def _apply_ended(state: HallState, e: Event) -> HallState:
    return _with_current(state, ended_at=e.at, ended_by=e.data["by"])


def _apply_repaired(state: HallState, e: Event) -> HallState:
    d = e.data
    current = state.networking.rounds[-1]
    grouped = {m for g in d["groups"] for m in g["members"]}
    return _with_current(
        state, groups=tuple(Table.from_json(g) for g in d["groups"]),
        relaxed=tuple(sorted({*current.relaxed, *d["relaxed"]})), quality=dict(d["quality"]),
        unpaired=tuple(d["unpaired"]),
        absent=tuple(m for m in (*current.absent, *d["absent"]) if m not in grouped))


_CONFIGURE = spec(optional={
    "rounds": Int(1, MAX_ROUNDS), "minutes": Int(0, MAX_SECONDS // 60),
    "seconds": Int(0, MAX_SECONDS), "template": Template(), "mixed": Flag(),
    "grace_seconds": Int(0, MAX_GRACE), "weights": WeightsField()})

COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec("networking.configure", _CONFIGURE, ORGANIZER, _configure),
    CommandSpec("networking.opt_out", spec({"out": Flag()}), PARTICIPANT, _opt_out),
    CommandSpec("round.start", spec(optional={"present": MemberList(),
                                              "seed": Int(0, MAX_SEED)}), ORGANIZER, _start),
    CommandSpec("round.extend", spec({"seconds": Int(1, MAX_EXTEND)}), ORGANIZER, _extend),
    CommandSpec("round.end", spec(), ORGANIZER, _end),
    CommandSpec("round.expire", spec(), SYSTEM_ONLY, _expire),
    CommandSpec("round.repair", spec(optional={
        "absent": MemberList(), "present": MemberList(), "seed": Int(0, MAX_SEED)}),
        ORGANIZER, _repair),
    *contacts.COMMANDS,
)

APPLIERS: dict[str, Applier] = {
    "networking.configured": _apply_configured,
    "networking.opted_out": _apply_opted_out,
    "round.started": _apply_started,
    "round.extended": _apply_extended,
    "round.ended": _apply_ended,
    "round.repaired": _apply_repaired,
    **contacts.APPLIERS,
}
