"""Scene descriptions of schematic scalp biopsies: what is drawn where, as plain data.

A :class:`Scene` is a vertical section through the scalp, 4 mm wide and 4.6 mm
deep, centred on one follicle.  Coordinates are schematic millimetres: ``x``
across the section (0-4), ``y`` up, with the skin surface at 0 and depth below
it negative.  Cells are drawn larger than life so they stay visible at low power.

The scene is the course's statement of what a slide shows; the renderer is only
its view, so tests check scenes, not pixels.  Cell positions are jittered by a
seeded generator: the same seed always gives the same scene.
"""

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from widgets.core.choices import one_of
from widgets.core.histology.findings import (
    CONDITIONS,
    LEVEL_DEPTH_MM,
    Anatomy,
    ByForm,
    SlideFinding,
    SlideSpec,
    condition_spec,
    stage_spec,
)
from widgets.core.model.forms import Form
from widgets.core.model.stages import Stage

SECTION_WIDTH_MM = 4.0
SECTION_DEPTH_MM = 4.6
CRUST_ROOM_MM = 0.45
"""Room above the skin surface for a crust or protruding hair (mm)."""

SECTION_EXTENT = (0.0, SECTION_WIDTH_MM, -SECTION_DEPTH_MM, CRUST_ROOM_MM)
"""(left, right, bottom, top) of the drawn section in scene millimetres."""

FOLLICLE_X_MM = 2.0
EPIDERMIS_MM = 0.1
THIN_EPIDERMIS_MM = 0.045
DERMIS_BOTTOM_MM = 2.6
BULB_CENTRE_MM = 3.45
STEM_HALF_WIDTH_MM = 0.1
"""Half-width of each of the several lower follicles that feed a tuft."""

TISSUE_KINDS = frozenset(
    {
        "necrosis",
        "crust",
        "vesicle",
        "pustule",
        "oedema",
        "re-epithelialisation",
        "depressed surface",
        "fibrosis",
        "concentric fibrosis",
        "hair tuft",
    }
)
"""Findings drawn as tissue outlines; every other finding is a number of cells."""

Point = tuple[float, float]
Shape = tuple[Point, ...]


@dataclass(frozen=True)
class Feature:
    """One drawn element of a slide: a group of cells (``points``) or tissue (``shapes``).

    ``kind`` says what it is (e.g. "lymphocytes", "crust"), ``region`` where it
    sits (e.g. "perifollicular dermis").  A ``finding`` is a change of disease
    (with ``reach``, the follicle level it goes down to); otherwise the feature is
    normal anatomy.  ``label`` and ``refs`` (medical brief §8 numbers) are what
    the slide's key shows; normal texture has no label.  ``pin`` places the label
    marker where the feature's middle would be a poor spot.
    """

    kind: str
    region: str
    label: str = ""
    refs: tuple[int, ...] = ()
    finding: bool = False
    reach: str = ""
    points: tuple[Point, ...] = ()
    shapes: tuple[Shape, ...] = ()
    pin: Point | None = None

    @property
    def count(self) -> int:
        """How many cells (or, for tissue, separate shapes) the feature has."""
        return len(self.points) if self.points else len(self.shapes)

    @property
    def depth_mm(self) -> float:
        """How far below the surface level (y = 0) the feature reaches, in mm."""
        ys = [y for _, y in self.points] + [y for shape in self.shapes for _, y in shape]
        return max(0.0, -min(ys)) if ys else 0.0

    @property
    def anchor(self) -> Point:
        """Where a label marker goes: ``pin``, the cell nearest the middle, or the first shape's centre."""
        if self.pin is not None:
            return self.pin
        if not self.points:
            x, y = np.array(self.shapes[0]).mean(axis=0)
            return float(x), float(y)
        xy = self.xy()
        nearest = np.argmin(((xy - xy.mean(axis=0)) ** 2).sum(axis=1))
        return float(xy[nearest, 0]), float(xy[nearest, 1])

    def xy(self) -> np.ndarray:
        """The cell positions as an (n, 2) array of mm."""
        return np.array(self.points, dtype=float).reshape(-1, 2)


