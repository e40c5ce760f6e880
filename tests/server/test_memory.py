"""Freed memory goes back to the system when the server asks (after unloading rooms)."""

from __future__ import annotations

import subprocess
import sys

# A child process, so that no other test's heap is measured: it fills 96 MiB with 2 KiB
# objects (above obmalloc's limit: the C allocator's), frees all but every 64th (what is left
# pins the heap, so the allocator cannot just shrink its top), and reads its RSS before and
# after asking for the free pages to be given back.
_CHILD = """
from server.memory import release_freed_memory, resident_bytes as rss

blocks = [bytes([i % 251]) * 2048 for i in range(48 * 1024)]
kept = blocks[::64] + [blocks[-1]]
del blocks
before = rss()
given = release_freed_memory()
print(before, rss(), given, len(kept))
"""


def test_release_gives_the_free_pages_of_a_fragmented_heap_back() -> None:
    """After freeing most of 96 MiB, RSS falls by most of it once freed memory is released."""
    out = subprocess.run([sys.executable, "-c", _CHILD], check=True, capture_output=True,
                         text=True, timeout=60).stdout.split()
    before, after, given = int(out[0]), int(out[1]), int(out[2])
    assert before - after > 64 * 1024 * 1024, (before, after)
    # What it says it gave back is what RSS lost (give or take the few pages that printing
    # and reading /proc touch between the readings).
    assert abs(given - (before - after)) < 1024 * 1024, (given, before - after)
