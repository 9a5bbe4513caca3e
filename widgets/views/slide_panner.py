"""Panning a slide at high power by moving a picture, not by drawing the slide again.

At high power the window shows a quarter of the section's width; each step of
*Across* or *Depth* used to draw every tissue shape and cell in it again (about
20 ms in a live kernel, most of a step).  Like a slide scanner's viewer, the
panner draws the whole section once per slide at the high-power scale (about
70 ms, in idle time after the first step) and each later step copies the
window's part of that picture into the figure, then draws the frame and scale
bar on top.  The picture is the same drawing at the same scale, so what the
learner sees is what a full draw would show, but for the phase of the
cross-hatching, which here moves with the tissue.
"""

from dataclasses import dataclass

import numpy as np
from matplotlib.backends.backend_agg import RendererAgg

from widgets.core.histology.scene import SECTION_EXTENT, Scene
from widgets.views.canvas import AfterUpdate
from widgets.views.slide_renderer import SlideRenderer


@dataclass(frozen=True)
class SectionPicture:
    """The axes' inside for the whole section of ``scene`` at the high-power scale."""

    scene: Scene
    labels: bool
    dpi: float
    pixels: np.ndarray


def _pixel_box(bbox, height: int) -> tuple[slice, slice]:
    """Rows and columns of a display-space box in an RGBA buffer ``height`` rows tall
    (display y grows upwards, buffer rows downwards)."""
    rows = slice(round(height - bbox.y1), round(height - bbox.y0))
    columns = slice(round(bbox.x0), round(bbox.x1))
    return rows, columns


class SlidePanner:
    """Shows ``renderer``'s current window of the section by cropping a picture of the
    whole section drawn ``zoom`` times larger than at low power."""

    def __init__(self, renderer: SlideRenderer, zoom: int):
        self.renderer = renderer
        self.figure = renderer.ax.figure
        self.zoom = zoom
        self.section: SectionPicture | None = None
        self._build_soon = AfterUpdate(self._build_if_wanted)

    def _current(self) -> bool:
        section = self.section
        return (
            section is not None
            and section.scene is self.renderer.scene
            and section.labels == self.renderer.labels_visible
            and section.dpi == self.figure.dpi
        )

    def pan(self) -> bool:
        """Show the renderer's window from the section's picture and send it; False when
        that cannot be done (the whole section shown, no view on screen, a full draw
        pending, no picture of this slide yet: one is then drawn once the kernel is
        free), and the caller draws instead."""
        canvas = self.figure.canvas
        if self.renderer.view == SECTION_EXTENT:
            self.section = None  # low power: give back its memory (13 MB, 50 MB on a HiDPI screen)
            return False
        if not getattr(canvas, "live", False) or canvas.draw_pending:
            return False
        if not self._current():
            self._build_soon.request()
            return False
        self._paste_window(canvas.get_renderer())
        canvas.blit(self.figure.bbox)
        return True

    def _paste_window(self, renderer) -> None:
        ax = self.renderer.ax
        screen = np.asarray(renderer.buffer_rgba())
        rows, columns = _pixel_box(ax.bbox, screen.shape[0])
        section = self.section.pixels
        left, right, bottom, top = SECTION_EXTENT
        view_left, _, _, view_top = self.renderer.view
        first_row = round((top - view_top) * section.shape[0] / (top - bottom))
        first_column = round((view_left - left) * section.shape[1] / (right - left))
        height, width = rows.stop - rows.start, columns.stop - columns.start
        first_row = min(max(first_row, 0), section.shape[0] - height)
        first_column = min(max(first_column, 0), section.shape[1] - width)
        screen[rows, columns] = section[
            first_row : first_row + height, first_column : first_column + width
        ]
        for artist in self._on_top():
            artist.draw(renderer)

    def _on_top(self) -> list:
        """What stays put on screen while the section moves under it."""
        renderer = self.renderer
        return [*renderer.ax.spines.values(), renderer.scale_bar, renderer.scale_text]

    def _build_if_wanted(self) -> None:
        if not self._current() and self.renderer.scene is not None:
            self.build()

    def build(self) -> None:
        """Draw the whole section of the shown slide at the high-power scale, off screen."""
        figure, renderer, ax = self.figure, self.renderer, self.renderer.ax
        width, height = figure.get_size_inches()
        view = renderer.view
        on_top = {artist: artist.get_visible() for artist in self._on_top()}
        figure.set_size_inches(width * self.zoom, height * self.zoom, forward=False)
        try:
            renderer.set_view(*SECTION_EXTENT)
            for artist in on_top:
                artist.set_visible(False)
            large = RendererAgg(int(figure.bbox.width), int(figure.bbox.height), figure.dpi)
            ax.draw(large)
            pixels = np.asarray(large.buffer_rgba())
            rows, columns = _pixel_box(ax.bbox, pixels.shape[0])
            self.section = SectionPicture(
                renderer.scene, renderer.labels_visible, figure.dpi, pixels[rows, columns].copy()
            )
        finally:
            for artist, visible in on_top.items():
                artist.set_visible(visible)
            figure.set_size_inches(width, height, forward=False)
            renderer.set_view(*view)
