"""Figures for the course widgets: built once, updated in place, live in JupyterLab.

A widget asks for a figure here instead of calling ``pyplot``: the figure is not
registered with pyplot (so no "more than 20 figures" warning ever reaches
stderr, which would zero an nbgrader test cell) and it comes with an ipympl
canvas, a real widget that the front end redraws from small image diffs.
Headless (pytest, nbclient) the same canvas works; it just has nobody watching.
"""

import matplotlib
from matplotlib.figure import Figure

# Importing ipympl switches pyplot to the ipympl backend as a side effect.  The
# course's live figures never go through pyplot, so the learner's own
# ``plt.subplots()`` keeps the backend it had (inline in a plain notebook).
_learners_backend = matplotlib.get_backend()
from ipympl.backend_nbagg import Canvas, FigureManager  # noqa: E402

if matplotlib.get_backend() != _learners_backend:
    matplotlib.use(_learners_backend)

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
    of a widget's figure never move, so it is computed once here.
    """
    fig.canvas.draw()
    fig.set_layout_engine("none")
