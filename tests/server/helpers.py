"""Helpers of the server integration tests: forums, people, and room clients that get closed.

Every wait here waits for a message (or a process line) with a deadline; nothing sleeps.
"""

from __future__ import annotations

import contextlib
import json
import socket
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

import websockets
from websockets.asyncio.client import ClientConnection

from client import Api, RoomClient
from client.room import Message
from tests.harness import Server

# One phase in which participants may do everything, for tests that are not about phases.
OPEN_PHASE = [{"id": "open", "label": "Open", "allows": ["ideas", "comments", "reactions",
                                                         "votes"]}]
TIMEOUT = 10.0

ServerFactory = Callable[..., Server]  # the start_server fixture: env variables -> a server


@dataclass(frozen=True)
class Person:
    """A participant who joined a forum: their member id and token."""

    id: str
    token: str
    attendance: str


@dataclass(frozen=True)
class Forum:
    """A forum created through the HTTP API, with the answer of the server."""

    api: Api
    made: dict[str, Any]

    @property
    def id(self) -> str:
        return str(self.made["forum"]["id"])

    @property
    def room(self) -> str:
        """The id of the first room."""
        return str(self.made["rooms"][0]["id"])

    @property
    def rooms(self) -> list[str]:
        return [str(r["id"]) for r in self.made["rooms"]]

    @property
    def code(self) -> str:
        return str(self.made["join"]["code"])

    @property
    def facilitator(self) -> str:
        return str(self.made["facilitator"]["token"])

    @property
    def observer(self) -> str:
        return str(self.made["observer"]["token"])

    @property
    def organizer(self) -> str:
        return str(self.made["organizer"]["token"])

    @property
    def hall(self) -> str:
        return str(self.made["hall"]["id"])

    def join(self, name: str, attendance: str = "remote", **profile: Any) -> Person:
        """Join the forum as a new participant."""
        joined = self.api.join(self.code, name, attendance=attendance, **profile)
        return Person(joined["participant"]["id"], joined["token"], attendance)


def new_forum(server: Server, *rooms: dict[str, Any], title: str = "Floods") -> Forum:
    """A new forum on ``server``; by default one room whose single phase allows everything."""
    room_list = list(rooms) or [{"title": "Room A", "challenge": "Warn people",
                                 "phases": OPEN_PHASE}]
    return Forum(server.api, server.api.create_forum(title, "Crisis communication", room_list))


def boot(server: Server) -> Server:
    """Start a server and wait until it listens."""
    server.start()
    return server


def crash(server: Server) -> None:
    """SIGKILL the server: no flush, no snapshot, no close frame on the way out."""
    server.kill()


def crash_and_restart(server: Server) -> None:
    """SIGKILL the server and start it again on the same database."""
    crash(server)
    boot(server)


class Four(NamedTuple):
    """Two participants and the four connections of a typical room test."""

    ann: Person
    bob: Person
    fac: RoomClient
    a: RoomClient
    b: RoomClient
    projector: RoomClient


class Clients:
    """The room clients and raw websockets a test opens; ``close`` closes them all."""

    def __init__(self) -> None:
        self._rooms: list[RoomClient] = []
        self._raw: list[ClientConnection] = []

    async def connect(self, server: Server, token: str, room: str, **options: Any) -> RoomClient:
        """A RoomClient in sync with the room (unless ``wait_synced=False``)."""
        client = await RoomClient.connect(server.ws_url, token, room, **options)
        self._rooms.append(client)
        return client

    async def room_of_four(self, server: Server, forum: Forum) -> Four:
        """Ann and Bob join; a facilitator, Ann, Bob and the projector connect, in that order."""
        ann, bob = forum.join("Ann"), forum.join("Bob")
        fac = await self.connect(server, forum.facilitator, forum.room)
        a = await self.connect(server, ann.token, forum.room)
        b = await self.connect(server, bob.token, forum.room)
        projector = await self.connect(server, forum.observer, forum.room)
        return Four(ann, bob, fac, a, b, projector)

    async def raw(self, server: Server, **options: Any) -> ClientConnection:
        """A bare websocket to the server, with no hello sent."""
        ws = await websockets.connect(server.ws_url, open_timeout=TIMEOUT, **options)
        self._raw.append(ws)
        return ws

    async def stalled(self, server: Server, token: str, room: str) -> ClientConnection:
        """A websocket that says hello and then reads nothing, so that TCP back-pressure builds.

        A one-frame client queue stops reading from the socket at once, a tiny receive buffer
        closes the TCP window, and no compression makes every byte of an event count. The
        server's kernel send buffer may still take megabytes before its writes block.
        """
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # before connect: the window
        sock.setblocking(False)
        with contextlib.suppress(BlockingIOError):  # a non-blocking connect is under way
            sock.connect(("127.0.0.1", server.port))
        ws = await websockets.connect(server.ws_url, sock=sock, open_timeout=TIMEOUT,
                                      max_queue=1, max_size=None, close_timeout=2,
                                      compression=None)
        self._raw.append(ws)
        await ws.send(json.dumps({"type": "hello", "token": token, "room": room}))
        return ws

    async def close(self) -> None:
        for client in self._rooms:
            await client.close()
        for ws in self._raw:
            await ws.close()


async def event_at(client: RoomClient, seq: int, timeout: float = TIMEOUT) -> Message:
    """The event with ``seq`` as ``client`` received it, waiting until it has arrived."""
    await client.wait_seq(seq, timeout)
    return next(m for m in client.events() if m["seq"] == seq)


def events_after(client: RoomClient, seq: int) -> list[Message]:
    """The events ``client`` received with a seq above ``seq``, in arrival order."""
    return [m for m in client.events() if m["seq"] > seq]


def named(client: RoomClient, name: str) -> list[Message]:
    """The events of one kind that ``client`` received."""
    return [m for m in client.events() if m["name"] == name]


def between(client: RoomClient, first: str, last: str) -> list[Message]:
    """The messages from the first of type ``first`` to the next of type ``last``, inclusive."""
    start = next(i for i, m in enumerate(client.messages) if m["type"] == first)
    end = next(i for i, m in enumerate(client.messages) if i > start and m["type"] == last)
    return client.messages[start:end + 1]


def snapshot_of(client: RoomClient) -> dict[str, Any]:
    """The room state of the (first) snapshot a client received."""
    snap = next(m for m in client.messages if m["type"] == "snapshot")
    return dict(snap["state"])


async def still_serving(clients: Clients, server: Server, forum: Forum) -> None:
    """Another client of the same server still gets its commands acknowledged."""
    witness = await clients.connect(server, forum.facilitator, forum.room)
    ack = await witness.command("cluster.create", {"title": "still here"})
    assert ack["type"] == "ack"
    assert ack["seq"] > 0
    await witness.wait_seq(ack["seq"])
