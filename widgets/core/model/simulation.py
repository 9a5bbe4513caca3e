"""Run the teaching model: one patient (``simulate``), a scalp of follicle clusters
(``simulate_clusters``) and "what if treatment started on day d" curves
(``sweep_start_day``).

The model is didactic, not calibrated: its inflammation core follows Reynolds et
al. 2006, its fibrosis switch is reduced from Adler et al. 2020, and follicle
loss, scar, flares, scratching and drug effects are invented for teaching.
"""

from dataclasses import dataclass
from numbers import Integral
from typing import cast

import numpy as np

from .flares import flare_schedule
from .integrator import (
    ATOL,
    MAX_STEPS,
    MIN_STEP,
    N_STATES,
    NON_FINITE,
    REPORT_DAY,
    REPORT_STATUS,
    REPORT_STEPS,
    RTOL,
    STEP_TOO_SMALL,
    TOO_MANY_STEPS,
    TREATMENT_COLUMNS,
    integrate_batch,
    pack_parameters,
    pack_treatment,
)
from .parameters import INFLAMMATION, LESION, NECROSIS_THRESHOLD, deep_share, healthy_state
from .scenario import Scenario
from .stages import STAGE_ORDER, Stage
from .staging import classify_stages

ACTIVE_STAGES = (Stage.EARLY, Stage.NECROTIC, Stage.CRUSTED, Stage.HEALING)
"""Stages during which a lesion is visible and active."""
_ACTIVE_CODES = np.array([STAGE_ORDER.index(stage) for stage in ACTIVE_STAGES])

CLUSTER_SUSCEPTIBILITY = (0.85, 1.1)
"""Invented. Range of the per-cluster factor on flare size, so scalp sites differ."""

_BACTERIA, _EFFECTORS, _DAMAGE, _ANTI, _VIABLE, _FIBROSIS, _SCAR, _FOLLICLE_DAMAGE = range(
    N_STATES + 1
)


def _check_seed(seed: object) -> int:
    if isinstance(seed, bool) or not isinstance(seed, Integral) or seed < 0:
        raise ValueError(f"seed must be a whole number 0 or larger, got {seed!r}")
    return int(seed)


def _check_scenario(scenario: object) -> Scenario:
    if not isinstance(scenario, Scenario):
        raise ValueError(f"expected a Scenario, e.g. Scenario(form='miliaris'), got {scenario!r}")
    return scenario


def _readonly(array: np.ndarray) -> np.ndarray:
    array.setflags(write=False)
    return array


def pack_treatments(scenarios: list[Scenario]) -> np.ndarray:
    """(runs, most treatments, columns); shorter regimens are padded with never-started rows."""
    width = max(len(scenario.treatments) for scenario in scenarios)
    packed = np.zeros((len(scenarios), width, TREATMENT_COLUMNS))
    packed[:, :, 0] = np.inf
    for run, scenario in enumerate(scenarios):
        for slot, treatment in enumerate(scenario.treatments):
            packed[run, slot] = pack_treatment(
                treatment.drug.effect, treatment.start_day, treatment.stop_day
            )
    return packed


def integrate(
    y0: np.ndarray,
    first_days: np.ndarray,
    parameters: np.ndarray,
    flare_times: np.ndarray,
    flare_sizes: np.ndarray,
    treatments: np.ndarray,
    days: int,
    min_step: float = MIN_STEP,
    max_steps: int = MAX_STEPS,
) -> np.ndarray:
    """Daily states of a batch of runs (see ``integrator.integrate_batch``).

    Raises ValueError naming the run, the day and the reason when the solver had
    to stop (a NaN or infinite state, a step below ``min_step`` days, more than
    ``max_steps`` steps), instead of returning NaN or hanging.
    """
    states, report = integrate_batch(
        y0,
        first_days,
        parameters,
        flare_times,
        flare_sizes,
        treatments,
        days,
        RTOL,
        ATOL,
        min_step,
        max_steps,
    )
    failed = np.flatnonzero(report[:, REPORT_STATUS] != 0)
    if failed.size:
        run = int(failed[0])
        status, day = int(report[run, REPORT_STATUS]), report[run, REPORT_DAY]
        reasons = {
            NON_FINITE: "a state became NaN or infinite (is a parameter NaN, infinite or extreme?)",
            STEP_TOO_SMALL: f"the step fell below {min_step:g} days: the equations are too stiff "
            "for this solver, or a rate is not finite (is a parameter extreme?)",
            TOO_MANY_STEPS: f"it needed more than {max_steps} steps "
            f"(took {int(report[run, REPORT_STEPS])})",
        }
        raise ValueError(
            f"the model stopped on day {day:.3f} of run {run} ({failed.size} of "
            f"{report.shape[0]} runs failed): {reasons[status]}"
        )
    return states


