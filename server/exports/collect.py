"""Everything of a forum as one plain model (JSON data), for an audience: the export's source.

Every format is rendered from this model, so all of them say the same thing and honour the
same rules (docs/exports.md):

- names come only from the current states (the rooms' and the hall's members), which erasure
  rewrites: whoever erased themselves is "a participant" here too;
- an anonymous author (a plenary question asked anonymously) is never named; ideas hidden by
  a facilitator (moderation) are left out and only counted;
- votes: totals for the organizer; who voted for what only where the room's voting was named
  (``anonymous`` off); supporters of a recommendation as counts by sector and country;
- connections: counts, and the two names of a connection only where both sides asked to stay
  in touch (that is what makes a connection); never a contact detail;
- every model carries the forum's confidentiality label.

The participant's model (their results page) holds only what the room showed everyone at the
end: recommendations, the top ideas (with votes only where they were revealed), the
questionnaire's overall results once closed, and the action items they own.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable
from typing import Any

from rooms.hall.evaluation_results import results
from rooms.hall.labels import label_view
from rooms.hall.state import HallState
from rooms.outcomes import FOLLOWUP_ACTOR, support
from rooms.state import Idea, Member, RoomState

from .sources import Sources

VERSION = 1
SCHEMA_ID = "https://hackrooms.org/schemas/export/v1.json"
SOMEONE = "a participant"  # how a person is shown whom an export may not or cannot name
WITHHELD = "withheld"  # a sector or country erasure did not keep
TOP_IDEAS = 5  # ideas per room on a participant's results page

Model = dict[str, Any]


def collect(sources: Sources) -> Model:
    """The organizer's model of the whole forum."""
    hall = sources.hall
    rooms = [_room(record.id, record.title, state, hall) for record, state in sources.rooms]
    return {
        "$schema": SCHEMA_ID, "version": VERSION,
        "generated_at": _iso(sources.now),
        "label": label_view(hall.forum.label),
        "forum": {"id": sources.forum.id, "title": hall.forum.title or sources.forum.title,
                  "topic": hall.forum.topic},
        "vocabulary": _vocabulary(sources),
        "rooms": rooms,
        "recommendations": ranked(rooms),
        "plenary": _plenary(hall),
        "connections": _connections(hall),
        "evaluation": evaluation(hall),
        "participation": _participation(sources),
    }


def for_participant(sources: Sources, member: str) -> Model:
    """What one participant's results page shows: the forum's results and their own items."""
    full = collect(sources)
    rooms = []
    for (_, state), room in zip(sources.rooms, full["rooms"], strict=True):
        revealed = state.voting.revealed
        top = room["ideas"][:TOP_IDEAS] if revealed else room["ideas"][:0]
        rooms.append({"id": room["id"], "title": room["title"],
                      "challenge": room["challenge"], "revealed": revealed,
                      "top_ideas": [{"id": i["id"], "text": i["text"], "votes": i["votes"]}
                                    for i in top]})
    revealed_in = {record.id for record, state in sources.rooms if state.voting.revealed}
    ev = full["evaluation"]
    summary = None
    if ev is not None and ev["status"] == "closed":
        # Overall cells only, and no free text: that is for the organizers (without names).
        summary = {**ev, "questions": [
            {**{k: v for k, v in q.items() if k != "by"},
             "overall": {k: v for k, v in q["overall"].items() if k != "answers"}}
            for q in ev["questions"] if q["kind"] != "text"]}
    return {"version": VERSION, "generated_at": full["generated_at"], "label": full["label"],
            "forum": full["forum"], "vocabulary": full["vocabulary"], "rooms": rooms,
            "recommendations": [_public_recommendation(r, revealed_in)
                                for r in full["recommendations"]],
            "evaluation": summary,
            "actions": [a for r in full["rooms"] for a in r["actions"]
                        if a.get("owner_member") == member]}


# Rooms ---------------------------------------------------------------------------------------


def _room(room_id: str, title: str, state: RoomState, hall: HallState) -> Model:
    tallies = state.voting.tallies()
    shown = [i for i in state.board.ideas.values() if not i.hidden]
    named = not state.voting.anonymous
    ideas = [_idea(i, state, hall, tallies.get(i.id, 0), named) for i in shown]
    ideas.sort(key=lambda i: -int(i["votes"]))  # stable: equal votes keep board order
    clusters = [{"id": c.id, "title": c.title,
                 "votes": sum(tallies.get(i.id, 0) for i in shown if i.cluster == c.id),
                 "ideas": [i.id for i in shown if i.cluster == c.id]}
                for c in state.board.clusters.values()]
    return {
        "id": room_id, "title": state.title or title, "challenge": state.challenge,
        "session": _session_of(hall, room_id),
        "phase": state.phases.phase.id if state.phases.phase else None,
        "voting": {"anonymous": state.voting.anonymous, "revealed": state.voting.revealed,
                   "open": state.voting.open, "budget": state.voting.budget,
                   "cap": state.voting.cap,
                   "total": sum(tallies.get(i.id, 0) for i in shown),
                   "voters": sum(1 for b in state.voting.ballots.values()
                                 if any(not _hidden(state, i) for i in b))},
        "members": len(state.members),
        "ideas": ideas,
        "hidden_ideas": len(state.board.ideas) - len(shown),
        "clusters": clusters,
        "recommendations": _recommendations(room_id, state.title or title, state, hall),
        "actions": _actions(room_id, state, hall),
    }


