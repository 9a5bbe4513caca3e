"""The severity tipping point: where one flare locks into chronic sterile inflammation.

Reynolds' core is bistable: a bacterial inoculum below a critical size is
cleared and the lesion resolves; above it, effectors and damage keep feeding
each other after the bacteria are gone ("aseptic death" in Reynolds et al.
2006, a chronic lesion here).  The critical size is found by running single
flares of graded size from health, so the explorer marks the model's own
number on its severity control instead of a copied constant.
"""

from functools import cache

import numpy as np

from .parameters import FLARES, healthy_state
from .scenario import Scenario
from .simulation import integrate, model_parameters, pack_treatments

SETTLE_DAYS = 60
"""Days after the flare at which the lesion counts as resolved or chronic."""
CHRONIC_EFFECTORS = 0.3
"""Effector level that still stands after ``SETTLE_DAYS`` only in the chronic state (≈0.635)."""
SEARCH = (0.8, 1.3)
"""Inoculum sizes searched, response units."""
GRID = 21
"""Sizes tried per round; each round narrows the bracket to one grid step."""
ROUNDS = 3


def _is_chronic(sizes: np.ndarray) -> np.ndarray:
    """For each inoculum size: does one flare from health leave a chronic lesion?"""
    runs = sizes.size
    scenario = Scenario(days=SETTLE_DAYS)
    flare_times = np.full((runs, 2), np.inf)
    flare_times[:, 0] = 1.0
    flare_sizes = np.zeros((runs, 2))
    flare_sizes[:, 0] = sizes
    states = integrate(
        np.repeat(healthy_state()[None], runs, axis=0),
        np.zeros(runs, dtype=np.int64),
        np.repeat(model_parameters(scenario)[None], runs, axis=0),
        flare_times,
        flare_sizes,
        np.repeat(pack_treatments([scenario]), runs, axis=0),
        SETTLE_DAYS,
    )
    return states[:, 1, -1] >= CHRONIC_EFFECTORS


@cache
def chronic_inoculum() -> float:
    """Smallest single-flare inoculum (from health, untreated) that leaves a chronic lesion.

    Found to about 1e-4 by a few rounds of grid search, each a single batch run.
    """
    low, high = SEARCH
    for _ in range(ROUNDS):
        sizes = np.linspace(low, high, GRID)
        chronic = _is_chronic(sizes)
        if not chronic.any() or chronic[0]:
            raise ValueError(f"no tipping point between inocula {low:g} and {high:g}")
        first = int(np.argmax(chronic))
        low, high = sizes[first - 1], sizes[first]
    return float(high)


def chronic_severity() -> float:
    """Flare severity above which the largest flares of a schedule tip into a chronic lesion.

    A flare's inoculum is severity times a draw of up to ``FLARES.amplitude_high``,
    so this is the critical inoculum divided by that largest draw (about 1.04).
    """
    return chronic_inoculum() / FLARES.amplitude_high
