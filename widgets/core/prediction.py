"""Judge a committed prediction against the result it guarded, in words a learner reads.

Pure: the prediction widget (``widgets.views.prediction``) asks here whether a
choice, a number or a sketched curve matches what the figure or explorer then
shows.  A sketch is judged by its shape (does it rise, fall, stay flat, peak?),
not by its values: the point is the direction of the learner's reasoning.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

SHAPES: tuple[str, ...] = (
    "rises",
    "falls",
    "flat",
    "rises then falls",
    "falls then rises",
    "mixed",
)
"""The shapes a sketched curve can take, judged from the changes between its points."""


_SAYS = {
    "rises": "rises",
    "falls": "falls",
    "flat": "stays flat",
    "rises then falls": "rises, then falls",
    "falls then rises": "falls, then rises",
    "mixed": "goes up and down",
}


@dataclass(frozen=True)
class PredictionVerdict:
    """Whether the prediction matched, and one sentence saying how it compares with the result."""

    matched: bool
    comparison: str


def judge_choice(chosen: int, answer: int, options: Sequence[str]) -> PredictionVerdict:
    """A picked option against the option the result bears out (both are indices)."""
    if not 0 <= chosen < len(options):
        raise ValueError(f"option {chosen} does not exist; choose 0 to {len(options) - 1}")
    if chosen == answer:
        return PredictionVerdict(True, f"Your prediction matches the result: {options[answer]}.")
    return PredictionVerdict(
        False, f"You predicted: {options[chosen]}. The result shows: {options[answer]}."
    )


def judge_number(
    value: float, answer: float, tolerance: float, unit: str = ""
) -> PredictionVerdict:
    """A number against the result, counted as a match within ``tolerance`` either side."""
    suffix = f" {unit}" if unit else ""
    gap = value - answer
    if abs(gap) <= tolerance:
        return PredictionVerdict(
            True, f"Close: you said {value:g}{suffix}, the result is {answer:g}{suffix}."
        )
    direction = "high" if gap > 0 else "low"
    return PredictionVerdict(
        False,
        f"You said {value:g}{suffix}, the result is {answer:g}{suffix}: "
        f"{abs(gap):g}{suffix} too {direction}.",
    )


def curve_shape(values: Sequence[float], flat_within: float = 0.0) -> str:
    """The shape of a sketched curve: one of :data:`SHAPES`.

    Changes no bigger than ``flat_within`` count as level, so a hand-set slider that
    wobbles by one step does not turn a rising curve into a 'mixed' one.
    """
    if len(values) < 2:
        raise ValueError("a curve needs at least two points")
    moves: list[int] = []
    for before, after in pairwise(values):
        change = after - before
        if abs(change) > flat_within:
            sign = 1 if change > 0 else -1
            if not moves or moves[-1] != sign:
                moves.append(sign)
    return {(): "flat", (1,): "rises", (-1,): "falls", (1, -1): "rises then falls"}.get(
        tuple(moves), "falls then rises" if tuple(moves) == (-1, 1) else "mixed"
    )


def judge_sketch(
    values: Sequence[float], shape: str, flat_within: float = 0.0
) -> PredictionVerdict:
    """A sketched curve against the shape of the real one."""
    if shape not in SHAPES:
        raise ValueError(f"unknown curve shape {shape!r}; shapes: {', '.join(SHAPES)}")
    drawn = curve_shape(values, flat_within)
    if drawn == shape:
        return PredictionVerdict(True, f"Your sketch {_SAYS[drawn]}, and so does the result.")
    return PredictionVerdict(False, f"Your sketch {_SAYS[drawn]}; the result {_SAYS[shape]}.")
