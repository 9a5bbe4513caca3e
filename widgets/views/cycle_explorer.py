"""CycleExplorer: one patient's year in the teaching model, inflammation → necrosis → fibrosis.

A thin view of ``widgets.core.model``: a few controls (necrosis depth between
the two forms, flare severity with the model's own tipping point marked,
scratching, up to two treatments each with its start and length, a new
patient, and a day to inspect) run the model and redraw a figure built once:
the curves, and beside them a drawn follicle cluster on the inspected day.
The untreated run of the same patient is drawn as a dashed "ghost".

The necrosis threshold is the model's one number
(``widgets.core.model.parameters.NECROSIS_THRESHOLD``): the stage strip lights
*Necrosis* when the damage at the surface passes it, the dotted line is drawn
at it, the follicle drawing is necrotic wherever the damage reaching a depth
passes it, and the text quotes it.

Traitlets ``day``, ``stage``, ``form`` and ``necrosis_depth`` follow the
controls, so other widgets can follow them: ``explorer.link_to(widget)``.
Control changes from the browser are coalesced (``figures.Coalescer``): a burst
of key presses computes and draws only the last value.
"""

from numbers import Integral, Real

import ipywidgets as W
import numpy as np
import traitlets
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from widgets.core.choices import one_of
from widgets.core.model import Course, Drug, Form, Scenario, Stage, Treatment, simulate
from widgets.core.model.cluster_view import FOLLICLES, ClusterPicture, cluster_picture
from widgets.core.model.parameters import FORM_DEPTH, NECROSIS_THRESHOLD, nearest_form
from widgets.core.model.scenario import DAYS_RANGE, SCRATCHING_RANGE, parse_form
from widgets.core.model.staging import CRUST_DAYS
from widgets.core.model.tipping import chronic_severity
from widgets.views.figures import (
    PALETTE,
    STAGE_COLOURS,
    STAGE_TEXT_COLOURS,
    Blitter,
    Coalescer,
    after_pictures,
    freeze_layout,
    live_figure,
    pictures_first,
    report_errors,
    wrapping_row,
)

NO_TREATMENT = "none"
SEVERITY_CONTROL = (0.5, 1.2)
"""Slider range for flare severity: mild flares up to just past the chronic tipping point."""
SCRATCHING_STEP = 0.1
SEVERITY_STEP = 0.05
DEPTH_STEP = 0.05
TREATMENT_ROWS = 2
"""Treatments that can be combined, each with its own start and length."""
MIN_COURSE_DAYS = 7

MODEL_NOTE = (
    "<b>Teaching model, not calibrated to patients.</b> Inflammation core (bacteria, effectors, "
    "damage, anti-inflammatory tone) after Reynolds et al. 2006; fibrosis switch reduced from "
    "Adler et al. 2020. Invented for teaching: follicle loss, scar, the necrosis threshold and "
    "depth, flares, scratching and every drug effect. Units are abstract. Clock: the "
    f"inflammation of a flare lasts about a week; the crust stays {CRUST_DAYS} days after "
    "necrosis, so it is shed about 3–4 weeks after it formed, as described clinically."
)
FLARE_ASSUMPTION = (
    "<small><b>Assumption:</b> every flare is modelled as a bacterial inoculum. The trigger of "
    "acne necrotica is unknown; microbes (staphylococci, <i>C. acnes</i>) are a hypothesis, "
    "not proven.</small>"
)

CYCLE = (
    (Stage.EARLY, "Inflammation", "effectors gather around the follicle"),
    (Stage.NECROTIC, "Necrosis", "damage at the surface passes the necrosis threshold"),
    (Stage.CRUSTED, "Crust", "necrotic tissue crusts over"),
    (Stage.HEALING, "Healing", "the crust is shed, inflammation has faded"),
    (Stage.SCARRED, "Fibrosis / scar", "lost follicles replaced by scar"),
)
"""The cycle strip: stage, box title, what happens (model terms, no clinical facts)."""

LOG_FLOOR, LOG_CEILING = 1e-3, 40.0
"""Range of the upper plot, response units (log scale): flares span four decades."""

