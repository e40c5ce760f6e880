"""The idea board: ideas, moderation, comments, reactions and clusters."""

from __future__ import annotations

from typing import Any

import pytest

from rooms import board
from rooms.errors import ErrorCode
from rooms.state import REACTIONS, Idea
from tests.rooms.helpers import FAC, P1, P2, P3, START, Room, open_room


def _idea(room: Room, idea_id: str) -> Idea:
    return room.state.board.ideas[idea_id]


# Ideas ------------------------------------------------------------------------------------------


def test_a_participant_adds_an_idea() -> None:
    """idea.add puts a card with a new id, its author, text and time on the board."""
    room = open_room()
    room.now = START + 7
    event = room.one(P1, "idea.add", text="Shared sirens map")
    assert event.name == "idea.added"
    assert event.data == {"id": f"i{event.seq}", "author": "p1", "text": "Shared sirens map"}
    idea = _idea(room, event.data["id"])
    assert (idea.author, idea.text, idea.created_at, idea.edited_at) == (
        "p1", "Shared sirens map", START + 7, None)


def test_ids_are_unique_across_kinds_and_follow_the_log() -> None:
    """Ideas, comments and clusters take their id from the seq that creates them."""
    room = open_room()
    first, second = room.idea(), room.idea()
    comment = room.one(P1, "comment.add", idea=first, text="c").data["id"]
    cluster = room.one(FAC, "cluster.create", title="k").data["id"]
    assert len({first, second, comment, cluster}) == 4
    assert comment == f"c{room.state.seq - 1}"
    assert cluster == f"k{room.state.seq}"


def test_ideas_keep_board_order() -> None:
    """The board lists ideas in the order they were posted."""
    room = open_room()
    ids = [room.idea(p) for p in (P2, P1, P3)]
    assert list(room.state.board.ideas) == ids


def test_an_author_edits_their_idea() -> None:
    """idea.edit by the author changes the text and records when."""
    room = open_room()
    idea = room.idea()
    room.tick(1000)
    event = room.one(P1, "idea.edit", id=idea, text="Better")
    assert event.data == {"id": idea, "author": "p1", "text": "Better"}
    assert (_idea(room, idea).text, _idea(room, idea).edited_at) == ("Better", room.now)


def test_an_edit_to_the_same_text_is_refused() -> None:
    """Editing to the text the idea already has is invalid_state (after trimming)."""
    room = open_room()
    idea = room.idea(text="Same")
    assert room.no(P1, "idea.edit", id=idea, text="  Same ") is ErrorCode.INVALID_STATE


def test_an_author_deletes_their_idea() -> None:
    """idea.delete by the author removes the card."""
    room = open_room()
    idea = room.idea()
    room.ok(P1, "idea.delete", id=idea)
    assert idea not in room.state.board.ideas


@pytest.mark.parametrize(("name", "args"), [
    ("idea.edit", {"text": "Mine now"}),
    ("idea.delete", {}),
])
def test_others_may_not_change_an_idea(name: str, args: dict[str, str]) -> None:
    """Another participant's edit or delete of an idea is forbidden."""
    room = open_room()
    idea = room.idea(P1)
    assert room.no(P2, name, id=idea, **args) is ErrorCode.FORBIDDEN


def test_a_facilitator_edits_and_deletes_any_idea() -> None:
    """Facilitators moderate: they edit and delete ideas they did not write."""
    room = open_room()
    idea = room.idea(P1)
    event = room.one(FAC, "idea.edit", id=idea, text="Tidied")
    assert event.data["author"] == "p1"
    assert _idea(room, idea).author == "p1"
    room.ok(FAC, "idea.delete", id=idea)
    assert room.state.board.ideas == {}


@pytest.mark.parametrize("name", ["idea.edit", "idea.delete", "idea.hide", "idea.move"])
def test_changing_a_missing_idea_is_not_found(name: str) -> None:
    """Commands naming an idea that does not exist (or no longer does) are not_found."""
    room = open_room()
    gone = room.idea()
    room.ok(P1, "idea.delete", id=gone)
    args: dict[str, dict[str, Any]] = {
        "idea.edit": {"text": "x"}, "idea.delete": {}, "idea.hide": {"hidden": True},
        "idea.move": {"cluster": None}}
    actor = P1 if name in ("idea.edit", "idea.delete") else FAC
    assert room.no(actor, name, id=gone, **args[name]) is ErrorCode.NOT_FOUND


