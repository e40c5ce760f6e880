"""What each audience sees: hidden votes, hidden ideas, snapshots and per-viewer events."""

from __future__ import annotations

from typing import Any

import pytest

from rooms.actors import SYSTEM
from rooms.events import Event
from rooms.projection import (
    REDACTED,
    Audience,
    event_view,
    idea_view,
    shares_view,
    snapshot,
    subjects,
)
from rooms.room import replay
from tests.rooms.helpers import FAC, P1, P2, P3, Room, open_room, profile

F, P, OB = Audience.FACILITATOR, Audience.PARTICIPANT, Audience.OBSERVER


def _view(room: Room, event: Event, audience: Audience, viewer: str | None) -> dict[str, Any]:
    return event_view(room.state, event, audience, viewer)


def _voted(**create: Any) -> tuple[Room, str, Event]:
    """An open room where p2 put a dot on p1's idea; returns the room, idea and vote event."""
    room = open_room(**create)
    idea = room.idea(P1)
    return room, idea, room.one(P2, "vote.cast", idea=idea)


def _hidden(room: Room) -> str:
    idea = room.idea(P1, "Secret")
    room.ok(FAC, "idea.hide", id=idea, hidden=True)
    return idea


# Hidden votes -----------------------------------------------------------------------------------


def test_others_vote_events_are_hidden_before_the_reveal() -> None:
    """Participants and observers get {"hidden": true} for someone else's dot."""
    room, _, cast = _voted()
    assert _view(room, cast, P, "p3") == {"hidden": True}
    assert _view(room, cast, P, "p1") == {"hidden": True}  # even the idea's author
    assert _view(room, cast, P, None) == {"hidden": True}
    assert _view(room, cast, OB, None) == {"hidden": True}


def test_a_voter_sees_their_own_vote_events() -> None:
    """The voter's own cast and retract events come with their data."""
    room, idea, cast = _voted()
    assert _view(room, cast, P, "p2") == {"idea": idea, "voter": "p2"}
    retract = room.one(P2, "vote.retract", idea=idea)
    assert _view(room, retract, P, "p2") == retract.data
    assert _view(room, retract, P, "p3") == {"hidden": True}


def test_a_facilitator_sees_every_vote() -> None:
    """Facilitators get every vote event whole, before and after the reveal."""
    room, _, cast = _voted()
    assert _view(room, cast, F, None) == cast.data
    room.ok(FAC, "voting.reveal")
    assert _view(room, cast, F, None) == cast.data


def test_trims_are_hidden_like_any_retract() -> None:
    """vote.retracted events from a lowered cap reach only their voter (and facilitators)."""
    room, idea, _ = _voted()
    room.ok(P2, "vote.cast", idea=idea)
    trim, _configured = room.ok(FAC, "voting.configure", cap=1)
    assert trim.data["reason"] == "cap_lowered"
    assert _view(room, trim, P, "p2") == trim.data
    assert _view(room, trim, P, "p3") == {"hidden": True}


def test_after_an_anonymous_reveal_votes_come_without_the_voter() -> None:
    """Once revealed, anonymous voting shows others the idea but not who voted."""
    room, idea, _ = _voted()
    room.ok(FAC, "voting.reveal")
    cast = room.one(P3, "vote.cast", idea=idea)
    assert _view(room, cast, P, "p2") == {"idea": idea}
    assert _view(room, cast, OB, None) == {"idea": idea}
    assert _view(room, cast, P, "p3") == cast.data


def test_after_a_named_reveal_votes_keep_the_voter() -> None:
    """Once revealed, named voting shows everyone who voted for what."""
    room, idea, _ = _voted(anonymous=False)
    room.ok(FAC, "voting.reveal")
    cast = room.one(P3, "vote.cast", idea=idea)
    assert _view(room, cast, P, "p2") == {"idea": idea, "voter": "p3"}
    assert _view(room, cast, OB, None) == cast.data


