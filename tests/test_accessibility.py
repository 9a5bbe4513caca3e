"""Accessibility of the lessons: described figures, colour-blind-safe colours, readable text.

Each lesson runs once on a real kernel (nbclient) with a small probe: a first
cell that records every matplotlib figure as it is drawn (its smallest font and
the colours its data use) and a last cell that reports the course widgets alive
in the kernel (their ``summary_text`` and what they display).  The probe cells
are removed before the checks look at the notebook.

- Every static figure (an image output) is followed by a markdown caption
  "Figure N. ..." that describes it in words; captions are numbered 1, 2, 3...
- Every course widget with a figure exposes a non-empty ``summary_text`` and
  shows it on screen, for screen-reader users.
- Colours drawn together in one figure stay apart for people with protanopia or
  deuteranopia: the Machado et al. (2009) simulation (severity 1) keeps every
  pair at least ``MIN_CVD_DELTA_E`` CIEDE2000 units apart.
- Text in figures is at least 8 pt at 100 % zoom.
- Course widgets are built only from standard ipywidgets and the course's figure canvas, whose
  controls are focusable HTML elements; the browser tests operate them by keyboard.
"""

from __future__ import annotations

import itertools
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

import nbformat
import numpy as np
import pytest
from notebook_files import LESSONS, ids, lesson_client

from widgets.core.colour import CVD_SIMULATIONS, ciede2000, colour_difference

# One worker executes each lesson once and runs every check on that run.
pytestmark = pytest.mark.xdist_group("accessibility")

CELL_TIMEOUT_SECONDS = 600
MIN_FONT_PT = 8.0
MIN_CVD_DELTA_E = 10.0
"""CIEDE2000 units: about the gap between Okabe-Ito green and grey as a deuteranope sees them."""
SAME_COLOUR_DELTA_E = 3.0
"""Colours closer than this for normal vision count as one colour (e.g. a line and its marker)."""
MAX_CATEGORICAL_COLOURS = 12
"""A figure with more distinct colours is a drawing or a colour map, not categories to tell apart."""
MIN_CAPTION_WORDS = 8
STANDARD_VIEW_MODULES = {
    "@jupyter-widgets/base",
    "@jupyter-widgets/controls",
    "@jupyter-widgets/output",
    "anywidget",  # the course's figure canvas (widgets/views/canvas.py)
}
"""Front ends whose controls are native, focusable HTML elements (operated by keys in test_browser)."""
CAPTION = re.compile(r"^\s*[*_]{0,2}Figure (\d+)\.")
IMAGE_TYPES = ("image/png", "image/jpeg", "image/svg+xml")

PROBE_SETUP = r"""
import matplotlib.figure as _a11y_figure_module
from matplotlib.collections import Collection as _A11yCollection
from matplotlib.colors import to_hex as _a11y_to_hex, to_rgba_array as _a11y_to_rgba_array
from matplotlib.lines import Line2D as _A11yLine2D
from matplotlib.patches import Patch as _A11yPatch
from matplotlib.spines import Spine as _A11ySpine
from matplotlib.text import Text as _A11yText

_a11y_records = {}
_a11y_original_draw = _a11y_figure_module.Figure.draw


def _a11y_data_colours(figure):
    rgba = []
    for axes in figure.axes:
        for artist in axes.get_children():
            if artist is axes.patch or isinstance(artist, _A11ySpine) or not artist.get_visible():
                continue
            if isinstance(artist, _A11yLine2D) and len(artist.get_xdata()):
                rgba.append(_a11y_to_rgba_array(artist.get_color(), artist.get_alpha()))
            elif isinstance(artist, _A11yPatch):
                face = _a11y_to_rgba_array(artist.get_facecolor())
                rgba.append(face if face[:, 3].any() else _a11y_to_rgba_array(artist.get_edgecolor()))
            elif isinstance(artist, _A11yCollection):
                face = _a11y_to_rgba_array(artist.get_facecolor())
                rgba.append(face if len(face) and face[:, 3].any() else _a11y_to_rgba_array(artist.get_edgecolor()))
    colours = set()
    for block in rgba:
        for red, green, blue, alpha in block:
            if alpha > 0:
                colours.add(_a11y_to_hex([1 - alpha + alpha * red, 1 - alpha + alpha * green, 1 - alpha + alpha * blue]))
    return sorted(colours)


def _a11y_recording_draw(self, renderer):
    result = _a11y_original_draw(self, renderer)
    texts = [
        text for text in self.findobj(_A11yText)
        if text.get_visible() and text.get_text().strip() and text.get_alpha() != 0
    ]
    smallest = min(texts, key=lambda text: text.get_fontsize(), default=None)
    record = _a11y_records.setdefault(id(self), {
        "execution_count": get_ipython().execution_count,
        "label": None,
        "dpi": float(self.dpi),
        "smallest_font_pt": None,
        "smallest_text": None,
        "colour_sets": [],
    })
    if smallest is not None and (record["smallest_font_pt"] is None
                                 or smallest.get_fontsize() < record["smallest_font_pt"]):
        record["smallest_font_pt"] = float(smallest.get_fontsize())
        record["smallest_text"] = smallest.get_text()[:60]
    colours = _a11y_data_colours(self)
    if colours not in record["colour_sets"]:
        record["colour_sets"].append(colours)
    return result


_a11y_figure_module.Figure.draw = _a11y_recording_draw
"""

