"""Check-yourself questions for lessons: the first answer is committed, then every option is explained.

The questions live in each lesson's data file (``widgets/core/knowledge/data/lessons/``),
so no key stands in a lesson cell; a lesson shows them with one line,
``check_yourself("02-pathophysiology", "cause")``.  Options appear in an order
shuffled per learner and stable on re-run (``widgets.core.self_check``).  The
graded quizzes do not use this module: their answers are plain values checked by
nbgrader.
"""

from html import escape

import ipywidgets as W

from widgets.core.knowledge.lesson_data import SelfCheckQuestion, load_lesson
from widgets.core.self_check import option_order
from widgets.views.figures import PALETTE


def check_yourself(lesson: str, section: str | None = None, learner: str | None = None) -> W.VBox:
    """The check-yourself questions of ``lesson`` (only those of ``section``, if given).

    ``learner`` sets whose shuffled order is shown (default: this user on this machine).
    """
    questions = [Question(question, learner) for question in load_lesson(lesson).section(section)]
    box = W.VBox(questions)
    box.questions = questions
    return box


class Question(W.VBox):
    """One single-choice question; the first pick is committed and explained option by option.

    >>> from widgets.core.knowledge.lesson_data import load_lesson
    >>> data = load_lesson("04-diagnosis-and-differentials").questions["lesion-biopsy-confirm-suspected"]
    >>> question = Question(data, learner="demo")
    >>> question.choose(question.shown_options.index(data.options[data.correct_index]))
    True
    """

    def __init__(self, question: SelfCheckQuestion, learner: str | None = None):
        self.question = question
        self.order = option_order(
            f"{question.lesson}/{question.id}", len(question.options), learner
        )
        self.shown_options = tuple(question.options[index] for index in self.order)
        self.committed: int | None = None
        """Index (in the shown order) of the learner's first answer, the one that counts."""
        self.choices = W.RadioButtons(
            options=[(option.text, index) for index, option in enumerate(self.shown_options)],
            value=None,
            layout=W.Layout(width="auto"),
        )
        self.feedback = W.HTML(layout=W.Layout(min_height="2.5em"))
        self.choices.observe(self._on_choice, names="value")
        super().__init__([W.HTML(f"<b>{escape(question.prompt)}</b>"), self.choices, self.feedback])

    def choose(self, index: int) -> bool:
        """Pick the ``index``-th option shown, as a learner would; returns whether it is correct.

        Only the first pick is committed: later calls leave the answer as it was.
        """
        if not 0 <= index < len(self.shown_options):
            raise ValueError(
                f"option {index} does not exist; choose 0 to {len(self.shown_options) - 1}"
            )
        if self.committed is None:
            self.choices.value = index
        return self.shown_options[index].correct

    def _on_choice(self, change) -> None:
        if change["new"] is None or self.committed is not None:
            return
        self.committed = change["new"]
        self.choices.disabled = True
        chosen = self.shown_options[self.committed]
        verdict = "✔ Correct." if chosen.correct else "✘ Not the best answer."
        colour = PALETTE["green"] if chosen.correct else PALETTE["vermillion"]
        rows = []
        for index, option in enumerate(self.shown_options):
            mark = "✔ best answer" if option.correct else "✘"
            yours = " (your answer)" if index == self.committed else ""
            rows.append(
                f"<li><b>{escape(option.text)}</b>{yours}: {mark}. {escape(option.explanation)}</li>"
            )
        self.feedback.value = (
            f'<span style="color:{colour}; font-weight:bold">{verdict}</span> '
            "Your first answer is the one that counts. Why each option is right or wrong:"
            f"<ul style='margin:4px 0'>{''.join(rows)}</ul>"
        )
