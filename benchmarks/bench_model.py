"""How fast the teaching model runs, beside scipy's LSODA on the same equations in the same run.

Run: .venv/bin/python benchmarks/bench_model.py

The machine is shared and noisy, so every figure is a median over repeats of CPU
time of this process (``time.process_time``), and the fast and the reference runs
are timed in turns so load hits them alike.  The reference is
``scipy.integrate.solve_ivp(method="LSODA", rtol=1e-6)`` integrated piecewise
between the same flares and drug switches (``widgets.tools.reference_solver``).  Batches
of reference runs (200-point sweep, 400 clusters) are one reference run's median
times the batch size: running them all would take minutes.
"""

import numpy as np
from timing import median_ms_in_turns

from widgets.core.model import (
    Drug,
    Scenario,
    Treatment,
    simulate,
    simulate_clusters,
    sweep_start_day,
)
from widgets.tools.reference_solver import reference_states

YEAR = Scenario()
REGIMEN = Scenario(treatments=(Treatment(Drug.ORAL_TETRACYCLINE, 0),))
SWEEP_DAYS = np.linspace(0, 365, 200)


def report(what: str, ms: float, baseline: str, baseline_ms: float, target: str) -> None:
    print(
        f"{what}: {ms:.2f} ms (baseline {baseline}: {baseline_ms:.1f} ms; "
        f"speed-up {baseline_ms / ms:.1f}x; target {target})"
    )


def main() -> None:
    single = median_ms_in_turns(
        {
            "fast": lambda: simulate(YEAR),
            "lsoda": lambda: reference_states(YEAR, method="LSODA", rtol=1e-6),
        },
        repeats=7,
    )
    report(
        "one simulated year (simulate, Dormand-Prince in numba)",
        single["fast"],
        "solve_ivp LSODA rtol 1e-6",
        single["lsoda"],
        ">= 10x faster, about 5 ms or less",
    )

    batches = median_ms_in_turns(
        {
            "sweep": lambda: sweep_start_day(REGIMEN, SWEEP_DAYS),
            "clusters": lambda: simulate_clusters(YEAR, n_clusters=400),
        },
        repeats=3,
    )
    report(
        "200-point treatment-start sweep (sweep_start_day)",
        batches["sweep"],
        "200 LSODA runs, extrapolated",
        200 * single["lsoda"],
        "<= 200 ms",
    )
    report(
        "400 follicle clusters (simulate_clusters)",
        batches["clusters"],
        "400 LSODA runs, extrapolated",
        400 * single["lsoda"],
        "<= 1000 ms",
    )

    course = simulate(YEAR)
    tight = reference_states(YEAR, method="LSODA", rtol=1e-10, atol=1e-12)
    lost_error = np.abs(100 * (1 - course.viable_follicles) - 100 * (1 - tight[4])).max()
    scar_error = np.abs(100 * course.scar - 100 * tight[6]).max()
    print(
        f"accuracy vs LSODA rtol 1e-10: follicles lost {lost_error:.1e} pp, scar {scar_error:.1e} pp "
        "(target < 0.1 pp)"
    )


if __name__ == "__main__":
    main()
