"""Facilitator links: issued per room or for the forum, and revoked."""

from __future__ import annotations

from rooms.audience import Audience
from rooms.errors import ErrorCode
from rooms.hall.hall import HALL
from rooms.hall.links import revoked

from .helpers import FAC, ORG, Hall


def test_issue_and_revoke_a_room_link() -> None:
    """A link for a room of the agenda is valid until the organizer revokes it."""
    hall = Hall()
    room = hall.state.agenda.sessions[1].rooms[0].id
    (issued,) = hall.ok(ORG, "link.issue", label="Floods team", room=room)
    link = issued.data["id"]
    assert not revoked(hall.state, link)
    hall.ok(ORG, "link.revoke", id=link)
    assert revoked(hall.state, link)
    hall.refused(ORG, "link.revoke", ErrorCode.INVALID_STATE, id=link)


def test_links_name_rooms_of_the_agenda_and_are_the_organizers() -> None:
    """A link for no such room, or from a facilitator, is refused; unknown ids are revoked."""
    hall = Hall()
    hall.refused(ORG, "link.issue", ErrorCode.NOT_FOUND, label="x", room="nope")
    hall.refused(FAC, "link.issue", ErrorCode.FORBIDDEN, label="x")
    assert revoked(hall.state, "k-never-issued")


def test_only_staff_see_links() -> None:
    """Participants and the projector neither see the links nor their events."""
    hall = Hall()
    (issued,) = hall.ok(ORG, "link.issue", label="All rooms")
    assert hall.view(Audience.FACILITATOR)["links"][0]["label"] == "All rooms"
    assert "links" not in hall.view(Audience.PARTICIPANT)
    assert HALL.event_view(hall.state, issued, Audience.OBSERVER, None) == {"redacted": True}
