"""Speed networking rounds: settings, the round and its timer, no-shows, contacts, and views."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from rooms.actors import SYSTEM, Actor, Role
from rooms.audience import Audience
from rooms.errors import ErrorCode
from rooms.events import Event
from rooms.gate import Command
from rooms.hall.hall import HALL
from rooms.hall.networking import call_link, connections_of, due
from rooms.projection import REDACTED
from rooms.state import Member
from tests.rooms.helpers import profile

from .helpers import FAC, OBS, ORG, Hall

TEMPLATE = "https://meet.example.org/{forum}-{round}-{table}"

# Four on site of four sectors, two remote: every pair is cross-sector but p1-p4 (one country).
PEOPLE: dict[str, dict[str, str]] = {
    "p1": {"sector": "municipality", "country": "SE", "organization": "City",
           "attendance": "onsite"},
    "p2": {"sector": "business", "country": "FI", "organization": "Shop",
           "attendance": "onsite"},
    "p3": {"sector": "research_academia", "country": "EE", "organization": "Uni",
           "attendance": "onsite"},
    "p4": {"sector": "ngo_civil_society", "country": "SE", "organization": "Aid",
           "attendance": "onsite"},
    "r1": {"sector": "public_authority", "country": "LV", "organization": "Agency",
           "attendance": "remote"},
    "r2": {"sector": "business", "country": "SE", "organization": "Firm",
           "attendance": "remote"},
}


def who(member_id: str) -> Actor:
    return Actor(member_id, Role.PARTICIPANT)


def join(hall: Hall, member_id: str, **changes: str) -> None:
    fields = {**PEOPLE.get(member_id, {}), **changes}
    hall.ok(SYSTEM, "member.join", **profile(member_id, name=f"Name {member_id}", **fields))


def networking_hall(people: tuple[str, ...] = tuple(PEOPLE), **config: Any) -> Hall:
    """A hall in its networking session with ``people`` in it and a call-link template."""
    hall = Hall(members=())
    for member_id in people:
        join(hall, member_id)
    hall.ok(ORG, "networking.configure", **{"template": TEMPLATE, **config})
    hall.move_to("networking")
    hall.now += 1_000
    return hall


def start(hall: Hall, **args: Any) -> Event:
    (started,) = hall.ok(ORG, "round.start", **args)
    assert started.name == "round.started"
    return started


def group_of(event: Event, member_id: str) -> dict[str, Any]:
    return next(g for g in event.data["groups"] if member_id in g["members"])


def meet(hall: Hall, a: str, b: str) -> None:
    """Run a round in which ``a`` and ``b`` are present alone, so they meet."""
    start(hall, present=[a, b])
    hall.ok(ORG, "round.end")


# Settings ------------------------------------------------------------------------------------


def test_the_defaults_are_three_rounds_of_five_minutes_without_mixing() -> None:
    """Before any configure: 3 rounds, 300 s, no template, not mixed, 60 s grace, weights 3/2."""
    hall = Hall()
    assert hall.view(Audience.FACILITATOR)["networking"]["config"] == {
        "rounds": 3, "seconds": 300, "template": "", "mixed": False, "grace_seconds": 60,
        "weights": {"sector": 3, "country": 2}}


def test_configure_records_the_whole_settings_and_keeps_what_it_does_not_name() -> None:
    """Minutes and seconds add up; the event carries every setting after the change."""
    hall = Hall()
    (configured,) = hall.ok(ORG, "networking.configure", rounds=4, minutes=6, seconds=30,
                            template=TEMPLATE, weights={"country": 5})
    assert configured.data == {"rounds": 4, "seconds": 390, "template": TEMPLATE,
                               "mixed": False, "grace_seconds": 60,
                               "weights": {"sector": 3, "country": 5}}
    (again,) = hall.ok(ORG, "networking.configure", mixed=True, grace_seconds=0)
    assert again.data["seconds"] == 390
    assert again.data["mixed"]
    assert again.data["rounds"] == 4
    assert hall.replayed() == hall.state


def test_configure_refuses_bad_templates_and_lengths() -> None:
    """Unknown placeholders, no {table}, no http(s), broken braces, too short: invalid_args."""
    hall = Hall()
    for template in ("https://x.org/{forum}-{who}-{table}", "https://x.org/{round}",
                     "ftp://x.org/{table}", "https://x.org/{table", "https://x.org/{table!r}",
                     "https://x.org/a b/{table}", "https://x.org/{table:>4}"):
        hall.refused(ORG, "networking.configure", ErrorCode.INVALID_ARGS, template=template)
    hall.refused(ORG, "networking.configure", ErrorCode.INVALID_ARGS, seconds=5)
    hall.refused(ORG, "networking.configure", ErrorCode.INVALID_ARGS, minutes=0, seconds=0)
    hall.refused(ORG, "networking.configure", ErrorCode.INVALID_ARGS)
    hall.refused(ORG, "networking.configure", ErrorCode.INVALID_ARGS, weights={"age": 1})
    hall.refused(ORG, "networking.configure", ErrorCode.INVALID_STATE, rounds=3)
    hall.refused(FAC, "networking.configure", ErrorCode.FORBIDDEN, rounds=2)
    hall.refused(who("p1"), "networking.configure", ErrorCode.FORBIDDEN, rounds=2)


def test_the_template_is_for_the_staff_only() -> None:
    """Participants and the projector see the number and length of rounds, not the link."""
    hall = networking_hall()
    (event,) = hall.ok(ORG, "networking.configure", rounds=5)
    for audience in (Audience.PARTICIPANT, Audience.OBSERVER):
        assert HALL.event_view(hall.state, event, audience, None) == {"rounds": 5,
                                                                       "seconds": 300}
        assert hall.view(audience)["networking"]["config"] == {"rounds": 5, "seconds": 300}


def test_a_call_link_names_the_forum_the_round_and_the_table() -> None:
    """The hall's id is escaped for a URL; round and table are numbers."""
    assert call_link(TEMPLATE, "h 1/x", 2, 7) == "https://meet.example.org/h%201%2Fx-2-7"


