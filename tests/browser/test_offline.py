"""Offline on a phone: each change shows at once, marked as waiting, and lands once."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from client import RoomClient
from tests.browser.conftest import NewPage
from tests.browser.helpers import expect_live, idea_card, join_ui, run_async, start_hackathon
from tests.harness import Server
from tests.server.helpers import OPEN_PHASE

pytestmark = pytest.mark.browser


async def _board(server: Server, token: str, room: str) -> list[dict[str, Any]]:
    async with await RoomClient.connect(server.ws_url, token, room) as client:
        snapshot = next(m for m in client.messages if m["type"] == "snapshot")
        ideas: list[dict[str, Any]] = snapshot["state"]["board"]["ideas"]
        return ideas


def _open_room(server: Server, new_page: NewPage) -> tuple[Page, dict[str, Any]]:
    made = server.api.create_forum("Floods", "", [{"title": "Room A", "challenge": "",
                                                   "phases": OPEN_PHASE}])
    start_hackathon(server, made)
    page = new_page(390, 844)
    join_ui(page, server.url, made["join"]["code"], "Anu", by_link=True)
    expect(page.get_by_label("Your idea")).to_be_visible()
    page.get_by_label("Your idea").fill("Sirens with spoken messages")
    page.get_by_role("button", name="Post idea").click()
    expect(idea_card(page, "Sirens")).to_be_visible()
    return page, made


def test_a_reaction_and_a_comment_made_offline_show_at_once_and_land_once(
        server: Server, new_page: NewPage) -> None:
    """Offline, a reaction and a comment show at once as waiting; back online they land once."""
    page, made = _open_room(server, new_page)
    card = idea_card(page, "Sirens")
    page.context.set_offline(True)
    expect(page.get_by_test_id("connection")).to_have_attribute("data-status", "offline")

    agree = card.get_by_role("button", name="Agree")
    agree.click()
    expect(agree).to_have_attribute("aria-pressed", "true")
    expect(agree).to_have_class("chip chip-pending")
    expect(agree.locator(".count")).to_have_text("1")
    card.locator("summary").click()
    card.get_by_label("Your comment").fill("In Estonian and Russian too")
    card.get_by_role("button", name="Comment", exact=True).click()
    comment = card.locator(".comment", has_text="In Estonian and Russian too")
    expect(comment).to_contain_text("waiting")
    expect(page.get_by_test_id("connection")).to_contain_text("2 changes waiting")

    page.context.set_offline(False)
    expect_live(page)
    expect(page.get_by_test_id("connection")).not_to_contain_text("waiting")
    expect(agree).to_have_attribute("aria-pressed", "true")
    expect(agree).not_to_have_class("chip chip-pending")
    expect(comment).not_to_contain_text("waiting")
    expect(card.locator(".comment")).to_have_count(1)
    ideas = run_async(lambda: _board(server, made["facilitator"]["token"], made["rooms"][0]["id"]))
    assert [c["text"] for c in ideas[0]["comments"]] == ["In Estonian and Russian too"]
    assert len(ideas[0]["reactions"]["+1"]) == 1


def test_a_reload_while_offline_opens_the_room_with_its_waiting_changes(
        server: Server, new_page: NewPage) -> None:
    """Offline, a reload opens the room from the device (no error page), outbox kept; it syncs."""
    page, made = _open_room(server, new_page)
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    page.context.set_offline(True)
    expect(page.get_by_test_id("connection")).to_have_attribute("data-status", "offline")
    agree = idea_card(page, "Sirens").get_by_role("button", name="Agree")
    agree.click()
    expect(agree).to_have_attribute("aria-pressed", "true")

    page.reload()
    expect(page.get_by_role("heading", name="Room A")).to_be_visible()
    card = idea_card(page, "Sirens")
    expect(card).to_be_visible()
    expect(card.get_by_role("button", name="Agree")).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_test_id("connection")).to_contain_text("1 change waiting")

    page.context.set_offline(False)
    expect_live(page)
    expect(page.get_by_test_id("connection")).not_to_contain_text("waiting")
    ideas = run_async(lambda: _board(server, made["facilitator"]["token"], made["rooms"][0]["id"]))
    assert len(ideas[0]["reactions"]["+1"]) == 1


def test_the_service_worker_is_served_from_the_root_and_never_keeps_the_api(
        server: Server, new_page: NewPage) -> None:
    """/sw.js may control every page; /api answers never come from its cache."""
    page = new_page()
    page.goto(f"{server.url}/")
    response = page.request.get(f"{server.url}/sw.js")
    assert response.headers["service-worker-allowed"] == "/"
    assert "javascript" in response.headers["content-type"]
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    kept = page.evaluate("""async () => {
        await fetch('/api/vocabulary');
        const cache = await caches.open('hackrooms-shell-v1');
        return (await cache.keys()).map(r => new URL(r.url).pathname);
    }""")
    assert "/" in kept
    assert "/static/css/app.css" in kept
    assert not [p for p in kept if p.startswith("/api")]
