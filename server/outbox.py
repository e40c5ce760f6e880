"""A connection's queue of encoded messages: what it needs of an ``asyncio.Queue``, lighter.

An ``asyncio.Queue`` holds three deques and an ``Event`` with a fourth, about 3.3 KiB before
it holds anything; every idle connection has one. This holds one deque, and a future only
while its single reader waits (docs/architecture.md, "Memory per connection").
"""

from __future__ import annotations

import asyncio
from collections import deque
from typing import Generic, TypeVar

T = TypeVar("T")


class Outbox(Generic[T]):
    """A FIFO of at most ``maxsize`` items with one reader."""

    __slots__ = ("_items", "_max", "_waiter")

    def __init__(self, maxsize: int) -> None:
        self._items: deque[T] = deque()
        self._max = maxsize
        self._waiter: asyncio.Future[None] | None = None

    def qsize(self) -> int:
        return len(self._items)

    def empty(self) -> bool:
        return not self._items

    def put_nowait(self, item: T) -> None:
        """Add an item; asyncio.QueueFull when there are ``maxsize`` already."""
        if len(self._items) >= self._max:
            raise asyncio.QueueFull
        self._items.append(item)
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)

    def get_nowait(self) -> T:
        """The oldest item; IndexError when there is none."""
        return self._items.popleft()

    async def get(self) -> T:
        """The oldest item, waiting for one."""
        while not self._items:
            self._waiter = asyncio.get_running_loop().create_future()
            try:
                await self._waiter
            finally:
                self._waiter = None
        return self._items.popleft()
