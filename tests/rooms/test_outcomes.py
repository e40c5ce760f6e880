"""Recommendations and action items: rules, phase gating, history, views and provenance."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from rooms.actors import Actor, Role
from rooms.errors import ErrorCode, Rejection
from rooms.outcomes import FOLLOWUP_ACTOR, support
from rooms.projection import Audience, snapshot
from rooms.room import replay
from rooms.state import CAPABILITIES
from tests.rooms.helpers import FAC, OBS, P1, P2, P3, Room, open_room


def _voted_room() -> tuple[Room, list[str], str]:
    """A room with three ideas (two in a cluster), votes on them, in the refine phase."""
    room = Room()
    room.goto("ideate")
    a, b, c = room.idea(P1, "Sirens"), room.idea(P2, "Sand bags"), room.idea(P3, "Radio")
    cluster = room.one(FAC, "cluster.create", title="Warning").data["id"]
    room.ok(FAC, "idea.move", id=a, cluster=cluster)
    room.ok(FAC, "idea.move", id=c, cluster=cluster)
    room.goto("vote")
    room.ok(P1, "vote.cast", idea=a)
    room.ok(P2, "vote.cast", idea=a)
    room.ok(P2, "vote.cast", idea=b)
    room.ok(P3, "vote.cast", idea=c)
    room.goto("refine")
    return room, [a, b, c], cluster


def test_a_participant_makes_a_recommendation_from_ideas_in_refine() -> None:
    """recommendation.create in refine keeps its sources, author and time."""
    room, (a, b, _), _ = _voted_room()
    event = room.one(P1, "recommendation.create", title="Sirens and sand bags", ideas=[a, b],
                     due="2027-03-31")
    rec = room.state.outcomes.recommendations[event.data["id"]]
    assert (rec.title, rec.ideas, rec.due, rec.created_by) == (
        "Sirens and sand bags", (a, b), "2027-03-31", "p1")
    assert rec.created_at == room.now


def test_outcomes_are_closed_to_participants_outside_their_phase() -> None:
    """In the vote phase a participant's outcomes commands are phase_closed; staff's are not."""
    room, (a, _, _), _ = _voted_room()
    room.goto("vote")
    assert room.no(P1, "recommendation.create", title="X", ideas=[a]) is ErrorCode.PHASE_CLOSED
    assert room.no(P1, "action.add", title="X") is ErrorCode.PHASE_CLOSED
    room.ok(FAC, "recommendation.create", title="X", ideas=[a])
    room.ok(FAC, "action.add", title="Y")


def test_an_agenda_stored_before_outcomes_still_loads_and_gates() -> None:
    """A room whose refine phase predates `outcomes` replays; participants may not write them."""
    old = [{"id": "refine", "label": "Refine", "allows": ["ideas", "comments", "reactions"]}]
    room = Room(phases=old)
    assert replay(room.log) == room.state
    assert room.no(P1, "recommendation.create", title="X") is ErrorCode.PHASE_CLOSED
    room.ok(FAC, "recommendation.create", title="X")
    assert "outcomes" in CAPABILITIES


def test_sources_must_exist_and_be_visible() -> None:
    """Unknown ideas, hidden ideas (for others) and unknown clusters are not_found."""
    room, (a, b, _), _ = _voted_room()
    room.ok(FAC, "idea.hide", id=b, hidden=True)
    assert room.no(P1, "recommendation.create", title="X", ideas=["i0"]) is ErrorCode.NOT_FOUND
    assert room.no(P1, "recommendation.create", title="X", ideas=[b]) is ErrorCode.NOT_FOUND
    assert room.no(P1, "recommendation.create", title="X", clusters=["k0"]) \
        is ErrorCode.NOT_FOUND
    room.ok(P2, "recommendation.create", title="Own hidden idea", ideas=[b])  # its author
    assert room.no(P1, "recommendation.create", title="X", ideas=[a, a]) is ErrorCode.INVALID_ARGS


def test_an_edit_carries_only_the_changed_fields() -> None:
    """Two people editing two fields: each event names its field only; both edits stay."""
    room, (a, _, _), _ = _voted_room()
    rec = room.one(P1, "recommendation.create", title="Sirens", ideas=[a]).data["id"]
    first = room.one(P1, "recommendation.edit", id=rec, rationale="Heard by all",
                     title="Sirens")
    second = room.one(P2, "recommendation.edit", id=rec, owner="Rescue dept.")
    assert first.data == {"id": rec, "rationale": "Heard by all"}
    assert second.data == {"id": rec, "owner": "Rescue dept."}
    r = room.state.outcomes.recommendations[rec]
    assert (r.rationale, r.owner, r.edited_by) == ("Heard by all", "Rescue dept.", "p2")
    assert room.no(P2, "recommendation.edit", id=rec, owner="Rescue dept.") \
        is ErrorCode.INVALID_STATE


def test_bad_dates_and_statuses_are_invalid_args() -> None:
    """A due date must be YYYY-MM-DD or null; a status one of the four."""
    room = open_room()
    for due in ("2027-02-30", "31.03.2027", "2027-3-1", 20270301, "2027-03-31T00:00"):
        assert room.no(P1, "recommendation.create", title="X", due=due) is ErrorCode.INVALID_ARGS
    room.ok(P1, "recommendation.create", title="X", due=None)
    item = room.one(FAC, "action.add", title="Y").data["id"]
    assert room.no(FAC, "action.status", id=item, status="finished") is ErrorCode.INVALID_ARGS


def test_link_and_unlink_sources() -> None:
    """Linking adds only new sources, unlinking removes only linked ones."""
    room, (a, b, _), cluster = _voted_room()
    rec = room.one(P1, "recommendation.create", title="X", ideas=[a]).data["id"]
    assert room.one(P2, "recommendation.link", id=rec, ideas=[a, b],
                    clusters=[cluster]).data == {"id": rec, "ideas": [b], "clusters": [cluster]}
    assert room.no(P2, "recommendation.link", id=rec, ideas=[a]) is ErrorCode.INVALID_STATE
    room.ok(P2, "recommendation.unlink", id=rec, ideas=[a])
    r = room.state.outcomes.recommendations[rec]
    assert (r.ideas, r.clusters) == ((b,), (cluster,))
    assert room.no(P2, "recommendation.unlink", id=rec, ideas=[a]) is ErrorCode.INVALID_STATE


def test_only_the_maker_or_staff_delete_a_recommendation_and_its_items_stay() -> None:
    """Deleting a recommendation keeps its action items, under no recommendation."""
    room, (a, _, _), _ = _voted_room()
    rec = room.one(P1, "recommendation.create", title="X", ideas=[a]).data["id"]
    item = room.one(P2, "action.add", title="Do it", recommendation=rec).data["id"]
    assert room.no(P2, "recommendation.delete", id=rec) is ErrorCode.FORBIDDEN
    room.ok(P1, "recommendation.delete", id=rec)
    assert rec not in room.state.outcomes.recommendations
    assert room.state.outcomes.actions[item].recommendation is None


def test_action_items_need_real_recommendations_and_members() -> None:
    """An action item's recommendation and owner_member must exist in the room."""
    room = open_room()
    assert room.no(P1, "action.add", title="X", recommendation="r0") is ErrorCode.NOT_FOUND
    assert room.no(P1, "action.add", title="X", owner_member="nobody") is ErrorCode.NOT_FOUND
    item = room.one(P1, "action.add", title="X", owner_member="p2", owner="Bo, SMHI")
    assert room.state.outcomes.actions[item.data["id"]].owner_member == "p2"
    assert room.no(P1, "action.edit", id=item.data["id"], owner_member="nobody") \
        is ErrorCode.NOT_FOUND


