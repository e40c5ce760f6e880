"""The OpenAPI 3.1 description of the HTTP API, written by hand and served at ``/openapi.json``.

Written by hand, like docs/protocol.md, because the routes take their bodies apart themselves;
tests/server/test_openapi.py keeps it true: every route of the app is here, and real answers of
every route validate against the schema documented for their status. Enumerations (labels,
session kinds, capabilities) are taken from the code so that they cannot drift.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from rooms.hall.agenda import DAY_MINUTES, FAR_FUTURE_MS, KINDS, MAX_ROOMS, MAX_SESSIONS
from rooms.hall.labels import LABELS
from rooms.hall.polls import KINDS as POLL_KINDS
from rooms.hall.polls import MAX_PREPARED, REVEALS
from rooms.members import ABOUT_MAX
from rooms.outcomes_state import STATUSES
from rooms.state import CAPABILITIES

from .api import MAX_BODY
from .contacts import CONSENTS, EMAIL_MAX, LINK_MAX, PHONE_MAX
from .networking_api import CSV_COLUMNS

Schema = dict[str, Any]

# Each error status with the codes it may carry (docs/protocol.md, "HTTP API").
ERROR_CODES: dict[str, tuple[str, ...]] = {
    "400": ("bad_json", "bad_request", "invalid_args"),
    "401": ("unauthorized", "erased"),
    "403": ("forbidden",),
    "404": ("not_found",),
    "408": ("timeout",),
    "409": ("invalid_state",),
    "413": ("too_large",),
    "415": ("bad_request",),
    "503": ("unavailable", "pdf_unavailable"),
}
_ERROR_WHY = {
    "400": "The body is not JSON (`bad_json`), not a JSON object (`bad_request`), or a field "
           "is missing or invalid (`invalid_args`, the message names it).",
    "401": "A needed bearer token (or the create key) is missing or not valid "
           "(`unauthorized`), or its participant erased their data (`erased`).",
    "403": "The token gives no access to this forum, or not for this.",
    "404": "No such forum, join code, link or template.",
    "408": "The body did not arrive within 10 seconds.",
    "409": "The request does not fit the state (a link revoked already).",
    "413": f"The body has more than {MAX_BODY} bytes.",
    "415": "The Content-Type is not application/json.",
    "503": "The store or the shared log (Redis) cannot be reached now; retry. For "
           "`brief.pdf`: no Chromium to print with (`pdf_unavailable`).",
}
_BODY_ERRORS = ("400", "408", "413", "415")  # of every route that reads a JSON body


def _ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def _obj(required: dict[str, Schema], optional: dict[str, Schema] | None = None,
         **extra: Any) -> Schema:
    """A closed object: these properties and no others."""
    out: Schema = {"type": "object", "properties": {**required, **(optional or {})},
                   "required": list(required), "additionalProperties": False}
    return {**out, **extra}


def _text(low: int, high: int) -> Schema:
    return {"type": "string", "minLength": low, "maxLength": high}


def _int(low: int, high: int) -> Schema:
    return {"type": "integer", "minimum": low, "maximum": high}


def _list(items: Schema, low: int = 0, high: int | None = None) -> Schema:
    out: Schema = {"type": "array", "items": items, "minItems": low}
    return {**out, "maxItems": high} if high is not None else out


STRING: Schema = {"type": "string"}
INT: Schema = {"type": "integer"}
BOOL: Schema = {"type": "boolean"}
NULLABLE_STRING: Schema = {"type": ["string", "null"]}
NULLABLE_INT: Schema = {"type": ["integer", "null"]}
ID = _text(1, 64)

_PHASE = _obj({"id": {"type": "string", "pattern": "^[a-z][a-z0-9_-]{0,31}$"},
               "label": _text(1, 40)},
              {"allows": {"type": "array", "items": {"enum": list(CAPABILITIES)},
                          "uniqueItems": True}})
_ROOM_SETTINGS: dict[str, Schema] = {
    "challenge": _text(0, 4000), "capacity": _int(1, 10_000),
    "phases": _list(_ref("Phase"), 1, 20), "budget": _int(1, 100), "cap": _int(1, 100),
    "anonymous": BOOL}
_ROOM_SPEC = _obj({"title": _text(1, 120)}, _ROOM_SETTINGS,
                  description="A room as `room.create` takes it; `cap` may not exceed "
                              "`budget` (default budget 5, cap 3).")
_SESSION_SPEC = _obj(
    {"kind": {"enum": list(KINDS)}, "title": _text(1, 120)},
    {"start": _int(0, FAR_FUTURE_MS), "minutes": _int(1, DAY_MINUTES),
     "rooms": _list(_ref("RoomSpec"), 1, MAX_ROOMS),
     "polls": _list(_ref("PollSpec"), 0, MAX_PREPARED)},
    description="A session of the agenda; a hackathon session has 1 to 12 rooms, others "
                "none. `start` is a planned start in server ms, `minutes` defaults to 30. "
                "`polls` (only when a whole agenda is given at once) are prepared with it.")
_POLL_SPEC = _obj(
    {"kind": {"enum": list(POLL_KINDS)}, "question": STRING},
    {"options": _list(STRING, 2), "max": _int(1, 100), "reveal": {"enum": list(REVEALS)}},
    description="A poll as `poll.create` takes it, without `session`: prepared in a draft.")
_LABEL = {"enum": list(LABELS), "description": "The confidentiality label (TLP 2.0 names "
          "or the Chatham House Rule)."}
_FORUM_CREATE = _obj({}, {
    "title": _text(1, 160), "topic": _text(0, 2000), "label": _LABEL,
    "sessions": _list(_ref("SessionSpec"), 0, MAX_SESSIONS),
    "rooms": _list(_ref("RoomSpec"), 1, MAX_ROOMS),
    "template": ID,
}, description="`title` and one of `sessions`, `rooms` (one hackathon session of these "
               "rooms) or `template` (its agenda; `title`, `topic` and `label` given here "
               "replace the template's, and `title` may then be left out).")
_LINK_TOKEN: dict[str, Schema] = {"token": STRING, "url": STRING}
_LINK_FIELDS: dict[str, Schema] = {"id": STRING, "room": NULLABLE_STRING, "label": STRING,
                                   "issued_at": INT, "revoked_at": NULLABLE_INT}
_VOCAB_OPTIONS = _list(_ref("Option"), 1)
_LABEL_VIEW = _obj({"id": _LABEL, "meaning": STRING})
_CONSENT = {"type": "object", "additionalProperties": BOOL,
            "description": f"Consent flags; the kept keys are {', '.join(CONSENTS)}. A contact "
                           "detail is stored only when its own key (`email`, `phone`, `link`) "
                           "is true; `contact` is kept but shares nothing by itself."}
_CONTACT = _obj({}, {
    "email": {**_text(3, EMAIL_MAX), "description": "An email address (its shape is checked)."},
    "phone": {**_text(1, PHONE_MAX), "pattern": r"^\+?[0-9 ()\-]+$",
              "description": "Digits, spaces and + - ( ), with 5 to 17 digits."},
    "link": {**_text(8, LINK_MAX), "pattern": "^[hH][tT][tT][pP][sS]?://",
             "description": "An http or https link (a profile page)."}})
_PAIR = _list(STRING, 2, 2)
_DATE = {"type": ["string", "null"], "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
         "description": "An ISO date, YYYY-MM-DD; null: none."}
_STATUS = {"enum": list(STATUSES)}
_CHANGE = _obj({"at": INT, "status": _STATUS, "note": STRING,
                "by": _obj({"kind": {"enum": ["member", "staff", "followup"]},
                            "name": NULLABLE_STRING})},
               description="One status change: when (server ms), to what, why, and who: a "
                           "member of the room by name, the room's staff, or the follow-up "
                           "link.")
_ACTION_ITEM: dict[str, Schema] = {
    "id": STRING, "title": STRING, "owner": STRING,
    "owner_member": {"oneOf": [_ref("RoomRef"), {"type": "null"}],
                     "description": "The owner when a member of the room: id and name."},
    "due": _DATE, "status": _STATUS, "history": _list(_CHANGE),
    "last_change": {"oneOf": [_CHANGE, {"type": "null"}]},
    "overdue": {"type": "boolean", "description": "Due before today (UTC) and still open "
                                                  "or in progress."},
    "recommendation": {"oneOf": [{"type": "null"}, _obj({
        "id": STRING, "title": STRING, "rationale": STRING, "action": STRING,
        "owner": STRING, "due": _DATE})]},
    "created_at": INT, "edited_at": NULLABLE_INT}

SCHEMAS: dict[str, Schema] = {
    "Error": _obj({"error": _obj({"code": STRING, "message": STRING})},
                  description="Every error of the `/api` routes."),
    "Forum": _obj({"id": STRING, "title": STRING, "topic": STRING, "join_code": STRING}),
    "RoomRef": _obj({"id": STRING, "title": STRING}),
    "Phase": _PHASE,
    "RoomSpec": _ROOM_SPEC,
    "SessionSpec": _SESSION_SPEC,
    "PollSpec": _POLL_SPEC,
    "ForumCreate": _FORUM_CREATE,
    "ForumCreated": _obj({
        "forum": _ref("Forum"),
        "hall": _obj({"id": STRING, "label": _obj({"id": _LABEL, "meaning": STRING})}),
        "rooms": _list(_ref("RoomRef")),
        "organizer": _obj(_LINK_TOKEN), "facilitator": _obj({**_LINK_TOKEN, "link": STRING}),
        "observer": _obj(_LINK_TOKEN),
        "join": _ref("JoinLink")}),
    "JoinLink": _obj({"code": STRING, "url": STRING, "qr": STRING, "local_only": BOOL},
                     description="The join code, link and QR code, with a base a phone can "
                                 "open; `local_only`: the server listens on loopback only, so "
                                 "no other device can open the link (set "
                                 "HACKROOMS_HOST=0.0.0.0)."),
    "Presence": _obj({k: {"type": "integer", "minimum": 0} for k in (
        "online", "onsite", "remote", "facilitators", "observers")}),
    "RoomOverview": _obj({
        "id": STRING, "title": STRING, "phase": NULLABLE_STRING,
        "timer": _obj({"status": {"enum": ["idle", "running", "paused", "expired"]},
                       "ends_at": INT, "remaining_ms": INT}),
        "ideas": INT, "votes": INT, "members": INT, "presence": _ref("Presence")}),
    "ForumOverview": _obj(
        {"forum": _ref("Forum"), "hall": _ref("HallRef"), "rooms": _list(_ref("RoomOverview")),
         "join": _ref("JoinLink")},
        {"observer": _obj(_LINK_TOKEN)}),
    "LinkIssue": _obj({"label": _text(1, 80)}, {"room": {"type": ["string", "null"],
                                                         "minLength": 1, "maxLength": 64}}),
    "Link": _obj({**_LINK_FIELDS, **_LINK_TOKEN},
                 description="A facilitator link with its token (organizer only)."),
    "LinkRevoked": _obj(_LINK_FIELDS),
    "Links": _obj({"links": _list(_ref("Link"))}),
    "Option": _obj({"id": STRING, "label": STRING}),
    "Vocabulary": _obj({"sectors": _VOCAB_OPTIONS, "countries": _VOCAB_OPTIONS,
                        "attendance": _VOCAB_OPTIONS}),
    "Participant": _obj({
        "id": STRING, "name": STRING, "organization": STRING, "sector": STRING,
        "country": STRING, "attendance": {"enum": ["onsite", "remote"]},
        "about": _text(0, ABOUT_MAX), "consent": _CONSENT, "contact": _ref("ContactDetails")},
        description="A participant's own record, for their own token only: `contact` holds "
                    "the details they agreed to share with their connections."),
    "ContactDetails": _CONTACT,
    "Connection": _obj({
        "id": STRING, "name": STRING, "organization": STRING, "sector": STRING,
        "country": STRING, "about": _text(0, ABOUT_MAX), "contact": _ref("ContactDetails"),
        "at": INT},
        description="The other side of a mutual connection: their profile and the contact "
                    "details they chose to share (only those they consented to), and when "
                    "both had asked (`at`, server ms)."),
    "Connections": _obj({"connections": _list(_ref("Connection")),
                         "label": {"oneOf": [_LABEL_VIEW, {"type": "null"}]}}),
    "ForumNetworking": _obj({
        "connections": _int(0, 2**53), "cross_sector": _int(0, 2**53),
        "cross_country": _int(0, 2**53),
        "by_sector_pair": _list(_obj({"sectors": _PAIR, "connections": _int(1, 2**53)})),
        "by_country_pair": _list(_obj({"countries": _PAIR, "connections": _int(1, 2**53)})),
        "label": _LABEL_VIEW},
        description="Counts only: never a name nor a contact detail. A pair lists its two "
                    "sectors (or countries) in order, the same one twice for a connection "
                    "within one; the most frequent pairs first."),
    "HallRef": {"oneOf": [_obj({"id": STRING, "label": _obj({"id": _LABEL,
                                                             "meaning": STRING})}),
                          {"type": "null"}],
                "description": "The forum's hall, to follow over the websocket (null: a forum "
                               "made before halls)."},
    "ActionItem": _obj(_ACTION_ITEM, description="An action item of a room, with its "
                       "recommendation and every status change."),
    "BoardItem": _obj({**_ACTION_ITEM, "room": _ref("RoomRef"),
                       "followup": _obj(_LINK_TOKEN)},
                      description="An action item on the organizer's board, with the "
                                  "follow-up link to hand to its owner."),
    "ForumActions": _obj({"label": _LABEL_VIEW, "today": STRING,
                          "rooms": _list(_ref("RoomRef")),
                          "actions": _list(_ref("BoardItem"))}),
    "Followup": _obj({"item": _ref("ActionItem"), "room": _ref("RoomRef"),
                      "forum": _obj({"title": STRING}),
                      "label": {"oneOf": [_LABEL_VIEW, {"type": "null"}]}},
                     description="What a follow-up link shows: one action item and where it "
                                 "comes from."),
    "FollowupChange": _obj({"status": _STATUS}, {"note": _text(0, 1000)},
                           description="A new status (or the same one with a note, as a "
                                       "progress report)."),
    "JoinInfo": _obj({"forum": _ref("Forum"), "hall": _ref("HallRef"),
                      "rooms": _list(_ref("RoomRef")),
                      "vocabulary": _ref("Vocabulary")}),
    "Join": _obj({"code": _text(1, 32), "name": _text(1, 80), "sector": STRING,
                  "country": STRING, "attendance": {"enum": ["onsite", "remote"]}},
                 {"organization": _text(0, 120), "about": _text(0, ABOUT_MAX),
                  "contact": _CONTACT, "consent": _CONSENT},
                 additionalProperties=True,
                 description="Other fields are ignored. `about` is a one-line \"what I work "
                             "on\". Each detail of `contact` is kept only when its consent "
                             "(`consent.email`, ...) is true; otherwise it is checked and "
                             "dropped, never stored."),
    "Joined": _obj({"participant": _ref("Participant"), "token": STRING,
                    "forum": _ref("Forum"), "hall": _ref("HallRef"),
                    "rooms": _list(_ref("RoomRef"))}),
    "Me": _obj({"role": {"enum": ["organizer", "facilitator", "participant", "observer"]},
                "id": STRING, "forum": _ref("Forum"), "hall": _ref("HallRef"),
                "rooms": _list(_ref("RoomRef")), "join": _ref("JoinLink")},
               {"participant": _ref("Participant"), "room": STRING}),
    "MyData": _obj({
        "format": {"const": "hackrooms.my-data/1"}, "exported_at": INT,
        "participant": _ref("Participant"), "joined_at": INT,
        "forum": _obj({"id": STRING, "title": STRING, "topic": STRING, "join_code": STRING,
                       "created_at": INT}),
        "label": {"oneOf": [_LABEL_VIEW, {"type": "null"}]},
        "counts": {"type": "object", "additionalProperties": _int(1, 2**53),
                   "description": "How many of the person's events of each name."},
        "logs": _list(_obj({"id": STRING, "kind": {"enum": ["hall", "room"]}, "title": STRING,
                            "events": _list(_obj({"seq": _int(1, 2**53), "at": INT,
                                                  "name": STRING,
                                                  "data": {"type": "object"}}))})),
        "connections": _list(_ref("Connection"))},
        description="Everything the server holds about the token's person: their record, "
                    "the forum, every event of its logs they made or that names them "
                    "(never another person's one-sided request), and their connections."),
    "EraseRequest": _obj({"confirm": {"const": "erase"}},
                         description="The confirmation that the person means it."),
    "Erased": _obj({"erased": {"const": True}, "at": INT},
                   description="The personal data is erased; `at` is when (server ms)."),
    "ProfileChange": _obj({}, {"name": _text(1, 80), "organization": _text(0, 120),
                               "sector": STRING, "country": STRING,
                               "attendance": {"enum": ["onsite", "remote"]},
                               "about": _text(0, ABOUT_MAX)},
                          description="Only the fields to change; contact details and "
                                      "consents are not changed here."),
    "ProfileChanged": _obj({"participant": _ref("Participant")}),
    "TemplateSave": _obj({}, {"name": _text(1, 160)},
                         description="`name` defaults to the forum's title."),
    "Template": _obj({
        "id": STRING, "name": STRING, "builtin": BOOL, "created_at": INT,
        "title": STRING, "topic": STRING, "label": _LABEL,
        "sessions": _list(_ref("SessionSpec")),
        "vocabulary": {"oneOf": [
            {"type": "null"},
            _obj({"sectors": _VOCAB_OPTIONS, "countries": _VOCAB_OPTIONS})],
            "description": "The vocabulary a saved template was made with (for information: "
                           "a forum uses its deployment's); null for a built-in one."}}),
    "TemplateSummary": _obj({
        "id": STRING, "name": STRING, "builtin": BOOL, "created_at": INT,
        "title": STRING, "topic": STRING, "label": _LABEL,
        "sessions": _list(_obj({"kind": {"enum": list(KINDS)}, "title": STRING,
                                "minutes": INT, "rooms": _list(STRING)}))}),
    "Templates": _obj({"templates": _list(_ref("TemplateSummary"), 1)}),
}

RESPONSES = {status: {
    "description": _ERROR_WHY[status],
    "content": {"application/json": {"schema": {"allOf": [_ref("Error"), {
        "properties": {"error": {"properties": {"code": {"enum": list(codes)}}}}}]}}}}
    for status, codes in ERROR_CODES.items()}


def _json(schema: Schema, description: str) -> Schema:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _op(summary: str, ok: tuple[str, Schema], errors: tuple[str, ...], *,
        body: str | None = None, auth: str | None = None, optional_auth: bool = False,
        params: tuple[str, ...] = ()) -> Schema:
    """One operation: its success answer, its errors, its body and who may call it."""
    status, response = ok
    errs = sorted({*errors, *(_BODY_ERRORS if body else ())})
    out: Schema = {"summary": summary, "operationId": "",
                   "responses": {status: response,
                                 **{e: {"$ref": f"#/components/responses/{e}"} for e in errs}}}
    if params:
        out["parameters"] = [{"$ref": f"#/components/parameters/{p}"} for p in params]
    if body:
        out["requestBody"] = {"required": True, "content": {
            "application/json": {"schema": _ref(body)}}}
    if auth:
        out["description"] = auth
        out["security"] = [{}, {"bearer": []}] if optional_auth else [{"bearer": []}]
    else:
        out["security"] = []
    return out


def _file(media_type: str, description: str) -> Schema:
    return {"description": description, "content": {media_type: {"schema": STRING}}}


_CREATE_KEY = ("Open to anyone, unless the server has `HACKROOMS_CREATE_KEY`: then send "
               "`Authorization: Bearer <create key>`.")
_ORGANIZER = "Needs the organizer token of this forum."
_PARTICIPANT = "Needs a participant token: a person sees their own connections only."

PATHS: dict[str, dict[str, Schema]] = {
    "/api/forums": {"post": _op(
        "Create a forum with its hall, agenda and rooms (from a template, perhaps)",
        ("201", _json(_ref("ForumCreated"), "The forum, its tokens and links.")),
        ("401", "503"), body="ForumCreate", auth=_CREATE_KEY, optional_auth=True)},
    "/api/forums/{forum_id}": {"get": _op(
        "A forum with a live overview of its rooms",
        ("200", _json(_ref("ForumOverview"), "The forum and its rooms as they are now.")),
        ("401", "403", "404", "503"), params=("forum_id",),
        auth="Needs a staff or observer token of this forum (not a participant's).")},
    "/api/forums/{forum_id}/links": {
        "get": _op("The forum's facilitator links, revoked ones included",
                   ("200", _json(_ref("Links"), "Every link with its token.")),
                   ("401", "403", "404", "503"), params=("forum_id",), auth=_ORGANIZER),
        "post": _op("Hand out a facilitator link, for one room or for every room",
                    ("201", _json(_ref("Link"), "The new link and its token.")),
                    ("401", "403", "404", "503"), body="LinkIssue", params=("forum_id",),
                    auth=_ORGANIZER)},
    "/api/forums/{forum_id}/links/{link_id}": {"delete": _op(
        "Revoke a facilitator link: its token is refused on its next message",
        ("200", _json(_ref("LinkRevoked"), "The link, with `revoked_at`.")),
        ("401", "403", "404", "409", "503"), params=("forum_id", "link_id"),
        auth=_ORGANIZER)},
    "/api/forums/{forum_id}/networking": {"get": _op(
        "The forum's networking figures: counts of connections, never names",
        ("200", _json(_ref("ForumNetworking"), "The counts as they are now.")),
        ("401", "403", "404", "503"), params=("forum_id",),
        auth="Needs the organizer's or a facilitator's token of this forum.")},
    "/api/forums/{forum_id}/template": {"post": _op(
        "Save the forum's format (label, agenda, rooms and their settings) as a template",
        ("201", _json(_ref("Template"), "The saved template.")),
        ("401", "403", "404", "503"), body="TemplateSave", params=("forum_id",),
        auth=_ORGANIZER)},
    "/api/forums/{forum_id}/export.json": {"get": _op(
        "Everything of the forum as JSON, valid against `/api/export.schema.json`",
        ("200", _json({"type": "object", "required": ["version", "label", "forum", "rooms"]},
                      "The export (docs/protocol.md, Results and exports), "
                      "`Content-Disposition: attachment`.")),
        ("401", "403", "404", "503"), params=("forum_id",), auth=_ORGANIZER)},
    "/api/forums/{forum_id}/export.md": {"get": _op(
        "The forum's results as a Markdown report",
        ("200", _file("text/markdown", "The report, headed by the label.")),
        ("401", "403", "404", "503"), params=("forum_id",), auth=_ORGANIZER)},
    "/api/forums/{forum_id}/export/{table}.csv": {"get": _op(
        "One table of the forum's results as CSV",
        ("200", _file("text/csv", "RFC 4180 CSV in UTF-8 with a byte order mark; the first "
                                  "column of every row is the label.")),
        ("401", "403", "404", "503"), params=("forum_id", "table"), auth=_ORGANIZER)},
    "/api/forums/{forum_id}/brief.html": {"get": _op(
        "The policy brief as printable HTML",
        ("200", _file("text/html", "The brief, self-contained, with print styles.")),
        ("401", "403", "404", "503"), params=("forum_id",), auth=_ORGANIZER)},
    "/api/forums/{forum_id}/brief.pdf": {"get": _op(
        "The policy brief as PDF, printed by headless Chromium",
        ("200", _file("application/pdf", "The brief; the label on every page.")),
        ("401", "403", "404", "503"), params=("forum_id",), auth=_ORGANIZER)},
    "/api/export.schema.json": {"get": _op(
        "The JSON Schema of `export.json` (version 1)",
        ("200", {"description": "A JSON Schema (draft 2020-12).",
                 "content": {"application/schema+json": {"schema": {"type": "object"}}}}),
        ())},
    "/api/me/results": {"get": _op(
        "The forum's results as a participant may see them, and their own action items",
        ("200", _json({"type": "object", "required": [
            "version", "label", "forum", "rooms", "recommendations", "evaluation", "actions"]},
            "The participant's results page.")),
        ("401", "403", "404", "503"), auth=_PARTICIPANT)},
    "/api/forums/{forum_id}/actions": {"get": _op(
        "Every action item of every room of the forum, with follow-up links for their owners",
        ("200", _json(_ref("ForumActions"), "The items in room order, then creation order.")),
        ("401", "403", "404", "503"), params=("forum_id",), auth=_ORGANIZER)},
    "/api/followup/{token}": {
        "get": _op("The action item of a follow-up link",
                   ("200", _json(_ref("Followup"), "The item, its recommendation, room and "
                                                   "forum.")),
                   ("401", "404", "503"), params=("token",)),
        "post": _op("Change the status of a follow-up link's action item, with a note",
                    ("200", _json(_ref("Followup"), "The item after the change.")),
                    ("401", "404", "409", "503"), body="FollowupChange",
                    params=("token",))},
    "/api/templates": {"get": _op(
        "The built-in and the saved templates, summed up",
        ("200", _json(_ref("Templates"), "Built-in templates first, then saved ones.")),
        ("401",), auth=_CREATE_KEY, optional_auth=True)},
    "/api/templates/{template_id}": {"get": _op(
        "One template, whole",
        ("200", _json(_ref("Template"), "The template: its fields are those of "
                                        "`POST /api/forums`.")),
        ("400", "401", "404"), params=("template_id",), auth=_CREATE_KEY,
        optional_auth=True)},
    "/api/join": {"post": _op(
        "Join a forum with its code and a profile",
        ("201", _json(_ref("Joined"), "The participant and their token.")),
        ("404",), body="Join")},
    "/api/join/{code}": {"get": _op(
        "What the join screen shows: the forum, its rooms and the vocabulary",
        ("200", _json(_ref("JoinInfo"), "The forum of this code.")),
        ("400", "404"), params=("code",))},
    "/api/join/{code}/qr.svg": {"get": _op(
        "An SVG QR code of the join link, for the projector",
        ("200", {"description": "A standalone SVG document.",
                 "content": {"image/svg+xml": {"schema": STRING}}}),
        ("400", "404"), params=("code",))},
    "/api/me": {"get": _op(
        "Who a token belongs to",
        ("200", _json(_ref("Me"), "The role and forum of the token.")),
        ("401", "404"), auth="Needs any token."),
               "patch": _op(
        "A participant changes their own profile; the rooms they are in see it",
        ("200", _json(_ref("ProfileChanged"), "The participant's record after the change.")),
        ("401", "403"), body="ProfileChange", auth="Needs a participant token.")},
    "/api/me/data": {"get": _op(
        "Everything the server holds about the participant, as a JSON file to download",
        ("200", _json(_ref("MyData"), "The person's data, `Content-Disposition: attachment`.")),
        ("401", "403", "404", "503"), auth=_PARTICIPANT)},
    "/api/me/erase": {"post": _op(
        "Erase the participant's personal data everywhere (idempotent)",
        ("200", _json(_ref("Erased"), "Erased; the token now answers 401 `erased`.")),
        ("401", "403", "503"), body="EraseRequest", auth=_PARTICIPANT)},
    "/api/me/connections": {"get": _op(
        "The participant's own connections, with the details each chose to share",
        ("200", _json(_ref("Connections"), "Every mutual connection of the token's person.")),
        ("401", "403", "503"), auth=_PARTICIPANT)},
    "/api/me/connections.csv": {"get": _op(
        "The participant's own connections as a CSV file to download",
        ("200", {"description": "RFC 4180 CSV in UTF-8 with a byte order mark, "
                                "`Content-Disposition: attachment`; columns: "
                                + ", ".join(CSV_COLUMNS) + ".",
                 "content": {"text/csv": {"schema": STRING}}}),
        ("401", "403", "503"), auth=_PARTICIPANT)},
    "/api/vocabulary": {"get": _op(
        "The sectors, countries and attendance options of this deployment",
        ("200", _json(_ref("Vocabulary"), "The vocabulary.")), ())},
    "/healthz": {"get": _op(
        "Whether the process serves requests",
        ("200", _json(_obj({"ok": {"const": True}}), "It does.")), ())},
    "/openapi.json": {"get": _op(
        "This document",
        ("200", _json({"type": "object"}, "The OpenAPI 3.1 description of the HTTP API.")),
        ())},
}

_PARAMETERS = {
    "forum_id": "The forum's id.", "link_id": "A link's id (`k…`).",
    "template_id": "A template's id (`pilot`, or `t…` for a saved one).",
    "code": "The join code; case, spaces and dashes are ignored.",
    "table": "A table of the export: ideas, votes, recommendations, actions, connections, "
             "evaluation or participation.",
    "token": "A follow-up token, from the organizer's `GET /api/forums/{forum_id}/actions`.",
}

DESCRIPTION = """The JSON HTTP API of hackrooms: forums, facilitator links, joining, templates.

