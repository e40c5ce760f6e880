"""Argument checks for commands: every value a client sends is checked before a rule sees it."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol


class FieldError(ValueError):
    """An argument is missing, of the wrong type or out of range."""


# Bidirectional embeddings, overrides and isolates (LRE RLE PDF LRO RLO, LRI RLI FSI PDI)
# reorder the text that follows them, past the end of the field when it is shown next to
# other text: the "Trojan Source" spoofing (CVE-2021-42574). Scripts written right to left
# need none of them (a browser lays out Arabic or Hebrew by itself, per field); the marks
# that fix the side of neutral characters (LRM, RLM, ALM) stay allowed: they reorder nothing.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def refused_character(text: str) -> str | None:
    """Why ``text`` may not be stored as a text field (the first bad character), or None.

    Refused: control characters (C0 but tab and newline, DEL, C1), bidirectional controls
    (U+202A-U+202E, U+2066-U+2069) and lone surrogates, which are not characters at all.
    """
    if text.isascii() and text.isprintable():  # the common case, at C speed
        return None
    for c in text:
        if c in "\n\t":
            continue
        category = unicodedata.category(c)
        if category == "Cc":
            return f"a control character (U+{ord(c):04X})"
        if c in _BIDI_CONTROLS:
            return f"a bidirectional control character (U+{ord(c):04X})"
        if category == "Cs":
            return f"a lone surrogate (U+{ord(c):04X}), which is not a character"
    return None


@dataclass(frozen=True, slots=True)
class Text:
    """A string of bounded length; surrounding white space is trimmed."""

    max_len: int
    min_len: int = 1

    def check(self, name: str, value: object) -> str:
        if not isinstance(value, str):
            raise FieldError(f"'{name}' must be a string")
        # NFC so that the same visible text always has the same length and compares equal.
        text = unicodedata.normalize("NFC", value).strip()
        if (refused := refused_character(text)) is not None:
            raise FieldError(f"'{name}' contains {refused}")
        if len(text) < self.min_len:
            raise FieldError(f"'{name}' must not be empty" if self.min_len == 1
                             else f"'{name}' needs at least {self.min_len} characters")
        if len(text) > self.max_len:
            raise FieldError(f"'{name}' is longer than {self.max_len} characters")
        return text


@dataclass(frozen=True, slots=True)
class Int:
    """A JSON integer within bounds: ``100.0`` and ``1e2`` are floats, booleans are not numbers."""

    low: int
    high: int

    def check(self, name: str, value: object) -> int:
        if not isinstance(value, int) or isinstance(value, bool):
            raise FieldError(f"'{name}' must be a whole number")
        if not self.low <= value <= self.high:
            raise FieldError(f"'{name}' must be between {self.low} and {self.high}")
        return value


@dataclass(frozen=True, slots=True)
class Flag:
    """A boolean."""

    def check(self, name: str, value: object) -> bool:
        if not isinstance(value, bool):
            raise FieldError(f"'{name}' must be true or false")
        return value


@dataclass(frozen=True, slots=True)
class Choice:
    """One string out of a fixed set."""

    values: tuple[str, ...]

    def check(self, name: str, value: object) -> str:
        if not isinstance(value, str) or value not in self.values:
            raise FieldError(f"'{name}' must be one of: {', '.join(self.values)}")
        return value


@dataclass(frozen=True, slots=True)
class Ref:
    """The id of something in the room (an idea, a cluster, a phase), or null when allowed."""

    nullable: bool = False

    def check(self, name: str, value: object) -> str | None:
        if value is None and self.nullable:
            return None
        if not isinstance(value, str) or not 0 < len(value) <= 64:
            raise FieldError(f"'{name}' must be an id")
        return value


class Field(Protocol):
    """Anything that can check one argument and return its clean value."""

    def check(self, name: str, value: object) -> Any: ...


@dataclass(frozen=True, slots=True)
class Spec:
    """The arguments of one command: required and optional fields, nothing else allowed."""

    required: Mapping[str, Field]
    optional: Mapping[str, Field]

    def check(self, args: object) -> dict[str, Any]:
        """Return the cleaned arguments or raise FieldError naming the first bad one."""
        if not isinstance(args, Mapping):
            raise FieldError("'args' must be an object")
        unknown = sorted(set(args) - set(self.required) - set(self.optional))
        if unknown:
            raise FieldError(f"unknown argument '{unknown[0]}'")
        clean: dict[str, Any] = {}
        for name, field in self.required.items():
            if name not in args:
                raise FieldError(f"missing argument '{name}'")
            clean[name] = field.check(name, args[name])
        for name, field in self.optional.items():
            if name in args:
                clean[name] = field.check(name, args[name])
        return clean


def spec(required: Mapping[str, Field] | None = None,
         optional: Mapping[str, Field] | None = None) -> Spec:
    """Shorthand for a command's argument spec."""
    return Spec(required or {}, optional or {})
