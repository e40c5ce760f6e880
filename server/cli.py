"""The ``hackrooms`` command: run the server; ``hackrooms <subcommand>`` for the others.

Subcommands (each a module with a ``main(argv)``): ``purge`` erases the personal data of
forums past the retention period (server/purge_cli.py); ``export`` writes a forum's results
from the SQLite file (server/exports/cli.py).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable

import uvicorn

from .admission import AdmittedHTTPProtocol
from .app import create_app
from .config import Settings
from .transport import WebSocketProtocol


def _purge(argv: list[str]) -> None:
    from .purge_cli import main as purge  # imported when used: the server needs none of it

    purge(argv)


def _export(argv: list[str]) -> None:
    from .exports.cli import main as export  # imported when used, like purge

    raise SystemExit(export(argv, dict(os.environ)))


# A subcommand is the first argument; anything else (flags, nothing) runs the server.
SUBCOMMANDS: dict[str, Callable[[list[str]], None]] = {"purge": _purge, "export": _export}


def main(argv: list[str] | None = None) -> None:
    """Run a subcommand, or start the server with settings from the environment and flags."""
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in SUBCOMMANDS:
        SUBCOMMANDS[argv[0]](argv[1:])
        return
    serve(argv)


def serve(argv: list[str]) -> None:
    """Start the server with settings from the environment, overridden by flags."""
    parser = argparse.ArgumentParser(prog="hackrooms", description=__doc__)
    parser.add_argument("--host", help="interface to listen on (HACKROOMS_HOST)")
    parser.add_argument("--port", type=int, help="port (PORT or HACKROOMS_PORT)")
    parser.add_argument("--database", help="SQLite file or postgresql:// URL (HACKROOMS_DATABASE)")
    args = parser.parse_args(argv)
    env = dict(os.environ)
    for flag, key in (("host", "HACKROOMS_HOST"), ("port", "HACKROOMS_PORT"),
                      ("database", "HACKROOMS_DATABASE")):
        if getattr(args, flag) is not None:
            env[key] = str(getattr(args, flag))
    if args.port is not None:
        env.pop("PORT", None)
    settings = Settings.from_env(env)
    logging.basicConfig(level=settings.log_level.upper(),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    url = settings.public_url or f"http://{settings.host}:{settings.port}"
    print(f"hackrooms: open {url}/ in a browser to create a forum or join one", flush=True)
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port,
                log_level=settings.log_level, ws=WebSocketProtocol, loop=settings.event_loop,
                http=AdmittedHTTPProtocol,  # a few connections opened at a time: admission.py
                # The hard frame limit is above the protocol's message limit, so that an
                # oversized message gets a clear 'too_large' error instead of a dropped socket.
                ws_max_size=max(settings.max_message_bytes * 4, 1 << 20),
                # No permessage-deflate, though browsers offer it: it compresses every frame
                # once per connection (undoing encode-once fan-out; a join storm spent most of
                # its CPU there), holds ~50 KiB of zlib state per connection, and our frames
                # are small JSON. See docs/architecture.md, "Compression".
                ws_per_message_deflate=False,
                ws_ping_interval=20, ws_ping_timeout=20, access_log=False,
                timeout_graceful_shutdown=5)


if __name__ == "__main__":
    main()
