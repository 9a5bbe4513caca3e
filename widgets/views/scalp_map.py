"""ScalpMap: a top-down scalp with its regions, showing where conditions sit or how a flare moves.

Mode "typical sites": the regions where a condition typically sits, straight from
``conditions.toml``. Mode "simulated patient": 400 follicle clusters of the
course's teaching model (``widgets.core.model.simulate_clusters``), coloured by lesion
stage on the chosen day; a day slider lets a flare come and go. The ``day``
traitlet can be linked to another widget's day, e.g.
``ipywidgets.dlink((cycle_explorer, "day"), (scalp_map, "day"))``.

Where the simulated clusters sit follows the form's sites in the knowledge data
(most on the hallmark site, the frontal hairline [3]); the exact proportions
and the drawing of the regions are invented for display.
"""

import math
from dataclasses import dataclass
from html import escape

import ipywidgets as W
import numpy as np
import traitlets
from matplotlib.lines import Line2D
from matplotlib.patches import Ellipse, Polygon, Rectangle

from widgets.core.choices import unknown_choice
from widgets.core.citations import cite
from widgets.core.knowledge import OTHER_REGIONS, SCALP_REGIONS, load_knowledge
from widgets.core.model import ACTIVE_STAGES, STAGE_ORDER, Form, Scenario, simulate_clusters
from widgets.views.figures import (
    FONT_SIZE,
    PALETTE,
    STAGE_COLOURS,
    Blitter,
    Coalescer,
    freeze_layout,
    live_figure,
)

MODES = ("typical sites", "simulated patient")
N_CLUSTERS = 400
CLUSTER_SEED = 0
MAIN_SITE_SHARE = 6
"""A simulated cluster is this many times likelier on the hallmark site than on another site (display choice)."""

FORM_CONDITION = {
    Form.MILIARIS: "acne necrotica miliaris",
    Form.VARIOLIFORMIS: "acne necrotica varioliformis",
}


# Scalp regions as annular sectors of the head ellipse, seen from above with the face at the top:
# (inner radius, outer radius, first angle, last angle); angles in degrees clockwise from the front.
HEAD_HALF_WIDTH, HEAD_HALF_LENGTH = 1.0, 1.2
REGION_SECTORS = {
    "frontal hairline": [(0.78, 1.0, -55, 55)],
    "temporal": [(0.62, 1.0, 55, 105), (0.62, 1.0, -105, -55)],
    "parietal": [(0.3, 0.62, 35, 125), (0.3, 0.62, -125, -35)],
    "vertex": [(0.0, 0.3, -180, 180)],
    "occiput": [(0.62, 1.0, 125, 235)],
    "nape": [(1.0, 1.14, 145, 215)],
}
OFF_SCALP_TILES = {region: (1.45, 1.0 - 0.5 * index) for index, region in enumerate(OTHER_REGIONS)}
"""Lower-left corners of the tiles for sites off the scalp, to the right of the head."""


def _to_xy(radius, angle_deg):
    angle = np.radians(angle_deg)
    return HEAD_HALF_WIDTH * radius * np.sin(angle), HEAD_HALF_LENGTH * radius * np.cos(angle)


def _sector_outline(r0: float, r1: float, a0: float, a1: float) -> np.ndarray:
    angles = np.linspace(a0, a1, 60)
    outer = np.column_stack(_to_xy(r1, angles))
    if r0 == 0:
        return outer
    inner = np.column_stack(_to_xy(r0, angles[::-1]))
    return np.vstack([outer, inner])


@dataclass(frozen=True)
class ClusterLayout:
    """Where simulated follicle clusters sit: x-y positions on the drawing and their regions."""

    positions: np.ndarray
    regions: tuple[str, ...]


