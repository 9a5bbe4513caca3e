"""TreatmentPlanner: patient factors in, suitable options with their warnings out.

A thin view over :func:`widgets.core.knowledge.plan_treatment` (the rules) and
``treatments.toml`` (the facts). A chosen plan can be run through the course's
teaching model (``widgets.core.model``), which is didactic and not calibrated: it shows
the direction of an effect, never a prediction for a patient.
"""

from html import escape

import ipywidgets as W

from widgets.core.choices import UnknownChoiceError, unknown_choice
from widgets.core.citations import cite
from widgets.core.knowledge import (
    PRIOR_FAILURES,
    SEVERITIES,
    Patient,
    combination_problems,
    load_knowledge,
    plan_treatment,
)
from widgets.core.knowledge.plan_scenario import plan_scenario
from widgets.core.model import Form, simulate
from widgets.views.figures import (
    FONT_SIZE,
    PALETTE,
    Blitter,
    Coalescer,
    freeze_layout,
    live_figure,
    report_errors,
)

STATUS_LABELS = {
    "suggested": "✔ Suggested",
    "consider": "◐ Consider",
    "already tried": "↺ Already tried",
    "not yet": "… Not yet",
    "blocked": "✘ Blocked",
    "not recommended": "– Not recommended",
}
STATUS_COLOURS = {
    "suggested": PALETTE["green"],
    "consider": PALETTE["orange"],
    "blocked": PALETTE["vermillion"],
}


