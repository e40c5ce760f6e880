"""The allowed websocket origins follow from the settings alone, never from a request."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import pytest

from server.config import Settings
from server.join_link import JoinBase, join_base, lan_address
from server.origins import allowed_origins, interface_addresses, listen_origins, public_origin

FIB_TRIE = """Main:
  +-- 0.0.0.0/0 3 0 5
     |-- 0.0.0.0
        /0 universe UNICAST
     +-- 127.0.0.0/8 2 0 2
        +-- 127.0.0.0/31 1 0 0
           |-- 127.0.0.0
              /8 host LOCAL
           |-- 127.0.0.1
              /32 host LOCAL
        |-- 127.255.255.255
           /32 link BROADCAST
     +-- 192.168.1.0/24 2 0 2
        |-- 192.168.1.0
           /24 link UNICAST
        |-- 192.168.1.20
           /32 host LOCAL
        |-- 192.168.1.255
           /32 link BROADCAST
"""
IF_INET6 = """00000000000000000000000000000001 01 80 10 80       lo
fe8000000000000000fc00fffe000001 04 40 20 80     eth0
fd000000000000000000000000000002 04 40 00 82     eth0
"""


def _proc(tmp_path: Path) -> Path:
    (tmp_path / "fib_trie").write_text(FIB_TRIE)
    (tmp_path / "if_inet6").write_text(IF_INET6)
    return tmp_path


def test_interface_addresses_are_read_from_the_kernel_tables(tmp_path: Path) -> None:
    """Local IPv4 and IPv6 addresses are found; networks, broadcasts and link-local are not."""
    assert interface_addresses(_proc(tmp_path)) == {"127.0.0.1", "192.168.1.20", "::1",
                                                     "fd00::2"}


def test_no_kernel_tables_means_no_interface_addresses(tmp_path: Path) -> None:
    """Where /proc/net does not exist (not Linux), no address is guessed."""
    assert interface_addresses(tmp_path / "missing") == set()


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1"])
def test_a_loopback_listener_allows_the_loopback_names(host: str) -> None:
    """Listening on loopback allows localhost, 127.0.0.1 and [::1] on that port, nothing else."""
    assert listen_origins(host, 8000) == {"http://localhost:8000", "http://127.0.0.1:8000",
                                          "http://[::1]:8000"}


@pytest.mark.parametrize("host", ["0.0.0.0", "::"])
def test_a_wildcard_listener_allows_this_machines_names_and_addresses(host: str) -> None:
    """Listening everywhere adds the machine's own addresses and host name, on that port."""
    origins = listen_origins(host, 8000)
    assert {"http://localhost:8000", "http://127.0.0.1:8000", "http://[::1]:8000"} <= origins
    assert all(o.startswith("http://") and o.endswith(":8000") for o in origins)
    assert not any(o.startswith("http://0.0.0.0") or "[::]" in o for o in origins)


@pytest.mark.parametrize(("host", "port", "origin"), [
    ("192.168.1.20", 8000, "http://192.168.1.20:8000"),
    ("FD00:0:0::2", 8000, "http://[fd00::2]:8000"),
    ("Forum.LAN", 80, "http://forum.lan"),
])
def test_a_named_listener_allows_exactly_its_own_origin(host: str, port: int,
                                                        origin: str) -> None:
    """Any other listen address allows its own origin as a browser writes it."""
    assert listen_origins(host, port) == {origin}


@pytest.mark.parametrize(("url", "origin"), [
    ("https://Forum.Example.org/hackrooms/", "https://forum.example.org"),
    ("https://forum.example.org:443", "https://forum.example.org"),
    ("http://forum.example.org:8080/x?y#z", "http://forum.example.org:8080"),
    ("https://user:secret@forum.example.org", "https://forum.example.org"),
    ("http://[::1]:81/", "http://[::1]:81"),
])
def test_the_public_urls_origin(url: str, origin: str) -> None:
    """The public URL's origin drops path, credentials and a default port, as browsers do."""
    assert public_origin(url) == origin


@pytest.mark.parametrize("url", ["forum.example.org", "ftp://forum.example.org", "https://",
                                 "http://forum.example.org:99999"])
def test_a_public_url_without_an_http_origin_is_an_error(url: str) -> None:
    """A public URL that names no http(s) origin is refused, not silently allowed."""
    with pytest.raises(ValueError, match="HACKROOMS_PUBLIC_URL must be"):
        public_origin(url)


@pytest.mark.parametrize(("settings", "expected"), [
    (Settings(port=9000), {"http://localhost:9000", "http://127.0.0.1:9000",
                           "http://[::1]:9000"}),
    (Settings(public_url="https://forum.example.org"), {"https://forum.example.org"}),
    (Settings(allowed_origins=("https://A.example",)), {"https://a.example"}),
    (Settings(allowed_origins=("https://a.example",), public_url="https://b.example/x"),
     {"https://a.example", "https://b.example"}),
])
def test_allowed_origins_follow_the_settings(settings: Settings, expected: set[str]) -> None:
    """The list, else the public URL, else the listen address; the public URL is always in."""
    assert allowed_origins(settings) == expected


@pytest.mark.parametrize("host", ["0.0.0.0", "::"])
def test_a_wildcard_listener_allows_the_lan_address_of_its_join_link(host: str) -> None:
    """The LAN address the join link hands out (server/join_link.py) may open websockets."""
    settings = Settings(host=host, port=8123)
    base = join_base(settings, "http://127.0.0.1:8123")
    assert not base.local_only
    assert base.url in allowed_origins(settings)
    assert base.url == f"http://{lan_address()}:8123"


def test_the_lan_address_is_a_usable_ipv4_of_this_machine() -> None:
    """The primary LAN address is IPv4, not loopback, and one of this machine's own."""
    address = lan_address()
    assert address is not None
    ip = ipaddress.ip_address(address)
    assert ip.version == 4
    assert not ip.is_loopback
    assert address in interface_addresses()


@pytest.mark.parametrize(("settings", "url", "local_only"), [
    (Settings(host="127.0.0.1"), "http://127.0.0.1:8000", True),
    (Settings(host="localhost"), "http://127.0.0.1:8000", True),
    (Settings(host="192.168.1.20"), "http://127.0.0.1:8000", False),
    (Settings(host="0.0.0.0", public_url="https://forum.example"), "https://forum.example",
     False),
    (Settings(host="127.0.0.1", public_url="https://forum.example"), "https://forum.example",
     False),
])
def test_the_join_base_follows_the_settings(settings: Settings, url: str,
                                            local_only: bool) -> None:
    """The public URL wins; a loopback listener keeps the request's base, flagged local only."""
    assert join_base(settings, "http://127.0.0.1:8000") == JoinBase(url, local_only)
