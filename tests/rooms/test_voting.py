"""Dot voting: budget, cap, retracting, opening and revealing, settings and results."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rooms.actors import Actor
from rooms.errors import ErrorCode
from rooms.room import replay
from rooms.state import RoomState
from rooms.voting import ranks, results
from tests.rooms.helpers import FAC, P1, P2, P3, Room, open_room


def _room(**create: Any) -> tuple[Room, list[str]]:
    """An open room with three ideas by p1 (so p2 and p3 vote on others' ideas)."""
    room = open_room(**create)
    return room, [room.idea(P1, f"idea {n}") for n in range(3)]


def _vote(room: Room, voter: Actor, *ideas: str) -> None:
    for idea in ideas:
        room.ok(voter, "vote.cast", idea=idea)


def _within_limits(state: RoomState) -> bool:
    v = state.voting
    return all(len(b) <= v.budget and all(b.count(i) <= v.cap for i in b)
               for b in v.ballots.values())


# Casting and retracting -------------------------------------------------------------------------


def test_a_participant_casts_a_dot() -> None:
    """vote.cast puts one of the voter's dots on an idea."""
    room, (a, _, _) = _room()
    event = room.one(P2, "vote.cast", idea=a)
    assert (event.name, event.data) == ("vote.cast", {"idea": a, "voter": "p2"})
    assert room.state.voting.ballots == {"p2": (a,)}


def test_a_participant_may_vote_for_their_own_idea() -> None:
    """No rule stops an author from putting a dot on their own idea."""
    room, (a, _, _) = _room()
    _vote(room, P1, a)
    assert room.state.voting.dots("p1", a) == 1


def test_the_budget_bounds_a_voters_dots() -> None:
    """With a budget of 5, the sixth dot is budget_exceeded; other voters are unaffected."""
    room, (a, b, c) = _room()
    _vote(room, P2, a, a, b, b, c)
    assert room.no(P2, "vote.cast", idea=c) is ErrorCode.BUDGET_EXCEEDED
    _vote(room, P3, c)


def test_the_cap_bounds_dots_on_one_idea() -> None:
    """With a cap of 3, a fourth dot on one idea is cap_exceeded while others still fit."""
    room, (a, b, _) = _room()
    _vote(room, P2, a, a, a)
    assert room.no(P2, "vote.cast", idea=a) is ErrorCode.CAP_EXCEEDED
    _vote(room, P2, b)


def test_voting_on_a_missing_idea_is_not_found() -> None:
    """A dot on an idea that does not exist is not_found."""
    room, _ = _room()
    assert room.no(P2, "vote.cast", idea="i999") is ErrorCode.NOT_FOUND


def test_a_retract_takes_back_the_most_recent_dot_on_that_idea() -> None:
    """vote.retract removes one dot on the idea (the latest) and frees budget."""
    room, (a, b, c) = _room()
    _vote(room, P2, a, b, a, c, b)
    event = room.one(P2, "vote.retract", idea=a)
    assert event.data == {"idea": a, "voter": "p2", "reason": "retracted"}
    assert room.state.voting.ballots["p2"] == (a, b, c, b)
    _vote(room, P2, c)


def test_retracting_without_a_dot_is_no_vote() -> None:
    """vote.retract on an idea the voter has no dot on is no_vote."""
    room, (a, _, _) = _room()
    _vote(room, P3, a)
    assert room.no(P2, "vote.retract", idea=a) is ErrorCode.NO_VOTE
    assert room.no(P2, "vote.retract", idea="i999") is ErrorCode.NO_VOTE


def test_retracting_the_last_dot_drops_the_ballot() -> None:
    """A voter with no dots left has no ballot at all."""
    room, (a, _, _) = _room()
    _vote(room, P2, a)
    room.ok(P2, "vote.retract", idea=a)
    assert room.state.voting.ballots == {}


# Open, closed, revealed -------------------------------------------------------------------------


def test_voting_is_open_by_default() -> None:
    """A new room's voting is open and not revealed."""
    room, _ = _room()
    assert room.state.voting.open
    assert not room.state.voting.revealed


def test_closed_voting_refuses_casts_and_retracts() -> None:
    """After voting.close, casting and retracting are voting_closed; dots are kept."""
    room, (a, _, _) = _room()
    _vote(room, P2, a)
    room.ok(FAC, "voting.close")
    assert room.no(P2, "vote.cast", idea=a) is ErrorCode.VOTING_CLOSED
    assert room.no(P2, "vote.retract", idea=a) is ErrorCode.VOTING_CLOSED
    assert room.state.voting.ballots == {"p2": (a,)}


def test_voting_reopens() -> None:
    """voting.open after a close lets participants vote again."""
    room, (a, _, _) = _room()
    room.ok(FAC, "voting.close")
    room.ok(FAC, "voting.open")
    _vote(room, P2, a)


@pytest.mark.parametrize("name", ["voting.open", "voting.reveal"])
def test_switching_to_the_current_state_is_refused(name: str) -> None:
    """Opening open voting or revealing revealed votes is invalid_state."""
    room, _ = _room()
    if name == "voting.reveal":
        room.ok(FAC, name)
    assert room.no(FAC, name) is ErrorCode.INVALID_STATE


def test_closing_closed_voting_is_refused() -> None:
    """voting.close twice is invalid_state."""
    room, _ = _room()
    room.ok(FAC, "voting.close")
    assert room.no(FAC, "voting.close") is ErrorCode.INVALID_STATE


def test_reveal_shows_votes_without_closing_voting() -> None:
    """voting.reveal sets revealed and leaves voting open."""
    room, (a, _, _) = _room()
    event = room.one(FAC, "voting.reveal")
    assert (event.name, event.data) == ("voting.revealed", {})
    assert room.state.voting.revealed
    _vote(room, P2, a)


@pytest.mark.parametrize("name", ["voting.open", "voting.close", "voting.reveal",
                                  "voting.configure"])
def test_participants_do_not_run_the_vote(name: str) -> None:
    """Opening, closing, revealing and configuring are for facilitators."""
    room, _ = _room()
    assert room.no(P1, name) is ErrorCode.FORBIDDEN


# Configuring ------------------------------------------------------------------------------------


def test_configure_changes_budget_cap_and_anonymity() -> None:
    """voting.configure writes all three settings, changed or not."""
    room, _ = _room()
    event = room.one(FAC, "voting.configure", budget=10, anonymous=False)
    assert event.data == {"budget": 10, "cap": 3, "anonymous": False}
    v = room.state.voting
    assert (v.budget, v.cap, v.anonymous) == (10, 3, False)


@pytest.mark.parametrize("args", [{"cap": 6}, {"budget": 2}, {"budget": 4, "cap": 5}])
def test_a_cap_above_the_budget_is_refused(args: dict[str, int]) -> None:
    """Whether from the new values or with the current ones, cap > budget is invalid_args."""
    room, _ = _room()
    assert room.no(FAC, "voting.configure", **args) is ErrorCode.INVALID_ARGS


@pytest.mark.parametrize("args", [{}, {"budget": 5}, {"cap": 3, "anonymous": True}])
def test_configuring_the_current_settings_is_refused(args: dict[str, Any]) -> None:
    """A configure that changes nothing is invalid_state."""
    room, _ = _room()
    assert room.no(FAC, "voting.configure", **args) is ErrorCode.INVALID_STATE


def test_raising_the_limits_keeps_every_vote() -> None:
    """A higher budget and cap produce only voting.configured; every dot stays."""
    room, (a, b, _) = _room()
    _vote(room, P2, a, a, a, b, b)
    events = room.ok(FAC, "voting.configure", budget=9, cap=4)
    assert [e.name for e in events] == ["voting.configured"]
    assert room.state.voting.ballots == {"p2": (a, a, a, b, b)}
    _vote(room, P2, a, b)


def test_lowering_the_cap_retracts_the_most_recent_dots_above_it() -> None:
    """Dots above a lowered cap are retracted, latest first, with reason cap_lowered."""
    room, (a, b, c) = _room()
    _vote(room, P2, a, b, a, c, a)
    _vote(room, P3, b)
    events = room.ok(FAC, "voting.configure", cap=1)
    assert [(e.name, e.data) for e in events] == [
        ("vote.retracted", {"idea": a, "voter": "p2", "reason": "cap_lowered"}),
        ("vote.retracted", {"idea": a, "voter": "p2", "reason": "cap_lowered"}),
        ("voting.configured", {"budget": 5, "cap": 1, "anonymous": True}),
    ]
    assert room.state.voting.ballots == {"p2": (a, b, c), "p3": (b,)}


def test_lowering_the_budget_retracts_the_most_recent_dots() -> None:
    """Dots beyond a lowered budget are retracted from the end, with reason budget_lowered."""
    room, (a, b, c) = _room()
    _vote(room, P2, c, a, b, a)
    _vote(room, P3, a)
    events = room.ok(FAC, "voting.configure", budget=2, cap=2)
    assert [(e.data["idea"], e.data["voter"], e.data["reason"]) for e in events[:-1]] == [
        (a, "p2", "budget_lowered"), (b, "p2", "budget_lowered")]
    assert room.state.voting.ballots == {"p2": (c, a), "p3": (a,)}


def test_lowering_both_trims_the_cap_first_then_the_budget() -> None:
    """Cap trims come before budget trims, so the fewest dots go back."""
    room, (a, b, c) = _room()
    _vote(room, P2, a, b, a, c, a)
    events = room.ok(FAC, "voting.configure", budget=2, cap=1)
    assert [(e.data.get("idea"), e.data.get("reason")) for e in events] == [
        (a, "cap_lowered"), (a, "cap_lowered"), (c, "budget_lowered"), (None, None)]
    assert room.state.voting.ballots == {"p2": (a, b)}


def test_every_prefix_of_a_trimming_configure_holds_the_limits_in_force() -> None:
    """Each event of a lowering configure leaves no ballot above the budget and cap in force."""
    room, (a, b, c) = _room()
    _vote(room, P2, a, a, a, b, c)
    _vote(room, P3, b, b, c, a)
    room.ok(FAC, "voting.configure", budget=2, cap=1)
    for cut in range(1, len(room.log) + 1):
        assert _within_limits(replay(room.log[:cut])), room.log[cut - 1]


def test_trims_happen_even_while_voting_is_closed() -> None:
    """A lowered limit applies to closed voting too: results never count more than it allows."""
    room, (a, _, _) = _room()
    _vote(room, P2, a, a)
    room.ok(FAC, "voting.close")
    room.ok(FAC, "voting.configure", cap=1)
    assert room.state.voting.ballots == {"p2": (a,)}


# Hidden ideas -----------------------------------------------------------------------------------


def test_a_hidden_idea_cannot_be_voted_on_even_by_its_author() -> None:
    """Others get not_found; the author, who still sees it, gets invalid_state."""
    room, (a, _, _) = _room()
    room.ok(FAC, "idea.hide", id=a, hidden=True)
    assert room.no(P2, "vote.cast", idea=a) is ErrorCode.NOT_FOUND
    assert room.no(P1, "vote.cast", idea=a) is ErrorCode.INVALID_STATE


def test_dots_on_a_hidden_idea_may_be_taken_back() -> None:
    """Dots cast before an idea was hidden stay with the voter, who may retract them."""
    room, (a, _, _) = _room()
    _vote(room, P2, a)
    room.ok(FAC, "idea.hide", id=a, hidden=True)
    assert room.state.voting.ballots == {"p2": (a,)}
    room.ok(P2, "vote.retract", idea=a)


# Results ----------------------------------------------------------------------------------------


def test_results_per_idea_and_per_cluster() -> None:
    """Results total each idea and cluster, highest first, ties in board order."""
    room, (a, b, c) = _room()
    k1 = room.one(FAC, "cluster.create", title="K1").data["id"]
    k2 = room.one(FAC, "cluster.create", title="K2").data["id"]
    room.ok(FAC, "idea.move", id=a, cluster=k1)
    room.ok(FAC, "idea.move", id=c, cluster=k2)
    _vote(room, P2, c, c, a)
    _vote(room, P3, b, c)
    assert results(room.state) == {
        "ideas": [{"id": c, "votes": 3, "cluster": k2, "rank": 1},
                  {"id": a, "votes": 1, "cluster": k1, "rank": 2},
                  {"id": b, "votes": 1, "cluster": None, "rank": 2}],
        "clusters": [{"id": k2, "votes": 3, "rank": 1}, {"id": k1, "votes": 1, "rank": 2}],
        "total": 5,
    }


def test_results_leave_out_hidden_ideas() -> None:
    """A hidden idea's dots count in no idea, cluster or total."""
    room, (a, b, _) = _room()
    k = room.one(FAC, "cluster.create", title="K").data["id"]
    room.ok(FAC, "idea.move", id=a, cluster=k)
    _vote(room, P2, a, a, b)
    room.ok(FAC, "idea.hide", id=a, hidden=True)
    res = results(room.state)
    assert a not in {i["id"] for i in res["ideas"]}
    assert res["clusters"] == [{"id": k, "votes": 0, "rank": 1}]
    assert res["total"] == 1


def test_results_of_an_empty_vote() -> None:
    """With no dots, every idea has zero votes, in board order."""
    room, ideas = _room()
    res = results(room.state)
    assert [(i["id"], i["votes"]) for i in res["ideas"]] == [(i, 0) for i in ideas]
    assert res["total"] == 0


def test_tied_ideas_share_a_rank_and_the_next_rank_skips() -> None:
    """Two ideas tied at 2 votes are both 1st; the next is 3rd (standard competition ranking)."""
    room, (a, b, c) = _room()
    _vote(room, P2, a, a, c)
    _vote(room, P3, b, b)
    assert [(i["id"], i["rank"]) for i in results(room.state)["ideas"]] == [(a, 1), (b, 1),
                                                                             (c, 3)]


@given(st.lists(st.integers(0, 20), max_size=30))
def test_ranks_are_standard_competition_ranks(totals: list[int]) -> None:
    """Equal totals get equal rank; a rank is 1 + the count of totals strictly above it."""
    ordered = sorted(totals, reverse=True)
    assert ranks(ordered) == [1 + sum(1 for t in ordered if t > n) for n in ordered]


# Hiding the results again -----------------------------------------------------------------------


def test_the_facilitator_hides_revealed_results_again() -> None:
    """voting.hide after a reveal makes the votes secret again; the dots stay cast."""
    room, (a, _, _) = _room()
    _vote(room, P2, a)
    room.one(FAC, "voting.reveal")
    assert room.one(FAC, "voting.hide").name == "voting.hidden"
    assert not room.state.voting.revealed
    assert room.state.voting.ballots == {"p2": (a,)}
    assert room.one(FAC, "voting.reveal").name == "voting.revealed"


def test_hiding_results_that_are_hidden_is_refused() -> None:
    """voting.hide before any reveal is invalid_state; participants may not send it."""
    room, _ = _room()
    assert room.no(FAC, "voting.hide") is ErrorCode.INVALID_STATE
    room.one(FAC, "voting.reveal")
    assert room.no(P2, "voting.hide") is ErrorCode.FORBIDDEN
