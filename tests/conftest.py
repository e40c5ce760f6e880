"""Fixtures shared by the integration tests: a real server process on a free port."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.harness import Server


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    """A fresh hackrooms server with an empty database."""
    srv = Server(tmp_path / "hackrooms.db")
    srv.start()
    try:
        yield srv
    finally:
        srv.stop()
