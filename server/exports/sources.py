"""What an export reads of a forum: its record, its hall, its rooms and its people's records.

Two ways to load it: from the logs this server process hosts (``live``), or by replaying the
logs in the store (``stored``, for ``hackrooms export``, which runs beside or without a
server). Both give the same states, since a state is the replay of its log.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rooms.events import Event
from rooms.hall.state import HallState
from rooms.kinds import kind_named
from rooms.profiles import Vocabulary
from rooms.state import RoomState

from ..hosts import RoomHosts
from ..store.base import ForumRecord, RoomRecord, Store, StoredEvent


@dataclass(frozen=True, slots=True)
class Sources:
    """A forum as its logs and records have it now, ready to be collected."""

    forum: ForumRecord
    hall: HallState
    rooms: tuple[tuple[RoomRecord, RoomState], ...]
    vocabulary: Vocabulary
    now: int  # when the export is made, server ms


class NoForum(Exception):
    """The forum does not exist, or has no hall (made before halls)."""


async def live(store: Store, hosts: RoomHosts, forum_id: str, vocabulary: Vocabulary,
               now: int) -> Sources:
    """The forum as the hosts of this process serve it (loaded on first use)."""
    forum = await store.get_forum(forum_id)
    hall = await hosts.hall_of(forum_id) if forum is not None else None
    if forum is None or hall is None:
        raise NoForum(forum_id)
    rooms = []
    for record in await store.list_rooms(forum_id):
        rooms.append((record, (await hosts.get(record)).state))
    return Sources(forum, hall.state, tuple(rooms), vocabulary, now)


async def stored(store: Store, forum_id: str, vocabulary: Vocabulary, now: int) -> Sources:
    """The forum replayed from the store: its newest snapshots and the events after them."""
    forum = await store.get_forum(forum_id)
    hall_record = await store.get_hall(forum_id) if forum is not None else None
    if forum is None or hall_record is None:
        raise NoForum(forum_id)
    hall: HallState = await _replay(store, hall_record)
    rooms = []
    for record in await store.list_rooms(forum_id):
        rooms.append((record, await _replay(store, record)))
    return Sources(forum, hall, tuple(rooms), vocabulary, now)


async def _replay(store: Store, record: RoomRecord) -> Any:
    kind = kind_named(record.kind)
    snapshot = await store.load_snapshot(record.id) if kind.decode is not None else None
    base = kind.decode(snapshot.state) if snapshot and kind.decode is not None else None
    events = await store.read_events(record.id, base.seq if base else 0)
    return kind.replay([_event(e) for e in events], base or kind.initial(record.id))


def _event(s: StoredEvent) -> Event:
    return Event(s.seq, s.at, s.name, s.actor, s.data)
