"""The export as spreadsheet tables: one CSV per table, for the people who work in Excel.

RFC 4180 (comma, CRLF, quotes doubled), UTF-8 with a byte order mark so that a spreadsheet
opens the region's names (Ą, Ł, Ž, Ņ, Ė, Õ, Å, Ø) as they are. A text cell a spreadsheet would
run as a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return, as
OWASP lists them) gets a leading ``'``, which shows it as the text it is; numbers are written
as numbers. The first column of every row is the forum's confidentiality label, so that rows
copied or filtered elsewhere still carry it.

Questionnaire answers are counts per question and group (the results' cells, with the same
suppression below three respondents), never one row per respondent: a row of one person's
answers, even without a name, can identify them by its combination.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Callable, Iterator
from typing import Any

from .collect import Model

BOM = "\ufeff"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

Row = list[Any]
Table = Callable[[Model], Iterator[Row]]


def _ideas(m: Model) -> Iterator[Row]:
    yield ["room", "idea_id", "idea", "author", "cluster", "votes", "comments",
           "reactions", "created_at"]
    for room in m["rooms"]:
        titles = {c["id"]: c["title"] for c in room["clusters"]}
        for i in room["ideas"]:
            yield [room["title"], i["id"], i["text"], i["author"],
                   titles.get(i["cluster"], ""), i["votes"], len(i["comments"]),
                   sum(i["reactions"].values()), _iso(i["created_at"])]


def _votes(m: Model) -> Iterator[Row]:
    yield ["room", "idea_id", "idea", "votes", "voter", "voter_votes"]
    for room in m["rooms"]:
        for i in room["ideas"]:
            if i["voters"]:  # the room voted by name
                for v in i["voters"]:
                    yield [room["title"], i["id"], i["text"], i["votes"], v["name"], v["votes"]]
            else:
                yield [room["title"], i["id"], i["text"], i["votes"], "", ""]


def _recommendations(m: Model) -> Iterator[Row]:
    yield ["rank", "room", "recommendation_id", "title", "rationale", "action", "owner", "due",
           "votes", "supporters", "source_ideas", "by_sector", "by_country"]
    v = m["vocabulary"]
    for rank, r in enumerate(m["recommendations"], 1):
        yield [rank, r["room_title"], r["id"], r["title"], r["rationale"], r["action"],
               r["owner"], r["due"] or "", r["votes"], r["supporters"],
               " | ".join(f"{i['text']} ({i['votes']})" for i in r["ideas"]),
               _counts(r["by_sector"], v["sectors"]), _counts(r["by_country"], v["countries"])]


def _actions(m: Model) -> Iterator[Row]:
    yield ["room", "action_id", "recommendation_id", "title", "owner", "due", "status",
           "last_change", "history"]
    for room in m["rooms"]:
        for a in room["actions"]:
            last = a["history"][-1]["at"] if a["history"] else None
            yield [room["title"], a["id"], a["recommendation"] or "", a["title"], a["owner"],
                   a["due"] or "", a["status"], _iso(last) if last else "",
                   " | ".join(f"{_iso(h['at'])} {h['status']} by {h['by']}"
                              + (f": {h['note']}" if h["note"] else "") for h in a["history"])]


def _connections(m: Model) -> Iterator[Row]:
    yield ["name_a", "organization_a", "sector_a", "country_a", "name_b", "organization_b",
           "sector_b", "country_b", "connected_at"]
    for c in m["connections"]["named"]:
        a, b = c["a"], c["b"]
        yield [a["name"], a["organization"], a["sector"], a["country"],
               b["name"], b["organization"], b["sector"], b["country"], _iso(c["at"])]


def _evaluation(m: Model) -> Iterator[Row]:
    yield ["question_id", "question", "kind", "group", "group_value", "respondents",
           "suppressed", "answer", "count", "mean", "nps"]
    ev = m["evaluation"]
    for q in ev["questions"] if ev else []:
        cells = [("overall", "", q["overall"])] + [
            (group, value, cell) for group, by in q["by"].items() for value, cell in by.items()]
        for group, value, cell in cells:
            head = [q["id"], q["text"], q["kind"], group, value]
            if cell["suppressed"]:
                yield [*head, "", "yes", "", "", "", ""]
                continue
            tail = [cell.get("mean"), cell.get("nps")]
            for option, count in cell["distribution"].items():
                yield [*head, cell["n"], "no", option, count, *tail]
            for text in cell.get("answers", []):
                yield [*head, cell["n"], "no", text, 1, *tail]


def _participation(m: Model) -> Iterator[Row]:
    yield ["session", "kind", "dimension", "value", "people"]
    p = m["participation"]
    for title, kind, mix in [("Whole forum", "forum", p)] + [
            (s["title"], s["kind"], s) for s in p["sessions"]]:
        for dimension in ("sectors", "countries", "attendance"):
            for value, n in mix[dimension].items():
                yield [title, kind, dimension, value, n]


TABLES: dict[str, Table] = {
    "ideas": _ideas, "votes": _votes, "recommendations": _recommendations,
    "actions": _actions, "connections": _connections, "evaluation": _evaluation,
    "participation": _participation,
}


def render(model: Model, table: str) -> bytes:
    """One table as a CSV file (UTF-8 with BOM), each row headed by the label."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180
    label = model["label"]["id"]
    rows = TABLES[table](model)
    writer.writerow(["label", *next(rows)])
    for row in rows:
        writer.writerow([label, *(cell(v) for v in row)])
    return (BOM + out.getvalue()).encode("utf-8")


def cell(value: Any) -> Any:
    """A value as a safe cell: text that a spreadsheet would run as a formula gets a ``'``."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _counts(counts: dict[str, int], labels: dict[str, str]) -> str:
    return "; ".join(f"{labels.get(k, k)}: {n}" for k, n in counts.items())


def _iso(ms: int) -> str:
    return datetime.datetime.fromtimestamp(ms / 1000, datetime.UTC).isoformat(
        timespec="seconds")
