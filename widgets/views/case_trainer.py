"""CaseTrainer: practice cases with instant explained feedback, a thin view over the case core.

Practice mode for self-learners (works on Binder, no nbgrader needed): the cases
and their judging come from :mod:`widgets.core.knowledge.cases`.
"""

from html import escape
from numbers import Integral

import ipywidgets as W

from widgets.core.knowledge.cases import (
    DIAGNOSIS_OPTIONS,
    Case,
    CaseQuestion,
    Verdict,
    check_seed,
    draw_case,
    judge,
)
from widgets.core.knowledge.loader import load_knowledge
from widgets.views.figures import FONT_SIZE, PALETTE, freeze_layout, live_figure


class CaseTrainer(W.VBox):
    """A practice case, its questions with instant feedback, a running score and a "New case" button.

    >>> trainer = CaseTrainer(seed=0)
    >>> verdict = trainer.answer(trainer.case.questions[0].answer)
    >>> verdict.correct, trainer.right, trainer.answered
    (True, 1, 1)
    """

    MAX_QUESTIONS = 2

    def __init__(self, seed: int = 0):
        self.seed = check_seed(seed, "seed")
        self.knowledge = load_knowledge()
        self.right = 0
        self.answered = 0
        self.case_number = -1
        self.case: Case | None = None
        self.verdicts: dict[int, Verdict] = {}
        self._holding = False
        self.title = W.HTML()
        self.vignette = W.HTML()
        self.prompts = [W.HTML() for _ in range(self.MAX_QUESTIONS)]
        self.choices = [
            W.RadioButtons(options=[], value=None, layout=W.Layout(width="auto"))
            for _ in range(self.MAX_QUESTIONS)
        ]
        self.feedback = [
            W.HTML(layout=W.Layout(min_height="2em")) for _ in range(self.MAX_QUESTIONS)
        ]
        self.question_boxes = [
            W.VBox([prompt, choice, feedback])
            for prompt, choice, feedback in zip(self.prompts, self.choices, self.feedback)
        ]
        for index, choice in enumerate(self.choices):
            choice.observe(
                lambda change, index=index: self._on_choice(index, change), names="value"
            )
        self.new_case_button = W.Button(description="New case", icon="refresh")
        self.new_case_button.on_click(lambda _: self.new_case())
        self.score_view = W.HTML()
        self.summary = W.HTML()
        self._build_figure()
        note = W.HTML(
            "<i>Cases are assembled from the course's knowledge data. The score behind each answer is "
            "the differential explorer's teaching score (weights 1-3 for minus against), built from "
            "the course's sources: a device to make the reasoning visible, not a validated "
            "diagnostic score.</i>"
        )
        super().__init__(
            [
                self.title,
                W.HBox(
                    [
                        W.VBox([self.vignette, *self.question_boxes], layout=W.Layout(width="55%")),
                        self.figure.canvas,
                    ]
                ),
                W.HBox([self.new_case_button, self.score_view]),
                note,
                self.summary,
            ]
        )
        self.new_case()

    def _build_figure(self) -> None:
        self.figure = live_figure(5.0, 2.6)
        self.axes = self.figure.add_subplot()
        self.bars = self.axes.barh(
            range(DIAGNOSIS_OPTIONS), [0] * DIAGNOSIS_OPTIONS, color=PALETTE["grey"]
        )
        self.axes.invert_yaxis()
        self.axes.axvline(0, color=PALETTE["black"], linewidth=0.8)
        longest = max(
            (condition.short for condition in self.knowledge.conditions.values()), key=len
        )
        self.axes.set_yticks(
            range(DIAGNOSIS_OPTIONS),
            [f"{longest} (best)"] * DIAGNOSIS_OPTIONS,
            fontsize=FONT_SIZE - 1,
        )
        self.axes.set_xlabel("Score (for minus against)", fontsize=FONT_SIZE)
        self.axes.set_xlim(-4, 14)
        self.axes.set_title("Answer to see the scores", fontsize=FONT_SIZE)
        freeze_layout(self.figure)

    @property
    def revealed(self) -> bool:
        """Whether the diagnosis has been answered, so the chart may show the scores."""
        return 0 in self.verdicts

    def new_case(self) -> Case:
        """Draw the next case of this trainer's deck and show it; the score carries over."""
        self.case_number += 1
        self.case = draw_case(self.seed, self.case_number, self.knowledge)
        self.verdicts = {}
        self._holding = True
        self.title.value = f"<h4>Practice case {self.case_number + 1}</h4>"
        self.vignette.value = (
            "<ul>"
            + "".join(
                f"<li><b>{escape(heading)}:</b> {escape('; '.join(labels))}.</li>"
                for heading, labels in self.case.vignette
            )
            + "</ul>"
        )
        for index, box in enumerate(self.question_boxes):
            question = self._question(index)
            box.layout.display = "" if index == 0 else "none"
            self.prompts[index].value = f"<b>{escape(question.prompt)}</b>" if question else ""
            self.choices[index].options = question.options if question else ()
            self.choices[index].value = None
            self.feedback[index].value = ""
        self._holding = False
        self._update_figure()
        self._update_text()
        return self.case

    def _question(self, index: int) -> CaseQuestion | None:
        return self.case.questions[index] if index < len(self.case.questions) else None

    def answer(self, choice: str, question: int = 0) -> Verdict:
        """Answer question ``question`` (0: diagnosis, 1: treatment) as a learner clicking an option would.

        Choices ignore case and spacing. An answer that is not an option is
        explained in the feedback and not scored.
        """
        if (
            isinstance(question, bool)
            or not isinstance(question, Integral)
            or not 0 <= question < len(self.case.questions)
        ):
            raise ValueError(
                f"question should be one of {list(range(len(self.case.questions)))} for this case "
                f"(0 is the diagnosis), got {question!r}"
            )
        if question > 0 and 0 not in self.verdicts:
            raise ValueError(
                "answer the diagnosis (question 0) first: the next question gives it away"
            )
        verdict = judge(self.case.questions[question], choice)
        if verdict.correct is None or self.choices[question].value == verdict.choice:
            self._show_feedback(question, verdict)
            self._update_text()
        else:
            self.choices[question].value = verdict.choice
        return verdict

    def _on_choice(self, index: int, change) -> None:
        if change["new"] is None or self._holding:
            return
        verdict = judge(self.case.questions[index], change["new"])
        if index not in self.verdicts:
            self.verdicts[index] = verdict
            self.answered += 1
            self.right += int(verdict.correct)
        self._show_feedback(index, verdict)
        if index + 1 < len(self.case.questions):
            self.question_boxes[index + 1].layout.display = ""
        self._update_figure()
        self._update_text()

    def _show_feedback(self, index: int, verdict: Verdict) -> None:
        if verdict.correct is None:
            symbol, colour = "?", PALETTE["black"]
        else:
            symbol, colour = (
                ("✔", PALETTE["green"]) if verdict.correct else ("✘", PALETTE["vermillion"])
            )
        first = self.verdicts.get(index)
        counted = (
            ""
            if first is None or first.choice == verdict.choice
            else " <i>(Only your first answer counts towards the score.)</i>"
        )
        self.feedback[index].value = (
            f'<span style="color:{colour}; font-weight:bold">{symbol}</span> '
            f"{escape(verdict.text)}{counted}"
        )

    def _update_figure(self) -> None:
        offered = {r.name: r for r in self.case.ranking}
        options = self.case.questions[0].options
        best = self.case.questions[0].answer
        labels = []
        for bar, name in zip(self.bars, options):
            ranked = offered[name]
            bar.set_width(ranked.score if self.revealed else 0)
            colour = "blue" if name == best else "vermillion" if ranked.score < 0 else "grey"
            bar.set_color(PALETTE[colour] if self.revealed else PALETTE["grey"])
            labels.append(
                f"{ranked.condition.short} (best)"
                if self.revealed and name == best
                else ranked.condition.short
            )
        self.axes.set_yticks(range(len(options)), labels)
        if self.revealed:
            scores = [offered[name].score for name in options]
            self.axes.set_xlim(min(-4, min(scores) - 1), max(14, max(scores) + 1))
            self.axes.set_title("Score of each option", fontsize=FONT_SIZE)
        else:
            self.axes.set_title("Answer to see the scores", fontsize=FONT_SIZE)
        self.figure.canvas.draw_idle()

    def _update_text(self) -> None:
        self.score_view.value = f"<b>Score:</b> {escape(self.score_text)}"
        self.summary.value = f"<p><b>Summary:</b> {escape(self.summary_text)}</p>"

    @property
    def score_text(self) -> str:
        return f"{self.right} of {self.answered} questions right at the first answer"

    @property
    def summary_text(self) -> str:
        """What the trainer shows, in words (for screen readers and tests)."""
        parts = [f"Practice case {self.case_number + 1}. {self.case.vignette_text}"]
        for index, question in enumerate(self.case.questions):
            if index > 0 and 0 not in self.verdicts:
                break
            verdict = self.verdicts.get(index)
            state = (
                "not answered yet"
                if verdict is None
                else f"first answer {verdict.choice}, {'right' if verdict.correct else 'not the best answer'}"
            )
            parts.append(
                f"Question {index + 1}: {question.prompt} Options: {'; '.join(question.options)}. "
                f"{state[0].upper()}{state[1:]}."
            )
        if self.revealed:
            offered = {r.name: r.score for r in self.case.ranking}
            scores = "; ".join(f"{name} {offered[name]}" for name in self.case.questions[0].options)
            parts.append(f"The chart shows each diagnosis option's score: {scores}.")
        else:
            parts.append("The chart of each option's score appears once the diagnosis is answered.")
        parts.append(f"Score: {self.score_text}.")
        return " ".join(parts)