FOLLICLE_STYLE = {
    "viable": ("#FFFFFF", PALETTE["green"], "solid"),
    "lost": ("#FFFFFF", PALETTE["grey"], "dashed"),
    "scarred": (PALETTE["purple"], PALETTE["purple"], "solid"),
}
"""Face colour, edge colour and edge style of a drawn follicle in each state."""
SPAN_COLOURS = (PALETTE["yellow"], PALETTE["sky_blue"])


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


class TreatmentRow:
    """One treatment's controls: the drug, its start day and its length ("to the end" at max)."""

    def __init__(
        self, number: int, drug: str, start_day: int, course_days: int, days: int, style, layout
    ):
        self.days = days
        self.drug = W.Dropdown(
            options=[NO_TREATMENT, *(d.value for d in Drug)],
            value=drug,
            description=f"Treatment {number}",
            style=style,
            layout=layout,
        )
        self.start_day = W.IntSlider(
            value=start_day,
            min=0,
            max=days - 1,
            description="Start day",
            continuous_update=False,
            style=style,
            layout=layout,
        )
        longest = days - start_day
        self.course_days = W.IntSlider(
            value=min(course_days, longest),
            min=min(MIN_COURSE_DAYS, longest),
            max=longest,
            description="Course (days)",
            continuous_update=False,
            style=style,
            layout=layout,
        )
        self.start_day.observe(self._keep_course_inside, names="value")
        self.box = W.VBox([self.drug, self.start_day, self.course_days])

    def _keep_course_inside(self, change) -> None:
        """The course may last to the end at most; a course that ran to the end still does."""
        to_the_end = self.course_days.value >= self.days - change["old"]
        longest = self.days - change["new"]
        self.course_days.min = min(MIN_COURSE_DAYS, longest)
        self.course_days.max = longest
        if to_the_end:
            self.course_days.value = longest

    @property
    def controls(self) -> tuple[W.Widget, ...]:
        return (self.drug, self.start_day, self.course_days)

    def treatment(self) -> Treatment | None:
        """The treatment this row describes, or None if its drug is "none"."""
        if self.drug.value == NO_TREATMENT:
            return None
        start = self.start_day.value
        stop = start + self.course_days.value
        return Treatment(self.drug.value, start, stop if stop < self.days else None)

    def show_enabled(self) -> None:
        off = self.drug.value == NO_TREATMENT
        self.start_day.disabled = off
        self.course_days.disabled = off