def cluster_layout(
    form: Form | str, n_clusters: int = N_CLUSTERS, seed: int = CLUSTER_SEED
) -> ClusterLayout:
    """Positions of ``n_clusters`` clusters on the drawn scalp, mostly on the form's hallmark site.

    Sites come from the knowledge data for the form's condition; positions are uniform by
    area inside each region's sectors. Deterministic for a seed.
    """
    condition = load_knowledge().condition(FORM_CONDITION[Form(form)])
    regions = list(condition.scalp_sites)
    weights = np.array([MAIN_SITE_SHARE if r == condition.main_site else 1.0 for r in regions])
    rng = np.random.default_rng(seed)
    chosen = rng.choice(len(regions), size=n_clusters, p=weights / weights.sum())
    points = np.empty((n_clusters, 2))
    for index, region_index in enumerate(chosen):
        sectors = REGION_SECTORS[regions[region_index]]
        areas = np.array([(r1**2 - r0**2) * (a1 - a0) for r0, r1, a0, a1 in sectors])
        r0, r1, a0, a1 = sectors[rng.choice(len(sectors), p=areas / areas.sum())]
        radius = math.sqrt(rng.uniform(r0**2, r1**2))
        points[index] = _to_xy(radius, rng.uniform(a0, a1))
    return ClusterLayout(points, tuple(regions[i] for i in chosen))


