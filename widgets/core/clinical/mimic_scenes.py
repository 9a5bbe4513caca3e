"""Close-ups of three mimics on the same 10 x 10 mm patch of scalp, as plain data.

Only the clues the briefs source are drawn (``data/mimics.toml`` holds the
words): folliculitis decalvans with tufted hairs from one dilated opening,
yellowish scale collars and pustules at the edge of an ivory-white scarred
patch [22, 23, 79, 80, 82]; lichen planopilaris with perifollicular erythema,
white perifollicular scale and a smooth patch without follicular openings
[30, 79, 80, 83]; herpes folliculitis as acute grouped lesions, often without
vesicles [43].  Sizes, numbers and placement are the course's: the sources
name the signs, not their measurements.
"""

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from widgets.core.choices import one_of
from widgets.core.clinical.scene import (
    DrawnPatch,
    SceneBuilder,
    blob,
    callouts_for,
    hair_shaft,
)
from widgets.core.clinical.stages import GENERAL_ASSUMPTIONS, ClinicalStage
from widgets.core.clinical.tones import CRUST_RED, PUS, Tone, palette
from widgets.core.colour import mix
from widgets.core.model.forms import Form

MIMIC_CLOSE_UPS = ("folliculitis decalvans", "lichen planopilaris", "herpes folliculitis")
"""The mimics drawn, in the order lesson 4 shows them."""

YELLOWISH_SCALE = "#d9bd62"
"""Scale of folliculitis decalvans: yellowish [80]; keratin, so one colour on every tone (CA)."""
WHITE_SCALE = "#f4f1ea"
"""Scale of lichen planopilaris: white [80]; one colour on every tone (CA)."""

SHARED_ASSUMPTIONS = (
    "The sizes, numbers and placement of the drawn signs are the course's; the sources "
    "name the signs, not their measurements.",
)


@dataclass(frozen=True)
class MimicScene(DrawnPatch):
    """One mimic's close-up on one skin tone."""

    name: str

    @property
    def title(self) -> str:
        return f"{self.name.capitalize()} (a mimic), {self.tone.label}"


def mimic_scene(name: str, tone: Tone | str = "II", seed: int = 0) -> MimicScene:
    """The close-up of the mimic ``name`` (one of :data:`MIMIC_CLOSE_UPS`) on skin ``tone``."""
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a whole number of 0 or more (got {seed!r})")
    return _mimic_scene(one_of(name, MIMIC_CLOSE_UPS, "mimic"), palette(tone).tone, int(seed))


@lru_cache(maxsize=64)
def _mimic_scene(name: str, tone: Tone, seed: int) -> MimicScene:
    return _MimicBuilder(name, tone, seed).build_mimic()


