"""The relapsing schedule: when flares strike and how big their bacterial inoculum is.

Invented for teaching (the trigger of acne necrotica is unknown, brief §3): a
first flare on day 5, then gaps of a minimum plus an exponential wait, and sizes
drawn uniformly and scaled by the scenario's severity.  Draws always fill the
longest horizon (730 days), so a shorter run sees the same first flares as a
longer one with the same seed.
"""

import numpy as np

from .parameters import FLARES, FlareParameters
from .scenario import DAYS_RANGE

MAX_FLARES = int(DAYS_RANGE[1] // FLARES.minimum_gap) + 2
"""Enough flares to cover the longest horizon even if every gap were the minimum."""


def flare_schedule(
    rng: np.random.Generator,
    severity: float,
    runs: int = 1,
    staggered: bool = False,
    flares: FlareParameters = FLARES,
) -> tuple[np.ndarray, np.ndarray]:
    """Flare days and inoculum sizes, each of shape (runs, MAX_FLARES), sorted in time.

    A single patient's first flare comes on ``flares.first_day``; ``staggered`` runs
    (follicle clusters on one scalp) each start at a random point of a typical gap,
    so lesions on a scalp do not all erupt on the same day.
    """
    gaps = flares.minimum_gap + rng.exponential(flares.mean_extra_gap, size=(runs, MAX_FLARES))
    if staggered:
        gaps[:, 0] = flares.first_day + rng.uniform(
            0.0, flares.minimum_gap + flares.mean_extra_gap, size=runs
        )
    else:
        gaps[:, 0] = flares.first_day
    sizes = rng.uniform(flares.amplitude_low, flares.amplitude_high, size=(runs, MAX_FLARES))
    return np.cumsum(gaps, axis=1), severity * sizes
