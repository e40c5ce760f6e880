"""Staying in touch over HTTP: a person's own connections, and the forum's counts for staff.

The hall's log knows who asked whom and who is connected (rooms/hall/networking.py), never a
contact detail: those live in the store's participant records, each one only with its own
consent (server/contacts.py). They are joined in here, at the edge, and only for the two
connected people: ``GET /api/me/connections`` answers a participant the details each of
their connections chose to share, and nothing about anyone else. Staff (the organizer and
facilitators) get counts only, ``GET /api/forums/{forum_id}/networking``: how many
connections, how many across sectors and countries, and by pair of sectors and of countries;
never a name, never a detail. No websocket message carries a detail, since no log holds one.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections import Counter
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from rooms.actors import Role
from rooms.hall.labels import label_view
from rooms.hall.links import revoked
from rooms.hall.networking import connections_of
from rooms.hall.state import HallState

from .api import ApiError, api, gone, grant_of, services
from .auth import Grant
from .room_host import RoomHost
from .services import Services
from .store.base import ParticipantRecord

# The columns of the download, in order: who, then how to reach them, then since when.
CSV_COLUMNS = ("name", "organization", "sector", "country", "about", "email", "phone", "link",
               "connected_at")
# A cell a spreadsheet would run as a formula (CSV injection): shown as text instead.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


async def _own_connections(request: Request) -> tuple[Grant, HallState | None,
                                                      list[dict[str, Any]]]:
    """The participant of the token, their hall's state and their connections, or 4xx."""
    s, grant = services(request), grant_of(request)
    if grant.role is not Role.PARTICIPANT:
        raise ApiError(403, "forbidden", "only a participant has connections of their own")
    me = await s.store.get_participant(grant.subject)
    if me is None or me.forum_id != grant.forum_id:
        raise await gone(s, grant.subject)
    hall = await s.hosts.hall_of(grant.forum_id)
    if hall is None:
        return grant, None, []
    state: HallState = hall.state
    return grant, state, await my_connection_list(s, me, state)


async def my_connection_list(s: Services, me: ParticipantRecord,
                             state: HallState | None) -> list[dict[str, Any]]:
    """A participant's connections with what each other side shares (also in their data)."""
    found = []
    for other_id, at in connections_of(state, me.id) if state is not None else ():
        other = await s.store.get_participant(other_id)
        if other is None or other.forum_id != me.forum_id:
            continue  # erased, or not of this forum: nothing to show
        found.append(_connection_json(other, at))
    return found


def _connection_json(other: ParticipantRecord, at: int) -> dict[str, Any]:
    """The other side of a connection as its one counterpart may see it."""
    return {"id": other.id, "name": other.name, "organization": other.organization,
            "sector": other.sector, "country": other.country, "about": other.about,
            "contact": other.contact, "at": at}


@api
async def my_connections(request: Request) -> Response:
    """``GET /api/me/connections``: the token's person's connections, with shared details."""
    _, state, found = await _own_connections(request)
    return JSONResponse({"connections": found,
                         "label": label_view(state.forum.label) if state else None},
                        headers={"Cache-Control": "no-store"})  # personal data: never cached


@api
async def my_connections_csv(request: Request) -> Response:
    """``GET /api/me/connections.csv``: the same, as a spreadsheet to download."""
    _, _, found = await _own_connections(request)
    vocabulary = services(request).vocabulary
    sectors = {o.id: o.label for o in vocabulary.sectors}
    countries = {o.id: o.label for o in vocabulary.countries}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180
    writer.writerow(CSV_COLUMNS)
    for c in found:
        at = datetime.datetime.fromtimestamp(c["at"] / 1000, datetime.UTC)
        writer.writerow([_cell(v) for v in (
            c["name"], c["organization"], sectors.get(c["sector"], c["sector"]),
            countries.get(c["country"], c["country"]), c["about"],
            c["contact"].get("email", ""), c["contact"].get("phone", ""),
            c["contact"].get("link", ""))] + [at.isoformat(timespec="seconds")])
    # A byte order mark, so that a spreadsheet opens the UTF-8 names (Zoë, Łódź) as such.
    return Response("\ufeff" + out.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="connections.csv"',
                             "Cache-Control": "no-store"})


def _cell(value: str) -> str:
    # A phone number ("+46 70 ...") is digits and + - ( ) only (server/contacts.py): it can
    # form no function call, and a quote would spoil it, so it alone is left as it is.
    if value.startswith(_FORMULA_START) and not _is_phone(value):
        return "'" + value
    return value


def _is_phone(value: str) -> bool:
    return all(c.isdigit() or c in " +-()" for c in value)


async def _staff_hall(request: Request) -> RoomHost:
    """The hall of the forum in the path, for its organizer and facilitators only (else 4xx)."""
    s, grant = services(request), grant_of(request)
    forum_id = request.path_params["forum_id"]
    if grant.forum_id != forum_id or grant.role not in (Role.ORGANIZER, Role.FACILITATOR):
        raise ApiError(403, "forbidden", "only the forum's organizer and facilitators may "
                       "see its networking figures")
    hall = await s.hosts.hall_of(forum_id)
    if hall is None:
        raise ApiError(404, "not_found", "this forum has no hall (it predates halls)")
    if grant.link is not None and revoked(hall.state, grant.link):
        raise ApiError(401, "unauthorized", "this link was revoked")
    return hall


@api
async def forum_networking(request: Request) -> Response:
    """``GET /api/forums/{forum_id}/networking``: counts of the forum's connections."""
    hall = await _staff_hall(request)
    state: HallState = hall.state
    pairs = await _pairs(services(request), state)
    sectors = Counter(_sorted(a.sector, b.sector) for a, b in pairs)
    countries = Counter(_sorted(a.country, b.country) for a, b in pairs)
    return JSONResponse({
        "connections": len(pairs),
        "cross_sector": sum(a.sector != b.sector for a, b in pairs),
        "cross_country": sum(a.country != b.country for a, b in pairs),
        "by_sector_pair": [{"sectors": list(k), "connections": n}
                           for k, n in _ordered(sectors)],
        "by_country_pair": [{"countries": list(k), "connections": n}
                            for k, n in _ordered(countries)],
        "label": label_view(state.forum.label)})


class _Profile:
    """The two fields a count needs of a connected person."""

    __slots__ = ("country", "sector")

    def __init__(self, sector: str, country: str) -> None:
        self.sector, self.country = sector, country


async def _pairs(s: Services, state: HallState) -> list[tuple[_Profile, _Profile]]:
    """Every connection once, as the two profiles it joins (a member of the hall has one)."""
    seen: set[tuple[str, str]] = set()
    out = []
    for member in list(state.members):
        for other, _ in connections_of(state, member):
            key = _sorted(member, other)
            if key in seen:
                continue
            seen.add(key)
            a, b = await _profile(s, state, key[0]), await _profile(s, state, key[1])
            if a is not None and b is not None:
                out.append((a, b))
    return out


async def _profile(s: Services, state: HallState, member: str) -> _Profile | None:
    known = state.members.get(member)
    if known is not None:
        return _Profile(known.sector, known.country)
    record = await s.store.get_participant(member)  # not in the hall: its record, if kept
    return _Profile(record.sector, record.country) if record is not None else None


def _sorted(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


def _ordered(counts: Counter[tuple[str, str]]) -> list[tuple[tuple[str, str], int]]:
    """The most frequent pairs first; equal counts in the order of their names."""
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))
