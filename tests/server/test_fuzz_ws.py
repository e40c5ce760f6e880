"""Fuzzing the websocket of the real server: no message, however bad, is answered `internal`.

Hypothesis draws the first message of a connection (hellos with genuine, forged and hostile
tokens, rooms and resumes, or anything) and then sessions of messages from a facilitator, a
participant and an observer of one room: every command of ``rooms.room.COMMANDS`` (a new
command is fuzzed without a change here) with arguments near what its fields accept or
anything, pings with any `t`, other types, text that is no JSON or no RFC 8259 JSON, binary
frames. The properties: every message gets exactly one answer (ack, error or pong), never
`internal`; every frame the server sends is RFC 8259 JSON; a connection is closed only with a
documented code; the connections and the server go on; the log holds no traceback.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import websockets
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from websockets.asyncio.client import ClientConnection

from rooms.room import COMMANDS
from tests.harness import Server
from tests.server.helpers import OPEN_PHASE, TIMEOUT, Forum, new_forum
from tests.server.strategies import (
    arguments,
    deep,
    dumps,
    json_values,
    not_json,
    spliced,
    texts,
)

Message = dict[str, Any]

# A fixed number of examples bounds the time: about 15 s for the whole file on a busy machine.
SESSIONS, HELLOS = 120, 200


def _fuzz(examples: int) -> settings:
    return settings(max_examples=examples, deadline=None, database=None,
                    report_multiple_bugs=False,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


HELLO_CLOSE_CODES = {4400, 4401, 4403, 4404}  # what a refused hello is closed with
REPLIES = ("ack", "error", "pong")


def _strict(raw: str | bytes) -> Message:
    """A server frame: a text frame holding a JSON object, parsed as RFC 8259 says."""
    assert isinstance(raw, str), f"the server sent a binary frame: {raw!r:.200}"

    def refuse(name: str) -> None:
        raise AssertionError(f"the server wrote {name}, which is not JSON: {raw:.300}")

    message = json.loads(raw, parse_constant=refuse)
    assert isinstance(message, dict)
    return message


class Peer:
    """A websocket in the room, reading every frame strictly; no client library in between."""

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws

    @classmethod
    async def open(cls, server: Server, token: str, room: str) -> Peer:
        ws = await websockets.connect(server.ws_url, open_timeout=TIMEOUT, max_size=None)
        peer = cls(ws)
        await ws.send(json.dumps({"type": "hello", "token": token, "room": room}))
        await peer.until(lambda m: m["type"] == "synced")
        return peer

    async def until(self, match: Callable[[Message], bool]) -> Message:
        while True:
            message = _strict(await asyncio.wait_for(self.ws.recv(), TIMEOUT))
            if match(message):
                return message

    async def answer(self, frame: str | bytes) -> Message:
        """Send one frame and return its one answer (events and presence pass by)."""
        await self.ws.send(frame)
        return await self.until(lambda m: m["type"] in REPLIES)


@pytest.fixture(scope="module")
def forum(module_server: Server) -> Forum:
    """One room whose participants may do everything, and a second forum to cross tokens."""
    return new_forum(module_server, {"title": "Fuzzed", "phases": [*OPEN_PHASE, {
        "id": "vote", "label": "Vote", "allows": ["votes"]}]})


@pytest.fixture(scope="module")
def other(module_server: Server) -> Forum:
    return new_forum(module_server)


@pytest.fixture(scope="module")
def tokens(forum: Forum) -> dict[str, str]:
    return {"facilitator": forum.facilitator, "participant": forum.join("Fuzz").token,
            "observer": forum.observer}


@pytest.fixture(scope="module", autouse=True)
def no_traceback(module_server: Server) -> Iterator[None]:
    """Whatever the fuzzers send, the server logs no traceback (a failure it did not foresee)."""
    before = len(module_server.output)
    yield
    assert "Traceback" not in "".join(module_server.output[before:])


# Messages -------------------------------------------------------------------------------------

ops = st.one_of(st.uuids().map(lambda u: u.hex), st.sampled_from(["op-1", "op-2", "x" * 64]),
                texts, json_values)  # op-1 and op-2 come back: retries of whatever they were
names = st.one_of(st.sampled_from(sorted(COMMANDS)), st.sampled_from(sorted(COMMANDS)), texts)


@st.composite
def commands(draw: st.DrawFn) -> Message:
    name = draw(names)
    message: Message = {"type": "cmd", "op": draw(ops), "name": name}
    spec = COMMANDS.get(name) if isinstance(name, str) else None
    args = draw(arguments(spec.args)) if spec is not None else draw(json_values)
    if draw(st.integers(0, 9)) > 0:
        message["args"] = args
    return message


def _frame(message: Message, ascii_only: bool) -> str:
    """JSON text of a message, raw UTF-8 or all escaped (a lone surrogate can only be escaped)."""
    text = json.dumps(message, ensure_ascii=ascii_only, allow_nan=False)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return dumps(message)
    return text


messages = st.one_of(commands(), commands(), commands(), commands(),
                     st.fixed_dictionaries({"type": st.just("ping")}, optional={"t": json_values}),
                     st.fixed_dictionaries({"type": st.one_of(st.just("hello"), texts,
                                                              json_values)},
                                           optional={"op": ops, "token": texts}))
frames = st.one_of(
    messages, messages, messages.flatmap(spliced), not_json,
    deep.map(lambda d: '{"type": "ping", "t": ' + d + "}"), st.text(max_size=50),
    st.binary(max_size=50))
steps = st.lists(st.tuples(st.sampled_from(["facilitator", "participant", "observer"]),
                           frames, st.booleans()), min_size=1, max_size=10)


def _check_answer(sent: Any, answer: Message) -> None:
    assert not (answer["type"] == "error" and answer["code"] == "internal"), (sent, answer)
    if isinstance(sent, dict) and sent.get("type") == "ping" and answer["type"] == "pong":
        assert answer["t"] == sent.get("t")


async def _session(server: Server, forum: Forum, tokens: dict[str, str],
                   session: list[tuple[str, Any, bool]]) -> None:
    peers = {who: await Peer.open(server, token, forum.room) for who, token in tokens.items()}
    try:
        for who, frame, ascii_only in session:
            text = _frame(frame, ascii_only) if isinstance(frame, dict) else frame
            _check_answer(frame, await peers[who].answer(text))
        for peer in peers.values():  # every connection is still open and answers
            pong = await peer.answer('{"type": "ping", "t": "still here"}')
            assert (pong["type"], pong["t"]) == ("pong", "still here")
    finally:
        for peer in peers.values():
            await peer.ws.close()


def test_no_message_is_answered_internal(module_server: Server, forum: Forum,
                                         tokens: dict[str, str]) -> None:
    """Sessions of any messages from the three roles: one answer each, never internal."""
    @_fuzz(SESSIONS)
    @given(steps)
    def fuzz(session: list[tuple[str, Any, bool]]) -> None:
        asyncio.run(_session(module_server, forum, tokens, session))

    fuzz()
    asyncio.run(_still_serving(module_server, forum))


# Hellos ---------------------------------------------------------------------------------------


def _hellos(forum: Forum, other: Forum, tokens: dict[str, str]) -> st.SearchStrategy[Any]:
    genuine = [*tokens.values(), other.facilitator]
    token = st.one_of(st.sampled_from(genuine), st.sampled_from(
        [t[:-2] + "AA" for t in genuine]), texts, json_values, st.just("x" * 1025))
    room = st.one_of(st.sampled_from([forum.room, other.room, "rnosuchroom1", ""]), texts,
                     json_values)
    resume = st.one_of(st.none(), st.fixed_dictionaries(
        {"epoch": st.one_of(st.just("e-unknown"), texts, json_values),
         "seq": st.one_of(st.integers(-2, 10**20), json_values)}), json_values)
    hello = st.fixed_dictionaries({"type": st.one_of(st.just("hello"), json_values)}, optional={
        "token": token, "room": room, "resume": resume})
    return st.one_of(hello, hello, hello, hello.flatmap(spliced), not_json, deep,
                     st.text(max_size=50), st.binary(max_size=50))


async def _first_message(server: Server, first: Any) -> None:
    async with websockets.connect(server.ws_url, open_timeout=TIMEOUT, max_size=None) as ws:
        await ws.send(_frame(first, True) if isinstance(first, dict) else first)
        try:
            while True:
                message = _strict(await asyncio.wait_for(ws.recv(), TIMEOUT))
                if message["type"] == "synced":
                    return  # a genuine hello: served
        except websockets.ConnectionClosed:
            pass
        assert ws.protocol.close_rcvd is not None, "the socket dropped without a close frame"
        assert ws.protocol.close_rcvd.code in HELLO_CLOSE_CODES, (first, ws.protocol.close_rcvd)


def test_no_first_message_fails_the_handshake(module_server: Server, forum: Forum,
                                              other: Forum, tokens: dict[str, str]) -> None:
    """Any first message is served (a genuine hello) or closed 4400/4401/4403/4404, nothing else."""
    @_fuzz(HELLOS)
    @given(_hellos(forum, other, tokens))
    def fuzz(first: Any) -> None:
        asyncio.run(_first_message(module_server, first))

    fuzz()
    asyncio.run(_still_serving(module_server, forum))


async def _still_serving(server: Server, forum: Forum) -> None:
    """After the fuzzing, a new facilitator's command is acknowledged."""
    peer = await Peer.open(server, forum.facilitator, forum.room)
    try:
        ack = await peer.answer(json.dumps({"type": "cmd", "op": "after-fuzz",
                                            "name": "cluster.create",
                                            "args": {"title": "still here"}}))
        assert ack["type"] == "ack"
    finally:
        await peer.ws.close()
