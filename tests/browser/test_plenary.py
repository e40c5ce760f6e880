"""The plenary in the browser: audience questions and polls on the participant's phone, the
conductor and the projector, each showing what its audience may see."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import NewPage
from tests.browser.helpers import (
    assert_fits,
    assert_no_sideways,
    axe_violations,
    drive,
    expect_live,
    join_ui,
    run_async,
)
from tests.harness import Server

pytestmark = pytest.mark.browser

ANON = "Zelda Quist"  # the name of the person who asks anonymously: never on a staff screen
NAMED = "Bo Berg"


def forum(server: Server) -> dict[str, Any]:
    """A forum whose agenda opens with a plenary, then hackathon rooms."""
    made: dict[str, Any] = server.api.request("POST", "/api/forums", {
        "title": "Baltic resilience forum", "topic": "Extreme weather", "sessions": [
            {"kind": "plenary", "title": "Opening plenary", "minutes": 30},
            {"kind": "hackathon", "title": "Hackathons", "minutes": 90, "rooms": [
                {"title": "Floods", "challenge": "Warn people in time"}]}]})
    return made


def open_plenary(new_page: NewPage, server: Server, made: dict[str, Any],
                 ) -> tuple[Page, Page, Page, Page]:
    """The conductor starts the plenary; two participants and the projector follow it."""
    org = new_page(1366, 768)
    org.goto(made["organizer"]["url"])
    expect_live(org)
    org.get_by_test_id("advance").click()
    expect(org.get_by_test_id("plenary-focus")).to_have_text("Questions of: Opening plenary")
    code = made["join"]["code"]
    zelda, bo = new_page(390, 844), new_page()
    join_ui(zelda, server.url, code, ANON, by_link=True)
    join_ui(bo, server.url, code, NAMED, attendance="Remotely", by_link=True)
    screen = new_page(1280, 720)
    screen.goto(made["observer"]["url"])
    expect_live(screen)
    for page in (zelda, bo, screen):
        expect(page.get_by_test_id("stage")).to_have_attribute("data-kind", "plenary")
    return org, zelda, bo, screen


def ask(page: Page, text: str, *, anonymous: bool = False) -> None:
    form = page.get_by_test_id("ask-form")
    form.get_by_label("Your question").fill(text)
    if anonymous:
        form.get_by_label("Ask anonymously").check()
    form.get_by_role("button", name="Send the question").click()


def question(page: Page, text: str) -> Locator:
    """The list item of the question with this text (on any of the three screens)."""
    return page.locator("[data-question]").filter(has_text=text)


def expect_votes(pages: list[Page], text: str, count: int) -> None:
    """Every screen shows the same number of upvotes for the question."""
    word = "upvote" if count == 1 else "upvotes"
    for page in pages:
        expect(question(page, text).get_by_test_id("q-votes")).to_contain_text(f"{count} {word}")


def results(page: Page) -> list[str]:
    """A poll's results as shown: one line per option (text, count, share)."""
    rows = page.get_by_test_id("poll-results").locator("[data-testid=poll-result]").all()
    return [" ".join(r.inner_text().split()) for r in rows]


def expect_results(pages: list[Page], lines: list[str]) -> None:
    for page in pages:
        expect(page.get_by_test_id("poll-results").locator("[data-testid=poll-result]")
               ).to_have_text(lines)


def prepare_poll(org: Page, kind: str, text: str, options: list[str] | None = None, *,
                 on_close: bool = False) -> None:
    """The conductor prepares a draft poll and opens it."""
    box = org.get_by_test_id("poll-create")
    if box.get_attribute("open") is None:
        box.locator("summary").click()
    box.get_by_label("Kind of poll").select_option(label=kind)
    box.get_by_label("Poll question").fill(text)
    if options is not None:
        box.get_by_label("Options").fill("\n".join(options))
    box.get_by_label("Results when the poll closes" if on_close else "Results live").check()
    box.get_by_role("button", name="Add the draft").click()
    draft = org.get_by_test_id("poll-drafts").locator("li").filter(has_text=text)
    draft.get_by_role("button", name="Open the poll").click()
    expect(org.get_by_test_id("poll-open").locator(".poll-question")).to_have_text(text)


