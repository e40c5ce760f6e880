"""Clustering: drag and drop onto clusters and cards, the keyboard path, participants when let."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from client import RoomClient
from tests.browser.conftest import NewPage
from tests.browser.helpers import (
    board_of,
    drive,
    expect_live,
    idea_card,
    join_api,
    open_as_participant,
    run_async,
    start_hackathon,
)
from tests.harness import Server

pytestmark = pytest.mark.browser

IDEAS = ("Sirens in every village", "Cell broadcast alerts", "Radio in four languages")
LONG = "A cluster with a very long title that goes on about warnings in many languages " * 2


def _room(server: Server, clusters: tuple[str, ...] = ("Alerts",)) -> dict[str, Any]:
    """A started forum, one participant's three ideas, the given clusters, the Cluster phase."""
    made = server.api.create_forum("Flood forum", "", [{"title": "Warning", "challenge": "Warn"}])
    start_hackathon(server, made)
    room, fac = made["rooms"][0]["id"], made["facilitator"]["token"]
    anu = join_api(server, made["join"]["code"], "Anu", "onsite", "municipality", "EE", "")

    async def script() -> None:
        await drive(server, fac, room, [("phase.set", {"phase": "ideate"})])
        await drive(server, anu["token"], room, [("idea.add", {"text": t}) for t in IDEAS])
        await drive(server, fac, room, [*[("cluster.create", {"title": c}) for c in clusters],
                                        ("phase.set", {"phase": "cluster"})])

    run_async(script)
    return {"made": made, "room": room, "fac": fac, "anu": anu}


def _console(page: Page, r: dict[str, Any]) -> Page:
    page.goto(r["made"]["facilitator"]["url"])
    expect_live(page)
    expect(page.locator("li.idea")).to_have_count(3)
    return page


def _cluster(page: Page, title: str) -> Any:
    return page.locator("[data-testid=board] section.cluster").filter(
        has=page.locator(".cluster-title", has_text=title))


def test_the_facilitator_drags_cards_onto_a_cluster_and_onto_a_card(
        server: Server, new_page: NewPage) -> None:
    """Card onto cluster moves it; card onto a loose card makes a cluster of both."""
    r = _room(server)
    fac = _console(new_page(), r)
    idea_card(fac, IDEAS[0]).drag_to(_cluster(fac, "Alerts"))
    expect(_cluster(fac, "Alerts").locator(".idea-text")).to_have_text([IDEAS[0]])
    idea_card(fac, IDEAS[2]).drag_to(idea_card(fac, IDEAS[1]))
    expect(_cluster(fac, IDEAS[1]).locator(".idea-text")).to_have_text([IDEAS[1], IDEAS[2]])
    assert board_of(fac) == [("Alerts", [IDEAS[0]]), (IDEAS[1], [IDEAS[1], IDEAS[2]])]
    # Onto a card in a cluster: into that cluster.
    idea_card(fac, IDEAS[0]).drag_to(idea_card(fac, IDEAS[2]))
    expect(_cluster(fac, IDEAS[1]).locator(".idea-text")).to_have_count(3)


def test_the_keyboard_path_moves_a_card_with_its_cluster_list(
        server: Server, new_page: NewPage) -> None:
    """Each card's Cluster list moves it or starts a cluster, by keyboard; it fits its card."""
    r = _room(server, clusters=("Alerts", LONG[:120].strip()))
    fac = _console(new_page(), r)
    select = idea_card(fac, IDEAS[1]).get_by_label("Cluster")
    select.focus()
    select.select_option(label="Alerts")
    expect(_cluster(fac, "Alerts").locator(".idea-text")).to_have_text([IDEAS[1]])
    idea_card(fac, IDEAS[2]).get_by_label("Cluster").select_option(
        label="New cluster with this idea")
    expect(_cluster(fac, IDEAS[2]).locator(".idea-text")).to_have_text([IDEAS[2]])
    card = idea_card(fac, IDEAS[0])
    box, picker = card.bounding_box(), card.get_by_label("Cluster").bounding_box()
    assert box is not None
    assert picker is not None
    assert picker["x"] + picker["width"] <= box["x"] + box["width"] + 0.5  # no overflow


def test_a_participant_clusters_when_let_and_is_refused_when_not(
        server: Server, new_page: NewPage) -> None:
    """Without the switch no drag, no list and phase_closed; with it, a drag moves the card."""
    r = _room(server)
    part = new_page()
    open_as_participant(part, server.url, r["anu"], r["room"])
    card = idea_card(part, IDEAS[0])
    expect(card).to_be_visible()
    expect(card).not_to_have_attribute("draggable", "true")
    expect(card.get_by_label("Cluster")).to_have_count(0)
    refused = run_async(lambda: _try_move(server, r))
    assert refused["code"] == "phase_closed"

    fac = _console(new_page(), r)
    fac.get_by_test_id("let-cluster").check()
    expect(card).to_have_attribute("draggable", "true")
    expect(part.get_by_test_id("phase-allows")).to_contain_text("cluster ideas")
    card.drag_to(_cluster(part, "Alerts"))
    for page in (part, fac):
        expect(_cluster(page, "Alerts").locator(".idea-text")).to_have_text([IDEAS[0]])
    idea_card(part, IDEAS[2]).drag_to(idea_card(part, IDEAS[1]))
    expect(_cluster(fac, IDEAS[1]).locator(".idea-text")).to_have_text([IDEAS[1], IDEAS[2]])
    fac.get_by_test_id("let-cluster").uncheck()
    expect(card).not_to_have_attribute("draggable", "true")


async def _try_move(server: Server, r: dict[str, Any]) -> dict[str, Any]:
    async with await RoomClient.connect(server.ws_url, r["anu"]["token"], r["room"]) as client:
        snapshot = next(m for m in client.messages if m["type"] == "snapshot")
        idea = snapshot["state"]["board"]["ideas"][0]["id"]
        reply: dict[str, Any] = await client.send_command(
            "try-move", "idea.move", {"id": idea, "cluster": "k9"}, 10.0)
        return reply
