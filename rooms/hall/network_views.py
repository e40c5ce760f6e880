"""What each audience sees of the networking rounds and of who asked to stay in touch.

- **A participant** sees, per round, their own group: each partner's id, name, organization,
  sector, country and one-line ``about``, and where (table number or call link); the timer is
  everyone's. Their own frame of ``round.started`` (and of a ``round.repaired`` that changed
  their group) carries it; others' frames say only that a round started (``group`` null).
- **The projector** sees the on-site table plan of the current round: table numbers and the
  names of the people at each. Names are on the projector elsewhere (members) and people need
  them to find their table; remote groups are not shown.
- **Staff** see the whole round: every group, its table or call, the quality figures, what was
  relaxed, who is unpaired, absent or waiting, and who opted out.
- **Contacts**: a one-sided request or its withdrawal is seen by its sender only: everyone
  else, its target and the staff included, gets it redacted (seq kept), shown as coming from
  ``"anonymous"``. A connection is seen by its two people; everyone else gets the forum's
  count of connections (``{"connections": n}``), never who.

Views of an event are made with a state at or after it; everything they show comes from the
event's own data or from what never changes once made (the order of connections), so a view
on a resume is the same as live, but for profiles, which are shown as they are now.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..audience import Audience
from ..events import Event
from ..projection import REDACTED
from .network_state import Round, Table

if TYPE_CHECKING:
    from .state import HallState

ANONYMOUS = "anonymous"  # who a private action is shown as coming from, to all but its actor
_ROUNDS = frozenset({"round.started", "round.extended", "round.ended", "round.repaired"})
_PRIVATE = frozenset({"contact.requested", "contact.withdrawn", "networking.opted_out"})
_EVENTS = _ROUNDS | _PRIVATE | {"networking.configured", "contact.connected"}


def _public_config(data: dict[str, Any]) -> dict[str, Any]:
    # The call-link template stays with the staff: with it anyone could open any group's call.
    return {"rounds": data["rounds"], "seconds": data["seconds"]}


def partner_view(state: HallState, member_id: str) -> dict[str, Any]:
    """Whom one meets: the profile a partner shows, with their optional one-line "about"."""
    m = state.members.get(member_id)
    if m is None:
        return {"id": member_id, "name": "", "organization": "", "sector": "",
                "country": "", "about": ""}
    return {"id": m.id, "name": m.name, "organization": m.organization, "sector": m.sector,
            "country": m.country, "about": getattr(m, "about", "") or ""}


def group_view(state: HallState, table: Table, viewer: str) -> dict[str, Any]:
    """A participant's own group: where it meets and whom they meet."""
    return {"number": table.number, "mode": table.mode, "table": table.table,
            "call": table.call,
            "partners": [partner_view(state, m) for m in table.members if m != viewer]}


def _own_group(state: HallState, groups: list[dict[str, Any]],
               viewer: str | None) -> dict[str, Any] | None:
    if viewer is None:
        return None
    found = next((g for g in groups if viewer in g["members"]), None)
    return group_view(state, Table.from_json(found), viewer) if found is not None else None


