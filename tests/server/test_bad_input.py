"""Bad input gets a documented error or close code and never takes the server down."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import struct
import unicodedata
from collections.abc import Iterator
from typing import Any

import pytest
import websockets
from websockets.asyncio.client import ClientConnection

from client import RoomClient
from rooms.room import COMMANDS
from tests.harness import Server
from tests.server.helpers import (
    TIMEOUT,
    Clients,
    Forum,
    ServerFactory,
    boot,
    event_at,
    new_forum,
    still_serving,
)

ALLOWED = "https://forum.example.org"
MAX_MESSAGE = 32 * 1024  # the default HACKROOMS_MAX_MESSAGE_BYTES
TRANSPORT_LIMIT = 1 << 20  # the server's hard frame limit with the default message limit
STRICT_MAX_MESSAGE = 2048


@pytest.fixture(scope="module")
def strict_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server with a 1-second hello timeout and an explicit Origin allow-list."""
    srv = Server(tmp_path_factory.mktemp("strict") / "hackrooms.db",
                 env={"HACKROOMS_HELLO_TIMEOUT": "1", "HACKROOMS_ALLOWED_ORIGINS": ALLOWED,
                      "HACKROOMS_MAX_MESSAGE_BYTES": str(STRICT_MAX_MESSAGE)})
    boot(srv)
    try:
        yield srv
    finally:
        srv.stop()


@pytest.fixture(autouse=True)
def no_traceback(module_server: Server) -> Iterator[None]:
    """Whatever a test sends, the server logs no traceback (a failure it did not foresee)."""
    before = len(module_server.output)
    yield
    assert "Traceback" not in "".join(module_server.output[before:])


def _cmd(name: str, args: Any = None, op: str = "op-1") -> str:
    message: dict[str, Any] = {"type": "cmd", "op": op, "name": name}
    if args is not None:
        message["args"] = args
    return json.dumps(message)


async def _answer(client: RoomClient) -> dict[str, Any]:
    """The next error (or other reply) that is not a presence update."""
    return await client.expect(lambda m: m["type"] in ("error", "ack", "pong"))


async def _still_open(client: RoomClient) -> None:
    """The connection still answers: a ping gets its pong."""
    await client.send({"type": "ping", "t": "still-there"})
    pong = await client.expect(lambda m: m["type"] == "pong")
    assert pong["t"] == "still-there"


async def _closed(ws: ClientConnection) -> tuple[int | None, str]:
    await asyncio.wait_for(ws.wait_closed(), TIMEOUT)
    return ws.close_code, ws.close_reason


async def _participant(server: Server, clients: Clients) -> tuple[Forum, RoomClient]:
    forum = new_forum(server)
    return forum, await clients.connect(server, forum.join("Ann").token, forum.room)


# Messages on an open connection ------------------------------------------------------------