Errors of the `/api` routes are JSON, `{"error": {"code", "message"}}`, with the codes each
status lists; a request answered 4xx has stored nothing. A bug is answered 500 `internal`
(and logged). Unknown paths (404) and wrong methods (405) are answered in plain text.

Left out of this document: the websocket `/ws` (its protocol is docs/protocol.md), the pages
(`/`, `/join/{code}` and the consoles such as `/facilitate` and `/projector`) and the static
files (`/static`).
"""


def _operation_ids(paths: dict[str, dict[str, Schema]]) -> None:
    for path, operations in paths.items():
        for method, operation in operations.items():
            words = [w.strip("{}").replace(".", "_") for w in path.split("/") if w]
            operation["operationId"] = "_".join([method, *words])


def document() -> Schema:
    """The whole OpenAPI 3.1 document."""
    _operation_ids(PATHS)
    return {
        "openapi": "3.1.0",
        "info": {"title": "hackrooms HTTP API", "version": "1", "description": DESCRIPTION,
                 "license": {"name": "MIT", "identifier": "MIT"}},
        "paths": PATHS,
        "components": {
            "schemas": SCHEMAS, "responses": RESPONSES,
            "parameters": {name: {"name": name, "in": "path", "required": True,
                                  "description": why, "schema": STRING}
                           for name, why in _PARAMETERS.items()},
            "securitySchemes": {"bearer": {
                "type": "http", "scheme": "bearer",
                "description": "A token of the forum (organizer, facilitator, participant, "
                               "observer), or the server's create key where a route says so."}},
        },
    }


DOCUMENT = document()


async def serve(request: Request) -> Response:
    """``GET /openapi.json``."""
    return JSONResponse(DOCUMENT)
