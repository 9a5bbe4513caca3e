"""Private cohort variants: other cases for another seed, keys the knowledge base confirms, graded by nbgrader."""

import re

import pytest

from widgets.core.assessment.bank import QUIZZES
from widgets.core.assessment.bank.differentials import INVESTIGATIONS, REVEALS
from widgets.core.assessment.bank.treatment import NO_CONTRAINDICATION
from widgets.core.assessment.scoring import score
from widgets.core.assessment.treatment_cases import DRUGS, PLAN_TREATMENTS
from widgets.core.assessment.variants import variant
from widgets.core.histology.practice import PRACTICE_SLIDES
from widgets.core.histology.scene import biopsy_scene, comparison_scene
from widgets.core.knowledge.cases import draw_case
from widgets.core.knowledge.differential import rank_conditions
from widgets.core.knowledge.loader import load_knowledge
from widgets.core.knowledge.planner import Patient, combination_problems, plan_treatment
from widgets.tools.nbgrader_course import (
    TempCourse,
    autograder_tests,
    fill_answers,
    isolated_home,
    nbgrader_meta,
)
from widgets.tools.quiz_notebooks import write_quiz

QUIZ_1 = "case-quiz-1-differentials"
QUIZ_2 = "case-quiz-2-treatment"
KNOWLEDGE = load_knowledge()
QUIZ_3 = "case-quiz-3-mechanism-histology"


def test_two_seeds_give_different_cases():
    for quiz_id in QUIZZES:
        first, second = variant(quiz_id, 11, "a"), variant(quiz_id, 12, "b")
        assert [c.vignette for c in first.cases] != [c.vignette for c in second.cases] or (
            first.constants != second.constants
        ), quiz_id
        assert first.quiz_id == f"{quiz_id}-variant-a"


@pytest.mark.parametrize("seed", [11, 12, 2025])
def test_differential_keys_are_the_knowledge_bases_best_match(seed):
    """The diagnosis key is the best match on what the vignette shows (tests withheld)."""
    quiz = variant(QUIZ_1, seed, "k")
    for case in quiz.cases:
        shown = shown_findings(case)
        ranking = rank_conditions(shown)
        assert case.items[0].key == ranking[0].name
        assert ranking[0].score > ranking[1].score
        assert score(case.items[0], {ranking[0].name}) == 1.0


def shown_findings(case) -> tuple[str, ...]:
    """The finding ids a drawn vignette shows, read back from its labels."""
    labels = {f.label: f.id for f in KNOWLEDGE.findings.values()}
    text = case.vignette
    return tuple(finding for label, finding in labels.items() if label in text)


@pytest.mark.parametrize("seed", [11, 12, 2025])
def test_quiz1_variants_ask_the_investigation_as_the_public_quiz_does(seed):
    public = [item.name.split("_", 1)[1] for item in QUIZZES[QUIZ_1].cases[0].items]
    quiz = variant(QUIZ_1, seed, "k")
    for case in quiz.cases:
        assert [item.name.split("_", 1)[1] for item in case.items] == public
        investigation = case.items[2]
        assert investigation.options == INVESTIGATIONS
        shown = shown_findings(case)
        best, runner = rank_conditions(shown)[:2]
        # the key could show a result the knowledge base weighs differently for the two leaders
        separating = {
            test
            for test, shows in REVEALS.items()
            for finding in shows
            if KNOWLEDGE.coherent((*shown, finding))
            and {r.name: r.score for r in rank_conditions([finding])}[best.name]
            != {r.name: r.score for r in rank_conditions([finding])}[runner.name]
        }
        assert investigation.key in separating


def test_drawn_patients_are_coherent_over_many_seeds():
    """No drawn vignette combines findings one patient cannot show (an adult and a child, a man
    and a woman, two biopsy patterns, static scars with active lesions), and the weak contrary
    finding is never another condition's hallmark."""
    hallmarks = {
        condition.name: {
            link.finding
            for other in KNOWLEDGE.conditions.values()
            if other.name != condition.name
            for link in other.counts_for
            if link.weight == 3
        }
        for condition in KNOWLEDGE.conditions.values()
    }
    for seed in range(150):
        for number in range(8):
            case = draw_case(seed, number)
            assert KNOWLEDGE.coherent(case.findings), (seed, number, case.findings)
            target = KNOWLEDGE.condition(case.target)
            contrary = {link.finding for link in target.counts_against} & set(case.findings)
            assert not contrary & hallmarks[case.target] - {
                link.finding for link in target.counts_for
            }, (seed, number, case.findings)
    for seed in range(40):
        for case in variant(QUIZ_1, seed, "c").cases:
            assert KNOWLEDGE.coherent(shown_findings(case)), (seed, case.vignette)
        for case in variant(QUIZ_2, seed, "c").cases:
            text = case.vignette
            assert ("weeks pregnant" not in text) or (" woman " in text), text


def test_exclusions_are_read_both_ways():
    assert KNOWLEDGE.finding("child").excludes >= {"adult-30-50", "woman", "man"}
    assert "child" in KNOWLEDGE.finding("adult-30-50").excludes
    assert not KNOWLEDGE.coherent(["static-scars", "necrotic-crust"])
    assert KNOWLEDGE.coherent(["adult-30-50", "woman", "itch", "necrotic-crust"])


