"""Quiz 3's keys are plain literals: check they still equal what the model and the slides give.

The hidden tests of ``case-quiz-3-mechanism-histology`` are generated from the
assessment data (``widgets.core.assessment.bank.mechanism``) with literal keys, so
a change to the disease model or the slide deck could silently make a key wrong.
These tests recompute every key from the model and the slides.
"""

import numpy as np

from widgets.core.assessment.bank import mechanism as quiz3
from widgets.core.histology import CONDITIONS
from widgets.core.knowledge import load_knowledge
from widgets.core.model import (
    ACTIVE_STAGES,
    STAGE_ORDER,
    Drug,
    Scenario,
    Treatment,
    simulate,
    sweep_start_day,
)
from widgets.views.quiz_slides import quiz_scene

UNCHANGED_BAND = 0.1
"""Question 2 counts a mean bacterial load within 10% of the untreated one as unchanged."""

PATIENT = dict(form="varioliformis", severity=0.9, scratching=0.5, days=365)
UNTREATED = Scenario(**PATIENT)


def key(name: str) -> str:
    return quiz3.QUIZ.item(name).key


def test_q1_window_holds_the_models_latest_start_day():
    scenario = Scenario(**PATIENT, treatments=(Treatment("oral tetracycline", 0),))
    losses = sweep_start_day(scenario, range(0, 366), seed=quiz3.SEED)
    latest = int(np.nonzero(losses < quiz3.LOSS_LIMIT_PCT)[0].max())
    assert np.all(losses[: latest + 1] < quiz3.LOSS_LIMIT_PCT), "an earlier start loses too much"
    (window,) = [
        option
        for option, (low, high) in zip(quiz3.START_WINDOWS, quiz3.START_WINDOW_DAYS)
        if low <= latest <= high
    ]
    assert key("q1_latest_start") == window
    low, high = quiz3.START_WINDOW_DAYS[quiz3.START_WINDOWS.index(window)]
    assert min(latest - low, high - latest) >= 5, "the model's day sits too near a window's edge"


def _relation(value: float, reference: float) -> str:
    if value > (1 + UNCHANGED_BAND) * reference:
        return "higher"
    if value < (1 - UNCHANGED_BAND) * reference:
        return "lower"
    return "unchanged"


def test_q2_bacterial_outcome_is_the_models():
    seed = quiz3.SEED
    untreated = simulate(UNTREATED, seed).bacteria.mean()
    steroid_only = Scenario(**PATIENT, treatments=(Treatment("systemic corticosteroid", 0),))
    both = Scenario(
        **PATIENT,
        treatments=(Treatment("systemic corticosteroid", 0), Treatment("oral tetracycline", 0)),
    )
    steroid = simulate(steroid_only, seed).bacteria.mean()
    combined = simulate(both, seed).bacteria.mean()
    outcomes = quiz3.BACTERIA_OUTCOMES
    holds = {
        outcomes[0]: _relation(steroid, untreated) == "higher"
        and _relation(combined, untreated) == "lower",
        outcomes[1]: _relation(steroid, untreated) == "lower" and combined < steroid,
        outcomes[2]: _relation(steroid, untreated) == "unchanged"
        and _relation(combined, untreated) == "lower",
        outcomes[3]: _relation(steroid, untreated) == "higher" and combined > steroid,
    }
    assert [outcome for outcome, true in holds.items() if true] == [key("q2_bacteria")]


def test_q3_relapse_comes_with_the_next_flare_not_from_stopping():
    seed, stop = quiz3.SEED, quiz3.STOP_DAY
    stopped_scenario = Scenario(**PATIENT, treatments=(Treatment("oral tetracycline", 0, stop),))
    stopped, untreated = simulate(stopped_scenario, seed), simulate(UNTREATED, seed)
    active_codes = [STAGE_ORDER.index(stage) for stage in ACTIVE_STAGES]
    active = np.isin(stopped.stage_codes, active_codes)
    untreated_active = np.isin(untreated.stage_codes, active_codes)
    next_flare = stopped.flare_days[stopped.flare_days > stop].min()
    assert np.array_equal(stopped.flare_days, untreated.flare_days)
    assert active[: stop + 1].sum() < untreated_active[: stop + 1].sum()
    assert not active[stop + 1 : int(np.ceil(next_flare))].any()
    assert active[int(np.ceil(next_flare)) :].any()
    assert Drug.ORAL_TETRACYCLINE.effect.offset_days <= 7
    assert key("q3_relapse_reason") == quiz3.RELAPSE_REASONS[0]


def test_q4_slides_show_the_stages_and_diagnosis_the_keys_expect():
    answers = [quiz_scene(index, seed).answer for _, index, seed in quiz3.QUIZ_SLIDES]
    assert [key("q4_slide_a_stage"), key("q4_slide_b_stage"), key("q4_slide_c_diagnosis")] == (
        answers
    )


def test_allowed_choices_match_the_course_vocabularies():
    assert list(quiz3.STAGES) == [stage.value for stage in STAGE_ORDER]
    assert set(quiz3.SLIDE_DIAGNOSES) <= set(load_knowledge().conditions)
    assert set(CONDITIONS) <= set(quiz3.SLIDE_DIAGNOSES)


def test_quiz_slide_descriptions_do_not_name_the_findings():
    from widgets.core.histology.describe import View, summary
    from widgets.core.histology.scene import SECTION_EXTENT

    names = {
        "neutrophils",
        "lymphocytes",
        "necrosis",
        "crust",
        "spongiosis",
        "plasma cells",
        "hair tuft",
        "fibrosis",
        "crusted",
        "early",
        "folliculitis",
    }
    for _, index, seed in quiz3.QUIZ_SLIDES:
        text = summary(quiz_scene(index, seed), View(*SECTION_EXTENT), mode="quiz").lower()
        findings = text.split("findings in view:")[1].split("structures in view")[0]
        assert not {name for name in names if name in findings}, findings