class TreatmentPlanner(W.VBox):
    """Set the patient; read the filed options; tick a plan and run it through the model.

    >>> planner = TreatmentPlanner()
    >>> planner.pregnant.value = True
    >>> planner.plan.option("doxycycline").status
    'blocked'
    """

    def __init__(self, age: int = 40):
        Patient(age=age)
        self.knowledge = load_knowledge()
        self.age = W.BoundedIntText(value=age, min=0, max=120, description="Age (years)")
        self.pregnant = W.Checkbox(
            value=False, description="Pregnant or could be pregnant", indent=False
        )
        self.breastfeeding = W.Checkbox(value=False, description="Breastfeeding", indent=False)
        self.severity = W.ToggleButtons(options=SEVERITIES, value="mild", description="Severity")
        self.prior_failure = W.Dropdown(
            options=PRIOR_FAILURES, value="none", description="Failed so far"
        )
        self.outdoor_work = W.Checkbox(value=False, description="Works outdoors", indent=False)
        self.options_view = W.HTML()
        simulable = [t for t in self.knowledge.treatments.values() if t.model_drug]
        self.plan_choices: dict[str, W.Checkbox] = {
            t.id: W.Checkbox(
                value=False, description=t.name, indent=False, layout=W.Layout(width="auto")
            )
            for t in simulable
        }
        self.form = W.ToggleButtons(
            options=[form.value for form in Form],
            value=Form.VARIOLIFORMIS.value,
            description="Model form",
        )
        self.start_day = W.IntSlider(
            value=30, min=0, max=300, step=10, description="Start day", continuous_update=False
        )
        self.run_button = W.Button(
            description="Run plan through the model", icon="play", button_style="primary"
        )
        self.progress = W.IntProgress(
            value=0, min=0, max=2, description="Model", layout=W.Layout(width="300px")
        )
        self.plan_warning = W.HTML()
        self.result_view = W.HTML()
        self.summary = W.HTML()
        self.errors = W.Output()
        self.result = None
        self._build_figure()
        controls = [
            self.age,
            self.pregnant,
            self.breastfeeding,
            self.severity,
            self.prior_failure,
            self.outdoor_work,
        ]
        for control in controls:
            control.observe(self._on_patient, names="value")
        for checkbox in self.plan_choices.values():
            checkbox.observe(self._on_choice, names="value")
        self._model_updates = Coalescer(
            self._safe_live_update, (self.form, self.start_day, *self.plan_choices.values())
        )
        for control in (self.form, self.start_day):
            control.observe(self._model_updates.request, names="value")
        self.run_button.on_click(lambda _: self.run_model())
        super().__init__(
            [
                W.HTML("<b>Patient</b>"),
                W.HBox([self.age, self.pregnant, self.breastfeeding, self.outdoor_work]),
                W.HBox([self.severity, self.prior_failure]),
                self.options_view,
                W.HTML(
                    "<b>Choose a plan to run through the teaching model</b> "
                    "(blocked options cannot be chosen)"
                ),
                W.HBox(list(self.plan_choices.values()), layout=W.Layout(flex_flow="row wrap")),
                self.plan_warning,
                W.HBox([self.form, self.start_day]),
                W.HBox([self.run_button, self.progress]),
                self.figure.canvas,
                self.result_view,
                self.summary,
                self.errors,
            ]
        )
        self.update()

    def _build_figure(self) -> None:
        self.figure = live_figure(5.6, 2.8)
        self.axes = self.figure.add_subplot()
        positions = [0, 1, 3, 4]
        colours = [PALETTE["grey"], PALETTE["blue"]] * 2
        self.bars = self.axes.bar(positions, [0, 0, 0, 0], color=colours, width=0.8)
        self.bar_labels = [
            self.axes.text(x, 0, "", ha="center", va="bottom", fontsize=FONT_SIZE - 1)
            for x in positions
        ]
        self.axes.set_xticks(
            positions, ["untreated", "plan", "untreated", "plan"], fontsize=FONT_SIZE - 1
        )
        self.axes.text(
            0.5, -0.22, "Follicles lost", transform=self.axes.get_xaxis_transform(), ha="center"
        )
        self.axes.text(
            3.5, -0.22, "Scar area", transform=self.axes.get_xaxis_transform(), ha="center"
        )
        self.axes.set_ylabel("% after one year", fontsize=FONT_SIZE)
        self.title = self.axes.set_title(
            "Teaching model, not calibrated: press Run", fontsize=FONT_SIZE
        )
        self.axes.set_ylim(0, 100)
        freeze_layout(self.figure)
        self.blitter = Blitter(self.figure, (*self.bars, *self.bar_labels, self.title))

    @property
    def patient(self) -> Patient:
        """The patient as the controls describe them."""
        return Patient(
            age=self.age.value,
            pregnant_or_possibly=self.pregnant.value,
            breastfeeding=self.breastfeeding.value,
            severity=self.severity.value,
            prior_failure=self.prior_failure.value,
            outdoor_work=self.outdoor_work.value,
        )

    @property
    def chosen(self) -> tuple[str, ...]:
        """Ids of the treatments ticked for the plan."""
        return tuple(tid for tid, box in self.plan_choices.items() if box.value)

    def choose(self, *treatment_ids: str) -> None:
        """Tick treatments for the plan by id; blocked ones are refused with the reason."""
        for tid in treatment_ids:
            if tid not in self.plan_choices:
                raise UnknownChoiceError(
                    unknown_choice("treatment the model can run", tid, self.plan_choices)
                )
            option = self.plan.option(tid)
            if option.blocked:
                reasons = "; ".join(note.text for note in option.notes if note.blocking)
                raise ValueError(f"{option.treatment.name} is blocked for this patient: {reasons}")
            self.plan_choices[tid].value = True

    def _on_patient(self, _change) -> None:
        self.update()

    def _on_choice(self, _change) -> None:
        self._show_plan_warning()
        self._model_updates.request()

    def _runnable(self) -> bool:
        return bool(self.chosen) and not combination_problems(self.chosen, self.knowledge)

    def _safe_live_update(self) -> None:
        report_errors(self.errors, self.live_update)

    def live_update(self) -> None:
        """Rerun a valid plan at once when the plan, form or start day changes; else clear the chart."""
        if self._runnable():
            self.run_model()
        else:
            self._stale_result()

    def update(self) -> None:
        """File every option for the current patient; lock blocked options out of the plan."""
        self.plan = plan_treatment(self.patient, self.knowledge)
        for tid, box in self.plan_choices.items():
            blocked = self.plan.option(tid).blocked
            if blocked:
                box.value = False
            box.disabled = blocked
        self.options_view.value = self._options_html()
        self._show_plan_warning()
        self.live_update()

    def _options_html(self) -> str:
        rows = []
        cell = 'style="border:1px solid #ccc; padding:3px 6px; vertical-align:top; text-align:left"'
        order = list(STATUS_LABELS)
        for option in sorted(self.plan.options, key=lambda o: order.index(o.status)):
            colour = STATUS_COLOURS.get(option.status, PALETTE["black"])
            notes = "".join(
                f"<li>{'<b>BLOCKS:</b> ' if note.blocking else '⚠ '}{escape(note.text)} {cite(note.refs)}</li>"
                for note in option.notes
            )
            checks = "".join(
                f"<li>Check: {escape(note.text)} {cite(note.refs)}</li>" for note in option.checks
            )
            treatment = option.treatment
            rows.append(
                f'<tr><td {cell}><span style="color:{colour}; font-weight:bold">{STATUS_LABELS[option.status]}</span></td>'
                f"<td {cell}><b>{escape(treatment.name)}</b><br><small>Dose in the sources: "
                f"{escape(treatment.dose)} {cite(treatment.dose_refs)}</small></td>"
                f"<td {cell}>{escape(option.reason)}<ul style='margin:2px 0'>{notes}{checks}</ul></td></tr>"
            )
        return (
            '<table style="border-collapse:collapse; font-size:0.9em">'
            f"<tr><th {cell}>Status</th><th {cell}>Option</th><th {cell}>Why, and warnings</th></tr>"
            + "".join(rows)
            + "</table>"
        )

    def _show_plan_warning(self) -> None:
        problems = combination_problems(self.chosen, self.knowledge)
        self.plan_warning.value = "".join(
            f'<p style="color:{PALETTE["vermillion"]}"><b>Not allowed:</b> {escape(p.text)} {cite(p.refs)}</p>'
            for p in problems
        )

    def _stale_result(self) -> None:
        self.result = None
        self.progress.value = 0
        for bar, label in zip(self.bars, self.bar_labels):
            bar.set_height(0)
            label.set_text("")
        self.axes.set_title(
            f"Teaching model, not calibrated: tick a plan (it will start on day "
            f"{self.start_day.value})",
            fontsize=FONT_SIZE,
        )
        self.blitter.redraw()
        self.result_view.value = ""
        self.summary.value = f"<p><b>Summary:</b> {escape(self.summary_text)}</p>"

    def _scenario(self, treatment_ids=()):
        return plan_scenario(
            self.form.value,
            self.severity.value,
            treatment_ids,
            self.start_day.value,
            self.knowledge,
        )

    def run_model(self) -> None:
        """Simulate one year untreated and with the chosen plan; show follicles lost and scar."""
        if not self.chosen:
            self.result_view.value = "<p>Tick at least one option for the plan first.</p>"
            return
        if combination_problems(self.chosen, self.knowledge):
            self.result_view.value = (
                "<p>This plan combines options that must never be combined; change it first.</p>"
            )
            return
        self.progress.value = 0
        self.result_view.value = "<p>Running the teaching model…</p>"
        untreated = simulate(self._scenario())
        self.progress.value = 1
        planned = simulate(self._scenario(self.chosen))
        self.progress.value = 2
        self.result = (untreated, planned)
        values = [
            untreated.follicles_lost_pct,
            planned.follicles_lost_pct,
            untreated.scar_area_pct,
            planned.scar_area_pct,
        ]
        for bar, label, value in zip(self.bars, self.bar_labels, values):
            bar.set_height(value)
            label.set_position((bar.get_x() + bar.get_width() / 2, value))
            label.set_text(f"{value:.1f}%")
        self.axes.set_title(
            f"Teaching model, {self.form.value} form, plan from day {self.start_day.value}",
            fontsize=FONT_SIZE,
        )
        self.blitter.redraw()
        self.result_view.value = (
            "<p><i>The teaching model is didactic, not calibrated: its inflammation core follows "
            "Reynolds et al. 2006 and its fibrosis switch is reduced from Adler et al. 2020; drug effects, "
            "follicle loss and scarring are invented for teaching. Read the direction, not the numbers.</i></p>"
        )
        self.summary.value = f"<p><b>Summary:</b> {escape(self.summary_text)}</p>"

    @property
    def summary_text(self) -> str:
        """What the planner shows, in words (for screen readers and tests)."""
        p = self.patient
        factors = [f"age {p.age}", f"{p.severity} disease"]
        factors += [
            text
            for flag, text in (
                (p.pregnant_or_possibly, "pregnant or could be pregnant"),
                (p.breastfeeding, "breastfeeding"),
                (p.outdoor_work, "works outdoors"),
            )
            if flag
        ]
        if p.prior_failure != "none":
            factors.append(f"{p.prior_failure} failed")
        parts = [f"Patient: {', '.join(factors)}."]
        for status in ("suggested", "consider", "blocked"):
            names = [o.treatment.name for o in self.plan.with_status(status)]
            if names:
                parts.append(f"{STATUS_LABELS[status].split(' ', 1)[1]}: {', '.join(names)}.")
        if self.result is None:
            parts.append("The model chart is empty until the plan is run.")
        else:
            untreated, planned = self.result
            parts.append(
                f"Teaching model, {self.form.value} form: untreated {untreated.follicles_lost_pct:.1f}% of follicles "
                f"lost and {untreated.scar_area_pct:.1f}% scar area; with the plan from day {self.start_day.value} "
                f"{planned.follicles_lost_pct:.1f}% and {planned.scar_area_pct:.1f}%."
            )
        return " ".join(parts)