def model_parameters(scenario: Scenario) -> np.ndarray:
    # A Scenario fills in necrosis_depth from its form when it is not given.
    depth = cast(float, scenario.necrosis_depth)
    return pack_parameters(INFLAMMATION, LESION, deep_share(depth), scenario.scratching)


@dataclass(frozen=True, eq=False)
class Course:
    """One simulated patient, sampled once a day (day 0 to ``scenario.days``).

    States are in the model's abstract response units, except
    ``viable_follicles`` (fraction 0..1 of follicles still alive), ``fibrosis``
    (0..1, the fibrotic programme; locked near 0.6) and ``scar`` (fraction 0..1 of
    the area scarred).  ``follicle_damage`` is the damage that reaches the follicle
    (depth of the form and scratching included); necrosis sets in around
    ``necrosis_threshold``.
    """

    scenario: Scenario
    seed: int
    days: np.ndarray
    bacteria: np.ndarray
    effectors: np.ndarray
    damage: np.ndarray
    anti_inflammatory: np.ndarray
    viable_follicles: np.ndarray
    fibrosis: np.ndarray
    scar: np.ndarray
    follicle_damage: np.ndarray
    stage_codes: np.ndarray
    flare_days: np.ndarray

    necrosis_threshold = NECROSIS_THRESHOLD

    def stage_on(self, day: int) -> Stage:
        """The lesion stage on ``day`` (0..scenario.days)."""
        if (
            isinstance(day, bool)
            or not isinstance(day, Integral)
            or not 0 <= day <= self.scenario.days
        ):
            raise ValueError(
                f"day must be a whole number from 0 to {self.scenario.days}, got {day!r}"
            )
        return STAGE_ORDER[self.stage_codes[day]]

    @property
    def follicles_lost_pct(self) -> float:
        """Follicles destroyed by the end, % of those present on day 0."""
        return float(100.0 * (1.0 - self.viable_follicles[-1]))

    @property
    def scar_area_pct(self) -> float:
        """Area scarred by the end, %."""
        return float(100.0 * self.scar[-1])

    @property
    def flare_count(self) -> int:
        """Flares within the simulated days."""
        return int(self.flare_days.size)

    @property
    def active_lesion_days(self) -> int:
        """Days on which a lesion was active (early, necrotic, crusted or healing)."""
        return int(np.isin(self.stage_codes, _ACTIVE_CODES).sum())


def _course(scenario: Scenario, seed: int, states: np.ndarray, flare_times: np.ndarray) -> Course:
    stages = classify_stages(states[_BACTERIA], states[_EFFECTORS], states[_DAMAGE], states[_SCAR])
    return Course(
        scenario=scenario,
        seed=seed,
        days=_readonly(np.arange(scenario.days + 1)),
        bacteria=_readonly(states[_BACTERIA]),
        effectors=_readonly(states[_EFFECTORS]),
        damage=_readonly(states[_DAMAGE]),
        anti_inflammatory=_readonly(states[_ANTI]),
        viable_follicles=_readonly(states[_VIABLE]),
        fibrosis=_readonly(states[_FIBROSIS]),
        scar=_readonly(states[_SCAR]),
        follicle_damage=_readonly(states[_FOLLICLE_DAMAGE]),
        stage_codes=_readonly(stages),
        flare_days=_readonly(flare_times[flare_times <= scenario.days].copy()),
    )


def simulate(scenario: Scenario, seed: int = 0) -> Course:
    """One patient's course under ``scenario``; the flare schedule is drawn from ``seed``."""
    scenario = _check_scenario(scenario)
    seed = _check_seed(seed)
    flare_times, flare_sizes = flare_schedule(np.random.default_rng(seed), scenario.severity)
    states = integrate(
        healthy_state()[None],
        np.zeros(1, dtype=np.int64),
        model_parameters(scenario)[None],
        flare_times,
        flare_sizes,
        pack_treatments([scenario]),
        scenario.days,
    )[0]
    return _course(scenario, seed, states, flare_times[0])


@dataclass(frozen=True, eq=False)
class ClusterCourse:
    """Many follicle clusters of one scalp, each with its own flares, sampled daily.

    Arrays are (n_clusters, days + 1): ``stage_codes`` index ``STAGE_ORDER``;
    ``viable_follicles`` and ``scar`` are fractions 0..1 per cluster.
    """

    scenario: Scenario
    seed: int
    days: np.ndarray
    stage_codes: np.ndarray
    viable_follicles: np.ndarray
    scar: np.ndarray

    @property
    def n_clusters(self) -> int:
        """Number of follicle clusters simulated."""
        return int(self.stage_codes.shape[0])

    def stages_on(self, day: int) -> list[Stage]:
        """Every cluster's stage on ``day``."""
        if (
            isinstance(day, bool)
            or not isinstance(day, Integral)
            or not 0 <= day <= self.scenario.days
        ):
            raise ValueError(
                f"day must be a whole number from 0 to {self.scenario.days}, got {day!r}"
            )
        return [STAGE_ORDER[code] for code in self.stage_codes[:, day]]

    @property
    def follicles_lost_pct(self) -> float:
        """Follicles destroyed across the scalp by the end, %."""
        return float(100.0 * (1.0 - self.viable_follicles[:, -1].mean()))