def test_every_status_change_is_kept_with_time_actor_and_note() -> None:
    """History holds each change in order, with at, by, status and note."""
    room = open_room()
    item = room.one(FAC, "action.add", title="X", owner_member="p1").data["id"]
    room.ok(P1, "action.status", id=item, status="in_progress", note="Started")
    room.tick(5000)
    room.ok(P1, "action.status", id=item, status="in_progress", note="Half way")
    room.tick(5000)
    room.ok(Actor(FOLLOWUP_ACTOR, Role.SYSTEM), "action.status", id=item, status="done")
    history = room.state.outcomes.actions[item].history
    assert [(h.by, h.status, h.note) for h in history] == [
        ("p1", "in_progress", "Started"), ("p1", "in_progress", "Half way"),
        (FOLLOWUP_ACTOR, "done", "")]
    assert history[2].at - history[0].at == 10_000
    assert room.state.outcomes.actions[item].status == "done"
    assert room.no(P1, "action.status", id=item, status="done") is ErrorCode.INVALID_STATE


def test_the_owner_changes_status_in_any_phase_others_only_when_allowed() -> None:
    """After refine, the owner-participant may change status; another participant may not."""
    room, _, _ = _voted_room()
    item = room.one(P1, "action.add", title="X", owner_member="p2").data["id"]
    room.goto("results")
    assert room.no(P1, "action.status", id=item, status="done") is ErrorCode.PHASE_CLOSED
    room.ok(P2, "action.status", id=item, status="done", note="Delivered")
    assert room.no(OBS, "action.status", id=item, status="open") is ErrorCode.FORBIDDEN
    assert room.no(P1, "action.delete", id=item) is ErrorCode.FORBIDDEN
    room.ok(FAC, "action.delete", id=item)
    assert item not in room.state.outcomes.actions


