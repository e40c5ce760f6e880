"""The policy brief: one printable HTML page, the same one the browser prints and the PDF is.

Every printed page is headed by the forum, its topic and its confidentiality label, and
footed by the label again: a ``position: fixed`` header and footer repeat on every page in
Chromium's print, and an empty table head and foot of the same heights (which Chromium also
repeats on every page) keep the text from running under them. Then: the problem statement
(the forum's topic and each room's challenge), the recommendations in vote order, each with
its provenance (room, source ideas and their votes, supporters by sector and country), the
participation mix and the questionnaire's summary. Everything people wrote is escaped.
The page is self-contained (no script, font or style from elsewhere), so it renders the same
offline, from a file, or from the server.
"""

from __future__ import annotations

from html import escape

from .collect import Model, label_line

STYLE = """
@page { size: A4; margin: 14mm 16mm 12mm; }
* { box-sizing: border-box; }
body { font: 10.5pt/1.45 "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: #111;
       margin: 0 auto; max-width: 180mm; }
.running { position: fixed; left: 0; right: 0; background: #fff; }
.running.head { top: 0; height: 22mm; border-bottom: 1.5pt solid #111; padding-top: 2mm; }
.running.foot { bottom: 0; height: 9mm; border-top: 0.5pt solid #777; font-size: 8pt;
                padding-top: 1.5mm; color: #333; }
.running .forum { font-weight: bold; font-size: 12pt; }
.running .topic { font-size: 9pt; color: #333; white-space: nowrap; overflow: hidden;
                  text-overflow: ellipsis; }
.label { display: inline-block; font-weight: bold; font-size: 9pt; border: 1pt solid #111;
         padding: 0 2mm; margin-top: 1mm; }
.page { width: 100%; border-collapse: collapse; }
.page > thead > tr > td { height: 25mm; }
.page > tfoot > tr > td { height: 12mm; }
h1 { font-size: 17pt; margin: 0 0 2mm; }
h2 { font-size: 13pt; margin: 6mm 0 2mm; border-bottom: 0.5pt solid #999; }
h3 { font-size: 11.5pt; margin: 4mm 0 1mm; }
.rec { break-inside: avoid; margin-bottom: 4mm; }
.rec p { margin: 1mm 0; }
.meta { color: #333; font-size: 9.5pt; }
table.data { border-collapse: collapse; width: 100%; margin: 1.5mm 0; font-size: 9.5pt; }
table.data th, table.data td { border: 0.5pt solid #999; padding: 1mm 2mm; text-align: left;
                               vertical-align: top; }
table.data td.n, table.data th.n { text-align: right; }
.no-print { margin: 4mm 0; }
@media screen { body { padding: 0 4mm; } .running { position: static; } .page > thead,
  .page > tfoot { display: none; } }
@media print { .no-print { display: none; } }
"""


def render(model: Model) -> str:
    """The brief as a whole HTML document."""
    f, label = model["forum"], model["label"]
    head = (f'<header class="running head" id="running-head">'
            f'<div class="forum">{_e(f["title"])}</div>'
            f'<div class="topic">{_e(f["topic"])}</div>'
            f'<div class="label" data-label="{_e(label["id"])}">{_e(label_line(label))}</div>'
            f"</header>")
    foot = (f'<footer class="running foot" id="running-foot">{_e(label_line(label))} '
            f"&middot; {_e(f['title'])} &middot; exported {_e(model['generated_at'])}</footer>")
    body = "".join([_problem(model), _recommendations(model), _mix(model), _evaluation(model)])
    return ("<!doctype html>\n"
            f'<html lang="en"><head><meta charset="utf-8"><title>{_e(f["title"])} '
            f"&mdash; policy brief</title>"
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<style>{STYLE}</style></head><body>{head}{foot}"
            '<table class="page"><thead><tr><td></td></tr></thead>'
            '<tfoot><tr><td></td></tr></tfoot><tbody><tr><td>'
            '<p class="no-print"><button type="button" onclick="window.print()">Print'
            "</button></p>"
            f'<main id="brief">{body}</main></td></tr></tbody></table></body></html>\n')


def _problem(model: Model) -> str:
    f = model["forum"]
    rooms = "".join(f"<li><strong>{_e(r['title'])}</strong>"
                    + (f": {_e(r['challenge'])}" if r["challenge"] else "") + "</li>"
                    for r in model["rooms"])
    return (f'<section id="problem"><h1>{_e(f["title"])}: policy brief</h1>'
            f"<h2>The problem</h2><p>{_e(f['topic'])}</p>"
            + (f"<p>The rooms worked on these challenges:</p><ul>{rooms}</ul>" if rooms else "")
            + "</section>")


