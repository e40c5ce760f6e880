"""A live room in this process: its replica of the state, its connections, its commit path.

Commands of a room go through one queue and one writer task, in the order they arrive. The
writer takes what has queued up together as a batch: when this process holds the room's lease
(server/lease.py) it decides each command in order against the state its predecessors left,
appends all their events to the shared log (the bus) in one call, commits them to the store in
one group commit, and only then applies, fans out and acknowledges them: acknowledged means
durable. When another process holds the lease, the writer forwards the batch to it
(server/forwarding.py) and answers with the outcomes that come back. The outcome of every
operation id is kept, so a retried command returns its first outcome and changes nothing.

With a shared bus (Redis) other processes hold replicas of the same room. Everything that
changes the replica (our own commits, events heard on the bus, catch-ups) runs under the same
lock, strictly in seq order, and an event is applied only once it is in the store, so what a
client sees is durable and gap-free whichever process it is on (see docs/scaling.md).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import time
from collections import OrderedDict, deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from rooms.actors import SYSTEM, Actor
from rooms.audience import Audience
from rooms.errors import Rejection
from rooms.events import Event
from rooms.gate import Command
from rooms.kinds import kind_named
from rooms.presence import Presence, counts, presence_of, roster_change, roster_view
from rooms.state import Member

from .bus.base import Bus, BusUnavailable, LeaseLost, LogConflict
from .config import Settings
from .connection import Connection
from .forwarding import MOVED, Forwarder, Outcome
from .lease import RoomLease
from .presence import RoomPresence
from .protocol import Close, ProtocolError, ServerType, encode, error
from .store.base import DueTime, RoomRecord, Snapshot, Store, StoredEvent
from .wire import Message

log = logging.getLogger("hackrooms.room")

Clock = Callable[[], int]
Step = tuple[Event, Any, str | None]  # an event, the state after it, its op key
MAX_OUTCOMES = 20_000  # per room: far more than the retries in flight at any time
MAX_ATTEMPTS = 8  # appends lost to a log that moved on (only while a lease changes hands)
RESTORE_BATCH = 500  # events per append when the shared log is refilled from the store
REPLAY_FRAME = 100  # events per frame when a resuming client is sent what it missed
COMMAND_MARGIN_S = 1.0  # with a shared bus: a command is answered within the Redis timeout + this


def wall_clock() -> int:
    """Server time in ms since the Unix epoch."""
    return time.time_ns() // 1_000_000


class Unavailable(Exception):
    """The log or the store could not commit; nothing was applied, the client may retry."""


@dataclass(slots=True)
class _Pending:
    """A command waiting for the writer, with the future its submitter awaits."""

    command: Command
    actor: Actor
    key: str | None
    future: asyncio.Future[Outcome]
    deadline: float  # loop time after which it is answered `unavailable` if not yet decided
    forwarded: bool  # sent by another process: answered `moved` rather than sent on again


class RoomHost:
    """One log, live: state, recent events for resuming clients, connections, outcomes.

    A hackathon room and a forum's hall are hosted alike; what differs is the log's kind
    (``rooms.kind``), named by its record.
    """

    def __init__(self, record: RoomRecord, store: Store, bus: Bus, settings: Settings,
                 clock: Clock = wall_clock, forwarder: Forwarder | None = None) -> None:
        self.record = record
        self.id = record.id
        self.epoch = record.epoch
        self.kind = kind_named(record.kind)
        self.state: Any = self.kind.initial(record.id)
        self.connections: set[Connection] = set()
        self._store, self._bus, self._settings, self._clock = store, bus, settings, clock
        self._forwarder = forwarder
        self._recent: deque[Event] = deque(maxlen=settings.resume_window)
        self._outcomes: OrderedDict[str, dict[str, Any]] = OrderedDict()
        self._lock = asyncio.Lock()
        self._presence = RoomPresence(record.id, bus, settings.presence_ttl_ms,
                                      self._send_presence, self._spawn)
        self._lease = RoomLease(record.id, bus, settings.lease_ms)
        self._written_fence: int | None = None  # the fence our replica was last caught up under
        self._inbox: deque[_Pending] = deque()
        self._wake = asyncio.Event()
        self._writer: asyncio.Task[None] | None = None
        self._deadline_s = (settings.redis_timeout_ms / 1000 + COMMAND_MARGIN_S
                            if bus.shared else None)
        self._shown = Presence()  # the presence last sent to the room
        self._newcomers: set[Connection] = set()  # to get the whole presence with the next one
        self._snapshots: dict[Audience, tuple[int, str]] = {}  # encoded state, with its seq
        # Each member's encoded view, for facilitators (True) and the others (False).
        self._member_texts: dict[bool, dict[str, tuple[Member, str]]] = {True: {}, False: {}}
        self._expiry: asyncio.TimerHandle | None = None
        self._due_written: tuple[int, str] | None = None  # our last write to the due index
        self._writing = False  # the writer is deciding, committing or forwarding a batch
        self._idle_since = asyncio.get_running_loop().time()  # loop time, while unattended
        self._failed_sweeps = 0  # sweeps in a row that could not reach the shared log
        self._snapshot_seq = 0
        self._tasks: set[asyncio.Task[Any]] = set()
        # Told about the events this process's writer committed (a hall makes its rooms).
        self.on_committed: Callable[[RoomHost, list[Event]], None] | None = None

    # Loading ---------------------------------------------------------------------------------

    async def load(self) -> None:
        """Rebuild the state from the newest snapshot and the log after it."""
        decode = self.kind.decode
        snap = await self._store.load_snapshot(self.id) if decode is not None else None
        base = decode(snap.state) if snap and decode is not None else None
        stored = await self._store.read_events(self.id, base.seq if base else 0)
        self.state = self.kind.replay([_event(s) for s in stored],
                                      base or self.kind.initial(self.id))
        self._snapshot_seq = base.seq if base else 0
        # The outcomes of the last MAX_OUTCOMES ops survive a restart (their keys are stored with
        # the events); the resume deque keeps only its own window of them.
        for s in await self._store.read_events(self.id, max(0, self.state.seq - MAX_OUTCOMES)):
            self._recent.append(_event(s))
            if s.op_key:
                self._outcomes[s.op_key] = _ack_body(s.op_key, s.seq)
        # Subscribe first, then read: an event appended in between is in the read or heard.
        await self._bus.subscribe(self.id, self._on_bus_events)
        try:
            async with self._lock:
                await self._catch_up()
        except (BusUnavailable, OSError) as failure:
            await self._bus.unsubscribe(self.id, self._on_bus_events)
            raise Unavailable(f"room {self.id}: the shared log is unreachable") from failure
        self._writer = asyncio.create_task(self._run_writer(), name=f"writer-{self.id}")
        self._schedule_expiry()

    async def sync(self) -> None:
        """Catch up with the shared log, so a client coming from another process is not ahead."""
        if not self._bus.shared:
            return
        try:
            async with self._lock:
                await self._catch_up()
        except (BusUnavailable, OSError) as failure:
            raise Unavailable(f"room {self.id}: the shared log is unreachable") from failure

    async def close(self) -> None:
        if self._expiry is not None:
            self._expiry.cancel()
        if self._writer is not None:
            self._writer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._writer
        for pending in self._inbox:
            _settle(pending, error(ProtocolError.UNAVAILABLE.value,
                                   "the server is stopping; retry", _op_of(pending.key)))
        self._inbox.clear()
        with contextlib.suppress(BusUnavailable, OSError):
            await self._lease.release()
        await self._bus.unsubscribe(self.id, self._on_bus_events)
        for task in list(self._tasks):
            with contextlib.suppress(Exception):
                await task
        if self.state.seq > self._snapshot_seq and self.kind.encode is not None:
            await self._store.save_snapshot(Snapshot(self.id, self.state.seq,
                                                     self.kind.encode(self.state)))

    # Commands --------------------------------------------------------------------------------

    async def submit(self, name: str, args: dict[str, Any], actor: Actor,
                     op: str | None) -> dict[str, Any]:
        """Decide, commit and apply a command; the ack or error message for its client.

        Commands are queued in the order their ``submit`` starts, before its first await.
        """
        key = f"{actor.id}:{op}" if op is not None else None
        if key is not None and key in self._outcomes:
            return self._outcomes[key]
        future = self.enqueue(Command(name, args), actor, key)
        if self._deadline_s is None:
            return await future
        try:
            return await asyncio.wait_for(asyncio.shield(future), self._deadline_s + 0.1)
        except TimeoutError:
            # The writer is stuck on the shared log (a frozen Redis); it will answer this one
            # `unavailable` too, or, if its append did land, remember the ack for the retry.
            return error(ProtocolError.UNAVAILABLE.value,
                         "the server could not save this in time; it is safe to retry", op)

    def enqueue(self, command: Command, actor: Actor, key: str | None,
                forwarded: bool = False) -> asyncio.Future[Outcome]:
        """Queue a command for the writer; its future gives the outcome."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Outcome] = loop.create_future()
        deadline = loop.time() + (self._deadline_s or float("inf"))
        self._inbox.append(_Pending(command, actor, key, future, deadline, forwarded))
        self._idle_since = loop.time()
        self._wake.set()
        return future

    async def _run_writer(self) -> None:
        """Take what has queued up, as one batch at a time, in order, for ever."""
        while True:
            await self._wake.wait()
            self._wake.clear()
            while batch := self._next_batch():
                self._writing = True
                try:
                    await self._dispatch(batch)
                except Exception:
                    log.exception("room %s: the writer failed on a batch", self.id)
                    for pending in batch:
                        _settle(pending, error(ProtocolError.INTERNAL.value,
                                               "the server failed on this command",
                                               _op_of(pending.key)))
                finally:
                    self._writing = False
                    self._idle_since = asyncio.get_running_loop().time()

    def _next_batch(self) -> list[_Pending]:
        batch: list[_Pending] = []
        while self._inbox and len(batch) < self._settings.commit_batch:
            batch.append(self._inbox.popleft())
        return self._live(batch)

    def _live(self, batch: list[_Pending]) -> list[_Pending]:
        """The commands still waiting for an answer; those past their deadline get one now."""
        now = asyncio.get_running_loop().time()
        live = []
        for pending in batch:
            if pending.future.done():
                continue
            if now >= pending.deadline:
                _settle(pending, error(ProtocolError.UNAVAILABLE.value,
                                       "the room's writer could not be reached in time; "
                                       "it is safe to retry", _op_of(pending.key)))
                continue
            live.append(pending)
        return live

    async def _dispatch(self, batch: list[_Pending]) -> None:
        """Write the batch here if we hold the lease, else forward it to the process that does."""
        while batch:
            try:
                claim = await self._lease.resolve()
            except (BusUnavailable, OSError) as failure:
                log.warning("room %s: the lease cannot be read: %s", self.id, failure)
                self._fail(batch, "the server could not reach the shared log; it is safe to retry")
                return
            if claim.mine:
                batch = await self._write(batch, claim.fence)
            else:
                for pending in batch:
                    if pending.forwarded:  # its sender asks the bus who writes now
                        _settle(pending, {"type": MOVED})
                batch = await self._forward([p for p in batch if not p.forwarded], claim.holder)
            batch = self._live(batch)

    def _fail(self, batch: list[_Pending], message: str) -> None:
        for pending in batch:
            _settle(pending, error(ProtocolError.UNAVAILABLE.value, message, _op_of(pending.key)))

    # Writing: decide a batch in order, one append, one commit ---------------------------------

    async def _write(self, batch: list[_Pending], fence: int) -> list[_Pending]:
        """Decide and commit a batch as the room's writer; what must go elsewhere is returned."""
        async with self._lock:
            try:
                if fence != self._written_fence:
                    await self._catch_up()  # a new lease: the last writer may have gone further
                    self._written_fence = fence
                for _ in range(MAX_ATTEMPTS):
                    steps, outcomes = self._decide(batch)
                    try:
                        await self._commit(steps, fence)
                    except LogConflict as conflict:
                        await self._resolve(conflict, fence)
                        continue
                    self._publish(steps)
                    for pending, outcome in zip(batch, outcomes, strict=True):
                        self._answer(pending, outcome)
                    if steps and self.on_committed is not None:
                        self.on_committed(self, [event for event, _state, _key in steps])
                    return []
            except LeaseLost:
                log.info("room %s: the lease moved to another process; forwarding", self.id)
                self._lease.forget()
                self._written_fence = None
                return batch
            except (BusUnavailable, Unavailable, OSError) as failure:
                log.warning("room %s: commit failed: %s", self.id, failure)
                self._fail(batch, "the server could not save this; it is safe to retry")
                return []
        log.error("room %s: the log kept moving under the writer", self.id)
        self._fail(batch, "the room is too busy; retry")
        return []

    def _decide(self, batch: list[_Pending]) -> tuple[list[Step], list[Outcome]]:
        """Each command decided on the state its predecessors in the batch left."""
        state, now = self.state, self._clock()
        steps: list[Step] = []
        outcomes: list[Outcome] = []
        first: dict[str, int] = {}  # op key -> index of its first command in this batch
        for pending in batch:
            key = pending.key
            if key is not None and key in self._outcomes:
                outcomes.append(self._outcomes[key])
                continue
            if key is not None and key in first:
                outcomes.append(outcomes[first[key]])  # the same op twice: one outcome
                continue
            if key is not None:
                first[key] = len(outcomes)
            result = self.kind.decide(state, pending.command, pending.actor, now)
            if isinstance(result, Rejection):
                outcomes.append(error(result.code.value, result.message, _op_of(key)))
                continue
            for event in result:
                state = self.kind.apply(state, event)
                steps.append((event, state, key))
            outcomes.append(_ack_body(key, result[-1].seq))
        return steps, outcomes

    async def _commit(self, steps: list[Step], fence: int) -> None:
        if not steps:
            return
        stored = [StoredEvent(self.id, e.seq, e.at, e.name, e.actor, e.data, key)
                  for e, _state, key in steps]
        # If the store fails after this append, the events are in the shared log but not
        # applied here: the echo or the sweep stores and applies them, with their op key, so
        # the client's retry finds this outcome instead of deciding twice.
        await self._bus.append(self.id, self.state.seq, stored, fence)
        try:
            await self._store.append(stored)
        except Exception as failure:
            raise Unavailable(str(failure)) from failure

    def _answer(self, pending: _Pending, outcome: Outcome) -> None:
        if pending.key is not None and outcome.get("code") != ProtocolError.UNAVAILABLE:
            self._remember(pending.key, outcome)
        _settle(pending, outcome)

    def _remember(self, key: str, outcome: dict[str, Any]) -> None:
        self._outcomes[key] = outcome
        while len(self._outcomes) > MAX_OUTCOMES:
            self._outcomes.popitem(last=False)

    async def _resolve(self, conflict: LogConflict, fence: int) -> None:
        """Our append lost: refill the shared log if it lost entries, then catch up."""
        if conflict.head is not None and conflict.head < self.state.seq:
            await self._restore(conflict.head, fence)
        await self._catch_up(conflict.head)

    async def _restore(self, head: int, fence: int) -> None:
        """The shared log ends before our replica: Redis lost entries the store has. Refill it."""
        log.warning("room %s: the shared log ends at seq %d, the store goes further; "
                    "refilling it from the store", self.id, head)
        while batch := await self._store.read_events(self.id, head, RESTORE_BATCH):
            await self._bus.append(self.id, head, batch, fence)
            head = batch[-1].seq

    # Forwarding: the batch goes to the writer of the room -------------------------------------

    async def _forward(self, batch: list[_Pending], holder: str) -> list[_Pending]:
        """Send the batch to the lease holder; what was not answered is returned."""
        if self._forwarder is None:
            raise RuntimeError("a shared bus needs a forwarder")
        wire = [{"name": p.command.name, "args": dict(p.command.args), "actor": p.actor.id,
                 "role": p.actor.role.value, "key": p.key} for p in batch]
        outcomes = await self._forwarder.call(holder, self.id, wire)
        if outcomes is None or len(outcomes) != len(batch):
            self._lease.forget()  # no answer: the holder may be gone; ask the bus again
            return batch
        again = []
        for pending, outcome in zip(batch, outcomes, strict=True):
            if outcome.get("type") == MOVED:
                again.append(pending)
                continue
            if outcome.get("type") == ServerType.ACK.value:
                await self._reach(int(outcome["seq"]))
            self._answer(pending, outcome)
        if again:
            self._lease.forget()
        return again

    async def _reach(self, seq: int) -> None:
        """Have our replica (and so our clients) at ``seq`` before the ack goes out."""
        if self.state.seq >= seq:
            return
        async with self._lock:
            await self._catch_up()

    # Events ----------------------------------------------------------------------------------

    def _on_bus_events(self, entries: list[StoredEvent]) -> None:
        """Events heard on the bus (ours echoed, or another process's): take the new ones."""
        if entries and entries[-1].seq > self.state.seq:
            self._spawn(self._ingest(entries))

    async def _ingest(self, entries: list[StoredEvent]) -> None:
        try:
            async with self._lock:
                fresh = [e for e in entries if e.seq > self.state.seq]
                if not fresh:
                    return
                if fresh[0].seq != self.state.seq + 1:
                    await self._catch_up()  # a gap: we missed a message; read the log
                    return
                await self._take(fresh)
        except Exception as failure:  # the next sweep tries again
            log.warning("room %s: could not take events from the bus: %s", self.id, failure)

    async def _catch_up(self, head: int | None = None) -> None:
        """Take what the shared log has after our seq; what it no longer holds, from the store.

        Call with the lock held.
        """
        missed = await self._bus.read(self.id, self.state.seq)
        behind = missed[0].seq - 1 if missed else (head or 0)
        if behind > self.state.seq:  # trimmed from the stream, or lost by Redis
            await self._take(await self._store.read_events(self.id, self.state.seq),
                             stored=True)
        fresh = [e for e in missed if e.seq > self.state.seq]
        if fresh and fresh[0].seq != self.state.seq + 1:
            # Neither the stream nor the store has the events in between: never store a gap.
            log.error("room %s: seqs %d to %d are in no log; not applying past them",
                      self.id, self.state.seq + 1, fresh[0].seq - 1)
            return
        await self._take(fresh)

    async def _take(self, entries: list[StoredEvent], stored: bool = False) -> None:
        """Store (unless already stored), then apply and fan out, events that follow our seq."""
        if not entries:
            return
        if not stored:
            # Idempotent: the process that appended them may have stored them already.
            await self._store.append(entries)
        self._receive([_event(e) for e in entries])
        for entry in entries:
            if entry.op_key is not None and entry.seq <= self.state.seq:
                self._remember(entry.op_key, _ack_body(entry.op_key, entry.seq))

    def _receive(self, events: list[Event]) -> None:
        """Apply committed events in order, then send them to every connection."""
        state, steps = self.state, list[Step]()
        for event in events:
            if event.seq != state.seq + 1:
                continue  # already applied (an echo), or a gap that a catch-up will fill
            state = self.kind.apply(state, event)
            steps.append((event, state, None))
        self._publish(steps)

    def _publish(self, steps: list[Step]) -> None:
        """Make committed, applied events live: the state, the resume window, every client."""
        if not steps:
            return
        self.state = steps[-1][1]
        self._recent.extend(event for event, _state, _key in steps)
        self._fan_out(steps)
        self._schedule_expiry()
        self._maybe_snapshot()

    def _fan_out(self, steps: list[Step]) -> None:
        """Send events committed together as one frame, encoded once per audience.

        A member who is the subject of one of the events (their own vote, say) gets a frame
        of their own, with that event as they may see it.
        """
        own_in = [self.kind.subjects(state, event) for event, state, _key in steps]
        mine = set().union(*own_in)
        encoded: dict[Audience, Message] = {}
        if not mine:
            # The common case (an idea, a move, a timer): one frame per audience. This loop
            # runs for every connection of the room, so it does as little as it can.
            for conn in self.connections:
                message = encoded.get(conn.audience)
                if message is None:
                    message = encoded[conn.audience] = Message(
                        self._encode_steps(steps, own_in, conn.audience, None))
                conn.send(message)
            return
        own: dict[str, Message] = {}
        for conn in self.connections:
            member = conn.member
            if member is not None and member in mine:
                if member not in own:
                    own[member] = Message(
                        self._encode_steps(steps, own_in, conn.audience, member))
                conn.send(own[member])
                continue
            if conn.audience not in encoded:
                encoded[conn.audience] = Message(
                    self._encode_steps(steps, own_in, conn.audience, None))
            conn.send(encoded[conn.audience])

    def _encode_steps(self, steps: list[Step], own_in: list[set[str]], audience: Audience,
                      member: str | None) -> str:
        views = [self._event_body(state, event, audience, member if member in own else None)
                 for (event, state, _key), own in zip(steps, own_in, strict=True)]
        return self._frame(views)

    def _frame(self, views: list[dict[str, Any]]) -> str:
        """One event as an `event` message, several as one `events` message."""
        if len(views) == 1:
            return encode({"type": ServerType.EVENT.value, "epoch": self.epoch, **views[0]})
        return encode({"type": ServerType.EVENTS.value, "epoch": self.epoch,
                       "seq": views[-1]["seq"], "events": views})

    def _event_body(self, state: Any, event: Event, audience: Audience,
                    viewer: str | None) -> dict[str, Any]:
        """An event as ``viewer`` sees it: its data and who it is shown as coming from."""
        return {"seq": event.seq, "at": event.at, "name": event.name,
                "actor": self.kind.actor_view(state, event, audience, viewer),
                "data": self.kind.event_view(state, event, audience, viewer)}

    def _maybe_snapshot(self) -> None:
        encode = self.kind.encode
        if encode is None or self.state.seq - self._snapshot_seq < self._settings.snapshot_every:
            return
        self._snapshot_seq = self.state.seq
        snap = Snapshot(self.id, self.state.seq, encode(self.state))
        self._spawn(self._store.save_snapshot(snap))

    # Timer expiry ----------------------------------------------------------------------------

    def _schedule_expiry(self) -> None:
        if self._expiry is not None:
            self._expiry.cancel()
            self._expiry = None
        due = self.kind.due(self.state)
        self._index_due(due)
        if due is None:
            return
        at, command = due
        delay = max(0.0, (at - self._clock()) / 1000)
        self._expiry = asyncio.get_running_loop().call_later(
            delay, lambda: self._spawn(self._expire(command)))

    def _index_due(self, due: tuple[int, str] | None) -> None:
        """Keep the store's due index in line, so the time is kept when we are unloaded."""
        if due == self._due_written:
            return
        self._due_written = due
        if due is None:
            self._spawn(self._store.clear_due(self.id))
        else:
            self._spawn(self._store.set_due(DueTime(self.id, *due)))

    async def reindex_due(self) -> None:
        """Write our due time to the index whatever we last wrote (it may be stale there)."""
        due = self.kind.due(self.state)
        self._due_written = due
        if due is None:
            await self._store.clear_due(self.id)
        else:
            await self._store.set_due(DueTime(self.id, *due))

    async def _expire(self, command: str) -> None:
        outcome = await self.submit(command, {}, SYSTEM, None)
        if outcome.get("code") == ProtocolError.UNAVAILABLE:
            self._schedule_retry()

    def _schedule_retry(self) -> None:
        asyncio.get_running_loop().call_later(1.0, self._schedule_expiry)

    # Connections -----------------------------------------------------------------------------

    def attach(self, conn: Connection, resume_epoch: str | None, resume_seq: int | None) -> None:
        """Bring a new connection up to date and add it to the room, with no await between."""
        now = self._clock()
        conn.send(encode({"type": ServerType.WELCOME.value, "room": self.id,
                          "kind": self.kind.name, "forum": self.record.forum_id,
                          "epoch": self.epoch,
                          "you": {"id": conn.actor.id, "role": conn.actor.role.value},
                          "now": now, "seq": self.state.seq,
                          "limits": {"max_message_bytes": self._settings.max_message_bytes}}))
        missed = self._missed(resume_epoch, resume_seq)
        if missed is None:
            head = encode({"type": ServerType.SNAPSHOT.value, "epoch": self.epoch,
                           "seq": self.state.seq, "now": now})
            conn.send(f'{head[:-1]},"state":{self._snapshot_state(conn)}}}')
        else:
            for i in range(0, len(missed), REPLAY_FRAME):
                conn.send(self._frame([self._event_body(self.state, e, conn.audience,
                                                        conn.member)
                                       for e in missed[i:i + REPLAY_FRAME]]))
        conn.send(encode({"type": ServerType.SYNCED.value, "epoch": self.epoch,
                          "seq": self.state.seq, "now": now}))
        self.connections.add(conn)
        self._newcomers.add(conn)
        self._presence.add(conn)  # which sends the presence soon

    def _snapshot_state(self, conn: Connection) -> str:
        """The encoded snapshot state for ``conn``: once per audience and seq, unless its own."""
        if conn.member is not None and not self.kind.shares_view(self.state, conn.member):
            return self._encode_snapshot(conn.audience, conn.member)
        cached = self._snapshots.get(conn.audience)
        if cached is None or cached[0] != self.state.seq:
            # Connections that attach at one seq (a wave of joins) share the encoding.
            cached = (self.state.seq, self._encode_snapshot(conn.audience, None))
            self._snapshots[conn.audience] = cached
        return cached[1]

    def _encode_snapshot(self, audience: Audience, viewer: str | None) -> str:
        body = encode(self.kind.snapshot(self.state, audience, viewer, False))
        return f'{body[:-1]},"members":{self._members_text(audience)}}}'

    def _members_text(self, audience: Audience) -> str:
        """The snapshot's member list, encoded: each member once, again only when it changed."""
        texts = self._member_texts[audience is Audience.FACILITATOR]
        parts = []
        for m in self.state.members.values():
            known = texts.get(m.id)
            if known is None or known[0] is not m:
                known = texts[m.id] = (m, encode(self.kind.member_view(m, audience)))
            parts.append(known[1])
        return f"[{','.join(parts)}]"

    def _missed(self, epoch: str | None, seq: int | None) -> list[Event] | None:
        """The events after ``seq`` when they can all be replayed, else None (send a snapshot)."""
        if epoch != self.epoch or seq is None or seq > self.state.seq:
            return None
        if seq == self.state.seq:
            return []
        if not self._recent or self._recent[0].seq > seq + 1:
            return None
        # attach() queues welcome, the replay and synced before the writer sends a byte: a
        # replay that does not fit the send queue closed the connection with 4429 at once, on
        # every reconnect. A client further behind than the queue allows gets a snapshot.
        frames = -(-(self.state.seq - seq) // REPLAY_FRAME)
        if frames + 2 > self._settings.send_queue:
            return None
        return [e for e in self._recent if e.seq > seq]

    def detach(self, conn: Connection) -> None:
        if conn in self.connections:
            self.connections.discard(conn)
            self._idle_since = asyncio.get_running_loop().time()
            self._newcomers.discard(conn)
            self._presence.remove(conn)

    def _send_presence(self) -> None:
        """Send what changed since the last presence, encoded once per audience."""
        # Counts go to everyone (when they changed), the roster's changes to facilitators;
        # connections new since the last one get the whole presence (with the roster).
        before, now = self._shown, self._current_presence()
        self._shown, fresh, self._newcomers = now, self._newcomers, set()
        change = roster_change(before, now)
        if change is None and not fresh:
            return
        whole = _Texts(now)
        changed: dict[Audience, Message] = {}
        if change is not None:
            changed[Audience.FACILITATOR] = _presence_text(change)
            if counts(now) != counts(before):
                changed[Audience.PARTICIPANT] = changed[Audience.OBSERVER] = whole.counts
        for conn in self.connections:
            if conn in fresh:
                conn.send(whole.roster if conn.audience is Audience.FACILITATOR
                          else whole.counts)
            elif conn.audience in changed:
                conn.send(changed[conn.audience])

    def _current_presence(self) -> Presence:
        online, facilitators, observers = self._presence.totals()
        return presence_of(self.state, online, facilitators, observers)

    def presence(self) -> dict[str, int]:
        """How many are connected to this room now, through this process and every other one."""
        return counts(self._current_presence())

    # Unloading (server/hosts.py) -------------------------------------------------------------

    def attended(self) -> bool:
        """Whether anyone uses this room through this process now: the sweep ticks only these.

        Connections, a command queued or being written (ours or forwarded to us), or a
        background job (a bus catch-up, a snapshot, an expiry being sent).
        """
        return bool(self.connections or self._inbox or self._writing or self._tasks
                    or self._lock.locked())

    def touch(self) -> None:
        """Someone is about to use the room: its idle time starts again."""
        self._idle_since = asyncio.get_running_loop().time()

    def idle_for(self) -> float:
        """Seconds since the room was last attended (0 while it is)."""
        if self.attended():
            return 0.0
        return asyncio.get_running_loop().time() - self._idle_since

    # The sweep (shared bus only) -------------------------------------------------------------

    async def tick(self) -> None:
        """Run by the sweep: renew our lease, catch up on lost messages, renew and read presence.

        When the shared log stays unreachable for two sweeps in a row, every connection is
        closed with 4503: a client must not sit on a replica that silently stopped following
        the room. It reconnects with backoff and resumes once Redis is back. One failed sweep
        is forgiven: a process that was paused (a long GC, a frozen VM) wakes with its
        in-flight calls timed out although Redis is fine.
        """
        try:
            if self._lease.renew_due() and not await self._lease.renew():
                log.info("room %s: our lease was taken over; forwarding from now on", self.id)
            async with self._lock:
                await self._catch_up()
            await self._presence.refresh()
            self._failed_sweeps = 0
        except (BusUnavailable, OSError) as failure:
            self._failed_sweeps += 1
            if self._failed_sweeps >= 2 and self.connections:
                log.warning("room %s: the shared log is unreachable (%s); closing %d "
                            "connections with 4503", self.id, failure, len(self.connections))
                self.close_all(Close.UNAVAILABLE,
                               "the shared log is unreachable; reconnect with backoff")
            return
        except Exception:
            log.exception("room %s: sweep failed", self.id)

    # Erasure: the log rewritten under the replica (server/erasure.py) ------------------------

    async def rewrite(self, job: Callable[[], Awaitable[RoomRecord | None]]) -> None:
        """Run a rewrite of this log with the replica held still, then reload from the store.

        ``job`` rewrites the store and the shared log and returns the new record (None: it
        changed nothing). Holding the lock keeps our writer from appending in between.
        """
        async with self._lock:
            record = await job()
            if record is not None:
                await self._reload(record)

    async def refresh(self) -> None:
        """Another process rewrote this log: reload if the store gives it a new epoch."""
        record = await self._store.get_room(self.id)
        if record is None or record.epoch == self.epoch:
            return
        async with self._lock:
            if record.epoch != self.epoch:
                await self._reload(record)

    async def _reload(self, record: RoomRecord) -> None:
        """Replace the replica with the rewritten log; every screen gets a fresh snapshot."""
        stored = await self._store.read_events(self.id)
        self.record, self.epoch = record, record.epoch
        self.state = self.kind.replay([_event(s) for s in stored], self.kind.initial(self.id))
        self._recent.clear()
        self._recent.extend(_event(s) for s in stored[-(self._recent.maxlen or 0):])
        self._snapshots.clear()
        self._member_texts = {True: {}, False: {}}
        self._snapshot_seq = 0  # the stored snapshot was dropped: the next one is due
        now = self._clock()
        for conn in list(self.connections):
            if conn.member is not None and await self._store.erased_at(conn.member) is not None:
                conn.close(Close.UNAUTHORIZED, "erased")
                continue
            head = encode({"type": ServerType.SNAPSHOT.value, "epoch": self.epoch,
                           "seq": self.state.seq, "now": now})
            conn.send(f'{head[:-1]},"state":{self._snapshot_state(conn)}}}')
            conn.send(encode({"type": ServerType.SYNCED.value, "epoch": self.epoch,
                              "seq": self.state.seq, "now": now}))
            self._newcomers.add(conn)  # a roster from the new state replaces the shown one
        self._send_presence()

    def close_all(self, code: Close, reason: str) -> None:
        for conn in list(self.connections):
            conn.close(code, reason)

    def _spawn(self, job: Any) -> None:
        task = asyncio.ensure_future(job)
        self._tasks.add(task)
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("room %s: background job failed", self.id, exc_info=task.exception())


def _settle(pending: _Pending, outcome: Outcome) -> None:
    if not pending.future.done():
        pending.future.set_result(outcome)


def _op_of(key: str | None) -> str | None:
    return key.split(":", 1)[1] if key else None


def _event(stored: StoredEvent) -> Event:
    return Event(stored.seq, stored.at, stored.name, stored.actor, stored.data)


def _presence_text(view: dict[str, Any]) -> Message:
    return Message(encode({"type": ServerType.PRESENCE.value, "presence": view}))


class _Texts:
    """The whole presence, encoded when first needed and then reused."""

    def __init__(self, presence: Presence) -> None:
        self._presence = presence

    @functools.cached_property
    def counts(self) -> Message:
        return _presence_text(counts(self._presence))

    @functools.cached_property
    def roster(self) -> Message:
        return _presence_text(roster_view(self._presence))


def _ack_body(key: str | None, seq: int) -> dict[str, Any]:
    return {"type": ServerType.ACK.value, "op": _op_of(key), "seq": seq}


async def ensure_member(host: RoomHost, profile: dict[str, str]) -> None:
    """Record a participant as a member of the room (again, when their profile changed)."""
    member = host.state.members.get(profile["id"])
    if member is not None and all(getattr(member, k) == v for k, v in profile.items()):
        return
    outcome = await host.submit("member.join", profile, SYSTEM, None)
    if outcome["type"] == ServerType.ERROR.value and outcome["code"] != "invalid_state":
        raise Unavailable(outcome["message"])