# Rounds --------------------------------------------------------------------------------------


def test_a_round_runs_only_in_a_networking_session() -> None:
    """In the plenary, or before the forum starts, round.start is refused with invalid_state."""
    hall = Hall()
    refusal = hall.refused(ORG, "round.start", ErrorCode.INVALID_STATE)
    assert "networking session" in refusal.message
    hall.move_to("plenary")
    hall.refused(ORG, "round.start", ErrorCode.INVALID_STATE)
    hall.refused(FAC, "round.start", ErrorCode.FORBIDDEN)


def test_a_round_numbers_tables_and_builds_call_links() -> None:
    """On-site groups get tables 1..k; remote groups a call link from the template after them."""
    hall = networking_hall()
    started = start(hall, seed=7)
    d = started.data
    assert d["round"] == 1
    assert d["session"] == hall.session("networking")
    assert d["seed"] == 7
    assert (d["duration_ms"], d["ends_at"]) == (300_000, hall.now + 300_000)
    onsite = [g for g in d["groups"] if g["mode"] == "onsite"]
    remote = [g for g in d["groups"] if g["mode"] == "remote"]
    assert sorted(g["table"] for g in onsite) == [1, 2]
    assert all(g["call"] is None for g in onsite)
    assert [sorted(g["members"]) for g in remote] == [["r1", "r2"]]
    assert remote[0]["table"] is None
    assert remote[0]["call"] == f"https://meet.example.org/h1-1-{remote[0]['number']}"
    assert len({g["number"] for g in d["groups"]}) == 3
    assert d["unpaired"] == []
    assert set(d["quality"]) == {
        "groups", "cross_sector", "cross_country", "repeats", "same_organization",
        "sector_bound", "bound_share"}
    assert hall.replayed() == hall.state


def test_the_same_state_and_seed_give_the_same_round() -> None:
    """The seed defaults to the seq: deciding the same command twice gives the same event."""
    hall = networking_hall()
    first = HALL.decide(hall.state, Command("round.start", {}), ORG, hall.now)
    second = HALL.decide(hall.state, Command("round.start", {}), ORG, hall.now)
    assert first == second
    assert isinstance(first, list)
    assert first[0].data["seed"] == hall.state.seq + 1


def test_remote_people_need_a_template() -> None:
    """Without a call-link template a round with remote groups is refused; on site only is fine."""
    hall = networking_hall()
    hall.ok(ORG, "networking.configure", template="")
    refusal = hall.refused(ORG, "round.start", ErrorCode.INVALID_STATE)
    assert "call-link template" in refusal.message
    start(hall, present=["p1", "p2", "p3", "p4"])


