"""Figures for the course widgets: built once, updated in place, live in JupyterLab.

A widget asks for a figure here instead of calling ``pyplot``: the figure is not
registered with pyplot (so no "more than 20 figures" warning ever reaches
stderr, which would zero an nbgrader test cell) and it comes with an ipympl
canvas, a real widget that the front end redraws from small image diffs.
Headless (pytest, nbclient) the same canvas works; it just has nobody watching.
"""

import asyncio
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


COALESCE_SECONDS = 0.025
"""How long an update from the browser waits for further changes; each change that arrives
meanwhile (the rest of a burst of key presses) restarts the wait."""
COALESCE_MAX_SECONDS = 0.08
"""The longest an update is put off, so a long drag still redraws as it goes."""


class Coalescer:
    """Run ``update`` once for a burst of control changes, with only the latest values.

    Observers call ``request()``.  A change made in Python (a lesson cell, a test)
    updates at once, so code that sets a control sees the result on the next line.
    A change from the browser arrives while ipywidgets holds the control's
    property lock; it schedules one update on the kernel's event loop a moment
    later (``COALESCE_SECONDS``, restarted by each further change, at most
    ``COALESCE_MAX_SECONDS`` in all), so the messages of a burst (each only
    recording its value) are taken up by that one update: only the last value
    is computed and drawn.
    """

    def __init__(self, update, controls=()):
        self._update = update
        self._controls = tuple(controls)
        self._pending = None
        self._first_request = 0.0

    def _from_browser(self) -> bool:
        return any(getattr(control, "_property_lock", None) for control in self._controls)

    def request(self, _change=None) -> None:
        """Ask for an update (usable directly as an ``observe`` handler)."""
        loop = None
        if self._from_browser():
            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:
                loop = None
        if loop is None:
            if self._pending is not None:
                self._pending.cancel()
                self._pending = None
            self._update()
            return
        now = loop.time()
        if self._pending is None:
            self._first_request = now
        elif now - self._first_request < COALESCE_MAX_SECONDS - COALESCE_SECONDS:
            self._pending.cancel()
        else:
            return
        self._pending = loop.call_later(COALESCE_SECONDS, self.flush)

    def flush(self) -> None:
        """Run a scheduled update now (nothing to do if none is pending)."""
        pending, self._pending = self._pending, None
        if pending is not None:
            pending.cancel()
            self._update()


class Blitter:
    """Redraw only a figure's moving artists on a kept background (matplotlib's blitting).

    Axes, ticks, labels and legends of a widget's figure rarely change, and
    drawing their text costs most of a redraw.  The moving artists are marked
    animated; after every full draw the static rest is kept, and ``redraw()``
    restores it and draws only the moving artists.  A change to the static part
    needs ``fig.canvas.draw_idle()`` instead.
    """

    def __init__(self, fig: Figure, moving):
        self.figure = fig
        self.moving = tuple(moving)
        self.background = None
        for artist in self.moving:
            artist.set_animated(True)
        fig.canvas.mpl_connect("draw_event", self._on_full_draw)

    def _on_full_draw(self, event) -> None:
        canvas = self.figure.canvas
        if event.renderer is getattr(canvas, "renderer", None):
            self.background = canvas.copy_from_bbox(self.figure.bbox)
        for artist in self.moving:
            artist.draw(event.renderer)

    def redraw(self) -> None:
        """Show the moving artists as they are now: blit them, or draw in full the first time."""
        canvas = self.figure.canvas
        if self.background is None:
            canvas.draw_idle()
            return
        canvas.restore_region(self.background)
        renderer = canvas.get_renderer()
        for artist in self.moving:
            artist.draw(renderer)
        canvas.blit(self.figure.bbox)