def test_the_board_holds_a_bounded_number_of_ideas(monkeypatch: pytest.MonkeyPatch) -> None:
    """Past MAX_IDEAS, idea.add is invalid_state; deleting one makes room again."""
    monkeypatch.setattr(board, "MAX_IDEAS", 2)
    room = open_room()
    first = room.idea()
    room.idea()
    assert room.no(P1, "idea.add", text="third") is ErrorCode.INVALID_STATE
    assert room.no(FAC, "idea.add", text="third") is ErrorCode.INVALID_STATE
    room.ok(P1, "idea.delete", id=first)
    room.idea()


# Hiding (moderation) ----------------------------------------------------------------------------


def test_a_facilitator_hides_and_unhides_an_idea() -> None:
    """idea.hide sets and clears the hidden flag and names the author for the projection."""
    room = open_room()
    idea = room.idea()
    event = room.one(FAC, "idea.hide", id=idea, hidden=True)
    assert event.data == {"id": idea, "author": "p1", "hidden": True}
    assert _idea(room, idea).hidden
    room.ok(FAC, "idea.hide", id=idea, hidden=False)
    assert not _idea(room, idea).hidden


def test_hiding_twice_is_refused() -> None:
    """Hiding a hidden idea or showing a visible one is invalid_state."""
    room = open_room()
    idea = room.idea()
    assert room.no(FAC, "idea.hide", id=idea, hidden=False) is ErrorCode.INVALID_STATE
    room.ok(FAC, "idea.hide", id=idea, hidden=True)
    assert room.no(FAC, "idea.hide", id=idea, hidden=True) is ErrorCode.INVALID_STATE


def test_participants_may_not_hide_ideas() -> None:
    """Even its author may not hide an idea: moderation is for facilitators."""
    room = open_room()
    idea = room.idea()
    assert room.no(P1, "idea.hide", id=idea, hidden=True) is ErrorCode.FORBIDDEN


@pytest.mark.parametrize(("name", "args"), [
    ("idea.edit", {"id": "{idea}", "text": "x"}),
    ("idea.delete", {"id": "{idea}"}),
    ("comment.add", {"idea": "{idea}", "text": "x"}),
    ("reaction.toggle", {"idea": "{idea}", "reaction": "+1"}),
    ("vote.cast", {"idea": "{idea}"}),
])
def test_a_hidden_idea_does_not_exist_for_other_participants(name: str,
                                                             args: dict[str, str]) -> None:
    """Other participants get not_found for a hidden idea, never forbidden (no existence leak)."""
    room = open_room()
    idea = room.idea(P1)
    room.ok(FAC, "idea.hide", id=idea, hidden=True)
    filled = {k: v.format(idea=idea) for k, v in args.items()}
    assert room.no(P2, name, **filled) is ErrorCode.NOT_FOUND


def test_the_author_still_works_on_their_hidden_idea() -> None:
    """The author of a hidden idea sees it, so they may edit, comment and react on it."""
    room = open_room()
    idea = room.idea(P1)
    room.ok(FAC, "idea.hide", id=idea, hidden=True)
    room.ok(P1, "idea.edit", id=idea, text="Reworded")
    room.ok(P1, "comment.add", idea=idea, text="Why hidden?")
    room.ok(P1, "reaction.toggle", idea=idea, reaction="question")


def test_a_facilitator_works_on_hidden_ideas() -> None:
    """Facilitators see hidden ideas and may comment on, move and delete them."""
    room = open_room()
    idea = room.idea(P1)
    room.ok(FAC, "idea.hide", id=idea, hidden=True)
    cluster = room.one(FAC, "cluster.create", title="Parked").data["id"]
    room.ok(FAC, "comment.add", idea=idea, text="Off topic")
    room.ok(FAC, "idea.move", id=idea, cluster=cluster)
    room.ok(FAC, "idea.delete", id=idea)


def test_deleting_a_hidden_idea_says_it_was_hidden() -> None:
    """idea.deleted carries whether the idea was hidden, so the projection can redact it."""
    room = open_room()
    shown, hidden = room.idea(), room.idea()
    room.ok(FAC, "idea.hide", id=hidden, hidden=True)
    assert room.one(P1, "idea.delete", id=shown).data["hidden"] is False
    assert room.one(FAC, "idea.delete", id=hidden).data["hidden"] is True


# Comments ---------------------------------------------------------------------------------------