BAD_MESSAGES = [
    ("{not json", "bad_json", None),
    ("", "bad_json", None),
    ("[" * 15000 + "]" * 15000, "bad_json", None),  # nested past the parser's recursion
    ('{"type": "cmd", "op": "big", "name": "x", "args": {"n": ' + "9" * 5000 + "}}",
     "bad_json", None),  # an integer longer than Python's conversion limit
    ("[1, 2]", "bad_message", None),
    ('"hello"', "bad_message", None),
    ("null", "bad_message", None),
    ('{"no": "type"}', "bad_message", None),
    ('{"type": "nope"}', "bad_message", None),
    ('{"type": "nope", "op": "op-1"}', "bad_message", "op-1"),
    ('{"type": 7}', "bad_message", None),
    (json.dumps({"type": "hello", "token": "t", "room": "r"}), "bad_message", None),
    (json.dumps({"type": "cmd", "name": "idea.add", "args": {"text": "x"}}), "bad_message",
     None),
    (json.dumps({"type": "cmd", "op": "", "name": "idea.add"}), "bad_message", None),
    (json.dumps({"type": "cmd", "op": "x" * 65, "name": "idea.add"}), "bad_message", None),
    (json.dumps({"type": "cmd", "op": 12, "name": "idea.add"}), "bad_message", None),
    (json.dumps({"type": "cmd", "op": "op-1", "args": {}}), "bad_message", "op-1"),
    (json.dumps({"type": "cmd", "op": "op-1", "name": ""}), "bad_message", "op-1"),
    (_cmd("idea.add", ["text"]), "bad_message", "op-1"),
    (_cmd("idea.add", "text"), "bad_message", "op-1"),
    (_cmd("idea.fly", {}), "unknown_command", "op-1"),
    (_cmd("__class__", {}), "unknown_command", "op-1"),
    (_cmd("idea.add"), "invalid_args", "op-1"),
    (_cmd("idea.add", {}), "invalid_args", "op-1"),
    (_cmd("idea.add", {"text": 42}), "invalid_args", "op-1"),
    (_cmd("idea.add", {"text": "   "}), "invalid_args", "op-1"),
    (_cmd("idea.add", {"text": "x" * 1001}), "invalid_args", "op-1"),
    (_cmd("idea.add", {"text": "bell\x07"}), "invalid_args", "op-1"),
    (_cmd("idea.add", {"text": "ok", "extra": 1}), "invalid_args", "op-1"),
    (_cmd("reaction.toggle", {"idea": "i1", "reaction": "angry"}), "invalid_args", "op-1"),
    (_cmd("vote.cast", {"idea": None}), "invalid_args", "op-1"),
    (_cmd("vote.cast", {"idea": "i" * 65}), "invalid_args", "op-1"),
    # RFC 8259 JSON only: NaN and Infinity are no JSON, and a number beyond a float is refused
    # rather than read as infinity (a ping's t echoed it, and no browser parses that back).
    ('{"type": "cmd", "op": "op-1", "name": "vote.cast", "args": {"idea": NaN}}',
     "bad_json", None),
    ('{"type": "ping", "t": NaN}', "bad_json", None),
    ('{"type": "ping", "t": Infinity}', "bad_json", None),
    ('{"type": "ping", "t": -Infinity}', "bad_json", None),
    ('{"type": "ping", "t": 1e999}', "bad_json", None),
    ('{"type": "ping", "t": -1e400}', "bad_json", None),
    # Nested deeper than the limit, yet below the parser's own: it used to parse and then fail
    # the encoder on the pong, dropping the connection.
    ('{"type": "ping", "t": ' + "[" * 960 + "]" * 960 + "}", "bad_json", None),
    ('{"type": "ping", "t": ' + "[" * 32 + "]" * 32 + "}", "bad_json", None),
    (_cmd("comment.add", {"idea": "i999", "text": "hello?"}), "not_found", "op-1"),
    # A lone surrogate escape parses in Python but is no character: it can be neither stored
    # nor sent back as UTF-8, so it must be refused up front (as if the JSON were invalid).
    (_cmd("idea.add", {"text": "ok \ud800 x"}), "bad_json", None),
    (_cmd("idea.add", {"text": "ok \udfff"}, op="op-\udc00"), "bad_json", None),
    (json.dumps({"type": "ping", "t": "\udc00"}), "bad_json", None),
]


@pytest.mark.parametrize(("text", "code", "op"), BAD_MESSAGES)
async def test_a_bad_message_gets_its_error_and_the_connection_goes_on(
        module_server: Server, clients: Clients, text: str, code: str, op: str | None) -> None:
    """Each malformed message is answered with its error code; connection and server go on."""
    forum, client = await _participant(module_server, clients)
    await client.send_raw(text)
    reply = await _answer(client)
    assert (reply["type"], reply["code"]) == ("error", code)
    assert reply.get("op") == op
    assert isinstance(reply["message"], str)
    assert reply["message"]
    await _still_open(client)
    await still_serving(clients, module_server, forum)


