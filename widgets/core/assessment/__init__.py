"""Assessment items as data, their scoring, and the course's quizzes (pure: no screen, no nbgrader)."""

from widgets.core.assessment.items import (
    BestMatch,
    Case,
    Estimate,
    Item,
    Quiz,
    Selection,
    Task,
    Verdicts,
)
from widgets.core.assessment.scoring import score

__all__ = [
    "BestMatch",
    "Case",
    "Estimate",
    "Item",
    "Quiz",
    "Selection",
    "Task",
    "Verdicts",
    "score",
]
