"""Retention: the server erases the personal data of old forums on a schedule.

Every ``HACKROOMS_PURGE_EVERY_S`` (and once at start), each server process purges the forums
created more than ``HACKROOMS_RETENTION_DAYS`` ago (server/erasure.py); ``hackrooms purge``
does the same once, from the command line. Several processes purging at once do no harm: a
purge is idempotent, and a forum already purged holds no participant record to find.
"""

from __future__ import annotations

import asyncio
import logging

from .erasure import Eraser
from .room_host import Unavailable
from .services import Services

log = logging.getLogger("hackrooms.retention")


async def scheduled_purge(s: Services) -> None:
    """Purge expired forums now and then every ``purge_every_s``, until cancelled."""
    if s.settings.retention_days <= 0:
        log.info("retention: personal data is kept for ever (HACKROOMS_RETENTION_DAYS=0)")
        return
    eraser = Eraser(s.store, s.bus, s.hosts)
    while True:
        try:
            erased = await eraser.purge_expired(s.settings.retention_days)
            if erased:
                log.info("retention: erased %d participants of forums older than %d days",
                         erased, s.settings.retention_days)
        except (Unavailable, OSError) as failure:
            log.warning("retention purge failed (%s); retrying at the next run", failure)
        except Exception:
            log.exception("retention purge failed; retrying at the next run")
        await asyncio.sleep(s.settings.purge_every_s)  # a schedule, not a wait for state
