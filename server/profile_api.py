"""``PATCH /api/me``: a participant edits their own profile, and the rooms they are in see it.

The profile others may see lives in each log as the member's ``member.joined`` (rooms/members.py).
A change is saved in the store, then every log of the forum loaded in this process that has the
person as a member records it at once (``member.joined`` again, as when someone re-enters with
a changed profile); a log loaded elsewhere records it when the person next connects to it.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from rooms.actors import Role
from rooms.fields import Choice, Text
from rooms.members import ABOUT_MAX
from rooms.profiles import ATTENDANCE

from .api import ApiError, _body, _check, _participant_json, api, gone, grant_of, services
from .room_host import ensure_member
from .services import Services
from .store.base import ParticipantRecord

_EDITABLE = ("name", "organization", "sector", "country", "attendance", "about")


@api
async def update_me(request: Request) -> Response:
    """Change some of the caller's profile fields; answers their record as ``GET /api/me``."""
    s, grant = services(request), grant_of(request)
    if grant.role is not Role.PARTICIPANT:
        raise ApiError(403, "forbidden", "only a participant has a profile to edit")
    body = await _body(request)
    unknown = sorted(set(body) - set(_EDITABLE))
    if unknown:
        raise ApiError(400, "invalid_args", f"cannot change: {', '.join(unknown)}")
    before = await s.store.get_participant(grant.subject)
    if before is None or before.forum_id != grant.forum_id:
        raise await gone(s, grant.subject)
    after = dataclasses.replace(before, **_checked(s, body))  # type: ignore[arg-type]
    if after != before:
        await s.store.update_profile(after)
        await _tell_the_logs(s, after)
    return JSONResponse({"participant": _participant_json(after)})


def _checked(s: Services, body: dict[str, Any]) -> dict[str, str]:
    v = s.vocabulary
    fields = {
        "name": Text(80),
        "organization": Text(120, min_len=0),
        "sector": Choice(tuple(o.id for o in v.sectors)),
        "country": Choice(tuple(o.id for o in v.countries)),
        "attendance": Choice(ATTENDANCE),
        "about": Text(ABOUT_MAX, min_len=0),
    }
    return {name: _check(fields[name], name, value) for name, value in body.items()}


async def _tell_the_logs(s: Services, p: ParticipantRecord) -> None:
    profile = {"id": p.id, "name": p.name, "organization": p.organization, "sector": p.sector,
               "country": p.country, "attendance": p.attendance, "about": p.about}
    for host in s.hosts.loaded():
        if host.record.forum_id == p.forum_id and p.id in host.state.members:
            await ensure_member(host, profile)
