"""A forum run from the conductor: every screen follows the agenda, with its topic and label."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import NewPage
from tests.browser.helpers import (
    assert_fits,
    assert_no_sideways,
    axe_violations,
    expect_live,
    join_ui,
)
from tests.harness import Server

pytestmark = pytest.mark.browser

FOLLOW_MS = 3000  # "within a second" on a quiet machine; CI's shared cores get some slack
TOPIC = "Extreme weather in the Baltic Sea region"


def forum_with_agenda(server: Server, *, late_min: int = 10) -> dict[str, Any]:
    """A plenary planned ``late_min`` minutes ago, two hackathon rooms, a break, networking."""
    planned = int(time.time() * 1000) - late_min * 60_000
    made: dict[str, Any] = server.api.request("POST", "/api/forums", {
        "title": "Baltic resilience forum", "topic": TOPIC, "label": "tlp-amber", "sessions": [
            {"kind": "plenary", "title": "Opening plenary", "start": planned, "minutes": 30},
            {"kind": "hackathon", "title": "Hackathons", "minutes": 90, "rooms": [
                {"title": "Floods", "challenge": "Warn people in time"},
                {"title": "Forest fires", "challenge": "Evacuate villages"}]},
            {"kind": "break", "title": "Coffee", "minutes": 15},
            {"kind": "networking", "title": "Speed networking", "minutes": 20}]})
    return made


def conductor(new_page: NewPage, made: dict[str, Any], width: int = 1366,
              height: int = 768) -> Page:
    page = new_page(width, height)
    page.goto(made["organizer"]["url"])
    expect_live(page)
    expect(page.get_by_test_id("agenda").locator("li")).to_have_count(4)
    return page


def projector(new_page: NewPage, made: dict[str, Any], width: int = 1280,
              height: int = 720) -> Page:
    page = new_page(width, height)
    page.goto(made["observer"]["url"])
    expect_live(page)
    return page


def expect_stage(page: Page, kind: str, title: str | None = None) -> None:
    """The page shows the screen of a session of ``kind`` (soon after the move)."""
    stage = page.get_by_test_id("stage")
    expect(stage).to_have_attribute("data-kind", kind, timeout=FOLLOW_MS)
    if title is not None:
        expect(page.get_by_test_id("session-title")).to_have_text(title, timeout=FOLLOW_MS)


def expect_forum_header(page: Page, label: str = "TLP:AMBER") -> None:
    """The forum's topic and its label (name and meaning) are on this screen."""
    expect(page.get_by_test_id("topic")).to_contain_text(TOPIC)
    expect(page.get_by_test_id("label-name")).to_have_text(label, timeout=FOLLOW_MS)
    expect(page.get_by_test_id("label-meaning")).not_to_be_empty()


