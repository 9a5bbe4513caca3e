"""Scene descriptions of a clinical close-up: one lesion on a patch of scalp, as plain data.

A :class:`ClinicalScene` is a 10 x 10 mm patch of scalp seen from above, the
lesion at its centre.  Coordinates are millimetres, ``x`` to the right and ``y``
up, the lesion's follicle at (0, 0).  Every element is a list of polygons with
one fill colour, so the renderer only fills polygons and the tests check the
scene, not pixels.  Outlines and hair positions are jittered by a seeded
generator: the same seed always gives the same scene.

Sizes, colours and which hairs remain follow :mod:`widgets.core.clinical.stages`
and :mod:`widgets.core.clinical.tones`.
"""

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from widgets.core.clinical.stages import (
    GENERAL_ASSUMPTIONS,
    ClinicalStage,
    as_form,
    as_shade,
    as_stage,
    stage_facts,
)
from widgets.core.clinical.tones import (
    CRUST_DARK,
    CRUST_RED,
    CRUST_YELLOW,
    DARKER_MACULE_WORDS,
    ERYTHEMA_WORDS,
    MIN_LESION_CONTRAST,
    NECROSIS,
    PUS,
    RECENT_SCAR_WORDS,
    Palette,
    Tone,
    palette,
)
from widgets.core.colour import mix, smallest_difference
from widgets.core.model.forms import Form

PATCH_MM = 10.0
EXTENT = (-PATCH_MM / 2, PATCH_MM / 2, -PATCH_MM / 2, PATCH_MM / 2)
"""(left, right, bottom, top) of the drawn patch in mm."""
SCALE_BAR_MM = 2.0
UNIT_SPACING_MM = 1.05
"""Mean distance between follicular units (course assumption)."""
HAIR_WIDTH_MM = 0.08
HAIRS_PER_UNIT = (1, 2, 3, 4)
HAIR_WEIGHTS = (0.15, 0.4, 0.35, 0.1)
"""Mostly 2-3 hairs per unit, a few 4 [8]; the weights are the course's."""
HAIR_ANGLE_DEG = -55.0
"""Direction the hair lies in, combed down and to the right (course assumption)."""
PIT_DEPTH_MM = 0.3
"""How deep the drawn varioliform pit is meant to be (course assumption; shown by shading)."""

Point = tuple[float, float]
Shape = tuple[Point, ...]


@dataclass(frozen=True)
class Element:
    """One drawn element: polygons of one colour.

    ``kind`` names it ("hair", "crust"...); ``looks`` says what is drawn in
    neutral words (no diagnosis), ``label`` the morphology term and ``refs``
    its sources.  A ``lesion`` element lies ``on`` another element, whose
    colour it must stand out from.
    """

    kind: str
    colour: str
    shapes: tuple[Shape, ...]
    looks: str = ""
    label: str = ""
    refs: tuple[int, ...] = ()
    lesion: bool = False
    on: str = ""
    pin: Point | None = None

    @property
    def count(self) -> int:
        return len(self.shapes)

    @property
    def anchor(self) -> Point:
        """Where a label's leader line points: ``pin``, or the first shape's centre."""
        if self.pin is not None:
            return self.pin
        x, y = np.array(self.shapes[0]).mean(axis=0)
        return float(x), float(y)


@dataclass(frozen=True)
class Callout:
    """A label: its text, where its leader points, where the text sits."""

    text: str
    anchor: Point
    position: Point


@dataclass(frozen=True)
class DrawnPatch:
    """A drawn 10 x 10 mm patch of scalp: its elements back to front, labels and notes.

    What the renderer draws and the tests check; :class:`ClinicalScene` (acne
    necrotica by stage) and the mimics' close-ups share it.
    """

    tone: Tone
    seed: int
    elements: tuple[Element, ...]
    assumptions: tuple[str, ...]
    callouts: tuple[Callout, ...]

    @property
    def skin(self) -> str:
        return self.of_kind("skin")[0].colour

    @property
    def lesion_elements(self) -> tuple[Element, ...]:
        return tuple(element for element in self.elements if element.lesion)

    def of_kind(self, kind: str) -> tuple[Element, ...]:
        return tuple(element for element in self.elements if element.kind == kind)

    def has(self, kind: str) -> bool:
        return bool(self.of_kind(kind))

    def contrast_pairs(self) -> list[tuple[Element, str]]:
        """(lesion element, colour of what it lies on) for every lesion element."""
        return [(element, self.of_kind(element.on)[0].colour) for element in self.lesion_elements]

    def too_faint(self) -> dict[str, float]:
        """Lesion elements closer than ``MIN_LESION_CONTRAST`` CIEDE2000 units to what they lie
        on, for normal, protan or deutan vision: {kind: difference}; empty when all stand out."""
        differences = (
            (element.kind, smallest_difference(element.colour, under))
            for element, under in self.contrast_pairs()
        )
        return {kind: round(d, 1) for kind, d in differences if d < MIN_LESION_CONTRAST}