def test_named_voting_stays_hidden_until_the_reveal() -> None:
    """Named voting does not show voters before the reveal either."""
    room, _, cast = _voted(anonymous=False)
    assert _view(room, cast, P, "p3") == {"hidden": True}


def test_the_reveal_event_carries_the_tallies() -> None:
    """voting.revealed gives participants and observers tallies and results, no ballots."""
    room, idea, _ = _voted()
    revealed = room.one(FAC, "voting.reveal")
    for audience, viewer in ((P, "p3"), (OB, None)):
        voting = _view(room, revealed, audience, viewer)["voting"]
        assert voting["tallies"] == {idea: 1}
        assert voting["results"]["total"] == 1
        assert "ballots" not in voting
    assert _view(room, revealed, F, None)["voting"]["ballots"] == {"p2": [idea]}


def test_the_reveal_event_carries_the_voters_own_dots() -> None:
    """A voter's view of voting.revealed has their own dots; others' views have none."""
    room, idea, _ = _voted()
    revealed = room.one(FAC, "voting.reveal")
    assert _view(room, revealed, P, "p2")["voting"]["mine"] == [idea]
    assert _view(room, revealed, P, "p3")["voting"]["mine"] == []


def test_a_named_reveal_shows_ballots() -> None:
    """With named voting, the reveal shows every ballot to everyone."""
    room, idea, _ = _voted(anonymous=False)
    revealed = room.one(FAC, "voting.reveal")
    assert _view(room, revealed, OB, None)["voting"]["ballots"] == {"p2": [idea]}


# Snapshots --------------------------------------------------------------------------------------


def test_a_snapshot_shows_the_whole_room() -> None:
    """A snapshot has the room, seq, phases, board, voting, timer and members."""
    room = Room(challenge="Blackout")
    snap = snapshot(room.state, P, "p1")
    assert snap["room"]["challenge"] == "Blackout"
    assert (snap["seq"], snap["phase"]) == (room.state.seq, "brief")
    assert [p["id"] for p in snap["phases"]][:2] == ["brief", "ideate"]
    assert snap["timer"] == {"status": "idle", "duration_ms": 0, "ends_at": 0,
                             "remaining_ms": 0}
    assert [m["id"] for m in snap["members"]] == ["p1", "p2", "p3"]
    assert snap["board"] == {"ideas": [], "clusters": []}


def test_only_facilitators_see_members_profiles() -> None:
    """A facilitator's snapshot has every member's profile; others get id and name only."""
    room = Room()
    assert snapshot(room.state, F, None)["members"][0] == {**profile("p1"), "about": ""}
    for audience, viewer in ((P, "p1"), (P, "p2"), (OB, None)):
        assert snapshot(room.state, audience, viewer)["members"] == [
            {"id": m, "name": f"Person {m}"} for m in ("p1", "p2", "p3")]
    without = snapshot(room.state, P, "p1", members=False)  # the server adds its own
    assert without == {k: v for k, v in snapshot(room.state, P, "p1").items() if k != "members"}


def test_only_facilitators_see_the_profile_of_a_member_who_joins() -> None:
    """member.joined carries the whole profile to facilitators, id and name to the others."""
    room = Room()
    joined = room.one(SYSTEM, "member.join", **profile("p4", organization="Red Cross"))
    assert _view(room, joined, F, None) == profile("p4", organization="Red Cross")
    assert _view(room, joined, P, "p4") == {"id": "p4", "name": "Person p4"}
    assert _view(room, joined, OB, None) == {"id": "p4", "name": "Person p4"}


def test_a_participant_with_nothing_own_sees_the_audience_snapshot() -> None:
    """Without dots or a hidden idea, a participant's snapshot is the participants' one."""
    room, _, _ = _voted()
    assert shares_view(room.state, "p3")
    assert snapshot(room.state, P, "p3") == snapshot(room.state, P, None)