def assert_nobody_asked(org: Page, screen: Page) -> None:
    """Nobody, the organizer included, learns who asked anonymously.

    The projector names nobody of the audience at all. The conductor lists who is in the forum
    (its roster and the rooms' mix, for running the forum), so there it is the plenary, where
    the questions are, that must never name the anonymous asker.
    """
    assert ANON not in screen.content()
    assert ANON not in org.get_by_test_id("plenary-control").inner_html()


def answer_choice(page: Page, option: str) -> None:
    form = page.get_by_test_id("poll-form")
    form.get_by_label(option, exact=True).check()
    form.get_by_role("button", name=re.compile("(Send|Change) my answer")).click()
    expect(page.get_by_test_id("poll-mine")).to_have_text(f"Your answer: {option}")


def test_questions_anonymous_upvoted_pinned_and_moderated(server: Server,
                                                          new_page: NewPage) -> None:
    """Ask (one anonymous), upvote, pin, pre-moderate: each screen shows what it may see."""
    made = forum(server)
    org, zelda, bo, screen = open_plenary(new_page, server, made)
    everyone = [org, zelda, bo, screen]
    secret, open_q = "Who decides when the sirens sound?", "Is the flood map public?"
    ask(zelda, secret, anonymous=True)
    ask(bo, open_q)
    for page in everyone:
        expect(question(page, secret)).to_have_count(1)
        expect(question(page, open_q)).to_have_count(1)
    expect(question(zelda, secret)).to_contain_text("You asked this anonymously")
    expect(question(bo, secret)).to_contain_text("Anonymous")
    expect(question(org, secret)).to_contain_text("Anonymous")
    expect(question(org, open_q)).to_contain_text(f"Asked by {NAMED}")
    expect(question(bo, open_q).get_by_test_id("q-withdraw")).to_be_visible()
    expect(question(bo, secret).get_by_test_id("q-withdraw")).to_be_hidden()
    assert_nobody_asked(org, screen)

    # Upvotes: Bo upvotes both, Zelda Bo's; then Bo takes his own back. Counts agree everywhere.
    question(bo, secret).get_by_role("button", name="Upvote").click()
    question(bo, open_q).get_by_role("button", name="Upvote").click()
    question(zelda, open_q).get_by_role("button", name="Upvote").click()
    expect_votes(everyone, open_q, 2)
    expect_votes(everyone, secret, 1)
    expect(question(bo, secret).get_by_test_id("q-votes")).to_have_text("1 upvote (yours)")
    expect(question(zelda, secret).get_by_test_id("q-votes")).to_have_text("1 upvote")
    # Sorted by votes: the question with two comes first; "Newest" puts the last asked first.
    expect(bo.get_by_test_id("questions").locator("li").first).to_contain_text(open_q)
    zelda.get_by_label("Newest").check()
    expect(zelda.get_by_test_id("questions").locator("li").first).to_contain_text(open_q)
    question(bo, open_q).get_by_role("button", name="Take back my upvote").click()
    expect_votes(everyone, open_q, 1)

    # The organizer pins Bo's question: the projector shows it large.
    question(org, open_q).get_by_role("button", name="Pin").click()
    expect(screen.get_by_test_id("pinned-text")).to_have_text(open_q)
    expect(screen.get_by_test_id("top-questions").locator("li")).to_have_text([re.compile(re.escape(secret))])
    expect(question(zelda, open_q)).to_contain_text("Pinned")
    assert_nobody_asked(org, screen)

    # Pre-moderation: a new question waits, seen by its author and the staff only.
    org.get_by_label("Pre-moderation").check()
    expect(zelda.get_by_test_id("moderated-note")).to_be_visible()
    waiting = "Why was the warning late?"
    ask(zelda, waiting)
    expect(question(zelda, waiting)).to_contain_text("Waiting for approval")
    expect(question(org, waiting)).to_contain_text("Waiting for approval")
    # An event after it reaches Bo and the projector (events arrive in order): by then the
    # pending question would be there if it leaked.
    question(bo, secret).get_by_role("button", name="Take back my upvote").click()
    expect_votes([bo, screen], secret, 0)
    expect(question(bo, waiting)).to_have_count(0)
    expect(question(screen, waiting)).to_have_count(0)
    question(org, waiting).get_by_role("button", name="Approve").click()
    for page in (bo, screen):
        expect(question(page, waiting)).to_have_count(1)
    expect(question(zelda, waiting)).not_to_contain_text("Waiting for approval")

    # Hidden and answered questions leave the projector's list.
    question(org, waiting).get_by_role("button", name="Hide").click()
    expect(question(bo, waiting)).to_have_count(0)
    expect(question(zelda, waiting)).to_contain_text("Hidden by the organizer")
    question(org, secret).get_by_role("button", name="Mark answered").click()
    expect(question(bo, secret)).to_contain_text("Answered")
    expect(screen.get_by_test_id("top-questions").locator("li")).to_have_count(0)

    # Zelda withdraws her question: gone everywhere.
    question(zelda, secret).get_by_role("button", name="Withdraw").click()
    for page in everyone:
        expect(question(page, secret)).to_have_count(0)


