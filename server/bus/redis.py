"""The Redis bus: every process serves every room, through one stream per room.

Keys of a room share one hash tag, so a Lua script may touch them all (and Redis Cluster keeps
them in one slot)::

    hackrooms:{<room>}:log       a stream; entry id "<seq>-0", field "e" = the entry as JSON
    hackrooms:{<room>}:head      the seq of the last entry appended
    hackrooms:{<room>}:owner     the lease: "<fence> <process id>", expiring after the lease
    hackrooms:{<room>}:fence     the last fence handed out (grows with every new lease)
    hackrooms:{<room>}:presence  a hash: process id -> "<expires at, ms> <headcount JSON>"

the channel ``hackrooms:{<room>}:events`` carries each append as a JSON array, and the channel
``hackrooms:{<process id>}:process`` carries messages to one process (forwarded commands and
their answers).

One process at a time holds a room's lease and appends; the others forward their commands to it
(server/writer.py). ``APPEND`` checks the lease's fence and the head, adds the entries, moves the
head and publishes, in one script, so a process whose lease moved on can never append, two
appends after the same seq never both win and a seq is never skipped (the pattern of
Centrifugo's Redis engine). Pub/sub is at most once: a subscriber may miss messages (a
reconnect, an overflowing buffer); the room host notices the gap, or its periodic sweep does,
and reads the stream.

Every call is bounded by ``timeout_s``, whether Redis is down (refused at once) or frozen
(accepts, never answers): it then raises ``BusUnavailable``. After a call timed out, calls fail
at once for ``timeout_s`` instead of each waiting again, so a frozen Redis costs a command one
timeout, not one per call it makes. See docs/scaling.md.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import secrets
import socket
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any, TypeVar, cast

from redis.asyncio import BlockingConnectionPool, Redis
from redis.asyncio.client import PubSub
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError, ResponseError

from server.store.base import StoredEvent

from .base import (
    Bus,
    BusUnavailable,
    Claim,
    Headcount,
    Inbox,
    LeaseLost,
    Listener,
    LogConflict,
    Rewritten,
)

log = logging.getLogger("hackrooms.bus.redis")
T = TypeVar("T")

STREAM_KEEP = 10_000  # entries kept per stream (approximately); older ones are in the store
READ_CHUNK = 1_000
POOL_CONNECTIONS = 64  # connections to Redis per process; calls beyond wait for one
SCRUB_WAIT_S = 30.0  # how long an erasure waits for an append-only file rewrite already running
SCRUB_POLL_S = 0.1
RECONNECT_S = 0.5  # pause between two attempts to reopen the pub/sub connection
NOTICE_EVERY_S = 10.0  # while Redis is down, how often the outage is logged again

# KEYS: stream, head, owner. ARGV: expected seq, channel, stream max length, lease ('' for
# none: refilling a lost stream from the store), entries (JSON)...
# Returns {1, new head}, {0, head}: the log does not end at the expected seq, or {-1, head}:
# the lease is not (or no longer) the appender's.
APPEND = """
if ARGV[4] ~= '' and redis.call('GET', KEYS[3]) ~= ARGV[4] then
  return {-1, tonumber(redis.call('GET', KEYS[2]) or '0')}
end
local head = redis.call('GET', KEYS[2])
if head then
  head = tonumber(head)
else
  -- No head: a new room, or Redis lost it. Never number below what the stream still holds.
  local last = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)[1]
  head = last and tonumber(string.match(last[1], '^(%d+)')) or 0
end
local expected = tonumber(ARGV[1])
if head ~= expected then
  return {0, head}
end
local count = #ARGV - 4
for i = 1, count do
  redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[3], (expected + i) .. '-0', 'e', ARGV[4 + i])
end
redis.call('SET', KEYS[2], expected + count)
redis.call('PUBLISH', ARGV[2], '[' .. table.concat(ARGV, ',', 5) .. ']')
return {1, expected + count}
"""

# KEYS: stream. ARGV: channel, notice, then seq and entry (JSON) pairs. Rebuilds the stream
# with those entries replaced, every other entry as it was: XDEL would only mark an entry
# deleted and leave its bytes in the stream's node (and in every RDB saved from it), so the
# key is deleted and refilled, in one script so no append can slip in between. The notice
# tells every process following the room to reload its replica, whether or not the stream
# still held one of the entries (older ones are in the store only). Returns the entries kept.
REWRITE = """
local new = {}
for i = 3, #ARGV, 2 do
  new[ARGV[i]] = ARGV[i + 1]
