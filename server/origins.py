"""The browser origins allowed to open a websocket, derived from the configuration alone.

The request's ``Host`` header is never consulted: a page of ``http://evil.example`` whose name
was pointed at this server (DNS rebinding) sends ``Host: evil.example`` and
``Origin: http://evil.example``, which agree with each other but not with the configuration.
Finding this machine's addresses sends nothing on the network: they are read from the kernel.
"""

from __future__ import annotations

import ipaddress
import socket
from functools import cache
from itertools import pairwise
from pathlib import Path
from urllib.parse import urlsplit

from .config import Settings

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
WILDCARD_HOSTS = ("0.0.0.0", "::", "")
_DEFAULT_PORTS = {"http": 80, "https": 443}


@cache
def allowed_origins(settings: Settings) -> frozenset[str]:
    """Every origin allowed: the listed ones, else the listen address's; plus the public URL's."""
    allowed = {o.lower() for o in settings.allowed_origins}
    if settings.public_url:
        allowed.add(public_origin(settings.public_url))
    elif not allowed:
        allowed.update(listen_origins(settings.host, settings.port))
    return frozenset(allowed)


def public_origin(url: str) -> str:
    """The origin (``scheme://host[:port]``) of HACKROOMS_PUBLIC_URL, or ValueError."""
    try:
        parts = urlsplit(url)
        port = parts.port  # a port out of range raises here
    except ValueError:
        parts, port = urlsplit(""), None
    if parts.scheme not in _DEFAULT_PORTS or not parts.hostname:
        raise ValueError(f"HACKROOMS_PUBLIC_URL must be an http:// or https:// URL, got {url!r}")
    return origin(parts.scheme, parts.hostname, port or _DEFAULT_PORTS[parts.scheme])


def listen_origins(host: str, port: int) -> set[str]:
    """The origins a browser shows for pages of a server listening on ``host:port``."""
    if host in LOOPBACK_HOSTS:
        names: set[str] = set(LOOPBACK_HOSTS)
    elif host in WILDCARD_HOSTS:
        names = {*LOOPBACK_HOSTS, socket.gethostname(), *interface_addresses()}
    else:
        names = {host}
    return {origin("http", name, port) for name in names if name}


def origin(scheme: str, host: str, port: int) -> str:
    """An origin as browsers write it: lower case, IPv6 in brackets, no default port."""
    try:
        host = ipaddress.ip_address(host).compressed
    except ValueError:
        host = host.lower()
    if ":" in host:
        host = f"[{host}]"
    return f"{scheme}://{host}" if port == _DEFAULT_PORTS[scheme] else f"{scheme}://{host}:{port}"


def interface_addresses(proc: Path = Path("/proc/net")) -> set[str]:
    """This machine's own IPv4 and IPv6 addresses (Linux), link-local ones left out."""
    return _ipv4_local(proc / "fib_trie") | _ipv6_local(proc / "if_inet6")


def _ipv4_local(fib_trie: Path) -> set[str]:
    # In the kernel's routing trie each local address is a line of its own followed by
    # "/32 host LOCAL": the same list `ip -4 addr` shows, without a netlink socket.
    try:
        lines = fib_trie.read_text().splitlines()
    except OSError:
        return set()
    return {prev.split()[-1] for prev, line in pairwise(lines)
            if line.strip() == "/32 host LOCAL" and prev.strip().startswith("|--")}


def _ipv6_local(if_inet6: Path) -> set[str]:
    try:
        rows = [line.split() for line in if_inet6.read_text().splitlines()]
    except OSError:
        return set()
    addresses = {ipaddress.IPv6Address(bytes.fromhex(row[0])) for row in rows if row}
    return {a.compressed for a in addresses if not a.is_link_local}


def describe(settings: Settings) -> str:
    """The allowed origins in one line, for the log at start."""
    return ", ".join(sorted(allowed_origins(settings)))
