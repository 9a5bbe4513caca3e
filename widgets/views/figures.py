"""Figures for the course widgets: built once, updated in place, live in JupyterLab.

A widget asks for a figure here instead of calling ``pyplot``: the figure is not
registered with pyplot (so no "more than 20 figures" warning ever reaches
stderr, which would zero an nbgrader test cell) and its canvas is a widget
(:class:`~widgets.views.canvas.FigureCanvas`) that the browser repaints from
small image diffs.  Headless (pytest, nbclient) the same canvas works; it just
has nobody watching.
"""

import asyncio
import traceback
from collections import OrderedDict
from contextlib import contextmanager
from dataclasses import dataclass

import ipywidgets as W
import numpy as np
from matplotlib.figure import Figure

from widgets.core.model.stages import Stage
from widgets.views.canvas import EncodedImage, FigureCanvas, compact_image, quick_image

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
    """A figure of ``width`` x ``height`` inches whose ``.canvas`` is a widget.

    Put ``fig.canvas`` into a widget layout to show it.  Once all axes and artists
    exist, call :func:`freeze_layout`; after changing artists call
    ``fig.canvas.draw_idle()``.
    """
    fig = Figure(figsize=(width, height), dpi=dpi, layout="constrained")
    FigureCanvas(fig)
    return fig


def wrapping_row() -> W.Layout:
    """A row of views that wraps onto the next line where the notebook is too narrow for
    it (a side panel open, a small screen), instead of running past the cell's edge."""
    return W.Layout(flex_flow="row wrap", align_items="flex-start")


def freeze_layout(fig: Figure) -> None:
    """Lay the figure out once, then keep that layout for every later redraw.

    Constrained layout costs more than the rest of a redraw together; the axes
    of a widget's figure never move, so it is computed once here.  Only the
    layout is computed: the figure is rendered when a view first shows it.
    """
    fig.draw_without_rendering()
    fig.set_layout_engine("none")


_held_text: dict | None = None


@contextmanager
def pictures_first():
    """Within, text updates passed to :func:`after_pictures` wait until the end, so every
    picture of a linked update reaches the browser before any caption does: the
    browser lays out new text slowly, and the learner is watching the pictures."""
    global _held_text
    if _held_text is not None:  # an enclosing update sends the text
        yield
        return
    _held_text = {}
    try:
        yield
    finally:
        held, _held_text = _held_text, None
    for update in held.values():
        update()


def after_pictures(update) -> None:
    """Run ``update`` (a view's text, from its current state) at the end of the enclosing
    :func:`pictures_first`, once however often it is asked for; at once outside one."""
    if _held_text is None:
        update()
    else:
        _held_text[update] = update


def report_errors(output, update) -> None:
    """Run ``update``; in a kernel, an error is shown in the ``output`` widget, not lost.

    An update scheduled on the kernel's event loop has no cell to show its error in.
    ``with output:`` would show it too, but costs two widget messages and a wait for the
    kernel's streams on every update, a third of a slider step.  Outside IPython (plain
    Python, tests) the error is raised, as ``with output:`` does.
    """
    try:
        update()
    except Exception:
        from IPython import get_ipython

        if get_ipython() is None:
            raise
        output.append_stderr(traceback.format_exc())


