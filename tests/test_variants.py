"""Private cohort variants: other cases for another seed, keys the knowledge base confirms, graded by nbgrader."""

import pytest

from widgets.core.assessment.bank import QUIZZES
from widgets.core.assessment.scoring import score
from widgets.core.assessment.variants import variant
from widgets.core.histology.practice import PRACTICE_SLIDES
from widgets.core.histology.scene import biopsy_scene, comparison_scene
from widgets.core.knowledge.cases import draw_case
from widgets.core.knowledge.differential import rank_conditions
from widgets.tools.nbgrader_course import (
    TempCourse,
    autograder_tests,
    fill_answers,
    isolated_home,
    nbgrader_meta,
)
from widgets.tools.quiz_notebooks import write_quiz

QUIZ_1 = "case-quiz-1-differentials"
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
    quiz = variant(QUIZ_1, seed, "k")
    for number, case in enumerate(quiz.cases):
        drawn = draw_case(seed, number)
        ranking = rank_conditions(drawn.findings)
        assert case.items[0].key == ranking[0].name == drawn.target
        assert score(case.items[0], {ranking[0].name}) == 1.0


def test_slide_keys_are_what_the_drawn_scenes_show():
    quiz = variant(QUIZ_3, 5, "k")
    slides = quiz.constants["QUIZ_SLIDES"]
    items = quiz.cases[1].items
    for (_, index, seed), item in zip(slides, items):
        name, form = PRACTICE_SLIDES[index]
        scene = comparison_scene(name, seed) if form is None else biopsy_scene(name, form, seed)
        assert item.key == scene.answer


def test_treatment_variant_recomputes_the_dose_from_the_drawn_weight():
    quiz = variant("case-quiz-2-treatment", 3, "k")
    dose = quiz.item("case2_dose_mg_per_day")
    weight = int(quiz.cases[1].vignette.split(" kg")[0].split()[-1])
    assert dose.model_answer == 0.5 * weight and score(dose, 0.5 * weight) == 1.0


def test_bad_variant_requests_are_refused():
    with pytest.raises(KeyError, match="unknown quiz"):
        variant("case-quiz-9", 1, "a")
    with pytest.raises(ValueError, match="tag"):
        variant(QUIZ_1, 1, "../x")


@pytest.mark.grading
def test_a_variant_grades_like_the_originals(tmp_path):
    solutions = tmp_path / "private-solutions"
    quiz = variant(QUIZ_1, 4242, "cohort")
    write_quiz(quiz, solutions)
    with isolated_home(tmp_path / "home"):
        course = TempCourse(tmp_path, quizzes=[quiz.quiz_id], solutions=solutions)
        course.generate(quiz.quiz_id)
        (name,) = course.notebook_names(quiz.quiz_id)
        source = course.source_notebook(quiz.quiz_id, name)
        release = course.release_notebook(quiz.quiz_id, name)
        course.submit("model", quiz.quiz_id, {name: fill_answers(release, source)})
        course.submit("blank", quiz.quiz_id, {name: release})
        assert course.autograde(quiz.quiz_id)["success"]
        tests = autograder_tests(source)
        possible = sum(float(nbgrader_meta(cell)["points"]) for cell in tests.values())
        for student, expected in (("model", possible), ("blank", 0.0)):
            grades = course.grades(quiz.quiz_id, student)
            assert sum(grades[cell].auto_score for cell in tests) == expected, student
