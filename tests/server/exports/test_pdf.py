"""The brief printed to PDF by headless Chromium: its text, its pages, the label on each."""

from __future__ import annotations

import io
from pathlib import Path

import pypdf
import pytest

from server.exports import brief, pdf
from server.exports.collect import collect

from .forum import forum


async def _printed(label: str, rooms: int = 0) -> pypdf.PdfReader:
    model = collect(forum(label).sources())
    if rooms:  # a long brief: a long topic and many rooms with long challenges
        model["forum"]["topic"] = "Floods, forest fires and heat waves. " * 40
        model["rooms"] = [{**model["rooms"][0], "title": f"Room {n}",
                           "challenge": "Warn everyone in time. " * 12} for n in range(rooms)]
    printed = await pdf.render(brief.render(model), pdf.find_chromium(None))
    assert printed.startswith(b"%PDF-")
    return pypdf.PdfReader(io.BytesIO(printed))


async def test_every_page_of_a_long_brief_carries_the_label() -> None:
    """A brief of several pages has the label (header and footer) on each of them."""
    reader = await _printed("tlp-red", rooms=40)
    assert len(reader.pages) >= 3
    for page in reader.pages:
        text = page.extract_text()
        assert text.count("TLP:RED") >= 2, text[:300]


async def test_the_pdf_carries_the_sections_and_the_recommendations_in_vote_order() -> None:
    """The headings and the three recommendations, most votes first, in the PDF's text."""
    reader = await _printed("chatham-house")
    text = "\n".join(page.extract_text() for page in reader.pages)
    for heading in ("The problem", "Recommendations", "Who took part", "Chatham House Rule"):
        assert heading in text
    titles = ["Sirens for every village", "Shared maps for the region", "Cell broadcast"]
    assert [text.index(t) for t in titles] == sorted(text.index(t) for t in titles)


async def test_a_brief_without_recommendations_is_one_page() -> None:
    """The page count follows the content: nothing recommended or asked fits one page."""
    model = collect(forum().sources())
    model["recommendations"] = []
    model["evaluation"]["questions"] = []
    printed = await pdf.render(brief.render(model), pdf.find_chromium(None))
    assert len(pypdf.PdfReader(io.BytesIO(printed)).pages) == 1


async def test_no_engine_is_a_clear_error() -> None:
    """Without a Chromium the PDF is refused with a message saying what to do."""
    with pytest.raises(pdf.PdfUnavailable, match="HACKROOMS_CHROMIUM"):
        await pdf.render("<p>x</p>", None)
    assert pdf.find_chromium("/nonexistent/chromium") is None


async def test_a_hanging_engine_is_stopped_after_the_timeout(tmp_path: Path) -> None:
    """A "Chromium" that never finishes is killed, and the PDF refused with a clear error."""
    fake = tmp_path / "chromium"
    fake.write_text("#!/bin/sh\nexec sleep 30\n")
    fake.chmod(0o755)
    with pytest.raises(pdf.PdfUnavailable, match="did not print within"):
        await pdf.render("<p>x</p>", str(fake), timeout_s=0.5)
