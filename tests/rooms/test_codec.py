"""Snapshot encoding: the whole state to JSON and back without loss."""

from __future__ import annotations

import json

from rooms import codec
from rooms.actors import SYSTEM
from rooms.room import replay
from rooms.state import RoomState
from tests.rooms.helpers import FAC, P1, P2, P3, Room, open_room, profile


def _busy_room() -> Room:
    """A room that has used every part of the state."""
    room = open_room(challenge="Storm\nsurge", budget=6, cap=2, anonymous=False)
    a, b, c = room.idea(P1, "Sirens"), room.idea(P2, "Sand bags"), room.idea(P3, "Radio")
    cluster = room.one(FAC, "cluster.create", title="Warning").data["id"]
    room.ok(FAC, "cluster.create", title="Empty")
    room.ok(FAC, "idea.move", id=a, cluster=cluster)
    room.ok(P2, "comment.add", idea=a, text="Yes, café sirens")
    room.ok(P3, "reaction.toggle", idea=a, reaction="heart")
    room.ok(P1, "reaction.toggle", idea=a, reaction="+1")
    room.tick(1000)
    room.ok(P1, "idea.edit", id=a, text="Sirens everywhere")
    room.ok(FAC, "idea.hide", id=c, hidden=True)
    room.ok(P2, "vote.cast", idea=a)
    room.ok(P2, "vote.cast", idea=b)
    room.ok(P3, "vote.cast", idea=a)
    room.ok(FAC, "voting.close")
    room.ok(FAC, "voting.reveal")
    room.ok(FAC, "timer.start", seconds=300)
    room.tick(1000)
    room.ok(FAC, "timer.pause")
    room.ok(SYSTEM, "member.join", **profile("p1", attendance="remote"))
    room.ok(SYSTEM, "member.join", **profile("p2", about="Early warning by SMS"))
    rec = room.one(P1, "recommendation.create", title="Sirens", ideas=[a], clusters=[cluster],
                   due="2027-03-31").data["id"]
    room.ok(P2, "recommendation.edit", id=rec, rationale="Heard by all", owner="Rescue dept.")
    room.ok(FAC, "recommendation.create", title="Unsourced")
    item = room.one(FAC, "action.add", title="Buy sirens", recommendation=rec,
                    owner_member="p1", due="2027-01-15").data["id"]
    room.ok(FAC, "action.add", title="Loose end")
    room.ok(P1, "action.status", id=item, status="in_progress", note="Ordered")
    room.ok(SYSTEM, "action.status", id=item, status="done")
    return room


def test_a_busy_state_round_trips() -> None:
    """decode(encode(state)) equals the state, for a room using every feature."""
    state = _busy_room().state
    assert codec.decode(codec.encode(state)) == state


def test_the_encoding_is_plain_json() -> None:
    """The encoded state survives a trip through JSON text unchanged."""
    state = _busy_room().state
    assert codec.decode(json.loads(json.dumps(codec.encode(state)))) == state


def test_an_empty_state_round_trips() -> None:
    """A room that was never created round-trips too."""
    assert codec.decode(codec.encode(RoomState())) == RoomState()


def test_a_running_timer_and_a_later_phase_round_trip() -> None:
    """Timer times and the current phase index are kept."""
    room = Room()
    room.goto("vote")
    room.ok(FAC, "timer.start", seconds=60)
    decoded = codec.decode(codec.encode(room.state))
    assert decoded == room.state
    assert decoded is not None
    assert decoded.phases.current == 3


def test_a_decoded_snapshot_continues_the_log() -> None:
    """Replaying the rest of the log onto a decoded snapshot gives the live state."""
    room = _busy_room()
    cut = len(room.log) // 2
    snapshot = codec.decode(codec.encode(replay(room.log[:cut])))
    assert snapshot is not None
    assert replay(room.log[cut:], snapshot) == room.state


def test_another_version_is_ignored() -> None:
    """A snapshot written by another version decodes to None, so the log is replayed."""
    raw = codec.encode(RoomState())
    assert codec.decode({**raw, "v": codec.VERSION + 1}) is None
    assert codec.decode({k: v for k, v in raw.items() if k != "v"}) is None


def test_a_version_1_snapshot_still_decodes_its_members() -> None:
    """A snapshot written before `about` existed decodes, its members with about ""."""
    state = _busy_room().state
    raw = codec.encode(state)
    old = {**raw, "v": 1, "members": [m[:7] for m in raw["members"]]}
    decoded = codec.decode(old)
    assert decoded is not None
    assert [m.about for m in decoded.members.values()] == ["" for _ in state.members]
    assert decoded.members["p1"] == state.members["p1"]


def test_a_version_2_snapshot_decodes_with_no_outcomes() -> None:
    """A snapshot written before outcomes existed decodes, with none."""
    raw = codec.encode(_busy_room().state)
    old = {k: v for k, v in raw.items() if k != "outcomes"} | {"v": 2}
    decoded = codec.decode(old)
    assert decoded is not None
    assert not decoded.outcomes.recommendations
    assert not decoded.outcomes.actions
    assert decoded.board == _busy_room().state.board
