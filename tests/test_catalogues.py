"""Every shipped language has every English message, with its placeholders and plural forms.

The catalogues are ES modules; tests/catalogues.mjs loads them in Node (whose Intl gives each
language's plural categories, as the browser does) and lists what is wrong.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from rooms.errors import ErrorCode
from server.protocol import ERROR_CODES

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "static" / "js" / "locales"
CHECKER = ROOT / "tests" / "catalogues.mjs"
PROTOCOL = ROOT / "docs" / "protocol.md"

# The region's languages that must ship (every file in locales/ is checked in full either way).
REQUIRED = {"da", "de", "et", "fi", "is", "lt", "lv", "nb", "pl", "sv"}


def check(*folder: str) -> dict[str, Any]:
    """What tests/catalogues.mjs finds in static/js/locales/ (or in another folder)."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is missing: `make system-deps` installs it")
    done = subprocess.run([node, str(CHECKER), *folder], capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    found: dict[str, Any] = json.loads(done.stdout)
    return found


@cache
def report() -> dict[str, Any]:
    """The shipped catalogues' report (run once per test session)."""
    return check()


def test_the_checker_finds_a_missing_key_a_lost_placeholder_and_a_missing_plural_form(
        tmp_path: Path) -> None:
    """A broken catalogue is reported key by key (so a green run means something)."""
    english = report()["english"]
    assert english["plen.q.count"] == ["one", "other"]
    (tmp_path / "lt.js").write_text("""export default {
      "join.forum": "Forumas",
      "plen.q.count": { one: "{count} klausimas", other: "{count} klausimų" },
      "not.a.key": "x",
    };""", "utf-8")
    problems = check(str(tmp_path))["problems"]
    assert "lt: join.forum: placeholders {none}, English has {title}" in problems
    assert 'lt: plen.q.count: plural form "few" missing' in problems
    assert "lt: join.title: missing" in problems
    assert "lt: not.a.key: not in the English catalogue" in problems


def test_every_required_language_ships() -> None:
    """The required languages of the region each have a catalogue file."""
    shipped = set(report()["languages"])
    assert shipped >= REQUIRED, sorted(REQUIRED - shipped)


def test_the_picker_offers_exactly_the_shipped_catalogues() -> None:
    """SHIPPED in i18n.js is English and every file of locales/: the picker offers exactly those."""
    assert sorted(report()["shipped"]) == sorted(["en", *report()["languages"]])


def test_every_catalogue_is_complete_with_placeholders_and_plural_forms() -> None:
    """Each catalogue has every English key, its placeholders and the language's plural forms."""
    problems: list[str] = report()["problems"]
    assert not problems, "\n".join(problems[:80]) + f"\n({len(problems)} problems)"


def _documented_error_codes() -> set[str]:
    """The codes of docs/protocol.md's "Error codes" tables and the HTTP API's table."""
    text = PROTOCOL.read_text("utf-8")
    errors = text.split("\n## Error codes", 1)[1].split("\n## ", 1)[0]
    http = text.split("\n## HTTP API", 1)[1].split("\n### ", 1)[0]
    codes = set(re.findall(r"^\| `([a-z_]+)` \|", errors, re.MULTILINE))
    codes |= set(re.findall(r"^\| \d{3} \| `([a-z_]+)` \|", http, re.MULTILINE))
    return codes


def test_every_error_code_has_a_message_in_the_catalogue() -> None:
    """Every error code the server sends (websocket and HTTP) has an error.<code> message."""
    codes = {str(c) for c in ErrorCode} | {str(c) for c in ERROR_CODES} | _documented_error_codes()
    assert {"budget_exceeded", "rate_limited", "timeout", "unauthorized"} <= codes
    english = report()["english"]
    missing = sorted(code for code in codes if f"error.{code}" not in english)
    assert not missing, missing


_KEY = re.compile(r'^\s*"([a-zA-Z0-9_.-]+)"\s*:', re.MULTILINE)


def duplicate_keys(source: str) -> list[str]:
    """Keys a catalogue's source spells twice (JavaScript keeps the last one, silently)."""
    keys = _KEY.findall(source)
    return sorted({k for k in keys if keys.count(k) > 1})


def test_no_catalogue_spells_a_key_twice() -> None:
    """A key written twice in a catalogue (a merge keeping both sides) is caught here."""
    assert duplicate_keys('export const en = {\n  "a.b": "x",\n  "a.b": "y",\n};') == ["a.b"]
    sources = [ROOT / "static" / "js" / "i18n.js", *sorted(LOCALES.glob("*.js"))]
    found = {p.name: d for p in sources if (d := duplicate_keys(p.read_text("utf-8")))}
    assert not found, found