def simulate_clusters(scenario: Scenario, n_clusters: int = 400, seed: int = 0) -> ClusterCourse:
    """``n_clusters`` heterogeneous follicle clusters under one scenario (for a scalp map).

    Each cluster has its own flare schedule, its first flare at a random point of
    a typical gap, and its own susceptibility (factor on flare size within
    ``CLUSTER_SUSCEPTIBILITY``).  Treatments apply to the whole scalp.
    """
    scenario = _check_scenario(scenario)
    seed = _check_seed(seed)
    if (
        isinstance(n_clusters, bool)
        or not isinstance(n_clusters, Integral)
        or not 1 <= n_clusters <= 10_000
    ):
        raise ValueError(f"n_clusters must be a whole number from 1 to 10000, got {n_clusters!r}")
    rng = np.random.default_rng(seed)
    flare_times, flare_sizes = flare_schedule(
        rng, scenario.severity, runs=n_clusters, staggered=True
    )
    flare_sizes *= rng.uniform(*CLUSTER_SUSCEPTIBILITY, size=(n_clusters, 1))
    states = integrate(
        np.repeat(healthy_state()[None], n_clusters, axis=0),
        np.zeros(n_clusters, dtype=np.int64),
        np.repeat(model_parameters(scenario)[None], n_clusters, axis=0),
        flare_times,
        flare_sizes,
        np.repeat(pack_treatments([scenario]), n_clusters, axis=0),
        scenario.days,
    )
    stages = classify_stages(
        states[:, _BACTERIA], states[:, _EFFECTORS], states[:, _DAMAGE], states[:, _SCAR]
    )
    return ClusterCourse(
        scenario=scenario,
        seed=seed,
        days=_readonly(np.arange(scenario.days + 1)),
        stage_codes=_readonly(stages),
        viable_follicles=_readonly(states[:, _VIABLE].copy()),
        scar=_readonly(states[:, _SCAR].copy()),
    )


def sweep_start_day(scenario: Scenario, start_days, seed: int = 0) -> np.ndarray:
    """Follicles lost (%) by the end if every treatment of ``scenario`` started on each day.

    Each treatment keeps its length (an open-ended one stays open-ended).  The
    untreated course is run once; each start-day run begins from its state on
    that day, since nothing differs before treatment starts.

    For open-ended regimens with a real antimicrobial (antibiotic, tetracycline,
    isotretinoin) a later start never loses fewer follicles.  Two exceptions are
    genuine behaviour of Reynolds' core, not errors: corticosteroid monotherapy
    can favour persistent bacteria, and a medicated shampoo that only trims a flare
    also trims the anti-inflammatory tone that flare leaves behind, so the next
    flare can hit harder (differences under about 1.5 percentage points).
    """
    scenario = _check_scenario(scenario)
    seed = _check_seed(seed)
    if not scenario.treatments:
        raise ValueError(
            "the scenario has no treatment to start; add one, "
            "e.g. treatments=(Treatment('oral tetracycline', 0),)"
        )
    starts = np.asarray(start_days, dtype=np.float64).ravel()
    if (
        starts.size == 0
        or not np.all(np.isfinite(starts))
        or starts.min() < 0
        or starts.max() > scenario.days
    ):
        raise ValueError(f"start_days must be one or more numbers from 0 to {scenario.days}")
    flare_times, flare_sizes = flare_schedule(np.random.default_rng(seed), scenario.severity)
    parameters = model_parameters(scenario)
    untreated = integrate(
        healthy_state()[None],
        np.zeros(1, dtype=np.int64),
        parameters[None],
        flare_times,
        flare_sizes,
        pack_treatments([scenario.untreated]),
        scenario.days,
    )[0]
    first_days = np.floor(starts).astype(np.int64)
    runs = starts.size
    treated = integrate(
        np.ascontiguousarray(untreated[:N_STATES, first_days].T),
        first_days,
        np.repeat(parameters[None], runs, axis=0),
        np.repeat(flare_times, runs, axis=0),
        np.repeat(flare_sizes, runs, axis=0),
        pack_treatments([scenario.started_on(day) for day in starts]),
        scenario.days,
    )
    return 100.0 * (1.0 - treated[:, _VIABLE, -1])
