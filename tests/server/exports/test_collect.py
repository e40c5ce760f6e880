"""The export model: anonymity, consent, named or anonymous votes, moderation, the label."""

from __future__ import annotations

import json
from dataclasses import replace

from server.exports.collect import SOMEONE, collect, for_participant

from .forum import NAMES, PROFILES, SECRET, forum


def test_the_model_carries_the_label_and_the_forum() -> None:
    """The model names the forum and the label in force."""
    model = collect(forum("tlp-red").sources())
    assert model["label"]["id"] == "tlp-red"
    assert model["label"]["meaning"].startswith("TLP:RED")
    assert (model["forum"]["title"], model["forum"]["topic"]) == ("Forum", "Resilience")


def test_an_anonymous_question_names_nobody_anywhere_in_the_model() -> None:
    """The anonymous question's author is null, and its asker's name is nowhere near it."""
    model = collect(forum().sources())
    secret = next(q for q in model["plenary"]["questions"] if q["text"] == SECRET)
    named = next(q for q in model["plenary"]["questions"] if q["text"] != SECRET)
    assert (secret["anonymous"], secret["author"]) == (True, None)
    assert named["author"] == NAMES["p2"]
    # p5 asked it and did nothing else that carries a name: their name is in no part.
    assert NAMES["p5"] not in json.dumps(model, ensure_ascii=False)


def test_only_mutual_connections_are_named_and_no_contact_detail_is() -> None:
    """p1 and p2 both asked: named; p3 asked p4 alone: neither counted nor named."""
    model = collect(forum().sources())
    c = model["connections"]
    assert (c["total"], c["cross_sector"], c["cross_country"]) == (1, 1, 1)
    assert [{x["a"]["name"], x["b"]["name"]} for x in c["named"]] == [
        {NAMES["p1"], NAMES["p2"]}]
    text = json.dumps(c, ensure_ascii=False)
    assert NAMES["p3"] not in text
    assert NAMES["p4"] not in text
    assert "email" not in text
    assert "phone" not in text


def test_voters_are_named_only_where_the_room_voted_by_name() -> None:
    """Named room: voters with their dots; anonymous room: totals only."""
    named, anonymous = collect(forum().sources())["rooms"]
    sirens = named["ideas"][0]
    assert (sirens["text"], sirens["votes"]) == ("Sirens in every village", 3)
    assert {v["name"]: v["votes"] for v in sirens["voters"]} == {NAMES["p1"]: 2, NAMES["p2"]: 1}
    maps = anonymous["ideas"][0]
    assert (maps["votes"], maps["voters"]) == (2, None)
    assert anonymous["voting"] == {**anonymous["voting"], "anonymous": True, "total": 2,
                                   "voters": 2}


def test_ideas_come_in_vote_order_and_hidden_ones_are_left_out() -> None:
    """Most votes first; the moderated idea is only counted."""
    room = collect(forum().sources())["rooms"][0]
    votes = [i["votes"] for i in room["ideas"]]
    assert votes == sorted(votes, reverse=True)
    assert "Off-topic rant" not in [i["text"] for i in room["ideas"]]
    assert room["hidden_ideas"] == 1


def test_the_participation_mix_counts_the_hall_and_each_session() -> None:
    """Sectors, countries and attendance overall, and who took part in each session."""
    p = collect(forum().sources())["participation"]
    assert (p["total"], p["attendance"]) == (5, {"onsite": 3, "remote": 2})
    assert p["sectors"]["municipality"] == 2
    by_kind = {s["kind"]: s for s in p["sessions"]}
    assert by_kind["networking"]["total"] == 4  # p1-p2 and p3-p4 met
    assert by_kind["plenary"]["total"] == 2  # p5 and p2 asked
    assert by_kind["hackathon"]["total"] == 5  # everyone entered a room


def test_a_participant_sees_votes_only_where_they_were_revealed() -> None:
    """Top ideas of the revealed room with votes; none of the unrevealed one; no names."""
    page = for_participant(forum().sources(), "p1")
    revealed, hidden = page["rooms"]
    assert revealed["revealed"]
    assert revealed["top_ideas"][0]["votes"] == 3
    assert (hidden["revealed"], hidden["top_ideas"]) == (False, [])
    others = json.dumps({**page, "actions": []}, ensure_ascii=False)
    assert not any(name in others for name in NAMES.values())
    assert page["label"]["id"] == "tlp-amber"


def test_a_participant_sees_their_own_action_items_only() -> None:
    """p1 owns the action item; p2 owns none."""
    assert [a["title"] for a in for_participant(forum().sources(), "p1")["actions"]] == [
        "Map the villages without sirens"]
    assert for_participant(forum().sources(), "p2")["actions"] == []


def test_a_participant_sees_recommendation_votes_only_where_revealed() -> None:
    """The anonymous room never revealed its votes: its recommendation has none."""
    recs = {r["title"]: r for r in for_participant(forum().sources(), "p3")["recommendations"]}
    assert recs["Sirens for every village"]["votes"] == 3
    assert recs["Shared maps for the region"]["votes"] is None
    assert "by_sector" not in recs["Sirens for every village"]


def test_action_items_keep_their_whole_history() -> None:
    """Both status changes, in order, with who made them (by kind, not by id)."""
    (item,) = collect(forum().sources())["rooms"][0]["actions"]
    assert [(h["status"], h["by"]) for h in item["history"]] == [
        ("in_progress", "an organizer or facilitator"), ("done", "the owner's follow-up link")]
    assert item["status"] == "done"


def test_an_erased_person_is_counted_but_never_named() -> None:
    """After erasure rewrote p1's profile (as branch privacy does), no export names them."""
    f = forum()
    erased = replace(f.hall.state.members["p1"], name=SOMEONE, organization="", sector="",
                     country="")
    f.hall.state = replace(f.hall.state, members={**f.hall.state.members, "p1": erased})
    for room in f.rooms.values():
        if "p1" in room.state.members:
            room.state = replace(room.state, members={**room.state.members, "p1": erased})
    model = collect(f.sources())
    text = json.dumps(model, ensure_ascii=False)
    assert NAMES["p1"] not in text
    assert PROFILES["p1"]["organization"] not in text
    assert model["connections"]["total"] == 1
    assert model["connections"]["named"] == []
    sirens = model["recommendations"][0]
    assert sirens["by_sector"] == {"business": 1, "withheld": 1}
    assert model["rooms"][0]["ideas"][0]["author"] == SOMEONE


def test_a_participant_sees_the_closed_questionnaire_overall_without_free_text() -> None:
    """Overall cells, no breakdown by group, no free-text answers of others."""
    ev = for_participant(forum().sources(), "p3")["evaluation"]
    assert ev["status"] == "closed"
    recommend = next(q for q in ev["questions"] if q["id"] == "recommend")
    assert (recommend["overall"]["nps"], "by" in recommend) == (40, False)
    assert all(q["kind"] != "text" for q in ev["questions"])
    assert "coffee" not in json.dumps(ev)