def test_anyone_comments_on_a_visible_idea() -> None:
    """comment.add appends a comment with its author, text and time."""
    room = open_room()
    idea = room.idea(P1)
    event = room.one(P2, "comment.add", idea=idea, text="Agree")
    assert event.data == {"idea": idea, "id": f"c{event.seq}", "author": "p2", "text": "Agree"}
    (comment,) = _idea(room, idea).comments
    assert (comment.author, comment.text, comment.at) == ("p2", "Agree", room.now)


def test_a_comment_author_deletes_their_comment() -> None:
    """comment.delete by its author removes it."""
    room = open_room()
    idea = room.idea(P1)
    comment = room.one(P2, "comment.add", idea=idea, text="Oops").data["id"]
    event = room.one(P2, "comment.delete", idea=idea, id=comment)
    assert event.data == {"idea": idea, "id": comment, "author": "p2"}
    assert _idea(room, idea).comments == ()


def test_others_may_not_delete_a_comment() -> None:
    """Neither another participant nor the idea's author may delete someone's comment."""
    room = open_room()
    idea = room.idea(P1)
    comment = room.one(P2, "comment.add", idea=idea, text="Mine").data["id"]
    assert room.no(P3, "comment.delete", idea=idea, id=comment) is ErrorCode.FORBIDDEN
    assert room.no(P1, "comment.delete", idea=idea, id=comment) is ErrorCode.FORBIDDEN


def test_a_facilitator_deletes_any_comment() -> None:
    """Facilitators moderate comments too."""
    room = open_room()
    idea = room.idea(P1)
    comment = room.one(P2, "comment.add", idea=idea, text="Rude").data["id"]
    room.ok(FAC, "comment.delete", idea=idea, id=comment)
    assert _idea(room, idea).comments == ()


def test_missing_comments_and_ideas_are_not_found() -> None:
    """A comment id not on that idea, or an idea that does not exist, is not_found."""
    room = open_room()
    first, second = room.idea(), room.idea()
    comment = room.one(P1, "comment.add", idea=first, text="c").data["id"]
    assert room.no(P1, "comment.delete", idea=second, id=comment) is ErrorCode.NOT_FOUND
    assert room.no(P1, "comment.delete", idea=first, id="c999") is ErrorCode.NOT_FOUND
    assert room.no(P1, "comment.add", idea="i999", text="c") is ErrorCode.NOT_FOUND


def test_an_idea_holds_a_bounded_number_of_comments(monkeypatch: pytest.MonkeyPatch) -> None:
    """Past MAX_COMMENTS on one idea, comment.add is invalid_state."""
    monkeypatch.setattr(board, "MAX_COMMENTS", 2)
    room = open_room()
    idea = room.idea()
    room.ok(P1, "comment.add", idea=idea, text="1")
    room.ok(P2, "comment.add", idea=idea, text="2")
    assert room.no(P3, "comment.add", idea=idea, text="3") is ErrorCode.INVALID_STATE
    room.ok(P1, "comment.add", idea=room.idea(), text="elsewhere")


def test_a_comment_is_checked_like_any_text() -> None:
    """A comment longer than 1000 characters is invalid_args."""
    room = open_room()
    idea = room.idea()
    assert room.no(P2, "comment.add", idea=idea, text="x" * 1001) is ErrorCode.INVALID_ARGS


# Reactions --------------------------------------------------------------------------------------


def test_a_reaction_toggles_on_and_off() -> None:
    """The first reaction.toggle turns it on for that person, the second turns it off."""
    room = open_room()
    idea = room.idea()
    on = room.one(P2, "reaction.toggle", idea=idea, reaction="heart")
    assert on.data == {"idea": idea, "reaction": "heart", "by": "p2", "on": True}
    assert _idea(room, idea).reactions == {"heart": ("p2",)}
    off = room.one(P2, "reaction.toggle", idea=idea, reaction="heart")
    assert off.data["on"] is False
    assert _idea(room, idea).reactions == {}


def test_reactions_are_per_person() -> None:
    """Each person's toggle affects only their own reaction, kept in the order given."""
    room = open_room()
    idea = room.idea()
    for person in (P3, P1, FAC):
        room.ok(person, "reaction.toggle", idea=idea, reaction="+1")
    room.ok(P1, "reaction.toggle", idea=idea, reaction="+1")
    room.ok(P1, "reaction.toggle", idea=idea, reaction="idea")
    assert _idea(room, idea).reactions == {"+1": ("p3", "f1"), "idea": ("p1",)}


