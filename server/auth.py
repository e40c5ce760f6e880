"""Signed bearer tokens for facilitators, participants and observers.

A token is ``<payload>.<signature>``: base64url JSON and an HMAC-SHA256 of it under the server
secret. Tokens carry no personal data, only ids and a role, and are never logged.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass

from rooms.actors import Role

TOKEN_ROLES = (Role.ORGANIZER, Role.FACILITATOR, Role.PARTICIPANT, Role.OBSERVER)


class InvalidToken(ValueError):
    """The token is malformed, forged, or signed with another secret."""


@dataclass(frozen=True, slots=True)
class Grant:
    """What a valid token allows: a role in one forum, as one subject (person or screen).

    A facilitator token handed out as a link names the link (its hall refuses it once the
    link is revoked) and, for a room's facilitator, the one room it runs.
    """

    role: Role
    forum_id: str
    subject: str
    room: str | None = None  # the only room a room facilitator may run
    link: str | None = None  # the hall's link this token was issued for


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Signer:
    """Issues and verifies tokens with one secret."""

    def __init__(self, secret: str) -> None:
        self._key = secret.encode("utf-8")

    def issue(self, grant: Grant) -> str:
        fields = {"v": 1, "r": grant.role.value, "f": grant.forum_id, "s": grant.subject}
        if grant.room is not None:
            fields["o"] = grant.room
        if grant.link is not None:
            fields["k"] = grant.link
        payload = json.dumps(fields, separators=(",", ":")).encode()
        body = _b64(payload)
        return f"{body}.{self._sign(body)}"

    def verify(self, token: object) -> Grant:
        """The grant of a genuine token; raises InvalidToken otherwise."""
        # Non-ASCII text cannot be ours, and compare_digest raises on it rather than say False.
        if (not isinstance(token, str) or not token.isascii() or token.count(".") != 1
                or len(token) > 1024):
            raise InvalidToken("malformed token")
        body, signature = token.split(".")
        if not hmac.compare_digest(signature, self._sign(body)):
            raise InvalidToken("bad signature")
        try:
            raw = json.loads(_unb64(body))
            role = Role(raw["r"])
            room, link = raw.get("o"), raw.get("k")
            grant = Grant(role, str(raw["f"]), str(raw["s"]),
                          str(room) if room is not None else None,
                          str(link) if link is not None else None)
        except (ValueError, KeyError, TypeError) as error:
            raise InvalidToken("malformed payload") from error
        if role not in TOKEN_ROLES:
            raise InvalidToken("no such role")
        return grant

    def derive(self, purpose: str) -> Signer:
        """A signer for another kind of token: its tokens never verify here, nor ours there."""
        return Signer(hmac.new(self._key, b"purpose:" + purpose.encode(), "sha256").hexdigest())

    def seal(self, fields: dict[str, str]) -> str:
        """A token of plain fields (for a derived signer's own kind of token)."""
        body = _b64(json.dumps(fields, separators=(",", ":")).encode())
        return f"{body}.{self._sign(body)}"

    def unseal(self, token: object) -> dict[str, object]:
        """The fields of a genuine ``seal`` token; raises InvalidToken otherwise."""
        if (not isinstance(token, str) or not token.isascii() or token.count(".") != 1
                or len(token) > 1024):
            raise InvalidToken("malformed token")
        body, signature = token.split(".")
        if not hmac.compare_digest(signature, self._sign(body)):
            raise InvalidToken("bad signature")
        try:
            raw = json.loads(_unb64(body))
        except ValueError as error:
            raise InvalidToken("malformed payload") from error
        if not isinstance(raw, dict):
            raise InvalidToken("malformed payload")
        return raw

    def _sign(self, body: str) -> str:
        return _b64(hmac.new(self._key, body.encode("ascii"), hashlib.sha256).digest()[:24])


def new_secret() -> str:
    """A fresh random secret for a first run."""
    return secrets.token_urlsafe(32)
