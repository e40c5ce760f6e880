"""Argument checks: the characters a text field refuses, what an integer is, the gate order."""

from __future__ import annotations

import json
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rooms.errors import ErrorCode
from rooms.fields import FieldError, Int, Text, refused_character
from tests.rooms.helpers import OBS, P1, Room

C0 = [chr(c) for c in range(0x20) if chr(c) not in "\t\n"]
C1 = [chr(c) for c in range(0x80, 0xA0)]
BIDI_CONTROLS = [*map(chr, range(0x202A, 0x202F)), *map(chr, range(0x2066, 0x206A))]


@pytest.mark.parametrize("char", [*C0, "\x7f", *C1, *BIDI_CONTROLS, chr(0xD800), chr(0xDFFF)])
def test_a_text_field_refuses_controls_bidi_controls_and_surrogates(char: str) -> None:
    """C0 (but tab and newline), DEL, C1, U+202A-E, U+2066-9 and lone surrogates are refused."""
    with pytest.raises(FieldError, match=f"U\\+{ord(char):04X}"):
        Text(100).check("text", f"before {char} after")


@pytest.mark.parametrize("text", [
    "tab\tand\nnewline", "\u200e LRM", "\u200f RLM", "\u061c ALM", "ZWJ \U0001f469\u200d\U0001f4bb",
    "ZWNJ \u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645", "\u05e9\u05dc\u05d5\u05dd",
    "soft\u00adhyphen", "private \ue000", "unassigned \U000e0080", "emoji \U0001f44d\U0001f3fd",
])
def test_a_text_field_keeps_marks_joiners_and_every_script(text: str) -> None:
    """Direction marks, joiners, right-to-left scripts, emoji and private use are kept."""
    assert Text(100).check("text", text) == unicodedata.normalize("NFC", text)
    assert refused_character(text) is None


@given(st.text(st.characters(codec=None, exclude_categories=())))
def test_refused_characters_are_exactly_the_documented_ones(text: str) -> None:
    """For any string, a character is refused if and only if it is in a documented class."""
    def bad(c: str) -> bool:
        category = unicodedata.category(c)
        return (category == "Cc" and c not in "\t\n") or c in BIDI_CONTROLS or category == "Cs"

    assert (refused_character(text) is None) == (not any(bad(c) for c in text))


@pytest.mark.parametrize("value", [json.loads("100.0"), json.loads("1e2"), True, False, "100",
                                   None, [100]])
def test_an_integer_is_a_json_integer(value: object) -> None:
    """100.0 and 1e2 (floats, as JSON parses them), booleans and strings are not integers."""
    with pytest.raises(FieldError, match="whole number"):
        Int(0, 1000).check("n", value)
    assert Int(0, 1000).check("n", 100) == 100


def test_arguments_are_checked_before_the_phase() -> None:
    """A bad argument is invalid_args even in a phase that would refuse the command."""
    room = Room()  # in the brief phase, which allows participants nothing
    assert room.no(P1, "vote.cast", idea="i1") is ErrorCode.PHASE_CLOSED
    assert room.no(P1, "vote.cast", idea=5) is ErrorCode.INVALID_ARGS


def test_the_role_is_checked_before_the_arguments() -> None:
    """A command a role may not send is forbidden, whatever its arguments."""
    assert Room().no(OBS, "vote.cast", idea=5) is ErrorCode.FORBIDDEN


def test_arguments_are_checked_before_the_rule_looks_at_the_room() -> None:
    """In a phase that allows voting, an unknown idea is not_found and a bad id invalid_args."""
    room = Room()
    room.goto("vote")
    assert room.no(P1, "vote.cast", idea="i999") is ErrorCode.NOT_FOUND
    assert room.no(P1, "vote.cast", idea=5) is ErrorCode.INVALID_ARGS
