"""The word cloud's grouping key: case-, accent- and spacing-insensitive, and nothing more."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from rooms.hall.words import word_key


@pytest.mark.parametrize(("a", "b"), [
    ("Ryga", "ryga"), ("Łódź", "Lodz"), ("łódź", "LODZ"), ("Ærø", "aero"), ("Øresund", "oresund"),
    ("Straße", "STRASSE"), ("Đakovo", "Dakovo"), ("Þórshöfn", "thorshofn"), ("Œuvre", "oeuvre"),
    ("İstanbul", "istanbul"), ("café", "cafe\u0301"), ("\uff32\uff59\uff47\uff41", "ryga"),
    ("  New   York ", "new york"),
    ("floods.", "Floods"), ("(e-mail)", "E-mail"), ("Malmö!", "malmo"),
])
def test_spellings_of_one_word_share_a_key(a: str, b: str) -> None:
    """Case, accents, letters with strokes, width, spacing and end punctuation do not count."""
    assert word_key(a) == word_key(b)


@pytest.mark.parametrize(("a", "b"), [
    ("Ryga", "Riga"), ("e-mail", "email"), ("new york", "newyork"), ("lodz", "lodzi"),
])
def test_different_words_keep_different_keys(a: str, b: str) -> None:
    """Letters, inner punctuation and inner spaces count."""
    assert word_key(a) != word_key(b)


def test_symbols_alone_are_a_word_of_their_own() -> None:
    """An answer of emoji or punctuation only is kept, not reduced to nothing."""
    assert word_key("🔥") == "🔥"
    assert word_key(" ?! ") == "?!"
    assert word_key("🔥") != word_key("💧")


_LATIN = st.text(st.sampled_from("aAeEéÉłŁøØæÆßđĐoOöÖ zZ-.!"), min_size=1, max_size=12)


@given(_LATIN)
def test_the_key_is_its_own_key(text: str) -> None:
    """Grouping twice groups the same: a key is a fixed point of ``word_key``."""
    assert word_key(word_key(text)) == word_key(text)


@given(_LATIN)
def test_case_and_composition_never_change_the_key(text: str) -> None:
    """Upper, lower, composed (NFC) or decomposed (NFD): one key."""
    key = word_key(text)
    assert word_key(text.upper()) == key
    assert word_key(text.lower()) == key
    assert word_key(unicodedata.normalize("NFD", text)) == key
    assert word_key(unicodedata.normalize("NFC", text)) == key


@given(st.text(min_size=1, max_size=20))
def test_no_key_of_a_word_holds_a_combining_mark(text: str) -> None:
    """A word's key holds no combining mark, so accents never split a word; never empty."""
    assume(any(c.isalnum() for c in text))
    key = word_key(text)
    assert key
    assert not any(unicodedata.combining(c) for c in key)


@given(st.text(min_size=1, max_size=20))
def test_a_non_blank_answer_has_a_key(text: str) -> None:
    """Whatever a person types that is not blank groups under some key, the same again."""
    assume(text.strip())
    assert word_key(text)
    assert word_key(word_key(text)) == word_key(text)
