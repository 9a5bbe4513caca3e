"""Case quiz 3 (mechanism and histology), as data.

Questions 1-3 are answered by operating the cycle explorer on one model patient
and reading directions and ranges, never exact model numbers; question 4 by
looking at three unlabelled slides (their text alternative says what is drawn,
not what it means).  Every answer is one choice kept from a pre-filled list.
``tests/test_quiz3_answers.py`` recomputes every key from the model and the slides.
"""

from widgets.core.assessment.items import BestMatch, Case, Quiz, Task
from widgets.core.histology.findings import CONDITIONS as SLIDE_CONDITIONS
from widgets.core.model.stages import STAGE_ORDER

SEED = 0
LOSS_LIMIT_PCT = 5
STOP_DAY = 120
START_WINDOWS = (
    "within the first month (day 0 to 30)",
    "in the second or third month (day 31 to 90)",
    "in the fourth to sixth month (day 91 to 180)",
    "after day 180",
    "never: the start day makes no difference",
)
START_WINDOW_DAYS = ((0, 30), (31, 90), (91, 180), (181, 365))
"""The days each of the first four windows covers (the last option has none)."""

STAGES = tuple(stage.value for stage in STAGE_ORDER)
SLIDE_DIAGNOSES = (
    "acne necrotica miliaris",
    "acne necrotica varioliformis",
    *SLIDE_CONDITIONS,
)
BACTERIA_OUTCOMES = (
    "higher with the steroid alone, lower with the antibiotic added",
    "lower with the steroid alone, lower still with the antibiotic added",
    "unchanged with the steroid alone, lower with the antibiotic added",
    "higher with the steroid alone, higher still with the antibiotic added",
)
RELAPSE_REASONS = (
    "the drug only slows the bacteria while it is taken, and flares keep coming",
    "the bacteria become resistant to the drug",
    "stopping the drug sets off a rebound surge of inflammation",
    "the drug destroys the follicles it protects",
)
QUIZ_SLIDES = (("Slide A", 7, 31), ("Slide B", 2, 32), ("Slide C", 11, 33))
"""(name, index into the slide viewer's practice deck, drawing seed) of each quiz slide."""

MODEL_NOTE = (
    "**About the model.** The model is a teaching model, not a calibrated one: it shows the "
    "direction of an effect, never a prediction for a patient. Its inflammation core (bacteria, "
    "inflammatory effectors, tissue damage and anti-inflammatory tone) follows Reynolds et al. "
    "2006 [M1]; its fibrosis switch is reduced from Adler et al. 2020 [M2]; follicle loss, scarring, the flare schedule, scratching and every drug effect are "
    "invented for teaching and fitted to no patient data."
)

EXPLORER_CODE = """if EXPLORING:
    from widgets import CycleExplorer

    display(CycleExplorer(form="varioliformis", severity=0.9, scratching=0.5,
                          treatment="oral tetracycline", start_day=0, seed=SEED))"""

SLIDES_CODE = """if EXPLORING:
    from widgets.views.quiz_slides import show_quiz_slides

    show_quiz_slides(QUIZ_SLIDES)"""


def choice(name: str, prompt: str, points: float, options, credit, explanation) -> BestMatch:
    return BestMatch(name, prompt, points, tuple(options), credit, explanation)