end
local entries = redis.call('XRANGE', KEYS[1], '-', '+')
local hit = false
for _, entry in ipairs(entries) do
  if new[string.match(entry[1], '^(%d+)')] then
    hit = true
    break
  end
end
if hit then
  redis.call('DEL', KEYS[1])
  for _, entry in ipairs(entries) do
    local seq = string.match(entry[1], '^(%d+)')
    redis.call('XADD', KEYS[1], entry[1], 'e', new[seq] or entry[2][2])
  end
end
redis.call('PUBLISH', ARGV[1], ARGV[2])
return #entries
"""

# KEYS: owner, fence. ARGV: process id, lease in ms. Takes a free lease with the next fence, or
# renews our own; returns {fence, holder}.
CLAIM = """
local current = redis.call('GET', KEYS[1])
if current then
  local fence, holder = string.match(current, '^(%d+) (.*)$')
  if holder == ARGV[1] then
    redis.call('PEXPIRE', KEYS[1], ARGV[2])
  end
  return {tonumber(fence), holder}
end
local fence = redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[1], fence .. ' ' .. ARGV[1], 'PX', ARGV[2])
return {fence, ARGV[1]}
"""

# KEYS: owner. ARGV: our lease "<fence> <process>", lease in ms ('' releases it). 1 if ours.
RENEW = """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return 0
end
if ARGV[2] == '' then
  redis.call('DEL', KEYS[1])
else
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 1
"""

# The server's clock decides expiry, so processes on machines with skewed clocks agree.
_NOW = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
"""

# KEYS: presence hash. ARGV: process id, headcount JSON ('' removes it), TTL in ms.
PRESENCE_PUT = _NOW + """
if ARGV[2] == '' then
  redis.call('HDEL', KEYS[1], ARGV[1])
else
  redis.call('HSET', KEYS[1], ARGV[1], (now + tonumber(ARGV[3])) .. ' ' .. ARGV[2])
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
end
return 1
"""

# KEYS: presence hash. ARGV: own process id. The live headcounts of the others; drops the dead.
PRESENCE_READ = _NOW + """
local out = {}
local all = redis.call('HGETALL', KEYS[1])
for i = 1, #all, 2 do
  local expires, counts = string.match(all[i + 1], '^(%d+) (.*)$')
  if expires == nil or tonumber(expires) <= now then
    redis.call('HDEL', KEYS[1], all[i])
  elseif all[i] ~= ARGV[1] then
    table.insert(out, counts)
  end
end
return out
"""


