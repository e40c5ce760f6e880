"""The questionnaire's results: distributions, means, NPS, suppression and its complements."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from rooms.actors import SYSTEM, Actor, Role
from rooms.hall.evaluation_results import net_promoter_score, results, suppressed_groups
from tests.rooms.helpers import profile

from .helpers import ORG, Hall


def _hall(people: list[tuple[str, str]]) -> tuple[Hall, list[Actor]]:
    """An open questionnaire in a hall of people given as (sector, attendance)."""
    actors = [Actor(f"m{i}", Role.PARTICIPANT) for i in range(len(people))]
    hall = Hall(members=())
    for actor, (sector, attendance) in zip(actors, people, strict=True):
        hall.ok(SYSTEM, "member.join", **profile(actor.id, sector=sector,
                                                 attendance=attendance))
    hall.ok(ORG, "evaluation.open")
    return hall, actors


def _question(hall: Hall, qid: str) -> dict[str, Any]:
    found: dict[str, Any] = next(q for q in results(hall.state)["questions"] if q["id"] == qid)
    return found


def test_likert_distribution_and_mean() -> None:
    """Each score is counted, the mean has two decimals, and the options are 1 to 5."""
    hall, people = _hall([("municipality", "onsite")] * 4)
    for actor, score in zip(people, (5, 4, 4, 2), strict=True):
        hall.ok(actor, "evaluation.answer", question="knowledge", answer=score)
    q = _question(hall, "knowledge")
    assert q["options"] == [1, 2, 3, 4, 5]
    assert q["kind"] == "likert"
    assert q["overall"] == {"n": 4, "suppressed": False, "mean": 3.75, "nps": None,
                            "distribution": {"1": 0, "2": 1, "3": 0, "4": 2, "5": 1}}


def test_nps_is_promoters_minus_detractors() -> None:
    """NPS = % of 9-10 minus % of 0-6: two promoters, one passive, one detractor give 25."""
    hall, people = _hall([("municipality", "onsite")] * 4)
    for actor, score in zip(people, (10, 9, 8, 3), strict=True):
        hall.ok(actor, "evaluation.answer", question="recommend", answer=score)
    overall = _question(hall, "recommend")["overall"]
    assert overall["nps"] == 25
    assert overall["mean"] == 7.5
    assert net_promoter_score([0, 6, 6]) == -100
    assert net_promoter_score([9, 10]) == 100
    assert net_promoter_score([7, 8]) == 0


def test_choice_and_text_results() -> None:
    """A choice counts per option in order; texts are listed sorted, only overall."""
    hall, people = _hall([("municipality", "onsite")] * 3)
    for actor, (choice, text) in zip(people, (("No", "zebra"), ("Yes", "apple"),
                                              ("Yes", "mango")), strict=True):
        hall.ok(actor, "evaluation.answer", question="again", answer=choice)
        hall.ok(actor, "evaluation.answer", question="improve", answer=text)
    again = _question(hall, "again")
    assert again["options"] == ["Yes", "Maybe", "No"]
    assert again["overall"]["distribution"] == {"Yes": 2, "Maybe": 0, "No": 1}
    improve = _question(hall, "improve")
    assert improve["options"] == []
    assert improve["overall"]["answers"] == ["apple", "mango", "zebra"]
    assert "answers" not in improve["by"]["sector"]["municipality"]


def test_the_shape_lists_every_question_with_its_breakdowns() -> None:
    """results() has status, respondents, min_cell and every question with three breakdowns."""
    hall, people = _hall([("municipality", "onsite")])
    hall.ok(people[0], "evaluation.answer", question="knowledge", answer=3)
    shown = results(hall.state)
    assert (shown["status"], shown["respondents"], shown["min_cell"]) == ("open", 1, 3)
    assert len(shown["questions"]) == 10
    assert all(set(q["by"]) == {"sector", "country", "attendance"} for q in shown["questions"])


def test_a_cell_below_three_is_suppressed() -> None:
    """Two answers overall, or in a group, give no counts at all."""
    hall, people = _hall([("municipality", "onsite")] * 2)
    for actor in people:
        hall.ok(actor, "evaluation.answer", question="knowledge", answer=5)
    q = _question(hall, "knowledge")
    assert q["overall"] == {"n": None, "suppressed": True}
    assert q["by"]["sector"] == {"municipality": {"n": None, "suppressed": True}}


def test_a_lone_small_cell_takes_the_smallest_other_with_it() -> None:
    """Sectors of 5, 3 and 2: the 2 is suppressed and so is the 3, so overall minus 5 is mixed."""
    people = ([("municipality", "onsite")] * 5 + [("business", "remote")] * 3
              + [("research_academia", "remote")] * 2)
    hall, actors = _hall(people)
    for actor in actors:
        hall.ok(actor, "evaluation.answer", question="knowledge", answer=4)
    q = _question(hall, "knowledge")
    by_sector = q["by"]["sector"]
    assert by_sector["municipality"]["n"] == 5
    assert by_sector["business"] == {"n": None, "suppressed": True}
    assert by_sector["research_academia"] == {"n": None, "suppressed": True}
    assert q["by"]["attendance"]["remote"]["n"] == 5
    assert q["overall"]["n"] == 10


def test_a_respondent_without_a_profile_counts_as_unknown() -> None:
    """Answers of someone no longer among the members count in the group 'unknown'."""
    hall, people = _hall([("municipality", "onsite")] * 3)
    for actor in people:
        hall.ok(actor, "evaluation.answer", question="knowledge", answer=4)
    state = replace(hall.state, members={})
    q = next(q for q in results(state)["questions"] if q["id"] == "knowledge")
    assert q["by"]["sector"] == {"unknown": q["overall"]}


def test_suppression_rules_on_sizes() -> None:
    """No small cell: nothing hidden; two small cells of 1 and 1: a third joins them."""
    assert suppressed_groups({"a": 3, "b": 4}, 3) == set()
    assert suppressed_groups({"a": 1, "b": 10}, 3) == {"a", "b"}
    assert suppressed_groups({"a": 1, "b": 1, "c": 4, "d": 9}, 3) == {"a", "b", "c"}
    assert suppressed_groups({"a": 2, "b": 5, "c": 5}, 3) == {"a", "b"}


@given(st.dictionaries(st.sampled_from("abcdefgh"), st.integers(1, 12), min_size=1),
       st.integers(1, 5))
def test_subtracting_shown_cells_never_isolates_a_suppressed_group(
        sizes: dict[str, int], min_cell: int) -> None:
    """Total minus shown cells is 0, or at least min_cell people of at least two groups."""
    hidden = suppressed_groups(sizes, min_cell)
    assert all(sizes[k] >= min_cell for k in sizes if k not in hidden)
    derived = sum(sizes.values()) - sum(n for k, n in sizes.items() if k not in hidden)
    if hidden and len(hidden) < len(sizes):
        assert len(hidden) >= 2
        assert derived >= min_cell