def test_present_limits_who_is_paired_and_strangers_are_not_found() -> None:
    """Only the people present are grouped; an unknown id is not_found; one person is too few."""
    hall = networking_hall()
    hall.refused(ORG, "round.start", ErrorCode.NOT_FOUND, present=["p1", "nobody"])
    hall.refused(ORG, "round.start", ErrorCode.INVALID_STATE, present=["p1"])
    hall.refused(ORG, "round.start", ErrorCode.INVALID_ARGS, present=["p1", "p1"])
    started = start(hall, present=["p1", "p2", "p3"])
    assert sorted(m for g in started.data["groups"] for m in g["members"]) == ["p1", "p2", "p3"]
    assert [len(g["members"]) for g in started.data["groups"]] == [3]


def test_one_round_at_a_time_and_no_more_than_configured() -> None:
    """A second start while one runs is refused; after the last configured round too."""
    hall = networking_hall(rounds=2)
    start(hall)
    hall.refused(ORG, "round.start", ErrorCode.INVALID_STATE)
    hall.ok(ORG, "round.end")
    start(hall)
    hall.ok(ORG, "round.end")
    refusal = hall.refused(ORG, "round.start", ErrorCode.INVALID_STATE)
    assert "all 2 rounds" in refusal.message
    hall.refused(ORG, "networking.configure", ErrorCode.INVALID_STATE, rounds=1)
    hall.ok(ORG, "networking.configure", rounds=3)
    start(hall)


def test_the_round_timer_is_due_and_expires_through_the_system() -> None:
    """due gives (ends_at, round.expire); expire is refused early and ends the round on time."""
    hall = networking_hall()
    assert due(hall.state) is None
    started = start(hall)
    assert due(hall.state) == (started.data["ends_at"], "round.expire")
    assert HALL.due(hall.state) == due(hall.state)
    hall.refused(ORG, "round.expire", ErrorCode.FORBIDDEN)
    hall.now = started.data["ends_at"] - 1
    hall.refused(SYSTEM, "round.expire", ErrorCode.INVALID_STATE)
    hall.now += 1
    (ended,) = hall.ok(SYSTEM, "round.expire")
    assert (ended.name, ended.data) == ("round.ended", {"round": 1, "by": "timer"})
    assert due(hall.state) is None
    hall.refused(SYSTEM, "round.expire", ErrorCode.INVALID_STATE)
    assert hall.state.networking.rounds[0].ended_at == hall.now
    assert hall.replayed() == hall.state


def test_extend_moves_the_end_and_end_stops_the_round_early() -> None:
    """round.extend adds seconds to the timer (from now once it ran out); round.end ends it."""
    hall = networking_hall()
    hall.refused(ORG, "round.extend", ErrorCode.INVALID_STATE, seconds=60)
    hall.refused(ORG, "round.end", ErrorCode.INVALID_STATE)
    started = start(hall)
    (extended,) = hall.ok(ORG, "round.extend", seconds=60)
    assert extended.data == {"round": 1, "seconds": 60, "ends_at": started.data["ends_at"]
                             + 60_000, "duration_ms": 360_000}
    assert due(hall.state) == (extended.data["ends_at"], "round.expire")
    hall.now = extended.data["ends_at"] + 5_000  # ran out, the expiry not sent yet
    (late,) = hall.ok(ORG, "round.extend", seconds=30)
    assert late.data["ends_at"] == hall.now + 30_000
    hall.refused(ORG, "round.extend", ErrorCode.INVALID_ARGS, seconds=0)
    (ended,) = hall.ok(ORG, "round.end")
    assert ended.data == {"round": 1, "by": "organizer"}
    assert hall.state.networking.current is None
    assert hall.replayed() == hall.state


def test_no_pair_meets_twice_in_three_rounds_of_four() -> None:
    """Four people, three rounds: all six pairs, each once (the history reaches the matcher)."""
    hall = networking_hall(people=("p1", "p2", "p3", "p4"))
    pairs = []
    for _ in range(3):
        started = start(hall)
        pairs += [frozenset(g["members"]) for g in started.data["groups"]]
        assert "repeat" not in started.data["relaxed"]
        assert started.data["quality"]["repeats"] == 0
        hall.ok(ORG, "round.end")
    assert len(set(pairs)) == 6