def test_dots_or_a_hidden_idea_make_a_participant_snapshot_their_own() -> None:
    """A voter, or the author of a hidden idea, sees a snapshot of their own."""
    room, _, _ = _voted()
    _hidden(room)
    assert not shares_view(room.state, "p2")  # their dot
    assert not shares_view(room.state, "p1")  # their hidden idea
    for viewer in ("p1", "p2"):
        assert snapshot(room.state, P, viewer) != snapshot(room.state, P, None)


def test_a_snapshot_shows_each_voter_their_own_dots() -> None:
    """`mine` is the viewer's ballot; observers and non-voters have none."""
    room, idea, _ = _voted()
    assert snapshot(room.state, P, "p2")["voting"]["mine"] == [idea]
    assert snapshot(room.state, P, "p3")["voting"]["mine"] == []
    assert snapshot(room.state, OB, None)["voting"]["mine"] == []


@pytest.mark.parametrize(("audience", "viewer"), [(P, "p2"), (P, "p3"), (OB, None)])
def test_a_snapshot_hides_tallies_before_the_reveal(audience: Audience,
                                                    viewer: str | None) -> None:
    """Before the reveal, participants and observers get no tallies, results or ballots."""
    room, _, _ = _voted()
    voting = snapshot(room.state, audience, viewer)["voting"]
    assert not {"tallies", "results", "ballots"} & set(voting)
    assert voting["cast"] == 1  # how many dots are out, not whose


def test_a_facilitator_snapshot_shows_everything() -> None:
    """Facilitators see tallies, results and ballots before the reveal."""
    room, idea, _ = _voted()
    voting = snapshot(room.state, F, None)["voting"]
    assert voting["tallies"] == {idea: 1}
    assert voting["ballots"] == {"p2": [idea]}


def test_a_snapshot_after_the_reveal_shows_tallies() -> None:
    """After the reveal, anonymous voting shows tallies; named voting shows ballots too."""
    room, idea, _ = _voted()
    room.ok(FAC, "voting.reveal")
    voting = snapshot(room.state, P, "p3")["voting"]
    assert voting["tallies"] == {idea: 1}
    assert "ballots" not in voting
    named, idea, _ = _voted(anonymous=False)
    named.ok(FAC, "voting.reveal")
    assert snapshot(named.state, OB, None)["voting"]["ballots"] == {"p2": [idea]}


def test_hidden_ideas_are_left_out_of_other_snapshots() -> None:
    """A hidden idea is in the facilitator's and its author's snapshots only."""
    room = open_room()
    shown = room.idea(P2)
    hidden = _hidden(room)

    def ids(audience: Audience, viewer: str | None) -> list[str]:
        return [i["id"] for i in snapshot(room.state, audience, viewer)["board"]["ideas"]]

    assert ids(F, None) == [shown, hidden]
    assert ids(P, "p1") == [shown, hidden]
    assert ids(P, "p2") == [shown]
    assert ids(OB, None) == [shown]


def test_an_idea_card_shows_comments_and_reactions() -> None:
    """idea_view has the text, authorship, cluster, comments and reactions of an idea."""
    room = open_room()
    idea = room.idea(P1, "Drones")
    room.ok(P2, "comment.add", idea=idea, text="Battery?")
    room.ok(P3, "reaction.toggle", idea=idea, reaction="idea")
    card = idea_view(room.state.board.ideas[idea])
    assert (card["id"], card["author"], card["text"], card["hidden"], card["cluster"]) == (
        idea, "p1", "Drones", False, None)
    assert [c["text"] for c in card["comments"]] == ["Battery?"]
    assert card["reactions"] == {"idea": ["p3"]}


# Events on hidden ideas -------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["idea.edit", "comment.add", "reaction.toggle", "idea.move",
                                  "idea.delete"])
