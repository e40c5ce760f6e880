"""``hackrooms purge``: erase the personal data of forums past the retention period, once.

The server does the same on a schedule (server/retention.py); this is for a cron job, or for
a server that is stopped. With ``REDIS_URL`` set the shared log is rewritten too and running
processes reload their replicas; a single running process without Redis keeps what it has
loaded until its own scheduled purge or a restart, so run it there with the server stopped.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os

from .app import make_bus
from .config import Settings
from .erasure import Eraser
from .store import open_store


def main(argv: list[str]) -> None:
    """Parse the flags and purge; prints how many participants were erased."""
    parser = argparse.ArgumentParser(prog="hackrooms purge", description=__doc__)
    parser.add_argument("--days", type=int,
                        help="erase forums created more than this many days ago "
                             "(HACKROOMS_RETENTION_DAYS; 0 keeps everything)")
    parser.add_argument("--database", help="SQLite file or postgresql:// URL (HACKROOMS_DATABASE)")
    args = parser.parse_args(argv)
    env = dict(os.environ)
    if args.database is not None:
        env["HACKROOMS_DATABASE"] = args.database
    if args.days is not None:
        env["HACKROOMS_RETENTION_DAYS"] = str(args.days)
    settings = Settings.from_env(env)
    logging.basicConfig(level=settings.log_level.upper(),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if settings.retention_days <= 0:
        print("hackrooms purge: retention is off (0 days keeps everything); nothing erased",
              flush=True)
        return
    erased = asyncio.run(purge(settings))
    print(f"hackrooms purge: erased the personal data of {erased} participants of forums "
          f"created more than {settings.retention_days} days ago", flush=True)


async def purge(settings: Settings) -> int:
    """Open the store and the bus, purge, close them."""
    store = open_store(settings.database)
    await store.open()
    bus = make_bus(settings)
    try:
        await bus.open()
        return await Eraser(store, bus).purge_expired(settings.retention_days)
    finally:
        await bus.close()
        await store.close()
