"""Hellos take turns to be opened: a few at a time, in arrival order, and none waits for ever."""

from __future__ import annotations

import asyncio

import pytest

from server.openings import Openings, OpeningsFull


async def test_at_most_the_limit_open_at_once_in_arrival_order() -> None:
    """Six hellos with two turns: never more than two inside, let in in the order they came."""
    openings, inside, most, order = Openings(2, wait_s=5), 0, 0, []
    gates = [asyncio.Event() for _ in range(6)]
    entered = [asyncio.Event() for _ in range(6)]

    async def hello(n: int) -> None:
        nonlocal inside, most
        async with openings.turn():
            order.append(n)
            entered[n].set()
            inside += 1
            most = max(most, inside)
            await gates[n].wait()
            inside -= 1

    tasks = [asyncio.create_task(hello(n)) for n in range(6)]
    for n, gate in enumerate(gates):  # let each finish in turn, once it is inside
        await asyncio.wait_for(entered[n].wait(), 5)
        gate.set()
    await asyncio.wait_for(asyncio.gather(*tasks), 5)
    assert most == 2
    assert order == list(range(6))


async def test_a_hello_that_gets_no_turn_in_time_is_refused() -> None:
    """With the only turn held, a second hello waits its allowance and is refused."""
    openings, held, taken = Openings(1, wait_s=0.05), asyncio.Event(), asyncio.Event()

    async def holder() -> None:
        async with openings.turn():
            taken.set()
            await held.wait()

    task = asyncio.create_task(holder())
    await asyncio.wait_for(taken.wait(), 5)
    with pytest.raises(OpeningsFull):
        async with openings.turn():
            pass
    held.set()
    await task
    async with openings.turn():  # the turn is free again
        pass


async def test_zero_means_no_limit() -> None:
    """With the limit off, a hundred hellos are inside at once."""
    openings, inside, all_in = Openings(0, wait_s=0), 0, asyncio.Event()

    async def hello() -> None:
        nonlocal inside
        async with openings.turn():
            inside += 1
            if inside == 100:
                all_in.set()
            await all_in.wait()

    await asyncio.wait_for(asyncio.gather(*(hello() for _ in range(100))), 5)
    assert inside == 100
