"""The quality app's models, one module per part of it: a meeting's score (`scores`), the
monthly indicators that roll scores and counts up the tree (`indicators`), and the evaluation of
members and cells (`evaluation`). Import them from here."""

from chibo.quality.models.evaluation import (
    Classification,
    Evaluation,
    EvaluationEvent,
    EvaluationRound,
)
from chibo.quality.models.indicators import MonthlyIndicators
from chibo.quality.models.scores import Grade, MeetingScore

__all__ = [
    "Classification",
    "Evaluation",
    "EvaluationEvent",
    "EvaluationRound",
    "Grade",
    "MeetingScore",
    "MonthlyIndicators",
]
