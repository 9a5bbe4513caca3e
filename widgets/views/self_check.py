"""Check-yourself questions for lessons: instant, explained feedback, never graded.

A lesson states the question, the options and why each one is right or wrong;
this module only shows them and answers the click.  The graded quizzes do not use
it (their answers are plain values checked by nbgrader).
"""

from dataclasses import dataclass

import ipywidgets as W


@dataclass(frozen=True)
class Option:
    """One answer a learner can pick, with the explanation shown once it is picked."""

    text: str
    correct: bool
    explanation: str


class Question(W.VBox):
    """A single-choice question; picking an option shows whether it is right and why.

    >>> q = Question("Where does acne necrotica miliaris usually start?", [
    ...     Option("Frontal hairline", True, "The anterior scalp is the hallmark site [3]."),
    ...     Option("Vertex", False, "Vertex and occiput are the pattern of folliculitis decalvans [22]."),
    ... ])
    >>> q.choose(0)
    True
    """

    def __init__(self, prompt: str, options: list[Option]):
        if sum(option.correct for option in options) != 1:
            raise ValueError(f"question {prompt!r} needs exactly one correct option")
        self.prompt = prompt
        self.options = tuple(options)
        self.choices = W.RadioButtons(
            options=[(option.text, index) for index, option in enumerate(self.options)],
            value=None,
            layout=W.Layout(width="auto"),
        )
        self.feedback = W.HTML(layout=W.Layout(min_height="2.5em"))
        self.choices.observe(self._on_choice, names="value")
        super().__init__([W.HTML(f"<b>{prompt}</b>"), self.choices, self.feedback])

    def choose(self, index: int) -> bool:
        """Pick option ``index`` as a learner would; returns whether it is correct."""
        if not 0 <= index < len(self.options):
            raise ValueError(f"option {index} does not exist; choose 0 to {len(self.options) - 1}")
        self.choices.value = index
        return self.options[index].correct

    def _on_choice(self, change) -> None:
        if change["new"] is None:
            self.feedback.value = ""
            return
        option = self.options[change["new"]]
        verdict = "✔ Correct." if option.correct else "✘ Not quite."
        colour = "#009E73" if option.correct else "#D55E00"
        self.feedback.value = (
            f'<span style="color:{colour}; font-weight:bold">{verdict}</span> {option.explanation}'
        )
