"""Speed networking from the conductor: rounds, tables and calls, and consent-gated contacts."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import NewPage
from tests.browser.helpers import (
    assert_fits,
    assert_no_sideways,
    axe_violations,
    expect_live,
    open_as_participant,
)
from tests.harness import Server

pytestmark = pytest.mark.browser

ANU_EMAIL = "anu.tamm@rescue.example.ee"
BO_EMAIL = "bo.berg@malmo.example.se"
BO_PHONE = "+46 70 123 45 67"
EVE_EMAIL = "eve@business.example.lt"
TEMPLATE = "https://meet.example.org/{forum}-{round}-{table}"
EMAILS = (ANU_EMAIL, BO_EMAIL, EVE_EMAIL)


def forum(server: Server) -> dict[str, Any]:
    """A forum with a plenary, then speed networking."""
    made: dict[str, Any] = server.api.request("POST", "/api/forums", {
        "title": "Baltic resilience forum", "topic": "Extreme weather", "label": "tlp-green",
        "sessions": [{"kind": "plenary", "title": "Opening", "minutes": 20},
                     {"kind": "networking", "title": "Speed networking", "minutes": 30}]})
    return made


def join_with_contacts(page: Page, base: str, code: str, name: str, *, attendance: str,
                       sector: str, country: str, organization: str, about: str,
                       contact: dict[str, str], consent: tuple[str, ...]) -> None:
    """Join on the form: the "what I work on" line and contact details, some consented."""
    page.goto(f"{base}/join/{code}")
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Organization (optional)").fill(organization)
    page.get_by_label("Sector").select_option(sector)
    page.get_by_label("Country").select_option(country)
    page.get_by_label(attendance).check()
    page.get_by_label("What I work on (optional)").fill(about)
    expect(page.get_by_test_id("contact-fields")).to_contain_text("The organizers never see them")
    labels = {"email": "Email (optional)", "phone": "Phone (optional)",
              "link": "Profile link (optional)"}
    for key, value in contact.items():
        page.get_by_label(labels[key]).fill(value)
    for key in ("email", "phone", "link"):
        expect(page.get_by_test_id(f"share-{key}")).not_to_be_checked()  # consent is opt-in
    if contact and not consent:
        # A detail typed but not consented to is not sent silently: the form asks, and the
        # person clears it.
        page.get_by_role("button", name="Join the forum").click()
        expect(page.get_by_test_id("field-error")).to_contain_text("did not tick its box")
        for key in contact:
            page.get_by_label(labels[key]).fill("")
    for key in consent:
        page.get_by_test_id(f"share-{key}").check()
    page.get_by_role("button", name="Join the forum").click()
    expect_live(page)


def join_api(server: Server, code: str, name: str, attendance: str, sector: str,
             country: str, organization: str, about: str) -> dict[str, Any]:
    joined: dict[str, Any] = server.api.request("POST", "/api/join", {
        "code": code, "name": name, "organization": organization, "sector": sector,
        "country": country, "attendance": attendance, "about": about})
    return joined


def open_joined(new_page: NewPage, server: Server, joined: dict[str, Any],
                width: int = 1280, height: int = 900) -> Page:
    page = new_page(width, height)
    open_as_participant(page, server.url, joined, "")
    return page


def partners_of(page: Page) -> list[str]:
    names = page.get_by_test_id("net-partners").locator(".net-name").all_inner_texts()
    return [n.strip() for n in names]


def assert_no_email(page: Page) -> None:
    """No contact detail anywhere in this page's DOM (attributes included)."""
    html = page.content()
    for detail in (*EMAILS, BO_PHONE):
        assert detail not in html, (detail, page.url)


