"""Settings from environment variables; every one has a default, none is needed for a first run."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass


def _int(env: Mapping[str, str], key: str, default: int) -> int:
    raw = env.get(key)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as error:
        raise ValueError(f"{key} must be a whole number, got {raw!r}") from error


def _choice(env: Mapping[str, str], key: str, default: str, choices: tuple[str, ...]) -> str:
    raw = env.get(key) or default
    if raw not in choices:
        raise ValueError(f"{key} must be one of {', '.join(choices)}; got {raw!r}")
    return raw


def _list(env: Mapping[str, str], key: str) -> tuple[str, ...]:
    return tuple(s.strip().rstrip("/") for s in env.get(key, "").split(",") if s.strip())


@dataclass(frozen=True, slots=True)
class Settings:
    """The server's configuration (documented in README.md, one line per variable)."""

    host: str = "127.0.0.1"
    port: int = 8000
    database: str = "data/hackrooms.db"
    secret: str | None = None  # generated and kept in the database when not set
    allowed_origins: tuple[str, ...] = ()  # empty: derived from public_url or host and port
    redis_url: str | None = None
    public_url: str | None = None  # base of the links handed out; default: the request's
    create_key: str | None = None  # when set, creating a forum needs this bearer key
    max_message_bytes: int = 32 * 1024
    send_queue: int = 1024  # messages a connection may fall behind before it is closed
    resume_window: int = 500  # events a reconnecting client may have missed and still replay
    snapshot_every: int = 200  # events between two snapshots of a room
    hello_timeout_s: int = 10
    # Hellos this process opens at once; the others wait their turn, at most hello_timeout_s
    # (server/openings.py). 2 keeps other rooms' acks short in a join storm (bench/join_storm.py).
    opening_at_once: int = 2
    # Flood limits (docs/protocol.md, Limits); 0 turns a rate or a cap off:
    # Commands of one connection awaiting their reply at once. Another client's command may
    # wait behind all of them, one commit each (measured in bench/flood.py): 8 keeps that short.
    max_in_flight: int = 8
    connection_rate: int = 20  # messages per second a connection may send, sustained
    connection_burst: int = 200  # messages a connection may send at once (an outbox flush)
    person_rate: int = 40  # the same for a person, over all their connections in this process
    person_burst: int = 400
    max_connections_per_person: int = 20  # a participant's websockets in this process
    max_connections: int = 20_000  # websockets of this process
    log_level: str = "info"
    vocabulary: str | None = None  # a JSON file of sectors and countries replacing the defaults
    commit_batch: int = 512  # commands of one room decided and committed together, at most
    chromium: str | None = None  # prints the brief to PDF; None: found on PATH (exports/pdf.py)
    # A room or hall no one has used through this process for this long is unloaded from
    # memory (0: never); its timers keep time through the store's due index.
    idle_unload_s: int = 300
    due_poll_ms: int = 1000  # how often the due index is read for other processes' timers
    sweep_ms: int = 1000  # how often the sweep runs (unloading; with REDIS_URL: missed events)
    # With REDIS_URL only (docs/scaling.md):
    presence_ttl_ms: int = 15_000  # a dead process's presence disappears after this
    redis_timeout_ms: int = 2000  # a Redis call that takes longer fails (fail fast)
    lease_ms: int = 3000  # a room's writer lease; a dead writer is replaced within about this
    # Personal data of forums created more than this many days ago is erased (0: kept for
    # ever); checked every purge_every_s by each server process, and by `hackrooms purge`.
    retention_days: int = 365
    purge_every_s: int = 3600
    # The event loop: "uvloop" (a C loop and transports) when it is installed, else asyncio's
    # own; "asyncio" forces asyncio's (docs/benchmarks.md, "Fan-out near the floor").
    event_loop: str = "auto"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Read ``HACKROOMS_*`` variables (and ``PORT``, ``REDIS_URL``) over the defaults."""
        env = os.environ if env is None else env
        d = cls()
        return cls(
            host=env.get("HACKROOMS_HOST", d.host),
            port=_int(env, "PORT", _int(env, "HACKROOMS_PORT", d.port)),
            database=env.get("HACKROOMS_DATABASE", d.database),
            secret=env.get("HACKROOMS_SECRET") or None,
            allowed_origins=_list(env, "HACKROOMS_ALLOWED_ORIGINS"),
            redis_url=env.get("REDIS_URL") or None,
            public_url=(env.get("HACKROOMS_PUBLIC_URL") or "").rstrip("/") or None,
            create_key=env.get("HACKROOMS_CREATE_KEY") or None,
            max_message_bytes=_int(env, "HACKROOMS_MAX_MESSAGE_BYTES", d.max_message_bytes),
            send_queue=_int(env, "HACKROOMS_SEND_QUEUE", d.send_queue),
            resume_window=_int(env, "HACKROOMS_RESUME_WINDOW", d.resume_window),
            snapshot_every=_int(env, "HACKROOMS_SNAPSHOT_EVERY", d.snapshot_every),
            hello_timeout_s=_int(env, "HACKROOMS_HELLO_TIMEOUT", d.hello_timeout_s),
            opening_at_once=_int(env, "HACKROOMS_OPENING_AT_ONCE", d.opening_at_once),
            max_in_flight=max(1, _int(env, "HACKROOMS_MAX_IN_FLIGHT", d.max_in_flight)),
            connection_rate=_int(env, "HACKROOMS_CONNECTION_RATE", d.connection_rate),
            connection_burst=_int(env, "HACKROOMS_CONNECTION_BURST", d.connection_burst),
            person_rate=_int(env, "HACKROOMS_PERSON_RATE", d.person_rate),
            person_burst=_int(env, "HACKROOMS_PERSON_BURST", d.person_burst),
            max_connections_per_person=_int(env, "HACKROOMS_MAX_CONNECTIONS_PER_PERSON",
                                            d.max_connections_per_person),
            max_connections=_int(env, "HACKROOMS_MAX_CONNECTIONS", d.max_connections),
            log_level=env.get("HACKROOMS_LOG_LEVEL", d.log_level),
            vocabulary=env.get("HACKROOMS_VOCABULARY") or None,
            commit_batch=max(1, _int(env, "HACKROOMS_COMMIT_BATCH", d.commit_batch)),
            chromium=env.get("HACKROOMS_CHROMIUM") or None,
            idle_unload_s=max(0, _int(env, "HACKROOMS_IDLE_UNLOAD_S", d.idle_unload_s)),
            due_poll_ms=max(10, _int(env, "HACKROOMS_DUE_POLL_MS", d.due_poll_ms)),
            sweep_ms=max(10, _int(env, "HACKROOMS_SWEEP_MS", d.sweep_ms)),
            presence_ttl_ms=_int(env, "HACKROOMS_PRESENCE_TTL_MS", d.presence_ttl_ms),
            redis_timeout_ms=_int(env, "HACKROOMS_REDIS_TIMEOUT_MS", d.redis_timeout_ms),
            lease_ms=_int(env, "HACKROOMS_LEASE_MS", d.lease_ms),
            retention_days=max(0, _int(env, "HACKROOMS_RETENTION_DAYS", d.retention_days)),
            purge_every_s=max(1, _int(env, "HACKROOMS_PURGE_EVERY_S", d.purge_every_s)),
            event_loop=_choice(env, "HACKROOMS_EVENT_LOOP", d.event_loop,
                               ("auto", "uvloop", "asyncio")),
        )
