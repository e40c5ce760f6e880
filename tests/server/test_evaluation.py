"""The evaluation questionnaire over real sockets: private answers, staff aggregates, retries."""

from __future__ import annotations

from typing import Any

from tests.harness import Server
from tests.server.helpers import Clients, Forum, named, snapshot_of

AGENDA: list[dict[str, Any]] = [
    {"kind": "plenary", "title": "Crisis communication", "minutes": 40},
    {"kind": "evaluation", "title": "Evaluation", "minutes": 15},
]


def _forum(server: Server) -> Forum:
    body = {"title": "Baltic resilience", "topic": "Extreme weather", "sessions": AGENDA}
    return Forum(server.api, server.api.request("POST", "/api/forums", body))


def _evaluation_session(snapshot: dict[str, Any]) -> str:
    return str(next(s["id"] for s in snapshot["agenda"]["sessions"]
                    if s["kind"] == "evaluation"))


def _question(results: dict[str, Any], qid: str) -> dict[str, Any]:
    found: dict[str, Any] = next(q for q in results["questions"] if q["id"] == qid)
    return found


async def test_an_answer_reaches_only_its_respondent_and_staff_see_the_aggregate(
        module_server: Server, clients: Clients) -> None:
    """The evaluation session opens it; an answer is the respondent's; staff get counts."""
    forum = _forum(module_server)
    org = await clients.connect(module_server, forum.organizer, forum.hall)
    people = [forum.join(name, "onsite", sector="municipality") for name in ("Ann", "Bo", "Cy")]
    screens = [await clients.connect(module_server, p.token, forum.hall) for p in people]
    moved = await org.command("agenda.now", {"session": _evaluation_session(snapshot_of(org))})
    await org.wait_seq(moved["seq"])
    # The ack carries the last event of the decision: the questionnaire's opening.
    assert named(org, "evaluation.opened")[-1]["seq"] == moved["seq"]
    acks = [await s.command("evaluation.answer", {"question": "recommend", "answer": score})
            for s, score in zip(screens, (10, 9, 3), strict=True)]
    for screen in (org, *screens):
        await screen.wait_seq(acks[-1]["seq"])
    ann, bo = screens[0], screens[1]
    mine = [m for m in named(ann, "evaluation.answered") if "answer" in m["data"]]
    assert [m["data"] for m in mine] == [{"question": "recommend", "answer": 10}]
    others = named(ann, "evaluation.answered")
    assert sum(1 for m in others if m["data"] == {"redacted": True}) == 2
    assert all(m["actor"] == "" for m in others if "answer" not in m["data"])
    staff = named(org, "evaluation.answered")[-1]
    assert staff["actor"] == ""
    assert staff["data"]["result"]["overall"]["nps"] == 33
    assert staff["data"]["result"]["overall"]["distribution"]["9"] == 1
    assert all(p.id not in str(m) for p in people for m in named(org, "evaluation.answered"))
    fresh = await clients.connect(module_server, people[1].token, forum.hall)
    assert snapshot_of(fresh)["evaluation"]["mine"] == {"recommend": 9}
    assert snapshot_of(fresh)["evaluation"]["results"] is None
    assert "10" not in str(snapshot_of(bo)["evaluation"]["mine"])


async def test_an_answer_resent_after_a_drop_with_its_op_is_applied_once(
        module_server: Server, clients: Clients) -> None:
    """An answer cut off before its ack and resent with the same op id counts once."""
    forum = _forum(module_server)
    org = await clients.connect(module_server, forum.organizer, forum.hall)
    await org.command("evaluation.open", {})
    ann = forum.join("Ann", "remote")
    a = await clients.connect(module_server, ann.token, forum.hall)
    answer = {"question": "improve", "answer": "Longer breaks"}
    await a.send({"type": "cmd", "op": "eval-cut", "name": "evaluation.answer", "args": answer})
    await a.close()  # without reading the answer
    again = await clients.connect(module_server, ann.token, forum.hall)
    ack = await again.command("evaluation.answer", answer, op="eval-cut")
    await org.wait_seq(ack["seq"])
    assert len(named(org, "evaluation.answered")) == 1
    fresh = await clients.connect(module_server, forum.organizer, forum.hall)
    evaluation = snapshot_of(fresh)["evaluation"]
    assert evaluation["respondents"] == 1
    assert _question(evaluation["results"], "improve")["overall"] == {"n": None,
                                                                      "suppressed": True}
