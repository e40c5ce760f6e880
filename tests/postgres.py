"""A real PostgreSQL server in a temporary directory, for the tests and the benchmarks.

Debian's server binaries (``/usr/lib/postgresql/<version>/bin``) make a fresh cluster with
``initdb`` and run it with ``pg_ctl`` on a free port, listening on a unix socket in the same
directory only. PostgreSQL refuses to run as root: as root, every command runs as the
``postgres`` system user (``runuser``), and the directory is made theirs.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

from tests.harness import free_port

START_TIMEOUT_S = 60


def postgres_bin() -> Path | None:
    """The newest installed server's bin directory, None when PostgreSQL is not installed."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parent.parent.name))
    return Path(found[-1]).parent if found else None


class PostgresServer:
    """One cluster on a free port; ``url(schema)`` names a fresh schema of its database."""

    def __init__(self) -> None:
        bin_dir = postgres_bin()
        if bin_dir is None:
            raise RuntimeError("PostgreSQL is not installed: `make system-deps` installs it")
        self.bin = bin_dir
        self.port = free_port()
        # Not under pytest's tmp_path: its folders are private to root, and the server runs as
        # the postgres user.
        self.directory = Path(tempfile.mkdtemp(prefix="hackrooms-pg-"))
        self.data = self.directory / "data"
        self._as = ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []
        self._running = False

    def _run(self, *args: str) -> None:
        subprocess.run([*self._as, *args], check=True, capture_output=True,
                       timeout=START_TIMEOUT_S)

    def start(self) -> None:
        if self._as:
            shutil.chown(self.directory, "postgres", "postgres")
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres",
                  "-A", "trust", "-E", "UTF8", "--no-sync", "--locale=C")
        options = (f"-p {self.port} -k {self.directory} -c listen_addresses=''"
                   " -c max_connections=200")
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-l",
                  str(self.directory / "server.log"), "-o", options, "-w",
                  "-t", str(START_TIMEOUT_S), "start")
        self._running = True

    def stop(self) -> None:
        try:
            if self._running:
                self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w",
                          "stop")
                self._running = False
        finally:
            shutil.rmtree(self.directory, ignore_errors=True)

    def url(self, schema: str = "public") -> str:
        """A ``postgresql://`` URL to the database, its tables in ``schema``."""
        return (f"postgresql://postgres@/postgres?host={self.directory}&port={self.port}"
                f"&search_path={schema}")

    def new_schema(self) -> str:
        """A URL to a new empty schema: every test gets a store of its own, cheaply."""
        schema = f"t_{uuid.uuid4().hex[:12]}"
        self.sql(f"CREATE SCHEMA {schema}")
        return self.url(schema)

    def sql(self, statement: str) -> str:
        """Run one statement with psql as the superuser; its output, unaligned."""
        done = subprocess.run(
            [*self._as, str(self.bin / "psql"), "-h", str(self.directory), "-p", str(self.port),
             "-U", "postgres", "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-Atc", statement],
            check=False, capture_output=True, text=True, timeout=START_TIMEOUT_S)
        if done.returncode != 0:
            raise RuntimeError(f"psql failed on {statement!r}: {done.stderr}")
        return done.stdout

    def files_holding(self, needle: bytes, schema: str) -> list[str]:
        """The database's files (the WAL aside) whose bytes contain ``needle``.

        Files of the other tests' schemas on this server are left out; every other file of the
        cluster is read, the ones VACUUM left behind (truncated, unlinked later) included.
        """
        others = self.sql(
            "SELECT pg_relation_filepath(c.oid) FROM pg_class c"
            " JOIN pg_namespace n ON n.oid = c.relnamespace"
            f" WHERE n.nspname LIKE 't\\_%' AND n.nspname <> '{schema}'"
            " AND pg_relation_filepath(c.oid) IS NOT NULL"
            " UNION SELECT pg_relation_filepath(c.reltoastrelid) FROM pg_class c"
            " JOIN pg_namespace n ON n.oid = c.relnamespace"
            f" WHERE n.nspname LIKE 't\\_%' AND n.nspname <> '{schema}'"
            " AND c.reltoastrelid <> 0").split()
        skipped = set(others)
        found = []
        for path in (self.data / "base").rglob("*"):
            name = str(path.relative_to(self.data))
            # A relation's forks and segments: 16414, 16414_fsm, 16414_vm, 16414.1
            if name.split("_")[0].split(".")[0] in skipped:
                continue
            if path.is_file() and needle in path.read_bytes():
                found.append(name)
        return found