class CycleExplorer(W.VBox):
    """Explore one simulated patient: necrosis depth, flare severity, scratching, treatments.

    >>> explorer = CycleExplorer(treatment="oral tetracycline", start_day=90)
    >>> explorer.inspect_day.value = 120
    >>> explorer.stage in {stage.value for stage in Stage}
    True
    """

    form = traitlets.Unicode(
        Form.VARIOLIFORMIS.value,
        help="Nearer end of the necrosis depth: 'miliaris' or 'varioliformis'",
    )
    necrosis_depth = traitlets.Float(
        1.0, help="How deep necrosis reaches: 0 miliaris .. 1 varioliformis"
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
        necrosis_depth: float | None = None,
        second_treatment: Drug | str = NO_TREATMENT,
        second_start_day: int = 60,
        second_course_days: int = 365,
    ):
        form = parse_form(form)
        depth = (
            FORM_DEPTH[form]
            if necrosis_depth is None
            else _check_number("necrosis_depth", necrosis_depth, 0.0, 1.0)
        )
        severity = _check_number("severity", severity, *SEVERITY_CONTROL)
        scratching = _check_number("scratching", scratching, *SCRATCHING_RANGE)
        treatments = (_treatment_name(treatment), _treatment_name(second_treatment))
        days = _check_day("days", days, 30, DAYS_RANGE[1])
        starts = (
            _check_day("start_day", start_day, 0, days - 1),
            _check_day("second_start_day", second_start_day, 0, days - 1),
        )
        lengths = (
            _check_day("course_days", course_days, MIN_COURSE_DAYS, DAYS_RANGE[1]),
            _check_day("second_course_days", second_course_days, MIN_COURSE_DAYS, DAYS_RANGE[1]),
        )
        day = _check_day("day", day, 0, days)
        if isinstance(seed, bool) or not isinstance(seed, Integral) or seed < 0:
            raise ValueError(f"seed must be a whole number 0 or larger, got {seed!r}")
        self.seed = int(seed)
        self.days = days
        self.tipping_severity = chronic_severity()
        super().__init__()

        style = {"description_width": "8.5em"}
        wide = W.Layout(width="24em")
        self.depth_slider = W.FloatSlider(
            value=depth,
            min=0.0,
            max=1.0,
            step=DEPTH_STEP,
            description="Necrosis depth",
            readout_format=".2f",
            continuous_update=False,
            style=style,
            layout=wide,
        )
        self.form_buttons = W.ToggleButtons(
            options=[(f.value, f.value) for f in Form],
            value=nearest_form(depth).value,
            description="Ends",
            tooltips=["depth 0: superficial necrosis", "depth 1: deep necrosis"],
            style={"description_width": "8.5em", "button_width": "9em"},
        )
        self.depth_ends = W.HTML(
            '<div style="margin-left:9.5em;font-size:0.85em;line-height:1.3">0 = miliaris end '
            "(superficial)<br>1 = varioliformis end (deep)</div>"
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
        self.tipping_mark = W.HTML()
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
        self.rows = [
            TreatmentRow(
                number + 1, treatments[number], starts[number], lengths[number], days, style, wide
            )
            for number in range(TREATMENT_ROWS)
        ]
        self.treatment = self.rows[0].drug
        self.start_day = self.rows[0].start_day
        self.course_days = self.rows[0].course_days
        self.new_patient_button = W.Button(
            description="New patient",
            icon="user",
            tooltip="Draw a new flare schedule (a new seed) for the same settings",
        )
        self.patient_label = W.HTML()
        self.inspect_day = W.IntSlider(
            value=day, min=0, max=days, description="Inspect day", style=style, layout=wide
        )

        self.cycle_strip = W.HTML()
        self.numbers = W.HTML()
        self.summary = W.HTML(layout=W.Layout(width="100%", margin="2px 0"))
        self.model_note = W.HTML(f'<div style="font-size:90%">{MODEL_NOTE}</div>')
        self.flare_note = W.HTML(FLARE_ASSUMPTION, layout=W.Layout(width="24em"))
        self.errors = W.Output()

        self._ghost_key = None
        self._ghost: Course | None = None
        self.course: Course | None = None
        self.picture: ClusterPicture | None = None
        self._build_figure()

        self.day = day
        self.set_trait("necrosis_depth", depth)
        self.set_trait("form", nearest_form(depth).value)
        traitlets.link((self, "day"), (self.inspect_day, "value"))
        traitlets.link((self, "necrosis_depth"), (self.depth_slider, "value"))
        self.form_buttons.observe(self._on_form_button, names="value")
        scenario_controls = (
            self.depth_slider,
            self.severity,
            self.scratching,
            *(control for row in self.rows for control in row.controls),
        )
        self._scenario_updates = Coalescer(self._safe_refresh, scenario_controls)
        self._day_updates = Coalescer(self._safe_show_day, (self.inspect_day,))
        for control in scenario_controls:
            control.observe(self._scenario_updates.request, names="value")
        self.observe(self._day_updates.request, names="day")
        self.new_patient_button.on_click(lambda _: self.new_patient())
        self.refresh()
        freeze_layout(self.figure)

        controls = W.VBox(
            [
                self.depth_slider,
                self.depth_ends,
                self.form_buttons,
                self.severity,
                self.tipping_mark,
                self.scratching,
                self.flare_note,
                W.HBox([self.new_patient_button, self.patient_label]),
                self.inspect_day,
            ],
            layout=W.Layout(width="25em", flex="none"),
        )
        treatment_box = W.VBox(
            [row.box for row in self.rows], layout=W.Layout(width="25em", flex="none")
        )
        self.children = [
            self.model_note,
            W.HBox([controls, treatment_box, self.numbers], layout=wrapping_row()),
            self.cycle_strip,
            self.figure.canvas,
            self.summary,
            self.errors,
        ]

    @traitlets.validate("form")
    def _valid_form(self, proposal):
        return parse_form(proposal["value"]).value

    @traitlets.observe("form")
    def _form_to_depth(self, change):
        """Setting the form from Python moves the depth to that form's end (unless already near it)."""
        if nearest_form(self.necrosis_depth).value != change["new"]:
            self.necrosis_depth = FORM_DEPTH[Form(change["new"])]

    @traitlets.validate("necrosis_depth")
    def _valid_depth(self, proposal):
        value = proposal["value"]
        if not 0.0 <= value <= 1.0:
            raise traitlets.TraitError(
                f"necrosis_depth {value} is outside 0 (miliaris) to 1 (varioliformis)"
            )
        return value

    @traitlets.observe("necrosis_depth")
    def _depth_to_form(self, change):
        form = nearest_form(change["new"]).value
        self.form = form
        if hasattr(self, "form_buttons"):
            self.form_buttons.value = form

    @traitlets.validate("day")
    def _valid_day(self, proposal):
        value = proposal["value"]
        if not 0 <= value <= self.days:
            raise traitlets.TraitError(
                f"day {value} is outside the simulation; use 0 to {self.days}"
            )
        return value

    def _on_form_button(self, change) -> None:
        """A form button jumps to its end of the depth scale (unless the depth is already nearer it)."""
        self.form = change["new"]

    # ---- links -----------------------------------------------------------------------------

    def link_to(self, widget) -> list:
        """Let ``widget`` follow this explorer; returns the links (``.unlink()`` each to stop).

        A widget with its own ``link_to`` (the SlideViewer) links itself; any other
        follows whichever of the traits ``day``, ``stage`` and ``form`` it has.
        """
        own = getattr(widget, "link_to", None)
        if callable(own) and not isinstance(widget, CycleExplorer):
            return list(own(self))
        has_trait = getattr(widget, "has_trait", lambda name: False)
        names = [name for name in ("day", "stage", "form") if has_trait(name)]
        if not names:
            raise TypeError(
                f"cannot link: {type(widget).__name__} has no trait day, stage or form to follow"
            )
        return [traitlets.dlink((self, name), (widget, name)) for name in names]

    # ---- the model -------------------------------------------------------------------------

    def scenario(self) -> Scenario:
        """The scenario the controls describe."""
        treatments = tuple(t for t in (row.treatment() for row in self.rows) if t is not None)
        return Scenario(
            severity=self.severity.value,
            scratching=self.scratching.value,
            treatments=treatments,
            days=self.days,
            necrosis_depth=self.depth_slider.value,
        )

    @property
    def ghost(self) -> Course:
        """The same patient untreated; recomputed only when the patient or its disease changes."""
        scenario = self.scenario().untreated
        key = (scenario.necrosis_depth, scenario.severity, scenario.scratching, self.seed)
        if key != self._ghost_key:
            self._ghost = simulate(scenario, self.seed)
            self._ghost_key = key
        return self._ghost

    def new_patient(self) -> None:
        """A new patient with the same settings: the next seed, so a new flare schedule."""
        self.seed += 1
        report_errors(self.errors, self.refresh)

    # ---- the figure ------------------------------------------------------------------------

    def _build_figure(self) -> None:
        fig = live_figure(9.8, 4.6)
        grid = fig.add_gridspec(2, 2, width_ratios=(3.0, 1.15), height_ratios=(1.25, 1))
        top = fig.add_subplot(grid[0, 0])
        bottom = fig.add_subplot(grid[1, 0], sharex=top)
        cluster = fig.add_subplot(grid[:, 1])
        days = np.arange(self.days + 1)
        blank = np.full(days.shape, np.nan)

        top.set_yscale("log")
        top.set_ylim(LOG_FLOOR, LOG_CEILING)
        top.set_ylabel("response units")
        top.set_title("Inflammation and damage (log scale)", fontsize=10, loc="left")
        top.tick_params(labelbottom=False)
        (self.bacteria_line,) = top.plot(
            days, blank, color=PALETTE["blue"], lw=1.2, label="bacteria"
        )
        (self.effector_line,) = top.plot(
            days, blank, color=PALETTE["orange"], lw=1.2, label="inflammatory\neffectors"
        )
        (self.surface_damage_line,) = top.plot(
            days,
            blank,
            color=PALETTE["vermillion"],
            lw=1.0,
            ls="--",
            label="damage at\nthe surface",
        )
        (self.damage_line,) = top.plot(
            days,
            blank,
            color=PALETTE["vermillion"],
            lw=1.5,
            label="damage reaching the\ndeep follicle (daily peak)",
        )
        self.threshold_line = top.axhline(
            NECROSIS_THRESHOLD,
            color=PALETTE["black"],
            lw=0.9,
            ls=":",
            label=f"necrosis threshold\n({NECROSIS_THRESHOLD:g}, both depths)",
        )
        (self.flare_marks,) = top.plot(
            [], [], ls="none", marker="v", ms=5, color=PALETTE["black"], label="flare"
        )
        top.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)

        bottom.set_ylim(-2, 102)
        bottom.set_xlim(0, self.days)
        bottom.set_ylabel("% of territory")
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
        # Not snapped to whole pixels: a day is less than a pixel wide, and a one-day change
        # of a course or a start day must still show (as a shaded edge).
        self.treatment_spans = [
            bottom.axvspan(
                0, 0, color=colour, alpha=0.35, lw=0, snap=False, label=f"treatment {number + 1}"
            )
            for number, colour in enumerate(SPAN_COLOURS)
        ]
        self.treatment_span = self.treatment_spans[0]
        bottom.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)

        self.day_markers = [
            axes.axvline(0, color=PALETTE["black"], lw=0.8, ls=":", snap=False)
            for axes in (top, bottom)
        ]
        cluster_artists = self._build_cluster(cluster)
        self.figure = fig
        self.axes = (top, bottom, cluster)
        self.blitter = Blitter(
            fig,
            (
                *self.treatment_spans,
                self.bacteria_line,
                self.effector_line,
                self.surface_damage_line,
                self.damage_line,
                self.flare_marks,
                self.ghost_viable_line,
                self.ghost_scar_line,
                self.viable_line,
                self.scar_line,
            ),
            often=(*self.day_markers, *cluster_artists),
        )

    def _build_cluster(self, axes) -> list:
        """A cross-section of the drawn follicle cluster: skin surface at 0, follicle bases at -1."""
        axes.set_xlim(-0.2, FOLLICLES + 0.2)
        axes.set_ylim(-1.3, 0.85)
        axes.set_axis_off()
        axes.set_xticks([])
        axes.set_yticks([])
        axes.set_title("Follicle cluster (drawn)", fontsize=10, loc="left")
        axes.add_patch(
            Rectangle((-0.2, -1.2), FOLLICLES + 0.4, 1.2, color="#EBCBC4", lw=0, zorder=0)
        )
        axes.add_patch(
            Rectangle((-0.2, -0.02), FOLLICLES + 0.4, 0.02, color=PALETTE["black"], lw=0, zorder=0)
        )
        axes.text(-0.1, -1.22, "follicle bases (skin surface at top)", fontsize=8, va="top")
        # Inflammation as a gauge in the effector line's own colour, so one colour means one thing.
        self.inflammation_patch = Rectangle(
            (-0.2, -1.2), 0.0, 0.06, color=PALETTE["orange"], lw=0, zorder=1
        )
        self.necrosis_patch = Rectangle(
            (1.5, 0.0),
            FOLLICLES - 3.0,
            0.0,
            facecolor=PALETTE["vermillion"],
            alpha=1.0,
            hatch="xx",
            edgecolor=PALETTE["vermillion"],
            lw=0,
            zorder=3,
        )
        self.crust_patch = Rectangle(
            (1.3, 0.0), FOLLICLES - 2.6, 0.14, color=PALETTE["black"], visible=False, zorder=4
        )
        self.follicle_patches = []
        self.hair_lines = []
        for index in range(FOLLICLES):
            follicle = Rectangle((index + 0.32, -1.0), 0.36, 1.0, lw=1.2, zorder=2)
            (hair,) = axes.plot(
                [index + 0.5, index + 0.62],
                [-0.92, 0.5],
                color=PALETTE["black"],
                lw=1.0,
                zorder=2.5,
            )
            axes.add_patch(follicle)
            self.follicle_patches.append(follicle)
            self.hair_lines.append(hair)
        for patch in (self.inflammation_patch, self.necrosis_patch, self.crust_patch):
            axes.add_patch(patch)
        self.cluster_day_text = axes.text(
            FOLLICLES / 2, 0.84, "", ha="center", va="top", fontsize=8
        )
        handles = [
            Patch(facecolor="#FFFFFF", edgecolor=PALETTE["green"], label="viable follicle"),
            Patch(facecolor="#FFFFFF", edgecolor=PALETTE["grey"], ls="--", label="destroyed"),
            Patch(facecolor=PALETTE["purple"], label="scar"),
            Patch(
                facecolor=PALETTE["vermillion"],
                hatch="xx",
                alpha=1.0,
                label=f"necrotic (damage ≥ {NECROSIS_THRESHOLD:g})",
            ),
            Patch(facecolor=PALETTE["black"], label="crust"),
            Line2D([], [], color=PALETTE["orange"], lw=4, label="inflammation (bar at the base)"),
        ]
        axes.legend(
            handles=handles,
            loc="upper center",
            bbox_to_anchor=(0.5, 0.0),
            ncol=2,
            fontsize=8,
            frameon=False,
        )
        return [
            self.inflammation_patch,
            *self.follicle_patches,
            *self.hair_lines,
            self.necrosis_patch,
            self.crust_patch,
            self.cluster_day_text,
        ]

    def _safe_refresh(self) -> None:
        report_errors(self.errors, self.refresh)

    def _safe_show_day(self) -> None:
        report_errors(self.errors, lambda: self._show_day(day_only=True))

    def refresh(self) -> None:
        """Run the model for the controls' scenario and redraw (the control observers call this)."""
        scenario = self.scenario()
        ghost = self.ghost
        course = simulate(scenario, self.seed) if scenario.treatments else ghost
        self.course = course

        self.bacteria_line.set_ydata(course.bacteria)
        self.effector_line.set_ydata(course.effectors)
        self.surface_damage_line.set_ydata(course.damage)
        self.damage_line.set_ydata(course.follicle_damage)
        self.flare_marks.set_data(
            course.flare_days, np.full(course.flare_days.shape, LOG_CEILING * 0.5)
        )
        self.viable_line.set_ydata(100 * course.viable_follicles)
        self.scar_line.set_ydata(100 * course.scar)
        self.ghost_viable_line.set_ydata(100 * ghost.viable_follicles)
        self.ghost_scar_line.set_ydata(100 * ghost.scar)
        for row, span in zip(self.rows, self.treatment_spans):
            treatment = row.treatment()
            start, stop = (0.0, 0.0) if treatment is None else self._window(treatment)
            span.set_x(start)
            span.set_width(stop - start)
            row.show_enabled()
        with pictures_first():
            self._show_day()
            after_pictures(self._show_run_text)

    def _show_run_text(self) -> None:
        course = self.course
        self.tipping_mark.value = self._tipping_html()
        self.patient_label.value = (
            f"Patient {self.seed + 1}: {course.flare_count} flares in {self.days} days"
        )
        self.numbers.value = self._numbers_html(course, self.ghost)

    def _window(self, treatment: Treatment) -> tuple[float, float]:
        stop = treatment.stop_day if treatment.stop_day is not None else self.days
        return treatment.start_day, stop

    def _show_day(self, day_only: bool = False) -> None:
        """Show the inspected day; ``day_only``: the model run has not changed since the last draw."""
        day = self.day
        for marker in self.day_markers:
            marker.set_xdata([day, day])
        self._draw_cluster(cluster_picture(self.course, day))
        with pictures_first():
            self.blitter.redraw(often_only=day_only)
            self.set_trait("stage", self.course.stage_on(day).value)  # linked views follow
            after_pictures(self._show_day_text)

    def _show_day_text(self) -> None:
        day = self.day
        self.cycle_strip.value = self._cycle_html(self.course.stage_on(day), day)
        self.summary.value = f"<p><b>What the plot shows:</b> {self.summary_text}</p>"

    def _draw_cluster(self, picture: ClusterPicture) -> None:
        self.picture = picture
        for state, follicle, hair in zip(picture.follicles, self.follicle_patches, self.hair_lines):
            face, edge, style = FOLLICLE_STYLE[state]
            follicle.set_facecolor(face)
            follicle.set_edgecolor(edge)
            follicle.set_linestyle(style)
            hair.set_visible(state == "viable")
        self.inflammation_patch.set_width((FOLLICLES + 0.4) * picture.inflammation)
        self.necrosis_patch.set_y(-picture.necrosis_reach)
        self.necrosis_patch.set_height(picture.necrosis_reach)
        self.crust_patch.set_visible(picture.crust)
        self.cluster_day_text.set_text(f"day {picture.day}: {picture.stage.label.lower()}")

    # ---- text ----------------------------------------------------------------------------

    def _tipping_html(self) -> str:
        """A small gauge of the severity range: the model's tipping point (▲) and the value (●)."""
        tip = self.tipping_severity
        low, high = SEVERITY_CONTROL
        at = 100 * (tip - low) / (high - low)
        now = 100 * (self.severity.value - low) / (high - low)
        above = self.severity.value >= tip
        state = (
            '<b style="color:#D55E00">above it: flares lock into chronic inflammation</b>'
            if above
            else "below it: each flare resolves"
        )
        gauge = (
            '<span style="display:inline-block;position:relative;width:10em;height:0.9em;'
            f"vertical-align:middle;background:linear-gradient(to right,#ccc {at:.1f}%,"
            f'{PALETTE["vermillion"]} {at:.1f}%)" aria-hidden="true">'
            f'<span style="position:absolute;left:calc({at:.1f}% - 0.35em);top:0.55em;'
            'font-size:0.8em">▲</span>'
            f'<span style="position:absolute;left:calc({now:.1f}% - 0.3em);top:-0.2em">●</span>'
            "</span>"
        )
        return (
            f'<div style="margin-left:9.5em;font-size:0.85em;line-height:1.3">{low:g} {gauge} '
            f"{high:g}<br>tipping point ≈ {tip:.2f} (computed by the model):<br>{state}</div>"
        )

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
        regimens = []
        for treatment in scenario.treatments:
            until = (
                f"to day {treatment.stop_day:g}" if treatment.stop_day is not None else "to the end"
            )
            regimens.append(f"{treatment.drug.value} from day {treatment.start_day:g} {until}")
        regimen = " with ".join(regimens) if regimens else "no treatment"
        threshold = NECROSIS_THRESHOLD
        surface = float(np.nanmax(course.damage))
        deep = float(np.nanmax(course.follicle_damage))
        surface_text = (
            f"passes the necrosis threshold ({threshold:g}), so the lesions turn necrotic"
            if surface >= threshold
            else f"stays below the necrosis threshold ({threshold:g}), so no lesion turns necrotic"
        )
        deep_text = (
            "passes the same threshold, so follicles are destroyed"
            if deep >= threshold
            else "stays below the same threshold, so the necrosis stays superficial"
        )
        return (
            f"Teaching model, patient {self.seed + 1}, necrosis depth "
            f"{scenario.necrosis_depth:.2f} (nearer the {scenario.form.value} end), flare severity "
            f"{scenario.severity:.2f} (tipping point {self.tipping_severity:.2f}), scratching "
            f"{scenario.scratching:.1f}, {regimen}. Over {scenario.days} days "
            f"{course.flare_count} flares. The damage at the surface peaks at {surface:.2f} and "
            f"{surface_text}; the damage reaching the deep follicle peaks at {deep:.2f} and "
            f"{deep_text}. By the end {course.follicles_lost_pct:.1f} % of follicles are lost "
            f"(untreated {ghost.follicles_lost_pct:.1f} %) and scar covers "
            f"{course.scar_area_pct:.1f} % (untreated {ghost.scar_area_pct:.1f} %); a lesion is "
            f"active on {course.active_lesion_days} days (untreated {ghost.active_lesion_days}). "
            f"Day {self.day} is marked: stage {course.stage_on(self.day).label.lower()}. "
            f"Follicle cluster: {self.picture.text if self.picture else ''}"
        )
