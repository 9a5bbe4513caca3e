"""Spot the stage: unknown clinical pictures, their scoring and a count of confusions.

Pure, so tests (and a graded kernel) can score answers without a screen.  A
picture is scored on its stage and, where the picture can show it, on its form:
only an umbilicated lesion (vesicopustule or larger papulopustule) and a healed
one (no scar or a pit) tell miliaris from varioliformis; elsewhere either form
answer counts as right, and the feedback says why.
"""

from collections import Counter
from dataclasses import dataclass

import numpy as np

from widgets.core.clinical.stages import (
    LESION_STAGES,
    SHADES,
    ClinicalStage,
    as_form,
    as_stage,
    stage_facts,
)
from widgets.core.clinical.tones import TONE_ORDER, Tone
from widgets.core.model.forms import Form

PRACTICE_STAGES: tuple[ClinicalStage, ...] = LESION_STAGES
"""The stages an unknown picture can show (normal scalp is not asked)."""


@dataclass(frozen=True)
class Unknown:
    """One practice picture: what it shows, on which tone, drawn with which seed."""

    stage: ClinicalStage
    form: Form
    tone: Tone
    shade: str
    seed: int


@dataclass(frozen=True)
class Score:
    """How an answer scored: ``points`` of ``out_of``, and the feedback in words."""

    stage_right: bool
    form_right: bool | None
    """None when the picture cannot show the form (either answer counts)."""
    points: int
    out_of: int
    explanation: str

    @property
    def right(self) -> bool:
        return self.points == self.out_of


def draw_unknown(rng: np.random.Generator) -> Unknown:
    """A random unknown: any lesion stage, either form, any of the six tones, either shade."""
    return Unknown(
        stage=PRACTICE_STAGES[rng.integers(len(PRACTICE_STAGES))],
        form=tuple(Form)[rng.integers(len(Form))],
        tone=TONE_ORDER[rng.integers(len(TONE_ORDER))],
        shade=SHADES[rng.integers(len(SHADES))],
        seed=int(rng.integers(1_000_000)),
    )


def score(unknown: Unknown, stage: ClinicalStage | str, form: Form | str) -> Score:
    """Score an answer (a stage and a form, by name) and explain it with the deciding findings."""
    stage, form = as_stage(stage), as_form(form)
    facts = stage_facts(unknown.stage)
    stage_right = stage is unknown.stage
    form_right = (form is unknown.form) if facts.form_visible else None
    out_of = 2 if facts.form_visible else 1
    points = int(stage_right) + int(bool(form_right))
    shown = f"{facts.name(unknown.form)} of acne necrotica {unknown.form.value}"
    lines = [
        f"{'Right stage' if stage_right else 'Not this stage'}: this is the {shown} ({unknown.tone.label}). "
        f"{facts.decisive}"
    ]
    if not stage_right:
        lines.append(f"You answered {stage.value}; that would show: {stage_facts(stage).decisive}")
    if form_right is None:
        lines.append(
            f"The form cannot be told at this stage from the picture alone, so your answer "
            f"({form.value}) counts: the umbilicated lesion and the healed spot are the stages "
            "that show it."
        )
    elif not form_right:
        lines.append(
            f"The form is {unknown.form.value}, not {form.value}: "
            + (
                "miliaris gives a small vesicopustule, varioliformis a larger umbilicated "
                "papulopustule [3, 4]."
                if unknown.stage is ClinicalStage.UMBILICATED
                else "miliaris heals without a scar [4], varioliformis with a pitted scar "
                "without hair [3, 5]."
            )
        )
    return Score(stage_right, form_right, points, out_of, " ".join(lines))


class Confusions:
    """Counts which stage was taken for which, over a practice session."""

    def __init__(self) -> None:
        self.counts: Counter[tuple[ClinicalStage, ClinicalStage]] = Counter()
        self.answered = 0
        self.points = 0
        self.out_of = 0

    def record(self, unknown: Unknown, stage: ClinicalStage | str, result: Score) -> None:
        """Add one scored answer."""
        self.answered += 1
        self.points += result.points
        self.out_of += result.out_of
        if not result.stage_right:
            self.counts[(unknown.stage, as_stage(stage))] += 1

    def most_common(self, n: int = 5) -> list[tuple[ClinicalStage, ClinicalStage, int]]:
        """The ``n`` commonest confusions as (true stage, answered stage, times)."""
        return [(truth, answer, times) for (truth, answer), times in self.counts.most_common(n)]
