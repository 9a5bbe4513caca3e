"""The course's graded quizzes, by folder name under ``solutions/`` and ``assignments/``."""

from widgets.core.assessment.bank import differentials, mechanism, treatment
from widgets.core.assessment.items import Quiz

QUIZZES: dict[str, Quiz] = {
    quiz.quiz_id: quiz for quiz in (differentials.QUIZ, treatment.QUIZ, mechanism.QUIZ)
}