MODEL_CASE = Case(
    "model",
    "The model patient (questions 1 to 3)",
    "One model patient: the **varioliformis** form (deep necrosis, so lost follicles scar), flare "
    "severity 0.9, scratching 0.5 (on a scale from 0, none, to 1, constant), followed for 365 days, "
    "with the flare schedule of seed 0. The cycle explorer below is set to this patient; change "
    "its treatment, start day and course length with its controls, and watch the bacteria, the "
    "damage at the follicle and the follicles that stay viable.\n\n" + MODEL_NOTE,
    (
        choice(
            "q1_latest_start",
            "**Question 1 · How late is too late?** The patient takes an oral tetracycline from a "
            "start day to the end of the year. Move the start day: in which window is the "
            f"**latest** start that still keeps the follicles lost below {LOSS_LIMIT_PCT}% by day "
            "365? Keep one.",
            2,
            START_WINDOWS,
            {START_WINDOWS[1]: 1.0},
            "In the model the latest such start is around day 80, in the second or third month: "
            "each flare that comes before the tetracycline starts is not controlled, and its "
            "follicle loss is kept, so the loss climbs in steps with each flare before the start "
            "day. The window, not the day, is what the model can teach: it is not calibrated.",
        ),
        choice(
            "q2_bacteria",
            "**Question 2 · A steroid without an antibiotic.** Systemic corticosteroids damp "
            "inflammation but do not cure acne necrotica [2]. Compare the bacterial load over the "
            "year with a systemic corticosteroid from day 0, and with the same steroid plus an oral "
            "tetracycline from day 0, against the untreated patient (a load within about 10% of "
            "the untreated one counts as unchanged). Keep one.",
            2,
            BACTERIA_OUTCOMES,
            {BACTERIA_OUTCOMES[0]: 1.0},
            "In the model a steroid raises the anti-inflammatory tone, which damps the inflammatory "
            "effectors that also clear bacteria, so the load rises; the antibiotic added lowers it "
            "below the untreated load. This is the model's mechanism, consistent with the sources' "
            "advice that steroids are not curative [2].",
        ),
        choice(
            "q3_relapse_reason",
            "**Question 3 · Why stopping early relapses.** The patient takes an oral tetracycline "
            f"from day 0 and stops on day {STOP_DAY}. Lesions are rare while the drug is taken and "
            "come back after it stops. Which reason does **the model** give? Keep one.",
            2,
            RELAPSE_REASONS,
            {RELAPSE_REASONS[0]: 1.0},
            "In the model the drug slows bacterial growth only while it is taken, and its effect "
            "wears off within days; the flare schedule does not change, so the next flare after "
            "stopping brings lesions back. The model has no resistance and no rebound. In the "
            "sources the disease relapses over years, and long-term use with relapse on stopping "
            "is implied; no defined treatment duration was found [3, 5, 14].",
        ),
    ),
)

