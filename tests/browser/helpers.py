"""Steps the browser tests share: create a forum, join as a participant, read a view, scan it.

Every wait is an expectation with a deadline (Playwright's expect or wait_for_function);
nothing sleeps.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

from playwright.sync_api import Page, expect

from client import RoomClient
from tests.harness import ROOT, Server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
TIMEOUT_MS = 10_000
ARTIFACTS = ROOT / "test-artifacts"
SCREENSHOTS = ROOT / "docs" / "screenshots"
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"

T = TypeVar("T")


def create_forum_ui(page: Page, base: str, title: str,
                    rooms: list[tuple[str, str]]) -> dict[str, str]:
    """Fill the "Run a forum" form on the start page; the links and code it hands out."""
    page.goto(f"{base}/")
    page.get_by_label("Forum title").fill(title)
    for i, (room, challenge) in enumerate(rooms):
        if i:
            page.get_by_role("button", name="Add another room").click()
        page.get_by_label("Room name").nth(i).fill(room)
        page.get_by_label("Challenge for this room").nth(i).fill(challenge)
    page.get_by_role("button", name="Create the forum").click()
    expect(page.get_by_role("heading", name="Your forum is ready")).to_be_visible()
    return {
        "code": page.get_by_test_id("join-code").inner_text().strip(),
        "organizer": page.get_by_test_id("organizer-link").input_value(),
        "facilitator": page.get_by_test_id("facilitator-link").input_value(),
        "join": page.get_by_test_id("join-link").input_value(),
        "projector": page.get_by_test_id("projector-link").first.input_value(),
    }


def join_ui(page: Page, base: str, code: str, name: str, *,
            attendance: str = "On site, in the room", room: str | None = None,
            by_link: bool = False) -> None:
    """Join with the code (typed on the start page, or by the /join/CODE link) and a profile."""
    if by_link:
        page.goto(f"{base}/join/{code}")
    else:
        page.goto(f"{base}/")
        page.get_by_label("Join code").fill(code.lower())
        page.get_by_role("button", name="Continue").click()
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Organization (optional)").fill("Rescue Services")
    page.get_by_label("Sector").select_option("rescue_emergency")
    page.get_by_label("Country").select_option("EE")
    page.get_by_label(attendance).check()
    for key in ("email", "phone", "link"):  # each contact detail's consent is opt-in
        expect(page.get_by_test_id(f"share-{key}")).not_to_be_checked()
    page.get_by_role("button", name="Join the forum").click()
    if room is not None:
        page.get_by_role("button", name=f"Enter {room}").click()
    expect_live(page)


def expect_live(page: Page) -> None:
    expect(page.get_by_test_id("connection")).to_have_attribute("data-status", "live")


def idea_card(page: Page, text: str) -> Any:
    """The card of the idea with this text."""
    return page.locator("li.idea").filter(has=page.locator(".idea-text", has_text=text))


def board_of(page: Page) -> list[tuple[str, list[str]]]:
    """What a board shows: each group's title (or "") and its idea texts, in order."""
    groups = []
    for group in page.locator("[data-testid=board] > section.cluster").all():
        title = group.locator(".cluster-title")
        groups.append((title.inner_text() if title.is_visible() else "",
                       group.locator(".idea-text").all_inner_texts()))
    return groups


def results_of(page: Page) -> list[str]:
    """The ranked results as shown: one "text  N votes" line per idea."""
    rows = page.locator("[data-testid=results-list] > li").all()
    return [" ".join(r.inner_text().split()) for r in rows]


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """Run axe-core in the page; the serious and critical violations it reports."""
    page.add_script_tag(path=str(AXE))
    found: list[dict[str, Any]] = page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ["violations"]});
            return r.violations.filter(v => ["serious", "critical"].includes(v.impact))
              .map(v => ({id: v.id, impact: v.impact, help: v.help,
                          nodes: v.nodes.slice(0, 5)
                            .map(n => n.target.join(" ") + ": " + n.failureSummary)}));
        }""")
    return found


def run_async(factory: Callable[[], Awaitable[T]]) -> T:
    """Run a coroutine in its own thread and loop: the sync Playwright API owns this thread."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(lambda: asyncio.run(factory())).result(timeout=60)  # type: ignore[arg-type]


async def drive(server: Server, token: str, room: str,
                commands: list[tuple[str, dict[str, Any]]]) -> list[dict[str, Any]]:
    """Send commands over a real websocket (the project's Python client); their acks."""
    async with await RoomClient.connect(server.ws_url, token, room) as client:
        return [await client.command(name, args) for name, args in commands]


async def hall_sessions(server: Server, token: str, hall: str) -> list[dict[str, Any]]:
    """The agenda's sessions as the hall's snapshot gives them to ``token``."""
    async with await RoomClient.connect(server.ws_url, token, hall) as client:
        snapshot = next(m for m in client.messages if m["type"] == "snapshot")
        sessions: list[dict[str, Any]] = snapshot["state"]["agenda"]["sessions"]
        return sessions


def move_to(server: Server, organizer: str, hall: str, kind: str, nth: int = 0) -> str:
    """The organizer moves the forum to its ``nth`` session of ``kind`` (over the hall's socket)."""
    async def script() -> str:
        sessions = [s for s in await hall_sessions(server, organizer, hall) if s["kind"] == kind]
        await drive(server, organizer, hall, [("agenda.now", {"session": sessions[nth]["id"]})])
        return str(sessions[nth]["id"])
    return run_async(script)


