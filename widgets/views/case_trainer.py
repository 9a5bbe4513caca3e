"""CaseTrainer: practice cases in stages with instant explained feedback, a thin view over the case core.

Practice mode for self-learners (works on Binder, no nbgrader needed): a case
unfolds as history, examination, biopsy or swab, then management; each stage
shows its findings and asks its question, and the next stage opens once it is
answered.  Cases and their judging come from :mod:`widgets.core.knowledge.cases`.
"""

from html import escape
from numbers import Integral

import ipywidgets as W

from widgets.core.knowledge.cases import (
    DIAGNOSIS_OPTIONS,
    STAGES,
    Case,
    CaseStage,
    Verdict,
    check_seed,
    draw_case,
    judge,
)
from widgets.core.knowledge.differential import rank_conditions
from widgets.core.knowledge.loader import load_knowledge
from widgets.views.figures import FONT_SIZE, PALETTE, freeze_layout, live_figure

NOTHING_FOUND = {
    "history": "Nothing in the history that tells these diagnoses apart.",
    "examination": "Nothing on examination that tells these diagnoses apart.",
    "biopsy or swab": "No biopsy or swab result that helps here: the diagnosis rests on the clinical picture.",
}


WRAPPING_RADIO_CLASS = "course-wrapping-radio"
WRAPPING_RADIO_STYLE = (
    f"<style>.{WRAPPING_RADIO_CLASS} label {{height: auto !important; line-height: 1.35 !important; "
    "margin-bottom: 0.4em !important; white-space: normal !important;}</style>"
)
"""ipywidgets gives each radio label a fixed height, so long options overlap; these may wrap."""


