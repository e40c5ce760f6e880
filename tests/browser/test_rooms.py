"""Who is in which room, in Chromium: the picker, the conductor's mix, balance and moves.

The end-to-end forum of issue 8 section 9 is here too: a plenary with a question and a poll,
the move to the hackathon, balanced rooms, a late joiner and a reconnecting device landing in
their rooms, and the move back to the plenary.
"""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from client import RoomClient
from tests.browser.conftest import NewPage
from tests.browser.helpers import axe_violations, drive, expect_live, move_to, run_async
from tests.harness import Server

pytestmark = pytest.mark.browser

FOLLOW_MS = 5000  # a device follows its room within a second; CI's shared cores get slack
ROOMS = ("Floods", "Forest fires")


def make_forum(server: Server, capacity: int | None = None) -> dict[str, Any]:
    """A plenary, a hackathon with two rooms (of ``capacity`` when given), a break."""
    rooms: list[dict[str, Any]] = [{"title": "Floods", "challenge": "Warn people in time"},
                                   {"title": "Forest fires", "challenge": "Evacuate villages"}]
    if capacity is not None:
        rooms = [{**r, "capacity": capacity} for r in rooms]
    made: dict[str, Any] = server.api.request("POST", "/api/forums", {
        "title": "Baltic resilience forum", "topic": "Extreme weather", "label": "tlp-green",
        "sessions": [
            {"kind": "plenary", "title": "Opening plenary", "start": int(time.time() * 1000),
             "minutes": 30},
            {"kind": "hackathon", "title": "Hackathons", "minutes": 90, "rooms": rooms},
            {"kind": "break", "title": "Coffee", "minutes": 15}]})
    return made


def join(page: Page, server: Server, code: str, name: str, sector: str, country: str,
         remote: bool = False) -> None:
    """Join by the link with a profile of one's own (sector, country, on site or remote)."""
    page.goto(f"{server.url}/join/{code}")
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Sector").select_option(sector)
    page.get_by_label("Country").select_option(country)
    page.get_by_label("Remotely" if remote else "On site, in the room").check()
    page.get_by_role("button", name="Join the forum").click()
    expect_live(page)


def conductor(new_page: NewPage, made: dict[str, Any]) -> Page:
    page = new_page(1366, 768)
    page.goto(made["organizer"]["url"])
    expect_live(page)
    return page


def token_in(page: Page) -> str:
    """The participant's token, as the page keeps it on its device."""
    token: str = page.evaluate("""() => Object.values(
        JSON.parse(localStorage.getItem("hackrooms.sessions")))[0].token""")
    return token


def expect_in_room(page: Page, room: str) -> None:
    """The device shows the room view of ``room`` (its socket is open and live)."""
    expect(page.locator("h1.room-title")).to_have_text(room, timeout=FOLLOW_MS)
    expect(page.get_by_test_id("stage")).to_have_attribute("data-kind", "hackathon")
    expect_live(page)


def mix_room(org: Page, room: str) -> Any:
    return org.get_by_test_id("mix-room").filter(has=org.locator("h4", has_text=room))


def room_shown(page: Page) -> str:
    """The title of the room this device is in now."""
    expect(page.locator("h1.room-title")).to_have_text(re.compile("|".join(ROOMS)),
                                                       timeout=FOLLOW_MS)
    return page.locator("h1.room-title").inner_text()


