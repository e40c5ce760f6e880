"""``hackrooms export``: a forum's results from the SQLite file, without a running server.

The logs are replayed from the store (``sources.stored``), which a running server keeps
committing to (SQLite's WAL lets this read beside it), so an export made here says what one
made over HTTP says. Errors are one line on stderr and exit code 2 (usage, no such forum) or
3 (no PDF engine).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from ..app import load_vocabulary
from ..config import Settings
from ..room_host import wall_clock
from ..store import open_store
from . import brief, csv_export, json_export, markdown, pdf
from .collect import Model, collect
from .sources import NoForum, stored

FORMATS = ("json", "md", "csv", "html", "pdf")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="hackrooms export", description=__doc__.splitlines()[0])
    p.add_argument("forum_id", help="the forum's id (its organizer's links carry it)")
    p.add_argument("--format", choices=FORMATS, default="json", help="default: json")
    p.add_argument("--table", choices=tuple(csv_export.TABLES), default="ideas",
                   help="with --format csv: which table (default: ideas)")
    p.add_argument("--out", help="file to write (default: standard output)")
    p.add_argument("--database", help="SQLite file (default: HACKROOMS_DATABASE)")
    return p


def main(argv: list[str], env: dict[str, str]) -> int:
    """Run ``hackrooms export``; the exit code."""
    args = parser().parse_args(argv)
    if args.database:
        env = {**env, "HACKROOMS_DATABASE": args.database}
    settings = Settings.from_env(env)
    if not Path(settings.database).exists():
        print(f"hackrooms export: no database at {settings.database}", file=sys.stderr)
        return 2
    try:
        body = asyncio.run(_export(settings, args.forum_id, args.format, args.table))
    except NoForum:
        print(f"hackrooms export: no forum {args.forum_id} in {settings.database}",
              file=sys.stderr)
        return 2
    except pdf.PdfUnavailable as error:
        print(f"hackrooms export: {error}", file=sys.stderr)
        return 3
    if args.out:
        Path(args.out).write_bytes(body)
    else:
        sys.stdout.buffer.write(body)
        sys.stdout.buffer.flush()
    return 0


async def _export(settings: Settings, forum_id: str, fmt: str, table: str) -> bytes:
    store = open_store(settings.database)
    await store.open()
    try:
        model = collect(await stored(store, forum_id, load_vocabulary(settings), wall_clock()))
    finally:
        await store.close()
    return await render(model, fmt, table, settings.chromium)


async def render(model: Model, fmt: str, table: str, chromium: str | None) -> bytes:
    """One format of a model as the bytes of its file."""
    if fmt == "json":
        return json_export.render(model)
    if fmt == "md":
        return markdown.render(model).encode("utf-8")
    if fmt == "csv":
        return csv_export.render(model, table)
    html = brief.render(model)
    if fmt == "html":
        return html.encode("utf-8")
    return await pdf.render(html, pdf.find_chromium(chromium))
