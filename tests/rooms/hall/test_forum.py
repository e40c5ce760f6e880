"""The forum's settings in its hall: title, topic, and the confidentiality label."""

from __future__ import annotations

from rooms.actors import SYSTEM
from rooms.audience import Audience
from rooms.errors import ErrorCode, Rejection
from rooms.gate import Command
from rooms.hall.hall import HALL
from rooms.hall.labels import LABELS

from .helpers import FAC, ORG, P1, Hall


def test_every_view_carries_the_topic_and_the_label_with_its_meaning() -> None:
    """Participant, staff and projector views all show title, topic and label."""
    hall = Hall(label="tlp-amber")
    for audience in Audience:
        forum = hall.view(audience)["hall"]
        assert forum["title"] == "Forum"
        assert forum["topic"] == "Resilience"
        assert forum["label"] == {"id": "tlp-amber", "meaning": LABELS["tlp-amber"]}


def test_a_forum_without_a_chosen_label_runs_under_chatham_house() -> None:
    """The default label is the Chatham House Rule."""
    assert Hall().state.forum.label == "chatham-house"


def test_only_the_organizer_changes_the_label_and_the_change_is_an_event() -> None:
    """label.set is the organizer's; it records the label before."""
    hall = Hall()
    hall.refused(FAC, "label.set", ErrorCode.FORBIDDEN, label="tlp-red")
    hall.refused(P1, "label.set", ErrorCode.FORBIDDEN, label="tlp-red")
    hall.refused(ORG, "label.set", ErrorCode.INVALID_ARGS, label="secret")
    (event,) = hall.ok(ORG, "label.set", label="tlp-red")
    assert event.name == "label.changed"
    assert event.data == {"label": "tlp-red",
                                                            "was": "chatham-house"}
    hall.refused(ORG, "label.set", ErrorCode.INVALID_STATE, label="tlp-red")


def test_the_hall_is_created_once() -> None:
    """A second hall.create is refused, and nothing but hall.create is accepted before it."""
    hall = Hall()
    hall.refused(SYSTEM, "hall.create", ErrorCode.INVALID_STATE, title="Again")
    before = HALL.decide(HALL.initial("h2"), Command("forum.update", {"title": "x"}), ORG, 0)
    assert isinstance(before, Rejection)
    assert before.code is ErrorCode.INVALID_STATE
    assert before.message == "the hall has not been created"