@dataclass(frozen=True)
class Scene:
    """A whole slide: its features in drawing order plus the text that explains it.

    Exactly one of ``stage`` (with ``form``) or ``condition`` is set.
    """

    title: str
    features: tuple[Feature, ...]
    seed: int
    stage: Stage | None = None
    form: Form | None = None
    condition: str | None = None
    clue: str = ""
    not_seen: tuple[str, ...] = ()
    note: str = ""

    @property
    def answer(self) -> str:
        """What the slide shows, as a practice answer: a stage value or a condition name."""
        return self.stage.value if self.stage is not None else self.condition or ""

    @property
    def labelled(self) -> tuple[Feature, ...]:
        """Features that carry a key label: findings first (numbered), then anatomy."""
        findings = [f for f in self.features if f.label and f.finding]
        anatomy = [f for f in self.features if f.label and not f.finding]
        return tuple(findings + anatomy)

    @property
    def marker_names(self) -> tuple[str, ...]:
        """Marker text of each :attr:`labelled` feature: numbers for findings, letters for anatomy."""
        findings = sum(1 for feature in self.labelled if feature.finding)
        anatomy = len(self.labelled) - findings
        return tuple(str(n) for n in range(1, findings + 1)) + tuple(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[:anatomy]
        )

    def of_kind(self, kind: str) -> tuple[Feature, ...]:
        """All features of ``kind``."""
        return tuple(feature for feature in self.features if feature.kind == kind)

    def has(self, kind: str, region: str | None = None) -> bool:
        """Whether the slide shows ``kind`` (in ``region``, if given)."""
        return any(region in (None, feature.region) for feature in self.of_kind(kind))

    def count(self, kind: str) -> int:
        """Total cells (or shapes) of ``kind`` on the slide."""
        return sum(feature.count for feature in self.of_kind(kind))


def biopsy_scene(stage: Stage | str, form: Form | str, seed: int = 0) -> Scene:
    """The schematic biopsy of acne necrotica at ``stage`` in presentation ``form``.

    ``stage`` is a :class:`Stage` or its value ("quiet", "early", "necrotic",
    "crusted", "healing", "scarred"); ``form`` a :class:`Form` or its value
    ("miliaris", "varioliformis").  Findings follow the medical brief §4.
    """
    return _biopsy_scene(
        _as_enum(Stage, stage, "stage"), _as_enum(Form, form, "form"), _as_seed(seed)
    )


def comparison_scene(condition: str, seed: int = 0) -> Scene:
    """The schematic biopsy of a differential diagnosis (one of :data:`CONDITIONS`)."""
    return _comparison_scene(_as_condition(condition), _as_seed(seed))


@lru_cache(maxsize=256)
def _biopsy_scene(stage: Stage, form: Form, seed: int) -> Scene:
    spec = stage_spec(stage, form)
    return _build(spec, seed, stage=stage, form=form)


@lru_cache(maxsize=64)
def _comparison_scene(condition: str, seed: int) -> Scene:
    return _build(condition_spec(condition), seed, condition=condition)


def _as_enum(enum, value, what: str):
    return enum(one_of(value, enum, what))


def _as_condition(condition) -> str:
    return one_of(condition, CONDITIONS, "condition")


def _as_seed(seed) -> int:
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a whole number of 0 or more (got {seed!r})")
    return int(seed)


