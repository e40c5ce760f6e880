"""The event loop the server runs on: uvloop by default, asyncio's on request, said at start."""

from __future__ import annotations

import pytest

from server.config import Settings
from tests.server.helpers import ServerFactory


def test_an_unknown_event_loop_is_refused_with_the_variable_named() -> None:
    """HACKROOMS_EVENT_LOOP takes auto, uvloop or asyncio; anything else is a clear error."""
    assert Settings.from_env({}).event_loop == "auto"
    assert Settings.from_env({"HACKROOMS_EVENT_LOOP": "asyncio"}).event_loop == "asyncio"
    with pytest.raises(ValueError, match="HACKROOMS_EVENT_LOOP must be one of auto, uvloop"):
        Settings.from_env({"HACKROOMS_EVENT_LOOP": "tokio"})


@pytest.mark.parametrize(("setting", "loop"), [("auto", "uvloop"), ("asyncio", "asyncio")])
def test_the_server_runs_on_the_loop_asked_for_and_says_so(
        start_server: ServerFactory, setting: str, loop: str) -> None:
    """The start-up line names the loop that runs: uvloop unless asyncio's own is asked for."""
    server = start_server(HACKROOMS_EVENT_LOOP=setting)
    ready = [line for line in server.output if "hackrooms ready" in line]
    assert len(ready) == 1, server.output[-10:]
    assert f"event loop {loop})" in ready[0]
    forum = server.api.create_forum("Loop", "", [{"title": "A"}])  # and it serves
    assert forum["rooms"][0]["title"] == "A"
