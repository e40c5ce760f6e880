"""The join link handed out (console, projector, QR code): one a phone in the room can open.

A link the server builds from the request's own address would be ``127.0.0.1`` when the
facilitator opened the console on the laptop that runs the server, and no phone can open that.
So the link follows the configuration, as the allowed origins do (``server.origins``):
``HACKROOMS_PUBLIC_URL`` when set; else, for a server listening on every interface, this
machine's primary LAN address; else the request's base, flagged ``local_only`` when the server
listens on loopback, where no other device can reach it whatever the link says.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass

from .config import Settings
from .origins import LOOPBACK_HOSTS, WILDCARD_HOSTS, interface_addresses, origin

# TEST-NET-1 (RFC 5737): never routed on the internet. A UDP socket "connected" to it only
# asks the kernel which local address its route would use; no packet is sent.
_PROBE = ("192.0.2.1", 9)


@dataclass(frozen=True, slots=True)
class JoinBase:
    """The base of the join link, and whether only this machine can open it."""

    url: str
    local_only: bool


def lan_address() -> str | None:
    """This machine's primary non-loopback IPv4 address (its default route's), or None."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(_PROBE)
            address = str(probe.getsockname()[0])
    except OSError:  # no route at all (no network): fall back to the interfaces
        address = ""
    if _usable(address):
        return address
    found = sorted(a for a in interface_addresses() if _usable(a))
    return found[0] if found else None


def _usable(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return ip.version == 4 and not (ip.is_loopback or ip.is_unspecified or ip.is_link_local)


def join_base(settings: Settings, request_base: str) -> JoinBase:
    """Where phones open the join page: public URL, else LAN address, else the request's."""
    if settings.public_url:
        return JoinBase(settings.public_url, False)
    if settings.host in WILDCARD_HOSTS and (address := lan_address()):
        return JoinBase(origin("http", address, settings.port), False)
    return JoinBase(request_base, settings.host in LOOPBACK_HOSTS)


def join_json(base: JoinBase, code: str) -> dict[str, object]:
    """The ``join`` object of the API's answers (docs/protocol.md, "The join link")."""
    return {"code": code, "url": f"{base.url}/join/{code}",
            "qr": f"{base.url}/api/join/{code}/qr.svg", "local_only": base.local_only}