class _Section:
    """The geometry of one section: surface, epidermis, follicle outline and sampling."""

    def __init__(self, anatomy: Anatomy, spec: SlideSpec, rng: np.random.Generator):
        self.anatomy = anatomy
        self.rng = rng
        self.depressed = anatomy.surface == "depressed"
        self.thinned = any(f.kind == "re-epithelialisation" for f in spec.findings)
        self.tufted = anatomy.follicle == "tufted"
        self.has_follicle = anatomy.follicle != "lost"
        if self.tufted:
            self.stem_offsets: tuple[float, ...] = (-0.32, 0.0, 0.32)
            self._outer: tuple[tuple[float, ...], tuple[float, ...]] = ((0.0, 0.7), (0.55, 0.38))
            self._lumen = ((0.0, 0.7), (0.45, 0.26))
        else:
            self.stem_offsets = (0.0,)
            self._outer = ((0.0, 0.7, 1.3, 3.25), (0.32, 0.2, 0.17, 0.15))
            self._lumen = ((0.0, 0.7), (0.2, 0.05))
        self.cavity = self._cavity(spec.findings)

    # Surface and layers ------------------------------------------------------------

    def surface(self, x):
        """Height of the skin surface (mm; 0 = flat skin, negative in a depressed scar)."""
        x = np.asarray(x, dtype=float)
        if not self.depressed:
            return np.zeros_like(x)
        return -0.25 * np.exp(-(((x - FOLLICLE_X_MM) / 0.5) ** 2))

    def epidermis_thickness(self, x):
        """Epidermal thickness (mm): thin over a scar or a re-epithelialised erosion."""
        x = np.asarray(x, dtype=float)
        thickness = np.full_like(x, EPIDERMIS_MM)
        if self.depressed:
            thickness -= 0.05 * np.exp(-(((x - FOLLICLE_X_MM) / 0.6) ** 2))
        if self.thinned:
            thickness = np.where(np.abs(x - FOLLICLE_X_MM) < 0.5, THIN_EPIDERMIS_MM, thickness)
        return thickness

    def dermis_top(self, x):
        return self.surface(x) - self.epidermis_thickness(x)

    # Follicle outline ------------------------------------------------------------------

    def outer_half_width(self, depth):
        """Half-width (mm) of the follicle, or of the tuft's envelope, at ``depth`` mm."""
        depth = np.asarray(depth, dtype=float)
        if self.tufted:
            stems = max(self.stem_offsets) + STEM_HALF_WIDTH_MM
            return np.where(depth < 0.7, np.interp(depth, *self._outer), stems)
        return np.interp(depth, *self._outer)

    def lumen_half_width(self, depth):
        """Half-width (mm) of the keratin-filled canal or hair shaft at ``depth`` mm."""
        depth = np.asarray(depth, dtype=float)
        return np.where(depth < 0.7, np.interp(depth, *self._lumen), 0.04)

    def near_follicle(self, x, y, margin: float = 0.0):
        """True where (x, y) lies inside the follicle envelope widened by ``margin`` mm."""
        if not self.has_follicle:
            return np.zeros_like(x, dtype=bool)
        depth = -y
        inside = np.abs(x - FOLLICLE_X_MM) < self.outer_half_width(depth) + margin
        return inside & (depth < LEVEL_DEPTH_MM["bulb"] + margin)

    def in_epithelium(self, x, y, inset: float = 0.015):
        """True inside the follicle wall (between its outer edge and its canal or hair shaft)."""
        depth = -y
        distance = np.abs(x - FOLLICLE_X_MM)
        outer = self.outer_half_width(depth)
        if self.tufted:
            stems = np.min(
                [np.abs(x - FOLLICLE_X_MM - offset) for offset in self.stem_offsets], axis=0
            )
            lower = depth >= 0.7
            distance = np.where(lower, stems, distance)
            outer = np.where(lower, STEM_HALF_WIDTH_MM, outer)
        return (distance < outer - inset) & (distance > self.lumen_half_width(depth) + inset)

    def _cavity(self, findings) -> tuple[float, float, float, float] | None:
        """The vesicle or pustule in the infundibulum, as (x, y, rx, ry) mm, if any."""
        for finding in findings:
            if finding.kind == "vesicle":
                return FOLLICLE_X_MM, -0.35, 0.15, 0.2
            if finding.kind == "pustule":
                return FOLLICLE_X_MM, -0.32, 0.22, 0.24
        return None

    # Sampling ----------------------------------------------------------------------

    def sample(self, n: int, box, inside) -> tuple[Point, ...]:
        """``n`` seeded random points in ``box`` = (x0, x1, y0, y1) where ``inside(x, y)`` holds."""
        x0, x1, y0, y1 = box
        found = np.empty((0, 2))
        for _ in range(200):
            xy = self.rng.uniform((x0, y0), (x1, y1), size=(max(4 * n, 64), 2))
            found = np.vstack([found, xy[inside(xy[:, 0], xy[:, 1])]])
            if len(found) >= n:
                return _points(found[:n])
        raise RuntimeError(f"could not place {n} cells in {box}")

    def region_sampler(self, region: str, depth: float):
        """(box, inside) for cells of ``region`` reaching ``depth`` mm."""
        fx = FOLLICLE_X_MM
        if region == "perifollicular dermis":

            def inside(x, y):
                gap = np.abs(x - fx) - self.outer_half_width(-y)
                closeness = self.rng.exponential(0.1, size=x.shape)
                return (
                    (gap > 0.015)
                    & (gap < 0.02 + closeness)
                    & (y < self.dermis_top(x) - 0.03)
                    & (-y < depth)
                )

            return (fx - 1.0, fx + 1.0, -depth, 0.0), inside
        if region == "follicular interface":

            def inside(x, y):
                gap = np.abs(x - fx) - self.outer_half_width(-y)
                return (gap > -0.03) & (gap < 0.08) & (y < self.dermis_top(x) - 0.02) & (-y < depth)

            return (fx - 0.6, fx + 0.6, -depth, 0.0), inside
        if region == "follicle epithelium":

            def inside(x, y):
                return (
                    self.in_epithelium(x, y)
                    & (y < self.surface(x) - 0.02)
                    & (-y < min(depth, 3.25))
                )

            return (fx - 0.6, fx + 0.6, -depth, 0.0), inside
        if region == "follicle lumen":
            if self.cavity is not None:
                cx, cy, rx, ry = self.cavity

                def inside(x, y):
                    return ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 < 0.8

                return (cx - rx, cx + rx, cy - ry, cy + ry), inside

            def inside(x, y):
                return (
                    (np.abs(x - fx) < 0.85 * self.lumen_half_width(-y)) & (y < -0.03) & (y > -0.65)
                )

            return (fx - 0.6, fx + 0.6, -0.7, 0.0), inside
        if region == "follicular unit":

            def inside(x, y):
                return (np.abs(x - fx) < 0.5 * _tract_half_width(-y)) & (y < -0.6)

            return (fx - 0.2, fx + 0.2, -depth, -0.6), inside
        raise ValueError(f"no cell sampler for region {region!r}")


