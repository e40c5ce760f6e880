"""A small Python client for hackrooms: the HTTP API and a room connection.

Tests, benchmarks and scripts use it::

    from client import Api, RoomClient
    api = Api("http://127.0.0.1:8000")
    made = api.create_forum("Floods", "Crisis communication", [{"title": "Room A"}])
    async with await RoomClient.connect(api.ws_url, made["facilitator"]["token"],
                                        made["rooms"][0]["id"]) as room:
        await room.command("phase.next")
"""

from .http import Api, ApiError
from .room import CommandRejected, ConnectionClosed, RoomClient

__all__ = ["Api", "ApiError", "CommandRejected", "ConnectionClosed", "RoomClient"]