class RedisBus(Bus):
    """The shared log of many processes: Redis streams, a Lua append, pub/sub fan-out."""

    shared = True

    def __init__(self, url: str, *, presence_ttl_ms: int = 15_000, timeout_s: float = 2.0,
                 keep: int = STREAM_KEEP, prefix: str = "hackrooms") -> None:
        self.process = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"
        self.presence_ttl_ms = presence_ttl_ms
        self._prefix, self._keep, self._timeout_s = prefix, keep, timeout_s
        # One immediate retry after a broken connection: a pooled connection broken by a Redis
        # restart is replaced at once. No retry after a timeout: a frozen Redis would cost
        # every call twice the timeout (the whole call is bounded by _call anyway).
        # A bounded pool whose callers wait for a free connection: redis-py's default pool
        # fails a call past its 100th concurrent one ("Too many connections"), which a join
        # storm's burst of reads reaches. The wait is bounded by _call's timeout.
        pool = BlockingConnectionPool.from_url(
            url, max_connections=POOL_CONNECTIONS, timeout=timeout_s, decode_responses=True,
            socket_timeout=timeout_s, socket_connect_timeout=timeout_s,
            retry=Retry(NoBackoff(), 1, supported_errors=(RedisConnectionError,)),
            health_check_interval=15)
        self._redis: Redis = Redis.from_pool(pool)
        self._append = self._redis.register_script(APPEND)
        self._claim = self._redis.register_script(CLAIM)
        self._renew = self._redis.register_script(RENEW)
        self._put = self._redis.register_script(PRESENCE_PUT)
        self._read_presence = self._redis.register_script(PRESENCE_READ)
        self._rewrite = self._redis.register_script(REWRITE)
        self._rewritten: Rewritten | None = None
        self._listeners: dict[str, set[Listener]] = {}
        self._channels: dict[str, str] = {}  # channel -> room
        self._present: set[str] = set()  # rooms where this process has a headcount entry
        self._pubsub: PubSub | None = None
        self._reader: asyncio.Task[None] | None = None
        self._down_since: float | None = None
        self._stalled_at: float | None = None  # loop time of the last call that timed out
        self._inbox: Inbox | None = None

    # Lifecycle -------------------------------------------------------------------------------

    async def open(self) -> None:
        """Start listening; a Redis that is down now is waited for in the background."""
        try:
            await self._check_config()
        except RedisError as failure:
            log.warning("redis is not reachable yet (%s); retrying in the background", failure)
        self._reader = asyncio.create_task(self._listen(), name="redis bus reader")

    async def close(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader
        for room_id in list(self._present):  # leave no ghost behind a clean stop
            with contextlib.suppress(BusUnavailable):
                await self.put_presence(room_id, Headcount())
        await self._redis.aclose()

    async def _check_config(self) -> None:
        config = await self._redis.config_get("append*")
        if config.get("appendonly") != "yes" or config.get("appendfsync") != "always":
            log.warning("redis runs with appendonly=%s appendfsync=%s; use 'appendonly yes' "
                        "and 'appendfsync always' (docs/scaling.md, durability)",
                        config.get("appendonly"), config.get("appendfsync"))

    async def _call(self, job: Callable[[], Awaitable[T]]) -> T:
        """Run one Redis call within the timeout; any failure is BusUnavailable."""
        loop = asyncio.get_running_loop()
        if self._stalled_at is not None and loop.time() - self._stalled_at < self._timeout_s:
            raise BusUnavailable("redis did not answer in time a moment ago")
        try:
            result = await asyncio.wait_for(job(), self._timeout_s)
        except (TimeoutError, RedisError, OSError) as failure:
            # Frozen or overloaded: fail fast for a while. A refused connection is not a stall,
            # and an error reply (a ResponseError) is an answer: Redis is there.
            if not isinstance(failure, (RedisConnectionError, ResponseError)):
                self._stalled_at = loop.time()
            raise BusUnavailable(f"redis: {failure or 'no answer in time'}") from failure
        self._stalled_at = None
        return result

    # The log ---------------------------------------------------------------------------------

    async def append(self, room_id: str, expected_seq: int, events: list[StoredEvent],
                     fence: int | None = None) -> None:
        if not events:
            return
        for i, event in enumerate(events, 1):
            if event.seq != expected_seq + i:
                raise ValueError(f"event {i} has seq {event.seq}, expected {expected_seq + i}")
        lease = "" if fence is None else f"{fence} {self.process}"
        args: list[str | int] = [expected_seq, self._key(room_id, "events"), self._keep, lease]
        args += [_dumps(event) for event in events]
        keys = [self._key(room_id, "log"), self._key(room_id, "head"), self._key(room_id, "owner")]
        ok, head = await self._call(lambda: self._append(keys=keys, args=args))
        if ok == -1:
            raise LeaseLost(f"room {room_id}: the lease with fence {fence} is not ours")
        if not ok:
            raise LogConflict(int(head))

    async def read(self, room_id: str, after_seq: int) -> list[StoredEvent]:
        entries: list[StoredEvent] = []
        start = f"{after_seq + 1}-0"
        while True:
            chunk = cast(list[tuple[str, dict[str, str]]],
                         await self._call(partial(self._redis.xrange, self._key(room_id, "log"),
                                                  min=start, max="+", count=READ_CHUNK)))
            entries += [_loads(room_id, fields["e"]) for _id, fields in chunk]
            if len(chunk) < READ_CHUNK:
                return entries
            start = f"{entries[-1].seq + 1}-0"

    # Erasure ---------------------------------------------------------------------------------

    async def rewrite(self, room_id: str, events: list[StoredEvent]) -> None:
        args: list[str | int] = [self._key(room_id, "events"), _REWRITTEN]
        for event in events:
            args += [event.seq, _dumps(event)]
        keys = [self._key(room_id, "log")]
        await self._call(lambda: self._rewrite(keys=keys, args=args))

    def on_rewritten(self, callback: Rewritten) -> None:
        self._rewritten = callback

    async def scrub(self) -> None:
        """Rewrite the append-only file, which still holds the old entries' XADD commands.

        A rewrite already running may have forked before this erasure rewrote the stream, so its
        base would keep the old entries: wait for it to end, then start one of our own.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + SCRUB_WAIT_S
        try:
            config = await self._call(lambda: self._redis.config_get("appendonly"))
            if config.get("appendonly") != "yes":
                return
            while True:
                try:
                    await self._call(self._redis.bgrewriteaof)
                    return
                except BusUnavailable as failure:
                    busy = isinstance(failure.__cause__, ResponseError) and \
                        "already in progress" in str(failure.__cause__)
                    if not busy or loop.time() > deadline:
                        raise
                await asyncio.sleep(SCRUB_POLL_S)  # the running rewrite takes a moment
        except (BusUnavailable, RedisError) as failure:
            # Still rewriting after the wait, or BGREWRITEAOF renamed away by the operator.
            log.warning("redis: the append-only file was not rewritten after an erasure (%s); "
                        "run BGREWRITEAOF (docs/scaling.md)", failure)

    # The lease -------------------------------------------------------------------------------

    async def claim(self, room_id: str, lease_ms: int) -> Claim:
        keys = [self._key(room_id, "owner"), self._key(room_id, "fence")]
        fence, holder = await self._call(lambda: self._claim(keys=keys,
                                                             args=[self.process, lease_ms]))
        return Claim(holder == self.process, int(fence), str(holder))

    async def renew(self, room_id: str, fence: int, lease_ms: int) -> bool:
        keys = [self._key(room_id, "owner")]
        ok = await self._call(lambda: self._renew(keys=keys, args=[f"{fence} {self.process}",
                                                                   lease_ms]))
        return bool(ok)

    async def release(self, room_id: str, fence: int) -> None:
        keys = [self._key(room_id, "owner")]
        await self._call(lambda: self._renew(keys=keys, args=[f"{fence} {self.process}", ""]))

    # Messages between processes --------------------------------------------------------------

    def listen(self, inbox: Inbox) -> None:
        self._inbox = inbox

    async def send(self, process: str, message: dict[str, Any]) -> None:
        text = json.dumps(message, separators=(",", ":"), ensure_ascii=False)
        channel = self._key(process, "process")
        await self._call(lambda: self._redis.publish(channel, text))

    # Fan-out ---------------------------------------------------------------------------------

    async def subscribe(self, room_id: str, listener: Listener) -> None:
        first = room_id not in self._listeners
        self._listeners.setdefault(room_id, set()).add(listener)
        if first:
            channel = self._key(room_id, "events")
            self._channels[channel] = room_id
            # When the connection is down this fails; the reader subscribes again on reconnect.
            await self._tell_pubsub("subscribe", channel)

    async def unsubscribe(self, room_id: str, listener: Listener) -> None:
        listeners = self._listeners.get(room_id, set())
        listeners.discard(listener)
        if not listeners and room_id in self._listeners:
            del self._listeners[room_id]
            channel = self._key(room_id, "events")
            self._channels.pop(channel, None)
            await self._tell_pubsub("unsubscribe", channel)

    async def _tell_pubsub(self, command: str, channel: str) -> None:
        pubsub = self._pubsub
        if pubsub is None:
            return
        try:
            await asyncio.wait_for(getattr(pubsub, command)(channel), self._timeout_s)
        except (TimeoutError, RedisError, OSError) as failure:
            log.info("redis %s %s failed (%s); the reader will redo it", command, channel,
                     failure)

    async def _listen(self) -> None:
        """Keep one pub/sub connection open, subscribed to the rooms this process serves."""
        while True:
            pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
            try:
                # A channel of our own keeps the connection subscribed even with no room.
                await pubsub.subscribe(self._key(self.process, "process"))
                self._pubsub = pubsub  # from here on subscribe() talks to it too
                if self._channels:
                    await pubsub.subscribe(*self._channels)
                self._up()
                while True:
                    message = await pubsub.get_message(ignore_subscribe_messages=True,
                                                       timeout=5.0)
                    if message is not None and message["type"] == "message":
                        self._dispatch(message["channel"], message["data"])
            except (RedisError, OSError) as failure:
                self._down(failure)
            finally:
                self._pubsub = None
                with contextlib.suppress(Exception):
                    await pubsub.aclose()  # type: ignore[no-untyped-call]
            await asyncio.sleep(RECONNECT_S)  # a pause between reconnects, not a wait for state

    def _dispatch(self, channel: str, data: str) -> None:
        if channel == self._key(self.process, "process"):
            self._deliver(data)
            return
        room_id = self._channels.get(channel)
        if room_id is None:
            return
        try:
            parsed = json.loads(data)
            if isinstance(parsed, dict) and parsed.get("rewritten"):
                if self._rewritten is not None:
                    self._rewritten(room_id)
                return
            entries = [_from_json(room_id, raw) for raw in parsed]
        except (ValueError, KeyError, TypeError):
            log.error("room %s: unreadable message on the bus; the sweep reads the stream",
                      room_id)
            return
        for listener in list(self._listeners.get(room_id, ())):
            listener(entries)

    def _deliver(self, data: str) -> None:
        try:
            message = json.loads(data)
        except ValueError:
            log.error("an unreadable message to this process on the bus")
            return
        if self._inbox is not None and isinstance(message, dict):
            self._inbox(message)

    def _up(self) -> None:
        if self._down_since is not None:
            log.info("redis is reachable again; rooms catch up from their streams")
            # A rewrite notice published while we were away is lost (pub/sub is at most
            # once): every room we follow checks its log's epoch in the store again.
            if self._rewritten is not None:
                for room_id in list(self._channels.values()):
                    self._rewritten(room_id)
        self._down_since = None

    def _down(self, failure: BaseException) -> None:
        now = asyncio.get_running_loop().time()
        if self._down_since is None or now - self._down_since >= NOTICE_EVERY_S:
            log.warning("redis pub/sub connection lost (%s); reconnecting", failure)
            self._down_since = now

    # Presence --------------------------------------------------------------------------------

    async def put_presence(self, room_id: str, mine: Headcount) -> None:
        counts = "" if mine.empty else json.dumps(mine.to_json(), separators=(",", ":"))
        await self._call(lambda: self._put(keys=[self._key(room_id, "presence")],
                                           args=[self.process, counts, self.presence_ttl_ms]))
        if counts:
            self._present.add(room_id)
        else:
            self._present.discard(room_id)

    async def presence(self, room_id: str) -> list[Headcount]:
        raw = await self._call(lambda: self._read_presence(keys=[self._key(room_id, "presence")],
                                                           args=[self.process]))
        return [Headcount.from_json(json.loads(counts)) for counts in raw]

    def _key(self, room_id: str, part: str) -> str:
        return f"{self._prefix}:{{{room_id}}}:{part}"


_REWRITTEN = json.dumps({"rewritten": True})  # on a room's channel: reload from the store


def _dumps(event: StoredEvent) -> str:
    return json.dumps({"seq": event.seq, "at": event.at, "name": event.name,
                       "actor": event.actor, "data": event.data, "op": event.op_key},
                      separators=(",", ":"), ensure_ascii=False)


def _loads(room_id: str, text: str) -> StoredEvent:
    return _from_json(room_id, json.loads(text))


def _from_json(room_id: str, raw: dict[str, Any]) -> StoredEvent:
    op = raw.get("op")
    return StoredEvent(room_id, int(raw["seq"]), int(raw["at"]), str(raw["name"]),
                       str(raw["actor"]), dict(raw["data"]), str(op) if op else None)
