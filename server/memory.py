"""Giving the memory of unloaded rooms back to the system.

A room that is unloaded frees its objects, but the C allocator keeps the freed pages for later
allocations: a process that hosted a busy day kept their RSS long after the rooms had gone
(docs/benchmarks.md, "Many rooms over a day"). glibc's ``malloc_trim`` hands the free pages
back. It walks the heap (a few milliseconds), so it runs once per sweep that unloaded rooms,
never per room. Elsewhere than glibc it does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
from collections.abc import Callable

log = logging.getLogger("hackrooms.memory")


def _find_trim() -> Callable[[int], int] | None:
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        trim: Callable[[int], int] = ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError):  # not glibc
        return None
    return trim


_trim = _find_trim()


def resident_bytes() -> int:
    """This process's resident set size (Linux; 0 elsewhere)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def release_freed_memory() -> int | None:
    """Return the allocator's free pages to the system: the bytes of RSS that went with them
    (None where that cannot be done)."""
    if _trim is None:
        return None
    before = resident_bytes()
    _trim(0)
    return max(0, before - resident_bytes())
