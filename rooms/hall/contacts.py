"""Staying in touch after a networking round: consent on both sides makes a connection.

A participant asks to stay in touch with someone they were grouped with in a round of this
forum (``contact.request``), during the meeting or at any time after it, and may take a request
back while it is one-sided (``contact.withdraw``). When both have asked, the second request
also makes a connection (``contact.connected``, in the same decision). Brella and Swapcard
show "X wants to connect" to its target; here a one-sided request reveals nothing to anyone but
its sender (no pressure, no embarrassment when it is not returned), and a connection is seen by
its two people only; everyone else sees how many connections the forum has made, never whose.

Contact details (email, phone, a profile link) are never in the log: they live in the store's
participant records and are joined in at the edge for the two connected people only
(``networking.connections_of``). A connection is not undone here: erasure is the results'.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from ..actors import Actor
from ..errors import ErrorCode, reject
from ..events import Draft, Event
from ..fields import Ref, spec
from ..registry import PARTICIPANT, Applier, CommandSpec, Decision, one

if TYPE_CHECKING:
    from .state import HallState


def _request(state: HallState, args: Mapping[str, Any], actor: Actor, now: int) -> Decision:
    net, other = state.networking, args["member"]
    if actor.id not in state.members:
        return reject(ErrorCode.INVALID_STATE, "enter the hall first")
    if not net.have_met(actor.id, other):
        return reject(ErrorCode.NOT_FOUND, "no such person among the people you met")
    if net.is_connected(actor.id, other):
        return reject(ErrorCode.INVALID_STATE, "you are connected already")
    if other in net.requests.get(actor.id, {}):
        return reject(ErrorCode.INVALID_STATE, "you asked already")
    drafts = [Draft("contact.requested", {"member": other})]
    if actor.id in net.requests.get(other, {}):
        drafts.append(Draft("contact.connected", {"a": other, "b": actor.id}))
    return drafts


def _withdraw(state: HallState, args: Mapping[str, Any], actor: Actor, now: int) -> Decision:
    net, other = state.networking, args["member"]
    if net.is_connected(actor.id, other):
        return reject(ErrorCode.INVALID_STATE, "you are connected: both of you asked")
    if other not in net.requests.get(actor.id, {}):
        return reject(ErrorCode.NOT_FOUND, "no request to this person to withdraw")
    return one("contact.withdrawn", member=other)


def _with_requests(state: HallState, requests: dict[str, Mapping[str, int]],
                   **changes: Any) -> HallState:
    cleaned = {k: v for k, v in requests.items() if v}
    return replace(state, networking=replace(state.networking, requests=cleaned, **changes))


def _without(requests: dict[str, Mapping[str, int]], sender: str, target: str) -> None:
    requests[sender] = {k: v for k, v in requests.get(sender, {}).items() if k != target}


def _apply_requested(state: HallState, e: Event) -> HallState:
    requests = dict(state.networking.requests)
    requests[e.actor] = {**requests.get(e.actor, {}), e.data["member"]: e.at}
    return _with_requests(state, requests)


def _apply_withdrawn(state: HallState, e: Event) -> HallState:
    requests = dict(state.networking.requests)
    _without(requests, e.actor, e.data["member"])
    return _with_requests(state, requests)


def _apply_connected(state: HallState, e: Event) -> HallState:
    a, b = e.data["a"], e.data["b"]
    requests = dict(state.networking.requests)
    _without(requests, a, b)
    _without(requests, b, a)
    return _with_requests(state, requests,
                          connected=(*state.networking.connected, (a, b, e.at)))


_MEMBER = spec({"member": Ref()})

COMMANDS = (
    CommandSpec("contact.request", _MEMBER, PARTICIPANT, _request),
    CommandSpec("contact.withdraw", _MEMBER, PARTICIPANT, _withdraw),
)

APPLIERS: dict[str, Applier] = {
    "contact.requested": _apply_requested,
    "contact.withdrawn": _apply_withdrawn,
    "contact.connected": _apply_connected,
}