@dataclass(frozen=True)
class ClinicalScene(DrawnPatch):
    """Acne necrotica at one stage: the patch, plus the measures the stage tests check."""

    stage: ClinicalStage
    form: Form
    shade: str
    diameter_mm: float
    """Diameter of the lesion (or length of the longest erosion); 0 for normal scalp."""
    depression_mm: float
    """How deep the surface is depressed (a varioliform pit); 0 elsewhere."""
    hairs_in_lesion: int
    """Hairs whose root lies inside the lesion (broken stubs included)."""
    openings_in_lesion: int
    """Follicular openings visible inside the lesion."""
    broken_hairs: int

    @property
    def title(self) -> str:
        facts = stage_facts(self.stage)
        if self.stage is ClinicalStage.NORMAL:
            return f"Normal scalp, {self.tone.label}"
        return f"{facts.name(self.form).capitalize()}, acne necrotica {self.form.value}, {self.tone.label}"


def clinical_scene(
    stage: ClinicalStage | str,
    form: Form | str = "miliaris",
    tone: Tone | str = "II",
    seed: int = 0,
    shade: str = "darker",
) -> ClinicalScene:
    """The close-up of acne necrotica at ``stage`` in ``form`` on skin ``tone``.

    ``shade`` picks how a healed spot compares with the skin ("darker": pink or
    hyperpigmented, "paler": hypopigmented or an old pale scar).
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a whole number of 0 or more (got {seed!r})")
    return _scene(as_stage(stage), as_form(form), palette(tone).tone, int(seed), as_shade(shade))


@lru_cache(maxsize=512)
def _scene(stage: ClinicalStage, form: Form, tone: Tone, seed: int, shade: str) -> ClinicalScene:
    return SceneBuilder(stage, form, palette(tone), seed, shade).build()


# Geometry helpers ----------------------------------------------------------------------


def polygon(xs, ys) -> Shape:
    return tuple((float(x), float(y)) for x, y in zip(np.round(xs, 4), np.round(ys, 4)))


def blob(rng, cx: float, cy: float, radius: float, wobble: float = 0.06, n: int = 40) -> Shape:
    """A roundish outline of ``radius`` mm whose edge wobbles by about ``wobble`` of it."""
    angle = np.linspace(0.0, 2 * np.pi, n, endpoint=False)
    edge = np.ones(n)
    for harmonic in (2, 3, 5):
        edge += wobble / harmonic * rng.normal() * np.cos(harmonic * angle + rng.uniform(0, 6.3))
    return polygon(cx + radius * edge * np.cos(angle), cy + radius * edge * np.sin(angle))


def _crescent(cx: float, cy: float, radius: float, towards_deg: float, width: float) -> Shape:
    """A crescent inside a circle, thickest towards ``towards_deg``, ``width`` of the radius."""
    angle = np.radians(np.linspace(towards_deg - 80, towards_deg + 80, 17))
    outer_x, outer_y = cx + radius * np.cos(angle), cy + radius * np.sin(angle)
    inner_r = radius * (1 - width * np.cos(angle - np.radians(towards_deg)))
    inner_x, inner_y = cx + inner_r * np.cos(angle), cy + inner_r * np.sin(angle)
    return polygon(
        np.concatenate([outer_x, inner_x[::-1]]), np.concatenate([outer_y, inner_y[::-1]])
    )


def _strip(points: np.ndarray, width: float) -> Shape:
    """A band ``width`` mm wide along the polyline ``points`` ((n, 2) mm), tapering at the ends."""
    direction = np.gradient(points, axis=0)
    normal = np.column_stack([-direction[:, 1], direction[:, 0]])
    normal /= np.linalg.norm(normal, axis=1, keepdims=True)
    taper = np.sin(np.linspace(0.15, np.pi - 0.15, len(points))) ** 0.5
    half = 0.5 * width * taper[:, None] * normal
    outline = np.vstack([points + half, (points - half)[::-1]])
    return polygon(outline[:, 0], outline[:, 1])


def hair_shaft(root: np.ndarray, angle_deg: float, length: float) -> Shape:
    """A hair shaft from ``root``: a thin quadrilateral, slightly narrower at its tip."""
    direction = np.array([np.cos(np.radians(angle_deg)), np.sin(np.radians(angle_deg))])
    normal = np.array([-direction[1], direction[0]])
    tip = root + length * direction
    w0, w1 = HAIR_WIDTH_MM / 2, HAIR_WIDTH_MM * 0.35
    corners = np.array(
        [root + w0 * normal, tip + w1 * normal, tip - w1 * normal, root - w0 * normal]
    )
    return polygon(corners[:, 0], corners[:, 1])


def _combed(root: np.ndarray, angle_deg: float, length: float, clear: float) -> float:
    """``length`` cut short where the hair would cross the lesion's ``clear`` mm (combed aside)
    or leave the patch."""
    direction = np.array([np.cos(np.radians(angle_deg)), np.sin(np.radians(angle_deg))])
    room = (PATCH_MM / 2 - 0.12 - np.sign(direction) * root) / np.maximum(np.abs(direction), 1e-9)
    length = max(0.05, min(length, float(room.min())))
    if clear <= 0 or np.hypot(*root) < clear:
        return length
    along = -float(root @ direction)
    closest = float(np.hypot(*(root + along * direction)))
    if not 0 < along < length or closest >= clear:
        return length
    return max(0.3, along - np.sqrt(clear**2 - closest**2))


def _in_patch(xy: np.ndarray, margin: float = 0.2) -> np.ndarray:
    half = PATCH_MM / 2 - margin
    return (np.abs(xy[:, 0]) < half) & (np.abs(xy[:, 1]) < half)


class SceneBuilder:
    """Builds one scene: the scalp, then the lesion of the stage, then hairs, then callouts."""

    def __init__(self, stage: ClinicalStage, form: Form, colours: Palette, seed: int, shade: str):
        self.stage, self.form, self.colours, self.seed, self.shade = (
            stage,
            form,
            colours,
            seed,
            shade,
        )
        self.rng = np.random.default_rng(seed)
        self.facts = stage_facts(stage)
        low, high = self.facts.diameter_mm[form]
        self.diameter = float(np.round(self.rng.uniform(low, high), 2)) if high else 0.0
        self.radius = self.diameter / 2
        self.elements: list[Element] = []
        self.units = self._follicular_units()
        self.depression = 0.0
        self.hairs_in_lesion = 0
        self.openings_in_lesion = 0
        self.broken = 0
        self.stage_assumptions: list[str] = []

    # The scalp -------------------------------------------------------------------------

    def _follicular_units(self) -> np.ndarray:
        """Jittered grid of follicular units, one of them exactly at the lesion's centre."""
        steps = np.arange(-PATCH_MM / 2, PATCH_MM / 2 + 1e-9, UNIT_SPACING_MM)
        grid = np.array([(x, y) for x in steps for y in steps]) + UNIT_SPACING_MM / 2
        grid += self.rng.uniform(-0.3, 0.3, size=grid.shape)
        grid = grid[_in_patch(grid) & (np.hypot(grid[:, 0], grid[:, 1]) > 0.6)]
        return np.vstack([[0.0, 0.0], grid])

    def add(self, kind: str, colour: str, shapes, **details) -> None:
        self.elements.append(Element(kind, colour, tuple(shapes), **details))

    def draw(self, draw_lesion) -> None:
        """The scalp, the lesion ``draw_lesion()`` adds (it returns the ``keep`` rule for
        the hairs), then the follicular openings and hairs on top."""
        colours = self.colours
        half = PATCH_MM / 2
        self.add(
            "skin",
            colours.skin,
            [polygon([-half, half, half, -half], [-half, -half, half, half])],
            looks=f"{colours.tone.label} skin",
            label="Scalp skin",
            pin=(-3.6, 3.4),
        )
        self._skin_texture()
        if colours.white_dots:
            dots = self.rng.uniform(-half + 0.2, half - 0.2, size=(70, 2))
            dots = dots[np.hypot(dots[:, 0], dots[:, 1]) > self.radius * 1.4 + 0.2]
            self.add(
                "white dots",
                colours.dot,
                [blob(self.rng, x, y, 0.035, 0.0, 8) for x, y in dots],
                looks="pinpoint pale dots between the hairs",
                label="Pinpoint white dots (dark scalp) [77, 78]",
                refs=(77, 78),
                pin=tuple(dots[0]),
            )
        self._openings_and_hairs(draw_lesion())

    def build(self) -> ClinicalScene:
        self.draw(getattr(self, f"_draw_{self.stage.name.lower()}"))
        return ClinicalScene(
            stage=self.stage,
            form=self.form,
            tone=self.colours.tone,
            shade=self.shade,
            seed=self.seed,
            elements=tuple(self.elements),
            diameter_mm=self.diameter,
            depression_mm=self.depression,
            hairs_in_lesion=self.hairs_in_lesion,
            openings_in_lesion=self.openings_in_lesion,
            broken_hairs=self.broken,
            assumptions=tuple(self.facts.assumptions)
            + tuple(self.stage_assumptions)
            + GENERAL_ASSUMPTIONS,
            callouts=callouts_for(self.elements),
        )

    def _skin_texture(self) -> None:
        """Faint blotches a little darker, lighter or redder than the skin: skin is never flat."""
        shades = [("#000000", share) for share in (0.02, 0.04, 0.06)]
        shades += [("#ffffff", share) for share in (0.03, 0.05, 0.07)]
        shades += [(self.colours.erythema, share) for share in (0.05, 0.08)]
        half = PATCH_MM / 2 - 0.8
        for colour, share in shades:
            centres = self.rng.uniform(-half, half, size=(5, 2))
            self.add(
                "skin texture",
                mix(self.colours.skin, colour, share),
                [blob(self.rng, x, y, self.rng.uniform(0.4, 0.8), 0.25, 16) for x, y in centres],
            )

    def _openings_and_hairs(self, keep) -> None:
        """Draw the follicular openings and hair shafts; ``keep(i, xy)`` says what unit i shows.

        ``keep`` returns None (no opening, no hair), a hair length in mm (0 for an
        opening without hair) or a negative number for a broken stub of that length.
        """
        colours = self.colours
        openings, hairs, stubs = [], [], []
        clear = self.radius * 1.3 + 0.3 if self.stage is not ClinicalStage.NORMAL else 0.0
        for index, root in enumerate(self.units):
            shown = keep(index, root)
            if shown is None:
                continue
            inside = np.hypot(*root) < max(self.radius, 0.3)
            openings.append(blob(self.rng, root[0], root[1], 0.09, 0.0, 10))
            self.openings_in_lesion += int(inside)
            if shown == 0:
                continue
            count = 1 if index == 0 else int(self.rng.choice(HAIRS_PER_UNIT, p=HAIR_WEIGHTS))
            for hair in range(count):
                spread = (hair - (count - 1) / 2) * 0.05
                start = root + spread * np.array([1.0, 0.6])
                angle = HAIR_ANGLE_DEG + self.rng.normal(0, 9)
                if shown < 0:
                    stubs.append(hair_shaft(start, angle + 40 * self.rng.normal(), -shown))
                    self.broken += 1
                else:
                    length = _combed(start, angle, shown * self.rng.uniform(0.75, 1.25), clear)
                    hairs.append(hair_shaft(start, angle, length))
                self.hairs_in_lesion += int(inside)
        self.add(
            "follicular openings",
            colours.opening,
            openings,
            looks=f"{len(openings)} small dark dots, one at each hair group",
            label="Follicular openings",
            pin=tuple(self.units[min(3, len(self.units) - 1)]),
        )
        self.add(
            "hair",
            colours.hair,
            hairs,
            looks=f"{len(hairs)} hair shafts",
            label="Hair shafts",
            pin=tuple(np.array(hairs[min(5, len(hairs) - 1)]).mean(axis=0)) if hairs else None,
        )
        if stubs:
            self.add(
                "broken hairs",
                colours.hair,
                stubs,
                looks=f"{len(stubs)} short broken hair stubs",
                label="Broken hairs",
                pin=tuple(np.array(stubs[0]).mean(axis=0)),
            )

    def _hair_outside(self, clearance: float):
        """A ``keep`` that removes units within ``clearance`` mm and combs the rest aside."""

        def keep(index, root):
            distance = float(np.hypot(*root))
            if distance < clearance:
                return None
            return 2.4 if distance > clearance + 1.0 else 1.4

        return keep

    def _halo(self, reach: float, steps: int) -> None:
        """Rings fading from the erythema into the skin, out to ``reach`` times the radius."""
        radii = np.linspace(reach, 1.0, steps + 1)[:-1]
        for ring, radius in enumerate(radii):
            share = (ring + 1) / (steps + 1)
            self.add(
                "halo",
                self.colours.halo(0.8 * share),
                [blob(self.rng, 0, 0, self.radius * radius, 0.08)],
            )

    def _erythema_words(self) -> str:
        return ERYTHEMA_WORDS[self.colours.tone.group]

    def _raised_spot(self, name, label, refs, roughness, pin):
        """The inflamed, raised body every active stage starts from, in this tone's erythema."""
        self.add(
            name,
            self.colours.erythema,
            [blob(self.rng, 0, 0, self.radius, roughness)],
            looks=f"a {self.diameter:.1f} mm round raised spot, {self._erythema_words()}",
            label=label,
            refs=refs,
            lesion=True,
            on="skin",
            pin=pin,
        )

    # One method per stage: draw the lesion, return which hairs remain ---------------

    def _draw_normal(self):
        return lambda index, root: 2.4

    def _draw_papule(self):
        colours, r = self.colours, self.radius
        self._halo(1.8, 3)
        self._raised_spot(
            "papule", "Follicular papule [5, 6]", (5, 6), roughness=0.05, pin=(r * 0.7, -r * 0.5)
        )
        self.add(
            "shine",
            colours.shine,
            [blob(self.rng, -0.35 * r, 0.4 * r, 0.28 * r, 0.1)],
            looks="a small highlight on its top (smooth, shiny surface)",
        )
        return self._central_hair(length=3.0)

    def _central_hair(self, length: float):
        base = self._hair_outside(self.radius + 0.25)

        def keep(index, root):
            return length if index == 0 else base(index, root)

        return keep

    def _draw_umbilicated(self):
        colours, r = self.colours, self.radius
        miliaris = self.form is Form.MILIARIS
        self._halo(1.4, 2)
        self._raised_spot(
            "rim",
            f"Inflamed {'base' if miliaris else 'rim'} [2, 7, 85]",
            (2, 7, 85),
            roughness=0.04,
            pin=(r * 0.75, -r * 0.45),
        )
        self.add(
            "dimple",
            mix(colours.erythema, "#000000", 0.3),
            [blob(self.rng, 0, 0, r * (0.55 if miliaris else 0.42), 0.03)],
            looks="a central dimple",
            label="Umbilication [2, 5, 7]",
            refs=(2, 5, 7),
            pin=(-r * 0.45, -r * 0.1),
        )
        self.add(
            "pustule",
            PUS,
            [blob(self.rng, 0, 0, r * (0.48 if miliaris else 0.25), 0.03)],
            looks="a yellow-white centre, "
            + ("tense and dome-shaped" if miliaris else "small, in the dimple"),
            label=("Vesicopustule [3, 4]" if miliaris else "Small pustular centre [3, 13]"),
            refs=(3, 4) if miliaris else (3, 13),
            lesion=True,
            on="rim",
            pin=(0.0, 0.0),
        )
        if miliaris:
            self.add(
                "shine",
                mix(PUS, "#ffffff", 0.6),
                [blob(self.rng, -0.18 * r, 0.18 * r, 0.12 * r, 0.1)],
                looks="a highlight on the tense centre",
            )
        return self._central_hair(length=2.6)

    def _draw_necrosis(self):
        r = self.radius
        self._halo(1.4, 2)
        self._raised_spot(
            "rim", "Inflamed rim [7, 89]", (7, 89), roughness=0.05, pin=(r * 0.75, -r * 0.45)
        )
        self.add(
            "necrosis",
            NECROSIS,
            [blob(self.rng, 0, 0, r * 0.42, 0.15)],
            looks="a dry grey-black centre",
            label="Central necrosis [2, 7, 12]",
            refs=(2, 7, 12),
            lesion=True,
            on="rim",
            pin=(0.0, 0.0),
        )
        base = self._hair_outside(r + 0.25)

        def keep(index, root):
            return -0.35 if index == 0 else base(index, root)

        return keep

    def _draw_crust(self):
        colours, r = self.colours, self.radius
        self.add(
            "rim",
            colours.erythema,
            [blob(self.rng, 0, 0, r * 1.18, 0.04)],
            looks=f"a narrow rim, {self._erythema_words()}",
            label="Inflamed rim [89]",
            refs=(89,),
            lesion=True,
            on="skin",
            pin=(r * 1.1, -r * 0.2),
        )
        self.add(
            "crust",
            CRUST_RED,
            [blob(self.rng, 0, 0, r, 0.09)],
            looks=f"a {self.diameter:.1f} mm round, hard, dark red to black cap",
            label="Adherent haemorrhagic crust [2, 3, 7, 11]",
            refs=(2, 3, 7, 11),
            lesion=True,
            on="rim",
            pin=(0.0, 0.0),
        )
        self.add(
            "crust centre",
            CRUST_DARK,
            [blob(self.rng, 0.05 * r, -0.05 * r, 0.6 * r, 0.15)],
            looks="its centre black",
        )
        angles = self.rng.uniform(0, 2 * np.pi, 4)
        self.add(
            "crust flecks",
            CRUST_YELLOW,
            [
                blob(self.rng, 0.75 * r * np.cos(a), 0.75 * r * np.sin(a), 0.12 * r, 0.2, 10)
                for a in angles
            ],
            looks="yellow-brown flecks near its edge",
            label="Yellow-brown crust [11]",
            refs=(11,),
        )
        return self._hair_outside(r * 1.18 + 0.2)

    def _draw_excoriated(self):
        colours = self.colours
        lengths = [self.diameter, self.rng.uniform(2.5, self.diameter), self.rng.uniform(2, 3)]
        margins, erosions, crusts = [], [], []
        for index, length in enumerate(lengths):
            angle = np.radians(100 + 25 * index + self.rng.normal(0, 8))
            offset = np.array([0.9 * (index - 0.8), 0.5 * (index - 1)]) * (index > 0)
            along = np.linspace(-length / 2, length / 2, 14)
            bend = 0.35 * np.abs(along - along[4]) * (index == 1)  # the middle one is angular
            points = (
                np.column_stack(
                    [
                        along * np.cos(angle) - bend * np.sin(angle),
                        along * np.sin(angle) + bend * np.cos(angle),
                    ]
                )
                + offset
            )
            width = self.rng.uniform(0.3, 0.6)
            margins.append(_strip(points, width + 0.3))
            erosions.append(_strip(points, width))
            for x, y in points[2:-2:3]:
                crusts.append(blob(self.rng, x, y, width * 0.35, 0.2, 10))
        dark = self.colours.tone.group == "dark"
        self.add(
            "erosion margin",
            colours.erosion_margin,
            margins,
            looks="narrow "
            + ("margins darker than the skin" if dark else "red margins")
            + " along each streak",
            label="Margin of the erosion",
            lesion=True,
            on="skin",
            pin=tuple(np.array(margins[2]).mean(axis=0)),
        )
        self.add(
            "erosion",
            colours.erosion,
            erosions,
            looks=f"{len(erosions)} straight or angled raw streaks, the longest "
            f"{self.diameter:.1f} mm",
            label="Linear and angular erosions [98]",
            refs=(98,),
            lesion=True,
            on="erosion margin",
            pin=tuple(np.array(erosions[0]).mean(axis=0)),
        )
        self.add(
            "crust",
            CRUST_RED,
            crusts,
            looks="small dark red crusts on the streaks",
            label="Crust on the erosions [98]",
            refs=(98,),
            lesion=True,
            on="erosion",
            pin=crusts[0][0],
        )
        near = np.vstack([np.array(shape) for shape in margins])

        def keep(index, root):
            gap = float(np.min(np.hypot(*(near - root).T)))
            if gap < 0.2:
                return None
            return -0.5 if gap < 0.9 else 2.4

        return keep

    def _draw_healed(self):
        colours, r = self.colours, self.radius
        group = colours.tone.group
        if self.form is Form.MILIARIS:
            colour = colours.darker_macule if self.shade == "darker" else colours.paler_macule
            words = (
                DARKER_MACULE_WORDS[group]
                if self.shade == "darker"
                else "paler than the skin (post-inflammatory hypopigmentation)"
            )
            for share, reach in ((0.35, 1.35), (0.7, 1.15)):
                self.add(
                    "macule edge",
                    mix(colours.skin, colour, share),
                    [blob(self.rng, 0, 0, r * reach, 0.12)],
                )
            self.add(
                "macule",
                colour,
                [blob(self.rng, 0, 0, r, 0.12)],
                looks=f"a flat {self.diameter:.1f} mm spot with a blurred edge, {words}; "
                "the skin texture and hairs are unchanged",
                label="Macule, no scar [4, 94, 95]",
                refs=(4, 94, 95),
                lesion=True,
                on="skin",
                pin=(r * 0.6, -r * 0.5),
            )
            return lambda index, root: 2.4 if np.hypot(*root) > r + 0.9 else 1.8
        self.depression = PIT_DEPTH_MM
        recent = self.shade == "darker"
        pit_colour = colours.recent_scar if recent else colours.old_scar
        words = RECENT_SCAR_WORDS[group] if recent else "pale, whiter than the skin"
        self.add(
            "scar",
            pit_colour,
            [blob(self.rng, 0, 0, r, 0.02, 56)],
            looks=f"a round, sharply edged {self.diameter:.1f} mm pit, {words}, shiny, "
            "with no openings and no hair inside",
            label="Varioliform scar: punched-out pit [12, 72, 98]",
            refs=(12, 72, 98),
            lesion=True,
            on="skin",
            pin=(r * 0.65, -r * 0.45),
        )
        if recent and group == "dark":
            self.add(
                "scar centre",
                colours.old_scar,
                [blob(self.rng, 0, 0, r * 0.6, 0.05)],
                looks="a pale centre inside the dark rim",
                label="Pale centre, dark rim [85, 96]",
                refs=(85, 96),
                lesion=True,
                on="scar",
                pin=(-r * 0.1, 0.1 * r),
            )
            self.stage_assumptions.append(
                "A dark-rimmed scar with a pale centre, by analogy with discoid lupus on dark "
                "skin [85]."
            )
        self.add(
            "pit shadow",
            mix(pit_colour, "#000000", 0.35),
            [_crescent(0, 0, r, 120, 0.3)],
            looks="a shadow inside its upper left edge (the pit is depressed)",
            label="Depressed (shadowed) edge",
        )
        self.add(
            "shine",
            mix(pit_colour, "#ffffff", 0.55),
            [blob(self.rng, 0.3 * r, -0.25 * r, 0.16 * r, 0.1)],
            looks="a shiny highlight on its floor",
            label="Shiny, atrophic floor [100]",
            refs=(100,),
        )
        return self._hair_outside(r + 0.12)


LABEL_X_MM = PATCH_MM / 2 + 0.5
"""Labels stand in a column just right of the patch."""
VIEW_EXTENT = (EXTENT[0], EXTENT[1] + 8.2, EXTENT[2], EXTENT[3])
"""What the view shows: the patch plus the label column on its right (mm)."""


def callouts_for(elements: list[Element]) -> tuple[Callout, ...]:
    """One label per labelled element, in a column right of the patch, top to bottom by anchor."""
    labelled = sorted((e for e in elements if e.label), key=lambda e: -e.anchor[1])
    if not labelled:
        return ()
    ys = np.linspace(4.5, -4.0, max(len(labelled), 6))[: len(labelled)]
    return tuple(
        Callout(element.label, element.anchor, (LABEL_X_MM, float(y)))
        for element, y in zip(labelled, ys)
    )
