"""CycleExplorer: one patient's year in the teaching model, inflammation → necrosis → fibrosis.

A thin view of ``widgets.core.model``: a few controls (form, flare severity,
scratching, one treatment with its start day and length, and a day to inspect)
run the model and redraw a figure built once.  The untreated run of the same
patient is drawn as a dashed "ghost" and kept until form, severity or scratching
change.  Every number shown comes from the model; the model is a teaching model,
not a calibrated one, and the widget says so.

Traitlets ``form``, ``day`` and ``stage`` follow the controls, so other widgets
can ``ipywidgets.dlink`` to them (a slide viewer showing the inspected stage).
"""

from numbers import Integral, Real

import ipywidgets as W
import numpy as np
import traitlets

from widgets.core.choices import one_of
from widgets.core.model import Course, Drug, Form, Scenario, Stage, Treatment, simulate
from widgets.core.model.scenario import SCRATCHING_RANGE, parse_form
from widgets.views.figures import (
    PALETTE,
    STAGE_COLOURS,
    STAGE_TEXT_COLOURS,
    freeze_layout,
    live_figure,
)

NO_TREATMENT = "none"
SEVERITY_CONTROL = (0.5, 1.2)
"""Slider range for flare severity: mild flares up to just past the chronic tipping point."""
SCRATCHING_STEP = 0.1
SEVERITY_STEP = 0.05

MODEL_NOTE = (
    "<b>Teaching model, not calibrated to patients.</b> Inflammation core (bacteria, effectors, "
    "damage, anti-inflammatory tone) after Reynolds et al. 2006; fibrosis switch reduced from "
    "Adler et al. 2020. Invented for teaching: follicle loss, scar, the depth of the two forms, "
    "flares, scratching and every drug effect. Units are abstract."
)

CYCLE = (
    (Stage.EARLY, "Inflammation", "effectors gather around the follicle"),
    (Stage.NECROTIC, "Necrosis", "damage passes the necrosis level"),
    (Stage.CRUSTED, "Crust", "necrotic tissue crusts over"),
    (Stage.HEALING, "Healing", "inflammation fades"),
    (Stage.SCARRED, "Fibrosis / scar", "lost follicles replaced by scar"),
)
"""The cycle strip: stage, box title, what happens (model terms, no clinical facts)."""


LOG_FLOOR, LOG_CEILING = 1e-3, 40.0
"""Range of the upper plot, response units (log scale): flares span four decades."""


def _check_number(name: str, value: object, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, Real) or not low <= value <= high:
        raise ValueError(f"{name} must be a number from {low:g} to {high:g}, got {value!r}")
    return float(value)


def _check_day(name: str, value: object, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, Integral) or not low <= value <= high:
        raise ValueError(
            f"{name} must be a whole number of days from {low} to {high}, got {value!r}"
        )
    return int(value)


def _treatment_name(treatment: object) -> str:
    return one_of(treatment, (NO_TREATMENT, *Drug), "treatment")


