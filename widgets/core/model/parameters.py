"""Numbers of the teaching model, each labelled with where it comes from.

Three kinds of number live here:

* **Reynolds et al. 2006** (J Theor Biol 242:220, Table 1): the inflammation core.
  Their rates are per hour; the equations multiply them by 24 because the model's
  clock runs in days.
* **Adler et al. 2020** (iScience 23:100841): the magnitudes of the fibrosis
  switch's self-activation and decay, reused in a one-variable reduction.
* **Invented for teaching**: follicle necrosis, scar, the necrosis threshold and depth, scratching, the flare schedule and every drug effect.  They were chosen
  so the model shows the course's lessons; no patient data were fitted.

Units are the abstract "response units" of Reynolds et al., not cell counts.
"""

from dataclasses import dataclass

import numpy as np

from .forms import Form

NECROSIS_THRESHOLD = 1.2
"""Invented. The one necrosis threshold of the model, in damage units.

Tissue necroses where the damage reaching it passes this level: the lesion's
surface (the staging's necrotic stage, the explorer's strip, line and text) and
the follicle's deep parts (follicle destruction) read the same number; how much
of the damage reaches deep is the necrosis depth (``deep_share``)."""

DEEP_SHARE_RANGE: tuple[float, float] = (0.21, 0.6)
"""Invented. Share of the tissue damage that reaches the follicle's deep parts at necrosis
depth 0 (miliaris: superficial, brief §1) and 1 (varioliformis: deep)."""


@dataclass(frozen=True)
class InflammationParameters:
    """Reynolds et al. 2006, Table 1 (rates per hour), with k_pg = 0.3/h as in their Fig. 5."""

    k_pg: float = 0.3
    """Bacterial growth rate, /h."""
    p_inf: float = 20.0
    """Bacterial carrying capacity, response units."""
    k_pm: float = 0.6
    """Clearance of bacteria by the local non-specific response, /h."""
    s_m: float = 0.005
    """Source of the local non-specific response, /h."""
    mu_m: float = 0.002
    """Decay of the local non-specific response, /h."""
    k_mp: float = 0.01
    """Exhaustion of the local response by bacteria, /h."""
    k_pn: float = 1.8
    """Killing of bacteria by activated effectors, /h."""
    k_np: float = 0.1
    """Effector activation by bacteria."""
    k_nn: float = 0.01
    """Effector activation by effectors."""
    k_nd: float = 0.02
    """Effector activation by damage."""
    s_nr: float = 0.08
    """Maximal effector recruitment, /h."""
    mu_nr: float = 0.12
    """Half-saturation of effector recruitment."""
    mu_n: float = 0.05
    """Effector decay, /h."""
    k_dn: float = 0.35
    """Maximal damage production by effectors, /h."""
    x_dn: float = 0.06
    """Effector level giving half-maximal damage."""
    mu_d: float = 0.02
    """Damage repair, /h."""
    c_inf: float = 0.28
    """Anti-inflammatory level that halves inflammatory signalling."""
    s_c: float = 0.0125
    """Baseline anti-inflammatory source, /h."""
    k_cn: float = 0.04
    """Anti-inflammatory production driven by inflammation, /h."""
    k_cnd: float = 48.0
    """Relative weight of damage in driving anti-inflammatory production."""
    mu_c: float = 0.1
    """Anti-inflammatory decay, /h."""
    hours_per_day: float = 24.0
    """Reynolds' rates are per hour; the model's clock runs in days."""


@dataclass(frozen=True)
class LesionParameters:
    """Follicle necrosis, fibrosis switch and scar; rates per day.

    The fibrosis switch reduces Adler et al. 2020 to one variable: ``fibrosis_gain``
    and ``fibrosis_decay`` are the magnitudes of their myofibroblast proliferation
    (0.9/d) and removal (0.3/d).  Everything else here is invented for teaching.
    """

    necrosis_rate: float = 0.05
    """Invented. Maximal fraction of viable follicles destroyed per day."""
    necrosis_threshold: float = NECROSIS_THRESHOLD
    """Invented. Damage at which tissue necroses: at the surface (the lesion's necrotic
    stage) and in the follicle's deep parts (follicle destruction, half-maximal here)."""
    necrosis_steepness: float = 4.0
    """Invented. Hill exponent of the necrosis threshold."""
    fibrosis_gain: float = 0.9
    """Adler 2020 magnitude. Autocrine self-activation of the fibrotic programme, /d."""
    fibrosis_decay: float = 0.3
    """Adler 2020 magnitude. Removal of the fibrotic programme, /d."""
    fibrosis_threshold: float = 0.6
    """Invented. Level at which self-activation is half-maximal; bistable while below 0.75."""
    fibrosis_drive: float = 0.3
    """Invented. Maximal drive of fibrosis by damage, /d."""
    fibrosis_drive_half: float = 3.0
    """Invented. Damage reaching the deep follicle that gives half-maximal fibrosis drive."""
    scar_rate: float = 0.05
    """Invented. Rate at which a locked fibrotic programme fills lost follicle territory, /d."""
    scratch_depth_gain: float = 0.5
    """Invented. Extra share of damage reaching the follicle at full scratching (0.5 = +50 %).

    Scratching and picking aggravate lesions but do not start them (brief §3): the
    term multiplies damage that a flare has already caused."""


FORM_DEPTH: dict[Form, float] = {Form.MILIARIS: 0.0, Form.VARIOLIFORMIS: 1.0}
"""The two forms are the two ends of the continuous necrosis depth 0..1."""

DEPTH_RANGE = (0.0, 1.0)


def deep_share(depth: float) -> float:
    """Share of the damage reaching the deep follicle at necrosis depth ``depth`` (0..1)."""
    low, high = DEEP_SHARE_RANGE
    return low + (high - low) * depth


def nearest_form(depth: float) -> Form:
    """The form at the nearer end of the depth scale (0.5 and deeper: varioliformis)."""
    return Form.VARIOLIFORMIS if depth >= 0.5 else Form.MILIARIS


@dataclass(frozen=True)
class FlareParameters:
    """Invented. The relapsing schedule: the trigger of acne necrotica is unknown (brief §3)."""

    first_day: float = 5.0
    """Day of the first flare."""
    minimum_gap: float = 7.0
    """Days between flares at least."""
    mean_extra_gap: float = 30.0
    """Mean of the exponential part of the gap between flares, days."""
    amplitude_low: float = 0.75
    """Smallest bacterial inoculum of a flare at severity 1, response units."""
    amplitude_high: float = 1.0
    """Largest bacterial inoculum of a flare at severity 1; about 1.04 tips into chronic inflammation."""


INFLAMMATION = InflammationParameters()
LESION = LesionParameters()
FLARES = FlareParameters()


def healthy_state(inflammation: InflammationParameters = INFLAMMATION) -> np.ndarray:
    """Health: no bacteria, effectors or damage, baseline anti-inflammatory tone, all follicles viable."""
    return np.array([0.0, 0.0, 0.0, inflammation.s_c / inflammation.mu_c, 1.0, 0.0, 0.0])
