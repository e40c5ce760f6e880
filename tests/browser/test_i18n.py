"""Languages in the browser: the picker, the pseudo-locale's overflow check, readers of one room
in several languages at once, and axe-core on every view in Lithuanian."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import NewPage
from tests.browser.helpers import (
    axe_violations,
    drive,
    expect_live,
    join_api,
    open_as_participant,
    run_async,
    seed_demo,
    start_hackathon,
)
from tests.harness import Server

pytestmark = pytest.mark.browser

LAPTOP = (1280, 800)
PHONE = (390, 844)


def with_lang(url: str, lang: str) -> str:
    """The link with ?lang= added before its fragment."""
    base, hash_, fragment = url.partition("#")
    return f"{base}{'&' if '?' in base else '?'}lang={lang}{hash_}{fragment}"


def open_participant(page: Page, base: str, joined: dict[str, Any], room: str, lang: str) -> None:
    """A device that joined before (token in localStorage) opens the app in ``lang``."""
    page.goto(f"{base}/api/vocabulary")  # same origin, and no app starts there
    forum = joined["forum"]
    page.evaluate("""([forum, session]) => {
        localStorage.setItem("hackrooms.sessions", JSON.stringify({[forum]: session}));
        localStorage.setItem("hackrooms.last", JSON.stringify(forum));
    }""", [forum["id"], {"token": joined["token"], "code": forum["join_code"], "room": room}])
    page.goto(with_lang(f"{base}/join/{forum['join_code']}", lang))
    expect_live(page)


# What sticks out sideways: the page (then its widest elements), or a box that clips its text.
OVERFLOW_JS = """() => {
    const out = [];
    const doc = document.documentElement;
    const hidden = (el) => el.closest(".visually-hidden");
    const name = (el) => `${el.tagName.toLowerCase()}.${el.className}`;
    if (doc.scrollWidth > doc.clientWidth) {
      const wide = [...document.querySelectorAll("body *")].filter((el) =>
        el.getBoundingClientRect().right > doc.clientWidth + 1 && !hidden(el));
      const what = wide.slice(-3).map(name).join(" ");
      out.push(`page ${doc.scrollWidth} > ${doc.clientWidth}: ${what}`);
    }
    const boxes = ".card, .btn, button, select, label, .badge, .pill, th, td, h1, h2, h3";
    for (const el of document.querySelectorAll(boxes)) {
      if (!el.offsetParent || hidden(el)) continue;
      const style = getComputedStyle(el);  // a scroller, or text cut short on purpose (…)
      if (["auto", "scroll"].includes(style.overflowX)) continue;
      if (style.textOverflow === "ellipsis") continue;
      if (el.scrollWidth > el.clientWidth + 1) {
        const text = el.textContent.trim().slice(0, 40);
        out.push(`${name(el)} "${text}" ${el.scrollWidth} > ${el.clientWidth}`);
      }
    }
    return out;
}"""


def overflow(page: Page) -> list[str]:
    """What sticks out sideways: the page itself, or a card, button, field or heading."""
    found: list[str] = page.evaluate(OVERFLOW_JS)
    return found


# The pseudo-locale, and the languages with the longest words (German and Finnish compounds).
LONG = {"en-XA": ("[Ŕüñ á ƒöŕüɱ", "[Ŕüññíñĝ ļöŕ]"), "de": ("Ein Forum durchführen", "Läuft"),
        "fi": ("Järjestä foorumi", "Käynnissä")}


@pytest.mark.parametrize("lang", sorted(LONG))
def test_long_text_fits_every_view_on_a_laptop_and_a_phone(
        server: Server, new_page: NewPage, lang: str) -> None:
    """In en-XA (longer, accented), German and Finnish no view scrolls sideways or clips text."""
    create_title, running = LONG[lang]
    demo = seed_demo(server)
    made, room = demo["made"], demo["room"]
    bad: dict[str, list[str]] = {}
    for width, height in (LAPTOP, PHONE):
        size = f"{width}x{height}"
        page = new_page(width, height)
        page.goto(with_lang(f"{server.url}/", lang))
        expect(page.locator("html")).to_have_attribute("lang", lang)
        expect(page.get_by_test_id("create-card")).to_contain_text(create_title)
        bad[f"create and join {size}"] = overflow(page)

        person = new_page(width, height)
        open_participant(person, server.url, demo["anu"], room, lang)
        expect(person.locator(".idea-text").first).to_be_visible()
        expect(person.get_by_test_id("timer-status").first).to_have_text(running)
        bad[f"participant {size}"] = overflow(person)

        for view, url in (("facilitator", made["facilitator"]["url"]),
                          ("conductor", made["organizer"]["url"]),
                          ("projector", f"{made['observer']['url']}&room={room}")):
            page = new_page(width, height)
            page.goto(with_lang(url, lang))
            expect_live(page)
            expect(page.locator("html")).to_have_attribute("lang", lang)
            expect(page.get_by_test_id("language")).to_have_value(lang)
            bad[f"{view} {size}"] = overflow(page)
    bad = {view: found for view, found in bad.items() if found}
    assert not bad, bad


def test_the_picker_names_languages_in_themselves_and_remembers_the_choice(
        server: Server, new_page: NewPage) -> None:
    """Every page has the picker; a choice reloads the page in it and stays on this device."""
    page = new_page()
    page.goto(f"{server.url}/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    picker = page.get_by_label("Language")
    expect(picker).to_have_value("en")
    names = picker.locator("option").all_inner_texts()
    # Every language of the region ships, in the picker's order (each named in itself).
    assert names == ["Dansk", "Deutsch", "Eesti", "English", "Suomi", "Íslenska", "Latviešu",
                     "Lietuvių", "Norsk bokmål", "Polski", "Svenska"]
    page.goto(with_lang(f"{server.url}/", "en-XA"))
    expect(page.locator("html")).to_have_attribute("lang", "en-XA")
    page.get_by_test_id("language").select_option("en")
    expect(page).to_have_url(f"{server.url}/")  # the link's ?lang= gives way to the choice
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Join a forum")).to_be_visible()
    assert page.evaluate("localStorage.getItem('hackrooms.lang')") == "en"


def test_one_room_read_in_polish_and_in_lithuanian_with_errors_in_each_language(
        server: Server, new_page: NewPage) -> None:
    """Two people pick Polish and Lithuanian; each reads the room and a server error in theirs."""
    made = server.api.create_forum("Forum ochrony ludności", "", [
        {"title": "Ostrzeganie", "challenge": "Jak ostrzec wszystkich na czas?"}])
    start_hackathon(server, made)
    room, fac, code = made["rooms"][0]["id"], made["facilitator"]["token"], made["join"]["code"]
    piotr = join_api(server, code, "Piotr Nowak", "onsite", "municipality", "PL", "")
    ona = join_api(server, code, "Ona Kazlauskienė", "remote", "rescue_emergency", "LT", "")

    async def ideas() -> None:
        await drive(server, fac, room, [("phase.set", {"phase": "ideate"})])
        await drive(server, piotr["token"], room, [("idea.add", {"text": "Syreny w gminie"})])
        await drive(server, ona["token"], room, [("idea.add", {"text": "Pranešimai mobiliesiems"})])
        await drive(server, fac, room, [("voting.configure", {"budget": 1, "cap": 1}),
                                        ("phase.set", {"phase": "vote"})])
    run_async(ideas)

    readers = {"pl": (piotr, ["Pomysły", "Głosowanie", "Na żywo", "Twoje głosy: 0"],
                      "Wykorzystano wszystkie głosy."),
               "lt": (ona, ["Idėjos", "Balsavimas", "Prisijungta", "Jūsų balsai: 0"],
                      "Panaudojote visus savo balsus.")}
    pages: dict[str, Page] = {}
    for lang, (person, _, _) in readers.items():
        page = new_page()
        open_as_participant(page, server.url, person, room)
        expect(page.locator("html")).to_have_attribute("lang", "en")
        page.get_by_label("Language").select_option(lang)  # the person's own picker
        expect(page.locator("html")).to_have_attribute("lang", lang)
        expect_live(page)
        pages[lang] = page
    for lang, (_, words, error) in readers.items():
        page = pages[lang]
        for word in words:
            expect(page.locator("body")).to_contain_text(word)
        expect(page.get_by_test_id("phase")).to_contain_text(words[1])  # a built-in phase's name
        expect(page.get_by_test_id("language")).to_have_value(lang)
        pluses = page.locator(".vote-plus")
        expect(pluses).to_have_count(2)
        pluses.nth(0).click()
        expect(page.get_by_test_id("my-votes").nth(0)).to_contain_text("1")
        # The one vote is used; the button stays usable (aria-disabled) and the server says why.
        pluses.nth(1).click(force=True)
        expect(page.locator(".error-text").first).to_contain_text(error)
        expect(page.locator("main")).not_to_contain_text("You have used all your votes")


def test_every_view_in_lithuanian_has_no_serious_accessibility_violation(
        server: Server, new_page: NewPage) -> None:
    """axe-core finds no serious or critical issue on any view read in Lithuanian."""
    demo = seed_demo(server)
    made, room = demo["made"], demo["room"]
    views: dict[str, list[dict[str, object]]] = {}
    page = new_page()
    page.goto(with_lang(f"{server.url}/", "lt"))
    expect(page.get_by_role("heading", name="Prisijungti prie forumo")).to_be_visible()
    views["start page (join and create)"] = axe_violations(page)

    page.goto(with_lang(f"{server.url}/join/{made['join']['code']}", "lt"))
    expect(page.get_by_role("heading", name="Apie jus")).to_be_visible()
    views["profile form"] = axe_violations(page)

    person = new_page()
    open_participant(person, server.url, demo["anu"], room, "lt")
    expect(person.get_by_test_id("timer-status").first).to_have_text("Veikia")
    views["participant room"] = axe_violations(person)

    for view, url, words in (
            ("facilitator console", made["facilitator"]["url"], "Moderatoriaus pultas"),
            ("conductor", made["organizer"]["url"], "Darbotvarkė"),
            ("projector", f"{made['observer']['url']}&room={room}", "Konfidencialumo žyma")):
        page = new_page()
        page.goto(with_lang(url, "lt"))
        expect_live(page)
        expect(page.locator("html")).to_have_attribute("lang", "lt")
        expect(page.locator("main")).to_contain_text(words)
        views[view] = axe_violations(page)
    bad = {view: found for view, found in views.items() if found}
    assert not bad, bad


@pytest.mark.parametrize(("locales", "expected"), [("lt-LT", "lt"), ("de-AT", "de"),
                                                   ("no-NO", "nb"), ("fr-FR", "en")])
def test_the_browser_languages_choose_the_first_shipped_one(
        server: Server, browser: Browser, locales: str, expected: str) -> None:
    """With no choice yet, the browser's language decides (region ignored, "no" reads Bokmål)."""
    context = browser.new_context(locale=locales)
    try:
        page = context.new_page()
        page.goto(f"{server.url}/")
        expect(page.locator("html")).to_have_attribute("lang", expected)
        expect(page.get_by_test_id("language")).to_have_value(expected)
        assert page.evaluate("localStorage.getItem('hackrooms.lang')") is None  # not a choice
    finally:
        context.close()
