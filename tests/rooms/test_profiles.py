"""Sector and country vocabularies are data with defaults, replaceable per deployment."""

from __future__ import annotations

import pytest

from rooms.profiles import DEFAULT_COUNTRIES, DEFAULT_SECTORS, Vocabulary


def test_defaults_cover_the_forum_sectors_and_the_region() -> None:
    """The defaults list the product's eight sectors and the BSR countries plus 'other'."""
    assert len(DEFAULT_SECTORS) == 8
    assert {"SE", "FI", "EE", "LV", "LT", "PL", "DE", "DK", "other"} <= {
        c.id for c in DEFAULT_COUNTRIES}


def test_a_file_replaces_one_list_and_keeps_the_other() -> None:
    """A vocabulary with only sectors keeps the default countries."""
    vocab = Vocabulary.from_json({"sectors": [{"id": "fire", "label": "Fire service"}]})
    assert [o.id for o in vocab.sectors] == ["fire"]
    assert vocab.countries == DEFAULT_COUNTRIES
    assert vocab.to_json()["sectors"] == [{"id": "fire", "label": "Fire service"}]


@pytest.mark.parametrize("raw", [
    [], {"sectors": []}, {"sectors": [{"id": "x"}]}, {"countries": "SE"},
    {"sectors": [{"id": "a", "label": "A"}, {"id": "a", "label": "B"}]},
])
def test_a_malformed_vocabulary_is_refused(raw: object) -> None:
    """A vocabulary that is not a list of id/label objects with unique ids raises ValueError."""
    with pytest.raises(ValueError, match=r"."):
        Vocabulary.from_json(raw)
