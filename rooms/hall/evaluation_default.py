"""The questionnaire every new hall starts with, built on the forum's intended outcomes.

The outcomes (``PRODUCT.md``): new working relationships, knowledge gained, belonging to a
wider community of experts, concrete ideas and solutions; then the value of each format, whether
people would come again, the recommendation score (reported as NPS) and what to improve.

It is the initial state's draft, not an event (``hall.create`` is unchanged). A draft follows
this constant until the organizer edits it; ``evaluation.opened`` writes the questions to the
log, so an opened questionnaire keeps its texts whatever a later version says here.
"""

from __future__ import annotations

from .evaluation_state import EvalQuestion

_AGREE = ("Strongly disagree", "Strongly agree")
_VALUE = ("Not valuable", "Very valuable")


def _likert(qid: str, text: str, ends: tuple[str, str] = _AGREE) -> EvalQuestion:
    return EvalQuestion(qid, "likert", text, True, low=ends[0], high=ends[1])


DEFAULT_QUESTIONS: tuple[EvalQuestion, ...] = (
    _likert("relationships",
            "I made new working relationships that I expect to use after the forum."),
    _likert("knowledge", "I gained knowledge that I can use in my work."),
    _likert("community",
            "I feel part of a wider community of experts across sectors and countries."),
    _likert("ideas", "The forum produced concrete ideas or solutions for the challenges "
                     "we worked on."),
    _likert("plenary", "How valuable was the plenary session for you?", _VALUE),
    _likert("hackathon", "How valuable was the hackathon for you?", _VALUE),
    _likert("networking", "How valuable was the speed networking for you?", _VALUE),
    EvalQuestion("again", "choice", "Would you come to a forum like this again?", True,
                 options=("Yes", "Maybe", "No")),
    EvalQuestion("recommend", "nps",
                 "How likely are you to recommend this forum to a colleague?", True,
                 low="Not at all likely", high="Extremely likely"),
    EvalQuestion("improve", "text", "What should we improve next time?", False),
)
