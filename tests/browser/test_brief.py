"""The organizer opens the policy brief from the conductor in Chromium and prints it to PDF;
the PDF carries the label on every page. And a participant's results page after the event."""

from __future__ import annotations

import io
from typing import Any

import pypdf
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import NewPage
from tests.browser.helpers import (
    axe_violations,
    drive,
    expect_live,
    join_api,
    run_async,
    start_hackathon,
)
from tests.harness import Server

pytestmark = pytest.mark.browser

REFINE = [{"id": "refine", "label": "Refine",
           "allows": ["ideas", "comments", "reactions", "votes", "outcomes"]}]
CHALLENGE = "Warn every household in time, in the languages people read. " * 6


def forum(server: Server) -> tuple[dict[str, Any], dict[str, Any]]:
    """A TLP:RED forum of six rooms, each with a voted idea made into a recommendation."""
    made: dict[str, Any] = server.api.request("POST", "/api/forums", {
        "title": "Baltic resilience forum", "topic": "Floods and heat waves " * 30,
        "label": "tlp-red", "sessions": [{"kind": "hackathon", "title": "Hackathons",
                                          "minutes": 90, "rooms": [
            {"title": f"Room {n}", "challenge": CHALLENGE, "phases": REFINE}
            for n in range(1, 7)]}]})
    start_hackathon(server, made)
    ann = join_api(server, made["join"]["code"], "Ann Åse", "onsite", "municipality", "SE",
                   "City")

    async def script() -> None:
        for n, room in enumerate(made["rooms"], 1):
            (added,) = await drive(server, ann["token"], room["id"],
                                   [("idea.add", {"text": f"Sirens in district {n}"})])
            idea = f"i{added['seq']}"
            await drive(server, ann["token"], room["id"], [
                ("vote.cast", {"idea": idea}),
                ("recommendation.create", {"title": f"Recommendation {n}", "ideas": [idea],
                                           "rationale": CHALLENGE, "action": CHALLENGE})])
    run_async(script)
    return made, ann


def test_the_organizer_prints_the_brief_and_every_page_carries_the_label(
        server: Server, new_page: NewPage) -> None:
    """Conductor -> Exports -> the brief in a new tab -> page.pdf(): TLP:RED on every page."""
    made, _ = forum(server)
    page = new_page()
    page.goto(made["organizer"]["url"])
    expect_live(page)
    panel = page.get_by_test_id("exports")
    expect(panel).to_be_visible()
    with page.context.expect_page() as opened:
        panel.get_by_test_id("export-brief").click()
    brief = opened.value
    expect(brief.locator("#running-head")).to_contain_text("TLP:RED")
    expect(brief.locator("article.rec")).to_have_count(6)
    printed = brief.pdf(format="A4")
    reader = pypdf.PdfReader(io.BytesIO(printed))
    assert len(reader.pages) >= 2
    for number, pdf_page in enumerate(reader.pages, 1):
        assert "TLP:RED" in pdf_page.extract_text(), f"page {number} has no label"
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert all(f"Recommendation {n}" in text for n in range(1, 7))


def test_a_participant_reads_the_results_page(server: Server, new_page: NewPage) -> None:
    """/results with the participant's token: label, recommendations, top ideas, no item."""
    _, ann = forum(server)
    page = new_page(390, 844)
    page.goto(f"{server.url}/results#token={ann['token']}")
    expect(page.get_by_test_id("forum-title")).to_have_text("Baltic resilience forum")
    expect(page.get_by_test_id("label").first).to_contain_text("TLP:RED")
    expect(page.get_by_test_id("recommendation")).to_have_count(6)
    # The rooms never revealed their votes: the page says where each came from, not its votes.
    expect(page.get_by_test_id("recommendation").first).to_contain_text("from Room 1")
    expect(page.locator("#res-recommendations")).not_to_contain_text("null")
    expect(page.locator("#res-ideas")).to_contain_text("The votes of this room were not revealed.")
    expect(page.locator("#res-actions")).to_contain_text("You own no action item.")
    expect(page.locator("#res-connections")).to_contain_text("No connection yet")
    assert axe_violations(page) == []
