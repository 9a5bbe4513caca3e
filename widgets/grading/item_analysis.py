"""Item analysis of a graded quiz: which items work, which do not, and why.

Classical test theory on a students x items table of scores (numpy only):

- difficulty: the mean fraction of an item's points earned (1 = everyone right);
- discrimination: the item-rest correlation (the item against the total of the
  other items; near 0 or negative means the item does not separate strong from
  weak students) and the upper-lower index (mean fraction in the top 27% of
  totals minus the bottom 27%);
- reliability: Cronbach's alpha, which equals KR-20 when every item is right/wrong;
- the most common answers other than the model answer, among students who lost
  points on the item;
- calibration: mean confidence of students who earned the item and of those who
  did not, and the class's Brier score.
"""

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from widgets.core.assessment.scoring import CONFIDENCE_PROBABILITY

GROUP_FRACTION = 0.27
"""Top and bottom share of totals for the upper-lower index (Kelley's 27%)."""

COMMON_ANSWERS = 3
LONG_ANSWER = 4
"""A kept set longer than this is summarised (every option kept is the released answer)."""


@dataclass(frozen=True)
class ItemStats:
    name: str
    points: float
    difficulty: float
    item_rest: float | None
    """None when the item or the rest of the quiz does not vary."""
    upper_lower: float
    common_wrong: tuple[tuple[str, int], ...]
    confidence_right: float | None
    confidence_wrong: float | None

    @property
    def flags(self) -> tuple[str, ...]:
        """Plain-words warnings an instructor acts on."""
        found = []
        if self.difficulty >= 0.95:
            found.append("almost everyone earns it")
        if self.difficulty <= 0.2:
            found.append("almost no one earns it")
        if self.item_rest is not None and self.item_rest < 0:
            found.append("strong students do worse on it: check the key")
        elif self.item_rest is not None and self.item_rest < 0.2:
            found.append("discriminates weakly")
        return tuple(found)


@dataclass(frozen=True)
class QuizAnalysis:
    students: int
    items: tuple[ItemStats, ...]
    alpha: float | None
    brier: float | None


def _correlation(a: np.ndarray, b: np.ndarray) -> float | None:
    if a.std() == 0 or b.std() == 0:
        return None
    return float(np.corrcoef(a, b)[0, 1])


def cronbach_alpha(fractions: np.ndarray) -> float | None:
    """Cronbach's alpha of a students x items table (KR-20 for 0/1 items)."""
    students, items = fractions.shape
    if students < 2 or items < 2:
        return None
    total_variance = fractions.sum(axis=1).var(ddof=1)
    if total_variance == 0:
        return None
    item_variance = fractions.var(axis=0, ddof=1).sum()
    return float(items / (items - 1) * (1 - item_variance / total_variance))


def upper_lower_index(column: np.ndarray, totals: np.ndarray) -> float:
    order = np.argsort(totals, kind="stable")
    group = max(1, round(GROUP_FRACTION * len(totals)))
    return float(column[order[-group:]].mean() - column[order[:group]].mean())


def answer_label(answer: object) -> str:
    """A submitted answer in short words: sets as 'a | b', tables as 'k: v; ...'."""
    if isinstance(answer, (set, frozenset, list, tuple)):
        if len(answer) > LONG_ANSWER:
            return f"({len(answer)} options kept: left as released or over the limit)"
        return " | ".join(sorted(str(item) for item in answer)) or "(nothing kept)"
    if isinstance(answer, dict):
        return "; ".join(f"{k}: {v}" for k, v in answer.items())
    return "(not set)" if answer is None else str(answer)


def _wrong_answers(answers: Sequence[object], fractions: np.ndarray, model: object) -> Counter:
    counts: Counter = Counter()
    for answer, fraction in zip(answers, fractions):
        if fraction >= 1.0:
            continue
        if isinstance(answer, dict) and isinstance(model, dict):
            for key, verdict in answer.items():
                if model.get(key) != verdict:
                    counts[f"{key}: {verdict}"] += 1
        else:
            counts[answer_label(answer)] += 1
    return counts


def analyse(
    names: Sequence[str],
    points: Sequence[float],
    scores: np.ndarray,
    answers: Mapping[str, Sequence[object]] | None = None,
    models: Mapping[str, object] | None = None,
    confidences: Mapping[str, Sequence[object]] | None = None,
) -> QuizAnalysis:
    """Analyse ``scores`` (students x items, in points) of the items ``names`` worth ``points``."""
    scores = np.asarray(scores, dtype=float)
    if scores.ndim != 2 or scores.shape[1] != len(names) or len(points) != len(names):
        raise ValueError("scores should be students x items, one column per item name")
    fractions = np.clip(scores / np.asarray(points, dtype=float), 0.0, 1.0)
    totals = scores.sum(axis=1)
    answers, models, confidences = answers or {}, models or {}, confidences or {}
    stats, brier_terms = [], []
    for index, name in enumerate(names):
        column = fractions[:, index]
        rest = totals - scores[:, index]
        rated = [
            (value, fraction)
            for value, fraction in zip(confidences.get(name, ()), column)
            if type(value) is int and value in CONFIDENCE_PROBABILITY
        ]
        brier_terms += [
            (CONFIDENCE_PROBABILITY[value] - fraction) ** 2 for value, fraction in rated
        ]
        right = [value for value, fraction in rated if fraction >= 0.5]
        wrong = [value for value, fraction in rated if fraction < 0.5]
        counts = _wrong_answers(answers.get(name, ()), column, models.get(name))
        stats.append(
            ItemStats(
                name,
                float(points[index]),
                float(column.mean()),
                _correlation(column, rest),
                upper_lower_index(column, totals),
                tuple(counts.most_common(COMMON_ANSWERS)),
                float(np.mean(right)) if right else None,
                float(np.mean(wrong)) if wrong else None,
            )
        )
    return QuizAnalysis(
        scores.shape[0],
        tuple(stats),
        cronbach_alpha(fractions),
        float(np.mean(brier_terms)) if brier_terms else None,
    )


def report(analysis: QuizAnalysis, title: str) -> str:
    """The analysis as a plain-text table an instructor reads in a terminal."""

    def number(value: float | None) -> str:
        return "   –" if value is None else f"{value:5.2f}"

    lines = [
        f"Item analysis: {title} ({analysis.students} students)",
        f"Reliability (Cronbach's alpha; KR-20 for right/wrong items): {number(analysis.alpha)}",
        f"Brier score of the class's confidence (0 is perfect): {number(analysis.brier)}",
        "",
        f"{'item':28} {'pts':>4} {'diff':>5} {'r_ir':>5} {'U-L':>5} {'conf+':>5} {'conf-':>5}",
    ]
    for item in analysis.items:
        lines.append(
            f"{item.name:28} {item.points:4g} {number(item.difficulty)} {number(item.item_rest)} "
            f"{number(item.upper_lower)} {number(item.confidence_right)} "
            f"{number(item.confidence_wrong)}"
        )
        if item.common_wrong:
            listed = "; ".join(f"{label} ({count})" for label, count in item.common_wrong)
            lines.append(f"    most common other answers: {listed}")
        if item.flags:
            lines.append(f"    note: {', '.join(item.flags)}")
    lines += [
        "",
        "diff: mean fraction earned; r_ir: item-rest correlation; U-L: upper-lower index; "
        "conf+/conf-: mean confidence (1-4) of students who earned / missed the item.",
    ]
    return "\n".join(lines)
