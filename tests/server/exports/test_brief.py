"""The policy brief's HTML, parsed: the label in the fixed header and footer, its sections."""

from __future__ import annotations

from server.exports import brief
from server.exports.collect import collect

from .brief_parse import Brief
from .forum import NAMES, forum


def _brief(label: str = "tlp-amber") -> Brief:
    return Brief(brief.render(collect(forum(label).sources())))


def test_the_label_is_in_the_fixed_header_and_footer() -> None:
    """Header: forum, topic, label; footer: the label again; both fixed (every page)."""
    b = _brief("tlp-amber")
    assert "Forum" in b.text["running-head"]
    assert "Resilience" in b.text["running-head"]
    assert "TLP:AMBER" in b.text["running-head"]
    assert "TLP:AMBER" in b.text["running-foot"]
    assert ".running { position: fixed;" in b.styles


def test_chatham_house_is_named_in_full() -> None:
    """The Chatham House label says its name, not only its meaning."""
    assert "Chatham House Rule" in _brief("chatham-house").text["running-head"]


def test_the_brief_states_the_problem_and_who_took_part() -> None:
    """The topic and the rooms' challenges; the participation mix with sector labels."""
    b = _brief()
    assert "Resilience" in b.text["problem"]
    assert "5 participants: 3 on site, 2 remote" in b.text["participation"]
    assert "Municipality" in b.text["participation"]


def test_the_brief_names_no_author() -> None:
    """A brief is about recommendations, not people: no participant's name is in it."""
    html = brief.render(collect(forum().sources()))
    assert not any(name in html for name in NAMES.values())


def test_peoples_text_is_escaped() -> None:
    """A topic with markup comes out as text."""
    model = collect(forum().sources())
    model["forum"]["topic"] = "<script>alert(1)</script>"
    html = brief.render(model)
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_the_brief_sums_up_the_questionnaire_without_free_text() -> None:
    """Respondents, the NPS and the likert means; the free texts stay out."""
    text = _brief().text["evaluation"]
    assert "5 people answered" in text
    assert "NPS 40 (5 answers)" in text
    assert "mean 3.6 (5 answers)" in text
    assert "more coffee" not in text


def test_an_unanswered_questionnaire_says_so_instead_of_empty_cells() -> None:
    """No respondent: one sentence, no table of suppressed cells."""
    model = collect(forum().sources())
    model["evaluation"] = {**model["evaluation"], "respondents": 0}
    text = Brief(brief.render(model)).text["evaluation"]
    assert "Nobody has answered the questionnaire yet." in text
    assert "fewer than" not in text
