"""The deployment of several machines, run on this one: two processes, Redis and PostgreSQL."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator

import pytest

from client import CommandRejected, ConnectionClosed, RoomClient
from server.store import open_store
from tests.harness import RedisServer, Server
from tests.postgres import PostgresServer
from tests.server import test_redis_scaling as scaling

pytestmark = pytest.mark.redis


@pytest.fixture
def pair(redis_server: RedisServer,
         postgres_server: PostgresServer) -> Iterator[tuple[Server, Server]]:
    """Processes A and B sharing the Redis server and one PostgreSQL database (a new schema)."""
    database = postgres_server.new_schema()
    env = {"REDIS_URL": redis_server.url, "HACKROOMS_SWEEP_MS": "200",
           "HACKROOMS_PRESENCE_TTL_MS": str(scaling.PRESENCE_TTL_MS),
           "HACKROOMS_REDIS_TIMEOUT_MS": "1000"}
    servers = [Server(database, env=env) for _ in range(2)]
    try:
        for srv in servers:
            srv.start()
        yield servers[0], servers[1]
    finally:
        for srv in servers:
            srv.stop()


async def test_clients_on_both_processes_see_one_order(pair: tuple[Server, Server]) -> None:
    """On PostgreSQL, participants on A and B post and vote at once; both see one sequence."""
    await scaling.test_clients_on_both_processes_see_one_order(pair)


async def test_a_process_killed_mid_burst_loses_nothing_acknowledged(
        pair: tuple[Server, Server]) -> None:
    """A dies by SIGKILL while a participant posts: every acked idea is in PostgreSQL, once."""
    a, b = pair
    made, room, joined = scaling.make_forum(a, 1)
    fac = await RoomClient.connect(b.ws_url, made["facilitator"]["token"], room)
    await fac.command("phase.set", {"phase": "ideate"})
    writer = await RoomClient.connect(a.ws_url, joined[0]["token"], room)
    acked: dict[int, str] = {}  # seq of the ack -> the idea's text

    async def post() -> None:
        for n in range(400):
            ack = await writer.command("idea.add", {"text": f"idea {n}"}, op=uuid.uuid4().hex)
            acked[ack["seq"]] = f"idea {n}"

    posting = asyncio.create_task(post())
    await writer.wait_seq(writer.seq + 20)  # mid-burst
    a.kill()
    with pytest.raises((ConnectionClosed, asyncio.TimeoutError)):
        await posting
    store = open_store(str(a.database))
    await store.open()
    try:
        stored = {e.seq: e.data.get("text") for e in await store.read_events(room)
                  if e.name == "idea.added"}
    finally:
        await store.close()
    assert len(acked) >= 10  # the burst was under way (events of 20 seen, most acked)
    assert {seq: stored.get(seq) for seq in acked} == acked
    assert len(set(stored.values())) == len(stored)  # no idea twice
    # B takes the room over when A's writer lease expires (a retry with the same op until
    # then is answered "unavailable", which is safe) and its next event follows the stored log.
    op = uuid.uuid4().hex
    for _ in range(10):
        try:
            ack = await fac.command("phase.set", {"phase": "vote"}, op=op)
            break
        except CommandRejected as exc:
            if exc.code != "unavailable":
                raise
    else:
        pytest.fail("B did not take the room over")
    assert ack["seq"] > max(stored)
    for client in (fac, writer):
        await client.close()


def test_purge_erases_on_postgres(postgres_server: PostgresServer) -> None:
    """`hackrooms purge --database postgresql://…` erases an old forum's people in PostgreSQL."""
    database = postgres_server.new_schema()
    schema = database.rsplit("search_path=", 1)[1]
    srv = Server(database)
    srv.start()
    try:
        made = srv.api.create_forum("Floods", "Crisis communication", [{"title": "Room A"}])
        srv.api.join(made["join"]["code"], "Zyxwæ Ąžuolaitė")
    finally:
        srv.stop()
    forum = made["forum"]["id"]
    forty_days_ms = 40 * 86_400_000
    postgres_server.sql(f"UPDATE {schema}.forums SET created_at = created_at - {forty_days_ms}"
                        f" WHERE id = '{forum}'")
    done = subprocess.run([sys.executable, "-m", "server", "purge", "--days", "30",
                           "--database", database], capture_output=True, text=True,
                          timeout=60, check=True, env={**os.environ, "REDIS_URL": ""})
    assert "erased the personal data of 1 participants" in done.stdout
    assert postgres_server.sql(f"SELECT count(*) FROM {schema}.participants").strip() == "0"
    assert postgres_server.sql(f"SELECT count(*) FROM {schema}.erasures").strip() == "1"