def _points(xy: np.ndarray) -> tuple[Point, ...]:
    return tuple((float(x), float(y)) for x, y in np.round(xy, 4))


def _shape(xs, ys) -> Shape:
    return tuple((float(x), float(y)) for x, y in zip(np.round(xs, 4), np.round(ys, 4)))


def _ellipse(cx: float, cy: float, rx: float, ry: float, n: int = 28) -> Shape:
    angle = np.linspace(0.0, 2 * np.pi, n, endpoint=False)
    return _shape(cx + rx * np.cos(angle), cy + ry * np.sin(angle))


def _column(centre: float, half_width, top: float, bottom: float, n: int = 12) -> Shape:
    """A vertical band from depth ``top`` to ``bottom`` mm, ``half_width(depth)`` mm wide each side."""
    depth = np.linspace(top, bottom, n)
    hw = np.broadcast_to(np.asarray(half_width(depth), dtype=float), depth.shape)
    xs = np.concatenate([centre - hw, (centre + hw)[::-1]])
    ys = np.concatenate([-depth, -depth[::-1]])
    return _shape(xs, ys)


def _build(
    spec: SlideSpec,
    seed: int,
    stage: Stage | None = None,
    form: Form | None = None,
    condition: str | None = None,
) -> Scene:
    rng = np.random.default_rng(seed)
    section = _Section(spec.anatomy, spec, rng)
    features = list(_anatomy_features(section, spec.anatomy))
    for finding in spec.findings:
        features.append(_finding_feature(section, finding, form or Form.MILIARIS))
    return Scene(
        title=spec.title,
        features=tuple(features),
        seed=seed,
        stage=stage,
        form=form,
        condition=condition,
        clue=spec.clue,
        not_seen=spec.not_seen,
        note=spec.note,
    )


