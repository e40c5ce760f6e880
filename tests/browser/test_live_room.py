"""A facilitator and participants in separate browsers run a room, online and offline."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import NewPage
from tests.browser.helpers import (
    board_of,
    create_forum_ui,
    expect_live,
    idea_card,
    join_ui,
    results_of,
    start_hackathon,
    start_hackathon_ui,
)
from tests.harness import Server

pytestmark = pytest.mark.browser

IDEA_A = "Sirens in every village <b>now</b>"
IDEA_B = "Cell broadcast alerts in four languages"


def vote(page: Page, text: str, times: int = 1) -> None:
    for _ in range(times):
        idea_card(page, text).get_by_role("button", name=re.compile("^Add a vote")).click()


def same_everywhere(pages: list[Page], read: object) -> None:
    """Every page shows what the first one shows (read after the first has settled)."""
    assert callable(read)
    first = read(pages[0])
    for page in pages[1:]:
        assert read(page) == first


def test_facilitator_and_two_participants_share_board_votes_results_and_timer(
        server: Server, new_page: NewPage) -> None:
    """Create via the UI, join, post, cluster, hidden votes, reveal, timer: all screens agree."""
    fac = new_page()
    links = create_forum_ui(fac, server.url, "Baltic flood forum",
                            [("Early warning", "How do we warn everyone in time?"),
                             ("Evacuation", "Who moves whom, and how?")])
    start_hackathon_ui(server, links)
    fac.goto(links["facilitator"])
    expect_live(fac)
    a, b = new_page(), new_page(width=390, height=844)
    join_ui(a, server.url, links["code"], "Anu", room="Early warning")
    join_ui(b, server.url, links["code"], "Bo", attendance="Remotely", room="Early warning",
            by_link=True)
    everyone = [fac, a, b]
    for page in everyone:
        expect(page.get_by_test_id("phase").first).to_have_text("Brief (step 1 of 6)")
    # Presence: each participant sees how many are online, the console each room's counts.
    for page in (a, b):
        expect(page.get_by_test_id("people")).to_have_text("1 on site, 1 remote online")
    row = fac.get_by_test_id("overview").locator("tbody tr").filter(has_text="Early warning")
    expect(row.locator("td")).to_have_count(6)
    expect(row.locator("td").nth(2)).to_have_text("1")  # on site
    expect(row.locator("td").nth(3)).to_have_text("1")  # remote
    expect(a.get_by_test_id("challenge")).to_have_text("How do we warn everyone in time?")

    fac.get_by_role("button", name="Next phase").click()
    for page in everyone:
        expect(page.get_by_test_id("phase").first).to_have_text("Ideate (step 2 of 6)")
    a.get_by_label("Your idea").fill(IDEA_A)
    a.get_by_role("button", name="Post idea").click()
    b.get_by_label("Your idea").fill(IDEA_B)
    b.get_by_role("button", name="Post idea").click()
    for page in everyone:
        expect(page.locator(".idea-text")).to_have_text([IDEA_A, IDEA_B])  # typed text stays text

    # Comment and react, then the facilitator clusters.
    card_b = idea_card(a, IDEA_B)
    card_b.locator("summary").click()
    card_b.get_by_label("Your comment").fill("Works without a smartphone")
    card_b.get_by_role("button", name="Comment").click()
    expect(idea_card(b, IDEA_B).locator(".comment-text")).to_have_text(
        ["Works without a smartphone"])
    agree = re.compile("Agree")
    idea_card(b, IDEA_A).get_by_role("button", name=agree).click()
    expect(idea_card(a, IDEA_A).get_by_role("button", name=agree)).to_contain_text("1")
    fac.get_by_label("New cluster name").fill("Warning channels")
    fac.get_by_role("button", name="Create cluster").click()
    idea_card(fac, IDEA_A).get_by_label("Cluster").select_option(label="Warning channels")
    for page in everyone:
        expect(page.locator("section.cluster[data-cluster^=k] .idea-text")).to_have_text([IDEA_A])

    # Hidden votes.
    fac.get_by_role("button", name="Go to Vote").click()
    expect(a.get_by_test_id("votes-left")).to_have_text("5 of 5 votes left")
    expect(a.get_by_test_id("votes-cap")).to_have_text("At most 3 per idea")
    vote(a, IDEA_A, 2)
    vote(a, IDEA_B)
    vote(b, IDEA_B, 2)
    expect(a.get_by_test_id("votes-left")).to_have_text("2 of 5 votes left")
    expect(b.get_by_test_id("votes-left")).to_have_text("3 of 5 votes left")
    expect(fac.get_by_test_id("voting-state")).to_contain_text("5 votes cast")
    expect(idea_card(fac, IDEA_B).get_by_test_id("idea-votes")).to_have_text("3 votes")
    # B sees their own dots but nothing of A's: no totals, no results, before the reveal.
    expect(idea_card(b, IDEA_A).get_by_test_id("my-votes")).to_have_text("Your votes: 0")
    expect(idea_card(b, IDEA_B).get_by_test_id("my-votes")).to_have_text("Your votes: 2")
    expect(b.get_by_test_id("idea-votes").first).to_be_hidden()
    expect(b.get_by_test_id("idea-votes").last).to_be_hidden()
    expect(b.get_by_test_id("results")).to_be_hidden()
    assert "3 votes" not in b.locator("main").inner_text()
    # A refused command is explained in plain words next to the idea it was about.
    # (by keyboard: the button is aria-disabled, still focusable, and says why when used)
    idea_card(b, IDEA_A).get_by_role("button", name=re.compile("^Take a vote back")).focus()
    b.keyboard.press("Enter")
    refusal = idea_card(b, IDEA_A).get_by_role("alert")
    expect(refusal).to_contain_text("You have no vote on this idea to take back.")
    expect(refusal).to_contain_text("Details: you have no vote on this idea")
    refusal.get_by_role("button", name="Dismiss").click()
    expect(refusal).to_have_count(0)

    fac.get_by_role("button", name="Reveal results").click()
    for page in everyone:
        expect(page.get_by_test_id("results-list").first.locator("li")).to_have_count(2)
        expect(page.get_by_test_id("results-list").first.locator("li").first).to_contain_text(
            IDEA_B)
    assert results_of(a)[0].endswith("3 votes")
    assert results_of(a)[1].endswith("2 votes")
    same_everywhere(everyone, results_of)
    same_everywhere(everyone, board_of)

    # The timer: run, then pause; every screen shows the same second.
    fac.get_by_label("Minutes").fill("2")
    fac.get_by_role("button", name="Start").click()
    for page in everyone:
        expect(page.get_by_test_id("timer-status").first).to_have_text("Running")
    fac.get_by_role("button", name="Pause").click()
    for page in everyone:
        expect(page.get_by_test_id("timer-status").first).to_have_text("Paused")
    shown = fac.get_by_test_id("timer").first.inner_text()
    assert re.fullmatch(r"0[12]:\d\d", shown)
    for page in (a, b):
        expect(page.get_by_test_id("timer")).to_have_text(shown)


def test_offline_votes_are_kept_and_arrive_exactly_once(server: Server, new_page: NewPage) -> None:
    """Votes cast with the network cut wait in the outbox and land once when it comes back."""
    made = server.api.create_forum("Heat wave forum", "", [{"title": "Cooling", "challenge": ""}])
    start_hackathon(server, made)
    fac_token, forum = made["facilitator"]["token"], made["forum"]["id"]
    fac = new_page()
    fac.goto(made["facilitator"]["url"])
    expect_live(fac)
    a, b = new_page(), new_page()
    join_ui(a, server.url, made["join"]["code"], "Anu", by_link=True)
    join_ui(b, server.url, made["join"]["code"], "Bo", attendance="Remotely", by_link=True)
    fac.get_by_role("button", name="Go to Ideate").click()
    for text in ("Cooling centres in libraries", "Check on elderly neighbours"):
        b.get_by_label("Your idea").fill(text)
        b.get_by_role("button", name="Post idea").click()
    expect(a.locator(".idea-text")).to_have_count(2)
    fac.get_by_role("button", name="Go to Vote").click()
    vote(a, "Cooling centres")
    expect(fac.get_by_test_id("voting-state")).to_contain_text("1 vote cast")
    expect(a.get_by_test_id("connection")).not_to_contain_text("waiting")  # acknowledged

    a.context.set_offline(True)
    expect(a.get_by_test_id("connection")).to_have_attribute("data-status", "offline")
    expect(a.get_by_test_id("connection")).to_contain_text("Offline \u2013 reconnecting")
    vote(a, "Cooling centres")
    vote(a, "elderly neighbours")
    expect(a.get_by_test_id("connection")).to_contain_text("2 changes waiting to be sent")
    expect(a.get_by_test_id("votes-left")).to_have_text("2 of 5 votes left")
    expect(idea_card(a, "Cooling centres").get_by_test_id("my-votes")).to_have_text("Your votes: 2")
    expect(fac.get_by_test_id("voting-state")).to_contain_text("1 vote cast")
    assert server.api.forum(forum, fac_token)["rooms"][0]["votes"] == 1

    a.context.set_offline(False)
    expect_live(a)
    expect(a.get_by_test_id("connection")).not_to_contain_text("waiting")
    expect(fac.get_by_test_id("voting-state")).to_contain_text("3 votes cast")
    expect(idea_card(fac, "Cooling centres").get_by_test_id("idea-votes")).to_have_text("2 votes")
    assert server.api.forum(forum, fac_token)["rooms"][0]["votes"] == 3
    assert a.evaluate("localStorage.length") > 0
    assert a.evaluate("""Object.keys(localStorage).filter(k => k.startsWith("hackrooms.outbox."))
                         .every(k => JSON.parse(localStorage.getItem(k)).length === 0)""")

    # The same device comes back (token in localStorage): nothing is sent twice.
    a.reload()
    expect_live(a)
    expect(a.get_by_test_id("votes-left")).to_have_text("2 of 5 votes left")
    expect(idea_card(a, "elderly neighbours").get_by_test_id("my-votes")).to_have_text(
        "Your vote: 1")
    assert server.api.forum(forum, fac_token)["rooms"][0]["votes"] == 3

    fac.get_by_role("button", name="Reveal results").click()
    for page in (fac, a, b):
        expect(page.get_by_test_id("results-list").first.locator("li").first).to_contain_text(
            "Cooling centres in libraries 2 votes")
    same_everywhere([fac, a, b], results_of)
    same_everywhere([a, b], board_of)
    same_everywhere([fac, a, b], lambda p: p.locator(".idea-text").all_inner_texts())
