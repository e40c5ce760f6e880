"""The gate every command of every log passes before its rule runs, and the fold of events.

A command must exist, the actor's role must be allowed to send it, the log must have been
created (but for the command that creates it), its arguments must check, and a participant's
command must be allowed by the log's current step (a room's phase, the hall's session). Other
roles are never gated by the step. The same gate serves every kind of log (``rooms.kind``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from .actors import Actor, Role
from .errors import ErrorCode, Rejection, reject
from .events import Event, number
from .fields import FieldError
from .registry import Applier, CommandSpec

# Why a participant may not use a capability in the current step, or None when they may.
StepGate = Callable[[Any, str], Rejection | None]


@dataclass(frozen=True, slots=True)
class Command:
    """What a client asks a log to do: a command name and its arguments."""

    name: str
    args: Mapping[str, Any]


class LogGapError(ValueError):
    """An event was applied out of order: the log it came from skipped a seq."""


@dataclass(frozen=True, slots=True)
class Rules:
    """The commands and appliers of one kind of log, with its creation command and step gate."""

    noun: str  # what the log is called in messages: "room", "hall"
    commands: Mapping[str, CommandSpec]
    appliers: Mapping[str, Applier]
    create: str  # the only command a log that does not exist yet accepts
    created: Callable[[Any], bool]
    step_gate: StepGate

    @classmethod
    def of(cls, noun: str, slices: tuple[Any, ...], create: str,
           created: Callable[[Any], bool], step_gate: StepGate) -> Rules:
        """Rules composed of slice modules, each with ``COMMANDS`` and ``APPLIERS``."""
        commands = {c.name: c for s in slices for c in s.COMMANDS}
        appliers = {n: a for s in slices for n, a in s.APPLIERS.items()}
        return cls(noun, commands, appliers, create, created, step_gate)


def decide(rules: Rules, state: Any, command: Command, actor: Actor,
           now: int) -> list[Event] | Rejection:
    """The events ``command`` produces in ``state`` at server time ``now``, or why not."""
    spec = rules.commands.get(command.name)
    if spec is None:
        return reject(ErrorCode.UNKNOWN_COMMAND, f"unknown command '{command.name}'")
    if actor.role not in spec.roles:
        who = f"{_article(actor.role)} {actor.role}"
        return reject(ErrorCode.FORBIDDEN, f"{who} may not send '{command.name}'")
    if not rules.created(state) and command.name != rules.create:
        return reject(ErrorCode.INVALID_STATE, f"the {rules.noun} has not been created")
    try:
        args = spec.args.check(command.args)
    except FieldError as error:
        return reject(ErrorCode.INVALID_ARGS, str(error))
    if (actor.role is Role.PARTICIPANT and spec.capability is not None
            and (denied := rules.step_gate(state, spec.capability))):
        return denied
    decision = spec.decide(state, args, actor, now)
    if isinstance(decision, Rejection):
        return decision
    return number(decision, state.seq, now, actor.id)


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


def apply(rules: Rules, state: Any, event: Event) -> Any:
    """The state after ``event``; an event at or below the state's seq changes nothing.

    An event of a kind this version does not know only advances ``seq``: a newer server may
    have written it, and an older replica must still follow the log.
    """
    if event.seq <= state.seq:
        return state
    if event.seq != state.seq + 1:
        raise LogGapError(f"expected seq {state.seq + 1}, got {event.seq}")
    applier = rules.appliers.get(event.name)
    after = applier(state, event) if applier else state
    return replace(after, seq=event.seq)
