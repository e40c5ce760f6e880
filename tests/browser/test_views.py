"""Every view passes an axe-core scan, and is photographed for the artifacts and the README."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import NewPage
from tests.browser.helpers import (
    SCREENSHOTS,
    axe_violations,
    expect_live,
    open_as_participant,
    seed_demo,
)
from tests.harness import Server

pytestmark = pytest.mark.browser


def _ready(page: Page) -> None:
    expect(page.locator(".idea-text").first).to_be_visible()
    expect(page.get_by_test_id("timer-status").first).to_have_text("Running")


def test_every_view_has_no_serious_accessibility_violation(
        server: Server, new_page: NewPage) -> None:
    """axe-core finds no serious or critical issue on join, room, console and projector."""
    demo = seed_demo(server)
    made, room = demo["made"], demo["room"]
    page = new_page()
    views: dict[str, list[dict[str, object]]] = {}

    page.goto(f"{server.url}/")
    expect(page.get_by_role("heading", name="Join a forum")).to_be_visible()
    views["start page (join and create)"] = axe_violations(page)

    page.goto(f"{server.url}/join/{made['join']['code']}")
    expect(page.get_by_role("heading", name="About you")).to_be_visible()
    views["profile form"] = axe_violations(page)

    person = new_page()
    open_as_participant(person, server.url, demo["anu"], room)
    _ready(person)
    views["participant room"] = axe_violations(person)

    page.goto(made["facilitator"]["url"])
    expect_live(page)
    _ready(page)
    views["facilitator console"] = axe_violations(page)

    page.goto(f"{made['observer']['url']}&room={room}")
    page.reload()  # only the fragment changed: load the projector itself
    expect_live(page)
    _ready(page)
    views["projector"] = axe_violations(page)

    bad = {view: found for view, found in views.items() if found}
    assert not bad, bad


def test_screenshots_of_every_view(server: Server, new_page: NewPage, artifacts: Path) -> None:
    """Screenshots of each view land in test-artifacts/ (and docs/screenshots/ when asked)."""
    demo = seed_demo(server)
    made, room = demo["made"], demo["room"]
    shots: dict[str, Page] = {}

    person = new_page(1280, 900)
    open_as_participant(person, server.url, demo["anu"], room)
    _ready(person)
    shots["participant"] = person

    phone = new_page(390, 844)
    open_as_participant(phone, server.url, demo["jonas"], room)
    _ready(phone)
    shots["participant-mobile"] = phone

    console = new_page(1440, 900)
    console.goto(made["facilitator"]["url"])
    expect_live(console)
    _ready(console)
    expect(console.get_by_test_id("overview").locator("tbody tr").first).to_contain_text("Vote")
    shots["facilitator"] = console

    conductor = new_page(1366, 768)
    conductor.goto(made["organizer"]["url"])
    expect_live(conductor)
    expect(conductor.get_by_test_id("now-kind")).not_to_be_empty()
    expect(conductor.get_by_test_id("rooms-overview")).to_contain_text("Vote")
    shots["conductor"] = conductor

    screen = new_page(1600, 900)
    screen.goto(f"{made['observer']['url']}&room={room}")
    expect_live(screen)
    _ready(screen)
    screen.wait_for_function("document.querySelector('[data-testid=qr]').naturalWidth > 0")
    shots["projector"] = screen

    # The README's pictures change only when asked for, so a test run leaves the tree clean.
    update_readme = os.environ.get("HACKROOMS_UPDATE_SCREENSHOTS") == "1"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for name, page in shots.items():
        target = artifacts / f"{name}.png"
        page.screenshot(path=str(target), full_page=name != "projector")
        assert target.stat().st_size > 10_000
        if update_readme:
            shutil.copyfile(target, SCREENSHOTS / f"{name}.png")
