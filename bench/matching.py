"""Networking rounds: pairing a thousand people with five earlier rounds of history.

Run alone with ``python -m bench.matching`` (it rewrites its own section of docs/benchmarks.md;
``--people``, ``--crowds`` and ``--no-write`` for a quick look), or through ``make bench``.

Each crowd is a realistic forum (``tests/rooms/hall/populations.py``: one dominant sector and
many small ones, a host country and neighbours, organizations of up to a dozen people, 70% on
site) with five earlier rounds paired by the matcher, so the pairs already met are the diverse
ones. Three pairings of the next round, in the same run, on the same crowds: ours
(``rooms.hall.matching.pair_round``), a random pairing (what most tools do), and a plain greedy
(each free person in turn takes the free partner who adds most: the first implementation).
All three keep on-site and remote people apart. Time is the median of several runs of the
round alone (the history is built before the clock starts).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SECTION = "## Networking rounds: pairing"
RUNS = 7
TARGET_MS = 200

sys.path.insert(0, str(ROOT))

from bench.results import write_section  # noqa: E402
from rooms.hall.matching import Group, Quality, Weights, pair_round, quality  # noqa: E402
from tests.rooms.hall.populations import (  # noqa: E402
    greedy_pairing,
    history,
    population,
    random_pairing,
)


def _timed(fn: Callable[[int], list[Group]], runs: int) -> tuple[float, list[Group]]:
    """The median time of ``runs`` calls (seeds 0, 1, ...) in ms, and the first call's groups."""
    times, first = [], None
    for seed in range(runs):
        start = time.perf_counter()
        groups = fn(seed)
        times.append((time.perf_counter() - start) * 1000)
        first = groups if first is None else first
    assert first is not None
    return statistics.median(times), first


def measure(people: int = 1000, crowds: int = 5, runs: int = RUNS) -> dict[str, Any]:
    """The three pairings on ``crowds`` crowds of ``people``: time and quality figures."""
    rows: dict[str, list[dict[str, Any]]] = {"random": [], "greedy": [], "ours": []}
    for crowd in range(crowds):
        folks = population(people, crowd)
        met, triads = history(folks, 5, crowd)
        relaxed: list[tuple[str, ...]] = []

        def ours(seed: int, folks: Any = folks, met: Any = met, triads: Any = triads,
                 relaxed: list[tuple[str, ...]] = relaxed) -> list[Group]:
            made = pair_round(folks, met, triads, Weights(), mixed=False, seed=seed)
            relaxed.append(made.relaxed)
            return list(made.groups)

        pairings: dict[str, Callable[[int], list[Group]]] = {
            "random": partial(random_pairing, folks),
            "greedy": partial(greedy_pairing, folks, met),
            "ours": ours,
        }
        for name, fn in pairings.items():
            ms, groups = _timed(fn, runs)
            q = quality(groups, folks, met, mixed=False)
            rows[name].append({"ms": ms, "quality": q,
                               "relaxed": sorted({r for x in relaxed for r in x})
                               if name == "ours" else []})
        print(crowd, {k: (round(v[-1]["ms"], 1), v[-1]["quality"]) for k, v in rows.items()},
              flush=True)
    return {"people": people, "crowds": crowds, "runs": runs, "rows": rows}


def _summary(row: list[dict[str, Any]]) -> dict[str, Any]:
    qs: list[Quality] = [r["quality"] for r in row]
    return {
        "ms": statistics.median(r["ms"] for r in row),
        "ms_max": max(r["ms"] for r in row),
        "sector": sum(q.cross_sector for q in qs) / sum(q.sector_bound for q in qs),
        "sector_min": min(q.bound_share for q in qs),
        "country": sum(q.cross_country for q in qs) / sum(q.country_bound for q in qs),
        "cross_sector": sum(q.cross_sector for q in qs) / sum(q.groups for q in qs),
        "cross_country": sum(q.cross_country for q in qs) / sum(q.groups for q in qs),
        "repeats": sum(q.repeats for q in qs),
        "same_org": sum(q.same_organization for q in qs),
        "relaxed": sorted({x for r in row for x in r["relaxed"]}),
    }


def report(r: dict[str, Any]) -> str:
    """The Markdown section of docs/benchmarks.md."""
    names = {"random": "baseline, random pairing", "greedy": "baseline, plain greedy",
             "ours": "hackrooms matcher"}
    s = {k: _summary(v) for k, v in r["rows"].items()}
    rows = [f"| {names[k]} | {x['ms']:.1f} | {x['ms_max']:.1f} | {x['sector']:.1%} | "
            f"{x['sector_min']:.1%} | {x['country']:.1%} | {x['cross_sector']:.1%} | "
            f"{x['cross_country']:.1%} | {x['repeats']} | {x['same_org']} |"
            for k, x in s.items()]
    ours = s["ours"]
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    verdict = ("within" if ours["ms_max"] <= TARGET_MS else "**over**")
    return "\n".join([
        SECTION, "",
        f"`bench/matching.py`, on {time.strftime('%Y-%m-%d')}, {machine} (shared with other "
        f"work). {r['crowds']} realistic crowds of {r['people']} people (one dominant sector "
        "and many small ones, a host country and neighbours, organizations of up to a dozen "
        "people, 70% on site), each with five earlier rounds paired by the matcher; then the "
        "next round, three ways, on the same crowds in the same run. Time: the median of "
        f"{r['runs']} runs of the round alone, per crowd; the table gives the median and the "
        "slowest crowd. Shares of the bound are summed over the crowds (the exact bound "
        "`min(floor(n/2), n - m)`, per pool, summed over the on-site and remote pools), with "
        "the lowest crowd's too.", "",
        "| pairing | ms, median | ms, slowest crowd | cross-sector, share of bound | "
        "lowest crowd | cross-country, share of bound | cross-sector groups | "
        "cross-country groups | repeats | same-organization pairs |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        *rows, "",
        f"Target: at most {TARGET_MS} ms for a round of {r['people']}: {verdict} it. "
        f"Rules relaxed by the matcher: {', '.join(ours['relaxed']) or 'none'}. "
        "The baselines keep on-site and remote people apart too; the plain greedy avoids "
        "repeats and colleagues when its next person still has a choice, the random pairing "
        "does not try. See docs/networking.md for the algorithm.", ""])



def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--crowds", type=int, default=5)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    section = report(measure(args.people, args.crowds))
    print(section)
    if not args.no_write:
        write_section(SECTION, section)


if __name__ == "__main__":
    main()
