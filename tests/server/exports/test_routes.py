"""Exports over real HTTP and the CLI: who may export, each format parsed back, the label,
file names, a clear error without a PDF engine, and the participant's results page."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pypdf
import pytest

from tests.harness import Server
from tests.server.helpers import Clients, Forum, Person, ServerFactory, new_forum

REFINE = [{"id": "refine", "label": "Refine",
           "allows": ["ideas", "comments", "reactions", "votes", "outcomes"]}]
ANN = "Ąžuolas Łukasz"


async def _forum(server: Server, clients: Clients) -> tuple[Forum, Person, Person]:
    """Ann posts two ideas (one like a formula), Bob and Ann vote, Ann recommends, owns an item."""
    forum = new_forum(server, {"title": "Floods", "challenge": "Warn people", "phases": REFINE})
    ann = forum.join(ANN, attendance="onsite", sector="municipality", country="LT")
    bob = forum.join("Bob", attendance="remote", sector="business", country="LV")
    fac = await clients.connect(server, forum.facilitator, forum.room)
    a = await clients.connect(server, ann.token, forum.room)
    b = await clients.connect(server, bob.token, forum.room)
    idea = f"i{(await a.command('idea.add', {'text': 'Sirens in every village'}))['seq']}"
    await a.command("idea.add", {"text": "=1+1"})
    await a.command("vote.cast", {"idea": idea})
    await b.command("vote.cast", {"idea": idea})
    made = await a.command("recommendation.create", {"title": "Sirens", "ideas": [idea]})
    await fac.command("action.add", {"title": "Buy sirens", "recommendation": f"r{made['seq']}",
                                     "owner": "City", "owner_member": ann.id})
    return forum, ann, bob


def _get(server: Server, path: str, token: str | None) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.get(server.url + path, headers=headers, timeout=60)


async def test_the_organizer_downloads_every_format(server: Server, clients: Clients) -> None:
    """JSON against its schema, CSV with BOM and escaped formulas, Markdown, HTML and PDF."""
    forum, _, _ = await _forum(server, clients)
    base = f"/api/forums/{forum.id}"
    answer = _get(server, f"{base}/export.json", forum.organizer)
    assert answer.status_code == 200
    assert answer.headers["cache-control"] == "no-store"
    assert answer.headers["content-disposition"].startswith('attachment; filename="floods-')
    data = answer.json()
    schema = _get(server, "/api/export.schema.json", None).json()
    jsonschema.Draft202012Validator(schema).validate(data)
    (rec,) = data["recommendations"]
    assert (rec["votes"], rec["supporters"], rec["by_country"]) == (2, 2, {"LT": 1, "LV": 1})

    raw = _get(server, f"{base}/export/ideas.csv", forum.organizer).content
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw[3:].decode("utf-8"), newline="")))
    assert {r["idea"] for r in rows} == {"Sirens in every village", "'=1+1"}
    assert {r["author"] for r in rows} == {ANN}
    assert {r["label"] for r in rows} == {"chatham-house"}

    report = _get(server, f"{base}/export.md", forum.organizer).text
    assert report.startswith("# Floods\n")
    assert "**Confidentiality:** Chatham House Rule." in report

    page = _get(server, f"{base}/brief.html", forum.organizer)
    assert page.headers["content-disposition"].startswith("inline;")
    assert 'id="running-head"' in page.text

    printed = _get(server, f"{base}/brief.pdf", forum.organizer)
    assert printed.headers["content-type"] == "application/pdf"
    for pdf_page in pypdf.PdfReader(io.BytesIO(printed.content)).pages:
        assert "Chatham House Rule" in pdf_page.extract_text()


@pytest.mark.parametrize("path", ["export.json", "export.md", "export/votes.csv",
                                  "brief.html", "brief.pdf"])
async def test_only_the_organizer_may_export(server: Server, clients: Clients,
                                             path: str) -> None:
    """No token 401; facilitator, participant and projector 403; all as JSON errors."""
    forum, ann, _ = await _forum(server, clients)
    url = f"/api/forums/{forum.id}/{path}"
    assert _get(server, url, None).json()["error"]["code"] == "unauthorized"
    for token in (forum.facilitator, ann.token, forum.observer):
        answer = _get(server, url, token)
        assert (answer.status_code, answer.json()["error"]["code"]) == (403, "forbidden")


async def test_unknown_tables_and_forums_are_404(server: Server, clients: Clients) -> None:
    """A table that does not exist names the tables; another forum's id is refused."""
    forum, _, _ = await _forum(server, clients)
    answer = _get(server, f"/api/forums/{forum.id}/export/nope.csv", forum.organizer)
    assert answer.status_code == 404
    assert "ideas" in answer.json()["error"]["message"]
    other = _get(server, "/api/forums/fNOPE/export.json", forum.organizer)
    assert other.status_code == 403


