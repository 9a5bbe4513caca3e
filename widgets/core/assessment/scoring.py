"""Scoring of every item format, and feedback on how well confidence matched the marks.

These functions are the definition the graded notebooks' hidden tests follow
(the generator writes the same rules with literal keys, and a test checks the two
agree on many answers); the practice widget and item analysis call them
directly.  Each returns the fraction of the item's points earned, from 0 to 1.
An answer of the wrong shape, or still holding the released placeholder, earns 0.
"""

import math
from dataclasses import dataclass

from widgets.core.assessment.items import BestMatch, Estimate, Item, Selection, Verdicts
from widgets.core.choices import normalise

CONFIDENCE_LEVELS = {1: "a guess", 2: "unsure", 3: "fairly sure", 4: "sure"}
"""The confidence a student states for each autograded item; it never changes the mark."""

CONFIDENCE_PROBABILITY = {1: 0.25, 2: 0.5, 3: 0.75, 4: 0.95}
"""The chance of being right each confidence level claims, for the Brier score."""

CONFIDENT = 3
"""Confidence from which a wrong answer is listed first as 'confident and wrong'."""

WRONG_BELOW = 0.5
"""An item earning less than this fraction of its points counts as wrong for calibration."""


def _texts(answer: object) -> list[str] | None:
    """The normalised texts of a set of plain strings, or None if it is anything else."""
    if type(answer) is not set or any(type(item) is not str for item in answer):
        return None
    return sorted({normalise(item) for item in answer})


def score_best_match(item: BestMatch, answer: object) -> float:
    chosen = _texts(answer)
    if chosen is None or len(chosen) != 1:
        return 0.0
    return item.credit.get(chosen[0], 0.0)


def score_selection(item: Selection, answer: object) -> float:
    chosen = _texts(answer)
    if chosen is None or not 1 <= len(chosen) <= item.limit:
        return 0.0
    return min(max(sum(item.credit.get(option, 0.0) for option in chosen), 0.0), 1.0)


def verdict_fraction(item: Verdicts, candidate: str, verdict: object) -> float:
    """The credit of one candidate's verdict (0 for the placeholder or an unknown verdict)."""
    if type(verdict) is not str:
        return 0.0
    table = item.credit[normalise(candidate)]
    given = normalise(verdict)
    if given in table:
        return table[given]
    allowed = [normalise(v) for v in item.verdicts]
    if given in allowed[1:]:
        return item.partial.get(normalise(candidate), 0.0)
    return 0.0


def score_verdicts(item: Verdicts, answer: object) -> float:
    if type(answer) is not dict:
        return 0.0
    given = {normalise(k): v for k, v in answer.items() if type(k) is str}
    total = sum(
        verdict_fraction(item, candidate, given.get(normalise(candidate)))
        for candidate in item.candidates
    )
    return total / len(item.candidates)


def score_estimate(item: Estimate, answer: object) -> float:
    if not isinstance(answer, (int, float)) or type(answer) not in (int, float):
        return 0.0
    if not math.isfinite(answer):
        return 0.0
    if item.full[0] <= answer <= item.full[1]:
        return 1.0
    if item.half[0] <= answer <= item.half[1]:
        return 0.5
    return 0.0


def score(item: Item, answer: object) -> float:
    """The fraction of ``item``'s points that ``answer`` earns."""
    if isinstance(item, BestMatch):
        return score_best_match(item, answer)
    if isinstance(item, Selection):
        return score_selection(item, answer)
    if isinstance(item, Verdicts):
        return score_verdicts(item, answer)
    return score_estimate(item, answer)


@dataclass(frozen=True)
class CalibrationRow:
    """One item as the calibration feedback lists it."""

    name: str
    fraction: float
    confidence: int | None

    @property
    def confident_and_wrong(self) -> bool:
        return (
            self.confidence is not None
            and self.confidence >= CONFIDENT
            and self.fraction < WRONG_BELOW
        )


def stated_confidence(value: object) -> int | None:
    """A confidence of 1-4 as given, or None when it was left unset or is not 1-4."""
    return value if type(value) is int and value in CONFIDENCE_LEVELS else None


def brier_score(rows: list[CalibrationRow]) -> float | None:
    """Mean squared gap between claimed chance of being right and the fraction earned (0 best)."""
    terms = [
        (CONFIDENCE_PROBABILITY[row.confidence] - row.fraction) ** 2
        for row in rows
        if row.confidence is not None
    ]
    return sum(terms) / len(terms) if terms else None


def calibration_order(rows: list[CalibrationRow]) -> list[CalibrationRow]:
    """Confident and wrong first (most confident first), then the rest in quiz order."""
    first = sorted(
        (row for row in rows if row.confident_and_wrong), key=lambda row: -(row.confidence or 0)
    )
    return first + [row for row in rows if not row.confident_and_wrong]
