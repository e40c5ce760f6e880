"""What a poll's options and answers must look like, per kind of poll.

An answer's shape depends on the poll it is for, so the command's ``answer`` argument is only
checked to be JSON of some answer's shape at the gate (``AnswerField``), and against the poll
here (``check_answer``), once the rule knows the poll:

| kind        | answer                                                     |
| ----------- | ---------------------------------------------------------- |
| single      | an option id                                               |
| multiple    | a list of 1 to ``max`` distinct option ids (any order)     |
| rating      | a whole number from 1 to 5                                 |
| wordcloud   | a list of 1 to ``max`` words, no two the same word         |
| text        | a text of 1 to 500 characters                              |
| ranking     | every option id once, the first ranked first               |

A multiple choice answer is kept in the poll's option order, so the same choices are the same
answer however they were listed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..fields import FieldError, Int, Text
from .words import word_key

WITH_OPTIONS = ("single", "multiple", "ranking")
MAX_OPTIONS = 12
OPTION = Text(120)
WORD = Text(40)
TEXT = Text(500)
RATING = Int(1, 5)

Json = str | int | list[str]


@dataclass(frozen=True, slots=True)
class OptionList:
    """The options of a choice or ranking poll: 2 to MAX_OPTIONS distinct texts."""

    def check(self, name: str, value: object) -> list[str]:
        if not isinstance(value, list) or not 2 <= len(value) <= MAX_OPTIONS:
            raise FieldError(f"'{name}' must list 2 to {MAX_OPTIONS} options")
        texts = [OPTION.check(f"{name}[{i}]", v) for i, v in enumerate(value)]
        if len({t.casefold() for t in texts}) < len(texts):
            raise FieldError(f"'{name}' lists the same option twice")
        return texts


@dataclass(frozen=True, slots=True)
class AnswerField:
    """Something an answer could be: a string, a whole number or a short list of strings."""

    def check(self, name: str, value: object) -> Json:
        if isinstance(value, str):
            return value
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, list) and len(value) <= MAX_OPTIONS \
                and all(isinstance(v, str) for v in value):
            return list(value)
        raise FieldError(f"'{name}' must be an option id, a number, a text or a list of "
                         f"at most {MAX_OPTIONS} of them")


def check_answer(kind: str, options: Sequence[str], most: int, value: Json) -> Json:
    """The clean answer to a poll of ``kind``, or FieldError saying what is wrong."""
    if kind == "single":
        return _option(options, value)
    if kind == "multiple":
        return _choices(options, most, value)
    if kind == "rating":
        return RATING.check("answer", value)
    if kind == "wordcloud":
        return _words(most, value)
    if kind == "text":
        return TEXT.check("answer", value)
    return _ranking(options, value)


def _option(options: Sequence[str], value: object) -> str:
    if not isinstance(value, str) or value not in options:
        raise FieldError("'answer' must be one of the poll's option ids")
    return value


def _strings(value: object, what: str) -> list[str]:
    if not isinstance(value, list):
        raise FieldError(f"'answer' must be a list of {what}")
    return [v for v in value if isinstance(v, str)]


def _choices(options: Sequence[str], most: int, value: object) -> list[str]:
    chosen = [_option(options, v) for v in _strings(value, "option ids")]
    if not 1 <= len(chosen) <= most:
        raise FieldError(f"'answer' must choose 1 to {most} options")
    if len(set(chosen)) < len(chosen):
        raise FieldError("'answer' chooses an option twice")
    return [o for o in options if o in chosen]


def _words(most: int, value: object) -> list[str]:
    words = [WORD.check("answer", v) for v in _strings(value, "words")]
    if not 1 <= len(words) <= most:
        raise FieldError(f"'answer' must give 1 to {most} words" if most > 1
                         else "'answer' must give one word")
    if any("\n" in w or "\t" in w for w in words):
        raise FieldError("a word of 'answer' must be on one line")
    if len({word_key(w) for w in words}) < len(words):
        raise FieldError("'answer' gives the same word twice")
    return words


def _ranking(options: Sequence[str], value: object) -> list[str]:
    ranked = _strings(value, "option ids")
    if sorted(ranked) != sorted(options):
        raise FieldError("'answer' must rank every option of the poll once")
    return ranked
