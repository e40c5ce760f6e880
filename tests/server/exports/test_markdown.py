"""The Markdown report: its headings and tables, the label first, people's text escaped."""

from __future__ import annotations

from server.exports import markdown
from server.exports.collect import collect

from .forum import NAMES, SECRET, forum


def _report() -> list[str]:
    return markdown.render(collect(forum("tlp-amber").sources())).splitlines()


def test_the_report_opens_with_the_forum_and_its_label() -> None:
    """A level-1 heading, then the label's quote."""
    lines = _report()
    assert lines[0] == "# Forum"
    assert lines[2].startswith("> **Confidentiality:** TLP:AMBER. Share only")
    assert lines[2].endswith("(`tlp-amber`)")


def test_the_report_has_its_sections_and_room_tables() -> None:
    """Recommendations, a section per room with a table of ideas in vote order."""
    lines = _report()
    headings = [line for line in lines if line.startswith("## ")]
    assert headings[0] == "## Recommendations"
    assert sum(h.startswith("## Room: ") for h in headings) == 2
    assert {"## Plenary questions", "## Connections", "## Participation"} <= set(headings)
    start = lines.index("| Idea | Author | Cluster | Votes | Comments |")
    rows = []
    for line in lines[start + 2:]:
        if not line.startswith("|"):
            break
        rows.append([c.strip() for c in line.strip("|").split("|")])
    assert rows[0][:2] == ["Sirens in every village", NAMES["p1"]]
    assert [int(r[3]) for r in rows] == sorted((int(r[3]) for r in rows), reverse=True)


def test_text_cannot_break_a_table_or_start_a_heading() -> None:
    """A pipe, a leading # or = and a line break are escaped or joined."""
    assert markdown.text("a | b\nc") == "a \\| b c"
    assert markdown.text("# big").startswith("\\#")
    assert markdown.text("=1+1").startswith("\\=")


def test_the_anonymous_question_shows_no_asker() -> None:
    """Its row says anonymous; the asker's name is nowhere."""
    lines = _report()
    row = next(line for line in lines if SECRET.split()[0] in line and line.startswith("|"))
    assert row.split("|")[2].strip() == "anonymous"
    assert not any(NAMES["p5"] in line for line in lines)


def test_the_report_has_the_questionnaires_table() -> None:
    """An Evaluation section whose table gives the NPS of the recommendation question."""
    lines = _report()
    start = lines.index("## Evaluation")
    row = next(line for line in lines[start:] if line.startswith("| How likely"))
    assert [c.strip() for c in row.strip("|").split("|")][1:] == ["5", "8.4", "40"]
