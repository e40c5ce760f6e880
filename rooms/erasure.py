"""Erasure: what a log keeps of a person who erased their personal data (GDPR art. 17).

A log is append-only, but the profile its ``member.joined`` events carry is personal data. On
erasure those events are rewritten (server/erasure.py): the member is shown as "a participant",
their organization and "about" line are emptied, and their sector and country are kept only
where at least ``K_ANONYMITY`` members of the forum share the value, so that a sector of one
(the only fire officer of a country) cannot name them. Every other event refers to people by
opaque ids and is kept as it is: the person's contributions stay, attributed to "a participant".

Nothing here does I/O: it is fed the stored events and the forum's profiles, and returns the
events to rewrite.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

ERASED_NAME = "a participant"
K_ANONYMITY = 5  # a sector or country is kept when at least this many members share it
WITHHELD = ""  # a sector or country that would identify the person
PROFILE_EVENTS = frozenset({"member.joined"})  # the events that carry a person's profile


@dataclass(frozen=True, slots=True)
class Profile:
    """What a forum knows of a member's groups: enough to decide what may be kept."""

    id: str
    sector: str
    country: str


@dataclass(frozen=True, slots=True)
class Kept:
    """The groups of one erased member that are large enough to keep."""

    sector: bool
    country: bool


def kept_groups(erased: Iterable[str], profiles: Iterable[Profile],
                k: int = K_ANONYMITY) -> dict[str, Kept]:
    """For each erased id, whether their sector and country are shared by ``k`` or more."""
    everyone = list(profiles)
    sectors = Counter(p.sector for p in everyone)
    countries = Counter(p.country for p in everyone)
    by_id = {p.id: p for p in everyone}
    out = {}
    for member in erased:
        p = by_id.get(member)
        out[member] = Kept(p is not None and sectors[p.sector] >= k,
                           p is not None and countries[p.country] >= k)
    return out


def redacted(data: Mapping[str, Any], kept: Kept) -> dict[str, Any]:
    """A ``member.joined`` profile as it stays after its person erased their data."""
    out = {**data, "name": ERASED_NAME, "organization": "",
           "sector": data.get("sector", "") if kept.sector else WITHHELD,
           "country": data.get("country", "") if kept.country else WITHHELD}
    if "about" in data:
        out["about"] = ""
    return out


def rewrites(events: Iterable[tuple[int, str, Mapping[str, Any]]],
             kept: Mapping[str, Kept]) -> dict[int, dict[str, Any]]:
    """The redacted data of each event (by seq) that carries an erased member's profile.

    ``events`` are ``(seq, name, data)``. An event redacted already comes out unchanged
    (``redacted`` of a redacted profile is itself), so erasing twice changes nothing.
    """
    out: dict[int, dict[str, Any]] = {}
    for seq, name, data in events:
        member = data.get("id") if name in PROFILE_EVENTS else None
        if isinstance(member, str) and member in kept:
            out[seq] = redacted(data, kept[member])
    return out


def profiles(events: Iterable[tuple[str, Mapping[str, Any]]]) -> list[Profile]:
    """Each member's latest sector and country, from ``(name, data)`` of a forum's logs."""
    latest: dict[str, Profile] = {}
    for name, data in events:
        member = data.get("id")
        if name in PROFILE_EVENTS and isinstance(member, str):
            latest[member] = Profile(member, str(data.get("sector", "")),
                                     str(data.get("country", "")))
    return list(latest.values())
