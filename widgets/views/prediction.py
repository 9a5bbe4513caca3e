"""Committed predictions: the learner answers first, and only then sees what the result shows.

``predict("02-pathophysiology", "one-year", CycleExplorer())`` shows the lesson's
prediction (from its data file) with a control to answer it (options, a number,
or a rough sketch with one slider per point) and a *Commit* button.  The
explorer or figure it guards is built at once but stays hidden, so *Run All*
never shows a result before the learner has committed.  On commit the controls
lock, the guarded result appears, and the prediction and the result stand side
by side with a short explanation.

In the read-only HTML copy (``make html``), where nobody can commit, the build
sets ``COURSE_STATIC_HTML=1`` and every prediction shows its result at once,
under the question.
"""

from __future__ import annotations

import io
import os
from html import escape

import ipywidgets as W
from IPython.display import Image
from matplotlib.figure import Figure

from widgets.core.knowledge.lesson_data import Prediction, load_lesson
from widgets.core.prediction import PredictionVerdict, judge_choice, judge_number, judge_sketch
from widgets.views.figures import PALETTE, freeze_layout, live_figure

STATIC_COPY_ENV = "COURSE_STATIC_HTML"
"""Set to 1 by ``scripts/build_html.py``: predictions reveal their results at once."""
_CARD = {
    "flex": "1 1 0",
    "min_width": "16em",
    "border": "1px solid #bbb",
    "padding": "4px 10px",
    "margin": "4px",
}


def predict(lesson: str, prediction_id: str, *results: object) -> Predict:
    """The prediction ``prediction_id`` of ``lesson``, guarding ``results`` until it is committed."""
    return Predict(load_lesson(lesson).prediction(prediction_id), *results)


def _as_widget(result: object) -> W.Widget:
    """A widget as it is; a matplotlib figure as its PNG; anything else as IPython shows it."""
    if isinstance(result, W.Widget):
        return result
    output = W.Output()
    if isinstance(result, Figure):
        buffer = io.BytesIO()
        result.savefig(buffer, format="png", dpi=result.dpi)
        result = Image(data=buffer.getvalue(), format="png")
    output.append_display_data(result)
    return output


def _canvases(widget: W.Widget):
    """Every figure canvas inside ``widget``: redrawn when the result is revealed."""
    stack = [widget]
    while stack:
        node = stack.pop()
        if hasattr(node, "figure") and hasattr(node, "draw_idle"):
            yield node
        stack.extend(getattr(node, "children", ()))


