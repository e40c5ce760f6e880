"""A refusal is said once, plainly, in the card it was about, and goes when its cause is gone."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import NewPage
from tests.browser.helpers import drive, idea_card, join_ui, run_async, start_hackathon
from tests.harness import Server

pytestmark = pytest.mark.browser

IDEA = "Cell broadcast alerts"


def _voting(server: Server, new_page: NewPage) -> tuple[Page, dict[str, Any]]:
    made = server.api.create_forum("Floods", "", [{"title": "Room A", "challenge": ""}])
    start_hackathon(server, made)
    room = made["rooms"][0]["id"]
    run_async(lambda: drive(server, made["facilitator"]["token"], room, [
        ("phase.set", {"phase": "ideate"}), ("idea.add", {"text": IDEA}),
        ("phase.set", {"phase": "vote"})]))
    page = new_page()
    join_ui(page, server.url, made["join"]["code"], "Anu", by_link=True)
    expect(idea_card(page, IDEA)).to_be_visible()
    return page, made


def _refuse(page: Page) -> Any:
    card = idea_card(page, IDEA)
    card.get_by_role("button", name=re.compile("^Take a vote back")).focus()  # aria-disabled
    page.keyboard.press("Enter")
    refusal = card.get_by_role("alert")
    expect(refusal).to_contain_text("You have no vote on this idea to take back.")
    return refusal


def test_a_refusal_is_plain_once_and_goes_when_the_phase_moves_on(server: Server,
                                                                  new_page: NewPage) -> None:
    """The friendly sentence shows; the server's words are folded; a new phase clears it."""
    page, made = _voting(server, new_page)
    refusal = _refuse(page)
    expect(page.get_by_role("alert")).to_have_count(1)
    expect(refusal.locator(".error-detail")).to_be_hidden()
    refusal.get_by_text("Technical details").click()
    expect(refusal.locator(".error-detail")).to_be_visible()

    room = made["rooms"][0]["id"]
    run_async(lambda: drive(server, made["facilitator"]["token"], room,
                            [("phase.set", {"phase": "results"})]))
    expect(page.get_by_test_id("phase")).to_contain_text("Results")
    expect(page.get_by_role("alert")).to_have_count(0)


def test_a_refusal_goes_after_the_next_action_there_succeeds(server: Server,
                                                             new_page: NewPage) -> None:
    """After a refused retract, a vote cast on the same idea clears the message."""
    page, _ = _voting(server, new_page)
    _refuse(page)
    card = idea_card(page, IDEA)
    card.get_by_role("button", name=re.compile("^Add a vote for")).click()
    expect(card.get_by_test_id("my-votes")).to_have_text("Your vote: 1")
    expect(card.get_by_role("alert")).to_have_count(0)