@pytest.mark.parametrize("reaction", REACTIONS)
def test_every_reaction_of_the_fixed_set_is_accepted(reaction: str) -> None:
    """The five reactions of the fixed set are all accepted."""
    room = open_room()
    room.ok(P1, "reaction.toggle", idea=room.idea(), reaction=reaction)


def test_the_reaction_set_is_fixed() -> None:
    """A reaction outside the set is invalid_args."""
    room = open_room()
    assert room.no(P1, "reaction.toggle", idea=room.idea(),
                   reaction="poop") is ErrorCode.INVALID_ARGS


# Clusters ---------------------------------------------------------------------------------------


def test_a_facilitator_creates_renames_and_deletes_a_cluster() -> None:
    """Clusters are made, renamed in place and removed by the facilitator."""
    room = open_room()
    first = room.one(FAC, "cluster.create", title="Alerts").data["id"]
    second = room.one(FAC, "cluster.create", title="Logistics").data["id"]
    room.ok(FAC, "cluster.rename", id=first, title="Early warning")
    clusters = room.state.board.clusters
    assert [(c.id, c.title) for c in clusters.values()] == [
        (first, "Early warning"), (second, "Logistics")]
    room.ok(FAC, "cluster.delete", id=first)
    assert list(room.state.board.clusters) == [second]


@pytest.mark.parametrize(("name", "args"), [
    ("cluster.rename", {"id": "k9", "title": "x"}),
    ("cluster.delete", {"id": "k9"}),
])
def test_a_missing_cluster_is_not_found(name: str, args: dict[str, str]) -> None:
    """Renaming or deleting a cluster that does not exist is not_found."""
    assert open_room().no(FAC, name, **args) is ErrorCode.NOT_FOUND


@pytest.mark.parametrize("name", ["cluster.rename", "cluster.delete"])
def test_participants_do_not_rename_or_delete_clusters(name: str) -> None:
    """Renaming and deleting clusters stays with the facilitator, whatever the phase allows."""
    assert open_room().no(P1, name) is ErrorCode.FORBIDDEN


@pytest.mark.parametrize(("name", "args"), [
    ("cluster.create", {"title": "Mine"}),
    ("idea.move", {"id": "i9", "cluster": None}),
])
def test_participants_cluster_only_when_the_phase_allows_it(name: str,
                                                            args: dict[str, Any]) -> None:
    """The default Cluster phase does not allow participants to cluster: phase_closed."""
    room = Room()
    room.goto("cluster")
    assert room.no(P1, name, **args) is ErrorCode.PHASE_CLOSED


def test_the_facilitator_lets_participants_cluster_in_the_cluster_phase() -> None:
    """phase.allow adds "clusters" to the phase; participants then move ideas, until it goes."""
    room = Room()
    room.goto("ideate")
    a = room.idea(P1, "Sirens")
    room.goto("cluster")
    event = room.one(FAC, "phase.allow", phase="cluster", capability="clusters", allowed=True)
    assert event.name == "phase.allowed"
    assert event.data == {"phase": "cluster", "capability": "clusters", "allowed": True}
    assert room.state.phases.allows("clusters")
    k = room.one(P2, "cluster.create", title="Alerts").data["id"]
    assert room.one(P2, "idea.move", id=a, cluster=k).name == "idea.moved"
    room.one(FAC, "phase.allow", phase="cluster", capability="clusters", allowed=False)
    assert room.no(P2, "idea.move", id=a, cluster=None) is ErrorCode.PHASE_CLOSED


def test_phase_allow_is_refused_when_nothing_would_change() -> None:
    """Allowing what is allowed is invalid_state; an unknown phase is not_found."""
    room = Room()
    assert room.no(FAC, "phase.allow", phase="vote", capability="votes",
                   allowed=True) is ErrorCode.INVALID_STATE
    assert room.no(FAC, "phase.allow", phase="nope", capability="votes",
                   allowed=False) is ErrorCode.NOT_FOUND
    assert room.no(P1, "phase.allow", phase="vote", capability="votes",
                   allowed=False) is ErrorCode.FORBIDDEN


def test_a_card_dropped_on_a_card_makes_a_cluster_of_both() -> None:
    """cluster.create with ideas creates the cluster and moves each idea into it, in one go."""
    room = open_room()
    a, b = room.idea(P1, "Sirens"), room.idea(P2, "Sirens tested monthly")
    events = room.ok(P3, "cluster.create", title="Sirens", ideas=[a, b])
    k = events[0].data["id"]
    assert [e.name for e in events] == ["cluster.created", "idea.moved", "idea.moved"]
    assert events[1].data == {"id": a, "author": "p1", "cluster": k}
    assert {_idea(room, i).cluster for i in (a, b)} == {k}


