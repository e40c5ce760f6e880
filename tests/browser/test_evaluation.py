"""The evaluation questionnaire in the browser: three participants answer on their phones (one
of them offline mid-way), and the organizer reads the results by sector in the conductor."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import NewPage
from tests.browser.helpers import (
    axe_violations,
    drive,
    expect_live,
    join_api,
    join_ui,
    move_to,
    run_async,
)
from tests.harness import Server

pytestmark = pytest.mark.browser


def forum(server: Server) -> dict[str, Any]:
    """A forum whose agenda is a plenary, then the evaluation."""
    made: dict[str, Any] = server.api.request("POST", "/api/forums", {
        "title": "Baltic resilience forum", "topic": "Extreme weather", "sessions": [
            {"kind": "plenary", "title": "Opening plenary", "minutes": 30},
            {"kind": "evaluation", "title": "Evaluation", "minutes": 15}]})
    return made


def answer_scale(page: Page, question: str, value: int) -> None:
    """Pick a score of a likert or nps question, as a person taps it."""
    page.get_by_test_id(f"eval-q-{question}").get_by_label(str(value), exact=True).check()


def expect_saved(page: Page, question: str) -> None:
    expect(page.get_by_test_id(f"eval-status-{question}")).to_have_text("Saved")


def test_three_answer_one_offline_and_the_organizer_sees_results_by_sector(
        new_page: NewPage, server: Server) -> None:
    """Answers are saved as given (offline ones once back), restored on reload, and counted by
    sector in the conductor with groups under 3 suppressed (and their complement)."""
    made = forum(server)
    code = made["join"]["code"]
    org = new_page(1366, 900)
    org.goto(made["organizer"]["url"])
    expect_live(org)
    control = org.get_by_test_id("evaluation-control")
    expect(control.get_by_test_id("eval-c-list").locator("li")).to_have_count(10)  # the default
    people = [new_page(390, 844) for _ in range(3)]
    for i, page in enumerate(people):
        join_ui(page, server.url, code, f"Person {i}", by_link=True,
                attendance="Remotely" if i == 2 else "On site, in the room")
    move_to(server, made["organizer"]["token"], made["hall"]["id"], "evaluation")
    for page in people:
        expect(page.get_by_test_id("stage")).to_have_attribute("data-kind", "evaluation")
        expect(page.get_by_test_id("eval-form")).to_be_visible()
    expect(control).to_have_attribute("data-status", "open")
    assert axe_violations(people[0]) == []

    for page, score in zip(people, (5, 4, 4), strict=True):
        answer_scale(page, "knowledge", score)
        expect_saved(page, "knowledge")

    # The third person loses the network mid-way: the answer waits, then is saved once back.
    offline = people[2]
    offline.context.set_offline(True)
    answer_scale(offline, "recommend", 9)
    expect(offline.get_by_test_id("eval-status-recommend")).to_have_text("Waiting to be sent…")
    offline.get_by_test_id("eval-text-improve").fill("More time in the rooms")
    offline.get_by_test_id("eval-q-improve").get_by_role("button", name="Save this answer").click()
    expect(offline.get_by_test_id("eval-status-improve")).to_have_text("Waiting to be sent…")
    offline.context.set_offline(False)
    expect_saved(offline, "recommend")
    expect_saved(offline, "improve")

    # A reload brings the answers back from the snapshot.
    people[0].reload()
    expect_live(people[0])
    knowledge_5 = people[0].get_by_test_id("eval-q-knowledge").get_by_label("5", exact=True)
    expect(knowledge_5).to_be_checked()
    expect(people[0].get_by_test_id("eval-progress")).to_have_text("1 of 10 answered")

    # Six more people answer from their own devices: four from business, two municipalities.
    others = [join_api(server, code, f"Other {i}", "onsite", sector, "SE", "Org")
              for i, sector in enumerate(["business"] * 4 + ["municipality"] * 2)]

    async def script() -> None:
        for person in others:
            await drive(server, person["token"], made["hall"]["id"],
                        [("evaluation.answer", {"question": "knowledge", "answer": 3})])
    run_async(script)

    expect(control.get_by_test_id("eval-c-status")).to_have_text("Open: 9 people have answered.")
    control.get_by_test_id("eval-by").select_option("sector")
    knowledge = control.get_by_test_id("eval-r-knowledge")
    expect(knowledge.locator("tr[data-group=overall] [data-testid=eval-n]")).to_have_text("9")
    expect(knowledge.locator("tr[data-group=business] [data-testid=eval-n]")).to_have_text("4")
    # Municipalities (2) are under 3; the next smallest group (the 3 of rescue services) is
    # suppressed with them, or "overall minus business" would give the 2 away.
    for group in ("municipality", "rescue_emergency"):
        row = knowledge.locator(f"tr[data-group={group}]")
        expect(row).to_have_attribute("data-suppressed", "true")
        expect(row).to_contain_text("Fewer than 3 answers: not shown")
    bars = knowledge.locator("tr[data-group=business] .eval-bar-count")
    expect(bars).to_have_text(["0 (0%)", "0 (0%)", "4 (100%)", "0 (0%)", "0 (0%)"])
    # A free text is listed without a name once 3 people wrote one; one is not enough.
    expect(control.get_by_test_id("eval-r-improve")).to_contain_text("Fewer than 3 answers")
    expect(control).not_to_contain_text("Person 2")


def test_the_projector_shows_the_results_only_when_the_organizer_switches_them_on(
        new_page: NewPage, server: Server) -> None:
    """Off: a line with the count; on: the bars per question, never a free text."""
    made = forum(server)
    code, hall = made["join"]["code"], made["hall"]["id"]
    move_to(server, made["organizer"]["token"], hall, "evaluation")
    people = [join_api(server, code, f"P {i}", "remote", "business", "SE", "Org") for i in range(3)]

    async def script() -> None:
        for person in people:
            text = f"Idea of {person['participant']['name']}"
            await drive(server, person["token"], hall, [
                ("evaluation.answer", {"question": "again", "answer": "Yes"}),
                ("evaluation.answer", {"question": "improve", "answer": text})])
    run_async(script)
    screen = new_page(1280, 720)
    screen.goto(made["observer"]["url"])
    expect_live(screen)
    panel = screen.get_by_test_id("evaluation-screen")
    expect(panel).to_contain_text("3 people have answered so far")
    org = new_page(1366, 900)
    org.goto(made["organizer"]["url"])
    expect_live(org)
    org.get_by_test_id("eval-shown").check()
    again = panel.get_by_test_id("eval-r-again")
    expect(again.locator("tr[data-group=overall] [data-testid=eval-n]")).to_have_text("3")
    expect(again.locator(".eval-bar-count").first).to_have_text("3 (100%)")
    expect(panel.get_by_test_id("eval-r-improve")).to_be_visible()
    expect(panel).not_to_contain_text("Idea of")
    assert axe_violations(screen) == []


def test_sending_the_questionnaire_brings_it_up_on_remote_screens_only(
        new_page: NewPage, server: Server) -> None:
    """In the plenary, "send to remote screens" opens the form for the remote person alone."""
    made = forum(server)
    code = made["join"]["code"]
    remote, onsite = new_page(390, 844), new_page(390, 844)
    join_ui(remote, server.url, code, "Rita Remote", attendance="Remotely", by_link=True)
    join_ui(onsite, server.url, code, "Otto Onsite", by_link=True)
    move_to(server, made["organizer"]["token"], made["hall"]["id"], "plenary")
    for page in (remote, onsite):
        expect(page.get_by_test_id("stage")).to_have_attribute("data-kind", "plenary")
    org = new_page(1366, 900)
    org.goto(made["organizer"]["url"])
    expect_live(org)
    control = org.get_by_test_id("evaluation-control")
    control.get_by_test_id("eval-open").click()
    control.get_by_test_id("eval-send").click()
    dialog = remote.get_by_test_id("eval-dialog")
    expect(dialog).to_be_visible()
    dialog.get_by_test_id("eval-q-again").get_by_label("Yes").check()
    expect(dialog.get_by_test_id("eval-status-again")).to_have_text("Saved")
    dialog.get_by_test_id("eval-dialog-close").click()
    expect(dialog).to_have_count(0)
    expect(control.get_by_test_id("eval-c-status")).to_have_text("Open: 1 person has answered.")
    expect(onsite.get_by_test_id("eval-dialog")).to_have_count(0)
    expect(onsite.get_by_test_id("stage")).to_have_attribute("data-kind", "plenary")


def test_the_organizer_edits_the_draft_in_the_conductor(new_page: NewPage,
                                                        server: Server) -> None:
    """Add a choice question, move it up, remove a default one; opened, the list is fixed."""
    made = forum(server)
    org = new_page(1366, 900)
    org.goto(made["organizer"]["url"])
    expect_live(org)
    control = org.get_by_test_id("evaluation-control")
    items = control.get_by_test_id("eval-c-list").locator("li")
    expect(items).to_have_count(10)
    control.get_by_test_id("eval-add").click()
    form = control.get_by_test_id("eval-q-form")
    form.get_by_label("Kind of question").select_option("choice")
    form.get_by_label("Question", exact=True).fill("Which day suits a forum best?")
    form.get_by_label("Options, one per line").fill("Tuesday\nThursday")
    form.get_by_role("button", name="Save the question").click()
    expect(items).to_have_count(11)
    expect(items.nth(10)).to_contain_text("Which day suits a forum best?")
    control.get_by_role("button", name="Move up: Which day suits a forum best?").click()
    expect(items.nth(9)).to_contain_text("Which day suits a forum best?")
    control.get_by_role("button", name="Remove: What should we improve next time?").click()
    expect(items).to_have_count(10)
    expect(control.get_by_test_id("eval-c-list")).not_to_contain_text("What should we improve")
    control.get_by_test_id("eval-open").click()
    expect(control).to_have_attribute("data-status", "open")
    expect(control.get_by_test_id("eval-c-list")).to_have_count(0)
    expect(control.get_by_test_id("eval-editor")).to_contain_text("its questions are fixed")
