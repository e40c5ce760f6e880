"""The export as a Markdown report: the forum's results for people, in one readable file.

Headed by the forum, its topic and its confidentiality label; then the recommendations in
vote order with their provenance, each room's ideas and clusters, the plenary questions, the
connections, the questionnaire and the participation mix. Text from people is escaped so that
it cannot break a table or turn into a link.
"""

from __future__ import annotations

import re

from .collect import Model, label_line

_SPECIAL = re.compile(r"([\\`*_\[\]|<>~])")  # what could make a link, an emphasis or a cell
_LEADING = re.compile(r"^([#>+\-=]|\d+\.)")  # what would start a heading, a quote or a list


def render(model: Model) -> str:
    """The report as Markdown text."""
    f, label, v = model["forum"], model["label"], model["vocabulary"]
    out = [f"# {text(f['title'])}", "",
           f"> **Confidentiality:** {text(label_line(label))} (`{label['id']}`)", ""]
    if f["topic"]:
        out += [text(f["topic"]), ""]
    out += [f"Exported {model['generated_at']}.", "", "## Recommendations", ""]
    recs = model["recommendations"]
    if not recs:
        out += ["No recommendation yet.", ""]
    for rank, r in enumerate(recs, 1):
        out += [f"### {rank}. {text(r['title'])}", "",
                f"- Room: {text(r['room_title'])}", f"- Votes: {r['votes']} from "
                f"{r['supporters']} supporters", f"- Proposed action: {text(r['action'])}",
                f"- Owner: {text(r['owner'])}", f"- Due: {r['due'] or 'not set'}",
                f"- Supporters by sector: {_counts(r['by_sector'], v['sectors'])}",
                f"- Supporters by country: {_counts(r['by_country'], v['countries'])}", ""]
        if r["rationale"]:
            out += [text(r["rationale"]), ""]
        out += ["| Source idea | Votes |", "| --- | ---: |"]
        out += [f"| {text(i['text'])} | {i['votes']} |" for i in r["ideas"]] + [""]
    for room in model["rooms"]:
        out += _room(room)
    out += _plenary(model) + _connections(model) + _evaluation(model) + _mix(model)
    return "\n".join(out).rstrip() + "\n"


def _room(room: Model) -> list[str]:
    out = [f"## Room: {text(room['title'])}", ""]
    if room["challenge"]:
        out += [f"Challenge: {text(room['challenge'])}", ""]
    titles = {c["id"]: c["title"] for c in room["clusters"]}
    out += [f"{len(room['ideas'])} ideas, {room['voting']['total']} votes "
            f"({'anonymous' if room['voting']['anonymous'] else 'named'} voting).", "",
            "| Idea | Author | Cluster | Votes | Comments |", "| --- | --- | --- | ---: | ---: |"]
    out += [f"| {text(i['text'])} | {text(i['author'])} | {text(titles.get(i['cluster'], ''))} "
            f"| {i['votes']} | {len(i['comments'])} |" for i in room["ideas"]] + [""]
    if room["actions"]:
        out += ["### Action items", "", "| Action | Owner | Due | Status |",
                "| --- | --- | --- | --- |"]
        out += [f"| {text(a['title'])} | {text(a['owner'])} | {a['due'] or ''} | "
                f"{a['status']} |" for a in room["actions"]] + [""]
    return out


def _plenary(model: Model) -> list[str]:
    questions = model["plenary"]["questions"]
    if not questions:
        return []
    out = ["## Plenary questions", "", "| Question | Asked by | Votes |", "| --- | --- | ---: |"]
    out += [f"| {text(q['text'])} | {text(q['author']) if q['author'] else 'anonymous'} | "
            f"{q['votes']} |" for q in questions]
    return [*out, ""]


def _connections(model: Model) -> list[str]:
    c = model["connections"]
    return ["## Connections", "",
            f"{c['total']} connections made; {c['cross_sector']} across sectors, "
            f"{c['cross_country']} across countries.", ""]


def _evaluation(model: Model) -> list[str]:
    ev = model["evaluation"]
    if ev is None:
        return []
    out = ["## Evaluation", "", f"{ev['respondents']} respondents (questionnaire {ev['status']}; "
           f"groups under {ev['min_cell']} people are not shown).", "",
           "| Question | Answers | Mean | NPS |", "| --- | ---: | ---: | ---: |"]
    for q in ev["questions"]:
        cell = q["overall"]
        if cell["suppressed"]:
            out.append(f"| {text(q['text'])} | fewer than {ev['min_cell']} | | |")
            continue
        mean, nps = cell.get("mean"), cell.get("nps")
        out.append(f"| {text(q['text'])} | {cell['n']} | "
                   f"{'' if mean is None else f'{mean:.1f}'} | {'' if nps is None else nps} |")
    return [*out, ""]


def _mix(model: Model) -> list[str]:
    p, v = model["participation"], model["vocabulary"]
    out = ["## Participation", "", f"{p['total']} participants.", "",
           "| Session | People | On site | Remote |", "| --- | ---: | ---: | ---: |"]
    for s in p["sessions"]:
        out.append(f"| {text(s['title'])} | {s['total']} | {s['attendance'].get('onsite', 0)} | "
                   f"{s['attendance'].get('remote', 0)} |")
    out += ["", f"Sectors: {_counts(p['sectors'], v['sectors'])}.", "",
            f"Countries: {_counts(p['countries'], v['countries'])}.", ""]
    return out


def text(value: str) -> str:
    """People's text, escaped for Markdown, on one line (a table cell cannot hold a break)."""
    escaped = _SPECIAL.sub(r"\\\1", " ".join(value.split()))
    return _LEADING.sub(r"\\\1", escaped)


def _counts(counts: dict[str, int], labels: dict[str, str]) -> str:
    return ", ".join(f"{text(labels.get(k, k))} {n}" for k, n in counts.items()) or "none"