def _recommendations(model: Model) -> str:
    v = model["vocabulary"]
    recs = model["recommendations"]
    items = []
    for rank, r in enumerate(recs, 1):
        ideas = "".join(f'<tr><td>{_e(i["text"])}</td><td class="n">{i["votes"]}</td></tr>'
                        for i in r["ideas"])
        items.append(
            f'<article class="rec" data-id="{_e(r["id"])}" data-votes="{r["votes"]}">'
            f"<h3>{rank}. {_e(r['title'])}</h3>"
            f'<p class="meta">Room <span class="room">{_e(r["room_title"])}</span> &middot; '
            f'<span class="votes">{r["votes"]}</span> votes from '
            f'<span class="supporters">{r["supporters"]}</span> supporters</p>'
            + (f"<p>{_e(r['rationale'])}</p>" if r["rationale"] else "")
            + (f"<p><strong>Proposed action:</strong> {_e(r['action'])}</p>"
               if r["action"] else "")
            + f"<p><strong>Owner:</strong> {_e(r['owner'] or 'not set')} &middot; "
            f"<strong>Due:</strong> {_e(r['due'] or 'not set')}</p>"
            '<table class="data sources"><thead><tr><th>Source idea</th>'
            f'<th class="n">Votes</th></tr></thead><tbody>{ideas}</tbody></table>'
            + _counts_line("by-sector", "Supporters by sector", r["by_sector"], v["sectors"])
            + _counts_line("by-country", "Supporters by country", r["by_country"],
                           v["countries"])
            + "</article>")
    inner = "".join(items) or "<p>No recommendation has been made yet.</p>"
    return f'<section id="recommendations"><h2>Recommendations</h2>{inner}</section>'


def _counts_line(css: str, title: str, counts: dict[str, int], labels: dict[str, str]) -> str:
    """Counts on one line ("Municipality 2 · Business 1"): a brief is read, not computed."""
    if not counts:
        return ""
    items = " &middot; ".join(f'<span data-key="{_e(k)}">{_e(labels.get(k, k))} '
                              f'<b>{n}</b></span>' for k, n in counts.items())
    return f'<p class="meta {css}"><strong>{_e(title)}:</strong> {items}</p>'


def _mix(model: Model) -> str:
    p, v = model["participation"], model["vocabulary"]
    sessions = "".join(
        f"<tr><td>{_e(s['title'])}</td><td class=\"n\">{s['total']}</td>"
        f"<td class=\"n\">{s['attendance'].get('onsite', 0)}</td>"
        f"<td class=\"n\">{s['attendance'].get('remote', 0)}</td></tr>" for s in p["sessions"])
    return ('<section id="participation"><h2>Who took part</h2>'
            f"<p>{p['total']} participants: {p['attendance'].get('onsite', 0)} on site, "
            f"{p['attendance'].get('remote', 0)} remote.</p>"
            + _counts_line("mix-sector", "By sector", p["sectors"], v["sectors"])
            + _counts_line("mix-country", "By country", p["countries"], v["countries"])
            + '<table class="data sessions"><thead><tr><th>Session</th><th class="n">People'
            '</th><th class="n">On site</th><th class="n">Remote</th></tr></thead>'
            f"<tbody>{sessions}</tbody></table></section>")


def _evaluation(model: Model) -> str:
    ev = model["evaluation"]
    if ev is None:
        return ""
    if not ev["respondents"]:
        return ('<section id="evaluation"><h2>What participants said</h2>'
                "<p>Nobody has answered the questionnaire yet.</p></section>")
    rows = []
    for q in ev["questions"]:
        if q["kind"] == "text":
            continue  # free text stays in the exports for the organizers, not in the brief
        cell = q["overall"]
        if cell["suppressed"]:
            value = f"fewer than {ev['min_cell']} answers"
        elif cell.get("nps") is not None:
            value = f"NPS {cell['nps']} ({cell['n']} answers)"
        elif cell.get("mean") is not None:
            value = f"mean {cell['mean']:.1f} ({cell['n']} answers)"
        else:
            top = max(cell["distribution"].items(), key=lambda kv: kv[1], default=None)
            value = f"most said {top[0]} ({cell['n']} answers)" if top else "no answer"
        rows.append(f"<tr><td>{_e(q['text'])}</td><td>{_e(value)}</td></tr>")
    return ('<section id="evaluation"><h2>What participants said</h2>'
            f"<p>{ev['respondents']} people answered the questionnaire.</p>"
            '<table class="data"><thead><tr><th>Question</th><th>Result</th></tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table></section>")


def _e(value: object) -> str:
    return escape(str(value), quote=True)