def test_treatment_variants_draw_other_cases_keyed_by_the_planner():
    """Two seeds give different patients and decisions; every key is what the planner says."""
    first, second = variant(QUIZ_2, 3, "a"), variant(QUIZ_2, 4, "b")
    keys = [
        [item.model_answer for item in case.items]
        for quiz in (first, second)
        for case in quiz.cases
    ]
    assert keys[:4] != keys[4:]
    assert [c.vignette for c in first.cases] != [c.vignette for c in second.cases]
    plans = set()
    for seed in range(25):
        for case in variant(QUIZ_2, seed, "k").cases:
            plans |= check_treatment_keys(case)
    assert plans == {"topical treatment", "oral tetracycline", "oral isotretinoin"}


def check_treatment_keys(case) -> set[str]:
    """Assert the case's plan, drug and dose keys against the planner; return its plan."""
    items = {item.name.split("_", 1)[1]: item for item in case.items}
    text = case.vignette
    age = int(text.split("-year-old")[0].split()[-1])
    weight = int(text.split(" kg")[0].split()[-1])
    patient = Patient(
        age=age,
        pregnant_or_possibly="weeks pregnant" in text,
        severity={"a few": "mild", "many": "moderate", "widespread": "severe"}[
            next(k for k in ("a few", "many", "widespread") if k in text)
        ],
        prior_failure="oral tetracycline"
        if "doxycycline" in text
        else "topical treatment"
        if "clindamycin" in text
        else "none",
    )
    plan = plan_treatment(patient)
    (key,) = items["plan"].model_answer
    assert any(plan.option(t).status == "suggested" for t in PLAN_TREATMENTS[key]), text
    for higher in list(PLAN_TREATMENTS)[: list(PLAN_TREATMENTS).index(key)]:
        assert all(plan.option(t).status != "suggested" for t in PLAN_TREATMENTS[higher]), text
    for drug, verdict in items["drugs"].model_answer.items():
        if drug == "long-term oral prednisolone":
            assert verdict == "avoid: long-term steroid harms"
            continue
        option = plan.option(DRUGS[drug])
        combined = any(
            combination_problems([DRUGS[drug], other])
            for other in PLAN_TREATMENTS[key]
            if other != DRUGS[drug]
        )
        if verdict == NO_CONTRAINDICATION:
            assert not option.blocked and not combined, (text, drug)
        else:
            assert option.blocked or combined, (text, drug)
    if key == "oral isotretinoin":
        assert items["dose_mg_per_day"].model_answer == 0.5 * weight
        assert score(items["dose_mg_per_day"], 0.5 * weight) == 1.0
    else:
        assert "dose_mg_per_day" not in items
    return {key}


def test_slide_keys_are_what_the_drawn_scenes_show():
    quiz = variant(QUIZ_3, 5, "k")
    slides = quiz.constants["QUIZ_SLIDES"]
    items = quiz.cases[1].items
    for (_, index, seed), item in zip(slides, items):
        name, form = PRACTICE_SLIDES[index]
        scene = comparison_scene(name, seed) if form is None else biopsy_scene(name, form, seed)
        assert item.key == scene.answer


@pytest.mark.parametrize("quiz_id", sorted(QUIZZES))
def test_a_variants_references_list_every_source_it_cites(quiz_id):
    for seed in (1, 2, 3):
        quiz = variant(quiz_id, seed, "r")
        texts = [item.explanation for item in quiz.items]
        texts += [case.task.model_answer for case in quiz.cases if case.task]
        cited = {
            int(n)
            for text in texts
            for group in re.findall(r"\[([\d, ]+)\]", text)
            for n in group.split(",")
        }
        assert cited <= set(quiz.references) <= set(KNOWLEDGE.references)


def test_bad_variant_requests_are_refused():
    with pytest.raises(KeyError, match="unknown quiz"):
        variant("case-quiz-9", 1, "a")
    with pytest.raises(ValueError, match="tag"):
        variant(QUIZ_1, 1, "../x")


@pytest.mark.grading
@pytest.mark.parametrize("quiz_id", [QUIZ_1, QUIZ_2])
def test_a_variant_grades_like_the_originals(tmp_path, quiz_id):
    solutions = tmp_path / "private-solutions"
    quiz = variant(quiz_id, 4242, "cohort")
    write_quiz(quiz, solutions)
    with isolated_home(tmp_path / "home"):
        course = TempCourse(tmp_path, quizzes=[quiz.quiz_id], solutions=solutions)
        course.generate(quiz.quiz_id)
        (name,) = course.notebook_names(quiz.quiz_id)
        source = course.source_notebook(quiz.quiz_id, name)
        release = course.release_notebook(quiz.quiz_id, name)
        # the instructor's cycle: release, students fetch and submit, collect, autograde
        course.release(quiz.quiz_id)
        course.student_submits("model", quiz.quiz_id, {name: fill_answers(release, source)})
        course.student_submits("blank", quiz.quiz_id, {name: release})
        course.collect(quiz.quiz_id)
        assert (course.root / "submitted" / "model" / quiz.quiz_id / "timestamp.txt").exists()
        assert course.autograde(quiz.quiz_id)["success"]
        tests = autograder_tests(source)
        possible = sum(float(nbgrader_meta(cell)["points"]) for cell in tests.values())
        for student, expected in (("model", possible), ("blank", 0.0)):
            grades = course.grades(quiz.quiz_id, student)
            assert sum(grades[cell].auto_score for cell in tests) == expected, student
