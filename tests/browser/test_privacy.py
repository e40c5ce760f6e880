"""The participant's "Your data": download everything, then erase it with a confirmation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import expect

from client import ApiError
from tests.browser.conftest import NewPage
from tests.browser.helpers import join_ui
from tests.harness import Server

pytestmark = pytest.mark.browser

NAME = "Zyxwæ Ąžuolaitė"


def test_a_participant_downloads_and_erases_their_data(server: Server, new_page: NewPage,
                                                       tmp_path: Path) -> None:
    """The download holds the profile; erasing says what goes and leaves the forum for good."""
    made = server.api.create_forum("Floods", "Crisis communication", [{"title": "Room A"}])
    page = new_page(width=390, height=844)
    join_ui(page, server.url, made["join"]["code"], NAME, by_link=True)
    place = page.get_by_test_id("my-data")
    place.locator("summary").click()
    with page.expect_download() as done:
        page.get_by_test_id("download-my-data").click()
    saved = tmp_path / "my-data.json"
    done.value.save_as(saved)
    data = json.loads(saved.read_text("utf-8"))
    assert data["participant"]["name"] == NAME
    token = page.evaluate("() => Object.values(JSON.parse(localStorage.getItem("
                          "'hackrooms.sessions') || '{}'))[0]?.token")
    page.get_by_test_id("erase-me").click()
    confirm = page.get_by_test_id("erase-confirm")
    expect(confirm).to_contain_text("a participant")
    expect(confirm).to_contain_text("cannot be undone")
    page.get_by_test_id("erase-yes").click()
    expect(page.get_by_test_id("erased")).to_contain_text("was erased")
    assert token, "the page kept no session to take the token from"
    with pytest.raises(ApiError) as refused:
        server.api.request("GET", "/api/me", token=token)
    assert refused.value.code == "erased"
    page.reload()
    expect(page.get_by_test_id("erased")).to_have_count(0)
    expect(page.get_by_test_id("my-data")).to_have_count(0)  # the device left the forum
