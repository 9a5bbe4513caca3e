"""Planner rules keep patients safe; the planner widget shows them and runs plans through the model."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from widgets.core.knowledge import (
    PRIOR_FAILURES,
    SEVERITIES,
    Patient,
    combination_problems,
    load_knowledge,
    plan_treatment,
)

KNOWLEDGE = load_knowledge()
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


@settings(max_examples=150, deadline=None)
@given(patients)
def test_every_tetracycline_advises_sun_protection_to_every_patient(patient):
    """The brief advises sun protection for everyone taking one, not only outdoor workers."""
    plan = plan_treatment(patient)
    for treatment_id in TETRACYCLINES:
        advice = [
            note
            for note in plan.option(treatment_id).notes
            if note.text.startswith("Photosensitivity")
            and "sun protection to everyone" in note.text
            and not note.blocking
        ]
        assert len(advice) == 1, treatment_id
        assert {48, 49, 51} <= set(advice[0].refs)


def test_outdoor_work_only_stresses_the_sun_protection_everyone_gets():
    indoor = plan_treatment(Patient(age=40, severity="moderate")).option("doxycycline")
    outdoor = plan_treatment(Patient(age=40, severity="moderate", outdoor_work=True)).option(
        "doxycycline"
    )
    assert indoor.status == outdoor.status == "suggested"
    assert any("Photosensitivity" in note.text for note in indoor.notes)
    extra = set(outdoor.notes) - set(indoor.notes)
    assert len(extra) == 1 and "sun protection" in extra.pop().text


@settings(max_examples=150, deadline=None)
@given(patients)
def test_breastfeeding_always_blocks_isotretinoin_and_tetracyclines(patient):
    plan = plan_treatment(patient)
    for treatment_id in TETRACYCLINES + ("isotretinoin",):
        option = plan.option(treatment_id)
        assert (option.status == "blocked") >= patient.breastfeeding
        if patient.breastfeeding:
            assert any(note.blocking and "reastfeeding" in note.text for note in option.notes)


def test_breastfeeding_patient_whose_tetracycline_failed_is_not_offered_isotretinoin():
    """The product information lists breastfeeding as a contraindication [69, 70]."""
    patient = Patient(age=32, breastfeeding=True, prior_failure="oral tetracycline")
    plan = plan_treatment(patient)
    option = plan.option("isotretinoin")
    assert option.status == "blocked"
    assert option not in plan.with_status(*AVAILABLE)
    blocking = [note for note in option.notes if note.blocking]
    assert len(blocking) == 1 and "Breastfeeding" in blocking[0].text
    assert {69, 70} <= set(blocking[0].refs)
    not_breastfeeding = plan_treatment(Patient(age=32, prior_failure="oral tetracycline"))
    assert not_breastfeeding.option("isotretinoin").status == "suggested"


# Every contraindication that medical-brief.md section 6 ("Safety points to teach") lists for a
# drug, with the references the brief gives for it. Written out from the brief, not read from
# treatments.toml, so deleting or weakening a rule in the data fails the test below.
BRIEF_BLOCKING_CONTRAINDICATIONS = {
    # Tetracyclines: "should not be used in pregnancy [49]"; tooth staining "childhood up to
    # 8 years [48, 49, 52]"; doxycycline only selectively "in pregnant or breastfeeding women"
    # [50], "for a non-life-threatening condition like AN, avoid these groups".
    "doxycycline": {"pregnancy": {49}, "age under 8": {48, 49, 52}, "breastfeeding": {50}},
    "minocycline": {"pregnancy": {49}, "age under 8": {48, 49, 52}, "breastfeeding": {50}},
    # Isotretinoin: "contraindicated in pregnancy [54, 55]"; "Breastfeeding: contraindicated"
    # in the UK and Swiss product information [69, 70].
    "isotretinoin": {"pregnancy": {54, 55}, "breastfeeding": {69, 70}},
}
PATIENT_WITH_ONLY = {
    "pregnancy": dict(age=30, pregnant_or_possibly=True),
    "breastfeeding": dict(age=30, breastfeeding=True),
    "age under 8": dict(age=7),
}


@pytest.mark.parametrize(
    "treatment_id, factor",
    [(t, f) for t, factors in BRIEF_BLOCKING_CONTRAINDICATIONS.items() for f in factors],
)
def test_every_contraindication_in_the_brief_is_a_blocking_rule(treatment_id, factor):
    treatment = KNOWLEDGE.treatment(treatment_id)
    rules = [rule for rule in treatment.contraindications if rule.when == factor]
    assert rules, f"treatments.toml lost the {factor} contraindication of {treatment_id}"
    assert BRIEF_BLOCKING_CONTRAINDICATIONS[treatment_id][factor] <= set(rules[0].refs)
    # Ladder the option up to "suggested" first, so only the contraindication can block it.
    prior = "none" if treatment.family == "tetracycline" else "oral tetracycline"
    patient = Patient(severity="severe", prior_failure=prior, **PATIENT_WITH_ONLY[factor])
    option = plan_treatment(patient).option(treatment_id)
    assert option.status == "blocked"
    assert [note.text for note in option.notes if note.blocking] == [rules[0].text]


def test_contraindications_the_planner_cannot_ask_about_are_shown_as_checks():
    """Pre-existing hypervitaminosis A [57, 60] and the tetracycline-isotretinoin ban [57, 60]."""
    option = plan_treatment(Patient(age=30, prior_failure="oral tetracycline")).option(
        "isotretinoin"
    )
    hypervitaminosis = [c for c in option.checks if "hypervitaminosis A" in c.text]
    assert len(hypervitaminosis) == 1 and {57, 60} <= set(hypervitaminosis[0].refs)
    for tetracycline in TETRACYCLINES:
        (problem,) = combination_problems([tetracycline, "isotretinoin"])
        assert problem.blocking and {57, 60} <= set(problem.refs)


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
    assert planner.result is not None, "a valid plan runs at once, no button needed"
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
    assert "from day 200" in planner.summary_text, "the start day reruns the plan live"
    assert planner.result[1].follicles_lost_pct > planned.follicles_lost_pct
    assert planner.bars[1].get_height() == pytest.approx(planner.result[1].follicles_lost_pct)
    planner.plan_choices["doxycycline"].value = False
    planner.plan_choices["topical-antibiotic"].value = False
    assert planner.result is None and [bar.get_height() for bar in planner.bars] == [0, 0, 0, 0]
    planner.start_day.value = 100
    assert "day 100" in planner.axes.get_title(), "with no plan the start day still shows"


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


def test_planner_widget_locks_isotretinoin_out_for_a_breastfeeding_patient(planner):
    planner.prior_failure.value = "oral tetracycline"
    assert not planner.plan_choices["isotretinoin"].disabled
    planner.breastfeeding.value = True
    assert planner.plan_choices["isotretinoin"].disabled
    assert "BLOCKS:</b> Breastfeeding: contraindicated" in planner.options_view.value
    assert "Isotretinoin" in planner.summary_text.split("Blocked:")[1]
    with pytest.raises(ValueError, match="blocked for this patient: Breastfeeding"):
        planner.choose("isotretinoin")


def test_planner_widget_shows_sun_protection_without_outdoor_work(planner):
    planner.severity.value = "moderate"
    assert not planner.outdoor_work.value
    assert planner.options_view.value.count("advise sun protection to everyone") == 2
