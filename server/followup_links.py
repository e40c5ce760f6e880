"""Follow-up links: a signed token per action item, for its owner, valid after the event.

The token names a forum, a room and an action item, signed with a key derived from the
server secret for this purpose only: it is never a bearer token of the websocket or of any
other route, and those never verify as it. All a leaked link lets its holder do is read that
one item (with its recommendation, room title and the forum's title and label) and change its
status with a note. It is the same for the same item every time, so the organizer can list the
links again; there is no revocation (docs/protocol.md, "Follow-up: action items").
"""

from __future__ import annotations

from dataclasses import dataclass

from .auth import InvalidToken, Signer

PURPOSE = "followup"


@dataclass(frozen=True, slots=True)
class FollowupLink:
    """The one action item a follow-up token is for."""

    forum_id: str
    room_id: str
    action_id: str


def issue(signer: Signer, link: FollowupLink) -> str:
    """The follow-up token of an action item."""
    return signer.derive(PURPOSE).seal(
        {"v": "1", "f": link.forum_id, "o": link.room_id, "a": link.action_id})


def verify(signer: Signer, token: object) -> FollowupLink:
    """The link of a genuine follow-up token; raises InvalidToken otherwise."""
    raw = signer.derive(PURPOSE).unseal(token)
    parts = raw.get("f"), raw.get("o"), raw.get("a")
    if raw.get("v") != "1" or not all(isinstance(p, str) for p in parts):
        raise InvalidToken("malformed payload")
    return FollowupLink(str(parts[0]), str(parts[1]), str(parts[2]))