def test_a_participant_picks_a_room_and_a_full_one_is_refused(
        server: Server, new_page: NewPage) -> None:
    """Picker with headcounts; room_full shown in the picker; the conductor shows the mix."""
    made = make_forum(server, capacity=1)
    code = made["join"]["code"]
    org = conductor(new_page, made)
    move_to(server, made["organizer"]["token"], made["hall"]["id"], "hackathon")
    anu, bo = new_page(), new_page(390, 844)
    join(anu, server, code, "Anu", "rescue_emergency", "EE")
    join(bo, server, code, "Bo", "municipality", "SE", remote=True)

    picker = anu.get_by_test_id("room-picker")
    floods = picker.locator("li[data-room]").filter(has_text="Floods")
    expect(floods.get_by_test_id("room-count")).to_have_text("0 of 1 places taken")
    expect(floods).to_contain_text("Warn people in time")
    anu.get_by_role("button", name="Enter Floods").click()
    expect_in_room(anu, "Floods")
    expect(anu.get_by_test_id("room-notice")).to_have_text("You are in Floods.")

    full = bo.get_by_test_id("room-picker").locator("li[data-room]").filter(has_text="Floods")
    expect(full.get_by_test_id("room-count")).to_have_text("Full: 1 of 1 places taken")
    found = axe_violations(bo)
    bo.get_by_role("button", name="Enter Floods").click()
    error = bo.get_by_test_id("room-picker").locator(".error")
    expect(error).to_contain_text("This room is full")
    expect(error).to_contain_text("Floods is full (1 of 1): choose another room")
    expect(bo.get_by_role("button", name="Enter Forest fires")).to_be_enabled()
    bo.get_by_role("button", name="Enter Forest fires").click()
    expect_in_room(bo, "Forest fires")

    # "Change room" goes back to the picker; the room one is in is marked, and one goes back.
    bo.get_by_role("button", name="Change room").click()
    mine = bo.get_by_test_id("room-picker").locator("li.room-pick-mine")
    expect(mine).to_contain_text("Forest fires")
    expect(mine).to_contain_text("your room")
    bo.get_by_role("button", name="Back to Forest fires").click()
    expect_in_room(bo, "Forest fires")

    expect(mix_room(org, "Floods").get_by_test_id("mix-count")).to_have_text(
        "Full: 1 of 1 places taken")
    expect(mix_room(org, "Floods").get_by_test_id("mix-attendance")).to_have_text(
        "On site 1, remote 0")
    expect(mix_room(org, "Floods").get_by_test_id("mix-sectors")).to_have_text(
        "Sectors: Rescue and emergency service 1")
    expect(mix_room(org, "Floods").get_by_test_id("mix-countries")).to_have_text(
        "Countries: Estonia 1")
    expect(mix_room(org, "Forest fires").get_by_test_id("mix-attendance")).to_have_text(
        "On site 0, remote 1")
    expect(mix_room(org, "Forest fires").get_by_test_id("mix-people")).to_contain_text("Bo")
    expect(org.get_by_test_id("unassigned").locator("li")).to_have_count(0)
    found += axe_violations(org)
    assert not found, found


def plenary(server: Server, made: dict[str, Any], tokens: list[str]) -> dict[str, Any]:
    """A question from one participant, a single-choice poll answered by all: the hall's data."""
    hall, organizer = made["hall"]["id"], made["organizer"]["token"]

    async def script() -> dict[str, Any]:
        await drive(server, tokens[0], hall, [
            ("question.ask", {"text": "Who decides when the sirens sound?"})])
        acks = await drive(server, organizer, hall, [("poll.create", {
            "kind": "single", "question": "Which channel reaches people first?",
            "options": ["Sirens", "Cell broadcast", "Radio"]})])
        poll = f"p{acks[0]['seq']}"
        await drive(server, organizer, hall, [("poll.open", {"id": poll})])
        for i, token in enumerate(tokens):
            await drive(server, token, hall, [
                ("poll.answer", {"poll": poll, "answer": "o2" if i else "o1"})])
        async with await RoomClient.connect(server.ws_url, organizer, hall) as client:
            snapshot = next(m for m in client.messages if m["type"] == "snapshot")
            return dict(snapshot["state"])

    return run_async(script)


