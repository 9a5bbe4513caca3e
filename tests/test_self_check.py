"""Check-yourself questions: kept as data, validated on load, shuffled per learner, first answer committed."""

import shutil

import pytest

from widgets.core.knowledge.lesson_data import LESSON_DATA_DIR, lesson_names, load_lesson
from widgets.core.knowledge.loader import KnowledgeError
from widgets.core.self_check import option_order
from widgets.views.self_check import Question, check_yourself

GOOD_QUESTION = """
[[question]]
id = "biopsy-site"
section = "biopsy"
prompt = "Which lesion should you biopsy?"

[[question.option]]
text = "An early, intact, umbilicated papule"
correct = true
explanation = "The early lesion is characteristic [2, 5, 12]."

[[question.option]]
text = "The oldest crusted lesion"
correct = false
explanation = "Crusted lesions are nonspecific [5, 6, 12]."
"""


def _lesson_file(tmp_path, text: str, name: str = "99-test") -> str:
    (tmp_path / f"{name}.toml").write_text(text)
    return name


def test_every_lesson_file_loads_and_has_questions():
    names = lesson_names()
    assert names, "no lesson data files found"
    for name in names:
        data = load_lesson(name)
        assert data.questions, f"{name}.toml has no check-yourself questions"


def test_every_question_has_one_key_and_an_explanation_for_each_option():
    for name in lesson_names():
        for question in load_lesson(name).questions.values():
            assert sum(option.correct for option in question.options) == 1
            assert all(option.explanation.strip() for option in question.options)


def test_the_course_data_is_copyable_and_loads_from_a_folder(tmp_path):
    shutil.copy(LESSON_DATA_DIR / "04-diagnosis-and-differentials.toml", tmp_path)
    data = load_lesson("04-diagnosis-and-differentials", tmp_path)
    assert data.questions == load_lesson("04-diagnosis-and-differentials").questions


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ("correct = false", "correct = true"),
            "field 'option': exactly one option must be correct, found 2",
        ),
        (("[2, 5, 12]", "[2, 5, 9999]"), "field 'explanation': cites unknown reference id 9999"),
        (('section = "biopsy"', 'section = "Biopsy site"'), "field 'section'"),
        (
            ('prompt = "Which lesion should you biopsy?"', ""),
            "question 'biopsy-site', field 'prompt': missing",
        ),
        (("correct = true", 'correct = "yes"'), "field 'correct': should be true or false"),
        (('id = "biopsy-site"', 'id = "biopsy-site"\nanswer = 1'), "field 'answer': unknown field"),
    ],
)
def test_a_broken_question_names_file_question_and_field(tmp_path, change, message):
    lesson = _lesson_file(tmp_path, GOOD_QUESTION.replace(*change, 1))
    with pytest.raises(KnowledgeError) as error:
        load_lesson(lesson, tmp_path)
    assert str(error.value).startswith("99-test.toml, question ")
    assert message in str(error.value)


def test_a_repeated_question_id_is_refused(tmp_path):
    lesson = _lesson_file(tmp_path, GOOD_QUESTION + GOOD_QUESTION)
    with pytest.raises(KnowledgeError, match="question id 'biopsy-site' appears twice"):
        load_lesson(lesson, tmp_path)


def test_a_missing_lesson_file_lists_the_lessons_that_exist(tmp_path):
    _lesson_file(tmp_path, GOOD_QUESTION, "01-here")
    with pytest.raises(KnowledgeError, match=r"no such lesson data file.*01-here"):
        load_lesson("02-missing", tmp_path)


def test_option_order_is_stable_for_a_learner_and_differs_between_learners():
    first = option_order("02-pathophysiology/scratching", 4, "ana@host")
    assert first == option_order("02-pathophysiology/scratching", 4, "ana@host")
    assert sorted(first) == [0, 1, 2, 3]
    orders = {
        option_order("02-pathophysiology/scratching", 4, f"learner{n}@host") for n in range(40)
    }
    assert len(orders) > 5, "the order should vary between learners"


def test_the_key_is_not_always_shown_first():
    shown_first = [
        Question(question, learner="ana@host").shown_options[0].correct
        for name in lesson_names()
        for question in load_lesson(name).questions.values()
    ]
    assert 0 < sum(shown_first) < len(shown_first)


def _question(learner: str = "ana@host") -> Question:
    data = load_lesson("04-diagnosis-and-differentials").questions[
        "lesion-biopsy-confirm-suspected"
    ]
    return Question(data, learner=learner)


def test_the_first_answer_is_committed_and_later_clicks_do_not_change_it():
    question = _question()
    wrong = next(i for i, option in enumerate(question.shown_options) if not option.correct)
    right = next(i for i, option in enumerate(question.shown_options) if option.correct)
    assert question.choose(wrong) is False
    assert question.committed == wrong
    assert question.choices.disabled
    question.choose(right)
    assert question.committed == wrong
    assert "Not the best answer" in question.feedback.value


def test_after_the_first_answer_every_option_is_explained():
    question = _question()
    assert question.feedback.value == ""
    question.choose(0)
    for option in question.shown_options:
        assert option.explanation.split("[")[0].strip()[:40] in question.feedback.value
    assert question.feedback.value.count("(your answer)") == 1
    assert question.feedback.value.count("best answer") == 1


def test_choosing_an_option_that_does_not_exist_is_refused():
    with pytest.raises(ValueError, match="option 7 does not exist"):
        _question().choose(7)


def test_check_yourself_shows_a_section_or_the_whole_lesson():
    section = check_yourself("01-clinical-picture", "two-forms", learner="ana@host")
    assert [q.question.id for q in section.questions] == [
        q.id for q in load_lesson("01-clinical-picture").section("two-forms")
    ]
    everything = check_yourself("01-clinical-picture", learner="ana@host")
    assert len(everything.questions) == len(load_lesson("01-clinical-picture").questions)


def test_an_unknown_section_lists_the_sections():
    with pytest.raises(KeyError, match=r"no questions in section 'forms'.*'two-forms'"):
        check_yourself("01-clinical-picture", "forms")
