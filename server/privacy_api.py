"""A participant's own data: download it (GDPR arts. 15, 20) and erase it (art. 17).

``GET /api/me/data`` answers everything the server holds about the token's person as one JSON
file: their record (profile, consent, contact details), the forum, every event of the forum's
logs that they made or that names them (ideas, comments, reactions, votes, questions, poll
answers, stay-in-touch requests, connections, and whatever kind of event a later version adds),
and their connections. ``POST /api/me/erase`` erases their personal data everywhere
(server/erasure.py). See docs/protocol.md, "Your data: download and erasure".
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from rooms.actors import Role
from rooms.hall.labels import label_view
from rooms.hall.state import HallState

from .api import ApiError, _body, _participant_json, api, gone, grant_of, services
from .auth import Grant
from .erasure import Eraser
from .networking_api import my_connection_list
from .room_host import wall_clock
from .services import Services
from .store.base import ParticipantRecord, RoomRecord, StoredEvent

FORMAT = "hackrooms.my-data/1"
CONFIRM = "erase"  # the confirmation a client sends: {"confirm": "erase"}
# Events that name a person in their data although someone else (the system) made them.
_NAMING = {"member.joined": ("id",), "contact.connected": ("a", "b")}


def _participant_grant(request: Request) -> Grant:
    grant = grant_of(request)
    if grant.role is not Role.PARTICIPANT:
        raise ApiError(403, "forbidden", "only a participant has personal data of their own")
    return grant


async def _record(s: Services, grant: Grant) -> ParticipantRecord:
    record = await s.store.get_participant(grant.subject)
    if record is None or record.forum_id != grant.forum_id:
        raise await gone(s, grant.subject)
    return record


@api
async def my_data(request: Request) -> Response:
    """``GET /api/me/data``: everything the server holds about the token's person."""
    s, grant = services(request), _participant_grant(request)
    me = await _record(s, grant)
    forum = await s.store.get_forum(me.forum_id)
    if forum is None:
        raise ApiError(404, "not_found", "the forum of this token no longer exists")
    hall = await s.hosts.hall_of(forum.id)
    state: HallState | None = hall.state if hall is not None else None
    logs = [await _log_json(s, record, me.id) for record in await _records(s, forum.id)]
    counts = Counter(e["name"] for entry in logs for e in entry["events"])
    out = {
        "format": FORMAT, "exported_at": wall_clock(),
        "participant": _participant_json(me), "joined_at": me.created_at,
        "forum": {"id": forum.id, "title": forum.title, "topic": forum.topic,
                  "join_code": forum.join_code, "created_at": forum.created_at},
        "label": label_view(state.forum.label) if state is not None else None,
        "counts": dict(sorted(counts.items())),
        "logs": logs,
        "connections": await my_connection_list(s, me, state),
    }
    return JSONResponse(out, headers={
        "Cache-Control": "no-store",  # personal data: never cached
        "Content-Disposition": 'attachment; filename="my-data.json"'})


async def _records(s: Services, forum_id: str) -> list[RoomRecord]:
    hall = await s.store.get_hall(forum_id)
    rooms = await s.store.list_rooms(forum_id)
    return [hall, *rooms] if hall is not None else rooms


async def _log_json(s: Services, record: RoomRecord, member: str) -> dict[str, Any]:
    events = [e for e in await s.store.read_events(record.id) if _concerns(e, member)]
    return {"id": record.id, "kind": record.kind, "title": record.title,
            "events": [{"seq": e.seq, "at": e.at, "name": e.name, "data": e.data}
                       for e in events]}


def _concerns(event: StoredEvent, member: str) -> bool:
    """Made by the person, or naming them where the system made it (never others' requests)."""
    if event.actor == member:
        return True
    return any(event.data.get(k) == member for k in _NAMING.get(event.name, ()))


@api
async def erase_me(request: Request) -> Response:
    """``POST /api/me/erase``: erase the token's person's personal data everywhere."""
    s, grant = services(request), _participant_grant(request)
    body = await _body(request)
    if body.get("confirm") != CONFIRM:
        raise ApiError(400, "invalid_args", f"send {{\"confirm\": \"{CONFIRM}\"}} to erase "
                       "your personal data; nothing was erased")
    record = await s.store.get_participant(grant.subject)
    if record is None and await s.store.erased_at(grant.subject) is None:
        raise await gone(s, grant.subject)
    if record is not None and record.forum_id != grant.forum_id:
        raise ApiError(401, "unauthorized", "this participant no longer exists")
    # Again after an erasure too (idempotent): it finishes one that was cut short.
    await Eraser(s.store, s.bus, s.hosts).erase(grant.subject, grant.forum_id)
    at = await s.store.erased_at(grant.subject)
    return JSONResponse({"erased": True, "at": at}, headers={"Cache-Control": "no-store"})
