"""A whole forum under test, driven through the real rules: hall, two rooms, people, votes.

Names carry the region's letters, and some texts start like spreadsheet formulas, so every
format shows whether it keeps the one and defuses the other.
"""

from __future__ import annotations

from dataclasses import dataclass

from rooms.actors import SYSTEM, Actor, Role
from rooms.outcomes import FOLLOWUP_ACTOR
from rooms.profiles import Vocabulary
from server.exports.sources import Sources
from server.store.base import ForumRecord, RoomRecord
from tests.rooms.hall.helpers import ORG, Hall
from tests.rooms.helpers import FAC, OPEN, START, Room, profile

NAMES = {
    "p1": "Ąžuolas Łukasz",
    "p2": "Žemaitė Ņina",
    "p3": "Ėglė Õie",
    "p4": "Åse Øystein",
    "p5": "Quiet Person",
}
PROFILES = {
    "p1": {"sector": "municipality", "country": "LT", "attendance": "onsite",
           "organization": "Vilniaus miesto savivaldybė"},
    "p2": {"sector": "business", "country": "LV", "attendance": "remote",
           "organization": "Rīgas Ūdens"},
    "p3": {"sector": "research_academia", "country": "EE", "attendance": "onsite",
           "organization": "Tartu Ülikool"},
    "p4": {"sector": "rescue_emergency", "country": "NO", "attendance": "remote",
           "organization": "Brann og redning"},
    "p5": {"sector": "municipality", "country": "SE", "attendance": "onsite",
           "organization": "Kommun"},
}
FORMULAS = ("=1+1", "+x", "-x", "@x")
SECRET = "Who decided to close the shelter?"  # asked anonymously by p5
TEMPLATE = "https://meet.example.org/{forum}-{round}-{table}"


def who(member_id: str) -> Actor:
    return Actor(member_id, Role.PARTICIPANT)


@dataclass
class ForumUnderTest:
    """The hall and rooms of a forum, and the export sources they make."""

    hall: Hall
    rooms: dict[str, Room]  # room id (as the hall declared it) -> its log
    titles: dict[str, str]

    def sources(self) -> Sources:
        records = tuple((RoomRecord(rid, "f1", "e1", self.titles[rid], i), room.state)
                        for i, (rid, room) in enumerate(self.rooms.items()))
        return Sources(ForumRecord("f1", "Forum", "Resilience", "ABCD", START), self.hall.state,
                       records, Vocabulary(), START + 3_600_000)


def _person(member_id: str) -> dict[str, str]:
    return profile(member_id, name=NAMES[member_id], **PROFILES[member_id])


def forum(label: str = "tlp-amber") -> ForumUnderTest:
    """A forum after its event: plenary questions, networking, two voted rooms."""
    hall = Hall(members=(), label=label)
    for member_id in NAMES:
        hall.ok(SYSTEM, "member.join", **_person(member_id))
    hall.move_to("plenary")
    hall.ok(who("p5"), "question.ask", text=SECRET, anonymous=True)
    hall.ok(who("p2"), "question.ask", text="How do we warn tourists?")
    _network(hall)
    _evaluate(hall)
    hackathon = next(s for s in hall.state.agenda.sessions if s.kind == "hackathon")
    hall.ok(ORG, "agenda.now", session=hackathon.id)
    first, second = hackathon.rooms
    rooms = {first.id: _named_room(first.title), second.id: _anonymous_room(second.title)}
    return ForumUnderTest(hall, rooms, {first.id: first.title, second.id: second.title})


def _network(hall: Hall) -> None:
    """p1 and p2 meet and both ask to stay in touch; p3 asks p4, who does not answer."""
    hall.ok(ORG, "networking.configure", template=TEMPLATE)
    hall.move_to("networking")
    hall.ok(ORG, "round.start", present=["p1", "p2"])
    hall.ok(ORG, "round.end")
    hall.ok(ORG, "round.start", present=["p3", "p4"])
    hall.ok(ORG, "round.end")
    hall.ok(who("p1"), "contact.request", member="p2")
    hall.ok(who("p2"), "contact.request", member="p1")
    hall.ok(who("p3"), "contact.request", member="p4")