@pytest.mark.parametrize("text", [
    json.dumps({"type": "ping", "pad": "x" * MAX_MESSAGE}),
    json.dumps({"type": "ping", "pad": "é" * (MAX_MESSAGE // 2)}, ensure_ascii=False),
    _cmd("idea.add", {"text": "x" * (TRANSPORT_LIMIT // 2)}),
])
async def test_an_oversized_message_is_too_large_and_the_connection_goes_on(
        module_server: Server, clients: Clients, text: str) -> None:
    """A message above the message limit (in bytes) but below the frame limit is too_large."""
    assert MAX_MESSAGE < len(text.encode()) < TRANSPORT_LIMIT
    forum, client = await _participant(module_server, clients)
    await client.send_raw(text)
    reply = await _answer(client)
    assert (reply["type"], reply["code"]) == ("error", "too_large")
    await _still_open(client)
    ack = await client.command("idea.add", {"text": "still here"})
    assert ack["type"] == "ack"
    await still_serving(clients, module_server, forum)


async def test_the_message_limit_is_configurable_and_announced(strict_server: Server,
                                                               clients: Clients) -> None:
    """HACKROOMS_MAX_MESSAGE_BYTES is announced in the welcome and enforced."""
    forum = new_forum(strict_server)
    client = await clients.connect(strict_server, forum.join("Ann").token, forum.room)
    assert client.welcome["limits"] == {"max_message_bytes": STRICT_MAX_MESSAGE}
    await client.send_raw(json.dumps({"type": "ping", "pad": "x" * STRICT_MAX_MESSAGE}))
    reply = await _answer(client)
    assert (reply["type"], reply["code"]) == ("error", "too_large")
    ack = await client.command("idea.add", {"text": "x" * 1000})  # within the limit
    assert ack["type"] == "ack"


async def test_a_frame_above_the_transport_limit_closes_with_1009(module_server: Server,
                                                                 clients: Clients) -> None:
    """A frame above the hard transport limit closes the connection with 1009, nothing else."""
    forum, client = await _participant(module_server, clients)
    await client.send_raw("x" * (TRANSPORT_LIMIT + 1))
    code, _ = await client.wait_closed()
    assert code == 1009
    await still_serving(clients, module_server, forum)


async def test_a_binary_frame_is_a_bad_message(module_server: Server, clients: Clients) -> None:
    """A binary frame is answered bad_message and the connection goes on."""
    forum, client = await _participant(module_server, clients)
    await client.send_raw(b'{"type": "ping"}')
    reply = await _answer(client)
    assert (reply["type"], reply["code"]) == ("error", "bad_message")
    await _still_open(client)
    await still_serving(clients, module_server, forum)


# Roles ---------------------------------------------------------------------------------------

FACILITATOR_COMMANDS = [
    ("phase.next", {}), ("phase.back", {}), ("phase.set", {"phase": "open"}),
    ("room.update", {"title": "Mine now"}), ("idea.hide", {"id": "i1", "hidden": True}),
    ("phase.allow", {"phase": "open", "capability": "clusters", "allowed": False}),
    ("cluster.rename", {"id": "k1", "title": "x"}), ("cluster.delete", {"id": "k1"}),
    ("voting.configure", {"budget": 99}), ("voting.open", {}), ("voting.close", {}),
    ("voting.reveal", {}), ("voting.hide", {}), ("timer.start", {"seconds": 60}),
    ("timer.pause", {}),
    ("timer.resume", {}), ("timer.adjust", {"seconds": 60}), ("timer.stop", {}),
]
SYSTEM_COMMANDS = [("room.create", {"title": "Again"}), ("timer.expire", {}),
                   ("member.join", {"id": "p1", "name": "Fake", "organization": "",
                                    "sector": "x", "country": "x", "attendance": "onsite"})]


async def test_a_participant_may_not_send_facilitator_or_system_commands(
        module_server: Server, clients: Clients) -> None:
    """Every facilitator-only and server-only command from a participant is forbidden."""
    forum, client = await _participant(module_server, clients)
    seq = client.seq
    for name, args in FACILITATOR_COMMANDS + SYSTEM_COMMANDS:
        await client.send_raw(_cmd(name, args, op=name))
        reply = await client.expect(lambda m, n=name: m.get("op") == n)
        assert (reply["type"], reply["code"]) == ("error", "forbidden"), name
    await still_serving(clients, module_server, forum)
    assert not [e for e in client.events() if e["seq"] > seq
                and e["name"] != "cluster.created"], "a forbidden command changed the room"


async def test_a_facilitator_may_not_send_system_commands(module_server: Server,
                                                          clients: Clients) -> None:
    """room.create, member.join and timer.expire are refused to facilitators too."""
    forum = new_forum(module_server)
    fac = await clients.connect(module_server, forum.facilitator, forum.room)
    for name, args in SYSTEM_COMMANDS:
        await fac.send_raw(_cmd(name, args, op=name))
        reply = await fac.expect(lambda m, n=name: m.get("op") == n)
        assert (reply["type"], reply["code"]) == ("error", "forbidden"), name
    await still_serving(clients, module_server, forum)


async def test_a_participant_may_not_change_someone_elses_idea(module_server: Server,
                                                               clients: Clients) -> None:
    """Editing or deleting another participant's idea is forbidden."""
    forum, ann = await _participant(module_server, clients)
    bob = await clients.connect(module_server, forum.join("Bob").token, forum.room)
    idea = f"i{(await ann.command('idea.add', {'text': 'Sirens'}))['seq']}"
    for name, args in (("idea.edit", {"id": idea, "text": "Mine"}), ("idea.delete", {"id": idea})):
        await bob.send_raw(_cmd(name, args, op=name))
        reply = await bob.expect(lambda m, n=name: m.get("op") == n)
        assert (reply["type"], reply["code"]) == ("error", "forbidden"), name
    await still_serving(clients, module_server, forum)


async def test_an_observer_may_send_no_command(module_server: Server, clients: Clients) -> None:
    """Every command from an observer (projector) token is forbidden; ping still works."""
    forum = new_forum(module_server)
    projector = await clients.connect(module_server, forum.observer, forum.room)
    for name in sorted(COMMANDS):
        await projector.send_raw(_cmd(name, {}, op=name))
        reply = await projector.expect(lambda m, n=name: m.get("op") == n)
        assert (reply["type"], reply["code"]) == ("error", "forbidden"), name
    await _still_open(projector)
    await still_serving(clients, module_server, forum)


# The handshake and the hello -----------------------------------------------------------------

BAD_HELLOS: list[str | bytes] = [
    "{not json",
    "[]",
    json.dumps({"type": "ping"}),
    json.dumps({"type": "cmd", "op": "o", "name": "idea.add"}),
    json.dumps({"type": "hello", "room": "r1"}),
    json.dumps({"type": "hello", "token": 7, "room": "r1"}),
    json.dumps({"type": "hello", "token": "t", "room": ""}),
    json.dumps({"type": "hello", "token": "t", "room": ["r1"]}),
    json.dumps({"type": "hello", "token": "t", "room": "r1", "resume": [1]}),
    json.dumps({"type": "hello", "token": "t", "room": "r1", "resume": {"epoch": "e"}}),
    json.dumps({"type": "hello", "token": "t", "room": "r1",
                "resume": {"epoch": "e", "seq": -1}}),
    json.dumps({"type": "hello", "token": "t", "room": "r1",
                "resume": {"epoch": "e", "seq": True}}),
    json.dumps({"type": "hello", "token": "t", "room": "r1", "resume": {"epoch": 1, "seq": 1}}),
    json.dumps({"type": "hello", "token": "t", "room": "r" * MAX_MESSAGE}),
    b'{"type": "hello"}',
    json.dumps({"type": "hello", "token": "t\ud800", "room": "r1"}),
    json.dumps({"type": "hello", "token": "t", "room": "r\udfff"}),
]


@pytest.mark.parametrize("hello", BAD_HELLOS)
async def test_a_bad_hello_closes_with_4400(module_server: Server, clients: Clients,
                                            hello: str | bytes) -> None:
    """A first message that is not a valid hello closes the connection with 4400."""
    forum = new_forum(module_server)
    ws = await clients.raw(module_server)
    await ws.send(hello)
    code, reason = await _closed(ws)
    assert code == 4400
    assert reason
    await still_serving(clients, module_server, forum)


async def test_a_hello_with_a_lone_surrogate_closes_with_4400(module_server: Server,
                                                              clients: Clients) -> None:
    """A genuine token with a room id that is not valid Unicode is a bad hello, not a crash."""
    forum = new_forum(module_server)
    ws = await clients.raw(module_server)
    await ws.send(json.dumps({"type": "hello", "token": forum.facilitator,
                              "room": forum.room + "\udfff"}))
    code, _ = await _closed(ws)
    assert code == 4400
    await still_serving(clients, module_server, forum)


async def test_no_hello_in_time_closes_with_4408(strict_server: Server,
                                                 clients: Clients) -> None:
    """A connection that sends nothing is closed with 4408 after HACKROOMS_HELLO_TIMEOUT."""
    forum = new_forum(strict_server)
    ws = await clients.raw(strict_server)
    code, _ = await _closed(ws)
    assert code == 4408
    await still_serving(clients, strict_server, forum)


def _forge(token: str) -> str:
    body, signature = token.split(".")
    return body + "." + ("A" if signature[0] != "A" else "B") + signature[1:]


@pytest.mark.parametrize(("which", "code"), [
    ("forged", 4401), ("garbage", 4401), ("unknown_room", 4404), ("other_forum", 4403),
    ("other_forum_participant", 4403),
])
async def test_a_refused_hello_closes_with_its_code(module_server: Server, clients: Clients,
                                                    which: str, code: int) -> None:
    """A forged token is 4401, an unknown room 4404, a token of another forum 4403."""
    forum, other = new_forum(module_server), new_forum(module_server)
    token, room = {
        "forged": (_forge(forum.facilitator), forum.room),
        "garbage": ("not-a-token", forum.room),
        "unknown_room": (forum.facilitator, "rnosuchroom"),
        "other_forum": (other.facilitator, forum.room),
        "other_forum_participant": (other.join("Mallory").token, forum.room),
    }[which]
    client = await clients.connect(module_server, token, room, wait_synced=False)
    closed, _ = await client.wait_closed()
    assert closed == code
    assert not [m for m in client.messages if m["type"] in ("welcome", "snapshot")]
    await still_serving(clients, module_server, forum)


@pytest.mark.parametrize("origin", ["http://evil.example", "http://127.0.0.1:1", "null",
                                    "https://127.0.0.1", "http://localhost:1", "http://0.0.0.0"])
async def test_a_foreign_origin_is_refused_at_the_handshake(module_server: Server,
                                                            clients: Clients,
                                                            origin: str) -> None:
    """A browser handshake from another origin is answered HTTP 403 and opens no websocket."""
    forum = new_forum(module_server)
    with pytest.raises(websockets.InvalidStatus) as refused:
        await clients.connect(module_server, forum.facilitator, forum.room, origin=origin)
    assert refused.value.response.status_code == 403
    await still_serving(clients, module_server, forum)


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::1]"])
async def test_the_servers_own_origin_is_accepted(module_server: Server, clients: Clients,
                                                  host: str) -> None:
    """A page of the server's listen address, under any loopback name, may connect."""
    forum = new_forum(module_server)
    client = await clients.connect(module_server, forum.facilitator, forum.room,
                                   origin=f"http://{host}:{module_server.port}")
    assert client.welcome["you"]["role"] == "facilitator"


@pytest.mark.parametrize("host", ["evil.example", "evil.example:{port}"])
async def test_a_rebinding_host_and_its_origin_are_refused(module_server: Server,
                                                           clients: Clients, host: str) -> None:
    """Host: evil.example with Origin: http://evil.example (DNS rebinding) is HTTP 403."""
    forum = new_forum(module_server)
    host = host.format(port=module_server.port)
    head, _, writer = await _raw_handshake(module_server, host=host, origin=f"http://{host}")
    writer.close()
    assert head.startswith(b"HTTP/1.1 403 "), head
    await still_serving(clients, module_server, forum)


def test_the_allowed_origins_are_logged_once_at_start(module_server: Server) -> None:
    """The server says at start, in one line, which origins it allows."""
    lines = [line for line in module_server.output if "origins allowed" in line]
    port = module_server.port
    assert len(lines) == 1
    assert (f"websocket origins allowed: http://127.0.0.1:{port}, http://[::1]:{port}, "
            f"http://localhost:{port}; and clients that send no Origin") in lines[0]


async def test_the_public_url_is_the_only_default_origin(start_server: ServerFactory,
                                                        clients: Clients) -> None:
    """With HACKROOMS_PUBLIC_URL set, its origin connects and the listen address does not."""
    srv = start_server(HACKROOMS_PUBLIC_URL="https://Forum.Example.org:443/hackrooms/")
    forum = new_forum(srv)
    client = await clients.connect(srv, forum.facilitator, forum.room,
                                   origin="https://forum.example.org")
    assert client.welcome["you"]["role"] == "facilitator"
    with pytest.raises(websockets.InvalidStatus) as refused:
        await clients.connect(srv, forum.facilitator, forum.room, origin=srv.url)
    assert refused.value.response.status_code == 403
    assert any("websocket origins allowed: https://forum.example.org;" in line
               for line in srv.output)


def test_a_public_url_that_is_not_http_stops_the_start(start_server: ServerFactory) -> None:
    """A HACKROOMS_PUBLIC_URL that names no http(s) origin fails the start, saying why."""
    with pytest.raises(RuntimeError, match="HACKROOMS_PUBLIC_URL must be an http"):
        start_server(HACKROOMS_PUBLIC_URL="forum.example.org")


@pytest.mark.parametrize(("origin", "accepted"), [
    (ALLOWED, True), (ALLOWED + "/", True), ("http://forum.example.org", False),
    ("https://evil.example", False), ("self", False),
])
async def test_allowed_origins_are_honoured(strict_server: Server, clients: Clients,
                                            origin: str, accepted: bool) -> None:
    """With HACKROOMS_ALLOWED_ORIGINS set, exactly those origins (not even its own) connect."""
    forum = new_forum(strict_server)
    origin = strict_server.url if origin == "self" else origin
    if accepted:
        client = await clients.connect(strict_server, forum.facilitator, forum.room,
                                       origin=origin)
        assert client.welcome["you"]["role"] == "facilitator"
        return
    with pytest.raises(websockets.InvalidStatus) as refused:
        await clients.connect(strict_server, forum.facilitator, forum.room, origin=origin)
    assert refused.value.response.status_code == 403
    await still_serving(clients, strict_server, forum)


# Frames no websocket library would send -------------------------------------------------------


async def _raw_handshake(server: Server, host: str = "127.0.0.1", origin: str | None = None,
                         ) -> tuple[bytes, asyncio.StreamReader, asyncio.StreamWriter]:
    """Open a websocket by hand: the answer's head, and the stream to speak frames on."""
    reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
    key = base64.b64encode(os.urandom(16)).decode()
    lines = ["GET /ws HTTP/1.1", f"Host: {host}", "Upgrade: websocket", "Connection: Upgrade",
             f"Sec-WebSocket-Key: {key}", "Sec-WebSocket-Version: 13"]
    if origin is not None:
        lines.append(f"Origin: {origin}")
    writer.write(("\r\n".join(lines) + "\r\n\r\n").encode())
    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), TIMEOUT)
    return head, reader, writer


def _frame(opcode: int, payload: bytes, *, mask: bool = True, fin: bool = True,
           rsv: int = 0) -> bytes:
    """One websocket frame (RFC 6455 section 5.2), masked as clients must unless told not."""
    first = (0x80 if fin else 0) | rsv << 4 | opcode
    size = len(payload)
    length = (bytes([size]) if size < 126 else bytes([126]) + struct.pack("!H", size))
    header = bytes([first, length[0] | (0x80 if mask else 0)]) + length[1:]
    if not mask:
        return header + payload
    key = os.urandom(4)
    return header + key + bytes(b ^ key[i % 4] for i, b in enumerate(payload))


async def _read_frame(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    first, second = await reader.readexactly(2)
    size = second & 0x7F
    if size == 126:
        size = struct.unpack("!H", await reader.readexactly(2))[0]
    elif size == 127:
        size = struct.unpack("!Q", await reader.readexactly(8))[0]
    return first & 0x0F, await reader.readexactly(size)  # a server's frames are not masked


async def _until(reader: asyncio.StreamReader, opcode: int, contains: bytes = b"") -> bytes:
    """The payload of the next frame with ``opcode`` (and ``contains``), skipping others."""
    while True:
        kind, payload = await asyncio.wait_for(_read_frame(reader), TIMEOUT)
        if kind == opcode and contains in payload:
            return payload


async def _in_room(server: Server, token: str, room: str,
                   ) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    """A hand-spoken websocket that said hello and is synced with the room."""
    head, reader, writer = await _raw_handshake(server)
    assert head.startswith(b"HTTP/1.1 101 "), head
    hello = json.dumps({"type": "hello", "token": token, "room": room}).encode()
    writer.write(_frame(0x1, hello))
    await _until(reader, 0x1, b'"synced"')
    return reader, writer


async def _close_of(reader: asyncio.StreamReader) -> tuple[int, str]:
    payload = await _until(reader, 0x8)
    return struct.unpack("!H", payload[:2])[0], payload[2:].decode()


@pytest.mark.parametrize(("frame", "reason"), [
    (_frame(0x1, b'{"type": "ping"}', mask=False), "incorrect masking"),
    (_frame(0x1, b'{"type": "ping"}', rsv=0b100), "reserved bits must be 0"),
    (_frame(0x3, b"x"), "invalid opcode"),
    (_frame(0x9, b"x" * 126), "control frame too long"),
    (_frame(0x9, b"x", fin=False), "fragmented control frame"),
    (_frame(0x0, b"x"), "unexpected continuation frame"),
    (_frame(0x1, b"[", fin=False) + _frame(0x1, b"]"), "expected a continuation frame"),
    (_frame(0x8, struct.pack("!H", 1005)), "invalid status code"),
    (_frame(0x8, b"\x03"), "close frame too short"),
])
async def test_a_websocket_protocol_error_closes_with_1002(
        module_server: Server, clients: Clients, frame: bytes, reason: str) -> None:
    """A frame that breaks RFC 6455 closes that connection with 1002 naming the fault; only it."""
    forum = new_forum(module_server)
    reader, writer = await _in_room(module_server, forum.join("Ann").token, forum.room)
    writer.write(frame)
    code, said = await _close_of(reader)
    writer.close()
    assert (code, said) == (1002, reason)
    await still_serving(clients, module_server, forum)


async def test_a_close_reason_that_is_not_utf8_closes_with_1007(module_server: Server,
                                                                clients: Clients) -> None:
    """A close frame whose reason is not UTF-8 is answered 1007; the server goes on."""
    forum = new_forum(module_server)
    reader, writer = await _in_room(module_server, forum.join("Ann").token, forum.room)
    writer.write(_frame(0x8, struct.pack("!H", 1000) + b"\xff\xfe"))
    code, _ = await _close_of(reader)
    writer.close()
    assert code == 1007
    await still_serving(clients, module_server, forum)


async def test_a_text_frame_that_is_not_utf8_closes_with_1007(strict_server: Server,
                                                              clients: Clients) -> None:
    """A text frame that is not UTF-8 closes that connection with 1007; the server goes on."""
    forum = new_forum(strict_server)
    reader, writer = await _in_room(strict_server, forum.join("Ann").token, forum.room)
    writer.write(_frame(0x1, b'{"type": "ping", "t": "\xff\xfe"}'))
    code, _ = await _close_of(reader)
    writer.close()
    assert code == 1007
    # The websocket layer (uvicorn) logs this one with a traceback of its own: it is why this
    # test runs on the strict server, whose log the no_traceback fixture does not read.
    strict_server.wait_for_line(lambda line: "Invalid UTF-8 sequence received" in line)
    await still_serving(clients, strict_server, forum)


@pytest.mark.parametrize("text", ["Hälytys 🚨 kaikille", "\u00e4\u0308 NFC", "日本語"])
async def test_any_unicode_text_round_trips(module_server: Server, clients: Clients,
                                            text: str) -> None:
    """Non-ASCII text, escaped or raw UTF-8 in the JSON, is stored and sent back intact."""
    _, client = await _participant(module_server, clients)
    for op, ascii_only in (("op-escaped", True), ("op-utf8", False)):
        await client.send_raw(json.dumps(_idea(text, op), ensure_ascii=ascii_only))
        ack = await client.expect(lambda m, o=op: m.get("op") == o)
        assert ack["type"] == "ack"
        event = await event_at(client, ack["seq"])
        assert event["data"]["text"] == unicodedata.normalize("NFC", text)
        await client.command("idea.delete", {"id": event["data"]["id"]})


def _idea(text: str, op: str) -> dict[str, Any]:
    return {"type": "cmd", "op": op, "name": "idea.add", "args": {"text": text}}
