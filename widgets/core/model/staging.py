"""Which lesion stage each simulated day shows, read off the model's states.

The rules (thresholds in the model's response units; invented for teaching, and
chosen so one flare passes through the stages the brief describes, §2 and §4):

* a lesion is **present** while bacteria, effectors or damage are above small
  floors; its **episode** runs from the day it appears until it is gone;
* **early**: present, damage still below the necrosis level and the episode has
  not reached it yet (effectors rising, little necrosis);
* **necrotic**: damage at or above the necrosis level while inflammation is
  active (effectors high) or damage still rising;
* **crusted**: after the necrotic stage the crust stays ``CRUST_DAYS`` (3 weeks),
  so it is shed about 3-4 weeks after it formed, as the brief describes (§2,
  Assefa 2023); the crust's clock is its own, longer than the inflammation's;
* **healing**: the ``HEALING_DAYS`` after the crust is shed, or a lesion still
  present but fading that never became necrotic;
* **scarred**: no lesion present, and scar covers lost follicle territory above a
  small threshold (scar can never exceed the territory lost);
* **quiet**: otherwise.

Days are compared with the day before, so day 0 never counts as rising.
"""

import numpy as np

from .parameters import NECROSIS_THRESHOLD
from .stages import STAGE_ORDER, Stage

PRESENT_BACTERIA = 0.01
"""Bacterial load above which a lesion is present, response units."""
PRESENT_EFFECTORS = 0.01
"""Effector level above which a lesion is present."""
PRESENT_DAMAGE = 0.1
"""Tissue damage above which a lesion is present."""
INFLAMED_EFFECTORS = 0.1
"""Effector level above which inflammation counts as active."""
NECROSIS_DAMAGE = NECROSIS_THRESHOLD
"""Tissue damage at which the lesion counts as necrotic: the model's one necrosis threshold."""
CRUST_DAYS = 21
"""Days the crust stays after the necrotic stage ends (shed about 3-4 weeks after it formed)."""
HEALING_DAYS = 7
"""Days a site counts as healing after its crust is shed."""
VISIBLE_SCAR = 0.01
"""Scar fraction (1 %) above which a healed site counts as scarred."""

_CODE = {stage: code for code, stage in enumerate(STAGE_ORDER)}
_EPISODE_OFFSET = 1e3
"""Larger than any damage the model reaches (its ceiling is k_dn/mu_d = 17.5)."""


def classify_stages(
    bacteria: np.ndarray, effectors: np.ndarray, damage: np.ndarray, scar: np.ndarray
) -> np.ndarray:
    """Stage codes (indices into ``STAGE_ORDER``) for daily arrays of shape (..., days)."""
    present = (
        (bacteria >= PRESENT_BACTERIA)
        | (effectors >= PRESENT_EFFECTORS)
        | (damage >= PRESENT_DAMAGE)
    )
    previous_present = np.zeros_like(present)
    previous_present[..., 1:] = present[..., :-1]
    episode = np.cumsum(present & ~previous_present, axis=-1)
    offset = episode * _EPISODE_OFFSET
    episode_peak = np.maximum.accumulate(np.where(present, damage, 0.0) + offset, axis=-1) - offset

    rising = np.zeros_like(present)
    rising[..., 1:] = damage[..., 1:] > damage[..., :-1]
    inflamed = effectors >= INFLAMED_EFFECTORS

    necrotic = present & (damage >= NECROSIS_DAMAGE) & (inflamed | rising)
    early = (
        present
        & ~necrotic
        & (episode_peak < NECROSIS_DAMAGE)
        & (rising | inflamed | (bacteria >= PRESENT_BACTERIA))
    )
    day = np.arange(damage.shape[-1])
    last_necrotic = np.maximum.accumulate(np.where(necrotic, day, -_EPISODE_OFFSET), axis=-1)
    since_necrosis = day - last_necrotic
    crusted = ~necrotic & ~early & (since_necrosis >= 1) & (since_necrosis <= CRUST_DAYS)
    healing = (
        ~necrotic & ~early & ~crusted & (present | (since_necrosis <= CRUST_DAYS + HEALING_DAYS))
    )

    codes = np.where(scar >= VISIBLE_SCAR, _CODE[Stage.SCARRED], _CODE[Stage.QUIET])
    codes = np.where(healing, _CODE[Stage.HEALING], codes)
    codes = np.where(crusted, _CODE[Stage.CRUSTED], codes)
    codes = np.where(early, _CODE[Stage.EARLY], codes)
    codes = np.where(necrotic, _CODE[Stage.NECROTIC], codes)
    return codes.astype(np.int8)
