"""What one acne necrotica lesion looks like at each clinical stage, and which stage a model day shows.

The facts follow the clinical-appearance brief's "stage -> what to draw" table
(§6) with its references (numbers as in ``references.toml``); every detail no
source gives is listed in ``assumptions`` and shown by the view as a course
assumption.  The model's stages (:mod:`widgets.core.model.stages`) are coarser:
:func:`clinical_stage_on` says which clinical stage a simulated day shows.
"""

from dataclasses import dataclass
from enum import Enum

import numpy as np

from widgets.core.choices import one_of
from widgets.core.model.forms import Form
from widgets.core.model.stages import STAGE_ORDER, Stage


class ClinicalStage(str, Enum):
    """A stage as a clinician sees it; the value is the plain-text name used in widgets."""

    NORMAL = "normal scalp"
    PAPULE = "follicular papule"
    UMBILICATED = "umbilicated papule"
    NECROSIS = "central necrosis"
    CRUST = "adherent crust"
    EXCORIATED = "excoriated"
    HEALED = "healed"

    @property
    def label(self) -> str:
        """'follicular papule' -> 'Follicular papule'."""
        return self.value[0].upper() + self.value[1:]


CLINICAL_ORDER: tuple[ClinicalStage, ...] = tuple(ClinicalStage)
LESION_STAGES: tuple[ClinicalStage, ...] = CLINICAL_ORDER[1:]
"""The stages with a lesion (everything but normal scalp)."""

SHADES = ("darker", "paler")
"""How a healed spot compares with the skin: pink or hyperpigmented, or hypopigmented."""

PAPULE_DAYS = 3
"""Days an early lesion stays a plain papule before it umbilicates ("day 0-2", brief §6)."""
EXCORIATION_SCRATCHING = 0.7
"""Model scratching at or above which a crusted day is drawn excoriated (course assumption)."""


@dataclass(frozen=True)
class StageFacts:
    """What to draw at one stage: name per form, size, refs, decisive findings, assumptions."""

    stage: ClinicalStage
    term: str
    """The morphology term, e.g. 'umbilicated papulopustule'."""
    diameter_mm: dict[Form, tuple[float, float]]
    refs: tuple[int, ...]
    decisive: str
    """The findings that identify this stage, for practice feedback (with citations)."""
    assumptions: tuple[str, ...]
    term_by_form: dict[Form, str] | None = None
    form_visible: bool = False
    """Whether the form (miliaris or varioliformis) can be told from this stage alone."""

    def name(self, form: Form) -> str:
        """The morphology term in ``form``: a vesicopustule in miliaris, for instance."""
        return (self.term_by_form or {}).get(form, self.term)


def _both(low: float, high: float) -> dict[Form, tuple[float, float]]:
    return {form: (low, high) for form in Form}


_LESION_SIZE = {Form.MILIARIS: (2.0, 3.0), Form.VARIOLIFORMIS: (3.0, 5.0)}
_SIZE_SPLIT = (
    "Size within 2-5 mm [2, 7]: miliaris drawn at 2-3 mm, varioliformis at 3-5 mm "
    "('larger follicular spots' [3])."
)

FACTS: dict[ClinicalStage, StageFacts] = {
    ClinicalStage.NORMAL: StageFacts(
        ClinicalStage.NORMAL,
        "normal scalp",
        _both(0.0, 0.0),
        (),
        "No lesion: follicular openings with their hairs, evenly spaced.",
        (),
    ),
    ClinicalStage.PAPULE: StageFacts(
        ClinicalStage.PAPULE,
        "follicular papule",
        _both(1.0, 2.0),
        (5, 6),
        "A small (1-2 mm) dome-shaped papule centred on a follicle, red and oedematous on light "
        "skin, darker or violaceous on dark skin, without a dimple or a dark centre [5, 6, 89].",
        (
            "A soft halo that fades into the skin.",
            "One hair emerging through the papule's centre (borrowed from folliculitis [87]).",
        ),
    ),
    ClinicalStage.UMBILICATED: StageFacts(
        ClinicalStage.UMBILICATED,
        "umbilicated papulopustule",
        _LESION_SIZE,
        (2, 3, 4, 7),
        "A central dimple (umbilication) in a 2-5 mm papule; in miliaris a tiny tense "
        "vesicopustule, in varioliformis a larger umbilicated papulopustule [2, 3, 4, 7].",
        (
            "A small yellow-white centre (pus is scant [13]).",
            "A fairly well-defined border.",
            _SIZE_SPLIT,
            "One hair emerging centrally, as in the papule.",
        ),
        term_by_form={
            Form.MILIARIS: "vesicopustule",
            Form.VARIOLIFORMIS: "umbilicated papulopustule",
        },
        form_visible=True,
    ),
    ClinicalStage.NECROSIS: StageFacts(
        ClinicalStage.NECROSIS,
        "central necrosis",
        _LESION_SIZE,
        (2, 3, 7, 12),
        "An umbilicated papule with a dark, dry grey-black centre, within a few days of "
        "onset [2, 7, 12].",
        (
            "The centre's grey-black colour ('blackened' [3]) and its dryness.",
            "The central hair broken off (the follicle is destroyed [8]).",
            _SIZE_SPLIT,
        ),
    ),
    ClinicalStage.CRUST: StageFacts(
        ClinicalStage.CRUST,
        "adherent haemorrhagic crust",
        _LESION_SIZE,
        (2, 3, 7, 11),
        "A round, hard, adherent crust, black, dark red or yellow-brown, capping the lesion "
        "on a narrow inflamed rim; it stays for 3-4 weeks [2, 3, 7, 11].",
        (
            "Crust diameter about that of the lesion, with a sharp edge.",
            "No hair through the crust.",
            "The same crust colour on every skin tone (it is dried blood, not melanin); only "
            "the rim changes.",
        ),
    ),
    ClinicalStage.EXCORIATED: StageFacts(
        ClinicalStage.EXCORIATED,
        "excoriation",
        _both(3.0, 5.0),
        (6, 74, 98),
        "Linear or angular erosions, some crusted, from scratching; they hide the primary "
        "papule [6, 74, 98].",
        (
            "Erosion length 3-5 mm and width 0.3-0.6 mm.",
            "A margin darker than the skin on dark skin.",
            "Broken hairs beside the erosions.",
        ),
    ),
    ClinicalStage.HEALED: StageFacts(
        ClinicalStage.HEALED,
        "healed lesion",
        {Form.MILIARIS: (2.0, 3.0), Form.VARIOLIFORMIS: (2.0, 5.0)},
        (3, 4, 5, 8, 11, 12, 72),
        "Miliaris heals without a scar: a flat macule (or nothing) with its hair kept [4, 11]. "
        "Varioliformis leaves a round, sharply edged, punched-out pit, shiny, without follicular "
        "openings and without hair [3, 5, 12, 72, 100].",
        (
            "A healed miliaris spot drawn faint pink on light skin.",
            "Scar diameter 1-5 mm, matching the lesion ('pinhead to match-head' [8]).",
            "The depth of the pit, shown by shading only.",
        ),
        term_by_form={
            Form.MILIARIS: "macule without scar",
            Form.VARIOLIFORMIS: "varioliform scar",
        },
        form_visible=True,
    ),
}
"""What to draw at each stage (brief §6)."""

