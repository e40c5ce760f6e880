"""CSV tables read back with the csv module: BOM, UTF-8 names, label column, no formulas."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from server.exports import csv_export
from server.exports.collect import collect

from .forum import FORMULAS, NAMES, forum


def _rows(table: str, label: str = "tlp-amber") -> list[dict[str, str]]:
    raw = csv_export.render(collect(forum(label).sources()), table)
    assert raw.startswith(b"\xef\xbb\xbf")  # the byte order mark
    text = raw[3:].decode("utf-8")
    assert "\r\n" in text  # RFC 4180 line ends
    return list(csv.DictReader(io.StringIO(text, newline="")))


@pytest.mark.parametrize("table", sorted(csv_export.TABLES))
def test_every_table_parses_and_every_row_carries_the_label(table: str) -> None:
    """Each table reads back; each of its rows starts with the label."""
    raw = csv_export.render(collect(forum("tlp-green").sources()), table)
    reader = list(csv.reader(io.StringIO(raw[3:].decode("utf-8"), newline="")))
    assert reader[0][0] == "label"
    assert all(row[0] == "tlp-green" for row in reader[1:])


def test_the_regions_names_survive() -> None:
    """Ą, Ł, Ž, Ņ, Ė, Õ, Å, Ø come back as they went in."""
    authors = {r["author"] for r in _rows("ideas")}
    assert {NAMES["p1"], NAMES["p2"], NAMES["p3"], NAMES["p4"]} <= authors


def test_formula_cells_come_back_escaped() -> None:
    """=1+1, +x, -x, @x are written with a leading quote, the comment too."""
    ideas = {r["idea"] for r in _rows("ideas")}
    assert {"'" + f for f in FORMULAS} <= ideas
    assert not ideas & set(FORMULAS)


def test_the_cell_escape_covers_tab_and_carriage_return_but_not_numbers() -> None:
    """OWASP's list: = + - @ tab CR; a number stays a number."""
    assert [csv_export.cell(v) for v in ("\tx", "\rx", "ok", -3, None)] == [
        "'\tx", "'\rx", "ok", -3, ""]


def test_votes_name_voters_only_in_the_named_room() -> None:
    """Named room: a row per voter; anonymous room: one row without a voter."""
    rows = _rows("votes")
    sirens = [r for r in rows if r["idea"] == "Sirens in every village"]
    assert {(r["voter"], r["voter_votes"]) for r in sirens} == {(NAMES["p1"], "2"),
                                                                (NAMES["p2"], "1")}
    maps = [r for r in rows if r["idea"] == "Shared flood maps"]
    assert [(r["votes"], r["voter"]) for r in maps] == [("2", "")]


def test_connections_list_only_mutual_pairs() -> None:
    """One row: p1 and p2."""
    rows = _rows("connections")
    assert [{r["name_a"], r["name_b"]} for r in rows] == [{NAMES["p1"], NAMES["p2"]}]


def test_recommendations_come_ranked_with_their_provenance() -> None:
    """Rank by votes across rooms, with source ideas and the supporters' sectors."""
    rows = _rows("recommendations")
    assert [(r["rank"], r["title"], r["votes"]) for r in rows] == [
        ("1", "Sirens for every village", "3"), ("2", "Shared maps for the region", "2"),
        ("3", "Cell broadcast", "1")]
    assert rows[0]["source_ideas"] == "Sirens in every village (3)"
    assert rows[0]["by_sector"] == "Business: 1; Municipality: 1"


def test_action_items_carry_their_history_with_a_defused_note() -> None:
    """Status, due date, and the history; a note starting with = stays inert inside it."""
    (row,) = _rows("actions")
    assert (row["status"], row["due"]) == ("done", "2027-03-01")
    assert "in_progress by an organizer or facilitator: =started" in row["history"]
    assert row["history"].startswith("20")  # the cell starts with a date, not a formula


def test_questionnaire_answers_are_counts_with_small_groups_suppressed() -> None:
    """Per question and group counts; groups under three are one suppressed row, no counts."""
    rows = _rows("evaluation")
    knowledge = [r for r in rows if r["question_id"] == "knowledge"]
    overall = {r["answer"]: int(r["count"]) for r in knowledge if r["group"] == "overall"}
    assert overall == {"1": 0, "2": 1, "3": 1, "4": 2, "5": 1}
    sectors = [r for r in knowledge if r["group"] == "sector"]
    assert sectors
    assert all((r["suppressed"], r["count"]) == ("yes", "") for r in sectors)
    nps = next(r for r in rows if r["question_id"] == "recommend" and r["group"] == "overall")
    assert nps["nps"] == "40"


def test_free_text_answers_are_listed_overall_only_and_defused() -> None:
    """Each text once, under overall, with its formula start escaped; nobody's name."""
    rows = [r for r in _rows("evaluation") if r["question_id"] == "improve"]
    texts = {r["answer"] for r in rows if r["group"] == "overall"}
    assert {"'-more coffee", "'+better wifi", "'@all: more time"} <= texts
    assert not [r for r in rows if r["group"] != "overall" and r["suppressed"] == "no"
                and r["answer"].startswith("'")]
    assert not any(name in str(r) for r in rows for name in NAMES.values())


@given(st.text(max_size=40))
def test_any_text_reads_back_as_itself_or_defused(text: str) -> None:
    """Through csv: a text comes back as written, or with one leading quote if it could run."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow([csv_export.cell(text)])
    (row,) = list(csv.reader(io.StringIO(out.getvalue(), newline="")))
    expected = "'" + text if text.startswith(csv_export.FORMULA_START) else text
    assert row == [expected]
