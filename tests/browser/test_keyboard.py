"""The room by keyboard: the board is one tab stop, card to card by keys; focus on the room."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import NewPage
from tests.browser.helpers import drive, join_ui, run_async, start_hackathon
from tests.harness import Server
from tests.server.helpers import OPEN_PHASE

pytestmark = pytest.mark.browser

TEXTS = [f"Idea {n} for the flood plan" for n in range(1, 12)]


def test_the_board_is_one_tab_stop_with_keys_between_cards(server: Server,
                                                           new_page: NewPage) -> None:
    """Eleven ideas: Tab goes past the board in one stop; j/k, Enter and Escape move inside."""
    made = server.api.create_forum("Floods", "", [{"title": "Room A", "challenge": "",
                                                   "phases": OPEN_PHASE}])
    start_hackathon(server, made)
    room = made["rooms"][0]["id"]
    run_async(lambda: drive(server, made["facilitator"]["token"], room,
                            [("idea.add", {"text": text}) for text in TEXTS]))
    page = new_page()
    join_ui(page, server.url, made["join"]["code"], "Anu", by_link=True)
    expect(page.locator(".idea-text")).to_have_count(len(TEXTS))
    expect(page.get_by_role("heading", name="Room A", level=1)).to_be_focused()

    page.get_by_role("button", name="Post idea").focus()
    stops = 0
    for _ in range(30):
        page.keyboard.press("Tab")
        stops += 1
        if not page.evaluate("document.activeElement.closest('[data-testid=board]') !== null"):
            break
    assert stops <= 3, f"{stops} tab stops to get past the board"  # the card, then out

    first = page.locator("li.idea > article").first
    first.focus()
    page.keyboard.press("j")
    second = page.locator("li.idea > article").nth(1)
    expect(second).to_be_focused()
    expect(second).to_have_attribute("tabindex", "0")
    expect(first).to_have_attribute("tabindex", "-1")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("k")
    expect(second).to_be_focused()
    page.keyboard.press("End")
    expect(page.locator("li.idea > article").last).to_be_focused()
    page.keyboard.press("Home")
    expect(first).to_be_focused()

    page.keyboard.press("Enter")  # into the card: its first action
    agree = first.get_by_role("button", name="Agree")
    expect(agree).to_be_focused()
    page.keyboard.press("Enter")
    expect(agree).to_have_attribute("aria-pressed", "true")
    page.keyboard.press("Escape")
    expect(first).to_be_focused()


def test_the_console_focuses_the_room_it_opens(server: Server, new_page: NewPage) -> None:
    """The facilitator console puts focus on the room's name, at start and on switching rooms."""
    made = server.api.create_forum("Floods", "", [{"title": "Room A", "challenge": ""},
                                                  {"title": "Room B", "challenge": ""}])
    page = new_page()
    page.goto(made["facilitator"]["url"])
    expect(page.get_by_role("heading", name="Room A", level=2)).to_be_focused()
    page.get_by_test_id("overview").get_by_role("button", name="Control Room B").click()
    expect(page.get_by_role("heading", name="Room B", level=2)).to_be_focused()