def test_events_on_a_hidden_idea_are_redacted_for_others(name: str) -> None:
    """Other participants and observers get {"redacted": true}; author and facilitator don't."""
    room = open_room()
    idea = _hidden(room)
    cluster = room.one(FAC, "cluster.create", title="K").data["id"]
    actor, args = {
        "idea.edit": (P1, {"id": idea, "text": "Reworded"}),
        "comment.add": (FAC, {"idea": idea, "text": "Off topic"}),
        "reaction.toggle": (P1, {"idea": idea, "reaction": "+1"}),
        "idea.move": (FAC, {"id": idea, "cluster": cluster}),
        "idea.delete": (P1, {"id": idea}),
    }[name]
    event = room.one(actor, name, **args)
    assert _view(room, event, P, "p2") == REDACTED
    assert _view(room, event, OB, None) == REDACTED
    assert _view(room, event, P, "p1") == event.data
    assert _view(room, event, F, None) == event.data


def test_events_on_visible_ideas_pass_unchanged() -> None:
    """Ordinary board events reach everyone with their data."""
    room = open_room()
    added = room.one(P1, "idea.add", text="Open")
    comment = room.one(P2, "comment.add", idea=added.data["id"], text="Hi")
    deleted = room.one(P1, "idea.delete", id=added.data["id"])
    for event in (added, comment, deleted):
        assert _view(room, event, OB, None) == event.data
        assert _view(room, event, P, "p3") == event.data


def test_hiding_tells_others_only_the_id() -> None:
    """Others learn that an idea was hidden, not who wrote it; the author sees the event."""
    room = open_room()
    idea = room.idea(P1)
    event = room.one(FAC, "idea.hide", id=idea, hidden=True)
    assert _view(room, event, P, "p2") == {"id": idea, "hidden": True}
    assert _view(room, event, OB, None) == {"id": idea, "hidden": True}
    assert _view(room, event, P, "p1") == event.data


def test_unhiding_carries_the_idea_card() -> None:
    """Those who never saw the hidden idea get the whole (current) card when it comes back."""
    room = open_room()
    idea = _hidden(room)
    room.ok(P1, "idea.edit", id=idea, text="Better wording")
    event = room.one(FAC, "idea.hide", id=idea, hidden=False)
    view = _view(room, event, P, "p2")
    assert view["hidden"] is False
    assert view["idea"] == idea_view(room.state.board.ideas[idea])
    assert view["idea"]["text"] == "Better wording"
    assert _view(room, event, OB, None) == view


# subjects(): who sees an event differently from their audience ---------------------------------


def test_the_subjects_of_a_vote_event_are_its_voter() -> None:
    """A vote event is seen differently only by its voter."""
    room, _, cast = _voted()
    assert subjects(room.state, cast) == {"p2"}


def test_the_subjects_of_an_event_on_a_hidden_idea_are_its_author() -> None:
    """Events on a hidden idea (including its deletion) are seen differently by its author."""
    room = open_room()
    idea = _hidden(room)
    comment = room.one(FAC, "comment.add", idea=idea, text="Why?")
    assert subjects(room.state, comment) == {"p1"}
    deleted = room.one(FAC, "idea.delete", id=idea)
    assert subjects(room.state, deleted) == {"p1"}


def test_the_subjects_of_the_reveal_are_the_voters() -> None:
    """Each voter's view of the reveal carries their own dots, so each voter is a subject."""
    room, idea, _ = _voted()
    room.ok(P3, "vote.cast", idea=idea)
    revealed = room.one(FAC, "voting.reveal")
    assert subjects(room.state, revealed) == {"p2", "p3"}


def test_ordinary_events_have_no_subjects() -> None:
    """Events everyone in an audience sees alike have no subjects (encode once per audience)."""
    room = open_room()
    idea = _hidden(room)
    events = [room.one(P2, "idea.add", text="x"), room.one(FAC, "timer.start", seconds=5),
              room.one(FAC, "idea.hide", id=idea, hidden=False)]
    for event in events:
        assert subjects(room.state, event) == set()