def test_polls_live_on_close_and_word_cloud(server: Server, new_page: NewPage) -> None:
    """A live poll tallies the same everywhere, an on-close one hides it, a word cloud groups."""
    made = forum(server)
    org, zelda, bo, screen = open_plenary(new_page, server, made)
    everyone = [org, zelda, bo, screen]
    channel = "Which channel reaches people first?"
    prepare_poll(org, "One choice", channel, ["Sirens", "Cell broadcast", "Radio"])
    for page in (zelda, bo, screen):
        expect(page.get_by_test_id("poll-question")).to_have_text(channel)
    answer_choice(zelda, "Cell broadcast")
    answer_choice(bo, "Sirens")
    expect_results(everyone, ["Sirens 1 person (50%)", "Cell broadcast 1 person (50%)",
                              "Radio 0 people (0%)"])
    answer_choice(zelda, "Sirens")  # a changed answer replaces the first
    expect_results(everyone, ["Sirens 2 people (100%)", "Cell broadcast 0 people (0%)",
                              "Radio 0 people (0%)"])
    bo.get_by_test_id("poll-clear").click()
    expect(bo.get_by_test_id("poll-mine")).to_have_text("You have not answered yet.")
    expect_results(everyone, ["Sirens 1 person (100%)", "Cell broadcast 0 people (0%)",
                              "Radio 0 people (0%)"])
    assert results(org) == results(screen) == results(zelda) == results(bo)

    # Results on closing: the room sees only how many answered until the poll closes.
    prepare_poll(org, "Rating 1 to 5", "How ready is your city?", on_close=True)
    for page in (zelda, bo):
        expect(page.get_by_test_id("poll-question")).to_have_text("How ready is your city?")
    answer_choice(zelda, "4 of 5")
    answer_choice(bo, "2 of 5")
    for page in (zelda, bo, screen):
        expect(page.get_by_test_id("poll-hidden-results")).to_have_text(
            "Results after the poll closes. 2 answers so far.")
        expect(page.get_by_test_id("poll-result")).to_have_count(0)
        expect(page.get_by_test_id("poll-average")).to_have_count(0)
    staff = org.get_by_test_id("poll-open")
    expect(staff.get_by_test_id("poll-average")).to_have_text("Average: 3 of 5")
    org.get_by_test_id("poll-close").click()
    for page in (zelda, bo, screen):
        expect(page.get_by_test_id("poll-status")).to_have_text("■ Closed")
        expect(page.get_by_test_id("poll-average")).to_have_text("Average: 3 of 5")
        four = page.get_by_test_id("poll-result").nth(3)
        expect(four).to_have_text(re.compile(r"4 of 5\s+1 person \(50%\)"))
    expect(zelda.get_by_test_id("poll-mine")).to_have_text("Your answer: 4 of 5")

    # A word cloud counts "Ryga" and "ryga" as one word, given twice.
    prepare_poll(org, "Word cloud", "One word for the last flood?")
    for person, word in ((zelda, "Ryga"), (bo, "ryga")):
        expect(person.get_by_test_id("poll-question")).to_have_text(
            "One word for the last flood?")
        person.get_by_label("Your word").fill(word)
        person.get_by_role("button", name="Send my answer").click()
        expect(person.get_by_test_id("poll-mine")).to_have_text(f"Your answer: {word}")
    for page in everyone:
        words = page.get_by_test_id("poll-results").get_by_test_id("poll-word")
        expect(words).to_have_text(["Ryga (given 2 times)"])