class Predict(W.VBox):
    """A prediction to commit before ``results`` (widgets, figures or HTML) are shown.

    >>> from widgets.core.knowledge.lesson_data import load_lesson
    >>> guard = Predict(load_lesson("01-clinical-picture").prediction("longest-phase"), "result")
    >>> guard.results_box.layout.display
    'none'
    >>> guard.commit(1).matched, guard.results_box.layout.display
    (True, 'flex')
    """

    def __init__(self, prediction: Prediction, *results: object, static: bool | None = None):
        if not results:
            raise ValueError(f"prediction {prediction.id!r} needs the result it guards")
        self.prediction = prediction
        self.verdict: PredictionVerdict | None = None
        self.committed_answer: object = None
        self.answer_control, controls = self._controls(prediction)
        self.commit_button = W.Button(
            description="Commit my prediction",
            button_style="primary",
            disabled=prediction.kind == "choice",
            tooltip="Lock in your prediction; the result appears after it",
            layout=W.Layout(width="auto"),
        )
        self.commit_button.add_class("course-prediction-commit")
        self.status = W.HTML()
        self.yours = W.HTML(layout=W.Layout(**_CARD))
        self.result_card = W.HTML(layout=W.Layout(**_CARD))
        self.comparison_box = W.HBox(
            [self.yours, self.result_card], layout=W.Layout(display="none")
        )
        self.results_box = W.VBox(
            [_as_widget(result) for result in results], layout=W.Layout(display="none")
        )
        self.results_box.add_class("course-prediction-result")
        self.commit_button.on_click(lambda _: self.commit())
        for control in self._value_controls():
            control.observe(self._on_answer, names="value")
        super().__init__(
            [
                W.HTML(f"<b>Predict, then commit.</b> {escape(prediction.prompt)}"),
                controls,
                W.HBox([self.commit_button, self.status], layout=W.Layout(align_items="center")),
                self.comparison_box,
                self.results_box,
            ]
        )
        self.add_class("course-prediction")
        self._on_answer()
        if static if static is not None else os.environ.get(STATIC_COPY_ENV) == "1":
            self._reveal_static()

    @property
    def committed(self) -> bool:
        return self.verdict is not None

    def _controls(self, prediction: Prediction) -> tuple[object, W.Widget]:
        if prediction.kind == "choice":
            choice = W.RadioButtons(
                options=[(text, index) for index, text in enumerate(prediction.options)],
                value=None,
                layout=W.Layout(width="auto"),
            )
            return choice, choice
        slider_kind = (
            W.IntSlider
            if all(
                float(v).is_integer() for v in (prediction.low, prediction.high, prediction.step)
            )
            else W.FloatSlider
        )

        def slider(description: str) -> W.Widget:
            middle = prediction.low + prediction.step * round(
                (prediction.high - prediction.low) / 2 / prediction.step
            )
            return slider_kind(
                value=middle,
                min=prediction.low,
                max=prediction.high,
                step=prediction.step,
                description=description,
                continuous_update=False,
                style={"description_width": "initial"},
                layout=W.Layout(width="26em"),
            )

        if prediction.kind == "number":
            number = slider(
                f"Your estimate ({prediction.unit})" if prediction.unit else "Your estimate"
            )
            return number, number
        points = [slider(label) for label in prediction.points]
        self.sketch_figure = self._sketch_figure(prediction, [p.value for p in points])
        return points, W.HBox([W.VBox(points), self.sketch_figure.canvas])

    def _sketch_figure(self, prediction: Prediction, values: list[float]) -> Figure:
        fig = live_figure(3.4, 2.2)
        axes = fig.add_subplot()
        positions = list(range(len(values)))
        (self._sketch_line,) = axes.plot(
            positions, values, marker="o", color=PALETTE["blue"], label="your sketch"
        )
        axes.set_xticks(positions, prediction.points, fontsize=8)
        axes.set_ylim(prediction.low, prediction.high)
        axes.set_ylabel(prediction.unit or "value", fontsize=9)
        axes.set_title("Your sketch", fontsize=10)
        freeze_layout(fig)
        return fig

    def _value_controls(self) -> list[W.Widget]:
        control = self.answer_control
        return list(control) if isinstance(control, list) else [control]

    def current_answer(self) -> object:
        """What the controls show now: an option index (or None), a number, or a list of values."""
        if isinstance(self.answer_control, list):
            return [control.value for control in self.answer_control]
        return self.answer_control.value

    def _describe(self, answer: object) -> str:
        prediction = self.prediction
        unit = f" {prediction.unit}" if prediction.unit else ""
        if prediction.kind == "choice":
            return prediction.options[answer]
        if prediction.kind == "number":
            return f"{answer:g}{unit}"
        return "; ".join(
            f"{label}: {value:g}{unit}" for label, value in zip(prediction.points, answer)
        )

    def _on_answer(self, change=None) -> None:
        if self.committed:
            return
        answer = self.current_answer()
        if self.prediction.kind == "sketch":
            self._sketch_line.set_ydata(answer)
            self.sketch_figure.canvas.draw_idle()
        if answer is None:
            self.status.value = (
                "Choose an answer, then commit it: the result appears only after you commit."
            )
            return
        self.commit_button.disabled = False
        self.status.value = (
            f"Your prediction: <i>{escape(self._describe(answer))}</i>. "
            "Press <b>Commit my prediction</b> to lock it in and see the result."
        )

    def _judge(self, answer: object) -> PredictionVerdict:
        prediction = self.prediction
        if prediction.kind == "choice":
            return judge_choice(answer, int(prediction.answer), prediction.options)
        if prediction.kind == "number":
            return judge_number(answer, prediction.answer, prediction.tolerance, prediction.unit)
        return judge_sketch(answer, prediction.shape, flat_within=prediction.step)

    def commit(self, answer: object = None) -> PredictionVerdict:
        """Lock in ``answer`` (default: what the controls show) and reveal the result.

        ``answer`` is an option index, a number or one value per sketch point.  A
        prediction is committed once; a second call returns the first verdict.
        """
        if self.committed:
            return self.verdict
        if answer is not None:
            self._set_controls(answer)
        answer = self.current_answer()
        if answer is None:
            raise ValueError("choose an option before committing the prediction")
        self.committed_answer = answer
        self.verdict = self._judge(answer)
        mark, colour = (
            ("✔", PALETTE["green"]) if self.verdict.matched else ("✘", PALETTE["vermillion"])
        )
        self.yours.value = (
            f"<b>Your prediction</b><br>{escape(self._describe(answer))}<br>"
            f'<span style="color:{colour}; font-weight:bold">{mark}</span> '
            f"{escape(self.verdict.comparison)}"
        )
        self._show_result("Prediction committed")
        return self.verdict

    def _set_controls(self, answer: object) -> None:
        if self.prediction.kind == "choice" and not 0 <= answer < len(self.prediction.options):
            raise ValueError(
                f"option {answer} does not exist; choose 0 to {len(self.prediction.options) - 1}"
            )
        if self.prediction.kind == "sketch":
            if len(answer) != len(self.answer_control):
                raise ValueError(
                    f"a sketch needs {len(self.answer_control)} values, got {len(answer)}"
                )
            for control, value in zip(self.answer_control, answer):
                control.value = value
        else:
            self.answer_control.value = answer

    def _reveal_static(self) -> None:
        self.yours.value = (
            "<b>Your prediction</b><br>Read-only copy: nothing can be committed here. "
            "Answer the question for yourself before you read on."
        )
        self._show_result("Read-only copy: result shown")

    def _show_result(self, done: str) -> None:
        for control in self._value_controls():
            control.disabled = True
        self.commit_button.disabled = True
        self.commit_button.description = done
        self.status.value = ""
        self.result_card.value = (
            f"<b>What the result shows</b><br>{escape(self.prediction.explanation)}"
        )
        self.comparison_box.layout.display = "flex"
        self.results_box.layout.display = "flex"
        for canvas in _canvases(self.results_box):
            canvas.draw_idle()
