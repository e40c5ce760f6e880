"""The brief as PDF, printed by headless Chromium from the same HTML the browser shows.

Why Chromium (docs/exports.md, "PDF"): the organizer who prints the brief from the browser and
the one who downloads the PDF get the same layout from the same engine, including the header
and label repeated on every page; WeasyPrint would be a second layout engine with its own CSS
subset and its own system libraries to install. Chromium is already a system package of this
project (the browser tests), it runs as a separate process (a crash or a hang cannot take the
server with it: it is killed after a timeout), and it reads a temporary file, with networking
off, so the brief cannot fetch anything.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import tempfile
from pathlib import Path

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
TIMEOUT_S = 60


class PdfUnavailable(Exception):
    """No PDF engine here (Chromium is not installed), or it failed to print."""


def find_chromium(configured: str | None) -> str | None:
    """The Chromium to print with: the configured one, else the first found on PATH."""
    if configured:
        return configured if Path(configured).exists() or shutil.which(configured) else None
    return next((found for name in CANDIDATES if (found := shutil.which(name))), None)


async def render(html: str, chromium: str | None, timeout_s: float = TIMEOUT_S) -> bytes:
    """Print an HTML document to PDF bytes with headless Chromium."""
    if chromium is None:
        raise PdfUnavailable("no Chromium is installed on the server to print the PDF; "
                             "install it (or set HACKROOMS_CHROMIUM), or print the HTML "
                             "brief from a browser")
    with tempfile.TemporaryDirectory(prefix="hackrooms-brief-") as tmp:
        page, out = Path(tmp) / "brief.html", Path(tmp) / "brief.pdf"
        page.write_text(html, "utf-8")
        args = [chromium, "--headless", "--disable-gpu", "--no-sandbox", "--no-first-run",
                "--disable-extensions", "--disable-background-networking",
                "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
                f"--user-data-dir={tmp}/profile", "--no-pdf-header-footer",
                "--run-all-compositor-stages-before-draw",
                f"--print-to-pdf={out}", page.as_uri()]
        try:
            # Its own process group, so that a timeout ends its renderer processes too.
            process = await asyncio.create_subprocess_exec(
                *args, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
                start_new_session=True)
        except OSError as error:
            raise PdfUnavailable(f"Chromium could not be started: {error}") from error
        try:
            async with asyncio.timeout(timeout_s):
                await process.wait()
        except TimeoutError as error:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            await process.wait()
            raise PdfUnavailable(f"Chromium did not print within {timeout_s} seconds") from error
        if not out.exists() or out.stat().st_size == 0:
            raise PdfUnavailable(f"Chromium printed nothing (exit code {process.returncode})")
        return out.read_bytes()
