"""Draw a :class:`~widgets.core.histology.scene.Scene` as a schematic H&E slide with its key.

Tissue is tinted like haematoxylin and eosin (purple nuclei, pink collagen), so
the drawing resembles what residents see down the microscope.  Hue alone never
tells two findings apart: cell types differ by shape and size (a lymphocyte is a
small dark disc, a neutrophil a pale disc with three lobes, a necrotic
keratinocyte a bright pink disc with a dot), tissue changes by hatching, and the
label markers use the colour-blind-safe :data:`widgets.views.figures.PALETTE`.

:class:`SlideRenderer` keeps the axes and replaces only the scene's artists when
the scene changes; pan and zoom just move the axis limits.
"""

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.collections import EllipseCollection, PolyCollection
from matplotlib.lines import Line2D

from widgets.core.histology.scene import SECTION_EXTENT, Feature, Scene
from widgets.views.figures import FONT_SIZE, PALETTE, KeptPerScene

# H&E-like tints, one per meaning.  Any two that differ stay at least 10 CIEDE2000
# units apart for protanopes and deuteranopes (the course's accessibility test):
# pinks step in lightness, nuclei are purple, hair brown, blood orange-red.
STAIN = {
    "clear": "#fdf9fb",  # fat, fluid, spongiotic spaces
    "pale eosin": "#f1b1cc",  # keratin, gland, oedema, necrosis, young collagen
    "eosin": "#d47da1",  # dermal collagen
    "epithelium": "#b15d87",  # epidermis and follicle
    "nucleus": "#2e1760",  # inflammatory cells, pyknotic nuclei
    "pale nucleus": "#68358d",  # resident keratinocytes and fibroblasts
    "hair": "#664019",
    "crust": "#491712",
    "blood": "#f54c3d",
    "necrotic cell": "#d0255e",  # hypereosinophilic dying keratinocyte
}
_EDGE = "#8d4470"


_TISSUE = {
    "subcutis": dict(facecolor=STAIN["clear"]),
    "dermis": dict(facecolor=STAIN["eosin"]),
    "epidermis": dict(facecolor=STAIN["epithelium"]),
    "follicle epithelium": dict(facecolor=STAIN["epithelium"]),
    "dermal papilla": dict(facecolor=STAIN["eosin"]),
    "keratin": dict(facecolor=STAIN["pale eosin"]),
    "hair shaft": dict(facecolor=STAIN["hair"]),
    "hair tuft": dict(facecolor=STAIN["hair"]),
    "sebaceous gland": dict(facecolor=STAIN["pale eosin"], edgecolor=_EDGE, linewidth=0.8),
    "necrosis": dict(
        facecolor=STAIN["pale eosin"], edgecolor=_EDGE, hatchcolor=_EDGE, hatch="xxx", linewidth=0.6
    ),
    "crust": dict(
        facecolor=STAIN["crust"],
        edgecolor=STAIN["crust"],
        hatchcolor=STAIN["blood"],
        hatch="---",
        linewidth=0.8,
    ),
    "vesicle": dict(facecolor=STAIN["clear"], edgecolor=_EDGE, linewidth=0.8),
    "pustule": dict(facecolor=STAIN["pale eosin"], edgecolor=_EDGE, linewidth=0.8),
    "oedema": dict(facecolor=STAIN["pale eosin"], hatchcolor=STAIN["eosin"], hatch=".."),
    "re-epithelialisation": dict(
        facecolor=STAIN["epithelium"], edgecolor=STAIN["nucleus"], linewidth=0.6
    ),
    "depressed surface": dict(
        facecolor=STAIN["epithelium"], edgecolor=STAIN["nucleus"], linewidth=0.6
    ),
    "fibrosis": dict(
        facecolor=STAIN["pale eosin"], edgecolor=_EDGE, hatchcolor=_EDGE, hatch="|||", linewidth=0.6
    ),
    "concentric fibrosis": dict(facecolor=STAIN["pale eosin"], edgecolor=_EDGE, linewidth=0.5),
}
"""Polygon styles for tissue, by feature kind."""

