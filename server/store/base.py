"""The store interface: the durable record of forums, participants and room logs.

The SQLite adapter (``server.store.sqlite``) is the embedded default; the PostgreSQL adapter
(``server.store.postgres``) serves deployments that span machines (docs/scaling.md).
``server.store.open_store`` picks one from ``HACKROOMS_DATABASE``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any


class SeqConflictError(Exception):
    """Two different events claim one seq of a room's log."""


@dataclass(frozen=True, slots=True)
class ForumRecord:
    """A forum (what users call "the event"): a topic with rooms and a join code."""

    id: str
    title: str
    topic: str
    join_code: str
    created_at: int  # server time, ms since the Unix epoch


@dataclass(frozen=True, slots=True)
class RoomRecord:
    """A log of a forum: a hackathon room, or the forum's hall; its state is its replay."""

    id: str
    forum_id: str
    epoch: str  # names the incarnation of the log; a new log gets a new epoch
    title: str
    position: int  # order of the room within its forum (the hall: 0)
    kind: str = "room"  # "room" or "hall" (rooms.kinds)


@dataclass(frozen=True, slots=True)
class ParticipantRecord:
    """A person who joined a forum with a join code; minimal personal data only."""

    id: str
    forum_id: str
    name: str
    organization: str
    sector: str
    country: str
    attendance: str  # "onsite" or "remote"
    created_at: int
    consent: dict[str, bool] = field(default_factory=dict)
    about: str = ""  # "what I work on", one line; it is in the logs too (the member profile)
    # Contact details: each stored only when its own consent was given at join (None: not
    # given or not consented). They never enter a log: only the HTTP answers to the person's
    # own connections carry them (server/networking_api.py).
    email: str | None = None
    phone: str | None = None
    link: str | None = None

    @property
    def contact(self) -> dict[str, str]:
        """The contact details this person agreed to share with their connections."""
        shared = {"email": self.email, "phone": self.phone, "link": self.link}
        return {k: v for k, v in shared.items() if v is not None and self.consent.get(k)}


@dataclass(frozen=True, slots=True)
class TemplateRecord:
    """A forum's format kept to run it again (server/templates.py); no personal data."""

    id: str
    name: str
    created_at: int
    # title, topic, label, sessions (the ``POST /api/forums`` fields) and vocabulary: JSON
    format: dict[str, Any]
    builtin: bool = False  # shipped with the server, never stored


@dataclass(frozen=True, slots=True)
class StoredEvent:
    """One committed entry of a room's log, with the operation key that produced it."""

    room_id: str
    seq: int
    at: int
    name: str
    actor: str
    data: dict[str, Any]
    op_key: str | None = None  # "<actor id>:<client op id>", None for system events


@dataclass(frozen=True, slots=True)
class Snapshot:
    """A room's state serialized at ``seq``; loading starts here and replays what follows."""

    room_id: str
    seq: int
    state: dict[str, Any]


@dataclass(frozen=True, slots=True)
class DueTime:
    """When a log's rules want a command sent with no one asking: a timer's or a round's end.

    The due-time index holds one per log at most (``Kind.due`` of its state), so a log that
    is not loaded anywhere still gets its ``command`` on time (server/due.py).
    """

    room_id: str
    at: int  # server time, ms since the Unix epoch
    command: str  # the command to send as the system, with no arguments (``timer.expire``)