class CycleExplorer(W.VBox):
    """Explore one simulated patient: pick a form, flare severity, scratching and a treatment.

    >>> explorer = CycleExplorer(treatment="oral tetracycline", start_day=90)
    >>> explorer.inspect_day.value = 120
    >>> explorer.stage in {stage.value for stage in Stage}
    True
    """

    form = traitlets.Unicode(
        Form.VARIOLIFORMIS.value, help="Form simulated: 'miliaris' or 'varioliformis'"
    )
    day = traitlets.Int(0, help="Day inspected (0 = first day)")
    stage = traitlets.Unicode(
        Stage.QUIET.value, read_only=True, help="Lesion stage on the inspected day"
    )

    def __init__(
        self,
        form: Form | str = Form.VARIOLIFORMIS,
        severity: float = 0.9,
        scratching: float = 0.5,
        treatment: Drug | str = NO_TREATMENT,
        start_day: int = 60,
        course_days: int = 365,
        day: int = 0,
        days: int = 365,
        seed: int = 0,
    ):
        form = parse_form(form)
        severity = _check_number("severity", severity, *SEVERITY_CONTROL)
        scratching = _check_number("scratching", scratching, *SCRATCHING_RANGE)
        treatment = _treatment_name(treatment)
        days = _check_day("days", days, 30, 730)
        start_day = _check_day("start_day", start_day, 0, days - 1)
        course_days = _check_day("course_days", course_days, 7, days)
        day = _check_day("day", day, 0, days)
        self.seed = seed
        self.days = days
        super().__init__()

        style = {"description_width": "8.5em"}
        wide = W.Layout(width="24em")
        self.form_buttons = W.ToggleButtons(
            options=[(f.value, f.value) for f in Form],
            value=form.value,
            description="Form",
            style=style,
        )
        self.severity = W.FloatSlider(
            value=severity,
            min=SEVERITY_CONTROL[0],
            max=SEVERITY_CONTROL[1],
            step=SEVERITY_STEP,
            description="Flare severity",
            continuous_update=False,
            style=style,
            layout=wide,
        )
        self.scratching = W.FloatSlider(
            value=scratching,
            min=SCRATCHING_RANGE[0],
            max=SCRATCHING_RANGE[1],
            step=SCRATCHING_STEP,
            description="Scratching",
            continuous_update=False,
            style=style,
            layout=wide,
        )
        self.treatment = W.Dropdown(
            options=[NO_TREATMENT, *(drug.value for drug in Drug)],
            value=treatment,
            description="Treatment",
            style=style,
            layout=wide,
        )
        self.start_day = W.IntSlider(
            value=start_day,
            min=0,
            max=days - 1,
            description="Start day",
            continuous_update=False,
            style=style,
            layout=wide,
        )
        self.course_days = W.IntSlider(
            value=course_days,
            min=7,
            max=days,
            description="Course (days)",
            continuous_update=False,
            style=style,
            layout=wide,
        )
        self.inspect_day = W.IntSlider(
            value=day, min=0, max=days, description="Inspect day", style=style, layout=wide
        )

        self.cycle_strip = W.HTML()
        self.numbers = W.HTML()
        self.summary = W.HTML(layout=W.Layout(width="100%"))
        self.model_note = W.HTML(f'<div style="font-size:90%">{MODEL_NOTE}</div>')
        self.errors = W.Output()

        self._ghost_key = None
        self._ghost: Course | None = None
        self.course: Course | None = None
        self._build_figure()

        self.form = form.value
        self.day = day
        traitlets.link((self, "form"), (self.form_buttons, "value"))
        traitlets.link((self, "day"), (self.inspect_day, "value"))
        for control in (
            self.form_buttons,
            self.severity,
            self.scratching,
            self.treatment,
            self.start_day,
            self.course_days,
        ):
            control.observe(self._on_scenario_change, names="value")
        self.observe(self._on_day_change, names="day")
        self.refresh()
        freeze_layout(self.figure)

        controls = W.VBox(
            [
                self.form_buttons,
                self.severity,
                self.scratching,
                self.treatment,
                self.start_day,
                self.course_days,
                self.inspect_day,
            ]
        )
        self.children = [
            self.model_note,
            W.HBox([controls, self.numbers]),
            self.cycle_strip,
            self.figure.canvas,
            self.summary,
            self.errors,
        ]

    @traitlets.validate("form")
    def _valid_form(self, proposal):
        return parse_form(proposal["value"]).value

    @traitlets.validate("day")
    def _valid_day(self, proposal):
        value = proposal["value"]
        if not 0 <= value <= self.days:
            raise traitlets.TraitError(
                f"day {value} is outside the simulation; use 0 to {self.days}"
            )
        return value

    # ---- the model -------------------------------------------------------------------------

    def scenario(self) -> Scenario:
        """The scenario the controls describe."""
        treatments = ()
        if self.treatment.value != NO_TREATMENT:
            stop = self.start_day.value + self.course_days.value
            treatments = (
                Treatment(
                    self.treatment.value, self.start_day.value, stop if stop < self.days else None
                ),
            )
        return Scenario(
            form=self.form_buttons.value,
            severity=self.severity.value,
            scratching=self.scratching.value,
            treatments=treatments,
            days=self.days,
        )

    @property
    def ghost(self) -> Course:
        """The same patient untreated; recomputed only when form, severity or scratching change."""
        scenario = self.scenario().untreated
        key = (scenario.form, scenario.severity, scenario.scratching)
        if key != self._ghost_key:
            self._ghost = simulate(scenario, self.seed)
            self._ghost_key = key
        return self._ghost

    # ---- the figure ------------------------------------------------------------------------

    def _build_figure(self) -> None:
        fig = live_figure(9.0, 4.4)
        top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=(1.25, 1))
        days = np.arange(self.days + 1)
        blank = np.full(days.shape, np.nan)

        top.set_yscale("log")
        top.set_ylim(LOG_FLOOR, LOG_CEILING)
        top.set_ylabel("response units")
        top.set_title("Inflammation and damage (log scale)", fontsize=10, loc="left")
        (self.bacteria_line,) = top.plot(
            days, blank, color=PALETTE["blue"], lw=1.2, label="bacteria"
        )
        (self.effector_line,) = top.plot(
            days, blank, color=PALETTE["orange"], lw=1.2, label="inflammatory\neffectors"
        )
        (self.damage_line,) = top.plot(
            days,
            blank,
            color=PALETTE["vermillion"],
            lw=1.4,
            label="damage at the\nfollicle (daily peak)",
        )
        self.threshold_line = top.axhline(
            Course.necrosis_threshold,
            color=PALETTE["black"],
            lw=0.8,
            ls=":",
            label="necrosis threshold",
        )
        (self.flare_marks,) = top.plot(
            [], [], ls="none", marker="v", ms=5, color=PALETTE["black"], label="flare"
        )
        top.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)

        bottom.set_ylim(-2, 102)
        bottom.set_xlim(0, self.days)
        bottom.set_ylabel("% of follicle territory")
        bottom.set_xlabel("day")
        bottom.set_title("Follicles and scar", fontsize=10, loc="left")
        (self.viable_line,) = bottom.plot(
            days, blank, color=PALETTE["green"], lw=1.6, label="follicles viable"
        )
        (self.scar_line,) = bottom.plot(days, blank, color=PALETTE["purple"], lw=1.6, label="scar")
        (self.ghost_viable_line,) = bottom.plot(
            days, blank, color=PALETTE["green"], lw=1.0, ls="--", label="untreated"
        )
        (self.ghost_scar_line,) = bottom.plot(days, blank, color=PALETTE["purple"], lw=1.0, ls="--")
        self.treatment_span = bottom.axvspan(
            0, 0, color=PALETTE["yellow"], alpha=0.35, lw=0, label="treatment taken"
        )
        bottom.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)

        self.day_markers = [
            axes.axvline(0, color=PALETTE["black"], lw=0.8, ls=":") for axes in (top, bottom)
        ]
        self.figure = fig
        self.axes = (top, bottom)
        self._moving = (
            self.treatment_span,
            self.bacteria_line,
            self.effector_line,
            self.damage_line,
            self.flare_marks,
            self.ghost_viable_line,
            self.ghost_scar_line,
            self.viable_line,
            self.scar_line,
            *self.day_markers,
        )
        for artist in self._moving:
            artist.set_animated(True)
        self._background = None
        fig.canvas.mpl_connect("draw_event", self._on_full_draw)

    def _on_full_draw(self, event) -> None:
        """After any full draw: keep the static background, then add the moving artists.

        Axes, ticks, labels and legends never change, and drawing their text costs
        most of a redraw; an update only restores this background and draws the
        lines on it (matplotlib's blitting pattern).
        """
        canvas = self.figure.canvas
        if event.renderer is getattr(canvas, "renderer", None):
            self._background = canvas.copy_from_bbox(self.figure.bbox)
        for artist in self._moving:
            artist.draw(event.renderer)

    def _redraw(self) -> None:
        """Show the updated artists: blit them onto the kept background, or draw in full."""
        canvas = self.figure.canvas
        if self._background is None:
            canvas.draw_idle()
            return
        canvas.restore_region(self._background)
        renderer = canvas.get_renderer()
        for artist in self._moving:
            artist.draw(renderer)
        canvas.blit(self.figure.bbox)

    def _on_scenario_change(self, change) -> None:
        with self.errors:
            self.refresh()

    def _on_day_change(self, change) -> None:
        with self.errors:
            self._show_day()

    def refresh(self) -> None:
        """Run the model for the controls' scenario and redraw (the control observers call this)."""
        scenario = self.scenario()
        ghost = self.ghost
        course = simulate(scenario, self.seed) if scenario.treatments else ghost
        self.course = course

        self.bacteria_line.set_ydata(course.bacteria)
        self.effector_line.set_ydata(course.effectors)
        self.damage_line.set_ydata(course.follicle_damage)
        self.flare_marks.set_data(
            course.flare_days, np.full(course.flare_days.shape, LOG_CEILING * 0.5)
        )
        self.viable_line.set_ydata(100 * course.viable_follicles)
        self.scar_line.set_ydata(100 * course.scar)
        self.ghost_viable_line.set_ydata(100 * ghost.viable_follicles)
        self.ghost_scar_line.set_ydata(100 * ghost.scar)
        start, stop = self._treatment_window(scenario)
        self.treatment_span.set_x(start)
        self.treatment_span.set_width(stop - start)

        disabled = self.treatment.value == NO_TREATMENT
        self.start_day.disabled = disabled
        self.course_days.disabled = disabled
        self.numbers.value = self._numbers_html(course, ghost)
        self._show_day()

    def _treatment_window(self, scenario: Scenario) -> tuple[float, float]:
        if not scenario.treatments:
            return 0.0, 0.0
        treatment = scenario.treatments[0]
        return (
            treatment.start_day,
            treatment.stop_day if treatment.stop_day is not None else self.days,
        )

    def _show_day(self) -> None:
        day = self.day
        for marker in self.day_markers:
            marker.set_xdata([day, day])
        stage = self.course.stage_on(day)
        self.set_trait("stage", stage.value)
        self.cycle_strip.value = self._cycle_html(stage, day)
        self.summary.value = f"<p><b>What the plot shows:</b> {self.summary_text}</p>"
        self._redraw()

    # ---- text ----------------------------------------------------------------------------

    def _cycle_html(self, current: Stage, day: int) -> str:
        boxes = []
        for stage, title, what in CYCLE:
            on = stage is current
            colour = STAGE_COLOURS[stage]
            style = (
                f"background:{colour};color:{STAGE_TEXT_COLOURS[stage]};font-weight:bold;"
                f"outline:1px solid #000;"
                if on
                else f"border:1px solid {colour};color:#333;"
            )
            boxes.append(
                f'<span style="display:inline-block;padding:3px 8px;margin:2px;'
                f'border-radius:4px;{style}" title="{what}">{title}</span>'
            )
        arrow = ' <span aria-hidden="true">→</span> '
        if current is Stage.QUIET:
            where = "no active lesion (quiet)"
        else:
            where = f"stage <b>{current.label}</b>"
        return f"<div>Day {day}: {where}<br>{arrow.join(boxes)}</div>"

    @staticmethod
    def _numbers_html(course: Course, ghost: Course) -> str:
        rows = (
            (
                "Follicles lost",
                f"{course.follicles_lost_pct:.1f} %",
                f"{ghost.follicles_lost_pct:.1f} %",
            ),
            ("Scar area", f"{course.scar_area_pct:.1f} %", f"{ghost.scar_area_pct:.1f} %"),
            ("Flares", str(course.flare_count), str(ghost.flare_count)),
            ("Active lesion days", str(course.active_lesion_days), str(ghost.active_lesion_days)),
        )
        body = "".join(
            f"<tr><td>{name}</td><td><b>{this}</b></td><td>{untreated}</td></tr>"
            for name, this, untreated in rows
        )
        return (
            '<table style="margin-left:1.5em"><tr><th></th><th>this run</th>'
            f"<th>untreated</th></tr>{body}</table>"
        )

    @property
    def summary_text(self) -> str:
        """Plain-text description of what the figure currently shows (for screen readers)."""
        course, ghost = self.course, self.ghost
        scenario = course.scenario
        if scenario.treatments:
            treatment = scenario.treatments[0]
            until = (
                f"to day {treatment.stop_day:g}" if treatment.stop_day is not None else "to the end"
            )
            regimen = f"{treatment.drug.value} from day {treatment.start_day:g} {until}"
        else:
            regimen = "no treatment"
        peak = float(np.nanmax(course.follicle_damage))
        return (
            f"Teaching model, {scenario.form.value} form, flare severity {scenario.severity:.2f}, "
            f"scratching {scenario.scratching:.1f}, {regimen}. Over {scenario.days} days "
            f"{course.flare_count} flares; the damage reaching the follicle peaks at {peak:.2f} "
            f"(necrosis runs at half its top speed at {Course.necrosis_threshold:g}). By the end "
            f"{course.follicles_lost_pct:.1f} % of follicles are lost (untreated "
            f"{ghost.follicles_lost_pct:.1f} %) and scar covers {course.scar_area_pct:.1f} % "
            f"(untreated {ghost.scar_area_pct:.1f} %); a lesion is active on "
            f"{course.active_lesion_days} days (untreated {ghost.active_lesion_days}). "
            f"Day {self.day} is marked: stage {course.stage_on(self.day).label.lower()}."
        )
