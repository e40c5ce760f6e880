"""Fixtures of the server integration tests: shared and purpose-built servers, and clients."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from tests.harness import Server
from tests.postgres import PostgresServer
from tests.server.helpers import Clients, ServerFactory, boot


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """One real PostgreSQL server for the session, in a temporary directory of its own."""
    srv = PostgresServer()
    try:
        srv.start()
        yield srv
    finally:
        srv.stop()


@pytest.fixture(params=["sqlite", "postgres"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh database for a store: a SQLite file, or a new schema on the PostgreSQL server."""
    if request.param == "sqlite":
        # A missing parent directory: the store must create it.
        return str(tmp_path / "data" / "hackrooms.db")
    server: PostgresServer = request.getfixturevalue("postgres_server")
    return server.new_schema()


@pytest.fixture(scope="module")
def module_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One default server for the tests of a module; each test makes its own forum."""
    srv = Server(tmp_path_factory.mktemp("db") / "hackrooms.db")
    boot(srv)
    try:
        yield srv
    finally:
        srv.stop()


@pytest.fixture
def start_server(tmp_path: Path) -> Iterator[ServerFactory]:
    """Start servers with extra environment variables; all are stopped after the test."""
    started: list[Server] = []

    def start(name: str = "hackrooms", **env: str) -> Server:
        srv = Server(tmp_path / f"{name}.db", env=env)
        started.append(srv)
        return boot(srv)

    try:
        yield start
    finally:
        for srv in started:
            srv.stop()


@pytest.fixture
async def clients() -> AsyncIterator[Clients]:
    """Room clients opened by the test, closed when it ends."""
    opened = Clients()
    try:
        yield opened
    finally:
        await opened.close()