def test_organizer_advances_the_agenda_and_every_screen_follows(
        server: Server, new_page: NewPage) -> None:
    """Plenary, hackathon rooms, break and back: on site, remote, projector and late joiner."""
    made = forum_with_agenda(server)
    code = made["join"]["code"]
    org = conductor(new_page, made)
    expect(org.get_by_test_id("now-title")).to_have_text("The forum has not started.")
    onsite, remote = new_page(), new_page(390, 844)
    join_ui(onsite, server.url, code, "Anu", by_link=True)
    join_ui(remote, server.url, code, "Bo", attendance="Remotely", by_link=True)
    screen = projector(new_page, made)
    for page in (onsite, remote, screen):
        expect_stage(page, "waiting")
        expect_forum_header(page)
    expect_forum_header(org)

    advance = org.get_by_test_id("advance")
    expect(advance).to_have_text("Start the forum: Opening plenary")
    advance.click()
    for page in (onsite, remote, screen):
        expect_stage(page, "plenary", "Opening plenary")
        expect(page.get_by_test_id("plenary")).to_be_visible()
    expect(org.get_by_test_id("now-title")).to_have_text("Opening plenary")
    # Planned ten minutes ago, started now: the conductor says the forum runs late.
    expect(org.get_by_test_id("late")).to_have_text(re.compile(r"Running 1[01] min late"))
    expect(org.get_by_test_id("next-title")).to_have_text("Hackathons (Hackathon)")
    expect(onsite.get_by_test_id("next")).to_contain_text("Next: Hackathons")

    expect(advance).to_have_text("Start next: Hackathons")
    advance.click()
    for page in (onsite, remote):
        expect_stage(page, "hackathon")
    onsite.get_by_role("button", name="Enter Floods").click()
    remote.get_by_role("button", name="Enter Forest fires").click()
    expect(onsite.get_by_test_id("challenge")).to_have_text("Warn people in time")
    expect(remote.get_by_test_id("challenge")).to_have_text("Evacuate villages")
    expect_stage(screen, "hackathon")
    expect(screen.get_by_test_id("challenge")).to_have_text("Warn people in time")
    for page in (onsite, remote, screen):
        expect_forum_header(page)
    # The rooms at a glance: who is in which room, from the forum's overview.
    rows = org.get_by_test_id("rooms-overview").locator("tbody tr")
    expect(rows.filter(has_text="Floods").locator("td").nth(2)).to_have_text("1")  # on site
    expect(rows.filter(has_text="Forest fires").locator("td").nth(3)).to_have_text("1")  # remote

    # A late joiner lands in the hackathon; a reload lands back in the room chosen.
    late = new_page()
    join_ui(late, server.url, code, "Cai", by_link=True)
    expect_stage(late, "hackathon")
    expect(late.get_by_role("button", name="Enter Floods")).to_be_visible()
    expect_forum_header(late)
    remote.reload()
    expect_live(remote)
    expect(remote.get_by_test_id("challenge")).to_have_text("Evacuate villages")

    advance.click()
    for page in (onsite, remote, late, screen):
        expect_stage(page, "break", "Coffee")
        expect(page.get_by_test_id("stage-what")).to_contain_text("Break")
    expect(onsite.get_by_test_id("challenge")).to_have_count(0)  # the room is left behind

    # Jump straight back to the plenary while one device is offline: it lands there on
    # reconnecting. Then the label changes on every screen at once.
    remote.context.set_offline(True)
    expect(remote.get_by_test_id("connection")).to_have_attribute("data-status", "offline")
    org.get_by_role("button", name="Go now to Opening plenary").click()
    for page in (onsite, late, screen):
        expect_stage(page, "plenary", "Opening plenary")
    expect_stage(remote, "break")
    remote.context.set_offline(False)
    expect_live(remote)
    expect_stage(remote, "plenary", "Opening plenary")
    org.locator("summary").filter(has_text="Forum, topic and label").click()
    org.get_by_label("Confidentiality label").select_option("tlp-red")
    org.get_by_role("button", name="Change the label").click()
    for page in (org, onsite, remote, late, screen):
        expect_forum_header(page, "TLP:RED")
    actual = org.get_by_test_id("agenda").locator("li").first.locator(".agenda-actual")
    expect(actual).to_have_text(re.compile("^Actual .+\u2013.+, .+\u2013\u2026$"))  # two runs


