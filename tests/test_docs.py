"""The documentation cannot drift from the code: every public name of the code is documented.

Names are taken from the code itself (enums, the command and event registries, the app's routes,
the variables the settings read), so a name added to the code fails here until it is documented.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from functools import cache
from pathlib import Path

import pytest

from rooms.errors import ErrorCode
from rooms.fields import FieldError
from rooms.kinds import KINDS
from server.app import create_app
from server.config import Settings
from server.protocol import ClientType, Close, ProtocolError, ServerType

ROOT = Path(__file__).resolve().parent.parent
PROTOCOL = ROOT / "docs" / "protocol.md"
# The commands and events of every kind of log (rooms and halls): one protocol documents all.
COMMANDS = {name: spec for kind in KINDS.values() for name, spec in kind.rules.commands.items()}
APPLIERS = {name: a for kind in KINDS.values() for name, a in kind.rules.appliers.items()}
README = ROOT / "README.md"

_FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)
_SPAN = re.compile(r"`([^`\n]+)`")


def _read(path: Path) -> str:
    if not path.is_file():
        name = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
        pytest.fail(f"{name} is missing: it must document the names checked here")
    return path.read_text("utf-8")


@cache
def _spans(path: Path) -> frozenset[str]:
    """The inline code spans of a Markdown file (fenced blocks left out)."""
    return frozenset(_SPAN.findall(_FENCE.sub("", _read(path))))


def _assert_documented(names: Iterable[object], path: Path | None = None) -> None:
    """Fail naming every name that no code span of the file (default: the protocol) spells."""
    path = path or PROTOCOL
    missing = sorted({str(n) for n in names} - _spans(path))
    assert not missing, f"{path.name} has no code span for: {', '.join(missing)}"


def _json_examples() -> Iterator[tuple[int, object]]:
    """Every ```json block of the protocol document, parsed, with its line number."""
    text = _read(PROTOCOL)
    for match in _FENCE.finditer(text):
        if match.group(1) == "json":
            line = text.count("\n", 0, match.start()) + 1
            try:
                yield line, json.loads(match.group(2))
            except ValueError as error:
                pytest.fail(f"docs/protocol.md line {line}: the JSON example is invalid: {error}")


def test_client_message_types_are_documented() -> None:
    """Every message type a client may send appears in docs/protocol.md as a code span."""
    _assert_documented(t.value for t in ClientType)


def test_server_message_types_are_documented() -> None:
    """Every message type the server sends appears in docs/protocol.md as a code span."""
    _assert_documented(t.value for t in ServerType)


def test_protocol_error_codes_are_documented() -> None:
    """Every connection-level error code appears in docs/protocol.md as a code span."""
    _assert_documented(c.value for c in ProtocolError)


def test_room_error_codes_are_documented() -> None:
    """Every room rejection code appears in docs/protocol.md as a code span."""
    _assert_documented(c.value for c in ErrorCode)


def test_close_codes_are_documented() -> None:
    """Every websocket close code number the server uses appears in docs/protocol.md."""
    _assert_documented(int(c) for c in Close)


def test_commands_are_documented() -> None:
    """Every command of every kind of log appears in docs/protocol.md as a code span."""
    assert {"room.create", "hall.create"} <= set(COMMANDS), "the kinds' commands were not found"
    _assert_documented(COMMANDS)


def test_events_are_documented() -> None:
    """Every event name any kind of log applies appears in docs/protocol.md as a code span."""
    assert {"room.created", "hall.created"} <= set(APPLIERS), "the kinds' events were not found"
    _assert_documented(APPLIERS)


def _route_paths() -> set[str]:
    return {route.path for route in create_app(Settings()).routes  # type: ignore[attr-defined]
            if getattr(route, "path", None)}


def test_http_routes_are_documented() -> None:
    """Every route path of the app appears in docs/protocol.md in a code span (method allowed)."""
    paths = _route_paths()
    assert "/api/forums" in paths, "the routes of server.app.create_app() were not found"
    words = {word for span in _spans(PROTOCOL) for word in span.split()}
    missing = sorted(paths - words)
    assert not missing, f"protocol.md has no code span for the routes: {', '.join(missing)}"


class _Recorder(Mapping[str, str]):
    """An empty environment that remembers which variables were asked for."""

    def __init__(self) -> None:
        self.asked: set[str] = set()

    def __getitem__(self, key: str) -> str:
        self.asked.add(key)
        raise KeyError(key)

    def get(self, key: str, default: object = None) -> object:  # type: ignore[override]
        self.asked.add(key)
        return default

    def __contains__(self, key: object) -> bool:
        self.asked.add(str(key))
        return False

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0


def test_settings_variables_are_in_the_readme() -> None:
    """Every environment variable server/config.py reads appears in README.md as a code span."""
    env = _Recorder()
    Settings.from_env(env)
    assert {"PORT", "REDIS_URL"} <= env.asked, "Settings.from_env read no variables from env"
    _assert_documented(env.asked, README)


def test_json_examples_use_documented_names() -> None:
    """Every JSON example parses, and its message type, command and event names exist in code."""
    types = {t.value for t in ClientType} | {t.value for t in ServerType}
    codes = {c.value for c in ProtocolError} | {c.value for c in ErrorCode}
    messages = 0
    for line, example in _json_examples():
        if not (isinstance(example, dict) and "type" in example):
            continue
        messages += 1
        where = f"docs/protocol.md line {line}"
        assert example["type"] in types, f"{where}: unknown message type {example['type']!r}"
        if example["type"] == ServerType.EVENT:
            assert example["name"] in APPLIERS, f"{where}: unknown event {example['name']!r}"
        if example["type"] == ServerType.ERROR:
            assert example["code"] in codes, f"{where}: unknown error code {example['code']!r}"
    assert messages > 0, "docs/protocol.md has no JSON message examples"


def test_command_examples_have_valid_args() -> None:
    """Every example cmd names a command the code has, with arguments its spec accepts."""
    for line, example in _json_examples():
        if not (isinstance(example, dict) and example.get("type") == ClientType.CMD):
            continue
        where = f"docs/protocol.md line {line}"
        spec = COMMANDS.get(example["name"])
        assert spec is not None, f"{where}: unknown command {example['name']!r}"
        try:
            spec.args.check(example.get("args", {}))
        except FieldError as error:
            pytest.fail(f"{where}: the args of {example['name']!r} no longer check: {error}")
