"""Feedback that teaches: explanations and calibration after grading, key points in feedback.

The hidden part of each test cell calls :func:`explain_item`, which records
``(score, points, explanation)`` in :data:`FEEDBACK_RECORD` and prints the item's
feedback; the last test cell also prints the calibration summary.  These are
outputs of the graded test cells (in the sandbox, of the test kernel), so they
reach nbgrader's feedback but never the released notebook.  Confidence is compared
with the marks, never used to change them.

Every graded kernel imports this module, so it stays light (no nbconvert: that
import alone cost each of a submission's two kernels about a second of CPU); the
feedback preprocessors, run by nbgrader itself, are in ``preprocessors``.
"""

from collections.abc import Mapping, Sequence

from widgets.core.assessment.scoring import (
    CONFIDENCE_LEVELS,
    CalibrationRow,
    brier_score,
    calibration_order,
    stated_confidence,
)

FEEDBACK_RECORD = "_item_feedback"
"""The name the hidden tests record each item's (score, points, explanation) under."""

EXPLAIN = "explain_item"
"""The function a hidden test calls to record and print its item's feedback."""

NOT_GRADED_YET = (
    "Explanations and calibration appear here in your feedback after the quiz is graded. "
    "Confidence you have set so far: {given}."
)


def calibration_report(
    record: Mapping[str, tuple[float, float, str]],
    items: Sequence[str],
    confidences: Mapping[str, object],
) -> str:
    """The feedback text: confident-and-wrong items first, every item explained, a Brier score."""
    if not isinstance(record, Mapping) or not record:
        given = sum(
            stated_confidence(confidences.get(f"{n}_confidence")) is not None for n in items
        )
        return NOT_GRADED_YET.format(given=f"{given} of {len(items)} items")
    rows, texts = [], {}
    for name in items:
        entry = record.get(name)
        if not (isinstance(entry, tuple) and len(entry) == 3):
            continue
        earned, points, explanation = entry
        fraction = float(earned) / float(points) if points else 0.0
        rows.append(
            CalibrationRow(name, fraction, stated_confidence(confidences.get(f"{name}_confidence")))
        )
        texts[name] = (float(earned), float(points), str(explanation))
    ordered = calibration_order(rows)
    lines = []
    wrong = [row for row in ordered if row.confident_and_wrong]
    lines.append(
        "Confident and wrong (look at these first): "
        + (", ".join(row.name for row in wrong) if wrong else "none")
        + "."
    )
    brier = brier_score(rows)
    lines.append(
        "Brier score of your confidence: "
        + ("not available (no confidence set)" if brier is None else f"{brier:.2f}")
        + " (0 is perfect; always saying 'unsure' on items you get half right scores 0)."
    )
    for row in ordered:
        earned, points, explanation = texts[row.name]
        said = (
            f"confidence {row.confidence} ({CONFIDENCE_LEVELS[row.confidence]})"
            if row.confidence is not None
            else "no confidence set"
        )
        lines.append(f"\n{row.name}: {earned:g} of {points:g} points, {said}.\n{explanation}")
    return "\n".join(lines)


def explain_item(
    record: dict,
    name: str,
    earned: float,
    points: float,
    explanation: str,
    namespace: Mapping[str, object],
    summary_items: Sequence[str] = (),
) -> None:
    """Record one graded item and print its feedback; with ``summary_items``, the whole summary.

    Called from the hidden part of a test cell, so it runs only when the quiz is
    graded (in the test kernel) and its output is part of that cell's feedback.
    It prints to stdout and returns nothing: the cell's score stays its last value.
    """
    record[name] = (earned, points, explanation)
    confidence = stated_confidence(namespace.get(f"{name}_confidence"))
    row = CalibrationRow(name, earned / points if points else 0.0, confidence)
    said = (
        f"confidence {confidence} ({CONFIDENCE_LEVELS[confidence]})"
        if confidence is not None
        else "no confidence set"
    )
    flag = " Confident and wrong: look at this one first." if row.confident_and_wrong else ""
    print(f"{name}: {earned:g} of {points:g} points, {said}.{flag}\n{explanation}")
    if summary_items:
        confidences = {f"{n}_confidence": namespace.get(f"{n}_confidence") for n in summary_items}
        print("\nSummary of the quiz\n" + calibration_report(record, summary_items, confidences))