GENERAL_ASSUMPTIONS = (
    "A parted 10 x 10 mm patch of scalp, seen from above with the hair combed away from the "
    "lesion; hair length, direction and colour are invented.",
    "Follicular units of 1-4 hairs, mostly 2-3 (as in the scarred case [8]), about 1 mm apart.",
    "Every colour is the course's choice after the brief's words, not a measurement.",
    "The skin-of-colour rules come from general dermatology and are applied to acne necrotica by "
    "analogy: no source describes acne necrotica on a stated dark phototype [7, 8].",
)
"""Course assumptions that hold for every stage."""

ILLUSTRATION_NOTE = (
    "Illustration drawn by the course, not a photograph. Sizes and colours follow the "
    "clinical-appearance brief; details no source gives are course assumptions, listed below."
)


def stage_facts(stage: ClinicalStage | str) -> StageFacts:
    """The facts for ``stage`` (a :class:`ClinicalStage` or its name)."""
    return FACTS[as_stage(stage)]


def as_stage(stage: ClinicalStage | str) -> ClinicalStage:
    """``stage`` as a :class:`ClinicalStage`; a misspelt name gets an error listing the names."""
    return ClinicalStage(one_of(stage, ClinicalStage, "clinical stage"))


def as_form(form: Form | str) -> Form:
    """``form`` as a :class:`Form`; a misspelt name gets an error listing the forms."""
    return Form(one_of(form, Form, "form"))


def as_shade(shade: str) -> str:
    """``shade`` checked against :data:`SHADES`."""
    return one_of(shade, SHADES, "healed shade")


@dataclass(frozen=True)
class ClinicalDay:
    """What the clinical view shows for one model day."""

    stage: ClinicalStage
    form: Form
    shade: str = "darker"


def days_in_stage(stage_codes: np.ndarray, day: int) -> int:
    """How many days (0 = the first) the model has been in its ``day``'s stage."""
    codes = np.asarray(stage_codes)[: day + 1]
    changes = np.flatnonzero(codes != codes[-1])
    return int(day - changes[-1] - 1) if changes.size else int(day)


def clinical_stage_on(
    stage: Stage | str, form: Form | str, days_in: int = 0, scratching: float = 0.0
) -> ClinicalDay:
    """The clinical picture of a model day: its ``stage``, ``form``, days into it and scratching.

    Early days are a papule for :data:`PAPULE_DAYS` days, then umbilicated; a
    crusted day with scratching at or above :data:`EXCORIATION_SCRATCHING` is
    drawn excoriated; a healing day is a recent (pink or pigmented) healed spot,
    a scarred day an old (paler) one.
    """
    stage = Stage(one_of(stage, STAGE_ORDER, "stage"))
    form = as_form(form)
    if stage is Stage.QUIET:
        return ClinicalDay(ClinicalStage.NORMAL, form)
    if stage is Stage.EARLY:
        early = ClinicalStage.PAPULE if days_in < PAPULE_DAYS else ClinicalStage.UMBILICATED
        return ClinicalDay(early, form)
    if stage is Stage.NECROTIC:
        return ClinicalDay(ClinicalStage.NECROSIS, form)
    if stage is Stage.CRUSTED:
        crust = (
            ClinicalStage.EXCORIATED
            if scratching >= EXCORIATION_SCRATCHING
            else ClinicalStage.CRUST
        )
        return ClinicalDay(crust, form)
    shade = "darker" if stage is Stage.HEALING else "paler"
    return ClinicalDay(ClinicalStage.HEALED, form, shade)