def test_nobody_is_in_a_triad_twice_while_others_have_not_been() -> None:
    """Three rounds of five on site: the triad has new people each time while there are any."""
    hall = networking_hall(people=("p1", "p2", "p3", "p4", "p5"), rounds=2)
    first = start(hall)
    hall.ok(ORG, "round.end")
    second = start(hall)
    triads = [next(set(g["members"]) for g in e.data["groups"] if len(g["members"]) == 3)
              for e in (first, second)]
    # Five people, triads of three: two rounds cannot avoid one overlap; the second triad
    # holds at most one person of the first (two fresh ones are left).
    assert len(triads[0] & triads[1]) <= 1 or "triad" in second.data["relaxed"]


def test_opted_out_people_are_never_paired() -> None:
    """A participant who opts out is left out of rounds until they opt back in."""
    hall = networking_hall()
    (out,) = hall.ok(who("p2"), "networking.opt_out", out=True)
    assert out.data == {"out": True}
    hall.refused(who("p2"), "networking.opt_out", ErrorCode.INVALID_STATE, out=True)
    hall.refused(who("zz"), "networking.opt_out", ErrorCode.INVALID_STATE, out=True)
    started = start(hall)
    assert all("p2" not in g["members"] for g in started.data["groups"])
    assert "p2" not in started.data["unpaired"]
    hall.ok(ORG, "round.end")
    hall.ok(who("p2"), "networking.opt_out", out=False)
    assert any("p2" in g["members"] for g in start(hall).data["groups"])
    assert hall.replayed() == hall.state


def test_a_late_arrival_waits_and_joins_the_next_round() -> None:
    """Someone who enters after a round started is waiting (late) and is paired next round."""
    hall = networking_hall(people=("p1", "p2", "p3", "p4"))
    start(hall)
    hall.now += 1_000
    join(hall, "p5", sector="health", country="NO", organization="Clinic",
         attendance="onsite")
    assert {"id": "p5", "why": "late"} in hall.view(Audience.FACILITATOR)["networking"][
        "waiting"]
    hall.ok(ORG, "round.end")
    assert hall.view(Audience.FACILITATOR)["networking"]["waiting"] == []
    assert any("p5" in g["members"] for g in start(hall).data["groups"])


def test_staff_see_who_is_waiting_and_why() -> None:
    """Not present at the start: not_present; present but in no group: unpaired."""
    hall = networking_hall(people=("p1", "p2", "p3", "r1"))
    started = start(hall, present=["p1", "p2", "r1"])
    grouped = {m for g in started.data["groups"] for m in g["members"]}
    unpaired = started.data["unpaired"]
    assert grouped | set(unpaired) == {"p1", "p2", "r1"}
    assert not grouped & set(unpaired)
    waiting = hall.view(Audience.FACILITATOR)["networking"]["waiting"]
    assert waiting == [{"id": "p3", "why": "not_present"},
                       *({"id": m, "why": "unpaired"} for m in unpaired)]


# No-shows ------------------------------------------------------------------------------------


def test_repair_pairs_people_whose_partner_did_not_show_with_anyone_waiting() -> None:
    """After the grace time, the partner of a no-show meets a late arrival, at the freed table."""
    hall = networking_hall(people=("p1", "p2", "p3", "p4"), grace_seconds=30)
    started = start(hall, seed=1)
    absent = started.data["groups"][0]["members"][0]
    stranded = next(m for m in started.data["groups"][0]["members"] if m != absent)
    table = started.data["groups"][0]["table"]
    join(hall, "p5", sector="health", country="NO", organization="Clinic",
         attendance="onsite")
    here = [m for m in ("p1", "p2", "p3", "p4", "p5") if m != absent]
    hall.now += 29_000
    refusal = hall.refused(ORG, "round.repair", ErrorCode.INVALID_STATE, present=here)
    assert "grace" in refusal.message
    hall.now += 1_000
    (repaired,) = hall.ok(ORG, "round.repair", present=here)
    d = repaired.data
    assert d["absent"] == [absent]
    assert d["dissolved"] == [started.data["groups"][0]["number"]]
    new = next(g for g in d["groups"] if stranded in g["members"])
    assert sorted(new["members"]) == sorted([stranded, "p5"])
    assert new["table"] == table
    assert d["changed"] == [new["number"]]
    assert d["unpaired"] == []
    assert hall.state.networking.current is not None
    assert hall.state.networking.current.absent == (absent,)
    assert hall.replayed() == hall.state