def _anatomy_features(section: _Section, anatomy: Anatomy):
    """Normal structures, back to front: layers, texture, follicle, gland."""
    fx = FOLLICLE_X_MM
    xs = np.linspace(0.0, SECTION_WIDTH_MM, 81)
    bottom = -SECTION_DEPTH_MM
    yield Feature(
        "subcutis",
        "subcutis",
        "Subcutis (fat lobules)",
        pin=(0.3, -3.3),
        shapes=(
            _shape(
                [0, SECTION_WIDTH_MM, SECTION_WIDTH_MM, 0],
                [-DERMIS_BOTTOM_MM, -DERMIS_BOTTOM_MM, bottom, bottom],
            ),
        ),
    )
    yield Feature(
        "dermis",
        "dermis",
        "Dermis",
        pin=(0.3, -1.6),
        shapes=(
            _shape(
                np.concatenate([xs, xs[::-1]]),
                np.concatenate([section.dermis_top(xs), np.full_like(xs, -DERMIS_BOTTOM_MM)]),
            ),
        ),
    )
    yield Feature(
        "epidermis",
        "epidermis",
        "Epidermis",
        pin=(0.3, -0.05),
        shapes=(
            _shape(
                np.concatenate([xs, xs[::-1]]),
                np.concatenate([section.surface(xs), section.dermis_top(xs)[::-1]]),
            ),
        ),
    )
    fat_clear = 0.35 if section.has_follicle else 0.0
    yield Feature(
        "adipocytes",
        "subcutis",
        points=section.sample(
            260,
            (0.0, SECTION_WIDTH_MM, bottom + 0.05, -DERMIS_BOTTOM_MM - 0.08),
            lambda x, y: ~((np.abs(x - fx) < fat_clear + 0.1 * section.tufted) & (y > -3.8)),
        ),
    )
    yield Feature(
        "fibroblasts",
        "dermis",
        points=section.sample(
            140,
            (0.05, SECTION_WIDTH_MM - 0.05, -DERMIS_BOTTOM_MM, -0.15),
            lambda x, y: (
                (y < section.dermis_top(x) - 0.03)
                & ~section.near_follicle(x, y, 0.05)
                & ~_in_gland(section, x, y)
            ),
        ),
    )
    yield Feature(
        "keratinocyte nuclei",
        "epidermis",
        points=section.sample(
            260,
            (0.0, SECTION_WIDTH_MM, -0.12, 0.0),
            lambda x, y: (y < section.surface(x) - 0.01) & (y > section.dermis_top(x) + 0.01),
        ),
    )
    if not section.has_follicle:
        return
    yield from _follicle_features(section, anatomy)


def _in_gland(section: _Section, x, y):
    if not section.anatomy.sebaceous_gland:
        return np.zeros_like(x, dtype=bool)
    return (x > FOLLICLE_X_MM + 0.15) & (x < FOLLICLE_X_MM + 0.85) & (y < -0.55) & (y > -1.3)


