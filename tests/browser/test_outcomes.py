"""Outcomes in the browser: two participants co-edit a recommendation live in the refine phase;
the organizer's board shows the action item; the follow-up page changes its status."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import NewPage
from tests.browser.helpers import (
    axe_violations,
    drive,
    expect_live,
    join_ui,
    run_async,
    start_hackathon,
)
from tests.harness import Server

pytestmark = pytest.mark.browser


def test_co_editing_board_and_followup(server: Server, new_page: NewPage,
                                      artifacts: Path) -> None:
    """Live per-field co-editing without clobbering; the board; the follow-up link's change."""
    made = server.api.create_forum("Storm forum", "", [{"title": "Floods", "challenge": ""}])
    start_hackathon(server, made)
    fac_token, room = made["facilitator"]["token"], made["rooms"][0]["id"]
    a, b = new_page(), new_page()
    join_ui(a, server.url, made["join"]["code"], "Anu", by_link=True)
    join_ui(b, server.url, made["join"]["code"], "Bo", attendance="Remotely", by_link=True)

    async def prepare() -> None:
        await drive(server, fac_token, room, [("phase.set", {"phase": "ideate"})])
        acks = await drive(server, fac_token, room, [
            ("idea.add", {"text": "Sirens in every village"}),
            ("cluster.create", {"title": "Warning people"})])
        await drive(server, fac_token, room, [
            ("idea.move", {"id": f"i{acks[0]['seq']}", "cluster": f"k{acks[1]['seq']}"}),
            ("phase.set", {"phase": "refine"})])
    run_async(prepare)

    panel_a, panel_b = a.get_by_test_id("outcomes"), b.get_by_test_id("outcomes")
    expect(panel_a).to_be_visible()
    panel_a.get_by_test_id("rec-from-cluster").click()
    for panel in (panel_a, panel_b):
        expect(panel.get_by_label("Recommendation", exact=True)).to_have_value("Warning people")
        expect(panel.get_by_test_id("recommendation")).to_contain_text("Sirens in every village")

    # Anu types the rationale while Bo fills in the owner: neither clobbers the other.
    rationale_a = panel_a.get_by_label("Why (rationale)")
    rationale_a.click()
    rationale_a.press_sequentially("Heard by all")
    owner_b = panel_b.get_by_label("Who should act (organization, unit)")
    owner_b.fill("Rescue department")
    owner_b.blur()
    expect(panel_a.get_by_label("Who should act (organization, unit)")).to_have_value(
        "Rescue department")
    expect(rationale_a).to_have_value("Heard by all")  # still being typed: untouched
    rationale_a.blur()
    expect(panel_b.get_by_label("Why (rationale)")).to_have_value("Heard by all")
    expect(panel_b.get_by_test_id("rec-edited")).to_have_text("Last edited by Anu")

    # An action item for Bo, due in the past (so the board marks it overdue).
    panel_a.get_by_label("Action item", exact=True).fill("Buy sirens")
    panel_a.get_by_label("Owner (name, organization)").fill("Bo, Rescue Services")
    panel_a.get_by_label("Owner in this room").select_option(label="Bo")
    panel_a.get_by_label("Due", exact=True).fill("2020-01-31")
    panel_a.get_by_label("Under recommendation").select_option(label="Warning people")
    panel_a.get_by_role("button", name="Add the action item").click()
    item_b = panel_b.get_by_test_id("action-item")
    expect(item_b).to_contain_text("Buy sirens")
    expect(item_b).to_contain_text("Open")
    assert axe_violations(b) == []

    # The facilitator console shows the same, and its edits reach the room live.
    fac = new_page()
    fac.goto(made["facilitator"]["url"])
    expect_live(fac)
    fac_panel = fac.get_by_test_id("outcomes")
    expect(fac_panel.get_by_label("Why (rationale)")).to_have_value("Heard by all")
    expect(fac_panel.get_by_test_id("action-item")).to_contain_text("Buy sirens")
    fac_action = fac_panel.get_by_label("Proposed action")
    fac_action.fill("Test the sirens every first Monday")
    fac_action.blur()
    expect(panel_a.get_by_label("Proposed action")).to_have_value(
        "Test the sirens every first Monday")
    expect(panel_a.get_by_test_id("rec-edited")).to_have_text("Last edited by a facilitator")

    board = new_page()
    board.goto(f"{server.url}/actions?forum={made['forum']['id']}"
               f"#token={made['organizer']['token']}")
    open_column = board.get_by_test_id("column-open")
    card = open_column.get_by_test_id("board-item")
    expect(card).to_contain_text("Buy sirens")
    expect(card).to_contain_text("Floods")
    expect(card.get_by_test_id("overdue")).to_have_text("Overdue")
    url = card.get_by_test_id("followup-url").input_value()
    assert axe_violations(board) == []

    followup = new_page(width=390, height=844)
    followup.goto(url)
    expect(followup.get_by_role("heading", name="Buy sirens")).to_be_visible()
    assert axe_violations(followup) == []
    followup.get_by_label("New status").select_option("done")
    followup.get_by_label("Note (what happened, what is next)").fill("12 sirens installed")
    followup.get_by_role("button", name="Save").click()
    expect(followup.get_by_test_id("followup-history")).to_contain_text("12 sirens installed")
    expect(followup.get_by_test_id("followup-current")).to_contain_text("Done")
    # The room sees it live, as done by the follow-up link.
    expect(item_b).to_contain_text("Done")
    item_b.locator("summary").click()
    expect(item_b.locator(".history")).to_contain_text("the owner (follow-up link)")
    board.reload()
    expect(board.get_by_test_id("column-done").get_by_test_id("board-item")).to_contain_text(
        "Buy sirens")
    expect_live(a)
    a.screenshot(path=str(artifacts / "outcomes-room.png"), full_page=True)
    board.screenshot(path=str(artifacts / "outcomes-board.png"), full_page=True)
