"""The JSON HTTP API: create a forum, join it, look it up (see docs/protocol.md, "HTTP API")."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import segno
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response

from rooms.actors import SYSTEM, Actor, Role
from rooms.errors import Rejection
from rooms.fields import Choice, FieldError, Text
from rooms.gate import Command
from rooms.hall.hall import HALL
from rooms.hall.labels import label_view
from rooms.hall.state import HallState
from rooms.members import ABOUT_MAX
from rooms.profiles import ATTENDANCE

from . import contacts, templates
from .auth import Grant, InvalidToken
from .ids import new_id, new_join_code, normalize_code
from .join_link import join_base, join_json
from .protocol import InvalidJson, parse_json
from .room_host import Unavailable, wall_clock
from .services import Services
from .store.base import ForumRecord, ParticipantRecord, RoomRecord

MAX_BODY = 64 * 1024
BODY_TIMEOUT_S = 10  # for the whole body: a form's JSON is a few hundred bytes
MAX_ROOMS = 12

Handler = Callable[[Request], Awaitable[Response]]
T = TypeVar("T")


class ApiError(Exception):
    """An HTTP error with a stable code, answered as ``{"error": {"code", "message"}}``."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def api(handler: Handler) -> Handler:
    """Turn ApiError into its JSON answer."""
    async def wrapped(request: Request) -> Response:
        try:
            return await handler(request)
        except ApiError as e:
            return JSONResponse({"error": {"code": e.code, "message": e.message}}, e.status)
        except Unavailable:  # the shared log (Redis) or the store cannot be reached now
            return JSONResponse({"error": {"code": "unavailable", "message":
                                           "the server cannot reach its storage; retry"}}, 503)
    return wrapped


def services(request: Request) -> Services:
    return request.state.services  # type: ignore[no-any-return]


async def _body(request: Request) -> dict[str, Any]:
    if "application/json" not in request.headers.get("content-type", ""):
        raise ApiError(415, "bad_request", "send JSON with Content-Type: application/json")
    raw = await _read_body(request)
    try:
        body = parse_json(raw.decode("utf-8"))  # RFC 8259: JSON between systems is UTF-8
    except (UnicodeDecodeError, InvalidJson) as error:
        message = str(error) if isinstance(error, InvalidJson) else "the body is not UTF-8"
        raise ApiError(400, "bad_json", message) from error
    if not isinstance(body, dict):
        raise ApiError(400, "bad_request", "the body must be a JSON object")
    return body


async def _read_body(request: Request) -> bytes:
    """The body, refused as soon as it (or its Content-Length) passes MAX_BODY or it stalls."""
    declared = request.headers.get("content-length")
    try:
        too_large = declared is not None and int(declared) > MAX_BODY
    except ValueError as error:
        raise ApiError(400, "bad_request", "Content-Length is not a number") from error
    if too_large:  # answered before a byte of the body is read
        raise ApiError(413, "too_large", f"a request body may have at most {MAX_BODY} bytes")
    chunks: list[bytes] = []
    size = 0
    try:
        async with asyncio.timeout(BODY_TIMEOUT_S):  # a body shorter than its Content-Length
            async for chunk in request.stream():
                size += len(chunk)
                if size > MAX_BODY:
                    raise ApiError(413, "too_large",
                                   f"a request body may have at most {MAX_BODY} bytes")
                chunks.append(chunk)
    except TimeoutError as error:
        raise ApiError(408, "timeout", f"the body did not arrive within {BODY_TIMEOUT_S} "
                       "seconds") from error
    except ClientDisconnect as error:  # nobody is left to read the answer; nothing to log
        raise ApiError(400, "bad_request", "the body ended early") from error
    return b"".join(chunks)


def _check_with(check: Callable[[object], T], value: object) -> T:
    try:
        return check(value)
    except FieldError as error:
        raise ApiError(400, "invalid_args", str(error)) from error


def _check(field: Any, name: str, value: object) -> Any:
    try:
        return field.check(name, value)
    except FieldError as error:
        raise ApiError(400, "invalid_args", str(error)) from error


def base_url(request: Request) -> str:
    configured = services(request).settings.public_url
    return configured or str(request.base_url).rstrip("/")


def join_link(request: Request, code: str) -> dict[str, object]:
    """The join code, link and QR code, with a base a phone can open (server/join_link.py)."""
    base = join_base(services(request).settings, str(request.base_url).rstrip("/"))
    return join_json(base, code)


