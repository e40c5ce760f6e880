"""The projector: a read-only big screen with the join QR code and live results."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import NewPage
from tests.browser.helpers import drive, expect_live, join_api, run_async, start_hackathon
from tests.harness import Server

pytestmark = pytest.mark.browser


def test_projector_shows_qr_code_and_live_results_after_reveal(
        server: Server, new_page: NewPage) -> None:
    """The QR image loads, results stay hidden until the reveal, then follow every vote."""
    made = server.api.create_forum("Forest fire forum", "", [
        {"title": "Smoke", "challenge": "Protect people from wildfire smoke"}])
    start_hackathon(server, made)
    room, fac = made["rooms"][0]["id"], made["facilitator"]["token"]
    person = join_api(server, made["join"]["code"], "Mari", "onsite", "municipality", "FI", "")
    screen = new_page(1600, 900)
    screen.goto(f"{made['observer']['url']}&room={room}")
    expect_live(screen)
    expect(screen.get_by_test_id("join-code")).to_have_text(made["join"]["code"])
    expect(screen.get_by_test_id("challenge")).to_have_text("Protect people from wildfire smoke")
    qr = screen.get_by_test_id("qr")
    expect(qr).to_be_visible()
    screen.wait_for_function("img => img.complete && img.naturalWidth > 100",
                             arg=qr.element_handle())
    assert qr.get_attribute("src") == f"/api/join/{made['join']['code']}/qr.svg"
    expect(screen.get_by_role("button")).to_have_count(0)  # read-only: nothing to press

    ids: list[str] = []

    def ideas_and_votes() -> None:
        async def script() -> None:
            await drive(server, fac, room, [("phase.set", {"phase": "ideate"})])
            acks = await drive(server, person["token"], room, [
                ("idea.add", {"text": "Clean-air rooms in schools"}),
                ("idea.add", {"text": "Mask stock in pharmacies"})])
            first, second = (f"i{a['seq']}" for a in acks)
            ids.extend([first, second])
            await drive(server, fac, room, [("phase.set", {"phase": "vote"})])
            await drive(server, person["token"], room, [("vote.cast", {"idea": second}),
                                                        ("vote.cast", {"idea": second}),
                                                        ("vote.cast", {"idea": first})])
        run_async(script)

    ideas_and_votes()
    expect(screen.locator(".idea-text")).to_have_count(2)
    expect(screen.get_by_test_id("results")).to_be_hidden()
    expect(screen.get_by_test_id("idea-votes").first).to_be_hidden()

    run_async(lambda: drive(server, fac, room, [("voting.reveal", {})]))
    rows = screen.get_by_test_id("results-list").locator("li")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Mask stock in pharmacies 2 votes")
    expect(rows.last).to_contain_text("Clean-air rooms in schools 1 vote")

    # Live: a vote after the reveal moves the results on the big screen.
    run_async(lambda: drive(server, person["token"], room, [("vote.cast", {"idea": ids[0]}),
                                                            ("vote.cast", {"idea": ids[0]})]))
    expect(rows.first).to_contain_text("Clean-air rooms in schools 3 votes")
    expect(rows.last).to_contain_text("Mask stock in pharmacies 2 votes")
