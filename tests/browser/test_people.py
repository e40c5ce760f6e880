"""People: each sees themselves, edits their profile live; facilitators see who is in the room."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import NewPage
from tests.browser.helpers import expect_live, idea_card, join_ui, start_hackathon
from tests.harness import Server
from tests.server.helpers import OPEN_PHASE

pytestmark = pytest.mark.browser


def test_a_participant_sees_and_edits_their_profile_and_the_room_sees_it(
        server: Server, new_page: NewPage) -> None:
    """'You: Anu' in the header; a new name reaches the others' board and the console's roster."""
    made = server.api.create_forum("Floods", "", [{"title": "Room A", "challenge": "",
                                                   "phases": OPEN_PHASE}])
    start_hackathon(server, made)
    anu = new_page(390, 844)
    join_ui(anu, server.url, made["join"]["code"], "Anu", by_link=True)
    bob = new_page()
    join_ui(bob, server.url, made["join"]["code"], "Bob", attendance="Remotely", by_link=True)
    fac = new_page()
    fac.goto(made["facilitator"]["url"])
    expect_live(fac)

    expect(anu.get_by_test_id("me")).to_have_text("You: Anu")
    anu.get_by_label("Your idea").fill("Sirens with spoken messages")
    anu.get_by_role("button", name="Post idea").click()
    expect(idea_card(bob, "Sirens").locator(".idea-meta")).to_contain_text("Anu")

    roster = fac.get_by_test_id("roster")
    expect(roster.locator("li", has_text="Anu")).to_contain_text("On site, in the room")
    expect(roster.locator("li", has_text="Bob")).to_contain_text("Remotely")
    expect(roster.locator("li", has_text="Bob")).to_contain_text("online")
    expect(fac.get_by_test_id("roster-summary")).to_contain_text("2 online now")

    anu.get_by_test_id("me").click()
    name = anu.locator("#me-name")
    expect(name).to_have_value("Anu")
    name.fill("Anu Tamm")
    anu.get_by_label("Remotely").check()
    anu.get_by_role("button", name="Save").click()
    expect(anu.get_by_role("status").filter(has_text="Saved")).to_be_visible()
    expect(anu.get_by_test_id("me")).to_have_text("You: Anu Tamm")

    expect(idea_card(bob, "Sirens").locator(".idea-meta")).to_contain_text("Anu Tamm")
    expect(roster.locator("li", has_text="Anu Tamm")).to_contain_text("Remotely")

    bob.context.close()
    expect(roster.locator("li", has_text="Bob")).to_contain_text("not connected")
