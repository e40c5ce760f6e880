"""The state of the forum's evaluation questionnaire: its questions, where it is, its answers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

KINDS = ("likert", "nps", "choice", "text")
STATUSES = ("draft", "open", "closed")
LIKERT = tuple(range(1, 6))
NPS = tuple(range(0, 11))

Answer = int | str  # a likert or nps score, a choice's option text, a free text


@dataclass(frozen=True, slots=True)
class EvalQuestion:
    """One question: its kind, its text, whether it is required, its options or end labels."""

    id: str
    kind: str
    text: str
    required: bool
    options: tuple[str, ...] = ()  # choice only
    low: str = ""  # likert, nps: what the lowest score means ("Strongly disagree")
    high: str = ""  # and the highest

    @property
    def answers(self) -> tuple[Answer, ...]:
        """The possible answers in order; () for free text."""
        if self.kind == "likert":
            return LIKERT
        if self.kind == "nps":
            return NPS
        return self.options

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "text": self.text,
                "required": self.required, "options": list(self.options),
                "low": self.low, "high": self.high}

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> EvalQuestion:
        return cls(d["id"], d["kind"], d["text"], d["required"], tuple(d["options"]),
                   d["low"], d["high"])


def _default() -> tuple[EvalQuestion, ...]:
    from .evaluation_default import DEFAULT_QUESTIONS  # the default needs this module
    return DEFAULT_QUESTIONS


@dataclass(frozen=True, slots=True)
class EvaluationState:
    """The questionnaire: a draft (the default at first), then open, closed, maybe reopened.

    ``answers`` maps a respondent's member id to their answers by question id: the log must
    know who answered (one response each, editable); no view but their own shows it.
    """

    questions: tuple[EvalQuestion, ...] = field(default_factory=_default)
    status: str = "draft"
    opened_at: int | None = None
    closed_at: int | None = None
    results_shown: bool = False  # on the projector
    answers: Mapping[str, Mapping[str, Answer]] = field(default_factory=dict)

    def question(self, question_id: str) -> EvalQuestion | None:
        return next((q for q in self.questions if q.id == question_id), None)