# A cell glyph is a list of ellipses (dx, dy, width, height, face colour) in mm,
# relative to the cell's position; cells are drawn about four times life size.
_NUCLEUS = STAIN["nucleus"]
_GLYPHS = {
    "lymphocytes": [(0, 0, 0.032, 0.032, _NUCLEUS)],
    "neutrophils": [
        (0, 0, 0.048, 0.048, STAIN["pale eosin"]),
        (-0.012, 0.006, 0.016, 0.016, _NUCLEUS),
        (0, -0.008, 0.016, 0.016, _NUCLEUS),
        (0.012, 0.006, 0.016, 0.016, _NUCLEUS),
    ],
    "plasma cells": [(0, 0, 0.055, 0.038, STAIN["epithelium"]), (0.013, 0, 0.022, 0.022, _NUCLEUS)],
    "necrotic keratinocytes": [
        (0, 0, 0.055, 0.045, STAIN["necrotic cell"]),
        (0, 0, 0.012, 0.012, _NUCLEUS),
    ],
    "spongiosis": [(0, 0, 0.045, 0.024, STAIN["clear"])],
    "red cells": [(0, 0, 0.024, 0.024, STAIN["blood"])],
    "multinucleated cells": [
        (0, 0, 0.15, 0.11, STAIN["clear"]),
        (-0.03, 0.018, 0.04, 0.034, _NUCLEUS),
        (0.02, 0.022, 0.04, 0.034, _NUCLEUS),
        (-0.012, -0.024, 0.04, 0.034, _NUCLEUS),
        (0.035, -0.015, 0.04, 0.034, _NUCLEUS),
    ],
    "bacteria": [
        (-0.006, 0, 0.009, 0.009, _NUCLEUS),
        (0.006, 0, 0.009, 0.009, _NUCLEUS),
        (0, 0.008, 0.009, 0.009, _NUCLEUS),
        (0, -0.008, 0.009, 0.009, _NUCLEUS),
    ],
    "hair fragments": [(0, 0, 0.035, 0.12, STAIN["hair"])],
    "adipocytes": [(0, 0, 0.17, 0.15, STAIN["clear"])],
    "fibroblasts": [(0, 0, 0.06, 0.013, STAIN["pale nucleus"])],
    "keratinocyte nuclei": [(0, 0, 0.022, 0.018, STAIN["pale nucleus"])],
}
_GLYPH_EDGES = {"adipocytes": (STAIN["eosin"], 0.6), "multinucleated cells": (_EDGE, 0.6)}
_TILTED = {"fibroblasts"}
"""Cells drawn at varying angles (spindle-shaped fibroblasts lie along collagen)."""


class SlideRenderer:
    """Draws one scene at a time on ``ax``: tissue, cells, label markers and a scale bar.

    ``artists`` maps each feature kind on the current slide to its artists, and
    ``markers`` holds the label markers, so tests can check what was drawn.  The
    slide's key (title, numbered findings) is text for the page, not the figure:
    see :mod:`widgets.core.histology.describe`.
    """

    def __init__(self, ax: Axes):
        self.ax = ax
        self.scene: Scene | None = None
        self.artists: dict[str, list] = {}
        self._extents: list[tuple[Artist, tuple[float, float, float, float]]] = []
        self._artists_of = KeptPerScene(self._build_artists, self._remove_artists)
        self._view = SECTION_EXTENT
        self.markers: list = []
        self._marker_pool: list = []
        self._labels_on = False
        ax.set_aspect("equal", adjustable="box")
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_facecolor("#ffffff")
        self.scale_bar = Line2D(
            [], [], color=PALETTE["black"], linewidth=3, zorder=20, solid_capstyle="butt"
        )
        ax.add_line(self.scale_bar)
        self.scale_text = ax.text(
            0, 0, "", fontsize=FONT_SIZE - 2, zorder=20, ha="left", va="bottom"
        )
        self.set_view(*SECTION_EXTENT)

    def show(self, scene: Scene, labels: bool = True) -> None:
        """Replace the drawn slide with ``scene``; ``labels`` shows its numbered markers."""
        for artist, _ in self._extents:
            artist.set_visible(False)
        self.scene = scene
        self.artists, self._extents = self._artists_of(scene)
        self._place_markers(scene)
        self.set_labels(labels)
        self._cull()

    def _build_artists(self, scene: Scene) -> tuple[dict[str, list], list]:
        """The scene's artists by feature kind, and each with its extent (kept per scene,
        hidden while another is shown)."""
        artists: dict[str, list] = {}
        extents = []
        for order, feature in enumerate(scene.features):
            zorder = 1 + order / 100
            drawn = (
                self._cells(feature, zorder) if feature.points else self._tissue(feature, zorder)
            )
            artists.setdefault(feature.kind, []).append(drawn)
            extents.append((drawn, _extent(feature)))
        return artists, extents

    @staticmethod
    def _remove_artists(built: tuple[dict[str, list], list]) -> None:
        for artist, _ in built[1]:
            artist.remove()

    def set_labels(self, visible: bool) -> None:
        """Show or hide the label markers."""
        self._labels_on = visible
        self._cull_markers()

    @property
    def labels_visible(self) -> bool:
        """Whether the label markers are showing (those inside the view)."""
        return bool(self.markers) and self._labels_on

    @property
    def view(self) -> tuple[float, float, float, float]:
        """The limits shown (mm): left, right, bottom, top."""
        return self._view

    def set_view(self, left: float, right: float, bottom: float, top: float) -> None:
        """Show the part of the section inside these limits (mm) and resize the scale bar."""
        self.ax.set_xlim(left, right)
        self.ax.set_ylim(bottom, top)
        width = right - left
        length = 1.0 if width > 2 else 0.2
        x0 = left + 0.05 * width
        y0 = bottom + 0.04 * (top - bottom)
        self.scale_bar.set_data([x0, x0 + length], [y0, y0])
        self.scale_text.set_position((x0, y0 + 0.012 * (top - bottom)))
        self.scale_text.set_text(f"{length:g} mm")
        self._view = (left, right, bottom, top)
        self._cull()

    def _cull(self) -> None:
        """Skip drawing features wholly outside the view: at high power most of the slide is."""
        left, right, bottom, top = self._view
        for artist, (x0, x1, y0, y1) in self._extents:
            artist.set_visible(x0 < right and x1 > left and y0 < top and y1 > bottom)
        self._cull_markers()

    def _cull_markers(self) -> None:
        """Show the markers that are on, within a margin of the view: a marker's text costs
        as much to lay out outside the view as inside it."""
        left, right, bottom, top = self._view
        margin_x, margin_y = 0.1 * (right - left), 0.1 * (top - bottom)
        for marker in self._marker_pool:
            x, y = marker.get_position()
            inside = (
                left - margin_x < x < right + margin_x and bottom - margin_y < y < top + margin_y
            )
            marker.set_visible(self._labels_on and marker in self.markers and inside)

    def _place_markers(self, scene: Scene) -> None:
        """Move the reusable marker texts onto this scene's labelled features."""
        wanted = len(scene.labelled)
        while len(self._marker_pool) < wanted:
            self._marker_pool.append(
                self.ax.text(
                    0,
                    0,
                    "",
                    fontsize=FONT_SIZE - 2,
                    ha="center",
                    va="center",
                    zorder=30,
                    clip_on=True,
                    fontweight="bold",
                    bbox=_marker_box(True),
                )
            )
        self.markers = self._marker_pool[:wanted]
        for marker, name, feature, position in zip(
            self.markers, scene.marker_names, scene.labelled, marker_positions(scene)
        ):
            marker.set_text(name)
            marker.set_position(position)
            marker.get_bbox_patch().set_facecolor(_marker_colour(feature.finding))

    def _tissue(self, feature: Feature, zorder: float) -> PolyCollection:
        collection = PolyCollection(
            feature.shapes, closed=True, zorder=zorder, **_tissue_style(feature.kind)
        )
        self.ax.add_collection(collection, autolim=False)
        return collection

    def _cells(self, feature: Feature, zorder: float) -> EllipseCollection:
        glyph = _GLYPHS[feature.kind]
        xy = feature.xy()
        offsets = np.concatenate([xy + (dx, dy) for dx, dy, *_ in glyph])
        widths = np.repeat([part[2] for part in glyph], len(xy))
        heights = np.repeat([part[3] for part in glyph], len(xy))
        colours = np.repeat([part[4] for part in glyph], len(xy))
        angles = np.zeros(len(offsets))
        if feature.kind in _TILTED:
            angles = np.tile(25 * np.sin(37 * xy[:, 0] + 11 * xy[:, 1]), len(glyph))
        edge, linewidth = _GLYPH_EDGES.get(feature.kind, ("none", 0))
        collection = EllipseCollection(
            widths,
            heights,
            angles,
            units="xy",
            offsets=offsets,
            offset_transform=self.ax.transData,
            facecolors=colours,
            edgecolors=edge,
            linewidths=linewidth,
            zorder=zorder,
        )
        self.ax.add_collection(collection, autolim=False)
        return collection


