"""Practice sets for self-learners: other cases in the graded quizzes' formats, checked at once.

Differentials: vignettes drawn from the knowledge base with public seeds (the
graded quiz's cases are not among them).  Treatment: two patients of their own.
Histology: other unknown slides.  The practice widget scores them with the same
functions as the graded quizzes and shows each explanation after the answer is
committed.
"""

from widgets.core.assessment.bank import mechanism, treatment
from widgets.core.assessment.items import BestMatch, Case, Estimate, Quiz
from widgets.core.assessment.variants import drawn_cases

PRACTICE_SEED = 7
"""Public seed of the practice vignettes (instructors' variants use secret ones)."""

CASES_PER_SET = 3

TREATMENT_CASES = (
    Case(
        "practice1",
        "Practice case 1",
        "A 52-year-old man has had itchy crusted pustules along his frontal hairline for a year; "
        "acne necrotica miliaris was diagnosed clinically. He has tried nothing but his usual "
        'shampoo and asks for "tablets to get rid of it". He takes no medicines.',
        (
            treatment.plan(
                "practice1",
                {"topical treatment": 1.0, "general measures only": 0.5},
                "Topical treatment is the usual first line for the miliaris form [1, 3]; oral "
                "tetracyclines are the first systemic step, for disease that does not respond "
                "[1, 3]. Half credit for general measures only (mild shampoo, no picking, "
                "antihistamine for itch [2, 3]).",
            ),
            treatment.drugs(
                "practice1",
                {
                    "doxycycline": treatment.SAFE,
                    "topical clindamycin": treatment.SAFE,
                    "long-term oral prednisolone": treatment.STEROID_LONG_TERM,
                },
                "Nothing in his history contraindicates doxycycline (advise sun protection [48, "
                "51]) or a topical clindamycin [1, 3]; long-term oral steroids are not curative "
                "and carry long-term harms [2, 61, 62].",
            ),
        ),
    ),
    Case(
        "practice2",
        "Practice case 2",
        "A 40-year-old man who weighs 80 kg has acne necrotica varioliformis with new pitted scars "
        "despite topical treatment and five months of doxycycline 100 mg a day, which he still "
        "takes. You agree to start isotretinoin, off-label.",
        (
            Estimate(
                "practice2_dose_mg_per_day",
                "His starting daily dose of isotretinoin, in mg per day.",
                2,
                "mg/day",
                (0, 200),
                (36, 44),
                (20, 80),
                40,
                "At the 0.5 mg/kg/day reported for acne necrotica [1], 40 mg a day at 80 kg; full "
                "credit from 36 to 44 mg, half from 20 to 80 mg (long-term low doses [3]; the acne "
                "label runs to 1 mg/kg/day [56]).",
            ),
            treatment.drugs(
                "practice2",
                {
                    "doxycycline": treatment.TETRACYCLINE_WITH_ISOTRETINOIN,
                    "ketoconazole shampoo": treatment.SAFE,
                },
                "A tetracycline with isotretinoin raises intracranial pressure [57, 60], so "
                "doxycycline stops; no interaction is named for a ketoconazole shampoo [3].",
            ),
            treatment.checks(
                "practice2",
                {"fasting lipids": 0.5, "liver transaminases": 0.5},
                "Isotretinoin raises lipids and transaminases: check both at baseline and during "
                "treatment [58, 59]. Pregnancy prevention does not apply to him [54].",
            ),
        ),
    ),
)

PRACTICE_SLIDES = (("Slide P", 4, 41), ("Slide Q", 9, 42), ("Slide R", 12, 43))
"""Unknown slides for practice: other deck entries than the graded quiz's."""


def _slide_items() -> tuple[BestMatch, ...]:
    from widgets.core.histology.practice import PRACTICE_SLIDES as DECK

    items = []
    for name, index, _ in PRACTICE_SLIDES:
        answer, form = DECK[index]
        options = mechanism.SLIDE_DIAGNOSES if form is None else mechanism.STAGES
        what = "diagnosis" if form is None else "stage of acne necrotica"
        items.append(
            BestMatch(
                f"{name.lower().replace(' ', '_')}",
                f"{name}: which {what} does it show?",
                1,
                options,
                {answer: 1.0},
                f"{name} was drawn as {answer}. Compare it with the labelled slide in the slide "
                "viewer's explore mode, finding by finding [2, 5, 12, 23, 30].",
            )
        )
    return tuple(items)


def practice_quiz(name: str) -> Quiz:
    """The practice set ``name``: "differentials", "treatment" or "histology"."""
    if name == "differentials":
        cases = drawn_cases(PRACTICE_SEED, CASES_PER_SET)
        return Quiz("practice-differentials", "Practice · differential diagnosis", "", {}, cases)
    if name == "treatment":
        return Quiz("practice-treatment", "Practice · choosing treatment", "", {}, TREATMENT_CASES)
    if name == "histology":
        case = Case(
            "slides", "Unknown slides", "Three unlabelled schematic biopsies.", _slide_items()
        )
        return Quiz("practice-histology", "Practice · histology", "", {}, (case,))
    raise ValueError(
        f'unknown practice set {name!r}; choose "differentials", "treatment" or "histology"'
    )


PRACTICE_SETS = ("differentials", "treatment", "histology")
