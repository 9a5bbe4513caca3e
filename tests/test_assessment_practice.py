"""The practice widget checks itself: the first committed answer is scored and explained at once."""

import pytest

from widgets.views.practice_quiz import PracticeQuiz


def answer_with_model(control):
    item, box = control.item, control.answer_box
    model = item.model_answer
    if hasattr(item, "candidates"):
        for dropdown in box.children:
            dropdown.value = model[dropdown.description]
    elif hasattr(item, "limit"):
        for checkbox in box.children:
            checkbox.value = checkbox.description in model
    elif hasattr(item, "unit"):
        box.value = model
    else:
        (box.value,) = model


@pytest.mark.parametrize("name", ["differentials", "treatment", "histology"])
def test_model_answers_earn_every_point_and_show_the_explanation(name):
    quiz = PracticeQuiz(name)
    for control in quiz.items:
        answer_with_model(control)
        control.confidence.value = 4
        control.commit()
        assert control.fraction == 1.0 and control.item.explanation[:40] in control.feedback.value
    total = sum(c.item.points for c in quiz.items)
    assert f"{total:g} of {total:g} points" in quiz.summary_text
    assert "Confident and wrong (look at these first): none" in quiz.summary_text


def test_the_first_answer_counts_and_confident_wrong_answers_are_listed_first():
    quiz = PracticeQuiz("treatment")
    first = quiz.items[0]
    first.confidence.value = 4
    first.commit()
    assert first.fraction == 0.0 and first.check.disabled and first.answer_box.disabled
    answer_with_model(first)
    first.commit()
    assert first.fraction == 0.0
    for control in quiz.items[1:]:
        control.commit()
    assert f"first): {first.item.name}" in quiz.summary_text


def test_practice_cases_differ_from_the_graded_quizzes():
    from widgets.core.assessment.bank import QUIZZES

    graded = {case.vignette for quiz in QUIZZES.values() for case in quiz.cases}
    for name in ("differentials", "treatment"):
        assert not {case.vignette for case in PracticeQuiz(name).quiz.cases} & graded


def test_an_unknown_practice_set_is_named():
    with pytest.raises(ValueError, match="practice set"):
        PracticeQuiz("dermatology")


def test_practice_slides_are_not_the_graded_quizs_slides():
    from widgets.core.assessment.bank.mechanism import QUIZ_SLIDES
    from widgets.core.assessment.bank.practice import PRACTICE_SLIDES

    assert not {index for _, index, _ in PRACTICE_SLIDES} & {index for _, index, _ in QUIZ_SLIDES}


def test_a_practice_notebook_calls_the_quiz_in_one_line_from_the_facade():
    """Self-learners' notebooks (Binder, no nbgrader) import it as every lesson imports a widget."""
    import nbformat
    from notebook_files import PRACTICE

    import widgets

    assert widgets.PracticeQuiz is PracticeQuiz
    for path in PRACTICE:
        code = [c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
        assert code == [
            f'from widgets import PracticeQuiz\n\nPracticeQuiz("{path.stem.split("-")[1]}")'
        ]
