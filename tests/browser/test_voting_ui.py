"""Voting on every screen: dots sent back, named results, tied ranks, hiding, what is open now."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import NewPage
from tests.browser.helpers import (
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

IDEAS = ("Sirens in every village", "Cell broadcast in four languages", "Door-to-door checks")


def _room(server: Server, **voting: Any) -> dict[str, Any]:
    """A started forum with one room, two participants and three ideas, in the Vote phase."""
    made = server.api.create_forum("Flood forum", "", [{"title": "Warning", "challenge": "Warn"}])
    start_hackathon(server, made)
    room, fac = made["rooms"][0]["id"], made["facilitator"]["token"]
    code = made["join"]["code"]
    anu = join_api(server, code, "Anu Tamm", "onsite", "municipality", "EE", "")
    bo = join_api(server, code, "Bo Lind", "remote", "municipality", "SE", "")
    ideas: list[str] = []

    async def script() -> None:
        await drive(server, fac, room, [("phase.set", {"phase": "ideate"})])
        acks = await drive(server, anu["token"], room, [("idea.add", {"text": t}) for t in IDEAS])
        ideas.extend(f"i{a['seq']}" for a in acks)
        setup = [("voting.configure", voting)] if voting else []
        await drive(server, fac, room, [*setup, ("phase.set", {"phase": "vote"})])

    run_async(script)
    return {"made": made, "room": room, "fac": fac, "anu": anu, "bo": bo, "ideas": ideas}


def _vote(server: Server, who: dict[str, Any], room: str, *ideas: str) -> None:
    run_async(lambda: drive(server, who["token"], room,
                            [("vote.cast", {"idea": i}) for i in ideas]))


def _console(page: Page, r: dict[str, Any]) -> Page:
    page.goto(r["made"]["facilitator"]["url"])
    expect_live(page)
    return page


def _projector(page: Page, r: dict[str, Any]) -> Page:
    page.goto(f"{r['made']['observer']['url']}&room={r['room']}")
    expect_live(page)
    return page


def test_lowered_budget_tells_the_voter_which_dots_went_back(
        server: Server, new_page: NewPage) -> None:
    """Budget 5 -> 3: the cards say which dots went back and why; all budget texts agree."""
    r = _room(server)
    a, b, c = r["ideas"]
    page = new_page()
    open_as_participant(page, server.url, r["bo"], r["room"])
    plus = idea_card(page, IDEAS[2]).get_by_role("button", name=re.compile("^Add a vote"))
    for idea, times in ((a, 2), (b, 2), (c, 1)):
        for _ in range(times):
            idea_card(page, IDEAS[r["ideas"].index(idea)]).get_by_role(
                "button", name=re.compile("^Add a vote")).click()
    expect(page.get_by_test_id("votes-left")).to_have_text("0 of 5 votes left")
    plus.dispatch_event("click")  # one too many (aria-disabled): the card says why not
    error = idea_card(page, IDEAS[2]).locator(".error-slot")
    expect(error).to_contain_text("You have used all your votes")

    run_async(lambda: drive(server, r["fac"], r["room"], [("voting.configure", {"budget": 3})]))
    expect(page.get_by_test_id("votes-left")).to_have_text("0 of 3 votes left")
    # The newest dots went back: the one on c, then one of the two on b.
    expect(idea_card(page, IDEAS[2]).get_by_test_id("votes-returned")).to_have_text(
        "1 of your votes went back to you: the facilitator lowered the votes per person to 3.")
    expect(idea_card(page, IDEAS[1]).get_by_test_id("votes-returned")).to_have_text(
        "1 of your votes went back to you: the facilitator lowered the votes per person to 3.")
    expect(idea_card(page, IDEAS[0]).get_by_test_id("votes-returned")).to_be_hidden()
    expect(error).to_be_empty()  # the stale "all 5 votes" error is gone with the old budget
    expect(idea_card(page, IDEAS[1]).get_by_test_id("my-votes")).to_have_text("Your vote: 1")
    expect(idea_card(page, IDEAS[2]).get_by_test_id("my-votes")).to_have_text("Your votes: 0")


def test_named_voting_shows_who_voted_for_what_after_the_reveal(
        server: Server, new_page: NewPage) -> None:
    """A named vote: after the reveal participant, console and projector show voters' names."""
    r = _room(server, anonymous=False)
    a, b, _ = r["ideas"]
    _vote(server, r["anu"], r["room"], a, a, b)
    _vote(server, r["bo"], r["room"], a)
    part, fac, screen = new_page(), _console(new_page(), r), _projector(new_page(1600, 900), r)
    open_as_participant(part, server.url, r["bo"], r["room"])
    expect(part.get_by_test_id("idea-voters").first).to_be_hidden()
    run_async(lambda: drive(server, r["fac"], r["room"], [("voting.reveal", {})]))
    for page in (part, fac, screen):
        first = page.get_by_test_id("results-list").first.locator("li").first
        expect(first).to_contain_text(IDEAS[0])
        expect(first.get_by_test_id("result-voters")).to_have_text(
            "Voted: Anu Tamm \u00d72, Bo Lind")
        expect(idea_card(page, IDEAS[1]).get_by_test_id("idea-voters")).to_have_text(
            "Voted: Anu Tamm")


