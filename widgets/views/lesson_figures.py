"""The lessons' one-off figures and tables, so a lesson cell is one short call.

The facts drawn (sizes, counts, timelines) live here with their references, not
in the lesson's cell, where a learner asked to predict them would read them
first; the model figures ask the teaching model.
Figures are plain matplotlib ``Figure`` objects, never registered with pyplot:
a lesson hands them to ``predict(...)``, which shows them once the learner has
committed, or displays them directly.
"""

from collections.abc import Mapping
from html import escape

from IPython.display import HTML
from matplotlib.figure import Figure

from widgets.core.model import Drug, Form, Scenario, Treatment, simulate, sweep_start_day
from widgets.views.figures import PALETTE

REPORTED_SIZES_MM = {
    "Acne necrotica in general:\nprimary papule [6, 13]": (1, 2),
    "Varioliformis papules [2]": (2, 4),
    "Varioliformis papules [7]": (2, 5),
}
"""Lesion diameters as the sources quote them (ranges, not measurements); the first is general."""

PITNEY_SERIES = {"Women": 35, "Men": 12}
"""Sex of the 47 patients of one practice's series, Pitney et al. 2018 [6]."""

LESION_PHASES_WEEKS = (
    ("Papule → umbilication →\ncentral necrosis", 0, 1),
    ("Adherent haemorrhagic crust", 1, 3),
    ("Crust is shed", 3, 4),
)
"""One lesion's phases: only "a few days" and "3-4 weeks" come from the sources [2, 7];
the bar edges are drawn for illustration."""


def _figure(width: float, height: float) -> tuple[Figure, object]:
    fig = Figure(figsize=(width, height), layout="constrained")
    return fig, fig.add_subplot()


def lesion_sizes_chart() -> Figure:
    """Reported lesion diameters (mm) as bars on one scale: acne necrotica in general, then varioliformis.

    Data here, not in the lesson cell: a learner predicting the overlap must not read it first.
    """
    colours = [PALETTE["sky_blue"]] + [PALETTE["vermillion"]] * (len(REPORTED_SIZES_MM) - 1)
    fig, ax = _figure(7, 2.4)
    ax.barh(
        list(REPORTED_SIZES_MM),
        [largest - smallest for smallest, largest in REPORTED_SIZES_MM.values()],
        left=[smallest for smallest, _ in REPORTED_SIZES_MM.values()],
        color=colours,
    )
    ax.invert_yaxis()
    ax.set_xlim(0, max(largest for _, largest in REPORTED_SIZES_MM.values()) + 1)
    ax.set_xlabel("Lesion diameter (mm)")
    ax.set_title("Reported lesion sizes")
    return fig


def patients_by_sex_chart() -> Figure:
    """Two bars: how many women and men one practice's series reports [6]."""
    fig, ax = _figure(4.5, 2.8)
    counts = list(PITNEY_SERIES.values())
    bars = ax.bar(list(PITNEY_SERIES), counts, color=[PALETTE["blue"], PALETTE["orange"]])
    ax.bar_label(bars)
    ax.set_ylim(0, max(counts) * 1.15)
    ax.set_ylabel("Patients")
    ax.set_title(f"Pitney et al. 2018: one practice, {sum(counts)} patients [6]")
    return fig


def lesion_timeline_chart() -> Figure:
    """One lesion's phases as bars from start to end (weeks), with the two forms' outcomes."""
    colours = [PALETTE["orange"], PALETTE["vermillion"], PALETTE["grey"]]
    phases = LESION_PHASES_WEEKS
    fig, ax = _figure(8, 2.6)
    ax.barh(
        [label for label, _, _ in phases],
        [end - start for _, start, end in phases],
        left=[start for _, start, _ in phases],
        color=colours,
    )
    ax.invert_yaxis()
    last = max(end for _, _, end in phases)
    ax.set_xlim(0, 2 * last)
    ax.set_xlabel("Weeks after the papule appears (schematic)")
    outcome = "then: miliaris usually heals\nwithout a scar; varioliformis\nleaves a pitted scar"
    ax.text(last + 0.2, len(phases) - 1, outcome, va="center")
    ax.set_title("One lesion's evolution [2, 7]")
    return fig


def start_day_sweep_chart(step_days: int = 2) -> Figure:
    """Teaching model: follicles lost by day 365 against the day an oral tetracycline starts.

    One model run per start day and form (a vectorised sweep, well under a second).
    """
    start_days = list(range(0, 366, step_days))
    fig, ax = _figure(7, 3.2)
    for form, colour in (
        (Form.VARIOLIFORMIS, PALETTE["vermillion"]),
        (Form.MILIARIS, PALETTE["blue"]),
    ):
        regimen = Scenario(form=form, treatments=(Treatment(Drug.ORAL_TETRACYCLINE, 0),))
        ax.step(
            start_days,
            sweep_start_day(regimen, start_days),
            where="post",
            color=colour,
            label=f"{form.value} form",
        )
    ax.set_xlabel("Day the tetracycline is started (taken to the end of the year)")
    ax.set_ylabel("Follicles lost by day 365 (%)")
    ax.set_xlim(0, 365)
    ax.set_ylim(bottom=0)
    ax.legend(loc="upper left")
    ax.set_title("Teaching model: the later the start, the more follicles are lost")
    return fig


REGIMENS = {
    "no treatment": (),
    "systemic corticosteroid alone": (Treatment(Drug.SYSTEMIC_CORTICOSTEROID, 0),),
    "corticosteroid + oral tetracycline": (
        Treatment(Drug.SYSTEMIC_CORTICOSTEROID, 0),
        Treatment(Drug.ORAL_TETRACYCLINE, 0),
    ),
}
"""Lesson 2's comparison: the same patient untreated, on a steroid alone, and with an antibiotic."""


def regimen_comparison(regimens: Mapping[str, tuple[Treatment, ...]] = REGIMENS) -> HTML:
    """A table from the teaching model: late bacterial load and follicles lost per regimen."""
    cell = 'style="border:1px solid #ccc; padding:3px 8px; text-align:left"'
    rows = []
    for name, treatments in regimens.items():
        course = simulate(Scenario(treatments=treatments))
        rows.append(
            f"<tr><td {cell}>{escape(name)}</td>"
            f"<td {cell}>{course.bacteria[-30:].mean():.3g}</td>"
            f"<td {cell}>{course.follicles_lost_pct:.1f} %</td></tr>"
        )
    head = "".join(
        f"<th {cell}>{label}</th>"
        for label in ("Regimen (from day 0)", "Bacterial load, last 30 days", "Follicles lost")
    )
    return HTML(
        '<table style="border-collapse:collapse; font-size:0.92em">'
        f"<caption style='text-align:left'>Teaching model, one simulated year (abstract units; "
        f"not patient data)</caption><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}"
        "</tbody></table>"
    )
