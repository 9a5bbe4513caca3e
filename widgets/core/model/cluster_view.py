"""What one simulated follicle cluster looks like on a given day, as pure data for a drawing.

The explorer draws a small cross-section of scalp beside its curves: a row of
follicles under the skin surface.  This module turns the model's states on a
day into that picture, so the view only draws and every part of it is read off
the model:

* **viable, destroyed and scarred follicles**: of ``FOLLICLES`` drawn, the lost
  ones are the model's lost fraction and the scarred ones its scar fraction,
  rounded up so that any loss the staging counts shows;
* **how deep necrosis reaches**: damage is full at the surface and falls to the
  deep share (necrosis depth and scratching) at the follicle's base; tissue is
  necrotic wherever the damage reaching it passes the model's one necrosis
  threshold, so the necrotic zone reaches down to where that line is crossed
  (and stays, dead, under the crust until the crust is shed);
* **crust** on the surface while the stage is crusted; **inflammation** as the
  effector level relative to a typical flare's peak.

The geometry (follicle spacing, a surface at 0 and bases at depth 1) is a
display choice; nothing here is a clinical measurement.
"""

import math
from dataclasses import dataclass
from numbers import Integral

import numpy as np

from .integrator import drug_levels
from .parameters import LESION, NECROSIS_THRESHOLD, deep_share
from .simulation import Course, pack_treatments
from .stages import STAGE_ORDER, Stage
from .staging import VISIBLE_SCAR

FOLLICLES = 9
"""Follicles drawn in the cluster."""
LOSS_ORDER = (4, 3, 5, 2, 6, 1, 7, 0, 8)
"""Which drawn follicle is lost first, second, ...: from the centre of the lesion outwards."""
PEAK_EFFECTORS = 0.2
"""Effector level drawn as full inflammation (about a typical flare's peak)."""


@dataclass(frozen=True)
class ClusterPicture:
    """One day of the cluster: per-follicle state and the lesion around them.

    ``follicles`` holds one of "viable", "lost" (destroyed, not yet scarred) or
    "scarred" per drawn follicle, left to right.  ``necrosis_reach`` is the
    depth (0 surface .. 1 follicle base) down to which tissue is necrotic: today's
    necrosis, or under a crust the necrosis it formed on; 0 means none.
    ``inflammation`` is 0..1.
    """

    day: int
    stage: Stage
    follicles: tuple[str, ...]
    necrosis_reach: float
    crust: bool
    inflammation: float
    surface_damage: float
    deep_damage: float

    @property
    def viable_count(self) -> int:
        return self.follicles.count("viable")

    @property
    def text(self) -> str:
        """The picture in words (for screen readers)."""
        counts = ", ".join(
            f"{self.follicles.count(state)} {state}"
            for state in ("viable", "lost", "scarred")
            if state in self.follicles
        )
        if self.necrosis_reach <= 0:
            necrosis = "no necrosis"
        elif self.necrosis_reach >= 1:
            necrosis = "necrosis down to the follicle base"
        else:
            necrosis = f"necrosis down to {100 * self.necrosis_reach:.0f} % of the follicle depth"
        crust = ", crust on the surface" if self.crust else ""
        return f"Day {self.day}: of {FOLLICLES} follicles drawn, {counts}; {necrosis}{crust}."


def necrosis_reach(surface_damage: float, share: float) -> float:
    """Depth (0..1) down to which damage falling linearly from ``surface_damage`` at the
    surface to ``share`` times it at the base still passes the necrosis threshold."""
    if surface_damage < NECROSIS_THRESHOLD:
        return 0.0
    if share * surface_damage >= NECROSIS_THRESHOLD or share >= 1.0:
        return 1.0
    return float((1.0 - NECROSIS_THRESHOLD / surface_damage) / (1.0 - share))


def drawn_count(fraction: float) -> int:
    """Follicles of the drawing a lost or scarred ``fraction`` takes: rounded up, so any loss
    the staging counts (from ``VISIBLE_SCAR``, 1 %) shows as at least one follicle."""
    if fraction < VISIBLE_SCAR:
        return 0
    return min(FOLLICLES, math.ceil(FOLLICLES * fraction - 1e-9))


def cluster_picture(course: Course, day: int) -> ClusterPicture:
    """The cluster of ``course`` on ``day`` (0..course.scenario.days)."""
    scenario = course.scenario
    if isinstance(day, bool) or not isinstance(day, Integral) or not 0 <= day <= scenario.days:
        raise ValueError(f"day must be a whole number from 0 to {scenario.days}, got {day!r}")
    stage = course.stage_on(day)
    necrotic_day = day
    if stage is Stage.CRUSTED:
        necrotic = np.flatnonzero(
            course.stage_codes[: day + 1] == STAGE_ORDER.index(Stage.NECROTIC)
        )
        necrotic_day = int(necrotic[-1]) if necrotic.size else day
    treatments = pack_treatments([scenario])[0]
    scratch_left = drug_levels(treatments, float(necrotic_day))[4]
    share = deep_share(scenario.necrosis_depth) * (
        1.0 + LESION.scratch_depth_gain * scenario.scratching * scratch_left
    )
    surface = float(course.damage[day])
    dead_surface = float(course.damage[necrotic_day])
    lost = drawn_count(1.0 - float(course.viable_follicles[day]))
    scarred = min(lost, drawn_count(float(course.scar[day])))
    states = ["viable"] * FOLLICLES
    for rank, index in enumerate(LOSS_ORDER[:lost]):
        states[index] = "scarred" if rank < scarred else "lost"
    return ClusterPicture(
        day=day,
        stage=stage,
        follicles=tuple(states),
        necrosis_reach=necrosis_reach(dead_surface, share),
        crust=stage is Stage.CRUSTED,
        inflammation=float(np.clip(course.effectors[day] / PEAK_EFFECTORS, 0.0, 1.0)),
        surface_damage=surface,
        deep_damage=share * surface,
    )
