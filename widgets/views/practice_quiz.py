"""PracticeQuiz: the graded quizzes' formats with other cases, checked as soon as an answer is committed.

For self-learners (on Binder, without nbgrader): each item has its controls, a
confidence and a *Check* button; checking locks the answer (the first answer
counts, as in the graded quiz) and shows the score and the explanation.  When
every item is checked, a summary lists the items answered confidently but
wrongly first and gives a Brier score.  Scoring and explanations come from the
assessment core; this view only shows them.

>>> quiz = PracticeQuiz("treatment")
>>> len(quiz.items) > 0
True
"""

import html

import ipywidgets as W

from widgets.core.assessment.bank.practice import PRACTICE_SETS, PRACTICE_SLIDES, practice_quiz
from widgets.core.assessment.items import UNANSWERED, BestMatch, Item, Selection, Verdicts
from widgets.core.assessment.scoring import (
    CONFIDENCE_LEVELS,
    CalibrationRow,
    brier_score,
    calibration_order,
    score,
    stated_confidence,
)
from widgets.core.choices import one_of


class ItemControl(W.VBox):
    """One item: its prompt, answer controls, a confidence, a Check button and the feedback."""

    def __init__(self, item: Item, on_checked):
        self.item = item
        self.fraction: float | None = None
        self._on_checked = on_checked
        self.answer_box = self._answer_controls(item)
        self.confidence = W.ToggleButtons(
            options=[(f"{k} {v}", k) for k, v in CONFIDENCE_LEVELS.items()],
            value=None,
            description="How sure?",
            style={"button_width": "7em"},
        )
        self.check = W.Button(description="Check", button_style="primary")
        self.check.on_click(lambda _: self.commit())
        self.feedback = W.HTML()
        super().__init__(
            [
                W.HTML(f"<b>{html.escape(item.prompt)}</b>"),
                self.answer_box,
                self.confidence,
                self.check,
                self.feedback,
            ],
            layout=W.Layout(border="1px solid #ddd", padding="6px", margin="4px 0"),
        )

    @staticmethod
    def _answer_controls(item: Item) -> W.Widget:
        if isinstance(item, BestMatch):
            return W.RadioButtons(
                options=list(item.options), value=None, layout=W.Layout(width="auto")
            )
        if isinstance(item, Selection):
            return W.VBox([W.Checkbox(description=o, indent=False) for o in item.options])
        if isinstance(item, Verdicts):
            return W.VBox(
                [
                    W.Dropdown(
                        options=[UNANSWERED, *item.verdicts],
                        description=c,
                        style={"description_width": "16em"},
                        layout=W.Layout(width="42em"),
                    )
                    for c in item.candidates
                ]
            )
        return W.FloatText(value=0.0, description=item.unit)

    def answer(self) -> object:
        """The answer in the graded quiz's plain form (a set, a dict or a number)."""
        box, item = self.answer_box, self.item
        if isinstance(item, BestMatch):
            return set() if box.value is None else {box.value}
        if isinstance(item, Selection):
            return {c.description for c in box.children if c.value}
        if isinstance(item, Verdicts):
            return {d.description: d.value for d in box.children}
        return float(box.value)

    def commit(self) -> None:
        """Lock the answer, score it and explain it."""
        if self.fraction is not None:
            return
        self.fraction = score(self.item, self.answer())
        for control in [
            self.answer_box,
            *getattr(self.answer_box, "children", ()),
            self.check,
            self.confidence,
        ]:
            control.disabled = True
        earned = self.fraction * self.item.points
        verdict = (
            "Right." if self.fraction == 1 else ("Partly right." if self.fraction else "Not right.")
        )
        self.feedback.value = (
            f"<p><b>{verdict}</b> {earned:g} of {self.item.points:g} points.</p>"
            f"<p>{html.escape(self.item.explanation)}</p>"
        )
        self._on_checked()


class PracticeQuiz(W.VBox):
    """A practice set: "differentials", "treatment" or "histology"."""

    def __init__(self, name: str = "differentials"):
        name = one_of(name, PRACTICE_SETS, "practice set")
        self.quiz = practice_quiz(name)
        self.items: list[ItemControl] = []
        self.summary = W.HTML()
        parts: list[W.Widget] = [W.HTML(f"<h3>{html.escape(self.quiz.title)}</h3>")]
        if name == "histology":
            from widgets.views.quiz_slides import quiz_slides_png

            png, texts = quiz_slides_png(PRACTICE_SLIDES)
            parts += [
                W.Image(value=png, format="png", layout=W.Layout(width="100%")),
                W.HTML("".join(f"<p>{html.escape(t)}</p>" for t in texts)),
            ]
        for case in self.quiz.cases:
            parts.append(
                W.HTML(f"<h4>{html.escape(case.title)}</h4>" + _markdown_html(case.vignette))
            )
            for item in case.items:
                control = ItemControl(item, self._update_summary)
                self.items.append(control)
                parts.append(control)
        parts.append(self.summary)
        super().__init__(parts)
        self._update_summary()

    def _update_summary(self) -> None:
        checked = [c for c in self.items if c.fraction is not None]
        if len(checked) < len(self.items):
            self.summary.value = f"<p>{len(checked)} of {len(self.items)} items checked.</p>"
            return
        rows = [
            CalibrationRow(c.item.name, c.fraction or 0.0, stated_confidence(c.confidence.value))
            for c in self.items
        ]
        wrong = [row.name for row in calibration_order(rows) if row.confident_and_wrong]
        brier = brier_score(rows)
        total = sum((c.fraction or 0.0) * c.item.points for c in self.items)
        possible = sum(c.item.points for c in self.items)
        self.summary.value = (
            f"<p><b>{total:g} of {possible:g} points.</b> Confident and wrong (look at these "
            f"first): {html.escape(', '.join(wrong) or 'none')}. Brier score of your confidence: "
            f"{'–' if brier is None else f'{brier:.2f}'} (0 is perfect).</p>"
        )

    @property
    def summary_text(self) -> str:
        return self.summary.value


def _markdown_html(text: str) -> str:
    """The vignettes' small markdown (paragraphs, **bold**) as HTML."""
    import re

    paragraphs = [html.escape(p) for p in text.split("\n\n")]
    return "".join("<p>" + re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", p) + "</p>" for p in paragraphs)
