"""Phases: the ordered steps of a room, which gate what participants may do."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from .actors import Actor
from .errors import ErrorCode, reject
from .events import Event
from .fields import Choice, FieldError, Flag, Ref, Text, spec
from .registry import FACILITATOR, Applier, CommandSpec, Decision, one
from .state import CAPABILITIES, Phase, RoomState

_ID = re.compile(r"^[a-z][a-z0-9_-]{0,31}$")
_LABEL = Text(40)


def _phase(id: str, label: str, *allows: str) -> Phase:
    return Phase(id, label, frozenset(allows))


# The default agenda of a hackathon room, in the order of a design-thinking session.
DEFAULT_PHASES = (
    _phase("brief", "Brief"),
    _phase("ideate", "Ideate", "ideas", "comments", "reactions"),
    _phase("cluster", "Cluster", "comments", "reactions"),
    _phase("vote", "Vote", "votes", "reactions"),
    _phase("refine", "Refine", "ideas", "comments", "reactions", "outcomes"),
    _phase("results", "Results", "reactions"),
)


def phase_to_json(phase: Phase) -> dict[str, Any]:
    """A phase as JSON, capabilities in their canonical order."""
    return {"id": phase.id, "label": phase.label,
            "allows": [c for c in CAPABILITIES if c in phase.allows]}


def phases_from_json(raw: list[dict[str, Any]]) -> tuple[Phase, ...]:
    """Rebuild phases written by ``phase_to_json`` (already validated)."""
    return tuple(Phase(p["id"], p["label"], frozenset(p["allows"])) for p in raw)


class PhaseList:
    """Argument check for a configurable agenda: 1 to 20 phases with unique ids."""

    def check(self, name: str, value: object) -> list[dict[str, Any]]:
        if not isinstance(value, list) or not 1 <= len(value) <= 20:
            raise FieldError(f"'{name}' must be a list of 1 to 20 phases")
        phases = [self._one(name, item) for item in value]
        if len({p["id"] for p in phases}) != len(phases):
            raise FieldError(f"'{name}' has two phases with one id")
        return phases

    def _one(self, name: str, item: object) -> dict[str, Any]:
        if not isinstance(item, Mapping):
            raise FieldError(f"each of '{name}' must be an object")
        pid, label, allows = item.get("id"), item.get("label"), item.get("allows", [])
        if not isinstance(pid, str) or not _ID.match(pid):
            raise FieldError(f"a phase id must be lower-case letters, digits, - or _: {pid!r}")
        try:
            label = _LABEL.check("label", label)  # a text field like any other
        except FieldError as error:
            raise FieldError(f"phase '{pid}': {error}") from error
        if not isinstance(allows, list) or any(a not in CAPABILITIES for a in allows):
            raise FieldError(f"phase '{pid}' may allow only: {', '.join(CAPABILITIES)}")
        return phase_to_json(Phase(pid, label, frozenset(allows)))


def _move_to(state: RoomState, index: int) -> Decision:
    if index == state.phases.current:
        return reject(ErrorCode.INVALID_STATE, "the room is in that phase already")
    old, new = state.phases.phases[state.phases.current], state.phases.phases[index]
    return one("phase.changed", phase=new.id, previous=old.id)


def _set(state: RoomState, args: Mapping[str, Any], actor: Actor, now: int) -> Decision:
    index = state.phases.index_of(args["phase"])
    if index is None:
        return reject(ErrorCode.NOT_FOUND, f"no phase '{args['phase']}' in this room")
    return _move_to(state, index)


def _next(state: RoomState, args: Mapping[str, Any], actor: Actor, now: int) -> Decision:
    if state.phases.current + 1 >= len(state.phases.phases):
        return reject(ErrorCode.INVALID_STATE, "this is the last phase")
    return _move_to(state, state.phases.current + 1)


def _back(state: RoomState, args: Mapping[str, Any], actor: Actor, now: int) -> Decision:
    if state.phases.current == 0:
        return reject(ErrorCode.INVALID_STATE, "this is the first phase")
    return _move_to(state, state.phases.current - 1)


def _allow(state: RoomState, args: Mapping[str, Any], actor: Actor, now: int) -> Decision:
    # Lets the facilitator open a capability mid-session, e.g. clustering in the Cluster phase.
    index = state.phases.index_of(args["phase"])
    if index is None:
        return reject(ErrorCode.NOT_FOUND, f"no phase '{args['phase']}' in this room")
    capability, allowed = args["capability"], args["allowed"]
    if (capability in state.phases.phases[index].allows) == allowed:
        return reject(ErrorCode.INVALID_STATE,
                      f"the phase {'allows' if allowed else 'does not allow'} it already")
    return one("phase.allowed", phase=args["phase"], capability=capability, allowed=allowed)


def _apply_allowed(state: RoomState, event: Event) -> RoomState:
    d = event.data
    index = state.phases.index_of(d["phase"])
    assert index is not None, "a phase.allowed event names a phase of the room"
    phase = state.phases.phases[index]
    allows = phase.allows | {d["capability"]} if d["allowed"] else phase.allows - {d["capability"]}
    phases = (*state.phases.phases[:index], replace(phase, allows=frozenset(allows)),
              *state.phases.phases[index + 1:])
    return replace(state, phases=replace(state.phases, phases=phases))


def _apply_changed(state: RoomState, event: Event) -> RoomState:
    index = state.phases.index_of(event.data["phase"])
    assert index is not None, "a phase.changed event names a phase of the room"
    return replace(state, phases=replace(state.phases, current=index))


COMMANDS = (
    CommandSpec("phase.set", spec({"phase": Ref()}), FACILITATOR, _set),
    CommandSpec("phase.next", spec(), FACILITATOR, _next),
    CommandSpec("phase.back", spec(), FACILITATOR, _back),
    CommandSpec("phase.allow", spec({"phase": Ref(), "capability": Choice(CAPABILITIES),
                                     "allowed": Flag()}), FACILITATOR, _allow),
)

APPLIERS: dict[str, Applier] = {"phase.changed": _apply_changed, "phase.allowed": _apply_allowed}