def test_a_ranking_by_keyboard_and_the_plenary_views_pass_axe(server: Server,
                                                              new_page: NewPage) -> None:
    """Rank with the keyboard; axe finds no serious issue; the conductor fits 1366x768."""
    made = forum(server)
    org, zelda, _bo, screen = open_plenary(new_page, server, made)
    organizer, hall = made["organizer"]["token"], made["hall"]["id"]
    ask(zelda, "Who pays for the sirens?", anonymous=True)
    run_async(lambda: drive(server, organizer, hall, [
        ("poll.create", {"kind": "single", "question": "Ready?", "options": ["Yes", "No"]}),
        ("poll.create", {"kind": "text", "question": "What would help?", "reveal": "on_close"}),
        ("poll.create", {"kind": "ranking", "question": "What first?",
                         "options": ["Sirens", "Radio", "Apps"]}),
    ]))
    drafts = org.get_by_test_id("poll-drafts").locator("li")
    expect(drafts).to_have_count(3)
    drafts.filter(has_text="What first?").get_by_role("button", name="Open the poll").click()
    expect(zelda.get_by_test_id("poll-question")).to_have_text("What first?")

    ranking = zelda.get_by_test_id("ranking").locator("li")
    zelda.get_by_role("button", name="Move Apps up").focus()
    zelda.keyboard.press("Enter")
    zelda.keyboard.press("Enter")  # focus stays on the moved option's button
    expect(ranking).to_have_text([re.compile("Apps"), re.compile("Sirens"), re.compile("Radio")])
    zelda.get_by_role("button", name="Send my answer").click()
    expect(zelda.get_by_test_id("poll-mine")).to_have_text(
        "Your answer: 1. Apps, 2. Sirens, 3. Radio")
    expect_results([org, zelda, screen], ["Apps 3 points, average place 1",
                                          "Sirens 2 points, average place 2",
                                          "Radio 1 point, average place 3"])

    found = {"participant poll": axe_violations(zelda), "conductor plenary": axe_violations(org),
             "projector poll": axe_violations(screen)}
    org.get_by_test_id("poll-create").locator("summary").click()
    found["conductor poll form"] = axe_violations(org)
    bad = {view: v for view, v in found.items() if v}
    assert not bad, bad
    assert_fits(org)
    assert_fits(screen)
    big = new_page(1920, 1080)
    big.goto(made["observer"]["url"])
    expect(big.get_by_test_id("poll-question")).to_have_text("What first?")
    assert_fits(big)
    phone = new_page(390, 844)
    phone.goto(made["organizer"]["url"])
    expect_live(phone)
    expect(phone.get_by_test_id("poll-open")).to_be_visible()
    assert_no_sideways(phone)
    assert_no_sideways(zelda)