def test_two_rounds_a_triad_a_late_arrival_and_a_mutual_connection(
        server: Server, new_page: NewPage, artifacts: Path) -> None:
    """Tables, calls and a triad; a late joiner waits, then meets; details reach only two."""
    made = forum(server)
    code = made["join"]["code"]
    org = new_page(1366, 768)
    org.goto(made["organizer"]["url"])
    expect_live(org)
    card = org.get_by_test_id("networking-control")
    expect(card).to_be_hidden()  # the plenary first: networking is next
    org.get_by_test_id("advance").click()  # into the plenary: networking comes next
    expect(card).to_be_visible()
    expect(card.get_by_test_id("net-start")).to_be_disabled()  # only in the networking session
    org.get_by_test_id("advance").click()
    expect(org.get_by_test_id("now-title")).to_have_text("Speed networking")

    # Settings: two rounds of five minutes, calls for the remote groups.
    card.locator("summary").filter(has_text="Settings of the rounds").click()
    card.get_by_label("Rounds").fill("2")
    card.get_by_label("Minutes each").fill("5")
    card.get_by_label("Call link of remote groups").fill(TEMPLATE)
    card.get_by_label("Grace (s)").fill("0")  # no-shows may be re-paired at once
    card.get_by_role("button", name="Save the settings").click()
    expect(card.get_by_test_id("net-c-state")).to_have_text("No round yet (2 planned).")

    anu, bo = new_page(390, 844), new_page()
    join_with_contacts(anu, server.url, code, "Anu Tamm", attendance="On site, in the room",
                       sector="rescue_emergency", country="EE",
                       organization="Estonian Rescue Board",
                       about="Flood warnings for coastal towns", contact={"email": ANU_EMAIL},
                       consent=("email",))
    join_with_contacts(bo, server.url, code, "Bo Berg", attendance="On site, in the room",
                       sector="municipality", country="SE", organization="City of Malmö",
                       about="Evacuation plans", contact={"email": BO_EMAIL, "phone": BO_PHONE},
                       consent=("email", "phone"))
    remote = [join_api(server, code, name, "remote", sector, country, organization, about)
              for name, sector, country, organization, about in (
                  ("Cai Lind", "research_academia", "FI", "University of Turku", "Heat stress"),
                  ("Dace Ozola", "ngo_civil_society", "LV", "Red Cross Latvia", "Volunteers"),
                  ("Eve Kask", "business", "LT", "Vilnius Power", "Grid resilience"))]
    cai, dace = (open_joined(new_page, server, j) for j in remote[:2])
    eve = new_page()
    join_with_contacts(eve, server.url, code, "Eve Kask", attendance="Remotely",
                       sector="business", country="LT", organization="Vilnius Power",
                       about="Grid resilience", contact={"email": EVE_EMAIL}, consent=())
    screen = new_page(1280, 720)
    screen.goto(made["observer"]["url"])
    expect_live(screen)
    people = [anu, bo, cai, dace, eve]
    for page in people:
        expect(page.get_by_test_id("stage")).to_have_attribute("data-kind", "networking")
        expect(page.get_by_test_id("net-status")).to_contain_text("The first round starts soon")
    expect(card.get_by_test_id("net-online")).to_have_text("5 people online")

    # Round 1: the two on site at a table, the three remote in one call (a triad).
    card.get_by_test_id("net-start").click()
    expect(card.get_by_test_id("net-c-state")).to_have_text("Round 1 of 2 is on.")
    expect(anu.get_by_test_id("net-meet")).to_have_attribute("data-state", "meeting")
    expect(anu.get_by_test_id("net-table")).to_have_text("Table 1")
    assert partners_of(anu) == ["Bo Berg"]
    partner = anu.get_by_test_id("net-partners").locator("li").first
    expect(partner.get_by_test_id("net-about")).to_have_text("Works on: Evacuation plans")
    expect(partner.locator(".net-profile")).to_have_text("City of Malmö · Municipality · Sweden")
    expect(anu.get_by_test_id("net-timer")).to_have_text(re.compile(r"0[45]:\d\d left"))
    for page, others in ((cai, {"Dace Ozola", "Eve Kask"}), (dace, {"Cai Lind", "Eve Kask"}),
                         (eve, {"Cai Lind", "Dace Ozola"})):
        expect(page.get_by_test_id("net-partners").locator("li")).to_have_count(2)
        assert set(partners_of(page)) == others
        expect(page.get_by_test_id("net-status")).to_have_text("You are three in this round:")
        call = page.get_by_test_id("net-call")
        expect(call).to_have_attribute("href", re.compile(r"^https://meet\.example\.org/h.+-1-2$"))
        expect(call).to_have_attribute("target", "_blank")
        expect(call).to_have_attribute("rel", "noopener")
        expect(page.get_by_test_id("net-table")).to_have_count(0)
    plan = screen.get_by_test_id("net-plan").locator("li")
    expect(plan).to_have_count(1)
    expect(plan.first).to_have_text(re.compile(r"Table 1\s*Anu Tamm · Bo Berg"))
    expect(screen.get_by_test_id("net-timer")).to_have_text(re.compile(r"left$"))
    expect(screen.get_by_test_id("networking-screen")).not_to_contain_text("Cai Lind")
    quality = card.get_by_test_id("net-quality")
    expect(quality.locator("[data-q=sector]")).to_have_text(
        "2 of 2 groups (100%); 100% of the most possible (2)")
    expect(quality.locator("[data-q=repeats]")).to_have_text("0")
    expect(card.get_by_test_id("net-relaxed")).to_contain_text("Every rule held")
    expect(card.get_by_test_id("net-groups").locator("li")).to_have_count(2)

    # Anu asks to stay in touch: Anu sees "asked"; Bo sees nothing of it.
    partner.get_by_test_id("net-touch").click()
    expect(partner.get_by_test_id("net-touch-state")).to_contain_text("You asked")
    bo_partner = bo.get_by_test_id("net-partners").locator("li").first
    expect(bo_partner.get_by_test_id("net-touch")).to_have_text("Stay in touch")
    expect(bo_partner).to_have_attribute("data-touch", "none")

    # A late arrival waits for the next round.
    fay_joined = join_api(server, code, "Fay Nowak", "remote", "public_authority", "PL",
                          "Polish Water", "Drought planning")
    fay = open_joined(new_page, server, fay_joined)
    expect(fay.get_by_test_id("net-status")).to_contain_text("you will be paired in the next round")
    expect(card.get_by_test_id("net-waiting")).to_have_text("Waiting: 1 person (Fay Nowak).")

    card.get_by_test_id("net-end").click()
    expect(card.get_by_test_id("net-c-state")).to_have_text("Round 1 of 2 is over.")
    expect(anu.get_by_test_id("net-status")).to_contain_text("The next one starts soon")
    expect(anu.get_by_test_id("net-met").locator("li")).to_have_count(1)  # Bo, met earlier

    # Round 2: six people, three groups; Fay meets someone.
    expect(card.get_by_test_id("net-online")).to_have_text("6 people online")
    card.get_by_test_id("net-start").click()
    expect(card.get_by_test_id("net-c-state")).to_have_text("Round 2 of 2 is on.")
    expect(fay.get_by_test_id("net-meet")).to_have_attribute("data-state", "meeting")
    expect(fay.get_by_test_id("net-call")).to_have_attribute("href", re.compile(r"-2-\d$"))
    expect(card.get_by_test_id("net-groups").locator("li")).to_have_count(3)
    # Only two people on site, who met in round 1: the round still forms, and says why.
    expect(anu.get_by_test_id("net-table")).to_have_text("Table 1")
    expect(card.get_by_test_id("net-relaxed")).to_contain_text("some people meet again")

    # Bo asks too: a connection, with the details each chose to share, for the two of them.
    bo_partner = bo.get_by_test_id("net-partners").locator("li").first
    bo_partner.get_by_test_id("net-touch").click()
    for page in (anu, bo):
        expect(page.get_by_test_id("net-partners").locator("li").first).to_have_attribute(
            "data-touch", "connected")
    anu_conn = anu.get_by_test_id("net-connections")
    expect(anu_conn).to_contain_text(BO_EMAIL)
    expect(anu_conn).to_contain_text(BO_PHONE)
    expect(anu_conn).not_to_contain_text("Profile")  # Bo gave no link
    expect(bo.get_by_test_id("net-connections")).to_contain_text(ANU_EMAIL)
    expect(anu_conn.locator(f"a[href='mailto:{BO_EMAIL}']")).to_have_count(1)
    expect(card.get_by_test_id("net-counts")).to_contain_text("1 connection made")
    with anu.expect_download() as download:
        anu.get_by_test_id("net-download").click()
    csv = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert BO_EMAIL in csv
    assert ANU_EMAIL not in csv

    # Nobody else ever sees a detail: not the third participant, the conductor, the projector.
    for page in (cai, dace, eve, fay, org, screen):
        expect(page.get_by_test_id("connection")).to_have_attribute("data-status", "live")
        assert_no_email(page)
    for page in (cai, eve):
        expect(page.get_by_test_id("net-connections-card")).to_contain_text("No connections yet.")

    # A no-show: Dace goes offline; one action re-pairs her partner into another group.
    (alone,) = partners_of(dace)  # four remote people: two pairs
    stranded = {"Cai Lind": cai, "Eve Kask": eve, "Fay Nowak": fay}[alone]
    dace.close()
    expect(card.get_by_test_id("net-online")).to_have_text("5 people online")
    card.get_by_test_id("net-repair").click()
    expect(stranded.get_by_test_id("net-partners").locator("li")).to_have_count(2)
    assert "Dace Ozola" not in partners_of(stranded)
    expect(card.get_by_test_id("net-groups").locator("li")).to_have_count(2)

    # Accessibility and fit: the participant's screen, the conductor's card, the table plan.
    for page, name in ((anu, "networking-participant"), (org, "networking-conductor"),
                       (screen, "networking-projector")):
        page.screenshot(path=str(artifacts / f"{name}.png"), full_page=page is anu)
        assert axe_violations(page) == [], page.url
    assert_fits(org)
    org.set_viewport_size({"width": 390, "height": 844})
    assert_no_sideways(org)
    assert_no_sideways(anu)
    for width, height in ((1920, 1080), (1280, 720)):
        screen.set_viewport_size({"width": width, "height": height})
        expect(screen.get_by_test_id("net-plan")).to_be_visible()
        assert_fits(screen)
