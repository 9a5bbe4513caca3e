"""A slow, independent solution of the same equations with scipy, to check the fast solver.

Used only by tests and benchmarks (scipy is a test dependency, not a runtime one;
no course module imports it).  It integrates the natural
variables, bacterial load included, with ``scipy.integrate.solve_ivp`` piecewise
between the same flares and drug switches the compiled solver stops at.
"""

import numpy as np
from scipy.integrate import solve_ivp

from widgets.core.model.flares import flare_schedule
from widgets.core.model.integrator import N_STATES, drug_levels, rates
from widgets.core.model.parameters import healthy_state
from widgets.core.model.scenario import Scenario
from widgets.core.model.simulation import model_parameters, pack_treatments


def reference_states(
    scenario: Scenario, seed: int = 0, method: str = "LSODA", rtol: float = 1e-6, atol: float = 1e-9
) -> np.ndarray:
    """Daily states (n_states x days + 1) of ``simulate(scenario, seed)`` computed by scipy."""
    flare_times, flare_sizes = flare_schedule(np.random.default_rng(seed), scenario.severity)
    flare_times, flare_sizes = flare_times[0], flare_sizes[0]
    parameters = model_parameters(scenario)
    treatments = pack_treatments([scenario])[0]
    kinks = {t for row in treatments for t in row[:2] if 0 < t < scenario.days}
    flares = {t for t in flare_times if 0 < t <= scenario.days}
    stops = sorted(kinks | flares | {float(scenario.days)})

    states = np.empty((N_STATES, scenario.days + 1))
    y = healthy_state()
    states[:, 0] = y
    t = 0.0
    for stop in stops:
        days_inside = np.arange(np.floor(t) + 1, np.floor(stop) + 1)
        times = np.unique(np.append(days_inside, stop))
        solution = solve_ivp(
            rates,
            (t, stop),
            y,
            method=method,
            rtol=rtol,
            atol=atol,
            t_eval=times,
            args=(parameters, treatments),
        )
        states[:, days_inside.astype(int)] = solution.y[:, : days_inside.size]
        y = solution.y[:, -1].copy()
        t = stop
        if stop in flares:
            y[0] += flare_sizes[flare_times == stop].sum() * drug_levels(treatments, stop)[1]
            if float(stop).is_integer():
                states[:, int(stop)] = y
    return states