PROBE_REPORT = r"""
import html as _a11y_html
import json as _a11y_json
import re as _a11y_re

import ipywidgets as _a11y_widgets
from ipywidgets.widgets.widget import _instances as _a11y_instances
from matplotlib.figure import Figure as _A11yFigure


def _a11y_descendants(widget):
    stack = [widget]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(getattr(node, "children", ()))


def _a11y_shown_text(widget):
    parts = [
        _a11y_html.unescape(_a11y_re.sub(r"<[^>]+>", " ", str(node.value)))
        for node in _a11y_descendants(widget)
        if isinstance(node, (_a11y_widgets.HTML, _a11y_widgets.Label, _a11y_widgets.Textarea, _a11y_widgets.HTMLMath))
    ]
    return " ".join(" ".join(parts).split())


_a11y_widget_report = []
for _a11y_widget in list(_a11y_instances.values()):
    _a11y_class = type(_a11y_widget)
    if not _a11y_class.__module__.startswith("widgets.") or _a11y_class.__module__ in (
        "widgets.views.self_check", "widgets.views.canvas"
    ):
        continue
    _a11y_figure = getattr(_a11y_widget, "figure", None)
    if not isinstance(_a11y_figure, _A11yFigure):
        continue
    _a11y_figure.draw_without_rendering()
    _a11y_records[id(_a11y_figure)]["label"] = _a11y_class.__name__
    _a11y_summary = getattr(_a11y_widget, "summary_text", None)
    _a11y_widget_report.append({
        "widget": _a11y_class.__name__,
        "summary_text": _a11y_summary if isinstance(_a11y_summary, str) else repr(_a11y_summary),
        "shown_text": _a11y_shown_text(_a11y_widget),
        "view_modules": sorted({node._view_module for node in _a11y_descendants(_a11y_widget)}),
    })
print(_a11y_json.dumps({"figures": list(_a11y_records.values()), "widgets": _a11y_widget_report}))
"""


@dataclass(frozen=True)
class FigureRecord:
    """One figure over all its draws: where it came from, its smallest text and its data colours."""

    origin: str
    effective_font_pt: float | None
    """The smallest text it ever showed, in CSS points at 100 % zoom."""
    smallest_text: str | None
    colour_sets: tuple[tuple[str, ...], ...]
    """The data colours of each distinct state it was drawn in."""


@dataclass(frozen=True)
class WidgetRecord:
    """A course widget alive after the lesson ran: its summary, its visible text, its front-end parts."""

    widget: str
    summary_text: str
    shown_text: str
    view_modules: tuple[str, ...]


@dataclass(frozen=True)
class LessonRun:
    notebook: nbformat.NotebookNode
    figures: tuple[FigureRecord, ...]
    widgets: tuple[WidgetRecord, ...]


_RUNS: dict[Path, LessonRun] = {}


def _run_with_probe(path: Path, home: Path) -> LessonRun:
    """Execute the lesson between the probe cells; return it (probe removed) and the probe's report."""
    notebook = nbformat.read(path, as_version=4)
    notebook.cells.insert(0, nbformat.v4.new_code_cell(PROBE_SETUP))
    notebook.cells.append(nbformat.v4.new_code_cell(PROBE_REPORT))
    lesson_client(notebook, path.parent, home, CELL_TIMEOUT_SECONDS).execute(
        env={**os.environ, "HOME": str(home), "MPLCONFIGDIR": str(home / "matplotlib")}
    )
    report_cell = notebook.cells.pop()
    notebook.cells.pop(0)
    stdout = "".join(o.get("text", "") for o in report_cell.outputs if o.get("name") == "stdout")
    report = json.loads(stdout.strip().splitlines()[-1])
    cell_of_count = {
        cell.execution_count: index
        for index, cell in enumerate(notebook.cells)
        if cell.cell_type == "code"
    }
    figures = tuple(
        FigureRecord(
            origin=record["label"] or f"cell {cell_of_count.get(record['execution_count'], '?')}",
            effective_font_pt=None
            if record["smallest_font_pt"] is None
            else record["smallest_font_pt"] * record["dpi"] / 96,
            smallest_text=record["smallest_text"],
            colour_sets=tuple(tuple(colours) for colours in record["colour_sets"]),
        )
        for record in report["figures"]
    )
    widgets = tuple(
        WidgetRecord(**{**entry, "view_modules": tuple(entry["view_modules"])})
        for entry in report["widgets"]
    )
    return LessonRun(notebook, figures, widgets)


@pytest.fixture
def lesson_run(request, tmp_path_factory):
    """The lesson executed once with the probe, shared by every check of this module."""
    path = request.param
    if path not in _RUNS:
        _RUNS[path] = _run_with_probe(path, tmp_path_factory.mktemp("a11y-home"))
    return _RUNS[path]


