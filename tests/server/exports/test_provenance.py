"""Provenance: every recommendation in the brief traces to its room, ideas and votes, and its
supporters by sector and country equal those computed from the room's ballots and profiles."""

from __future__ import annotations

from collections import Counter

from server.exports import brief
from server.exports.collect import collect

from .brief_parse import Brief
from .forum import forum


def _expected(f, room_id: str, idea_ids: set[str]) -> tuple[int, Counter[str], Counter[str]]:
    """Votes on the ideas, and their distinct voters by sector and country, from the log."""
    state = f.rooms[room_id].state
    votes = sum(1 for ballot in state.voting.ballots.values() for i in ballot if i in idea_ids)
    voters = [v for v, ballot in state.voting.ballots.items() if set(ballot) & idea_ids]
    return (votes, Counter(state.members[v].sector for v in voters),
            Counter(state.members[v].country for v in voters))


def test_every_recommendation_traces_to_its_room_ideas_and_ballots() -> None:
    """Room, source ideas, votes and supporter counts agree with the room's own state."""
    f = forum()
    model = collect(f.sources())
    assert len(model["recommendations"]) == 3
    for rec in model["recommendations"]:
        state = f.rooms[rec["room"]].state
        assert rec["room_title"] == state.title
        ideas = {i["id"] for i in rec["ideas"]}
        assert all(state.board.ideas[i["id"]].text == i["text"] for i in rec["ideas"])
        votes, sectors, countries = _expected(f, rec["room"], ideas)
        assert rec["votes"] == votes
        assert Counter(rec["by_sector"]) == sectors
        assert Counter(rec["by_country"]) == countries
        assert rec["supporters"] == sum(sectors.values())


def test_the_brief_lists_the_recommendations_in_vote_order_with_their_provenance() -> None:
    """Vote order across rooms; each article shows room, votes, sources and the counts."""
    f = forum()
    model = collect(f.sources())
    b = Brief(brief.render(model))
    votes = [int(a["data-votes"]) for a in b.articles]
    assert votes == [3, 2, 1]
    by_id = {r["id"]: r for r in model["recommendations"]}
    for article in b.articles:
        rec = by_id[article["data-id"]]
        assert rec["room_title"] in article["text"]
        assert all(i["text"] in article["text"] for i in rec["ideas"])
        _, sectors, countries = _expected(f, rec["room"], {i["id"] for i in rec["ideas"]})
        labels = {**model["vocabulary"]["sectors"], **model["vocabulary"]["countries"]}
        for key in [*sectors, *countries]:
            assert labels[key] in article["text"]
    assert "Forest fires" in b.articles[1]["text"]  # the anonymous room's, between the two