async def test_without_chromium_the_pdf_is_a_clear_503(start_server: ServerFactory,
                                                       clients: Clients) -> None:
    """HACKROOMS_CHROMIUM pointing nowhere: 503 pdf_unavailable; the HTML brief still works."""
    server = start_server(HACKROOMS_CHROMIUM="/nonexistent/chromium")
    forum, _, _ = await _forum(server, clients)
    answer = _get(server, f"/api/forums/{forum.id}/brief.pdf", forum.organizer)
    assert (answer.status_code, answer.json()["error"]["code"]) == (503, "pdf_unavailable")
    assert _get(server, f"/api/forums/{forum.id}/brief.html", forum.organizer).status_code == 200


async def test_a_participant_sees_the_results_and_their_own_items(server: Server,
                                                                   clients: Clients) -> None:
    """Ann sees the recommendation and her action item; Bob none; staff tokens are refused."""
    forum, ann, bob = await _forum(server, clients)
    mine: dict[str, Any] = _get(server, "/api/me/results", ann.token).json()
    assert [r["title"] for r in mine["recommendations"]] == ["Sirens"]
    assert [a["title"] for a in mine["actions"]] == ["Buy sirens"]
    assert mine["label"]["id"] == "chatham-house"
    assert _get(server, "/api/me/results", bob.token).json()["actions"] == []
    assert _get(server, "/api/me/results", forum.organizer).status_code == 403
    assert _get(server, "/results", None).status_code == 200


async def _cli(*args: str) -> subprocess.CompletedProcess[bytes]:
    """Run ``hackrooms export`` (as ``python -m server export``) off the event loop."""
    return await asyncio.to_thread(subprocess.run, [sys.executable, "-m", "server", "export",
                                                    *args], capture_output=True, timeout=60,
                                   check=False)


async def test_the_cli_exports_from_the_database(server: Server, clients: Clients,
                                                 tmp_path: Path) -> None:
    """hackrooms export reads the SQLite file beside the running server: same content."""
    forum, _, _ = await _forum(server, clients)
    out = tmp_path / "export.json"
    db = str(server.database)
    done = await _cli(forum.id, "--format", "json", "--out", str(out), "--database", db)
    assert done.returncode == 0, done.stderr
    data = json.loads(out.read_text("utf-8"))
    over_http = _get(server, f"/api/forums/{forum.id}/export.json", forum.organizer).json()
    assert data["rooms"] == over_http["rooms"]
    table = await _cli(forum.id, "--format", "csv", "--table", "recommendations",
                       "--database", db)
    assert table.stdout.startswith(b"\xef\xbb\xbflabel,rank,")
    missing = await _cli("fNOPE", "--database", db)
    assert missing.returncode == 2
    assert b"no forum fNOPE" in missing.stderr


async def test_after_erasure_no_export_names_the_person(server: Server,
                                                        clients: Clients) -> None:
    """Ann erases her data: her name and organization are in no format any more."""
    forum, ann, _ = await _forum(server, clients)
    base = f"/api/forums/{forum.id}"
    assert ANN in _get(server, f"{base}/export.json", forum.organizer).text
    forum.api.request("POST", "/api/me/erase", {"confirm": "erase"}, token=ann.token)
    for path in ("export.json", "export.md", "export/ideas.csv", "export/votes.csv",
                 "export/actions.csv", "brief.html"):
        answer = _get(server, f"{base}/{path}", forum.organizer)
        assert answer.status_code == 200
        assert ANN not in answer.content.decode("utf-8-sig"), path
    data = _get(server, f"{base}/export.json", forum.organizer).json()
    assert {i["author"] for r in data["rooms"] for i in r["ideas"]} == {"a participant"}
    (rec,) = data["recommendations"]
    assert rec["votes"] == 2  # her contributions stay, unnamed