def grant_of(request: Request) -> Grant:
    """The grant of the request's bearer token, or 401."""
    header = request.headers.get("authorization", "")
    if not header.lower().startswith("bearer "):
        raise ApiError(401, "unauthorized", "send 'Authorization: Bearer <token>'")
    try:
        return services(request).signer.verify(header[7:].strip())
    except InvalidToken as error:
        raise ApiError(401, "unauthorized", "the token is not valid") from error


# Forums ------------------------------------------------------------------------------------


@api
async def create_forum(request: Request) -> Response:
    """Create a forum with its hall (agenda, label) and the rooms its agenda declares.

    The agenda is ``sessions``; a body with ``rooms`` only (the first version of this API) gets
    one hackathon session holding them. Everything is decided on the pure rules first, so a
    refused request stores nothing.
    """
    s = services(request)
    if s.settings.create_key and request.headers.get("authorization") != (
            f"Bearer {s.settings.create_key}"):
        raise ApiError(401, "unauthorized", "creating a forum needs the server's create key")
    body = await _body(request)
    unknown = sorted(set(body) - {"title", "topic", "label", "rooms", "sessions", "template"})
    if unknown:
        raise ApiError(400, "invalid_args", f"unknown field '{unknown[0]}'")
    if "template" in body:  # a saved or built-in format, perhaps for another title and topic
        try:
            body = await templates.forum_body(s.store, body)
        except templates.TemplateError as error:
            raise ApiError(400, "invalid_args", str(error)) from error
    args = _hall_args(body)
    forum, hall, rooms = await _insert_forum(s, args)
    hall_host = await s.hosts.create(hall, args)
    await s.hosts.ensure_rooms(hall_host)
    organizer = Grant(Role.ORGANIZER, forum.id, new_id("o"))
    outcome = await hall_host.submit("link.issue", {"label": "Facilitators (every room)"},
                                     Actor(organizer.subject, Role.ORGANIZER), None)
    if outcome["type"] != "ack":
        raise Unavailable(f"the facilitators' link was not issued: {outcome['message']}")
    link = f"k{outcome['seq']}"
    facilitator = Grant(Role.FACILITATOR, forum.id, link, link=link)
    created = _forum_created(request, forum, hall, rooms, organizer, facilitator)
    created["hall"]["label"] = label_view(hall_host.state.forum.label)
    return JSONResponse(created, 201)


def _hall_args(body: dict[str, Any]) -> dict[str, Any]:
    """The ``hall.create`` arguments of a request, checked on the rules (no hall exists yet)."""
    sessions = body.get("sessions")
    if sessions is None:
        rooms = body.get("rooms")
        if not isinstance(rooms, list) or not 1 <= len(rooms) <= MAX_ROOMS:
            raise ApiError(400, "invalid_args",
                           f"give 'sessions', or 'rooms' listing 1 to {MAX_ROOMS} rooms")
        sessions = [{"kind": "hackathon", "title": "Hackathon", "rooms": rooms}]
    elif "rooms" in body:
        raise ApiError(400, "invalid_args", "give either 'sessions' or 'rooms', not both")
    args = {"title": body.get("title"), "topic": body.get("topic", ""), "sessions": sessions}
    if "label" in body:
        args["label"] = body["label"]
    decision = HALL.decide(HALL.initial("h"), Command("hall.create", args), SYSTEM, 0)
    if isinstance(decision, Rejection):
        raise ApiError(400, decision.code.value, decision.message)
    checked: dict[str, Any] = HALL.rules.commands["hall.create"].args.check(args)
    return checked


async def _insert_forum(s: Services, args: dict[str, Any]
                        ) -> tuple[ForumRecord, RoomRecord, list[RoomRecord]]:
    for _ in range(10):  # a code collision is rare; try a new one
        forum = ForumRecord(new_id("f"), args["title"], args.get("topic", ""), new_join_code(),
                            wall_clock())
        hall = RoomRecord(new_id("h"), forum.id, new_id("e"), args["title"], 0, kind="hall")
        # The rooms get their ids from the hall's log: decide its creation to learn them.
        made = HALL.decide(HALL.initial(hall.id), Command("hall.create", args), SYSTEM, 0)
        assert not isinstance(made, Rejection)  # decided the same way in _hall_args
        declared = [r for e in made if e.name == "session.added" for r in e.data["rooms"]]
        rooms = [RoomRecord(r["id"], forum.id, new_id("e"), r["title"], i)
                 for i, r in enumerate(declared)]
        try:
            await s.store.create_forum(forum, [hall, *rooms])
            return forum, hall, rooms
        except UnicodeError:
            raise  # text the checks let through: a bug, not a taken code (answered 500)
        except ValueError:
            continue
    raise ApiError(503, "unavailable", "could not find a free join code; try again")