_GLYPH_REACH = max(
    max(part[2], part[3]) / 2 + max(abs(part[0]), abs(part[1]))
    for parts in _GLYPHS.values()
    for part in parts
)
"""How far (mm) any cell glyph reaches from its cell's position."""


def _extent(feature: Feature) -> tuple[float, float, float, float]:
    """(left, right, bottom, top) in mm of everything drawn for ``feature``."""
    if feature.points:
        xy = feature.xy()
        (x0, y0), (x1, y1) = xy.min(axis=0), xy.max(axis=0)
        return x0 - _GLYPH_REACH, x1 + _GLYPH_REACH, y0 - _GLYPH_REACH, y1 + _GLYPH_REACH
    points = np.concatenate([np.asarray(shape, dtype=float) for shape in feature.shapes])
    (x0, y0), (x1, y1) = points.min(axis=0), points.max(axis=0)
    return x0, x1, y0, y1


def _marker_colour(finding: bool) -> str:
    """Yellow for a finding, white for normal anatomy."""
    return PALETTE["yellow"] if finding else "#ffffff"


def _marker_box(finding: bool) -> dict:
    """A round marker box."""
    return dict(
        boxstyle="circle,pad=0.25",
        linewidth=0.8,
        edgecolor=PALETTE["black"],
        facecolor=_marker_colour(finding),
    )


MARKER_SPACING_MM = 0.17
"""Closest two label markers may sit at low power, so neither hides the other."""


def marker_positions(scene: Scene) -> list[tuple[float, float]]:
    """Where each labelled feature's marker goes: its anchor, nudged sideways off earlier markers."""
    placed: list[tuple[float, float]] = []
    for feature in scene.labelled:
        x, y = feature.anchor
        step = 0
        while any(np.hypot(x - px, y - py) < MARKER_SPACING_MM for px, py in placed):
            step += 1
            x += MARKER_SPACING_MM * step * (-1) ** step
        placed.append((x, y))
    return placed


def _tissue_style(kind: str) -> dict:
    style = dict(edgecolor="none", linewidth=0)
    style.update(_TISSUE[kind])
    return style