KNOWLEDGE = {"p1": 4, "p2": 5, "p3": 3, "p4": 4, "p5": 2}
IMPROVE = {"p1": "-more coffee", "p2": "+better wifi", "p5": "@all: more time"}
RECOMMEND = {"p1": 9, "p2": 10, "p3": 6, "p4": 8, "p5": 9}  # NPS: 3 promoters, 1 detractor


def _evaluate(hall: Hall) -> None:
    """Everyone answers two questions; three write free texts that start like formulas."""
    hall.ok(ORG, "evaluation.open")
    for member_id in NAMES:
        hall.ok(who(member_id), "evaluation.answer", question="knowledge",
                answer=KNOWLEDGE[member_id])
        hall.ok(who(member_id), "evaluation.answer", question="recommend",
                answer=RECOMMEND[member_id])
    for member_id, text in IMPROVE.items():
        hall.ok(who(member_id), "evaluation.answer", question="improve", answer=text)
    hall.ok(ORG, "evaluation.close")


def _room(title: str, anonymous: bool, members: tuple[str, ...]) -> Room:
    room = Room(members=(), phases=OPEN, title=title, anonymous=anonymous)
    for member_id in members:
        room.ok(SYSTEM, "member.join", **_person(member_id))
    return room


def _named_room(title: str) -> Room:
    """Named voting: sirens get 3 votes (p1 twice, p2), cell broadcast 1 (p3), formulas 0.

    Two recommendations (sirens: 3 votes from p1 and p2; cell broadcast: 1 from p3) and an
    action item owned by p1, moved to in progress by a facilitator, done by its follow-up link.
    """
    room = _room(title, False, ("p1", "p2", "p3"))
    sirens = room.idea(who("p1"), "Sirens in every village")
    broadcast = room.idea(who("p2"), "Cell broadcast in five languages")
    for text in FORMULAS:
        room.idea(who("p3"), text)
    room.ok(who("p3"), "comment.add", idea=sirens, text="-and test them monthly")
    room.ok(who("p1"), "vote.cast", idea=sirens)
    room.ok(who("p1"), "vote.cast", idea=sirens)
    room.ok(who("p2"), "vote.cast", idea=sirens)
    room.ok(who("p3"), "vote.cast", idea=broadcast)
    hidden = room.idea(who("p2"), "Off-topic rant")
    room.ok(FAC, "idea.hide", id=hidden, hidden=True)
    room.ok(FAC, "voting.reveal")
    (made,) = room.ok(who("p1"), "recommendation.create", title="Sirens for every village",
                      action="Fund sirens", owner="Ministry of the Interior", ideas=[sirens])
    room.ok(who("p2"), "recommendation.create", title="Cell broadcast", ideas=[broadcast])
    (item,) = room.ok(FAC, "action.add", title="Map the villages without sirens",
                      owner=NAMES["p1"], owner_member="p1",
                      recommendation=made.data["id"], due="2027-03-01")
    room.ok(FAC, "action.status", id=item.data["id"], status="in_progress", note="=started")
    room.ok(Actor(FOLLOWUP_ACTOR, Role.SYSTEM), "action.status", id=item.data["id"],
            status="done", note="All mapped")
    return room


def _anonymous_room(title: str) -> Room:
    """Anonymous voting, not revealed: maps get 2 votes (p4, p5), and a recommendation."""
    room = _room(title, True, ("p4", "p5"))
    maps = room.idea(who("p4"), "Shared flood maps")
    room.ok(who("p4"), "vote.cast", idea=maps)
    room.ok(who("p5"), "vote.cast", idea=maps)
    room.ok(FAC, "recommendation.create", title="Shared maps for the region", ideas=[maps])
    return room