def _forum_created(request: Request, forum: ForumRecord, hall: RoomRecord,
                   rooms: list[RoomRecord], organizer: Grant,
                   facilitator: Grant) -> dict[str, Any]:
    s, base = services(request), base_url(request)
    organizer_token, facilitator_token = s.signer.issue(organizer), s.signer.issue(facilitator)
    observer = s.signer.issue(Grant(Role.OBSERVER, forum.id, "projector"))
    return {
        "forum": _forum_json(forum),
        "hall": {"id": hall.id},
        "rooms": [_room_json(r) for r in rooms],
        # Tokens travel in the URL fragment, which browsers never send to a server or a log.
        "organizer": {"token": organizer_token, "url": f"{base}/conduct#token={organizer_token}"},
        "facilitator": {"token": facilitator_token, "link": facilitator.link,
                        "url": f"{base}/facilitate#token={facilitator_token}"},
        "observer": {"token": observer, "url": f"{base}/projector#token={observer}"},
        "join": join_link(request, forum.join_code),
    }


def _forum_json(forum: ForumRecord) -> dict[str, Any]:
    return {"id": forum.id, "title": forum.title, "topic": forum.topic,
            "join_code": forum.join_code}


async def _hall_json(s: Services, forum_id: str) -> dict[str, Any] | None:
    """The forum's hall, to follow, with the label every output carries (None: no hall)."""
    hall = await s.hosts.hall_of(forum_id)
    if hall is None:
        return None
    state: HallState = hall.state
    return {"id": hall.id, "label": label_view(state.forum.label)}


def _room_json(room: RoomRecord) -> dict[str, Any]:
    return {"id": room.id, "title": room.title}


@api
async def get_forum(request: Request) -> Response:
    """A forum with a live overview of its rooms, for its facilitators and projectors."""
    s, grant = services(request), grant_of(request)
    forum = await s.store.get_forum(request.path_params["forum_id"])
    if forum is None:
        raise ApiError(404, "not_found", "no such forum")
    if grant.forum_id != forum.id or grant.role is Role.PARTICIPANT:
        raise ApiError(403, "forbidden", "this token does not give access to this forum")
    rooms = []
    for record in await s.store.list_rooms(forum.id):
        host = await s.hosts.get(record)
        st = host.state
        rooms.append({**_room_json(record), "phase": st.phases.phase.id if st.phases.phase
                      else None, "timer": {"status": st.timer.status, "ends_at": st.timer.ends_at,
                                           "remaining_ms": st.timer.remaining_ms},
                      "ideas": sum(1 for i in st.board.ideas.values() if not i.hidden),
                      "votes": st.voting.cast_total(), "members": len(st.members),
                      "presence": host.presence()})
    out: dict[str, Any] = {"forum": _forum_json(forum), "hall": await _hall_json(s, forum.id),
                           "rooms": rooms,
                           "join": join_link(request, forum.join_code)}
    if grant.role in (Role.ORGANIZER, Role.FACILITATOR):  # consoles hand out the projector link
        observer = s.signer.issue(Grant(Role.OBSERVER, forum.id, "projector"))
        out["observer"] = {"token": observer,
                           "url": f"{base_url(request)}/projector#token={observer}"}
    return JSONResponse(out)


# Joining -----------------------------------------------------------------------------------


async def _forum_by_code(request: Request, code: object) -> ForumRecord:
    if not isinstance(code, str) or not 0 < len(code) <= 32:
        raise ApiError(400, "invalid_args", "'code' must be the join code")
    forum = await services(request).store.get_forum_by_code(normalize_code(code))
    if forum is None:
        raise ApiError(404, "not_found", "no forum has this code; check it on the screen")
    return forum