class _MimicBuilder(SceneBuilder):
    """The scalp of a normal close-up, with one mimic's signs drawn instead of a lesion."""

    def __init__(self, name: str, tone: Tone, seed: int):
        super().__init__(ClinicalStage.NORMAL, Form.MILIARIS, palette(tone), seed, "darker")
        self.name = name
        self.assumptions: list[str] = list(SHARED_ASSUMPTIONS)

    def build_mimic(self) -> MimicScene:
        drawers = {
            "folliculitis decalvans": self._draw_decalvans,
            "lichen planopilaris": self._draw_planopilaris,
            "herpes folliculitis": self._draw_herpes,
        }
        self.draw(drawers[self.name])
        return MimicScene(
            name=self.name,
            tone=self.colours.tone,
            seed=self.seed,
            elements=tuple(self.elements),
            assumptions=tuple(self.assumptions) + GENERAL_ASSUMPTIONS,
            callouts=callouts_for(self.elements),
        )

    # Shared pieces -----------------------------------------------------------------

    def _units_near(self, centre, low: float, high: float) -> list[int]:
        distance = np.hypot(*(self.units - np.asarray(centre)).T)
        return [int(i) for i in np.flatnonzero((distance >= low) & (distance < high))]

    def _bare_patch(self, centre, radius: float, label: str, refs) -> None:
        """A smooth pale patch in which no follicular opening remains."""
        self.add(
            "bare patch",
            self.colours.old_scar,
            [blob(self.rng, centre[0], centre[1], radius, 0.18)],
            looks=f"a smooth pale area about {2 * radius:.0f} mm across, with no openings or hairs",
            label=label,
            refs=refs,
            lesion=True,
            on="skin",
        )

    def _keep_outside(self, centre, radius: float, also_removed=()):
        """Hairs everywhere except inside the patch and at units drawn separately."""
        removed = set(also_removed)

        def keep(index, root):
            if index in removed or np.hypot(*(root - np.asarray(centre))) < radius:
                return None
            return 2.4

        return keep

    # The mimics --------------------------------------------------------------------

    def _draw_decalvans(self):
        colours, patch, patch_r = self.colours, (-2.2, -1.6), 1.7
        self._bare_patch(patch, patch_r, "Ivory-white scarred patch [22, 23]", (22, 23))
        pustule_at = [
            (patch[0] + 1.9 * np.cos(angle), patch[1] + 1.9 * np.sin(angle)) for angle in (0.3, 1.2)
        ]
        self.add(
            "perifollicular erythema",
            colours.erythema,
            [blob(self.rng, 0, 0, 0.65, 0.12)]
            + [blob(self.rng, x, y, 0.45) for x, y in pustule_at],
            looks="red to dark rings around a hair tuft and two spots at the patch's edge",
            label="Inflamed base (course assumption)",
            lesion=True,
            on="skin",
            pin=(0.55, -0.25),
        )
        self.add(
            "pustules",
            PUS,
            [blob(self.rng, x, y, 0.24) for x, y in pustule_at],
            looks="two small yellow-white dome-shaped spots",
            label="Follicular pustules at the edge [22, 23]",
            refs=(22, 23),
            lesion=True,
            on="perifollicular erythema",
        )
        self.add(
            "crust",
            CRUST_RED,
            [blob(self.rng, patch[0] + 0.9, patch[1] + 1.1, 0.3, 0.2)],
            looks="a small dark red crust at the pale area's edge",
            label="Crust [22]",
            refs=(22,),
            lesion=True,
            on="bare patch",
        )
        self.add(
            "scale collar",
            YELLOWISH_SCALE,
            [blob(self.rng, 0, 0, 0.36, 0.1)],
            looks="a yellowish collar of scale at the base of the tuft",
            label="Yellowish scale collar [80]",
            refs=(80,),
            lesion=True,
            on="perifollicular erythema",
            pin=(0.0, 0.3),
        )
        self.add("dilated opening", colours.opening, [blob(self.rng, 0, 0, 0.17, 0.0, 16)])
        tuft = [
            hair_shaft(
                np.array([0.0, 0.0]),
                -55 + angle + self.rng.normal(0, 3),
                self.rng.uniform(2.4, 3.2),
            )
            for angle in np.linspace(-28, 28, 7)
        ]
        self.add(
            "tufted hairs",
            colours.hair,
            tuft,
            looks="seven hairs fanning out of one opening",
            label="Tufted hairs: several from one opening [22, 79, 80]",
            refs=(22, 79, 80),
            pin=(1.3, -1.7),
        )
        self.assumptions.append("Seven hairs in the tuft; the sources say 'several' [79, 80].")
        self.assumptions.append(
            "The red base under the tuft and the pustules is drawn so they sit on inflamed "
            "skin; the sources list perifollicular hyperplasia and red dots, not a ring [80, 82]."
        )
        return self._keep_outside(patch, patch_r + 0.1, also_removed=[0])

    def _draw_planopilaris(self):
        colours, patch, patch_r = self.colours, (2.0, -1.8), 1.5
        self._bare_patch(
            patch, patch_r, "Smooth patch without follicular openings [30, 79]", (30, 79)
        )
        ringed = [
            i
            for i in self._units_near((0.0, 0.0), 0.0, 2.9)
            if np.hypot(*(self.units[i] - np.asarray(patch))) > patch_r + 0.5
        ]
        self.add(
            "perifollicular erythema",
            colours.erythema,
            [blob(self.rng, *self.units[i], 0.42, 0.1) for i in ringed],
            looks=f"{len(ringed)} red to dark rings, each around a hair group",
            label="Perifollicular erythema [30, 80]",
            refs=(30, 80),
            lesion=True,
            on="skin",
        )
        self.add(
            "white scale",
            WHITE_SCALE,
            [blob(self.rng, *self.units[i], 0.22, 0.12) for i in ringed],
            looks="a white collar of scale at the base of each ringed hair group",
            label="White perifollicular scale [30, 80]",
            refs=(30, 80),
            lesion=True,
            on="perifollicular erythema",
            pin=tuple(self.units[ringed[0]]),
        )
        return self._keep_outside(patch, patch_r + 0.1)

    def _draw_herpes(self):
        colours = self.colours
        angle = self.rng.uniform(0, 2 * np.pi, 7)
        reach = np.sqrt(self.rng.uniform(0.05, 1.0, 7)) * 1.6
        spots = np.column_stack([reach * np.cos(angle), reach * np.sin(angle)])
        self.add(
            "grouped lesions",
            colours.erythema,
            [blob(self.rng, x, y, self.rng.uniform(0.32, 0.48), 0.08) for x, y in spots],
            looks="seven small raised spots in a tight group, red to dark",
            label="Grouped lesions, acute and painful [43]",
            refs=(43,),
            lesion=True,
            on="skin",
        )
        self.add(
            "vesicles",
            mix(PUS, "#ffffff", 0.5),
            [blob(self.rng, x, y, 0.18, 0.04) for x, y in spots[:2]],
            looks="a clear-white blister on two of them",
            label="A few vesicles (often absent) [43]",
            refs=(43,),
            lesion=True,
            on="grouped lesions",
        )
        self.add(
            "erosion margins",
            colours.erosion_margin,
            [blob(self.rng, x, y, 0.3, 0.1) for x, y in spots[2:4]],
        )
        self.add(
            "erosions",
            colours.erosion,
            [blob(self.rng, x, y, 0.22, 0.15) for x, y in spots[2:4]],
            looks="a raw, shallow centre on two others",
            label="Erosions (described in zoster) [84]",
            refs=(84,),
            lesion=True,
            on="erosion margins",
        )
        self.assumptions.append(
            "No description of herpes simplex on the scalp was found: the erosions follow "
            "the one table found for herpes zoster [84]."
        )
        return lambda index, root: 2.4
