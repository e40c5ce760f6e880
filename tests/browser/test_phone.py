"""The room on a phone: the phase's action first, the timer in view, a one-line header."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import NewPage
from tests.browser.helpers import drive, join_ui, run_async, start_hackathon
from tests.harness import Server

pytestmark = pytest.mark.browser

WIDTH, HEIGHT = 390, 844


def _y(page: Page, selector: str) -> float:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, f"{selector} is not shown"
    return float(box["y"])


def _phone_in_room(server: Server, new_page: NewPage) -> tuple[Page, dict[str, Any]]:
    made = server.api.create_forum("Floods", "", [{"title": "Room A",
                                                   "challenge": "How do we warn people?"}])
    start_hackathon(server, made)
    page = new_page(WIDTH, HEIGHT)
    join_ui(page, server.url, made["join"]["code"], "Anu", by_link=True)
    expect(page.get_by_test_id("phase")).to_contain_text("Brief")
    return page, made


def _facilitate(server: Server, made: dict[str, Any],
                *commands: tuple[str, dict[str, Any]]) -> None:
    room = made["rooms"][0]["id"]
    run_async(lambda: drive(server, made["facilitator"]["token"], room, list(commands)))


def test_the_action_of_the_phase_comes_first_and_votes_show_only_when_voting(
        server: Server, new_page: NewPage) -> None:
    """Brief: the challenge leads, no votes panel; Ideate: the idea box; Vote: the votes panel."""
    page, made = _phone_in_room(server, new_page)
    votes = page.locator(".vote-panel")
    expect(votes).to_be_hidden()
    assert _y(page, ".room-challenge") < _y(page, ".idea-box")

    _facilitate(server, made, ("phase.set", {"phase": "ideate"}))
    expect(page.get_by_label("Your idea")).to_be_visible()
    expect(votes).to_be_hidden()
    assert _y(page, ".idea-box") < _y(page, ".room-challenge")
    assert _y(page, ".idea-box") < HEIGHT / 2  # reachable without scrolling

    _facilitate(server, made, ("phase.set", {"phase": "vote"}))
    expect(votes).to_be_visible()
    assert _y(page, ".vote-panel") < _y(page, ".room-challenge")


def test_the_timer_stays_in_view_and_the_header_stays_one_line_offline(
        server: Server, new_page: NewPage) -> None:
    """Scrolled to the bottom the running timer is still on screen; offline the header is short."""
    page, made = _phone_in_room(server, new_page)
    _facilitate(server, made, ("phase.set", {"phase": "ideate"}),
                *[("idea.add", {"text": f"Idea {n} about sirens and radio"}) for n in range(8)],
                ("timer.start", {"seconds": 300}))
    expect(page.get_by_test_id("timer-status")).to_have_text("Running")
    page.mouse.wheel(0, 20_000)
    page.wait_for_function("window.scrollY > 400")
    clock = page.get_by_test_id("timer").bounding_box()
    assert clock is not None
    assert 0 <= clock["y"] < HEIGHT / 4

    page.context.set_offline(True)
    pill = page.get_by_test_id("connection")
    expect(pill).to_have_attribute("data-status", "offline")
    page.get_by_label("Your idea").fill("Written offline")
    page.get_by_role("button", name="Post idea").click()
    expect(pill).to_contain_text("1 change waiting to be sent")
    header = page.locator(".topbar").bounding_box()
    line = pill.bounding_box()
    assert header is not None
    assert line is not None
    assert header["height"] < HEIGHT * 0.1
    assert line["height"] < 40  # one line, not three
    page.context.set_offline(False)