class Store(ABC):
    """Durable storage. All writes of one process go through one writer, in batches."""

    # Write transactions committed so far: fewer than the writes when group commit works.
    commits: int = 0

    @abstractmethod
    async def open(self) -> None:
        """Open connections, create the schema when missing, start the writer."""

    @abstractmethod
    async def close(self) -> None:
        """Flush pending writes, stop the writer, close connections."""

    # Forums, rooms, participants -------------------------------------------------------------

    @abstractmethod
    async def create_forum(self, forum: ForumRecord, rooms: list[RoomRecord]) -> None:
        """Insert a forum and its rooms in one transaction; raises ValueError on a taken code."""

    @abstractmethod
    async def get_forum(self, forum_id: str) -> ForumRecord | None: ...

    @abstractmethod
    async def get_forum_by_code(self, join_code: str) -> ForumRecord | None:
        """Find a forum by its join code (case-insensitive)."""

    @abstractmethod
    async def list_rooms(self, forum_id: str) -> list[RoomRecord]:
        """The hackathon rooms of a forum (not its hall), ordered by position."""

    @abstractmethod
    async def get_room(self, room_id: str) -> RoomRecord | None:
        """A log's record by id, of either kind."""

    @abstractmethod
    async def get_hall(self, forum_id: str) -> RoomRecord | None:
        """The record of a forum's hall (None for a forum made before halls existed)."""

    @abstractmethod
    async def add_rooms(self, rooms: list[RoomRecord]) -> None:
        """Insert the records of rooms a hall declared; a record that exists is kept as is.

        Two processes may create the same declared room at once: the first record wins, and
        each reads it back with ``get_room``.
        """

    @abstractmethod
    async def add_participant(self, participant: ParticipantRecord) -> None: ...

    @abstractmethod
    async def get_participant(self, participant_id: str) -> ParticipantRecord | None: ...

    # Erasure and retention (server/erasure.py, docs/architecture.md "Erasure") ---------------

    @abstractmethod
    async def list_participants(self, forum_id: str) -> list[ParticipantRecord]:
        """The stored (not erased) participants of a forum, oldest first."""

    @abstractmethod
    async def forums_to_purge(self, created_before: int) -> list[ForumRecord]:
        """Forums created before this time (ms) that still hold a participant's record."""

    @abstractmethod
    async def rewrite_log(self, room_id: str, events: list[StoredEvent], epoch: str) -> None:
        """Replace the stored content of these events of one log, in one transaction.

        Each event replaces the stored event of its seq (the seq, time, actor and op key stay);
        the log's record gets ``epoch`` (a rewritten log is a new incarnation, so clients that
        resume take a snapshot) and its stored snapshot is dropped (it embedded the old data).
        """

    @abstractmethod
    async def erase_participant(self, participant_id: str, erased_at: int) -> bool:
        """Delete a participant's record (profile, consent, contact details); keep a tombstone.

        The tombstone holds the ids and the time only, so a token of the person is answered
        "erased". False when there was no record (erased already, or never there).
        """

    @abstractmethod
    async def erased_at(self, participant_id: str) -> int | None:
        """When the participant's record was erased, None if it never was."""

    @abstractmethod
    async def scrub(self) -> None:
        """Leave no copy of deleted data in the store's files (for SQLite: checkpoint the WAL).

        Called after an erasure. An adapter whose server keeps no such copy does nothing.
        """

    @abstractmethod
    async def update_profile(self, participant: ParticipantRecord) -> None:
        """Replace the profile others may see (name, organization, sector, country,
        attendance, about) of a participant; contact details and consents stay as they are."""

    # Templates -------------------------------------------------------------------------------

    @abstractmethod
    async def save_template(self, template: TemplateRecord) -> None:
        """Insert a saved template; raises ValueError on a taken id."""

    @abstractmethod
    async def list_templates(self) -> list[TemplateRecord]:
        """Every saved template, oldest first."""

    @abstractmethod
    async def get_template(self, template_id: str) -> TemplateRecord | None: ...

    # Room logs -------------------------------------------------------------------------------

    @abstractmethod
    async def append(self, events: list[StoredEvent]) -> None:
        """Commit events durably; returns only once they are committed (group commit).

        Appending an event whose ``(room_id, seq)`` is already stored with the same content is a
        no-op, so a replica that re-stores an event it learned elsewhere does no harm. With
        different content it raises ``SeqConflictError`` and none of ``events`` is stored.
        """

    @abstractmethod
    async def read_events(
        self, room_id: str, after_seq: int = 0, limit: int | None = None
    ) -> list[StoredEvent]:
        """Events of a room with ``seq > after_seq`` in order, at most ``limit`` of them."""

    @abstractmethod
    async def last_seq(self, room_id: str) -> int:
        """The highest committed seq of a room, 0 for an empty log."""

    @abstractmethod
    async def save_snapshot(self, snapshot: Snapshot) -> None:
        """Keep the newest snapshot of a room (older ones may be dropped)."""

    @abstractmethod
    async def load_snapshot(self, room_id: str) -> Snapshot | None: ...

    # The due-time index (server/due.py, docs/architecture.md "Unloading and the due index") --

    @abstractmethod
    async def set_due(self, due: DueTime) -> None:
        """Record a log's next due command, replacing the one it had; the new one is unclaimed.

        Called by every process whose replica sees the log's due time change, so writing the
        same value twice must be harmless (an upsert on ``room_id``).
        """

    @abstractmethod
    async def clear_due(self, room_id: str) -> None:
        """The log has nothing due any more (its timer expired or stopped); no-op when none."""

    @abstractmethod
    async def next_due(self, now: int, limit: int) -> list[DueTime]:
        """The earliest due commands, soonest first, at most ``limit``, leaving out those
        another scheduler claimed until after ``now`` (``claim_due``)."""

    @abstractmethod
    async def claim_due(self, due: DueTime, now: int, until: int) -> bool:
        """Take a due command for one scheduler until ``until`` (ms); True if we got it.

        Atomic across processes: it succeeds only when the row still has this ``at`` and
        ``command`` and no other claim runs past ``now``. A claim that is not followed up (its
        process died) lapses at ``until`` and another scheduler takes it: at least once.
        """

    @abstractmethod
    async def setting(self, key: str) -> str | None:
        """A server-wide stored setting (for example the generated token secret)."""

    @abstractmethod
    async def set_setting_if_missing(self, key: str, value: str) -> str:
        """Store ``value`` unless the key exists; return the value in force."""
