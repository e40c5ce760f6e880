"""What the routes share for the life of the app: settings, store, bus, rooms, signer."""

from __future__ import annotations

from dataclasses import dataclass

from rooms.profiles import Vocabulary

from .auth import Signer
from .bus.base import Bus
from .config import Settings
from .hosts import RoomHosts
from .limits import Limits
from .openings import Openings
from .store.base import Store


@dataclass(frozen=True, slots=True)
class Services:
    """Opened by the lifespan, closed when the app stops; nothing global."""

    settings: Settings
    store: Store
    bus: Bus
    hosts: RoomHosts
    signer: Signer
    vocabulary: Vocabulary
    limits: Limits
    openings: Openings