def test_repair_by_absent_ids_and_a_triad_that_loses_one() -> None:
    """Named no-shows: a pair's other person joins a pair (a triad) when nobody else waits."""
    hall = networking_hall(people=("p1", "p2", "p3", "p4", "p5"), grace_seconds=0)
    started = start(hall, seed=3)
    triad = next(g for g in started.data["groups"] if len(g["members"]) == 3)
    pair = next(g for g in started.data["groups"] if len(g["members"]) == 2)
    (repaired,) = hall.ok(ORG, "round.repair", absent=[triad["members"][0]])
    after = {g["number"]: g for g in repaired.data["groups"]}
    assert after[triad["number"]]["members"] == triad["members"][1:]
    assert after[pair["number"]] == pair
    assert repaired.data["changed"] == [triad["number"]]
    (again,) = hall.ok(ORG, "round.repair", absent=[pair["members"][0]])
    sizes = sorted(len(g["members"]) for g in again.data["groups"])
    assert sizes == [3]  # the one left alone joined the pair that was the triad
    assert again.data["unpaired"] == []
    assert hall.replayed() == hall.state


def test_repair_refusals() -> None:
    """No round, nobody named, a stranger or someone not in a group, nobody missing: refused."""
    hall = networking_hall(grace_seconds=0)
    hall.refused(ORG, "round.repair", ErrorCode.INVALID_STATE, absent=["p1"])
    start(hall, present=["p1", "p2", "p3", "p4"])
    hall.refused(ORG, "round.repair", ErrorCode.INVALID_ARGS)
    hall.refused(ORG, "round.repair", ErrorCode.NOT_FOUND, absent=["r1"])
    hall.refused(ORG, "round.repair", ErrorCode.NOT_FOUND, present=["p1", "ghost"])
    hall.refused(ORG, "round.repair", ErrorCode.INVALID_STATE,
                 present=["p1", "p2", "p3", "p4"])
    hall.refused(FAC, "round.repair", ErrorCode.FORBIDDEN, absent=["p1"])


# Views ---------------------------------------------------------------------------------------


def test_each_participant_sees_whom_they_meet_and_where() -> None:
    """Own frame: partners' profiles and the table or call; others: the timer, group null."""
    hall = networking_hall()
    started = start(hall)
    assert HALL.subjects(hall.state, started) == set(PEOPLE)
    g = group_of(started, "r1")
    seen = HALL.event_view(hall.state, started, Audience.PARTICIPANT, "r1")
    assert seen == {"round": 1, "session": started.data["session"],
                    "ends_at": started.data["ends_at"], "duration_ms": 300_000,
                    "group": {"number": g["number"], "mode": "remote", "table": None,
                              "call": g["call"], "partners": [{
                                  "id": "r2", "name": "Name r2", "organization": "Firm",
                                  "sector": "business", "country": "SE", "about": ""}]}}
    mine = hall.view(Audience.PARTICIPANT, "p1")["networking"]
    assert mine["rounds"][0]["group"]["table"] == group_of(started, "p1")["table"]
    shared = HALL.event_view(hall.state, started, Audience.PARTICIPANT, None)
    assert shared["group"] is None
    assert "groups" not in shared
    assert hall.view(Audience.PARTICIPANT)["networking"]["rounds"][0]["group"] is None
    assert not HALL.shares_view(hall.state, "p1")


def test_a_partner_shows_their_one_line_about_when_the_profile_has_one() -> None:
    """A member with ``about`` (a profile field to come) shows it to the people they meet."""
    @dataclass(frozen=True, slots=True)
    class WithAbout(Member):
        about: str = ""

    hall = networking_hall(people=("p1", "p2"))
    p2 = hall.state.members["p2"]
    hall.state = replace(hall.state, members={
        **hall.state.members, "p2": WithAbout(*(getattr(p2, f) for f in (
            "id", "name", "organization", "sector", "country", "attendance", "joined_at")),
            about="Flood warnings by SMS")})
    started = start(hall)
    seen = HALL.event_view(hall.state, started, Audience.PARTICIPANT, "p1")
    assert seen["group"]["partners"][0]["about"] == "Flood warnings by SMS"


def test_the_projector_shows_the_on_site_table_plan_only() -> None:
    """Tables with the names of the people at them; no remote group, no profiles."""
    hall = networking_hall()
    started = start(hall)
    seen = HALL.event_view(hall.state, started, Audience.OBSERVER, None)
    tables = {g["table"]: sorted(f"Name {m}" for m in g["members"])
              for g in started.data["groups"] if g["mode"] == "onsite"}
    assert [t["table"] for t in seen["tables"]] == [1, 2]
    assert {t["table"]: sorted(t["names"]) for t in seen["tables"]} == tables
    assert "groups" not in seen
    assert "Name r1" not in str(seen)
    snap = hall.view(Audience.OBSERVER)["networking"]
    assert snap["tables"] == seen["tables"]
    assert snap["current"]["round"] == 1
    assert "waiting" not in snap
    assert "Name r1" not in str(snap)


