"""PATCH /api/me: a participant edits their profile, and the rooms they are in see it at once."""

from __future__ import annotations

import pytest

from client import ApiError
from tests.harness import Server
from tests.server.helpers import Clients, new_forum


async def test_a_changed_profile_reaches_the_room_and_the_hall_live(module_server: Server,
                                                                    clients: Clients) -> None:
    """Another member's open room and the hall get member.joined with the new profile."""
    forum = new_forum(module_server)
    ann = forum.join("Ann", "onsite")
    bob = forum.join("Bob", "remote")
    await clients.connect(module_server, ann.token, forum.room)
    await clients.connect(module_server, ann.token, forum.hall)
    watcher = await clients.connect(module_server, bob.token, forum.room)
    hall = await clients.connect(module_server, forum.organizer, forum.hall)

    answer = module_server.api.request("PATCH", "/api/me", {"name": "Ann Tamm",
                                                            "attendance": "remote"}, ann.token)
    assert answer["participant"]["name"] == "Ann Tamm"
    assert answer["participant"]["attendance"] == "remote"

    def renamed(m: dict[str, object]) -> bool:
        data = m.get("data")
        return (m.get("type") == "event" and m.get("name") == "member.joined"
                and isinstance(data, dict) and data.get("name") == "Ann Tamm")

    seen = await watcher.expect(renamed)
    assert seen["data"]["id"] == ann.id
    await hall.expect(renamed)
    assert module_server.api.me(ann.token)["participant"]["name"] == "Ann Tamm"


def test_profile_changes_are_checked(module_server: Server) -> None:
    """Bad values and unknown fields are 400; staff have no profile (403); no token is 401."""
    forum = new_forum(module_server)
    ann = forum.join("Ann")
    for body in ({"name": ""}, {"sector": "pirates"}, {"attendance": "both"},
                 {"email": "ann@example.org"}, {"name": "x" * 81}):
        with pytest.raises(ApiError) as refused:
            module_server.api.request("PATCH", "/api/me", body, ann.token)
        assert (refused.value.status, refused.value.code) == (400, "invalid_args"), body
    with pytest.raises(ApiError) as staff:
        module_server.api.request("PATCH", "/api/me", {"name": "Fac"}, forum.facilitator)
    assert staff.value.status == 403
    with pytest.raises(ApiError) as nobody:
        module_server.api.request("PATCH", "/api/me", {"name": "Anon"})
    assert nobody.value.status == 401
    assert module_server.api.me(ann.token)["participant"]["name"] == "Ann"
