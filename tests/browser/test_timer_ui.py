"""The timer in minutes and seconds, its presets, and the cue at expiry on every screen."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import NewPage
from tests.browser.helpers import (
    drive,
    expect_live,
    join_api,
    open_as_participant,
    run_async,
    start_hackathon,
)
from tests.harness import Server

pytestmark = pytest.mark.browser


def test_a_thirty_second_timer_runs_and_every_screen_shows_the_cue(
        server: Server, new_page: NewPage) -> None:
    """Preset 0:30 starts 30 s; at expiry console, participant and projector show the cue."""
    made = server.api.create_forum("Pitch forum", "", [{"title": "Pitches", "challenge": "Go"}])
    start_hackathon(server, made)
    room, fac_token = made["rooms"][0]["id"], made["facilitator"]["token"]
    person = join_api(server, made["join"]["code"], "Mari", "onsite", "municipality", "FI", "")
    fac = new_page()
    fac.goto(made["facilitator"]["url"])
    expect_live(fac)
    part = new_page(390, 844)
    open_as_participant(part, server.url, person, room)
    screen = new_page(1600, 900)
    screen.goto(f"{made['observer']['url']}&room={room}")
    expect_live(screen)

    presets = fac.get_by_role("group", name=re.compile("^Quick timers")).get_by_role("button")
    expect(presets).to_have_text(["0:30", "1 min", "3 min", "5 min", "10 min", "15 min"])
    presets.get_by_text("0:30", exact=True).click()
    for page in (fac, part, screen):
        expect(page.get_by_test_id("timer").first).to_have_text(re.compile(r"^00:(30|2\d)$"))
        expect(page.get_by_test_id("timer-cue").first).to_be_hidden()

    # Minutes and seconds in the form: 0 min 45 s.
    fac.get_by_label("Minutes").fill("0")
    fac.get_by_label("Seconds").fill("45")
    fac.get_by_role("button", name="Start", exact=True).click()
    expect(part.get_by_test_id("timer")).to_have_text(re.compile(r"^00:(45|4\d|3\d)$"))

    # Time is up (shortened past zero, so the test does not wait 45 s).
    run_async(lambda: drive(server, fac_token, room, [("timer.adjust", {"seconds": -60})]))
    for page in (fac, part, screen):
        expect(page.get_by_test_id("timer-cue").first).to_have_text("Time is up!")
        expect(page.locator(".timer").first).to_have_attribute("data-cue", "on")
    # The console and projector beep by default; a participant's phone stays quiet by default.
    expect(fac.locator(".timer").first).to_have_attribute("data-sound", "1")
    expect(part.get_by_test_id("timer-sound")).not_to_be_checked()
    assert part.locator(".timer").first.get_attribute("data-sound") is None

    # The cue goes when a new timer starts.
    presets.get_by_text("1 min", exact=True).click()
    expect(part.get_by_test_id("timer-cue")).to_be_hidden()
    expect(part.locator(".timer").first).to_have_attribute("data-cue", "off")


def test_muting_the_sound_is_remembered_on_the_device(server: Server, new_page: NewPage) -> None:
    """Unticking "Sound when time is up" survives a reload; a muted expiry makes no sound."""
    made = server.api.create_forum("Pitch forum", "", [{"title": "Pitches", "challenge": "Go"}])
    start_hackathon(server, made)
    room, fac_token = made["rooms"][0]["id"], made["facilitator"]["token"]
    fac = new_page()
    fac.goto(made["facilitator"]["url"])
    expect_live(fac)
    sound = fac.get_by_test_id("timer-sound").first
    expect(sound).to_be_checked()
    sound.uncheck()
    fac.reload()
    expect_live(fac)
    expect(fac.get_by_test_id("timer-sound").first).not_to_be_checked()
    run_async(lambda: drive(server, fac_token, room, [("timer.start", {"seconds": 30}),
                                                      ("timer.adjust", {"seconds": -30})]))
    expect(fac.get_by_test_id("timer-cue").first).to_be_visible()
    assert fac.locator(".timer").first.get_attribute("data-sound") is None
