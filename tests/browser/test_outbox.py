"""The browser's outbox over the server's message budget: it backs off and resends, in order."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from client import RoomClient
from tests.browser.conftest import NewPage
from tests.browser.helpers import expect_live, join_ui, run_async, start_hackathon
from tests.harness import Server
from tests.server.helpers import OPEN_PHASE

pytestmark = pytest.mark.browser

TEXTS = [f"Idea number {n} written on the train" for n in range(1, 9)]


@pytest.fixture
def tight_server(tmp_path: Path) -> Iterator[Server]:
    """A server whose connections may send 4 messages at once and 2 a second after that."""
    srv = Server(tmp_path / "hackrooms.db", env={"HACKROOMS_CONNECTION_BURST": "4",
                                                 "HACKROOMS_CONNECTION_RATE": "2"})
    try:
        srv.start()
        yield srv
    finally:
        srv.stop()


async def _idea_texts(server: Server, token: str, room: str) -> list[str]:
    async with await RoomClient.connect(server.ws_url, token, room) as client:
        ideas = client.messages[1]["state"]["board"]["ideas"]
        return [idea["text"] for idea in sorted(ideas, key=lambda i: int(i["id"][1:]))]


def test_an_outbox_over_the_budget_backs_off_and_lands_in_order(tight_server: Server,
                                                                new_page: NewPage) -> None:
    """Eight ideas queued offline, over a budget of four: all land once, in order, no error."""
    made = tight_server.api.create_forum("Floods", "", [{"title": "Room A", "challenge": "",
                                                         "phases": OPEN_PHASE}])
    start_hackathon(tight_server, made)
    page = new_page()
    join_ui(page, tight_server.url, made["join"]["code"], "Anu", by_link=True)
    # The one room of the session opens once the hall has the person's pick: going offline
    # before that left the page in the picker, with no idea box (a race, not a product bug).
    expect(page.get_by_label("Your idea")).to_be_visible()
    connection = page.get_by_test_id("connection")
    page.context.set_offline(True)
    expect(connection).to_have_attribute("data-status", "offline")
    for text in TEXTS:
        page.get_by_label("Your idea").fill(text)
        page.get_by_role("button", name="Post idea").click()
    expect(connection).to_contain_text("8 changes waiting to be sent")

    page.context.set_offline(False)  # the outbox goes out at once: half of it is refused
    expect_live(page)
    expect(connection).not_to_contain_text("waiting")
    expect(page.locator(".idea-text")).to_have_count(len(TEXTS))
    expect(page.locator(".error")).to_have_count(0)
    texts = run_async(lambda: _idea_texts(tight_server, made["facilitator"]["token"],
                                          made["rooms"][0]["id"]))
    assert texts == TEXTS