def test_everyone_sees_outcomes_but_votes_only_once_revealed() -> None:
    """Participants see recommendations without vote totals until the reveal; staff always."""
    room, (a, _, _), cluster = _voted_room()
    room.ok(P1, "recommendation.create", title="X", ideas=[a], clusters=[cluster])
    room.ok(P1, "action.add", title="Do it")
    for audience, viewer in ((Audience.PARTICIPANT, "p2"), (Audience.OBSERVER, None)):
        view = snapshot(room.state, audience, viewer)["outcomes"]
        assert [r["title"] for r in view["recommendations"]] == ["X"]
        assert "votes" not in view["recommendations"][0]
        assert [i["title"] for i in view["actions"]] == ["Do it"]
    staff = snapshot(room.state, Audience.FACILITATOR, None)["outcomes"]
    assert staff["recommendations"][0]["votes"] == 3  # a twice, c (in the cluster) once
    room.ok(FAC, "voting.reveal")
    view = snapshot(room.state, Audience.PARTICIPANT, "p2")["outcomes"]
    assert view["recommendations"][0]["votes"] == 3
    assert "voters" not in view["recommendations"][0]


def test_hidden_source_ideas_stay_out_of_others_views() -> None:
    """An idea hidden after it was linked is left out of participants' recommendation views."""
    room, (a, b, _), _ = _voted_room()
    rec = room.one(P1, "recommendation.create", title="X", ideas=[a, b]).data["id"]
    room.ok(FAC, "idea.hide", id=b, hidden=True)
    assert snapshot(room.state, Audience.PARTICIPANT, "p1")["outcomes"]["recommendations"][0][
        "ideas"] == [a]
    assert snapshot(room.state, Audience.PARTICIPANT, "p2")["outcomes"]["recommendations"][0][
        "ideas"] == [a, b]  # its author still sees it
    assert support(room.state, room.state.outcomes.recommendations[rec])["ideas"] == [
        {"id": a, "text": "Sirens", "votes": 2}]


def test_support_gives_ideas_clusters_votes_and_voters() -> None:
    """support(): direct ideas with votes, clusters with their ideas, each idea counted once."""
    room, (a, b, c), cluster = _voted_room()
    rec_id = room.one(P1, "recommendation.create", title="X", ideas=[a, b],
                      clusters=[cluster]).data["id"]
    got = support(room.state, room.state.outcomes.recommendations[rec_id])
    assert got["ideas"] == [{"id": a, "text": "Sirens", "votes": 2},
                            {"id": b, "text": "Sand bags", "votes": 1}]
    assert got["clusters"] == [{"id": cluster, "title": "Warning", "ideas": [
        {"id": a, "text": "Sirens", "votes": 2}, {"id": c, "text": "Radio", "votes": 1}]}]
    assert got["votes"] == 4  # a (2) + b (1) + c (1): a is linked twice, counted once
    assert got["voters"] == ["p1", "p2", "p3"]


def test_support_leaves_out_deleted_sources() -> None:
    """A deleted idea and a deleted cluster no longer count."""
    room, (a, b, _), cluster = _voted_room()
    rec_id = room.one(P1, "recommendation.create", title="X", ideas=[b],
                      clusters=[cluster]).data["id"]
    room.ok(FAC, "cluster.delete", id=cluster)
    room.ok(P2, "idea.delete", id=b)
    got = support(room.state, room.state.outcomes.recommendations[rec_id])
    assert got == {"ideas": [], "clusters": [], "votes": 0, "voters": []}
    assert a in room.state.board.ideas


_FIELDS = st.sampled_from(["title", "rationale", "action", "owner"])
_EDITS = st.lists(st.tuples(st.sampled_from([P1, P2, P3, FAC]), _FIELDS,
                            st.text("abc ", min_size=1, max_size=5)), max_size=30)


@settings(max_examples=100, deadline=None, database=None)
@given(_EDITS)
def test_each_field_holds_its_last_accepted_edit(edits: list[tuple[Actor, str, str]]) -> None:
    """Per-field last-writer-wins: after any edits each field holds the last value sent to it."""
    room = open_room()
    rec = room.one(P1, "recommendation.create", title="Start").data["id"]
    expected = {"title": "Start", "rationale": "", "action": "", "owner": ""}
    for actor, name, text in edits:
        result = room.send(actor, "recommendation.edit", id=rec, **{name: text})
        clean = text.strip()
        if clean != expected[name] and (clean or name != "title"):
            assert isinstance(result, list)
            assert set(result[0].data) == {"id", name}
            expected[name] = clean
        else:
            assert isinstance(result, Rejection)
    r = room.state.outcomes.recommendations[rec]
    assert {k: getattr(r, k) for k in expected} == expected
    assert replay(room.log) == room.state
