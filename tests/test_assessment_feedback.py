"""After grading, feedback explains every item and shows calibration, and leaks no hidden test."""

import copy

import pytest

from widgets.core.assessment.bank import QUIZZES
from widgets.grading.preprocessors import ShowKeyPoints
from widgets.tools.nbgrader_course import (
    TempCourse,
    feedback_leaks,
    fill_answers,
    isolated_home,
    visible_text,
)

pytestmark = pytest.mark.grading

QUIZ = "case-quiz-1-differentials"


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    folder = tmp_path_factory.mktemp("feedback")
    with isolated_home(folder / "home"):
        course = TempCourse(folder, quizzes=[QUIZ])
        course.generate(QUIZ)
        (name,) = course.notebook_names(QUIZ)
        source, release = course.source_notebook(QUIZ, name), course.release_notebook(QUIZ, name)
        wrong = {"case2_diagnosis": '{"lichen planopilaris"}', "case2_diagnosis_confidence": "4"}
        submissions = {
            "model": fill_answers(release, source),
            "confident-wrong": fill_answers(release, source, wrong),
            "blank": release,
        }
        for student, notebook in submissions.items():
            course.submit(student, QUIZ, {name: notebook})
        assert course.autograde(QUIZ)["success"]
        assert course.generate_feedback(QUIZ)["success"]
        yield course, name, source, release, submissions


def test_feedback_explains_every_item_after_grading(graded):
    course, name, *_ = graded
    page = visible_text(course.feedback_html(QUIZ, "model", name))
    for item in QUIZZES[QUIZ].items:
        assert item.explanation[:60] in page, item.name
    assert "Brier score of your confidence: 0.00" in page


def test_confident_and_wrong_items_come_first(graded):
    course, name, *_ = graded
    page = visible_text(course.feedback_html(QUIZ, "confident-wrong", name))
    assert "case2_diagnosis: 0 of 2 points, confidence 4 (sure). Confident and wrong" in page
    summary = page.split("Summary of the quiz")[1]
    assert "Confident and wrong (look at these first): case2_diagnosis." in summary
    assert summary.index("case2_diagnosis: 0 of 2") < summary.index("case1_diagnosis: 2 of 2")


def test_the_release_holds_no_explanation_and_feedback_leaks_no_hidden_test(graded):
    course, name, source, release, submissions = graded
    released = "\n".join(cell.source for cell in release.cells)
    for item in QUIZZES[QUIZ].items:
        assert item.explanation[:60] not in released
    for student, submission in submissions.items():
        page = course.feedback_html(QUIZ, student, name)
        assert feedback_leaks(page, source, release, submission) == [], student
    blank = visible_text(course.feedback_html(QUIZ, "blank", name))
    assert "(Score: 0.0 / 28.0)" in blank


def test_key_points_reach_the_feedback_when_the_preprocessor_is_wired(graded, tmp_path):
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.preprocessors import ClearMarkScheme

    course, name, *_ = graded
    config = copy.deepcopy(course.config)
    chain = list(config.GenerateFeedback.preprocessors)
    chain.insert(chain.index(ClearMarkScheme), ShowKeyPoints)
    config.GenerateFeedback.preprocessors = chain
    config.CourseDirectory.feedback_directory = "feedback-key-points"
    api = NbGraderAPI(CourseDirectory(config=config), config=config)
    assert api.generate_feedback(QUIZ, "model")["success"]
    page = visible_text(
        (course.root / "feedback-key-points" / "model" / QUIZ / f"{name}.html").read_text()
    )
    assert "Mark scheme (shown in your feedback after grading)" in page
    assert "MARK SCHEME ===" not in page
    assert QUIZZES[QUIZ].cases[0].task.key_points[0][:50] in page