class ScalpMap(W.VBox):
    """Scalp regions seen from above; typical sites of a condition, or a simulated patient by day.

    >>> scalp = ScalpMap(condition="folliculitis decalvans")
    >>> scalp.highlighted
    ('vertex', 'occiput')
    """

    day = traitlets.Int(0, help="Day of the simulated patient shown (0 = first day)")

    def __init__(
        self,
        mode: str = "typical sites",
        condition: str = "acne necrotica miliaris",
        form: str = "miliaris",
    ):
        self.knowledge = load_knowledge()
        if mode not in MODES:
            raise ValueError(unknown_choice("mode", mode, MODES))
        if form not in [f.value for f in Form]:
            raise ValueError(unknown_choice("form", form, [f.value for f in Form]))
        self.mode = W.ToggleButtons(options=MODES, value=mode, description="Show")
        self.condition = W.Dropdown(
            options=list(self.knowledge.conditions),
            description="Condition",
            value=self.knowledge.condition(condition).name,
            layout=W.Layout(width="420px"),
        )
        self.form = W.ToggleButtons(
            options=[f.value for f in Form], value=Form(form).value, description="Form"
        )
        self.day_slider = W.IntSlider(
            value=0,
            min=0,
            max=0,
            description="Day",
            continuous_update=True,
            layout=W.Layout(width="500px"),
        )
        self.progress = W.IntProgress(
            value=0, min=0, max=1, description="Model", layout=W.Layout(width="300px")
        )
        self.site_note = W.HTML()
        self.summary = W.HTML()
        self._courses: dict[Form, object] = {}
        self._layouts: dict[Form, ClusterLayout] = {}
        self._build_figure()
        W.link((self.day_slider, "value"), (self, "day"))
        self.mode.observe(lambda _: self.update(), names="value")
        self.condition.observe(lambda _: self.update(), names="value")
        self.form.observe(lambda _: self.update(), names="value")
        self._day_updates = Coalescer(self._draw_day, (self.day_slider,))
        self.observe(self._day_updates.request, names="day")
        self.site_controls = W.HBox([self.condition])
        self.patient_controls = W.VBox([W.HBox([self.form, self.progress]), self.day_slider])
        super().__init__(
            [
                self.mode,
                self.site_controls,
                self.patient_controls,
                self.figure.canvas,
                self.site_note,
                self.summary,
            ]
        )
        self.update()

    @traitlets.validate("day")
    def _valid_day(self, proposal):
        day = proposal["value"]
        last = self.day_slider.max if hasattr(self, "day_slider") else 0
        if self.mode.value == MODES[1] and not 0 <= day <= last:
            raise traitlets.TraitError(f"day {day} is outside the simulated year; use 0 to {last}")
        return day

    def _build_figure(self) -> None:
        self.figure = live_figure(6.6, 4.4)
        self.axes = self.figure.add_subplot()
        self.axes.set_aspect("equal")
        self.axes.set_xlim(-2.45, 2.4)
        self.axes.set_ylim(-1.5, 1.62)
        self.axes.axis("off")
        self.axes.add_patch(
            Ellipse((0, 0), 2 * HEAD_HALF_WIDTH, 2 * HEAD_HALF_LENGTH, fill=False, linewidth=1.5)
        )
        self.axes.plot([-0.12, 0, 0.12], [1.2, 1.36, 1.2], color=PALETTE["black"], linewidth=1.5)
        self.axes.text(0, 1.38, "face", ha="center", va="bottom", fontsize=FONT_SIZE - 2)
        self.region_patches: dict[str, list] = {}
        for region, sectors in REGION_SECTORS.items():
            patches = [
                Polygon(
                    _sector_outline(*sector),
                    closed=True,
                    facecolor="white",
                    edgecolor=PALETTE["grey"],
                    linewidth=0.8,
                )
                for sector in sectors
            ]
            for patch in patches:
                self.axes.add_patch(patch)
            self.region_patches[region] = patches
            for r0, r1, a0, a1 in sectors:
                x, y = _to_xy((r0 + r1) / 2 if r0 else 0.0, (a0 + a1) / 2)
                self.axes.text(
                    x,
                    y,
                    region.replace(" ", "\n"),
                    ha="center",
                    va="center",
                    fontsize=FONT_SIZE - 2,
                    zorder=4,
                )
        for region, (x, y) in OFF_SCALP_TILES.items():
            tile = Rectangle((x, y), 0.9, 0.38, facecolor="white", edgecolor=PALETTE["grey"])
            self.axes.add_patch(tile)
            self.region_patches[region] = [tile]
            self.axes.text(
                x + 0.45, y + 0.19, region, ha="center", va="center", fontsize=FONT_SIZE - 2
            )
        self.axes.text(1.9, 1.5, "off the scalp", ha="center", va="top", fontsize=FONT_SIZE - 2)
        self.clusters = self.axes.scatter(
            np.zeros(N_CLUSTERS),
            np.zeros(N_CLUSTERS),
            s=14,
            edgecolors=PALETTE["black"],
            linewidths=0.3,
            visible=False,
            zorder=3,
        )
        self.title = self.axes.set_title(
            "Typical sites: acne necrotica varioliformis", fontsize=FONT_SIZE
        )
        stage_handles = [
            Line2D(
                [],
                [],
                marker="o",
                linestyle="",
                markerfacecolor=STAGE_COLOURS[s],
                markeredgecolor=PALETTE["black"],
                label=s.label,
            )
            for s in STAGE_ORDER
        ]
        site_handles = [
            Rectangle(
                (0, 0), 1, 1, facecolor=PALETTE["vermillion"], hatch="//", label="hallmark site"
            ),
            Rectangle((0, 0), 1, 1, facecolor=PALETTE["orange"], label="typical site"),
        ]
        self.site_legend = self.axes.legend(
            handles=site_handles, loc="center left", fontsize=FONT_SIZE - 2
        )
        self.axes.add_artist(self.site_legend)
        self.stage_legend = self.axes.legend(
            handles=stage_handles,
            loc="center left",
            fontsize=FONT_SIZE - 2,
            title="Stage",
            title_fontsize=FONT_SIZE - 2,
        )
        freeze_layout(self.figure)
        self.blitter = Blitter(self.figure, (self.clusters, self.title))

    @property
    def highlighted(self) -> tuple[str, ...]:
        """Regions coloured in 'typical sites' mode (empty in the other mode)."""
        if self.mode.value != MODES[0]:
            return ()
        return self.knowledge.condition(self.condition.value).sites

    def update(self) -> None:
        """Redraw for the current mode, condition or form."""
        sites_mode = self.mode.value == MODES[0]
        self.site_controls.layout.display = None if sites_mode else "none"
        self.patient_controls.layout.display = "none" if sites_mode else None
        self.stage_legend.set_visible(not sites_mode)
        self.site_legend.set_visible(sites_mode)
        self.clusters.set_visible(not sites_mode)
        if sites_mode:
            self._draw_sites()
        else:
            self._load_course()
            self._draw_day()
            self.figure.canvas.draw_idle()

    def _draw_sites(self) -> None:
        condition = self.knowledge.condition(self.condition.value)
        for region, patches in self.region_patches.items():
            main, typical = region == condition.main_site, region in condition.sites
            for patch in patches:
                patch.set_facecolor(
                    PALETTE["vermillion"] if main else PALETTE["orange"] if typical else "white"
                )
                patch.set_hatch("//" if main else None)
        self.title.set_text(f"Typical sites: {condition.name}")
        self.site_note.value = (
            f"<p>{escape(condition.site_note or 'Sites: ' + ', '.join(condition.sites))} "
            f"{cite(condition.site_refs)}</p>"
        )
        self.figure.canvas.draw_idle()
        self.summary.value = f"<p><b>Summary:</b> {escape(self.summary_text)}</p>"

    def _load_course(self) -> None:
        form = Form(self.form.value)
        if form not in self._courses:
            self.progress.value = 0
            self.site_note.value = (
                f"<p>Simulating {N_CLUSTERS} follicle clusters with the teaching model…</p>"
            )
            self._courses[form] = simulate_clusters(
                Scenario(form=form), n_clusters=N_CLUSTERS, seed=CLUSTER_SEED
            )
            self._layouts[form] = cluster_layout(form)
        self.progress.value = 1
        course = self._courses[form]
        self.day_slider.max = int(course.stage_codes.shape[1]) - 1
        self.clusters.set_offsets(self._layouts[form].positions)
        for patches in self.region_patches.values():
            for patch in patches:
                patch.set_facecolor("white")
                patch.set_hatch(None)
        self.site_note.value = (
            "<p><i>Teaching model, not calibrated: each dot is a cluster of follicles from "
            "widgets.core.model (inflammation core after Reynolds et al. 2006, fibrosis switch reduced from "
            "Adler et al. 2020; flare timing, follicle loss and scarring invented for teaching). Most clusters "
            f"sit on the frontal hairline, the hallmark site {cite(self.knowledge.condition(FORM_CONDITION[form]).site_refs)}; "
            "the proportions are a display choice.</i></p>"
        )

    @property
    def stages_today(self) -> np.ndarray:
        """Stage code of every cluster on the shown day (index into STAGE_ORDER)."""
        course = self._courses[Form(self.form.value)]
        return np.asarray(course.stage_codes[:, self.day])

    def _draw_day(self) -> None:
        if self.mode.value != MODES[1]:
            return
        codes = self.stages_today
        self.clusters.set_facecolors([STAGE_COLOURS[STAGE_ORDER[code]] for code in codes])
        active = np.isin(codes, [STAGE_ORDER.index(s) for s in ACTIVE_STAGES])
        self.clusters.set_sizes(np.where(active, 30.0, 10.0))
        self.title.set_text(f"Simulated patient ({self.form.value}), day {self.day}")
        self.blitter.redraw()
        self.summary.value = f"<p><b>Summary:</b> {escape(self.summary_text)}</p>"

    def _active_region_counts(self, active: np.ndarray) -> dict[str, int]:
        regions = np.array(self._layouts[Form(self.form.value)].regions)[active]
        return {
            region: int(np.sum(regions == region))
            for region in SCALP_REGIONS
            if np.any(regions == region)
        }

    @property
    def summary_text(self) -> str:
        """What the map shows, in words (for screen readers and tests)."""
        if self.mode.value == MODES[0]:
            condition = self.knowledge.condition(self.condition.value)
            main = f" (hallmark: {condition.main_site})" if condition.main_site else ""
            return (
                f"Scalp map of typical sites for {condition.name}: highlighted regions are "
                f"{', '.join(condition.sites)}{main}."
            )
        codes = self.stages_today
        counts = {stage: int(np.sum(codes == index)) for index, stage in enumerate(STAGE_ORDER)}
        active = np.isin(codes, [STAGE_ORDER.index(s) for s in ACTIVE_STAGES])
        where = ", ".join(
            f"{region} {count}" for region, count in self._active_region_counts(active).items()
        )
        stages = ", ".join(f"{counts[s]} {s.value}" for s in STAGE_ORDER)
        return (
            f"Simulated patient, {self.form.value} form, day {self.day} of {self.day_slider.max}: "
            f"{int(active.sum())} of {len(codes)} follicle clusters active ({stages})"
            + (f"; active clusters by region: {where}." if where else ".")
        )