def test_everyone_outside_the_subjects_sees_the_audience_view() -> None:
    """For every event of a session, a non-subject's view equals the audience-wide view."""
    room, idea, _ = _voted()
    hidden = _hidden(room)
    room.ok(P1, "comment.add", idea=hidden, text="mine")
    room.ok(P3, "vote.cast", idea=idea)
    room.ok(FAC, "voting.configure", budget=1, cap=1)
    room.ok(FAC, "voting.reveal")
    room.ok(FAC, "idea.hide", id=hidden, hidden=False)
    for cut, event in enumerate(room.log, 1):
        state = replay(room.log[:cut])
        for viewer in ("p1", "p2", "p3"):
            if viewer not in subjects(state, event):
                assert event_view(state, event, P, viewer) == event_view(state, event, P, None)



# Replays show today's visibility ----------------------------------------------------------------


def test_a_replayed_idea_added_of_an_idea_hidden_since_is_redacted() -> None:
    """Resuming from before an idea was added and hidden, others never get its text."""
    room = open_room()
    added = room.one(P1, "idea.add", text="Name and address of a resident")
    room.ok(FAC, "idea.hide", id=added.data["id"], hidden=True)
    assert _view(room, added, P, "p2") == REDACTED
    assert _view(room, added, Audience.OBSERVER, None) == REDACTED
    assert _view(room, added, P, "p1") == added.data  # the author still sees their card
    assert _view(room, added, F, None) == added.data


def test_a_replayed_hiding_of_an_idea_visible_again_carries_no_card() -> None:
    """Only the unhiding event brings the card back; the hiding event replayed is bare."""
    room = open_room()
    idea = room.idea(P1)
    hide = room.one(FAC, "idea.hide", id=idea, hidden=True)
    unhide = room.one(FAC, "idea.hide", id=idea, hidden=False)
    assert "idea" not in _view(room, hide, P, "p2")
    assert _view(room, unhide, P, "p2")["idea"]["id"] == idea


def test_tallies_leave_out_hidden_ideas_except_for_facilitators() -> None:
    """After the reveal, dots on a hidden idea appear in no participant's tallies or ballots."""
    room = open_room(anonymous=False)
    shown, secret = room.idea(P1, "Shown"), room.idea(P1, "Secret")
    room.ok(P2, "vote.cast", idea=shown)
    room.ok(P2, "vote.cast", idea=secret)
    room.ok(FAC, "idea.hide", id=secret, hidden=True)
    room.ok(FAC, "voting.reveal")
    seen = snapshot(room.state, P, "p3")["voting"]
    assert seen["tallies"] == {shown: 1}
    assert seen["ballots"] == {"p2": [shown]}
    assert snapshot(room.state, F, None)["voting"]["tallies"] == {shown: 1, secret: 1}


def test_a_voter_only_of_hidden_ideas_is_not_listed_in_others_ballots() -> None:
    """Named ballots leave out a voter whose every dot is on a hidden idea."""
    room = open_room(anonymous=False)
    secret = room.idea(P1, "Secret")
    room.ok(P2, "vote.cast", idea=secret)
    room.ok(FAC, "idea.hide", id=secret, hidden=True)
    room.ok(FAC, "voting.reveal")
    assert snapshot(room.state, P, "p3")["voting"]["ballots"] == {}


def test_hiding_the_results_takes_tallies_back_from_participants() -> None:
    """voting.hidden gives participants and observers a view without tallies or ballots again."""
    room, idea, _ = _voted(anonymous=False)
    room.one(FAC, "voting.reveal")
    hidden = room.one(FAC, "voting.hide")
    for audience, viewer in ((P, "p3"), (OB, None)):
        voting = _view(room, hidden, audience, viewer)["voting"]
        assert voting["revealed"] is False
        assert not {"tallies", "results", "ballots"} & set(voting)
    assert _view(room, hidden, P, "p2")["voting"]["mine"] == [idea]
    assert _view(room, hidden, F, None)["voting"]["tallies"] == {idea: 1}
    assert subjects(room.state, hidden) == {"p2"}