def test_the_organizer_edits_the_agenda_and_the_links(server: Server, new_page: NewPage) -> None:
    """Add, retitle, reorder and remove sessions, add a room, issue and revoke a link."""
    made = forum_with_agenda(server)
    org = conductor(new_page, made)
    person = new_page()
    join_ui(person, server.url, made["join"]["code"], "Anu", by_link=True)
    agenda = org.get_by_test_id("agenda").locator("li")

    org.locator("summary").filter(has_text="Add a session").click()
    form = org.get_by_test_id("add-session")
    form.get_by_label("Kind").select_option("evaluation")
    form.get_by_label("Title").fill("Evaluation")
    form.get_by_label("Minutes").fill("10")
    form.get_by_role("button", name="Add to the agenda").click()
    expect(agenda).to_have_count(5)
    expect(agenda.last).to_contain_text("Evaluation")

    org.get_by_role("button", name="Move Evaluation up").click()
    expect(agenda.nth(3)).to_contain_text("Evaluation")
    org.get_by_role("button", name="Remove Coffee").click()
    expect(agenda).to_have_count(4)
    expect(agenda.nth(2)).to_contain_text("Evaluation")

    row = agenda.filter(has_text="Hackathons")
    row.locator("summary").filter(has_text="Edit").click()
    row.get_by_label("Title").fill("Parallel hackathons")
    row.get_by_label("Minutes").fill("75")
    row.get_by_role("button", name="Save").click()
    expect(agenda.nth(1)).to_contain_text("Parallel hackathons")
    expect(agenda.nth(1)).to_contain_text("(75 min)")
    row = agenda.filter(has_text="Parallel hackathons")
    row.locator("summary").filter(has_text="Edit").click()
    row.get_by_label("New room").fill("Heat waves")
    row.get_by_role("button", name="Add the room").click()
    expect(row.locator(".agenda-rooms")).to_have_text("Rooms: Floods, Forest fires, Heat waves")

    # The participant follows the edited agenda into the new room.
    org.get_by_role("button", name="Go now to Parallel hackathons").click()
    expect_stage(person, "hackathon")
    person.get_by_role("button", name="Enter Heat waves").click()
    expect_live(person)
    expect(person.get_by_test_id("session-title")).to_have_count(0)
    expect(person.locator("h1.room-title")).to_have_text("Heat waves")

    links = org.get_by_test_id("links").locator("li")
    expect(links).to_have_count(1)  # the facilitators' link of the forum's creation
    issue = org.get_by_test_id("issue-link")
    issue.get_by_label("Who is it for").fill("Floods team")
    issue.get_by_label("Room").select_option(label="Floods")
    issue.get_by_role("button", name="Create a facilitator link").click()
    expect(links).to_have_count(2)
    floods = links.filter(has_text="Floods team")
    expect(floods).to_contain_text("room Floods")
    org.get_by_role("button", name="Revoke the link of Floods team").click()
    expect(floods.get_by_test_id("link-state")).to_contain_text("revoked")


def test_the_forum_views_pass_axe_and_fit_their_screens(server: Server, new_page: NewPage) -> None:
    """No serious axe issue; the conductor fits 1366x768 and 390 px, the projector its screens."""
    made = forum_with_agenda(server)
    found: dict[str, list[dict[str, object]]] = {}
    org = conductor(new_page, made)
    found["conductor"] = axe_violations(org)
    person = new_page(390, 844)
    join_ui(person, server.url, made["join"]["code"], "Anu", by_link=True)
    found["participant waiting"] = axe_violations(person)
    big = projector(new_page, made, 1920, 1080)
    small = projector(new_page, made, 1280, 720)

    org.get_by_test_id("advance").click()
    expect_stage(person, "plenary")
    found["participant plenary"] = axe_violations(person)
    for screen in (big, small):
        expect_stage(screen, "plenary")
        assert_fits(screen)
    found["projector plenary"] = axe_violations(small)
    found["conductor in the plenary"] = axe_violations(org)
    assert_fits(org)
    expect(org.get_by_test_id("advance")).to_be_in_viewport()

    org.get_by_test_id("advance").click()
    for screen in (big, small):
        expect_stage(screen, "hackathon")
        expect(screen.get_by_test_id("challenge")).to_have_text("Warn people in time")
        assert_fits(screen)
    found["projector hackathon"] = axe_violations(big)
    org.get_by_test_id("advance").click()
    expect_stage(person, "break")
    found["participant break"] = axe_violations(person)

    phone = conductor(new_page, made, 390, 844)
    expect(phone.get_by_test_id("now-title")).to_have_text("Coffee")
    assert_no_sideways(phone)
    assert_no_sideways(person)
    bad = {view: v for view, v in found.items() if v}
    assert not bad, bad
