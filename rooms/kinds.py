"""The kinds of log the server hosts, by the name stored with each log's record."""

from __future__ import annotations

from types import MappingProxyType

from .hall.hall import HALL
from .kind import Kind
from .room import ROOM

KINDS = MappingProxyType({k.name: k for k in (ROOM, HALL)})


def kind_named(name: str) -> Kind:
    """The kind of a stored log; a name this version does not know is an error of the store."""
    return KINDS[name]
