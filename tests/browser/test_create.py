"""Creating a forum in the browser from a format: the pilot's agenda lands in the conductor."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import NewPage
from tests.browser.helpers import expect_live
from tests.harness import Server


def test_a_forum_made_from_the_pilot_format_has_its_whole_agenda(server: Server,
                                                                 new_page: NewPage) -> None:
    """Choosing the pilot format creates the plenary, the three hackathons and the rest."""
    page = new_page(1366, 768)
    page.goto(f"{server.url}/")
    page.get_by_label("Forum title").fill("Storm forum")
    page.get_by_label("Format").select_option(label="Pilot forum: crisis communication")
    expect(page.get_by_test_id("format-agenda")).to_contain_text("Risk-specific hackathons")
    expect(page.get_by_label("Room name")).to_be_hidden()
    page.get_by_role("button", name="Create the forum").click()
    expect(page.get_by_role("heading", name="Your forum is ready")).to_be_visible()
    page.get_by_test_id("open-conductor").click()
    expect_live(page)
    agenda = page.get_by_test_id("agenda")
    expect(agenda.locator("li")).to_have_count(4)
    for title in ("Crisis communication: the common challenge", "Risk-specific hackathons",
                  "Cross-sectoral speed networking", "Evaluation"):
        expect(agenda).to_contain_text(title)