SLIDE_CASE = Case(
    "slides",
    "Question 4 · Virtual biopsies",
    "Three schematic scalp biopsies in H&E colours, drawn by the course without labels (the set-up "
    "below draws them, each with a text description of what is drawn). Cells are drawn about four "
    "times life size. The slide viewer of the histology lesson (`from widgets import SlideViewer`) "
    "shows every stage with labels if you want to compare. **Slides A and B** are biopsies of acne "
    "necrotica; **slide C** comes from a patient with crusted follicular lesions of the scalp.",
    (
        choice(
            "q4_slide_a_stage",
            "The stage slide A shows. Keep one.",
            1,
            STAGES,
            {"crusted": 1.0, "necrotic": 0.5},
            "A crust on the surface over a necrotic follicular unit with a mixed infiltrate is the "
            "crusted stage [2, 12]. Half credit for necrotic, the stage before it, whose necrosis "
            "the slide still shows [2, 11].",
        ),
        choice(
            "q4_slide_b_stage",
            "The stage slide B shows. Keep one.",
            1,
            STAGES,
            {"early": 1.0},
            "A perifollicular lymphocytic infiltrate with spongiosis and scattered necrotic "
            "keratinocytes in the follicle, without a crust, is the early lesion, the "
            "'necrotizing lymphocytic folliculitis' pattern [2, 5, 12].",
        ),
        choice(
            "q4_slide_c_diagnosis",
            "The diagnosis slide C shows. Keep one.",
            2,
            SLIDE_DIAGNOSES,
            {"folliculitis decalvans": 1.0, "bacterial folliculitis": 0.5},
            "Neutrophils in the follicle lumen, a tuft of hair shafts from one opening, and "
            "lymphocytes and plasma cells around the follicles are folliculitis decalvans [23]. "
            "Half credit for bacterial folliculitis: neutrophil-rich lesions favour either, but "
            "the tuft points to folliculitis decalvans [23, 39].",
        ),
    ),
    Task(
        "q5_justification",
        "**Question 5 · Does the model prove that early treatment saves hair?** In three to six "
        "sentences: explain **how the model** makes a later start lose more follicles in the "
        "varioliformis form (question 1), and say **how far this supports** the advice to treat "
        "acne necrotica early in patients.",
        3,
        "In the model each flare inoculates the follicle with bacteria; the response that clears "
        "them also damages tissue, and in the deep varioliformis form damage above a threshold "
        "kills follicles for good, while a fibrosis switch turns them into scar. A flare before the "
        "start is not controlled, so loss climbs flare by flare. Lost follicles do not regrow in "
        "patients either [21]. But the model is didactic, not calibrated, and no evidence for acne "
        "necrotica was found that early treatment preserves hair; the treatment evidence is case "
        "reports and expert advice [1, 2, 3, 6, 7].",
        (
            "1 point: the mechanism (uncontrolled flares before the start destroy follicles "
            "irreversibly; loss accumulates flare by flare); half a point without the "
            "irreversibility.",
            "1 point: the model's status (didactic, not calibrated; which parts come from "
            "Reynolds 2006 and Adler 2020, or that follicle loss and drugs are invented); half a "
            "point for 'only a model'.",
            "1 point: the evidence (plausible but no acne necrotica evidence; case reports and "
            "expert advice [1, 2, 3, 6, 7]); half a point for either half.",
            "No credit for presenting the model's numbers as predictions for patients.",
        ),
    ),
    explore=SLIDES_CODE,
)

INTRODUCTION = (
    "Questions about how an acne necrotica lesion evolves: three answered by operating the "
    "course's teaching model of the disease in the cycle explorer, one by looking at virtual "
    "biopsy slides, and a short written answer. No code to write: explore with the widgets, then "
    "delete the options you do not choose in the answer cells."
)

QUIZ = Quiz(
    "case-quiz-3-mechanism-histology",
    "Case quiz 3 · Mechanism and histology",
    INTRODUCTION,
    {
        "START_WINDOWS": START_WINDOWS,
        "BACTERIA_OUTCOMES": BACTERIA_OUTCOMES,
        "RELAPSE_REASONS": RELAPSE_REASONS,
        "STAGES": STAGES,
        "SLIDE_DIAGNOSES": SLIDE_DIAGNOSES,
    },
    (
        Case(
            MODEL_CASE.key,
            MODEL_CASE.title,
            MODEL_CASE.vignette,
            MODEL_CASE.items,
            explore=EXPLORER_CODE,
        ),
        SLIDE_CASE,
    ),
    references=(1, 2, 3, 5, 6, 7, 11, 12, 14, 21, 23, 39),
    model_sources=(
        "[M1] Reynolds A, Rubin J, Clermont G, Day J, Vodovotz Y, Ermentrout GB. A reduced "
        "mathematical model of the acute inflammatory response: I. Derivation of model and "
        "analysis of anti-inflammation. J Theor Biol 2006;242:220–236. "
        "doi:10.1016/j.jtbi.2006.02.016",
        "[M2] Adler M, Mayo A, Zhou X, Franklin RA, Meizlish ML, Medzhitov R, Kallenberger SM, "
        "Alon U. Principles of cell circuits for tissue repair and fibrosis. iScience "
        "2020;23(2):100841. doi:10.1016/j.isci.2020.100841",
    ),
    constants={
        "SEED": SEED,
        "LOSS_LIMIT_PCT": LOSS_LIMIT_PCT,
        "STOP_DAY": STOP_DAY,
        "QUIZ_SLIDES": QUIZ_SLIDES,
    },
)
