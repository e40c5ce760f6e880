"""The store adapters and the one place that picks one from ``HACKROOMS_DATABASE``."""

from __future__ import annotations

from urllib.parse import urlsplit

from server.store.base import Store

_POSTGRES_SCHEMES = ("postgresql://", "postgres://")


def is_postgres(database: str) -> bool:
    """Whether ``HACKROOMS_DATABASE`` names a PostgreSQL server rather than a SQLite file."""
    return database.startswith(_POSTGRES_SCHEMES)


def open_store(database: str, *, batch_max: int = 512) -> Store:
    """The store (not yet opened) for a ``postgresql://`` URL or a SQLite file path."""
    if is_postgres(database):
        # Imported here: a SQLite deployment needs no PostgreSQL driver installed.
        try:
            from server.store.postgres import PostgresStore
        except ModuleNotFoundError as exc:
            raise RuntimeError("HACKROOMS_DATABASE is a postgresql:// URL but asyncpg is not "
                               "installed: pip install 'hackrooms[postgres]'") from exc

        return PostgresStore(database, batch_max=batch_max)
    from server.store.sqlite import SqliteStore

    return SqliteStore(database, batch_max=batch_max)


def describe(database: str) -> str:
    """The database for a log line: a URL without its user name and password."""
    if not is_postgres(database):
        return database
    parts = urlsplit(database)
    host = parts.hostname or "local socket"
    port = f":{parts.port}" if parts.port else ""
    return f"postgresql://{host}{port}{parts.path}"