@api
async def join_info(request: Request) -> Response:
    """What the join screen shows before a person fills in their profile."""
    s = services(request)
    forum = await _forum_by_code(request, request.path_params["code"])
    rooms = await s.store.list_rooms(forum.id)
    return JSONResponse({"forum": {k: v for k, v in _forum_json(forum).items()},
                         "hall": await _hall_json(s, forum.id),
                         "rooms": [_room_json(r) for r in rooms],
                         "vocabulary": s.vocabulary.to_json()})


@api
async def join(request: Request) -> Response:
    """Join a forum with its code and a profile; answers a participant token."""
    s = services(request)
    body = await _body(request)
    forum = await _forum_by_code(request, body.get("code"))
    vocabulary = s.vocabulary
    consent = _check_with(contacts.consents, body.get("consent", {}))
    # Only what was consented to is kept: an unconsented detail is checked, then dropped.
    shared = _check_with(lambda raw: contacts.details(raw, consent), body.get("contact", {}))
    participant = ParticipantRecord(
        id=new_id("p"), forum_id=forum.id,
        name=_check(Text(80), "name", body.get("name")),
        organization=_check(Text(120, min_len=0), "organization", body.get("organization", "")),
        sector=_check(Choice(tuple(o.id for o in vocabulary.sectors)), "sector",
                      body.get("sector")),
        country=_check(Choice(tuple(o.id for o in vocabulary.countries)), "country",
                       body.get("country")),
        attendance=_check(Choice(ATTENDANCE), "attendance", body.get("attendance")),
        created_at=wall_clock(), consent=consent,
        about=_check(Text(ABOUT_MAX, min_len=0), "about", body.get("about", "")),
        email=shared.get("email"), phone=shared.get("phone"), link=shared.get("link"),
    )
    await s.store.add_participant(participant)
    token = s.signer.issue(Grant(Role.PARTICIPANT, forum.id, participant.id))
    rooms = await s.store.list_rooms(forum.id)
    return JSONResponse({"participant": _participant_json(participant), "token": token,
                         "forum": _forum_json(forum), "hall": await _hall_json(s, forum.id),
                         "rooms": [_room_json(r) for r in rooms]}, 201)


def _participant_json(p: ParticipantRecord) -> dict[str, Any]:
    """A participant's own record, for their own eyes (their token) only."""
    return {"id": p.id, "name": p.name, "organization": p.organization, "sector": p.sector,
            "country": p.country, "attendance": p.attendance, "about": p.about,
            "consent": p.consent, "contact": p.contact}


@api
async def me(request: Request) -> Response:
    """Who a token belongs to: lets the same device come back without joining again."""
    s, grant = services(request), grant_of(request)
    forum = await s.store.get_forum(grant.forum_id)
    if forum is None:
        raise ApiError(404, "not_found", "the forum of this token no longer exists")
    out: dict[str, Any] = {"role": grant.role.value, "id": grant.subject,
                           "forum": _forum_json(forum), "hall": await _hall_json(s, forum.id),
                           "rooms": [_room_json(r) for r in await s.store.list_rooms(forum.id)],
                           "join": join_link(request, forum.join_code)}
    if grant.room is not None:
        out["room"] = grant.room  # a room facilitator's link runs this room only
    if grant.role is Role.PARTICIPANT:
        participant = await s.store.get_participant(grant.subject)
        if participant is None:
            raise await gone(s, grant.subject)
        out["participant"] = _participant_json(participant)
    return JSONResponse(out)


async def gone(s: Services, participant_id: str) -> ApiError:
    """The 401 of a participant token without a record: ``erased`` or ``unauthorized``."""
    if await s.store.erased_at(participant_id) is not None:
        return ApiError(401, "erased", "this participant's personal data was erased")
    return ApiError(401, "unauthorized", "this participant no longer exists")


@api
async def vocabulary(request: Request) -> Response:
    return JSONResponse(services(request).vocabulary.to_json())


@api
async def join_qr(request: Request) -> Response:
    """An SVG QR code of the join link, for the projector."""
    forum = await _forum_by_code(request, request.path_params["code"])
    qr = segno.make(str(join_link(request, forum.join_code)["url"]), error="m")
    # A standalone SVG document (with its namespace), so that an <img> can show it.
    out = io.BytesIO()
    qr.save(out, kind="svg", xmldecl=False, scale=8, border=2, dark="#000", light="#fff")
    return Response(out.getvalue(), media_type="image/svg+xml",
                    headers={"Cache-Control": "public, max-age=3600"})


async def health(request: Request) -> Response:
    return JSONResponse({"ok": True})