def _follicle_features(section: _Section, anatomy: Anatomy):
    fx = FOLLICLE_X_MM
    top = 0.0
    infundibulum = _column(fx, section.outer_half_width, top, 0.7)
    left_of = fx - 0.5
    yield Feature(
        "follicle epithelium",
        "infundibulum",
        "Infundibulum",
        shapes=(infundibulum,),
        pin=(left_of - 0.1 * section.tufted, -0.35),
    )
    if section.tufted:
        stems = [
            _column(fx + offset, lambda d: np.full_like(d, STEM_HALF_WIDTH_MM), 0.65, 3.25)
            for offset in section.stem_offsets
        ]
        yield Feature(
            "follicle epithelium",
            "lower follicle",
            "Lower follicles (several)",
            shapes=tuple(stems),
            pin=(left_of - 0.1, -2.0),
        )
        bulbs = tuple(
            _ellipse(fx + offset, -BULB_CENTRE_MM, 0.15, 0.2) for offset in section.stem_offsets
        )
    else:
        yield Feature(
            "follicle epithelium",
            "isthmus",
            "Isthmus",
            shapes=(_column(fx, section.outer_half_width, 0.69, 1.3),),
            pin=(left_of, -1.0),
        )
        yield Feature(
            "follicle epithelium",
            "lower follicle",
            "Lower follicle",
            shapes=(_column(fx, section.outer_half_width, 1.29, 3.25),),
            pin=(left_of, -2.2),
        )
        bulbs = (_ellipse(fx, -BULB_CENTRE_MM, 0.27, 0.23),)
    yield Feature(
        "follicle epithelium",
        "bulb",
        "Bulb",
        shapes=bulbs,
        pin=(left_of - 0.1 * section.tufted, -BULB_CENTRE_MM),
    )
    yield Feature(
        "dermal papilla",
        "bulb",
        shapes=tuple(
            _ellipse(bulb_x, -BULB_CENTRE_MM - 0.05, 0.08, 0.1)
            for bulb_x in (fx + o for o in section.stem_offsets)
        ),
    )
    yield Feature(
        "keratin", "infundibulum", shapes=(_column(fx, section.lumen_half_width, 0.0, 0.69),)
    )
    yield Feature(
        "keratinocyte nuclei",
        "follicle epithelium",
        points=section.sample(160, *section.region_sampler("follicle epithelium", 3.25)),
    )
    shaft_top = 0.7 if section.tufted else -0.3
    shafts = tuple(
        _column(fx + offset, lambda d: np.full_like(d, 0.04), shaft_top, 3.3)
        for offset in section.stem_offsets
    )
    yield Feature(
        "hair shaft",
        "follicle lumen",
        "Hair shaft" + "s" * section.tufted,
        shapes=shafts,
        pin=(fx + 0.2 + 0.4 * section.tufted, 0.2),
    )
    if anatomy.sebaceous_gland:
        lobules = (
            _ellipse(fx + 0.42, -0.82, 0.17, 0.12),
            _ellipse(fx + 0.6, -1.05, 0.2, 0.14),
            _ellipse(fx + 0.36, -1.12, 0.15, 0.12),
        )
        duct = _shape([fx + 0.1, fx + 0.4, fx + 0.4, fx + 0.1], [-0.6, -0.7, -0.78, -0.68])
        yield Feature(
            "sebaceous gland",
            "sebaceous gland",
            "Sebaceous gland",
            shapes=(duct,) + lobules,
            pin=(fx + 0.95, -0.95),
        )


def _finding_feature(section: _Section, finding: SlideFinding, form: Form) -> Feature:
    level = finding.reach.level(form) if isinstance(finding.reach, ByForm) else finding.reach
    depth = LEVEL_DEPTH_MM[level]
    common: dict[str, Any] = dict(
        kind=finding.kind,
        region=finding.region,
        label=finding.label,
        refs=finding.refs,
        finding=True,
        reach=level,
    )
    if finding.kind in TISSUE_KINDS:
        return Feature(shapes=_tissue_shapes(section, finding, depth), **common)
    box, inside = section.region_sampler(finding.region, depth)
    return Feature(points=section.sample(finding.amount, box, inside), **common)