class Coalescer:
    """Run ``update`` once for a burst of control changes, with only the latest values.

    Observers call ``request()``.  A change made in Python (a lesson cell, a test)
    updates at once, so code that sets a control sees the result on the next line.
    A change from the browser arrives while ipywidgets holds the control's
    property lock; it schedules one update as the kernel's next event, which the
    changes queued with it (several controls in one message, messages already
    waiting behind a running update) join: only the last values are computed and
    drawn.  It does not wait for more: ipywidgets' front end sends a control's
    next value only once the kernel is idle, so a wait would only delay the picture.
    """

    def __init__(self, update, controls=()):
        self._update = update
        self._controls = tuple(controls)
        self._pending = None

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
        elif self._pending is None:
            self._pending = loop.call_soon(self.flush)

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
    restores it and draws only the moving artists.  Artists that change far more
    often than the rest (a day marker over the model's curves) go in ``often``:
    the picture under them is kept too, so ``redraw(often_only=True)`` draws just
    them.  A change to the static part needs ``fig.canvas.draw_idle()`` instead.
    """

    def __init__(self, fig: Figure, moving, often=()):
        self.figure = fig
        self.moving = tuple(moving)
        self.often = tuple(often)
        self.background = None
        self._under_often = None
        for artist in (*self.moving, *self.often):
            artist.set_animated(True)
        fig.canvas.mpl_connect("draw_event", self._on_full_draw)

    def _on_full_draw(self, event) -> None:
        canvas = self.figure.canvas
        live = event.renderer is getattr(canvas, "renderer", None)
        if live:
            self.background = canvas.copy_from_bbox(self.figure.bbox)
        self._draw_layers(event.renderer, keep=live)

    def _draw_layers(self, renderer, keep: bool) -> None:
        for artist in self.moving:
            artist.draw(renderer)
        if keep and self.often:
            self._under_often = self.figure.canvas.copy_from_bbox(self.figure.bbox)
        for artist in self.often:
            artist.draw(renderer)

    def redraw(self, often_only: bool = False) -> None:
        """Show the moving artists as they are now: blit them, or draw in full the first time.

        ``often_only`` promises that only the ``often`` artists changed since the last redraw.
        """
        canvas = self.figure.canvas
        if self.background is None:
            canvas.draw_idle()
            return
        renderer = canvas.get_renderer()
        if often_only and self._under_often is not None:
            canvas.restore_region(self._under_often)
            for artist in self.often:
                artist.draw(renderer)
        else:
            canvas.restore_region(self.background)
            self._draw_layers(renderer, keep=True)
        canvas.blit(self.figure.bbox)


KEPT_SCENES = 12
"""Scenes a renderer keeps what it built for: a model run's stages and a few more."""


class KeptPerScene:
    """What a renderer built for a scene (``build(scene)``), kept for the
    :data:`KEPT_SCENES` last shown, by identity: a linked day that returns to a stage
    reuses it.  ``drop(built)`` releases what falls out (artists to remove)."""

    def __init__(self, build, drop=None):
        self._build = build
        self._drop = drop
        self._kept: OrderedDict[int, tuple[object, object]] = OrderedDict()

    def __call__(self, scene):
        key = id(scene)
        kept = self._kept.get(key)
        if kept is not None and kept[0] is scene:
            self._kept.move_to_end(key)
            return kept[1]
        built = self._build(scene)
        self._kept[key] = (scene, built)
        while len(self._kept) > KEPT_SCENES:
            _, (_, dropped) = self._kept.popitem(last=False)
            if self._drop is not None:
                self._drop(dropped)
        return built


@dataclass
class KeptPicture:
    """A finished picture: what it shows (``anchor``), its pixels, and how it is sent."""

    anchor: object
    pixels: object
    encoded: EncodedImage | None = None
    compact: bool = False

    def encode_compactly(self, rgba: np.ndarray) -> None:
        self.encoded = compact_image(rgba)
        self.compact = True


class PictureCache:
    """Finished pictures of a figure kept as pixels: a view that comes back to a picture
    (a linked day crossing into a stage shown before) paints it instead of drawing it.

    ``picture_of()`` names what the figure's artists show now, as ``(anchor, details)``:
    a scene object (kept, compared by identity) and a hashable rest (labels on, view).
    Every full draw keeps its pixels under that name; ``show()`` repaints a kept
    picture and sends it encoded once (compactly, if it was drawn ahead), or draws.
    The view keeps its artists current either way, so everything else about it
    works unchanged.
    """

    LIMIT = 24
    """Pictures kept per figure (the least recently shown go first)."""

    def __init__(self, fig: Figure, picture_of):
        self.figure = fig
        self._picture_of = picture_of
        self._pictures: OrderedDict[tuple, KeptPicture] = OrderedDict()
        self._dpi = fig.dpi
        self._encode_now = False
        fig.canvas.mpl_connect("draw_event", self._keep)

    def _name(self):
        anchor, details = self._picture_of()
        return (id(anchor), details), anchor

    def _keep(self, event) -> None:
        canvas = self.figure.canvas
        if event.renderer is not getattr(canvas, "renderer", None):
            return  # a savefig or a print, not the canvas's own pixels
        if self.figure.dpi != self._dpi:
            self._pictures.clear()
            self._dpi = self.figure.dpi
        key, anchor = self._name()
        kept = KeptPicture(anchor, canvas.copy_from_bbox(self.figure.bbox))
        if self._encode_now:
            kept.encode_compactly(self._pixels())
        self._pictures[key] = kept
        self._pictures.move_to_end(key)
        while len(self._pictures) > self.LIMIT:
            self._pictures.popitem(last=False)

    def has(self) -> bool:
        """Whether the picture the artists show now is kept."""
        key, anchor = self._name()
        kept = self._pictures.get(key)
        return kept is not None and kept.anchor is anchor and self.figure.dpi == self._dpi

    def show(self) -> None:
        """Show what the artists show now: repainted if kept, else drawn (``draw_idle``)."""
        canvas = self.figure.canvas
        if not self.has():
            canvas.draw_idle()
            return
        key, _ = self._name()
        self._pictures.move_to_end(key)
        kept = self._pictures[key]
        canvas.restore_region(kept.pixels)
        if kept.encoded is None:
            kept.encoded = quick_image(self._pixels())
        canvas.show_encoded(kept.encoded)

    def _pixels(self) -> np.ndarray:
        return np.asarray(self.figure.canvas.get_renderer().buffer_rgba())

    def show_scene(self, renderer, scene, labels: bool) -> None:
        """Show ``scene`` on ``renderer`` (a view's ``show(scene, labels=...)``): repainted
        if kept, else drawn; nothing is sent if it is what the figure shows already."""
        if scene is not renderer.scene:
            renderer.show(scene, labels=labels)
        elif labels != renderer.labels_visible:
            renderer.set_labels(labels)
        else:
            return
        self.show()

    def prepare_scene(self, renderer, scene, labels: bool) -> None:
        """Draw ``scene`` ahead on ``renderer`` (a view's ``show(scene, labels=...)``), then
        return the renderer to the scene it shows."""
        shown = renderer.scene
        if shown is not None:
            self.prepare(
                lambda: renderer.show(scene, labels=labels),
                lambda: renderer.show(shown, labels=labels),
            )

    def prepare(self, set_up, put_back) -> None:
        """Draw a picture ahead and keep it: ``set_up()`` puts the artists in that picture's
        state, ``put_back()`` returns them to what is shown; the screen never changes."""
        canvas = self.figure.canvas
        if not getattr(canvas, "live", False):
            return
        shown = canvas.copy_from_bbox(self.figure.bbox)
        set_up()
        self._encode_now = True  # idle time: encode now what a step would encode later
        try:
            if not self.has():
                canvas.draw_unseen()
            elif not (kept := self._pictures[self._name()[0]]).compact:
                canvas.restore_region(kept.pixels)  # kept by a draw on screen: encode it now
                kept.encode_compactly(self._pixels())
        finally:
            self._encode_now = False
            put_back()
            canvas.restore_region(shown)