def test_staff_see_the_whole_round() -> None:
    """Groups, figures, relaxed constraints, seed and the grace end: as stored, in the snapshot."""
    hall = networking_hall()
    started = start(hall)
    assert HALL.event_view(hall.state, started, Audience.FACILITATOR, None) == started.data
    (r,) = hall.view(Audience.FACILITATOR)["networking"]["rounds"]
    assert r["groups"] == started.data["groups"]
    assert r["quality"] == started.data["quality"]
    assert r["grace_ends_at"] == started.at + 60_000
    assert r["relaxed"] == []


def test_opting_out_is_private_to_the_person_and_the_staff() -> None:
    """Other participants and the projector get it redacted, shown as from anonymous."""
    hall = networking_hall()
    (out,) = hall.ok(who("p1"), "networking.opt_out", out=True)
    assert HALL.event_view(hall.state, out, Audience.FACILITATOR, None) == {"out": True}
    assert HALL.actor_view(hall.state, out, Audience.FACILITATOR, None) == "p1"
    for audience, viewer in ((Audience.PARTICIPANT, "p2"), (Audience.PARTICIPANT, None),
                             (Audience.OBSERVER, None)):
        assert HALL.event_view(hall.state, out, audience, viewer) == REDACTED
        assert HALL.actor_view(hall.state, out, audience, viewer) == "anonymous"
    assert hall.view(Audience.PARTICIPANT, "p1")["networking"]["opted_out"] is True
    assert hall.view(Audience.PARTICIPANT, "p2")["networking"]["opted_out"] is False
    assert hall.view(Audience.FACILITATOR)["networking"]["opted_out"] == ["p1"]


# Contacts ------------------------------------------------------------------------------------


def test_only_someone_met_in_a_round_can_be_asked() -> None:
    """Before meeting, a stranger, oneself: not_found; a partner of this round: fine."""
    hall = networking_hall()
    hall.refused(who("p1"), "contact.request", ErrorCode.NOT_FOUND, member="p2")
    started = start(hall)
    partner = next(m for m in group_of(started, "p1")["members"] if m != "p1")
    other = next(m for m in PEOPLE if m not in group_of(started, "p1")["members"])
    hall.refused(who("p1"), "contact.request", ErrorCode.NOT_FOUND, member=other)
    hall.refused(who("p1"), "contact.request", ErrorCode.NOT_FOUND, member="p1")
    hall.refused(ORG, "contact.request", ErrorCode.FORBIDDEN, member=partner)
    (asked,) = hall.ok(who("p1"), "contact.request", member=partner)
    assert (asked.name, asked.data) == ("contact.requested", {"member": partner})
    hall.refused(who("p1"), "contact.request", ErrorCode.INVALID_STATE, member=partner)


def test_a_one_sided_request_is_seen_by_its_sender_only() -> None:
    """Its target, the others and the staff get it redacted from anonymous; snapshots agree."""
    hall = networking_hall(people=("p1", "p2", "p3", "p4"))
    meet(hall, "p1", "p2")
    before = {(a, v): hall.view(a, v) for a, v in _viewers(hall) if v != "p1"}
    (asked,) = hall.ok(who("p1"), "contact.request", member="p2")
    assert HALL.subjects(hall.state, asked) == {"p1"}
    assert HALL.event_view(hall.state, asked, Audience.PARTICIPANT, "p1") == {"member": "p2"}
    assert HALL.actor_view(hall.state, asked, Audience.PARTICIPANT, "p1") == "p1"
    for audience, viewer in _viewers(hall):
        if viewer == "p1":
            continue
        assert HALL.event_view(hall.state, asked, audience, viewer) == REDACTED
        assert HALL.actor_view(hall.state, asked, audience, viewer) == "anonymous"
        after = hall.view(audience, viewer)
        assert {**after, "seq": 0} == {**before[(audience, viewer)], "seq": 0}
    assert hall.view(Audience.PARTICIPANT, "p1")["networking"]["requests"] == ["p2"]


