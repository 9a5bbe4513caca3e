"""The unknown slides of practice mode and the names a learner may give them.

Pure data, so quiz 3's graded kernel and the tests read it without a screen.
"""

from widgets.core.histology.findings import CONDITIONS
from widgets.core.model.forms import Form
from widgets.core.model.stages import STAGE_ORDER, Stage

ACNE_NECROTICA = "acne necrotica"
"""The slide name that shows acne necrotica at a chosen stage and form."""

PRACTICE_SLIDES: tuple[tuple[str, str | None], ...] = tuple(
    (stage.value, form.value)
    for stage in STAGE_ORDER
    for form in Form
    if not (stage is Stage.SCARRED and form is Form.MILIARIS)
) + tuple((condition, None) for condition in CONDITIONS)
"""The unknown slides drawn in practice: (answer, form) for every stage and form that
occurs (a scar belongs to the varioliformis form), and every comparison condition."""

ANSWERS: tuple[str, ...] = tuple(stage.value for stage in STAGE_ORDER) + CONDITIONS
"""Everything a learner can name an unknown slide: a stage of acne necrotica or a condition."""


def answer_label(answer: str) -> str:
    """How a practice answer is shown: 'early' -> 'Acne necrotica: early'."""
    if answer in CONDITIONS:
        return answer.capitalize()
    return f"{ACNE_NECROTICA.capitalize()}: {Stage(answer).value}"