def _hidden(state: RoomState, idea_id: str) -> bool:
    idea = state.board.ideas.get(idea_id)
    return idea is None or idea.hidden


def _idea(idea: Idea, state: RoomState, hall: HallState, votes: int, named: bool) -> Model:
    voters = [v for v, ballot in state.voting.ballots.items() if idea.id in ballot]
    return {
        "id": idea.id, "text": idea.text, "author": _name(idea.author, state, hall),
        "cluster": idea.cluster, "created_at": idea.created_at, "votes": votes,
        # Who voted is named only where the room voted by name.
        "voters": [{"name": _name(v, state, hall), "votes": state.voting.dots(v, idea.id)}
                   for v in voters] if named else None,
        "comments": [{"author": _name(c.author, state, hall), "text": c.text, "at": c.at}
                     for c in idea.comments],
        "reactions": {k: len(v) for k, v in idea.reactions.items() if v},
    }


def _session_of(hall: HallState, room_id: str) -> str | None:
    return next((s.title for s in hall.agenda.sessions if s.room(room_id) is not None), None)


def _member(member_id: str, state: RoomState | None, hall: HallState) -> Member | None:
    found = state.members.get(member_id) if state is not None else None
    return found or hall.members.get(member_id)


def _name(member_id: str, state: RoomState | None, hall: HallState) -> str:
    """A member's name as the current states have it (erasure rewrites them)."""
    member = _member(member_id, state, hall)
    return member.name if member is not None else SOMEONE


# Recommendations and action items (the rooms' outcomes, when the room has them) -------------


def _recommendations(room_id: str, title: str, state: RoomState,
                     hall: HallState) -> list[Model]:
    """The room's recommendations, each with what it rests on (rooms/outcomes.py, support)."""
    out = []
    for rec in state.outcomes.recommendations.values():
        backing = support(state, rec)
        # Source ideas: those named, then those of its clusters (each once).
        ideas = {i["id"]: i for i in backing["ideas"]}
        for cluster in backing["clusters"]:
            ideas.update({i["id"]: i for i in cluster["ideas"] if i["id"] not in ideas})
        voters = list(dict.fromkeys(backing["voters"]))
        # Supporters are counted, never named (support() names them even in anonymous votes).
        profiles = [_member(v, state, hall) for v in voters]
        out.append({
            "id": rec.id, "room": room_id, "room_title": title,
            "title": rec.title, "rationale": rec.rationale, "action": rec.action,
            "owner": rec.owner, "due": rec.due,
            "ideas": [{"id": i["id"], "text": i["text"], "votes": i["votes"]}
                      for i in ideas.values()],
            "clusters": [{"id": c["id"], "title": c["title"],
                          "ideas": [i["id"] for i in c["ideas"]]} for c in backing["clusters"]],
            "votes": backing["votes"],
            "supporters": len(voters),
            "by_sector": _count(p.sector if p else "unknown" for p in profiles),
            "by_country": _count(p.country if p else "unknown" for p in profiles),
        })
    return out


def _actions(room_id: str, state: RoomState, hall: HallState) -> list[Model]:
    return [{
        "id": a.id, "room": room_id, "recommendation": a.recommendation, "title": a.title,
        "owner": _owner(a.owner, a.owner_member, state, hall),
        "owner_member": a.owner_member, "due": a.due, "status": a.status,
        "history": [{"at": h.at, "status": h.status, "note": h.note or None,
                     "by": _actor_name(h.by, state, hall)} for h in a.history],
    } for a in state.outcomes.actions.values()]


def _owner(owner: str, member_id: str | None, state: RoomState, hall: HallState) -> str:
    """The owner as written, unless it is a participant who erased their data since."""
    member = _member(member_id, state, hall) if member_id else None
    return SOMEONE if member is not None and _erased(member) else owner


def _actor_name(actor: str, state: RoomState, hall: HallState) -> str:
    """Who changed an action item: a member by name, else the kind of actor it was."""
    if _member(actor, state, hall) is not None:
        return _name(actor, state, hall)
    if actor == FOLLOWUP_ACTOR:
        return "the owner's follow-up link"
    return "an organizer or facilitator"


def ranked(rooms: list[Model]) -> list[Model]:
    """Every room's recommendations, most votes first (ties: room order, then creation)."""
    every = [r for room in rooms for r in room["recommendations"]]
    return sorted(every, key=lambda r: -int(r["votes"]))


def _public_recommendation(rec: Model, revealed_in: set[str]) -> Model:
    """A recommendation as participants saw it: its votes only where the room revealed them."""
    keep = ("id", "room", "room_title", "title", "rationale", "action", "owner", "due")
    shown = rec["room"] in revealed_in
    return {**{k: rec[k] for k in keep}, "votes": rec["votes"] if shown else None,
            "ideas": [{"id": i["id"], "text": i["text"],
                       "votes": i["votes"] if shown else None} for i in rec["ideas"]]}