def test_asking_back_makes_a_connection_seen_by_the_two_only() -> None:
    """The second request also emits contact.connected; others see the count, never who."""
    hall = networking_hall(people=("p1", "p2", "p3", "p4"))
    meet(hall, "p1", "p2")
    hall.ok(who("p1"), "contact.request", member="p2")
    hall.now += 5_000
    asked, connected = hall.ok(who("p2"), "contact.request", member="p1")
    assert asked.name == "contact.requested"
    assert (connected.name, connected.data) == ("contact.connected", {"a": "p1", "b": "p2"})
    assert HALL.subjects(hall.state, connected) == {"p1", "p2"}
    assert connections_of(hall.state, "p1") == [("p2", hall.now)]
    assert connections_of(hall.state, "p2") == [("p1", hall.now)]
    assert connections_of(hall.state, "p3") == []
    for viewer in ("p1", "p2"):
        assert HALL.event_view(hall.state, connected, Audience.PARTICIPANT,
                               viewer) == connected.data
        mine = hall.view(Audience.PARTICIPANT, viewer)["networking"]
        other = "p2" if viewer == "p1" else "p1"
        assert mine["contacts"] == [{"member": other, "name": f"Name {other}", "at": hall.now}]
        assert mine["requests"] == []
    for audience, viewer in _viewers(hall):
        if viewer in ("p1", "p2"):
            continue
        assert HALL.event_view(hall.state, connected, audience, viewer) == {"connections": 1}
        assert HALL.actor_view(hall.state, connected, audience, viewer) == "anonymous"
        snap = hall.view(audience, viewer)["networking"]
        assert snap["connections"] == 1
        assert snap.get("contacts", []) == []
    assert hall.state.networking.requests == {}
    hall.refused(who("p1"), "contact.request", ErrorCode.INVALID_STATE, member="p2")
    hall.refused(who("p1"), "contact.withdraw", ErrorCode.INVALID_STATE, member="p2")
    assert hall.replayed() == hall.state


def test_a_one_sided_request_can_be_withdrawn() -> None:
    """Withdrawn while one-sided: gone, privately; asking back then makes no connection."""
    hall = networking_hall(people=("p1", "p2"))
    meet(hall, "p1", "p2")
    hall.refused(who("p1"), "contact.withdraw", ErrorCode.NOT_FOUND, member="p2")
    hall.ok(who("p1"), "contact.request", member="p2")
    (withdrawn,) = hall.ok(who("p1"), "contact.withdraw", member="p2")
    assert HALL.event_view(hall.state, withdrawn, Audience.PARTICIPANT, "p2") == REDACTED
    assert HALL.event_view(hall.state, withdrawn, Audience.FACILITATOR, None) == REDACTED
    assert hall.state.networking.requests == {}
    (only,) = hall.ok(who("p2"), "contact.request", member="p1")
    assert only.name == "contact.requested"
    assert hall.state.networking.connected == ()
    assert hall.replayed() == hall.state


def _viewers(hall: Hall) -> list[tuple[Audience, str | None]]:
    return [(Audience.FACILITATOR, None), (Audience.OBSERVER, None),
            (Audience.PARTICIPANT, None),
            *((Audience.PARTICIPANT, m) for m in hall.state.members)]


def test_observers_send_nothing() -> None:
    """The projector may not start rounds or ask for contacts."""
    hall = networking_hall()
    hall.refused(OBS, "round.start", ErrorCode.FORBIDDEN)
    hall.refused(OBS, "contact.request", ErrorCode.FORBIDDEN, member="p1")


def test_a_no_show_who_arrives_later_is_re_paired_with_the_next_one_alone() -> None:
    """A repair with ``present`` counts an earlier no-show who is here now as waiting."""
    hall = networking_hall(people=("p1", "p2", "p3", "p4", "p5", "p6"), grace_seconds=0)
    started = start(hall, seed=5)
    first, second = (g["members"] for g in started.data["groups"][:2])
    hall.ok(ORG, "round.repair", absent=[first[0]])
    here = [m for m in hall.state.members if m != second[0]]
    (repaired,) = hall.ok(ORG, "round.repair", present=here)
    assert repaired.data["absent"] == [second[0]]
    paired = next(g for g in repaired.data["groups"] if first[0] in g["members"])
    assert second[1] in paired["members"]
    current = hall.state.networking.current
    assert current is not None
    assert current.absent == (second[0],)
    assert hall.replayed() == hall.state