def test_a_small_forum_end_to_end(server: Server, new_page: NewPage) -> None:
    """Plenary, balanced hackathon rooms, a late joiner, a reconnect, and back to the plenary."""
    made = make_forum(server)
    code = made["join"]["code"]
    org = conductor(new_page, made)
    screen = new_page(1280, 720)
    screen.goto(made["observer"]["url"])
    expect_live(screen)
    people = {"Anu": new_page(), "Bo": new_page(390, 844), "Cai": new_page(), "Dana": new_page()}
    join(people["Anu"], server, code, "Anu", "rescue_emergency", "EE")
    join(people["Bo"], server, code, "Bo", "municipality", "SE", remote=True)
    join(people["Cai"], server, code, "Cai", "research_academia", "FI")
    join(people["Dana"], server, code, "Dana", "business", "LV", remote=True)

    # The plenary: a question and a poll, answered by everyone.
    org.get_by_test_id("advance").click()
    for page in (*people.values(), screen):
        expect(page.get_by_test_id("stage")).to_have_attribute("data-kind", "plenary")
    state = plenary(server, made, [token_in(p) for p in people.values()])
    assert [q["text"] for q in state["questions"]["items"]] == [
        "Who decides when the sirens sound?"]
    assert state["questions"]["items"][0]["author"]["name"] == "Anu"
    [poll] = state["polls"]["list"]
    assert (poll["status"], poll["answers"]) == ("open", 4)
    assert [o["count"] for o in poll["results"]["options"]] == [1, 3, 0]

    # The hackathon: nobody has a room yet; the organizer balances the people online.
    org.get_by_test_id("advance").click()
    for page in people.values():
        expect(page.get_by_test_id("room-picker")).to_be_visible(timeout=FOLLOW_MS)
    expect(screen.get_by_test_id("stage")).to_have_attribute("data-kind", "hackathon")
    found = {"participant picker": axe_violations(people["Bo"])}
    expect(org.get_by_test_id("mix-online")).to_have_text("4 people online of 4 in the forum")
    expect(org.get_by_test_id("unassigned").locator("li")).to_have_count(4)
    org.get_by_role("button", name="Balance rooms").click()
    where = {name: room_shown(page) for name, page in people.items()}
    assert sorted(where.values()) == ["Floods", "Floods", "Forest fires", "Forest fires"], where
    for name, page in people.items():
        expect(page.get_by_test_id("room-notice")).to_have_text(
            f"The organizer placed you in {where[name]}.")
        expect(page.get_by_test_id("challenge")).not_to_be_empty()
    for room in ROOMS:
        block = mix_room(org, room)
        expect(block.get_by_test_id("mix-count")).to_have_text("2 people (no limit)")
        expect(block.get_by_test_id("mix-attendance")).to_have_text("On site 1, remote 1")
        for name in (n for n, r in where.items() if r == room):
            expect(block.get_by_test_id("mix-people")).to_contain_text(name)
        expect(block.get_by_test_id("mix-sectors")).to_have_text(
            re.compile(r"^Sectors: .+ 1, .+ 1$"))
        expect(block.get_by_test_id("mix-countries")).to_have_text(
            re.compile(r"^Countries: .+ 1, .+ 1$"))
    expect(org.get_by_test_id("unassigned").locator("li")).to_have_count(0)
    found["conductor with the mix"] = axe_violations(org)

    # A late joiner waits in the picker until the organizer puts them in a room.
    late = new_page()
    join(late, server, code, "Eli", "ngo_civil_society", "PL")
    expect(late.get_by_test_id("room-picker")).to_be_visible()
    spare = org.get_by_test_id("unassigned").locator("li").filter(has_text="Eli")
    expect(spare).to_have_count(1)
    spare.get_by_label("Room of Eli").select_option(label="Move to Floods")
    expect_in_room(late, "Floods")
    expect(late.get_by_test_id("room-notice")).to_have_text("The organizer placed you in Floods.")
    expect(mix_room(org, "Floods").get_by_test_id("mix-count")).to_have_text("3 people (no limit)")

    # A device offline while the organizer moves its person lands in the new room when back.
    bo = people["Bo"]
    other = next(r for r in ROOMS if r != where["Bo"])
    bo.context.set_offline(True)
    expect(bo.get_by_test_id("connection")).to_have_attribute("data-status", "offline")
    mix_room(org, where["Bo"]).get_by_label("Room of Bo").select_option(label=f"Move to {other}")
    expect(mix_room(org, other).get_by_test_id("mix-people")).to_contain_text("Bo")
    expect(bo.locator("h1.room-title")).to_have_text(where["Bo"])
    bo.context.set_offline(False)
    expect_in_room(bo, other)
    expect(bo.get_by_test_id("room-notice")).to_have_text(f"The organizer moved you to {other}.")

    # Back to the plenary: every room view closes.
    org.get_by_role("button", name="Go now to Opening plenary").click()
    for page in (*people.values(), late, screen):
        expect(page.get_by_test_id("stage")).to_have_attribute("data-kind", "plenary",
                                                               timeout=FOLLOW_MS)
        expect(page.locator("h1.room-title")).to_have_count(0)
    bad = {view: v for view, v in found.items() if v}
    assert not bad, bad
