"""Planner rules keep patients safe; the planner widget shows them and runs plans through the model."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from widgets.core.knowledge import (
    PRIOR_FAILURES,
    SEVERITIES,
    Patient,
    combination_problems,
    plan_treatment,
)

TETRACYCLINES = ("doxycycline", "minocycline")
AVAILABLE = ("suggested", "consider")

patients = st.builds(
    Patient,
    age=st.integers(0, 120),
    pregnant_or_possibly=st.booleans(),
    breastfeeding=st.booleans(),
    severity=st.sampled_from(SEVERITIES),
    prior_failure=st.sampled_from(PRIOR_FAILURES),
    outdoor_work=st.booleans(),
)


@settings(max_examples=150, deadline=None)
@given(patients)
def test_pregnancy_always_blocks_tetracyclines_and_isotretinoin(patient):
    plan = plan_treatment(patient)
    for treatment_id in TETRACYCLINES + ("isotretinoin",):
        option = plan.option(treatment_id)
        if patient.pregnant_or_possibly:
            assert option.status == "blocked"
            assert any(note.blocking and "regnan" in note.text for note in option.notes)
            assert option not in plan.with_status(*AVAILABLE)


@settings(max_examples=150, deadline=None)
@given(patients)
def test_children_under_eight_never_get_a_tetracycline(patient):
    plan = plan_treatment(patient)
    for treatment_id in TETRACYCLINES:
        option = plan.option(treatment_id)
        assert (option.status == "blocked") >= (patient.age < 8)
        if patient.age < 8:
            assert any(note.blocking and "8 years" in note.text for note in option.notes)


def test_seven_year_old_with_severe_disease_gets_no_tetracycline():
    plan = plan_treatment(Patient(age=7, severity="severe", prior_failure="topical treatment"))
    assert all(plan.option(t).blocked for t in TETRACYCLINES)
    assert plan.option("topical-antibiotic").status == "suggested"


def test_isotretinoin_with_a_tetracycline_is_flagged_as_blocking():
    problems = combination_problems(["doxycycline", "isotretinoin"])
    assert len(problems) == 1 and problems[0].blocking
    assert "intracranial pressure" in problems[0].text
    assert combination_problems(["isotretinoin", "minocycline", "topical-antibiotic"])
    assert combination_problems(["doxycycline", "topical-corticosteroid"]) == ()


def test_outdoor_worker_gets_the_photosensitivity_warning():
    plan = plan_treatment(Patient(age=40, severity="moderate", outdoor_work=True))
    doxycycline = plan.option("doxycycline")
    assert doxycycline.status == "suggested"
    assert any("Photosensitivity" in note.text and not note.blocking for note in doxycycline.notes)
    indoor = plan_treatment(Patient(age=40, severity="moderate")).option("doxycycline")
    assert not any("Photosensitivity" in note.text for note in indoor.notes)


def test_isotretinoin_only_after_a_tetracycline_failed_and_with_its_requirements():
    assert (
        plan_treatment(Patient(age=30, severity="severe")).option("isotretinoin").status
        == "not yet"
    )
    option = plan_treatment(Patient(age=30, prior_failure="oral tetracycline")).option(
        "isotretinoin"
    )
    assert option.status == "suggested"
    text = " ".join(note.text for note in option.notes) + " ".join(option.treatment.monitoring)
    for needed in (
        "pregnancy-prevention",
        "contraception",
        "lipids",
        "transaminases",
        "blood donation",
        "mood",
    ):
        assert needed in text
    assert (
        plan_treatment(Patient(age=30, prior_failure="oral tetracycline"))
        .option("doxycycline")
        .status
        == "already tried"
    )


def test_systemic_steroids_are_never_simply_suggested_and_say_why():
    for severity in SEVERITIES:
        option = plan_treatment(Patient(age=40, severity=severity)).option(
            "systemic-corticosteroid"
        )
        assert option.status in ("consider", "not yet")
    severe = plan_treatment(Patient(age=40, severity="severe")).option("systemic-corticosteroid")
    assert any("Short courses only" in note.text for note in severe.notes)
    assert any("Long-term use" in check.text for check in severe.checks)


def test_options_not_found_for_acne_necrotica_are_never_suggested():
    plan = plan_treatment(Patient(age=40, severity="severe"))
    assert plan.option("salicylic-acid").status == "not recommended"
    assert plan.option("mupirocin").status == "not recommended"


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(age=-1), "out of range"),
        (dict(age="40"), "whole number"),
        (dict(age=40, severity="very bad"), "unknown severity"),
        (dict(age=40, prior_failure="doxy"), "unknown prior failure"),
        (dict(age=40, breastfeeding="no"), "True or False"),
    ],
)
def test_bad_patient_factors_are_refused_clearly(kwargs, message):
    with pytest.raises((ValueError, TypeError), match=message):
        Patient(**kwargs)


@pytest.fixture
def planner():
    from widgets import TreatmentPlanner

    return TreatmentPlanner()


def test_planner_controls_block_and_unblock_options(planner):
    assert planner.plan.option("doxycycline").status == "not yet"
    planner.severity.value = "moderate"
    assert planner.plan.option("doxycycline").status == "suggested"
    assert "Doxycycline" in planner.summary_text.split("Suggested:")[1]
    planner.choose("doxycycline")
    planner.pregnant.value = True
    assert (
        planner.plan_choices["doxycycline"].disabled
        and not planner.plan_choices["doxycycline"].value
    )
    assert "BLOCKS:" in planner.options_view.value and "Blocked: " in planner.summary_text
    with pytest.raises(ValueError, match="blocked for this patient: Pregnancy"):
        planner.choose("doxycycline")
    planner.pregnant.value = False
    assert not planner.plan_choices["doxycycline"].disabled


def test_planner_flags_a_tetracycline_with_isotretinoin_and_refuses_to_run_it(planner):
    planner.prior_failure.value = "oral tetracycline"
    planner.choose("isotretinoin", "minocycline")
    assert (
        "Not allowed" in planner.plan_warning.value and "intracranial" in planner.plan_warning.value
    )
    planner.run_model()
    assert planner.result is None and "never be combined" in planner.result_view.value


def test_running_a_plan_shows_follicles_lost_and_scar_against_untreated(planner):
    planner.severity.value = "moderate"
    planner.choose("doxycycline", "topical-antibiotic")
    assert [bar.get_height() for bar in planner.bars] == [0, 0, 0, 0]
    planner.run_button.click()
    untreated, planned = planner.result
    heights = [bar.get_height() for bar in planner.bars]
    assert heights == pytest.approx(
        [
            untreated.follicles_lost_pct,
            planned.follicles_lost_pct,
            untreated.scar_area_pct,
            planned.scar_area_pct,
        ]
    )
    assert planned.follicles_lost_pct < untreated.follicles_lost_pct
    assert planner.progress.value == planner.progress.max
    assert (
        "Teaching model" in planner.summary_text and "not calibrated" in planner.result_view.value
    )
    planner.start_day.value = 200
    assert planner.result is None and [bar.get_height() for bar in planner.bars] == [0, 0, 0, 0]


def test_running_an_empty_plan_asks_for_a_choice(planner):
    planner.run_model()
    assert planner.result is None and "Tick at least one" in planner.result_view.value


def test_planner_refuses_an_impossible_age():
    from widgets import TreatmentPlanner

    with pytest.raises(ValueError, match="age 200 is out of range"):
        TreatmentPlanner(age=200)


def test_planner_refuses_unknown_treatments(planner):
    with pytest.raises(KeyError, match="did you mean 'doxycycline'"):
        planner.choose("doxycyclin")