# The hall: plenary, connections, evaluation -----------------------------------------------


def _plenary(hall: HallState) -> Model:
    questions = [q for q in hall.questions.items.values() if q.public]
    questions.sort(key=lambda q: -q.votes)
    return {"questions": [{
        "text": q.text, "anonymous": q.anonymous, "votes": q.votes, "answered": q.answered,
        # An anonymous question names nobody, in every output.
        "author": None if q.anonymous else _name(q.author, None, hall),
    } for q in questions]}


def _connections(hall: HallState) -> Model:
    pairs = []
    for a, b, at in hall.networking.connected:
        pa, pb = hall.members.get(a), hall.members.get(b)
        if pa is not None and pb is not None:
            pairs.append((pa, pb, at))
    # Someone who erased their data is still counted, never named (not even as "a participant").
    named = [(a, b, at) for a, b, at in pairs if not (_erased(a) or _erased(b))]
    return {
        "total": len(pairs),
        "cross_sector": sum(a.sector != b.sector for a, b, _ in pairs),
        "cross_country": sum(a.country != b.country for a, b, _ in pairs),
        "by_sector_pair": _pair_counts((a.sector, b.sector) for a, b, _ in pairs),
        "by_country_pair": _pair_counts((a.country, b.country) for a, b, _ in pairs),
        # Both asked to stay in touch: each agreed to the other, so the pair may be named
        # (names and organizations; contact details go to the two people only).
        "named": [{"a": _person(a), "b": _person(b), "at": at} for a, b, at in named],
    }


def _erased(m: Member) -> bool:
    """Whether erasure rewrote this member (branch privacy: rooms/erasure.py's redaction)."""
    return m.name == SOMEONE and not m.organization


def _person(m: Member) -> Model:
    return {"name": m.name, "organization": m.organization, "sector": m.sector,
            "country": m.country}


def _pair_counts(pairs: Iterable[tuple[str, str]]) -> list[Model]:
    counts = Counter(tuple(sorted(p)) for p in pairs)
    return [{"pair": list(k), "connections": n}
            for k, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def evaluation(hall: HallState) -> Model:
    """The questionnaire's results, cells under three respondents suppressed."""
    found: Model = results(hall)
    return found


# Participation mix -------------------------------------------------------------------------


def _participation(sources: Sources) -> Model:
    hall = sources.hall
    everyone = list(hall.members.values())
    in_rooms = {record.id: state for record, state in sources.rooms}
    sessions = []
    for session in hall.agenda.sessions:
        ids = _present(hall, session.id, session.kind, [in_rooms.get(r.id) for r in
                                                         session.rooms])
        people = [m for i in ids if (m := hall.members.get(i)) is not None]
        sessions.append({"id": session.id, "kind": session.kind, "title": session.title,
                         "runs": [{"start": s, "end": e} for s, e in session.runs],
                         **_mix(people)})
    return {**_mix(everyone), "sessions": sessions}


def _present(hall: HallState, session: str, kind: str,
             rooms: list[RoomState | None]) -> set[str]:
    """Who took part in a session, as far as the logs know it."""
    if kind == "hackathon":
        placed = set(hall.assignment.of(session))
        return placed | {m for r in rooms if r is not None for m in r.members}
    if kind == "networking":
        return {m for r in hall.networking.rounds if r.session == session
                for g in r.groups for m in g.members}
    if kind == "plenary":
        asked = {q.author for q in hall.questions.items.values() if q.session == session}
        upvoted = {v for q in hall.questions.items.values() if q.session == session
                   for v in q.upvoters}
        polled = {m for p in hall.polls.polls.values() if p.session == session
                  for m in p.answers}
        return asked | upvoted | polled
    if kind == "evaluation":
        return _respondents(hall)
    return set()


def _respondents(hall: HallState) -> set[str]:
    return set(hall.evaluation.answers)


def _mix(people: list[Member]) -> Model:
    return {"total": len(people),
            "sectors": _count(m.sector for m in people),
            "countries": _count(m.country for m in people),
            "attendance": _count(m.attendance for m in people)}


def _count(values: Iterable[str]) -> dict[str, int]:
    """Counts by value, the largest first (equal counts by value).

    Erasure withholds a sector or country too small to keep (an empty value): "withheld".
    """
    counts = Counter(v or WITHHELD for v in values)
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def _vocabulary(sources: Sources) -> Model:
    v = sources.vocabulary
    return {"sectors": {o.id: o.label for o in v.sectors},
            "countries": {o.id: o.label for o in v.countries},
            "attendance": {"onsite": "On site", "remote": "Remote"}}


def label_line(label: Model) -> str:
    """The label as printed: a TLP meaning names its level already; Chatham House's does not."""
    meaning = str(label["meaning"])
    return meaning if meaning.startswith("TLP:") else f"Chatham House Rule. {meaning}"


def _iso(ms: int) -> str:
    return datetime.datetime.fromtimestamp(ms / 1000, datetime.UTC).isoformat(
        timespec="seconds")


