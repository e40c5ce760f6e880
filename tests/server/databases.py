"""The store tests' databases: a SQLite file or a schema of the test PostgreSQL server."""

from __future__ import annotations

import aiosqlite
import asyncpg

from server.store import is_postgres


async def raw_sql(database: str, statement: str) -> None:
    """Run one statement on the database behind the store's back (to age or break it)."""
    if is_postgres(database):
        db = await asyncpg.connect(database)
        try:
            await db.execute(statement)
        finally:
            await db.close()
        return
    async with aiosqlite.connect(database) as conn:
        await conn.execute(statement)
        await conn.commit()