def tables_view(state: HallState, groups: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The projector's table plan: each table with on-site people, and their names."""
    plan = []
    for g in sorted((g for g in groups if g["table"] is not None), key=lambda g: g["table"]):
        names = [m.name for m in (state.members.get(i) for i in g["members"])
                 if m is not None and m.attendance == "onsite"]
        plan.append({"table": g["table"], "names": names})
    return plan


def _timer(r: Round) -> dict[str, Any]:
    return {"round": r.number, "session": r.session, "started_at": r.started_at,
            "ends_at": r.ends_at, "duration_ms": r.duration_ms, "ended_at": r.ended_at,
            "ended_by": r.ended_by}


def _staff_round(state: HallState, r: Round) -> dict[str, Any]:
    grace = state.networking.config.grace_seconds * 1000
    return {**_timer(r), "seed": r.seed, "grace_ends_at": r.started_at + grace,
            "groups": [t.to_json() for t in r.groups], "relaxed": list(r.relaxed),
            "quality": dict(r.quality), "unpaired": list(r.unpaired),
            "absent": list(r.absent)}


def waiting(state: HallState) -> list[dict[str, Any]]:
    """Who is not in a group of the running round (and has not opted out), and why.

    ``unpaired``: present, but nobody could be paired with them; ``late``: entered the hall
    after the round started; ``not_present``: not among the people present at its start (the
    conductor shows those who are online now). No-shows are the round's ``absent``.
    """
    current = state.networking.current
    if current is None:
        return []
    grouped, absent = current.grouped(), set(current.absent)
    unpaired = set(current.unpaired)
    out = []
    for m in state.members.values():
        if m.id in grouped or m.id in absent or m.id in state.networking.opted_out:
            continue
        why = ("unpaired" if m.id in unpaired
               else "late" if m.joined_at > current.started_at else "not_present")
        out.append({"id": m.id, "why": why})
    return out


def view(state: HallState, audience: Audience, viewer: str | None) -> dict[str, Any]:
    """The ``networking`` key of the hall's snapshot."""
    net = state.networking
    current = net.current
    shown: dict[str, Any] = {"current": _timer(current) if current is not None else None,
                             "connections": len(net.connected)}
    if audience is Audience.FACILITATOR:
        shown.update(config=net.config.to_json(),
                     rounds=[_staff_round(state, r) for r in net.rounds],
                     waiting=waiting(state), opted_out=sorted(net.opted_out))
        return {"networking": shown}
    shown["config"] = _public_config(net.config.to_json())
    if audience is Audience.OBSERVER:
        shown["rounds"] = [_timer(r) for r in net.rounds]
        shown["tables"] = (tables_view(state, [t.to_json() for t in current.groups])
                           if current is not None else [])
        return {"networking": shown}
    rounds = []
    for r in net.rounds:
        own = r.group_of(viewer) if viewer is not None else None
        rounds.append({**_timer(r), "group": group_view(state, own, viewer)
                       if own is not None and viewer is not None else None})
    shown.update(
        rounds=rounds, opted_out=viewer is not None and viewer in net.opted_out,
        requests=sorted(net.requests.get(viewer, {})) if viewer is not None else [],
        contacts=[{"member": other, "name": partner_view(state, other)["name"], "at": at}
                  for a, b, at in net.connected if viewer in (a, b)
                  for other in (b if a == viewer else a,)])
    return {"networking": shown}


def event_view(state: HallState, event: Event, audience: Audience,
               viewer: str | None) -> dict[str, Any] | None:
    """An event of this slice as ``viewer`` may see it; None for events of other slices."""
    if event.name not in _EVENTS:
        return None
    data: dict[str, Any] = event.data
    staff = audience is Audience.FACILITATOR
    if event.name in _PRIVATE:
        own = audience is Audience.PARTICIPANT and viewer == event.actor
        return data if own or (staff and event.name == "networking.opted_out") else REDACTED
    if event.name == "contact.connected":
        if audience is Audience.PARTICIPANT and viewer in (data["a"], data["b"]):
            return data
        return {"connections": _connections_until(state, data["a"], data["b"])}
    if staff:
        return data
    if event.name == "networking.configured":
        return _public_config(data)
    if event.name == "round.started":
        timer = {k: data[k] for k in ("round", "session", "ends_at", "duration_ms")}
        if audience is Audience.OBSERVER:
            return {**timer, "tables": tables_view(state, data["groups"])}
        return {**timer, "group": _own_group(state, data["groups"], viewer)}
    if event.name == "round.repaired":
        if audience is Audience.OBSERVER:
            return {"round": data["round"], "tables": tables_view(state, data["groups"])}
        if viewer is not None and viewer in _repaired_subjects(data):
            return {"round": data["round"], "group": _own_group(state, data["groups"], viewer)}
        return {"round": data["round"]}
    if event.name == "round.extended":
        return {k: data[k] for k in ("round", "ends_at", "duration_ms")}
    return data  # round.ended


def _connections_until(state: HallState, a: str, b: str) -> int:
    # The count just after this connection: connections are never undone, so its place in the
    # list is the same live and on a resume.
    return next(i for i, (x, y, _at) in enumerate(state.networking.connected, 1)
                if (x, y) == (a, b))


def _repaired_subjects(data: dict[str, Any]) -> set[str]:
    changed = set(data["changed"])
    return {*data["absent"],
            *(m for g in data["groups"] if g["number"] in changed for m in g["members"])}


def subjects(state: HallState, event: Event) -> set[str]:
    """Members who see an event of this slice their own way."""
    if event.name == "round.started":
        return {m for g in event.data["groups"] for m in g["members"]}
    if event.name == "round.repaired":
        return _repaired_subjects(event.data)
    if event.name in _PRIVATE:
        return {event.actor}
    if event.name == "contact.connected":
        return {event.data["a"], event.data["b"]}
    return set()


def actor_view(state: HallState, event: Event, audience: Audience,
               viewer: str | None) -> str | None:
    """Who an event of this slice is shown as coming from; None: its actor."""
    if event.name == "networking.opted_out":
        return None if audience is Audience.FACILITATOR or viewer == event.actor else ANONYMOUS
    if event.name in _PRIVATE:
        return None if audience is Audience.PARTICIPANT and viewer == event.actor else ANONYMOUS
    if event.name == "contact.connected":
        mine = audience is Audience.PARTICIPANT and viewer in (event.data["a"],
                                                                event.data["b"])
        return None if mine else ANONYMOUS
    return None


def own_view(state: HallState, viewer: str) -> bool:
    """Whether ``viewer``'s snapshot of this slice differs from their audience's."""
    net = state.networking
    return (viewer in net.opted_out or bool(net.requests.get(viewer))
            or any(viewer in (a, b) for a, b, _at in net.connected)
            or any(r.group_of(viewer) is not None for r in net.rounds))
