"""Dot votes over the wire: hidden until the reveal, then tallies, with or without names."""

from __future__ import annotations

import pytest

from client import CommandRejected
from tests.harness import Server
from tests.server.helpers import OPEN_PHASE, Clients, event_at, new_forum, snapshot_of


def _room(anonymous: bool) -> dict[str, object]:
    return {"title": "Room A", "phases": OPEN_PHASE, "anonymous": anonymous}


@pytest.mark.parametrize("anonymous", [True, False], ids=["anonymous", "named"])
async def test_votes_are_hidden_until_revealed(module_server: Server, clients: Clients,
                                               anonymous: bool) -> None:
    """Before the reveal a participant sees only their own votes; the facilitator sees all."""
    forum = new_forum(module_server, _room(anonymous))
    ann, bob, fac, a, b, projector = await clients.room_of_four(module_server, forum)
    idea_a = f"i{(await a.command('idea.add', {'text': 'Sirens'}))['seq']}"
    idea_b = f"i{(await b.command('idea.add', {'text': 'Cell broadcast'}))['seq']}"

    cast = await a.command("vote.cast", {"idea": idea_b})
    await b.command("vote.cast", {"idea": idea_a})
    last = (await a.command("vote.cast", {"idea": idea_b}))["seq"]

    own = {"idea": idea_b, "voter": ann.id}
    assert (await event_at(a, cast["seq"]))["data"] == own
    assert (await event_at(fac, cast["seq"]))["data"] == own
    assert (await event_at(b, cast["seq"]))["data"] == {"hidden": True}
    assert (await event_at(projector, cast["seq"]))["data"] == {"hidden": True}
    for client in (a, b, projector, fac):
        await client.wait_seq(last)

    # A new connection's snapshot keeps the same secret.
    later_b = await clients.connect(module_server, bob.token, forum.room)
    voting = snapshot_of(later_b)["voting"]
    assert voting["mine"] == [idea_a]
    assert voting["cast"] == 3
    assert "tallies" not in voting
    assert "ballots" not in voting
    later_fac = await clients.connect(module_server, forum.facilitator, forum.room)
    assert snapshot_of(later_fac)["voting"]["tallies"] == {idea_b: 2, idea_a: 1}
    assert snapshot_of(later_fac)["voting"]["ballots"] == {ann.id: [idea_b, idea_b],
                                                           bob.id: [idea_a]}


@pytest.mark.parametrize("anonymous", [True, False], ids=["anonymous", "named"])
async def test_reveal_sends_tallies_and_names_only_when_not_anonymous(
        module_server: Server, clients: Clients, anonymous: bool) -> None:
    """voting.revealed carries tallies to everyone; voters' names only in a named vote."""
    forum = new_forum(module_server, _room(anonymous))
    ann, bob, fac, a, b, projector = await clients.room_of_four(module_server, forum)
    idea = f"i{(await fac.command('idea.add', {'text': 'Sirens'}))['seq']}"
    await a.command("vote.cast", {"idea": idea})
    await a.command("vote.cast", {"idea": idea})
    revealed = await fac.command("voting.reveal")

    for client, mine in ((a, [idea, idea]), (b, []), (projector, [])):
        voting = (await event_at(client, revealed["seq"]))["data"]["voting"]
        assert voting["revealed"] is True
        assert voting["tallies"] == {idea: 2}
        assert voting["results"]["ideas"] == [{"id": idea, "votes": 2, "cluster": None, "rank": 1}]
        assert voting["results"]["total"] == 2
        assert voting["mine"] == mine
        assert ("ballots" in voting) is not anonymous
        if not anonymous:
            assert voting["ballots"] == {ann.id: [idea, idea]}
    assert (await event_at(fac, revealed["seq"]))["data"]["voting"]["ballots"] == {
        ann.id: [idea, idea]}

    # After the reveal, new votes are visible at once: with the voter only when named.
    cast = await b.command("vote.cast", {"idea": idea})
    expected = {"idea": idea} if anonymous else {"idea": idea, "voter": bob.id}
    assert (await event_at(a, cast["seq"]))["data"] == expected
    assert (await event_at(projector, cast["seq"]))["data"] == expected
    assert (await event_at(b, cast["seq"]))["data"] == {"idea": idea, "voter": bob.id}


async def test_vote_rules_answer_their_error_codes(module_server: Server,
                                                   clients: Clients) -> None:
    """Budget, cap, closed voting and retracting a missing vote answer their documented codes."""
    forum = new_forum(module_server, {"title": "Room A", "phases": OPEN_PHASE, "budget": 3,
                                      "cap": 2})
    ann = forum.join("Ann")
    fac = await clients.connect(module_server, forum.facilitator, forum.room)
    a = await clients.connect(module_server, ann.token, forum.room)
    one = f"i{(await fac.command('idea.add', {'text': 'one'}))['seq']}"
    two = f"i{(await fac.command('idea.add', {'text': 'two'}))['seq']}"
    await a.command("vote.cast", {"idea": one})
    await a.command("vote.cast", {"idea": one})
    for args, code in (({"idea": one}, "cap_exceeded"), ({"idea": "i999"}, "not_found")):
        with pytest.raises(CommandRejected) as refused:
            await a.command("vote.cast", args)
        assert refused.value.code == code
    await a.command("vote.cast", {"idea": two})
    with pytest.raises(CommandRejected) as over:
        await a.command("vote.cast", {"idea": two})
    assert over.value.code == "budget_exceeded"
    await a.command("vote.retract", {"idea": one})
    await a.command("vote.retract", {"idea": two})
    with pytest.raises(CommandRejected) as no_vote:
        await a.command("vote.retract", {"idea": two})
    assert no_vote.value.code == "no_vote"
    await fac.command("voting.close")
    for name, code in (("vote.cast", "voting_closed"), ("vote.retract", "voting_closed")):
        with pytest.raises(CommandRejected) as closed:
            await a.command(name, {"idea": one})
        assert closed.value.code == code
    with pytest.raises(CommandRejected) as facilitator_vote:
        await fac.command("vote.cast", {"idea": one})
    assert facilitator_vote.value.code == "forbidden"
