"""A poll's results: a pure count of its current answers, never of who gave them.

What each kind of poll counts (the shapes are in ``docs/protocol-hall-polls.md``):

- ``single``, ``multiple``: per option, how many people chose it;
- ``rating`` (1 to 5): how many gave each value, and the average (two decimals);
- ``ranking``: Borda points as Slido counts them, the option a person ranks first gets as many
  points as there are options and the last one 1; per option the sum over everyone, with the
  average rank (1 = first, two decimals) for display. The points are the result; the average
  rank orders the same way, because everyone ranks every option;
- ``wordcloud``: each word once per person who gave it, grouped by ``words.word_key``, shown in
  the spelling used most (on a tie, the one given first), the ``TOP_WORDS`` most given;
- ``text``: every text, in the order it was given (an answer changed is given anew), each with
  the seq of the event that gave it as its id, so a client can take one back.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .words import word_key

TOP_WORDS = 50  # more than a projector can show; the count of all of them comes along

AnswerValue = str | int | tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Given:
    """An answer as it counts: its value and the seq of the event that gave it."""

    value: AnswerValue
    seq: int


def results(kind: str, options: Iterable[str], answers: Iterable[Given]) -> dict[str, Any]:
    """The results of a poll of ``kind`` with these option ids and answers."""
    ordered = sorted(answers, key=lambda a: a.seq)
    option_ids = list(options)
    if kind in ("single", "multiple"):
        return _choices(option_ids, ordered)
    if kind == "rating":
        return _rating(ordered)
    if kind == "ranking":
        return _ranking(option_ids, ordered)
    if kind == "wordcloud":
        return _words(ordered)
    return {"texts": [{"id": a.seq, "text": a.value} for a in ordered]}


def _chosen(value: AnswerValue) -> tuple[str, ...]:
    if isinstance(value, int):
        return ()
    return (value,) if isinstance(value, str) else value


def _choices(option_ids: list[str], answers: list[Given]) -> dict[str, Any]:
    counts = Counter(o for a in answers for o in _chosen(a.value))
    return {"options": [{"id": o, "count": counts[o]} for o in option_ids]}


def _rating(answers: list[Given]) -> dict[str, Any]:
    values = [a.value for a in answers if isinstance(a.value, int)]
    counts = Counter(values)
    average = round(sum(values) / len(values), 2) if values else None
    return {"counts": [counts[v] for v in range(1, 6)], "average": average}


def _ranking(option_ids: list[str], answers: list[Given]) -> dict[str, Any]:
    n = len(option_ids)
    ranks: dict[str, int] = dict.fromkeys(option_ids, 0)
    for a in answers:
        for position, option in enumerate(_chosen(a.value), 1):
            ranks[option] += position
    count = len(answers)
    return {"options": [
        {"id": o, "points": count * (n + 1) - ranks[o],
         "average_rank": round(ranks[o] / count, 2) if count else None}
        for o in option_ids]}


def _words(answers: list[Given]) -> dict[str, Any]:
    people: Counter[str] = Counter()
    spellings: dict[str, Counter[str]] = {}
    for a in answers:
        for word in _chosen(a.value):
            key = word_key(word)
            people[key] += 1
            spellings.setdefault(key, Counter())[word] += 1
    # most_common keeps first-seen order among equal counts: the spelling given first wins.
    top = sorted(people.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_WORDS]
    return {"words": [{"word": spellings[k].most_common(1)[0][0], "count": n} for k, n in top],
            "distinct": len(people)}
