"""The join form on a phone: each problem once, under its field; a box on its label's line."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import NewPage
from tests.harness import Server

pytestmark = pytest.mark.browser


def _profile(server: Server, new_page: NewPage) -> Page:
    made = server.api.create_forum("Floods", "", [{"title": "Room A", "challenge": ""}])
    page = new_page(360, 740)
    page.goto(f"{server.url}/join/{made['join']['code']}")
    expect(page.get_by_label("Your name")).to_be_visible()
    return page


def test_missing_fields_are_said_once_each_next_to_the_field(server: Server,
                                                             new_page: NewPage) -> None:
    """An empty form: one message under each missing field, described and invalid, no '?.'."""
    page = _profile(server, new_page)
    page.get_by_role("button", name="Join the forum").click()
    name = page.get_by_label("Your name")
    expect(name).to_be_focused()
    expect(name).to_have_attribute("aria-invalid", "true")
    expect(name).to_have_accessible_description("Please enter your name.")
    expect(page.get_by_label("Sector")).to_have_accessible_description("Please choose one.")
    expect(page.get_by_label("On site, in the room")).to_have_accessible_description(
        "Please choose how you are taking part.")
    expect(page.get_by_test_id("field-error")).to_have_count(4)
    assert "?." not in page.get_by_test_id("profile-form").inner_text()
    expect(page.get_by_role("alert")).to_have_count(0)  # no summary repeating them at the bottom
    under_name = page.locator("#p-name-error")
    below = page.get_by_label("Organization (optional)").bounding_box()
    assert under_name.bounding_box()["y"] < below["y"]  # type: ignore[index]

    name.fill("Anu")
    expect(name).not_to_have_attribute("aria-invalid", "true")
    expect(under_name).to_have_count(0)
    expect(page.get_by_test_id("field-error")).to_have_count(3)


def test_an_unticked_contact_detail_is_said_next_to_its_box(server: Server,
                                                           new_page: NewPage) -> None:
    """An email without its consent: the message sits by that box, which shares its label's line."""
    page = _profile(server, new_page)
    page.get_by_label("Your name").fill("Anu")
    page.get_by_label("Sector").select_option("rescue_emergency")
    page.get_by_label("Country").select_option("EE")
    page.get_by_label("On site, in the room").check()
    page.get_by_label("Email (optional)").fill("anu@example.org")
    page.get_by_role("button", name="Join the forum").click()
    share = page.get_by_test_id("share-email")
    expect(share).to_be_focused()
    expect(share).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_test_id("field-error")).to_have_count(1)
    box = share.bounding_box()
    label = page.locator("label[for=share-email]").bounding_box()
    assert box is not None
    assert label is not None
    assert label["x"] > box["x"] + box["width"] - 1  # beside it, not below it
    assert label["y"] <= box["y"] + box["height"] / 2 <= label["y"] + label["height"]
    share.check()
    expect(page.get_by_test_id("field-error")).to_have_count(0)