def _tract_half_width(depth):
    """Half-width (mm) of the fibrous tract that replaces a destroyed follicle."""
    return np.interp(depth, (0.0, 3.7), (0.24, 0.14))


def _tissue_shapes(section: _Section, finding: SlideFinding, depth: float) -> tuple[Shape, ...]:
    """Outlines of a tissue change (necrosis, crust, fibrosis, ...) reaching ``depth`` mm."""
    fx = FOLLICLE_X_MM
    kind = finding.kind
    if kind == "necrosis":
        epidermis_x = np.linspace(fx - 0.6, fx + 0.6, 25)
        epidermis = _shape(
            np.concatenate([epidermis_x, epidermis_x[::-1]]),
            np.concatenate(
                [section.surface(epidermis_x), section.dermis_top(epidermis_x)[::-1] - 0.04]
            ),
        )
        follicle = _column(fx, lambda d: section.outer_half_width(d) + 0.08, 0.0, depth)
        duct = _shape([fx + 0.15, fx + 0.55, fx + 0.6, fx + 0.15], [-0.58, -0.7, -0.86, -0.74])
        return (epidermis, follicle, duct)
    if kind == "crust":
        x = np.linspace(fx - 0.75, fx + 0.75, 31)
        height = 0.32 * np.sqrt(np.clip(1 - ((x - fx) / 0.75) ** 2, 0, 1))
        return (
            _shape(
                np.concatenate([x, x[::-1]]),
                np.concatenate([section.surface(x) - 0.03, (section.surface(x) + height)[::-1]]),
            ),
        )
    if kind in ("vesicle", "pustule"):
        return (_ellipse(*section.cavity),) if section.cavity else ()
    if kind == "oedema":
        x = np.linspace(fx - 0.9, fx + 0.9, 37)
        return (
            _shape(
                np.concatenate([x, x[::-1]]),
                np.concatenate(
                    [section.dermis_top(x) - 0.005, (section.dermis_top(x) - 0.16)[::-1]]
                ),
            ),
        )
    if kind == "re-epithelialisation":
        x = np.linspace(fx - 0.5, fx + 0.5, 21)
        return (
            _shape(
                np.concatenate([x, x[::-1]]),
                np.concatenate([section.surface(x), section.dermis_top(x)[::-1]]),
            ),
        )
    if kind == "depressed surface":
        x = np.linspace(fx - 0.9, fx + 0.9, 37)
        return (
            _shape(
                np.concatenate([x, x[::-1]]),
                np.concatenate([section.surface(x), section.dermis_top(x)[::-1]]),
            ),
        )
    if kind == "fibrosis":
        return (_column(fx, _tract_half_width, EPIDERMIS_MM + 0.1, depth),)
    if kind == "concentric fibrosis":
        lamellae = []
        for gap in (0.03, 0.08, 0.13):
            for side in (-1, 1):
                depths = np.linspace(EPIDERMIS_MM + 0.05, depth, 12)
                inner = fx + side * (section.outer_half_width(depths) + gap)
                outer = inner + side * 0.025
                lamellae.append(
                    _shape(
                        np.concatenate([inner, outer[::-1]]),
                        np.concatenate([-depths, -depths[::-1]]),
                    )
                )
        return tuple(lamellae)
    if kind == "hair tuft":
        shafts = []
        for spread in np.linspace(-0.3, 0.3, finding.amount):
            bottom_x = fx + 0.4 * spread
            top_x = fx + spread
            shafts.append(
                _shape(
                    [bottom_x - 0.03, top_x - 0.03, top_x + 0.03, bottom_x + 0.03],
                    [-0.75, 0.3, 0.3, -0.75],
                )
            )
        return tuple(shafts)
    raise ValueError(f"no shape for tissue finding {kind!r}")
