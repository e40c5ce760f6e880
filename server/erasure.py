"""Erasure and retention: a person's data taken out of every copy the system keeps.

The copies (docs/architecture.md, "Erasure"): the store's participant record (profile, consent,
contact details); the ``member.joined`` events of the forum's hall and rooms, which carry the
profile, in the store and in the shared log (Redis); the stored snapshots that embed members;
each process's replica of a loaded log and the screens it feeds; the old pages of the SQLite
file (its WAL) and Redis's append-only file.

``erase`` deletes the record first (the token stops working at once), then rewrites every log
of the forum (``rooms.erasure`` says how a profile is redacted) with a new epoch, reloads the
replicas and sends every screen a fresh snapshot, then scrubs the files. Each step can be run
again: a second erasure finds the record gone and the logs redacted, and changes nothing.
``purge_expired`` is the retention: the same redaction for every participant of each forum
created more than the retention period ago.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from rooms.erasure import Kept, kept_groups, profiles, rewrites

from .bus.base import Bus
from .hosts import RoomHosts
from .ids import new_id
from .protocol import Close
from .room_host import wall_clock
from .store.base import ForumRecord, RoomRecord, Store, StoredEvent

log = logging.getLogger("hackrooms.erasure")

DAY_MS = 86_400_000


class Eraser:
    """Erases people from the store, the shared log and this process's replicas."""

    def __init__(self, store: Store, bus: Bus, hosts: RoomHosts | None = None) -> None:
        self._store, self._bus, self._hosts = store, bus, hosts

    async def erase(self, participant_id: str, forum_id: str) -> None:
        """Erase one participant's personal data everywhere (idempotent)."""
        await self._store.erase_participant(participant_id, wall_clock())
        self._disconnect({participant_id})
        await self._redact(forum_id, {participant_id})
        log.info("participant %s of forum %s: personal data erased", participant_id, forum_id)

    async def purge(self, forum: ForumRecord) -> int:
        """Erase every participant of a forum; how many records were deleted."""
        people = {p.id for p in await self._store.list_participants(forum.id)}
        # Logs first, records last: a purge cut short is found again by the next one.
        await self._redact(forum.id, people)
        at = wall_clock()
        erased = sum([await self._store.erase_participant(p, at) for p in sorted(people)])
        self._disconnect(people)
        log.info("forum %s: retention purge erased %d participants", forum.id, erased)
        return erased

    async def purge_expired(self, days: int, now: int | None = None) -> int:
        """Purge the forums created more than ``days`` ago (0: keep forever); people erased."""
        if days <= 0:
            return 0
        before = (wall_clock() if now is None else now) - days * DAY_MS
        return sum([await self.purge(forum)
                    for forum in await self._store.forums_to_purge(before)])

    # The logs --------------------------------------------------------------------------------

    async def _redact(self, forum_id: str, erased: set[str]) -> None:
        """Rewrite the profile events of ``erased`` in every log of the forum, then scrub."""
        if not erased:
            return
        logs = await self._logs(forum_id)
        seen = [(e.name, e.data) for record in logs
                for e in await self._store.read_events(record.id)]
        kept = kept_groups(erased, profiles(seen))
        for record in logs:
            host = self._hosts.peek(record.id) if self._hosts is not None else None
            job = _Rewrite(self._store, self._bus, record, kept)
            if host is not None:
                await host.rewrite(job)
            else:
                await job()
        await self._store.scrub()
        await self._bus.scrub()

    async def _logs(self, forum_id: str) -> list[RoomRecord]:
        hall = await self._store.get_hall(forum_id)
        rooms = await self._store.list_rooms(forum_id)
        return [hall, *rooms] if hall is not None else rooms

    def _disconnect(self, erased: set[str]) -> None:
        """Close the erased people's connections to this process (others close on reload)."""
        if self._hosts is None:
            return
        for host in self._hosts.loaded():
            for conn in list(host.connections):
                if conn.member in erased:
                    conn.close(Close.UNAUTHORIZED, "erased")


class _Rewrite:
    """One log's rewrite: the store (with a new epoch) when it changes, and the shared log."""

    def __init__(self, store: Store, bus: Bus, record: RoomRecord,
                 kept: dict[str, Kept]) -> None:
        self._store, self._bus, self._record, self._kept = store, bus, record, kept

    async def __call__(self) -> RoomRecord | None:
        """The log's new record, or None when the store had nothing left to redact."""
        record = await self._store.get_room(self._record.id) or self._record
        events = await self._store.read_events(record.id)
        new = rewrites(((e.seq, e.name, e.data) for e in events), self._kept)
        if not new:
            return None
        changed = [replace(e, data=new[e.seq]) for e in events if e.seq in new]
        fresh = [e for e in changed if e.data != _data_at(events, e.seq)]
        out = None
        if fresh:
            out = replace(record, epoch=new_id("e"))
            await self._store.rewrite_log(record.id, fresh, out.epoch)
        else:
            # Redacted already: still drop the snapshot, which a process that had not reloaded
            # yet may have saved from its old replica (docs/architecture.md, "Erasure").
            await self._store.rewrite_log(record.id, [], record.epoch)
        # Always, even when the store was redacted already: an erasure cut short between the
        # two leaves the shared log for this run to finish. Its notice reloads the others.
        await self._bus.rewrite(record.id, changed)
        return out


def _data_at(events: list[StoredEvent], seq: int) -> object:
    """The data of the event with this seq (a log is read whole from seq 1, without gaps)."""
    found = events[seq - 1] if 0 < seq <= len(events) else None
    if found is not None and found.seq == seq:
        return found.data
    return next((e.data for e in events if e.seq == seq), None)
