"""Figures for the course widgets: built once, updated in place, live in JupyterLab.

A widget asks for a figure here instead of calling ``pyplot``: the figure is not
registered with pyplot (so no "more than 20 figures" warning ever reaches
stderr, which would zero an nbgrader test cell) and it comes with an ipympl
canvas, a real widget that the front end redraws from small image diffs.
Headless (pytest, nbclient) the same canvas works; it just has nobody watching.
"""

import sys

# ipympl's package __init__ switches pyplot to the ipympl backend whenever
# matplotlib is already imported.  The course's live figures never go through
# pyplot, so hide matplotlib for that one import: the learner's own
# ``plt.subplots()`` keeps its backend (inline in a plain notebook), and
# pyplot's display hooks are never touched.
_matplotlib = sys.modules.pop("matplotlib", None)
try:
    import ipympl  # noqa: F401
finally:
    if _matplotlib is not None:
        sys.modules["matplotlib"] = _matplotlib

from ipympl.backend_nbagg import Canvas, FigureManager  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from widgets.core.model.stages import Stage  # noqa: E402

# Okabe & Ito (2008) colour-blind-safe palette: distinguishable with the common
# colour-vision deficiencies, and in greyscale by lightness for most pairs.
PALETTE = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "grey": "#999999",
}

STAGE_COLOURS = {
    Stage.QUIET: "#FFFFFF",  # drawn with a dark edge: grey would pass for purple (scarred) with deuteranopia
    Stage.EARLY: PALETTE["yellow"],
    Stage.NECROTIC: PALETTE["vermillion"],
    Stage.CRUSTED: PALETTE["black"],
    Stage.HEALING: PALETTE["sky_blue"],
    Stage.SCARRED: PALETTE["purple"],
}
"""One colour per lesion stage, shared by every view that shows stages."""

STAGE_TEXT_COLOURS = {stage: "#FFFFFF" if stage is Stage.CRUSTED else "#000000" for stage in Stage}
"""Readable text on each stage colour (black on all but the black 'crusted')."""

FONT_SIZE = 10
"""Points; readable at 100 % zoom in JupyterLab's default layout."""


def live_figure(width: float, height: float, dpi: int = 96) -> Figure:
    """A figure of ``width`` x ``height`` inches whose ``.canvas`` is an ipympl widget.

    Put ``fig.canvas`` into a widget layout to show it.  Once all axes and artists
    exist, call :func:`freeze_layout`; after changing artists call
    ``fig.canvas.draw_idle()``.
    """
    fig = Figure(figsize=(width, height), dpi=dpi, layout="constrained")
    canvas = Canvas(fig)
    FigureManager(canvas, num=id(fig))
    canvas.header_visible = False
    canvas.footer_visible = False
    canvas.toolbar_visible = False
    canvas.resizable = False
    canvas.capture_scroll = False
    return fig


def freeze_layout(fig: Figure) -> None:
    """Lay the figure out once, then keep that layout for every later redraw.

    Constrained layout costs more than the rest of a redraw together; the axes
    of a widget's figure never move, so it is computed once here.  Only the
    layout is computed: rendering before the figure is shown would leave ipympl
    an image it cannot display (a blank figure inside a widget box).
    """
    fig.draw_without_rendering()
    fig.set_layout_engine("none")