def test_anonymous_voting_shows_no_names_after_the_reveal(
        server: Server, new_page: NewPage) -> None:
    """An anonymous vote's reveal shows totals and no voter's name, on any screen."""
    r = _room(server)
    _vote(server, r["anu"], r["room"], r["ideas"][0])
    run_async(lambda: drive(server, r["fac"], r["room"], [("voting.reveal", {})]))
    part = new_page()
    open_as_participant(part, server.url, r["bo"], r["room"])
    expect(part.get_by_test_id("result-votes").first).to_have_text("1 vote")
    expect(part.get_by_test_id("result-voters")).to_have_count(0)
    expect(part.get_by_test_id("idea-voters").first).to_be_hidden()


def test_tied_ideas_show_equal_ranks(server: Server, new_page: NewPage) -> None:
    """Two ideas tied at 2 votes are both ranked 1; the next idea is ranked 3."""
    r = _room(server)
    a, b, c = r["ideas"]
    _vote(server, r["anu"], r["room"], a, b, c)
    _vote(server, r["bo"], r["room"], a, b)
    run_async(lambda: drive(server, r["fac"], r["room"], [("voting.reveal", {})]))
    for page in (_projector(new_page(1600, 900), r), _console(new_page(), r)):
        rows = page.get_by_test_id("results-list").first.locator("li")
        expect(rows).to_have_count(3)
        ranks = rows.evaluate_all("rows => rows.map(r => r.value)")
        assert ranks == [1, 1, 3]


def test_projector_details_open_the_comments_of_a_card(
        server: Server, new_page: NewPage) -> None:
    """On the projector a card's comment toggle opens its comments, read-only."""
    r = _room(server)
    run_async(lambda: drive(server, r["fac"], r["room"], [
        ("comment.add", {"idea": r["ideas"][0], "text": "Test them monthly"})]))
    screen = _projector(new_page(1600, 900), r)
    card = idea_card(screen, IDEAS[0])
    toggle = card.locator("details.comments summary")
    expect(toggle).to_have_text("1 comment")
    expect(card.get_by_text("Test them monthly")).to_be_hidden()
    toggle.click()
    expect(card.get_by_text("Test them monthly")).to_be_visible()
    expect(card.locator("details.comments form")).to_have_count(0)  # nothing to type on a screen
    expect(idea_card(screen, IDEAS[1]).locator("details.comments")).to_be_hidden()  # none


def test_console_says_what_participants_can_do_and_results_hide_again(
        server: Server, new_page: NewPage) -> None:
    """The console's voting line follows phase and switch; hiding results hides them for all."""
    r = _room(server)
    _vote(server, r["anu"], r["room"], r["ideas"][0])
    fac = _console(new_page(), r)
    state = fac.get_by_test_id("voting-state")
    expect(state).to_contain_text("Participants can vote now.")
    fac.get_by_role("button", name="Go to Brief").click()
    expect(state).to_contain_text("Voting opens in the Vote phase.")
    fac.get_by_role("button", name="Close voting").click()
    expect(state).to_contain_text("Voting is closed.")
    fac.get_by_role("button", name="Open voting").click()
    fac.get_by_role("button", name="Go to Vote").click()
    expect(state).to_contain_text("Participants can vote now.")

    part = new_page()
    open_as_participant(part, server.url, r["bo"], r["room"])
    fac.get_by_role("button", name="Reveal results").click()
    expect(state).to_contain_text("Results are shown to everyone.")
    expect(part.get_by_test_id("results")).to_be_visible()
    expect(part.get_by_test_id("idea-votes").first).to_have_text("1 vote")
    fac.get_by_role("button", name="Hide results").click()
    expect(state).to_contain_text("Results are hidden from participants.")
    expect(part.get_by_test_id("results")).to_be_hidden()
    expect(part.get_by_test_id("idea-votes").first).to_be_hidden()
    fac.get_by_role("button", name="Reveal results").click()
    expect(part.get_by_test_id("idea-votes").first).to_have_text("1 vote")
