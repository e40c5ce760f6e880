"""The states this client added pass axe: field errors, a phone room offline, a refusal."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import NewPage
from tests.browser.helpers import axe_violations, idea_card, open_as_participant, seed_demo
from tests.harness import Server

pytestmark = pytest.mark.browser


def test_field_errors_a_phone_room_offline_and_a_refusal_pass_axe(server: Server,
                                                                 new_page: NewPage) -> None:
    """No serious or critical axe issue in the error, offline and phone states."""
    demo = seed_demo(server)
    made, room = demo["made"], demo["room"]
    found: dict[str, list[dict[str, object]]] = {}

    page = new_page(360, 740)
    page.goto(f"{server.url}/join/{made['join']['code']}")
    page.get_by_role("button", name="Join the forum").click()
    expect(page.get_by_test_id("field-error")).to_have_count(4)
    found["profile form with errors, phone"] = axe_violations(page)

    phone = new_page(390, 844)
    open_as_participant(phone, server.url, demo["anu"], room)
    card = phone.locator("li.idea").filter(has=phone.get_by_test_id("my-votes").filter(
        has_text="Your votes: 0")).first  # no dot to take back: refused
    expect(card).to_be_visible()
    card.get_by_role("button", name=re.compile("^Take a vote back")).focus()
    phone.keyboard.press("Enter")
    expect(card.get_by_role("alert")).to_be_visible()
    found["phone room with a refusal"] = axe_violations(phone)

    phone.get_by_test_id("me").click()
    expect(phone.locator("#me-name")).to_be_visible()
    found["phone room, profile menu open"] = axe_violations(phone)
    phone.get_by_test_id("me").click()

    phone.context.set_offline(True)
    expect(phone.get_by_test_id("connection")).to_have_attribute("data-status", "offline")
    idea = phone.locator(".idea-text").nth(1).inner_text()
    other = idea_card(phone, idea)
    other.get_by_role("button", name="Inspiring").click()
    expect(other.locator(".chip-pending")).to_have_count(1)
    phone.locator("li.idea > article").first.focus()
    found["phone room offline, a change waiting, a card focused"] = axe_violations(phone)
    phone.context.set_offline(False)

    serious = {view: v for view, v in found.items() if v}
    assert not serious, serious