@pytest.mark.parametrize(("ideas", "code"), [
    ([], ErrorCode.INVALID_ARGS), (["i5", "i5"], ErrorCode.INVALID_ARGS),
    ([5], ErrorCode.INVALID_ARGS), (["i5", "i99"], ErrorCode.NOT_FOUND),
])
def test_gathering_bad_ideas_into_a_cluster_is_refused(ideas: list[Any],
                                                       code: ErrorCode) -> None:
    """An empty, repeated, malformed or unknown idea list refuses the whole cluster.create."""
    room = open_room()
    assert room.idea(P1) == "i5"
    assert room.no(P2, "cluster.create", title="K", ideas=ideas) is code


def test_a_participant_cannot_gather_an_idea_hidden_from_them() -> None:
    """Someone else's hidden idea is not_found to a participant clustering."""
    room = open_room()
    a = room.idea(P1)
    room.ok(FAC, "idea.hide", id=a, hidden=True)
    assert room.no(P2, "cluster.create", title="K", ideas=[a]) is ErrorCode.NOT_FOUND
    assert room.no(P2, "idea.move", id=a, cluster=None) is ErrorCode.NOT_FOUND


def test_a_room_holds_at_most_a_hundred_clusters() -> None:
    """The hundred-and-first cluster is invalid_state."""
    room = open_room()
    for n in range(100):
        room.ok(FAC, "cluster.create", title=f"k{n}")
    assert room.no(FAC, "cluster.create", title="one more") is ErrorCode.INVALID_STATE


def test_ideas_move_into_between_and_out_of_clusters() -> None:
    """idea.move sets an idea's cluster; a null cluster takes it out."""
    room = open_room()
    idea = room.idea()
    a = room.one(FAC, "cluster.create", title="A").data["id"]
    b = room.one(FAC, "cluster.create", title="B").data["id"]
    event = room.one(FAC, "idea.move", id=idea, cluster=a)
    assert event.data == {"id": idea, "author": "p1", "cluster": a}
    room.ok(FAC, "idea.move", id=idea, cluster=b)
    assert _idea(room, idea).cluster == b
    room.ok(FAC, "idea.move", id=idea, cluster=None)
    assert _idea(room, idea).cluster is None


def test_moving_nowhere_new_is_refused() -> None:
    """Moving an idea where it is, or into a missing cluster, is refused."""
    room = open_room()
    idea = room.idea()
    assert room.no(FAC, "idea.move", id=idea, cluster=None) is ErrorCode.INVALID_STATE
    assert room.no(FAC, "idea.move", id=idea, cluster="k42") is ErrorCode.NOT_FOUND
    cluster = room.one(FAC, "cluster.create", title="A").data["id"]
    room.ok(FAC, "idea.move", id=idea, cluster=cluster)
    assert room.no(FAC, "idea.move", id=idea, cluster=cluster) is ErrorCode.INVALID_STATE


def test_deleting_a_cluster_unclusters_its_ideas() -> None:
    """The ideas of a deleted cluster stay on the board without a cluster; others stay put."""
    room = open_room()
    a = room.one(FAC, "cluster.create", title="A").data["id"]
    b = room.one(FAC, "cluster.create", title="B").data["id"]
    in_a, in_b, loose = room.idea(), room.idea(), room.idea()
    room.ok(FAC, "idea.move", id=in_a, cluster=a)
    room.ok(FAC, "idea.move", id=in_b, cluster=b)
    room.ok(FAC, "cluster.delete", id=a)
    assert [(i.id, i.cluster) for i in room.state.board.ideas.values()] == [
        (in_a, None), (in_b, b), (loose, None)]


# Deleting an idea gives its votes back ----------------------------------------------------------


def test_deleting_an_idea_refunds_its_votes() -> None:
    """The dots on a deleted idea return to their voters' budgets; other dots stay."""
    room = open_room()
    doomed, kept = room.idea(P1), room.idea(P2)
    room.ok(P2, "vote.cast", idea=doomed)
    room.ok(P2, "vote.cast", idea=kept)
    room.ok(P2, "vote.cast", idea=doomed)
    room.ok(P3, "vote.cast", idea=doomed)
    room.ok(P1, "idea.delete", id=doomed)
    assert room.state.voting.ballots == {"p2": (kept,)}
    assert room.state.voting.used("p3") == 0