def _per_lesson(test):
    return pytest.mark.parametrize("lesson_run", LESSONS, ids=ids(LESSONS), indirect=True)(test)


def _makes_static_figure(cell) -> bool:
    return cell.cell_type == "code" and any(
        kind in output.get("data", {}) for output in cell.get("outputs", []) for kind in IMAGE_TYPES
    )


def _caption_number(cell) -> int | None:
    match = CAPTION.match(cell.source) if cell.cell_type == "markdown" else None
    return int(match.group(1)) if match else None


def confusable_pairs(colours: tuple[str, ...]) -> list[str]:
    """Pairs that differ for normal vision but fall below MIN_CVD_DELTA_E for a colour-blind viewer."""
    problems = []
    for first, second in itertools.combinations(colours, 2):
        if colour_difference(first, second) < SAME_COLOUR_DELTA_E:
            continue
        for name, matrix in CVD_SIMULATIONS.items():
            difference = colour_difference(first, second, matrix)
            if difference < MIN_CVD_DELTA_E:
                problems.append(f"{first} vs {second}: ΔE2000 {difference:.1f} with {name}")
    return problems


def test_ciede2000_matches_published_test_data():
    # Sharma, Wu & Dalal (2005), Table 1, pairs 1 and 7.
    assert ciede2000(
        np.array([50, 2.6772, -79.7751]), np.array([50, 0, -82.7485])
    ) == pytest.approx(2.0425, abs=1e-4)
    assert ciede2000(np.array([50, 0, 0]), np.array([50, -1, 2])) == pytest.approx(2.3669, abs=1e-4)


def test_simulation_confuses_red_and_green_but_not_blue_and_orange():
    for matrix in CVD_SIMULATIONS.values():
        assert colour_difference("#D00000", "#00A000", matrix) < 0.4 * colour_difference(
            "#D00000", "#00A000"
        )
        assert colour_difference("#0072B2", "#E69F00", matrix) > 2 * MIN_CVD_DELTA_E


def test_palette_colours_stay_distinct_for_colour_blind_viewers_except_known_pairs():
    from widgets.views.figures import PALETTE

    confused = {
        frozenset((first, second))
        for (first, a), (second, b) in itertools.combinations(PALETTE.items(), 2)
        if confusable_pairs((a, b))
    }
    # Okabe-Ito's one weak pair under deuteranopia; never draw these two together.
    assert confused <= {frozenset(("purple", "grey"))}, (
        f"palette pairs a colour-blind viewer confuses: {confused}"
    )


@_per_lesson
def test_every_static_figure_has_a_numbered_caption_in_words(lesson_run):
    cells = lesson_run.notebook.cells
    missing = [
        f"cell {index}"
        for index, cell in enumerate(cells)
        if _makes_static_figure(cell)
        and (
            index + 1 >= len(cells)
            or _caption_number(cells[index + 1]) is None
            or len(cells[index + 1].source.split()) < 2 + MIN_CAPTION_WORDS
        )
    ]
    assert missing == [], (
        "static figures without a following 'Figure N. <description>' markdown cell"
    )
    numbers = [number for cell in cells if (number := _caption_number(cell)) is not None]
    assert numbers == list(range(1, len(numbers) + 1)), (
        f"captions should be numbered 1, 2, 3...; found {numbers}"
    )


@_per_lesson
def test_every_widget_figure_has_a_shown_text_summary(lesson_run):
    for widget in lesson_run.widgets:
        assert widget.summary_text.strip(), f"{widget.widget} has an empty summary_text"
        shown = " ".join(widget.summary_text.split())
        assert shown in widget.shown_text, f"{widget.widget} does not display its summary_text"


@_per_lesson
def test_colours_drawn_together_stay_apart_for_colour_blind_viewers(lesson_run):
    problems = {
        figure.origin: pairs
        for figure in lesson_run.figures
        for colours in figure.colour_sets
        if len(colours) <= MAX_CATEGORICAL_COLOURS and (pairs := confusable_pairs(colours))
    }
    assert problems == {}, "colours a colour-blind viewer cannot tell apart, drawn in one figure"


@_per_lesson
def test_figure_text_is_at_least_8_pt_at_full_zoom(lesson_run):
    small = [
        f"{figure.origin}: {figure.smallest_text!r} at {figure.effective_font_pt:.1f} pt"
        for figure in lesson_run.figures
        if figure.effective_font_pt is not None and figure.effective_font_pt < MIN_FONT_PT
    ]
    assert small == [], "figure text too small to read"


@_per_lesson
def test_widgets_use_only_standard_keyboard_operable_controls(lesson_run):
    custom = {
        widget.widget: sorted(set(widget.view_modules) - STANDARD_VIEW_MODULES)
        for widget in lesson_run.widgets
        if set(widget.view_modules) - STANDARD_VIEW_MODULES
    }
    assert custom == {}, "widgets with custom front ends nobody has checked for keyboard use"
