"""Fixtures shared by the integration tests: a real server process on a free port."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.harness import RedisServer, Server


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    """A fresh hackrooms server with an empty database."""
    srv = Server(tmp_path / "hackrooms.db")
    try:
        srv.start()  # inside: a server that never came up is still stopped
        yield srv
    finally:
        srv.stop()


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    """A fresh redis-server on a free port (AOF, fsync always) in the test's directory."""
    if shutil.which("redis-server") is None:
        pytest.fail("redis-server is not installed: `make system-deps` installs it")
    srv = RedisServer(tmp_path / "redis")
    try:
        srv.start()
        yield srv
    finally:
        srv.stop()