class CaseTrainer(W.VBox):
    """A practice case in stages, a question at each, a running score and a "New case" button.

    >>> trainer = CaseTrainer(seed=0)
    >>> verdict = trainer.answer(trainer.case.questions[0].answer)
    >>> verdict.correct, trainer.right, trainer.answered
    (True, 1, 1)
    """

    MAX_QUESTIONS = len(STAGES)

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
        self.stage_findings = [W.HTML() for _ in STAGES]
        self.prompts = [W.HTML() for _ in STAGES]
        self.choices = [
            W.RadioButtons(options=[], value=None, layout=W.Layout(width="auto")) for _ in STAGES
        ]
        for choice in self.choices:
            choice.add_class(WRAPPING_RADIO_CLASS)
        self.feedback = [W.HTML(layout=W.Layout(min_height="2em")) for _ in STAGES]
        self.question_boxes = [
            W.VBox([findings, prompt, choice, feedback])
            for findings, prompt, choice, feedback in zip(
                self.stage_findings, self.prompts, self.choices, self.feedback
            )
        ]
        for index, choice in enumerate(self.choices):
            choice.observe(
                lambda change, index=index: self._on_choice(index, change), names="value"
            )
        self.vignette = self.stage_findings[0]
        self.new_case_button = W.Button(description="New case", icon="refresh")
        self.new_case_button.on_click(lambda _: self.new_case())
        self.score_view = W.HTML()
        self.summary = W.HTML()
        self._build_figure()
        note = W.HTML(
            "<i>Cases are assembled from the course's knowledge data, stage by stage: findings "
            "can count for or against each diagnosis. The score behind each answer is the "
            "differential explorer's teaching score (weights 1-3, added for and subtracted "
            "against), built from "
            "the course's sources: a device to make the reasoning visible, not a validated "
            "diagnostic score.</i>"
        )
        super().__init__(
            [
                self.title,
                W.HBox(
                    [
                        W.VBox(self.question_boxes, layout=W.Layout(width="55%")),
                        self.figure.canvas,
                    ]
                ),
                W.HBox([self.new_case_button, self.score_view]),
                note,
                W.HTML(WRAPPING_RADIO_STYLE),
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
        """Whether the first stage has been answered, so the chart may show the scores."""
        return 0 in self.verdicts

    @property
    def stage(self) -> int:
        """Index of the stage the learner is on: the first one not yet answered."""
        return next(
            (index for index in range(len(self.case.stages)) if index not in self.verdicts),
            len(self.case.stages),
        )

    def new_case(self) -> Case:
        """Draw the next case of this trainer's deck and show its first stage; the score carries over."""
        self.case_number += 1
        self.case = draw_case(self.seed, self.case_number, self.knowledge)
        self.verdicts = {}
        self._holding = True
        self.title.value = f"<h4>Practice case {self.case_number + 1}</h4>"
        for index, box in enumerate(self.question_boxes):
            stage = self.case.stages[index] if index < len(self.case.stages) else None
            box.layout.display = "" if index == 0 else "none"
            self.stage_findings[index].value = self._stage_html(index, stage) if stage else ""
            self.prompts[index].value = f"<b>{escape(stage.question.prompt)}</b>" if stage else ""
            self.choices[index].options = stage.question.options if stage else ()
            self.choices[index].value = None
            self.feedback[index].value = ""
        self._holding = False
        self._update_figure()
        self._update_text()
        return self.case

    @staticmethod
    def _stage_html(index: int, stage: CaseStage) -> str:
        heading = f"<h5 style='margin:0.6em 0 0.2em'>{index + 1}. {escape(stage.title)}</h5>"
        if stage.name == "management":
            return heading
        if not stage.sections:
            return f"{heading}<p>{escape(NOTHING_FOUND[stage.name])}</p>"
        items = "".join(
            f"<li><b>{escape(group)}:</b> {escape('; '.join(labels))}.</li>"
            for group, labels in stage.sections
        )
        return f"{heading}<ul style='margin:0'>{items}</ul>"

    def answer(self, choice: str, question: int = 0) -> Verdict:
        """Answer stage ``question`` (0 history, 1 examination, 2 biopsy or swab, 3 management)
        as a learner clicking an option would.

        Choices ignore case and spacing. An answer that is not an option is
        explained in the feedback and not scored. Stages open in order.
        """
        stages = self.case.stages
        if (
            isinstance(question, bool)
            or not isinstance(question, Integral)
            or not 0 <= question < len(stages)
        ):
            raise ValueError(
                f"question should be one of {list(range(len(stages)))} for this case "
                f"(0 is the history), got {question!r}"
            )
        if question > self.stage:
            raise ValueError(
                f"answer the {stages[self.stage].name} stage (question {self.stage}) first: "
                "the next stage gives it away"
            )
        verdict = judge(stages[question].question, choice)
        if verdict.correct is None or self.choices[question].value == verdict.choice:
            self._show_feedback(question, verdict)
            self._update_text()
        else:
            self.choices[question].value = verdict.choice
        return verdict

    def _on_choice(self, index: int, change) -> None:
        if change["new"] is None or self._holding:
            return
        verdict = judge(self.case.stages[index].question, change["new"])
        if index not in self.verdicts:
            self.verdicts[index] = verdict
            self.answered += 1
            self.right += int(verdict.correct)
        self._show_feedback(index, verdict)
        if index + 1 < len(self.case.stages):
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
        moved = (
            ""
            if verdict.correct is None
            else f"<br><small>{escape(self.case.stages[index].moved_by)}</small>"
        )
        self.feedback[index].value = (
            f'<span style="color:{colour}; font-weight:bold">{symbol}</span> '
            f"{escape(verdict.text)}{counted}{moved}"
        )

    def _known_findings(self) -> tuple[str, ...]:
        """The findings of every stage answered so far."""
        shown = [
            finding
            for index, stage in enumerate(self.case.stages)
            if index in self.verdicts
            for finding in stage.findings
        ]
        return tuple(finding for finding in self.case.findings if finding in shown)

    def _update_figure(self) -> None:
        options = self.case.diagnosis_options
        scores = {r.name: r for r in rank_conditions(self._known_findings(), self.knowledge)}
        top = max(scores[name].score for name in options)
        labels = []
        for bar, name in zip(self.bars, options):
            ranked = scores[name]
            bar.set_width(ranked.score if self.revealed else 0)
            leads = self.revealed and ranked.score == top
            colour = "blue" if leads else "vermillion" if ranked.score < 0 else "grey"
            bar.set_color(PALETTE[colour] if self.revealed else PALETTE["grey"])
            labels.append(f"{ranked.condition.short} (leads)" if leads else ranked.condition.short)
        self.axes.set_yticks(range(len(options)), labels)
        if self.revealed:
            values = [scores[name].score for name in options]
            self.axes.set_xlim(min(-4, min(values) - 1), max(14, max(values) + 1))
            last = max(index for index in self.verdicts if index < len(STAGES) - 1)
            self.axes.set_title(
                f"Score of each option after the {self.case.stages[last].name}",
                fontsize=FONT_SIZE,
            )
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
        parts = [f"Practice case {self.case_number + 1}, in stages."]
        for index, stage in enumerate(self.case.stages):
            if index > self.stage:
                break
            shown = " ".join(
                f"{heading}: {'; '.join(labels)}." for heading, labels in stage.sections
            ) or NOTHING_FOUND.get(stage.name, "")
            verdict = self.verdicts.get(index)
            state = (
                "not answered yet"
                if verdict is None
                else f"first answer {verdict.choice}, {'right' if verdict.correct else 'not the best answer'}"
            )
            parts.append(
                f"Stage {index + 1}, {stage.name}. {shown} Question: {stage.question.prompt} "
                f"Options: {'; '.join(stage.question.options)}. {state[0].upper()}{state[1:]}."
            )
        if self.revealed:
            scores = {r.name: r.score for r in rank_conditions(self._known_findings())}
            listed = "; ".join(f"{name} {scores[name]}" for name in self.case.diagnosis_options)
            parts.append(f"The chart shows each diagnosis option's score so far: {listed}.")
        else:
            parts.append("The chart of each option's score appears once the history is answered.")
        parts.append(f"Score: {self.score_text}.")
        return " ".join(parts)