def start_hackathon(server: Server, made: dict[str, Any]) -> str:
    """A forum made with rooms only: its one hackathon session is started, so screens show it."""
    return move_to(server, made["organizer"]["token"], made["hall"]["id"], "hackathon")


def start_hackathon_ui(server: Server, links: dict[str, str]) -> str:
    """The same for a forum made on the start page: its organizer link starts the hackathon."""
    organizer = token_of(links["organizer"])
    return move_to(server, organizer, hall_of(links["organizer"], server), "hackathon")


def token_of(url: str) -> str:
    """The token in a link's fragment (#token=...)."""
    return url.split("#token=", 1)[1].split("&", 1)[0]


def hall_of(url: str, server: Server) -> str:
    """The hall id of the forum a link's token belongs to (from /api/me)."""
    me: dict[str, Any] = server.api.me(token_of(url))
    return str(me["hall"]["id"])


def join_api(server: Server, code: str, name: str, attendance: str, sector: str,
             country: str, organization: str) -> dict[str, Any]:
    joined: dict[str, Any] = server.api.join(code, name, sector=sector, country=country,
                                             attendance=attendance, organization=organization)
    return joined


def seed_demo(server: Server) -> dict[str, Any]:
    """A forum mid-session: ideas, comments, reactions, clusters, votes revealed, timer running."""
    made: dict[str, Any] = server.api.create_forum(
        "Baltic Sea flood preparedness forum", "Crisis communication across borders",
        [{"title": "Early warning", "challenge": "How do we reach everyone, in every language, "
                                                 "before the water does?"},
         {"title": "Evacuation", "challenge": "Who moves whom, and how?"}])
    code, room = made["join"]["code"], made["rooms"][0]["id"]
    anu = join_api(server, code, "Anu Tamm", "onsite", "rescue_emergency", "EE",
                   "Estonian Rescue Board")
    jonas = join_api(server, code, "Jonas Berg", "remote", "research_academia", "SE",
                     "Lund University")
    fac = made["facilitator"]["token"]

    async def script() -> None:
        await drive(server, fac, room, [("phase.set", {"phase": "ideate"})])
        ideas = [int(ack["seq"]) for ack in await drive(server, anu["token"], room, [
            ("idea.add", {"text": "Cell broadcast alerts in the local languages"}),
            ("idea.add", {"text": "Sirens tested monthly in every coastal village"}),
        ])]
        ideas += [int(ack["seq"]) for ack in await drive(server, jonas["token"], room, [
            ("idea.add", {"text": "Volunteer phone tree for people without smartphones"}),
        ])]
        i1, i2, i3 = (f"i{seq}" for seq in ideas)
        await drive(server, jonas["token"], room, [
            ("comment.add", {"idea": i1, "text": "Finland and Estonia already share a test"}),
            ("reaction.toggle", {"idea": i1, "reaction": "+1"}),
            ("reaction.toggle", {"idea": i2, "reaction": "question"}),
        ])
        acks = await drive(server, fac, room, [("cluster.create", {"title": "Technology"}),
                                               ("cluster.create", {"title": "Community"})])
        k1, k2 = (f"k{ack['seq']}" for ack in acks)
        await drive(server, fac, room, [
            ("idea.move", {"id": i1, "cluster": k1}), ("idea.move", {"id": i2, "cluster": k1}),
            ("idea.move", {"id": i3, "cluster": k2}), ("phase.set", {"phase": "vote"})])
        await drive(server, anu["token"], room, [("vote.cast", {"idea": i1}),
                                                 ("vote.cast", {"idea": i1}),
                                                 ("vote.cast", {"idea": i3})])
        await drive(server, jonas["token"], room, [("vote.cast", {"idea": i1}),
                                                   ("vote.cast", {"idea": i3})])
        await drive(server, fac, room, [("voting.reveal", {}), ("timer.start", {"seconds": 600})])

    run_async(script)
    start_hackathon(server, made)
    return {"made": made, "room": room, "anu": anu, "jonas": jonas}


def open_as_participant(page: Page, base: str, joined: dict[str, Any], room: str) -> None:
    """Open the app on a device that joined before: its token is in localStorage."""
    page.goto(f"{base}/api/vocabulary")  # same origin, and no app starts there
    forum = joined["forum"]
    page.evaluate("""([forum, session]) => {
        localStorage.setItem("hackrooms.sessions", JSON.stringify({[forum]: session}));
        localStorage.setItem("hackrooms.last", JSON.stringify(forum));
    }""", [forum["id"], {"token": joined["token"], "code": forum["join_code"], "room": room}])
    page.goto(f"{base}/join/{forum['join_code']}")
    expect_live(page)


def assert_fits(page: Page) -> None:
    """Nothing to scroll, either way."""
    size = page.evaluate("""() => ({w: document.documentElement.scrollWidth,
        h: document.documentElement.scrollHeight, vw: innerWidth, vh: innerHeight})""")
    assert size["w"] <= size["vw"], size
    assert size["h"] <= size["vh"], size


def assert_no_sideways(page: Page) -> None:
    """No sideways scrolling (a phone scrolls down only)."""
    size = page.evaluate("""() => ({w: document.documentElement.scrollWidth, vw: innerWidth})""")
    assert size["w"] <= size["vw"], size
