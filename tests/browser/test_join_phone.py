"""Joining from a phone: the join link a phone can open, or a warning with the fixing setting."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from playwright.sync_api import expect

from server.join_link import lan_address
from tests.browser.conftest import NewPage
from tests.browser.helpers import expect_live, start_hackathon
from tests.harness import Server

pytestmark = pytest.mark.browser


@pytest.fixture
def lan_server(tmp_path: Path) -> Iterator[Server]:
    """A server listening on every interface (HACKROOMS_HOST=0.0.0.0)."""
    srv = Server(tmp_path / "hackrooms.db", env={"HACKROOMS_HOST": "0.0.0.0"})
    try:
        srv.start()
        yield srv
    finally:
        srv.stop()


def test_a_server_on_all_interfaces_hands_out_its_lan_address(
        lan_server: Server, new_page: NewPage) -> None:
    """Host 0.0.0.0: the join link, QR code and projector name a non-loopback address."""
    made = lan_server.api.create_forum("Phone forum", "", [{"title": "A", "challenge": "B"}])
    start_hackathon(lan_server, made)
    host = urlsplit(made["join"]["url"]).hostname
    assert host is not None
    assert not ipaddress.ip_address(host).is_loopback
    assert host == lan_address()
    assert made["join"]["local_only"] is False
    overview = lan_server.api.me(made["observer"]["token"])["join"]
    assert overview["url"] == made["join"]["url"]
    # A phone on the LAN opens the join page at that address.
    page = httpx.get(made["join"]["url"], timeout=10)
    assert page.status_code == 200
    screen = new_page(1600, 900)
    screen.goto(made["observer"]["url"])  # the projector laptop itself uses 127.0.0.1
    expect_live(screen)
    expect(screen.get_by_test_id("join-where")).to_have_text(
        f"Join at {host}:{lan_server.port}/join")
    expect(screen.get_by_test_id("join-warning")).to_have_count(0)
    fac = new_page()
    fac.goto(made["facilitator"]["url"])
    expect(fac.get_by_test_id("join-link")).to_have_text(made["join"]["url"])
    expect(fac.get_by_test_id("join-warning")).to_have_count(0)


def test_a_loopback_server_warns_the_console_and_the_projector(
        server: Server, new_page: NewPage) -> None:
    """Host 127.0.0.1: console and projector say phones cannot join, naming HACKROOMS_HOST."""
    made = server.api.create_forum("Laptop forum", "", [{"title": "A", "challenge": "B"}])
    start_hackathon(server, made)
    assert made["join"]["local_only"] is True
    fac = new_page()
    fac.goto(made["facilitator"]["url"])
    expect_live(fac)
    screen = new_page(1600, 900)
    screen.goto(made["observer"]["url"])
    expect_live(screen)
    for page in (fac, screen):
        warning = page.get_by_test_id("join-warning")
        expect(warning).to_contain_text("Phones cannot open this link")
        expect(warning.locator("code")).to_have_text("HACKROOMS_HOST=0.0.0.0")


def test_the_public_url_wins_over_the_lan_address(tmp_path: Path) -> None:
    """With HACKROOMS_PUBLIC_URL set, the join link and QR code use it, whatever the host."""
    srv = Server(tmp_path / "hackrooms.db", env={"HACKROOMS_HOST": "0.0.0.0",
                                                 "HACKROOMS_PUBLIC_URL": "https://forum.example"})
    try:
        srv.start()
        made = srv.api.create_forum("Public forum", "", [{"title": "A", "challenge": "B"}])
        code = made["join"]["code"]
        assert made["join"] == {"code": code, "url": f"https://forum.example/join/{code}",
                                "qr": f"https://forum.example/api/join/{code}/qr.svg",
                                "local_only": False}
    finally:
        srv.stop()
