"""Draw a :class:`~widgets.core.clinical.scene.ClinicalScene`: filled polygons, labels, a scale bar.

All colours come from the scene; the renderer adds only black-on-white labels
and the scale bar, which read on every skin tone.  :class:`ClinicalRenderer`
keeps the axes and its label, scale-bar and notice artists, and replaces only
the scene's polygons when the scene changes.
"""

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import PathCollection
from matplotlib.colors import to_hex, to_rgba_array
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.path import Path

from widgets.core.clinical.scene import EXTENT, SCALE_BAR_MM, VIEW_EXTENT, ClinicalScene
from widgets.views.figures import FONT_SIZE, PALETTE, KeptPerScene

NOTICE = "Illustration, not a photograph"
_LABEL_BOX = dict(
    boxstyle="round,pad=0.2", facecolor="#ffffff", edgecolor=PALETTE["black"], linewidth=0.6
)


class ClinicalRenderer:
    """Draws one clinical scene at a time on ``ax``.

    All polygons of a scene go into one collection, back to front, one colour
    each: one artist draws as fast as a single image.  ``colours_of(kind)`` and
    ``labels`` (the visible label texts) let tests check what was drawn.
    """

    def __init__(self, ax: Axes):
        self.ax = ax
        self.scene: ClinicalScene | None = None
        self.polygons = PathCollection([], edgecolors="none", linewidths=0, zorder=1)
        ax.add_collection(self.polygons, autolim=False)
        self._polygons_of = KeptPerScene(self._build_polygons)
        self.kinds: list[str] = []
        self._texts: list = []
        self._leaders: list[tuple[Line2D, Line2D]] = []
        self.labels: list = []
        left, right, bottom, top = EXTENT
        ax.set_xlim(VIEW_EXTENT[0], VIEW_EXTENT[1])
        ax.set_ylim(VIEW_EXTENT[2], VIEW_EXTENT[3])
        ax.axis("off")
        ax.set_aspect("equal", adjustable="box")
        ax.set_xticks([])
        ax.set_yticks([])
        x0, y0 = left + 0.4, bottom + 0.35
        ax.add_patch(
            Rectangle(
                (x0 - 0.2, y0 - 0.2),
                SCALE_BAR_MM + 2.0,
                0.6,
                facecolor="#ffffff",
                edgecolor=PALETTE["black"],
                linewidth=0.6,
                zorder=40,
            )
        )
        self.scale_bar = Line2D(
            [x0, x0 + SCALE_BAR_MM], [y0, y0], color=PALETTE["black"], linewidth=3, zorder=41
        )
        ax.add_line(self.scale_bar)
        self.scale_text = ax.text(
            x0 + SCALE_BAR_MM + 0.25,
            y0,
            f"{SCALE_BAR_MM:g} mm",
            fontsize=FONT_SIZE - 1,
            ha="left",
            va="center",
            zorder=41,
        )
        self.notice = ax.text(
            right - 0.2,
            top - 0.25,
            NOTICE,
            fontsize=FONT_SIZE - 1,
            ha="right",
            va="top",
            zorder=41,
            bbox=_LABEL_BOX,
        )

    def show(self, scene: ClinicalScene, labels: bool = True) -> None:
        """Replace the drawn scene with ``scene``; ``labels`` shows its morphology labels."""
        paths, colours, self.kinds = self._polygons_of(scene)
        self.scene = scene
        self.polygons.set_paths(paths)
        self.polygons.set_facecolor(colours)
        self._place_labels(scene)
        self.set_labels(labels)

    @staticmethod
    def _build_polygons(scene: ClinicalScene) -> tuple[list[Path], np.ndarray, list[str]]:
        """The scene's closed paths, fill colours and kinds: making the paths is most of a
        scene change, so they are kept per scene."""
        paths, colours, kinds = [], [], []
        for element in scene.elements:
            paths.extend(_closed_path(shape) for shape in element.shapes)
            colours.extend([element.colour] * element.count)
            kinds.extend([element.kind] * element.count)
        return paths, to_rgba_array(colours), kinds

    def set_labels(self, visible: bool) -> None:
        """Show or hide the morphology labels and their leader lines."""
        for index, text in enumerate(self._texts):
            shown = visible and index < len(self.labels)
            text.set_visible(shown)
            for line in self._leaders[index]:
                line.set_visible(shown)

    def colours_of(self, kind: str) -> list[str]:
        """The fill colours drawn for the polygons of ``kind`` ('#rrggbb')."""
        faces = self.polygons.get_facecolor()
        return [to_hex(faces[i]) for i, drawn in enumerate(self.kinds) if drawn == kind]

    @property
    def labels_visible(self) -> bool:
        return bool(self.labels) and self.labels[0].get_visible()

    def _place_labels(self, scene: ClinicalScene) -> None:
        while len(self._texts) < len(scene.callouts):
            self._texts.append(
                self.ax.text(
                    0,
                    0,
                    "",
                    fontsize=FONT_SIZE - 1,
                    va="center",
                    ha="left",
                    zorder=31,
                    bbox=_LABEL_BOX,
                )
            )
            halo = Line2D([], [], color="#ffffff", linewidth=2.2, zorder=29)
            line = Line2D([], [], color=PALETTE["black"], linewidth=0.9, zorder=30)
            self.ax.add_line(halo)
            self.ax.add_line(line)
            self._leaders.append((halo, line))
        self.labels = self._texts[: len(scene.callouts)]
        for text, (halo, line), callout in zip(self.labels, self._leaders, scene.callouts):
            x, y = callout.position
            text.set_text(callout.text)
            text.set_position((x, y))
            for leader in (halo, line):
                leader.set_data([x, callout.anchor[0]], [y, callout.anchor[1]])


def _closed_path(shape) -> Path:
    """A polygon as a closed path (what a ``PolyCollection`` makes of it)."""
    vertices = np.asarray(shape, dtype=float)
    return Path(np.concatenate([vertices, vertices[:1]]), closed=True)
