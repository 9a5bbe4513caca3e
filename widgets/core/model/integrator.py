"""The compiled core: right-hand side of the model and an adaptive Dormand–Prince 5(4) solver.

Why this shape: the model has jumps (flares) and kinks (drugs switching on and
off), so the solver is restarted exactly at each of them instead of stepping
across; daily output is taken by landing on every day boundary.  Dormand–Prince
with error control needs no hand-picked step: it takes long steps in quiet
stretches and short ones as a flare erupts.  Everything runs inside numba, one
batch of runs per call, so a year costs about a millisecond.

The solver integrates the logarithm of the bacterial load instead of the load:
near health, bacteria are cleared at about 29 per day, a stiff rate that would
hold an explicit solver to steps of about two hours for the whole year, while
the logarithm falls at a steady rate and lets it take day-long steps.  It also
keeps the load positive by construction; a load of exactly 0 is log = -inf and
stays 0.

Time is in days.  The inflammation core is Reynolds et al. 2006 with its hourly
rates multiplied by 24; see ``parameters`` for where every number comes from.
"""

import numpy as np
from numba import njit

from .drugs import DrugEffect
from .parameters import InflammationParameters, LesionParameters

STATE_NAMES = (
    "bacteria",
    "effectors",
    "damage",
    "anti_inflammatory",
    "viable_follicles",
    "fibrosis",
    "scar",
)
"""State order in every array the integrator returns."""

N_STATES = len(STATE_NAMES)
RTOL = 1e-6
"""Relative error tolerance per step."""
ATOL = 1e-9
"""Absolute error tolerance per step, response units."""
MIN_STEP = 1e-9
"""Days. A step the error control shrinks below this (about 0.1 ms) stops the run: the
equations are then too stiff for an explicit solver, or a state is about to blow up."""
MAX_STEPS = 200_000
"""Steps (accepted and rejected) one run may take; a normal year takes about a thousand."""

OK, NON_FINITE, STEP_TOO_SMALL, TOO_MANY_STEPS = range(4)
"""Status codes a run reports (numba cannot raise a rich exception; ``simulation`` does)."""
REPORT_STATUS, REPORT_DAY, REPORT_STEPS, REPORT_LARGEST_CLAMP = range(4)
"""Columns of the per-run report: status, day it stopped (or ended), steps taken, and the
largest correction the projection onto the physical states made after a step."""
REPORT_COLUMNS = 4

# Columns of a packed treatment row.
_START, _STOP, _ONSET, _OFFSET, _GROWTH, _RECRUIT, _STEROID, _SEBUM, _SCRATCH = range(9)
TREATMENT_COLUMNS = 9


def pack_parameters(
    inflammation: InflammationParameters, lesion: LesionParameters, depth: float, scratching: float
) -> np.ndarray:
    """The flat float array ``derivatives`` unpacks; the order here and there must match."""
    i, le = inflammation, lesion
    return np.array(
        [
            i.k_pg,
            i.p_inf,
            i.k_pm,
            i.s_m,
            i.mu_m,
            i.k_mp,
            i.k_pn,
            i.k_np,
            i.k_nn,
            i.k_nd,
            i.s_nr,
            i.mu_nr,
            i.mu_n,
            i.k_dn,
            i.x_dn,
            i.mu_d,
            i.c_inf,
            i.s_c,
            i.k_cn,
            i.k_cnd,
            i.mu_c,
            le.necrosis_rate,
            le.necrosis_threshold,
            le.necrosis_steepness,
            le.fibrosis_gain,
            le.fibrosis_decay,
            le.fibrosis_threshold,
            le.fibrosis_drive,
            le.fibrosis_drive_half,
            le.scar_rate,
            le.scratch_depth_gain,
            depth,
            scratching,
            i.hours_per_day,
        ],
        dtype=np.float64,
    )


def pack_treatment(effect: DrugEffect, start_day: float, stop_day: float | None) -> np.ndarray:
    """One treatment as a row the integrator reads (stop = +inf while never stopped)."""
    return np.array(
        [
            start_day,
            np.inf if stop_day is None else stop_day,
            effect.onset_days,
            effect.offset_days,
            effect.growth_cut,
            effect.recruitment_cut,
            effect.steroid_source,
            effect.sebum_cut,
            effect.scratch_cut,
        ],
        dtype=np.float64,
    )


@njit(cache=True)
def _exposure(row, t):
    """Drug effect level u(t) in 0..1: first-order rise while taken, first-order decay after."""
    if t <= row[_START]:
        return 0.0
    if t <= row[_STOP]:
        return 1.0 - np.exp(-(t - row[_START]) / row[_ONSET])
    at_stop = 1.0 - np.exp(-(row[_STOP] - row[_START]) / row[_ONSET])
    return at_stop * np.exp(-(t - row[_STOP]) / row[_OFFSET])


@njit(cache=True)
def drug_levels(treatments, t):
    """Combined drug action at time t: (growth factor, sebum factor, recruitment factor,
    added steroid source per hour, remaining scratching fraction)."""
    growth = 1.0
    sebum = 1.0
    recruitment = 1.0
    steroid = 0.0
    scratch = 1.0
    for k in range(treatments.shape[0]):
        row = treatments[k]
        u = _exposure(row, t)
        growth *= 1.0 - row[_GROWTH] * u
        sebum *= 1.0 - row[_SEBUM] * u
        recruitment *= 1.0 - row[_RECRUIT] * u
        steroid += row[_STEROID] * u
        scratch *= 1.0 - row[_SCRATCH] * u
    return growth, sebum, recruitment, steroid, scratch


@njit(cache=True)
def derivatives(t, y, p, treatments, out):
    """Write d(state)/dt (per day) for state ``y`` at day ``t`` into ``out``; return the
    damage reaching the follicle (depth- and scratching-weighted).

    ``y[0]`` and ``out[0]`` are the log of the bacterial load and its rate (the
    load's per-capita growth rate); the other states are as named in STATE_NAMES.

    B bacteria, N effectors, D damage, A anti-inflammatory tone (Reynolds 2006
    with drug terms); H viable follicles and S scar (invented); F fibrotic
    programme (one-variable reduction of Adler 2020).
    """
    (
        k_pg,
        p_inf,
        k_pm,
        s_m,
        mu_m,
        k_mp,
        k_pn,
        k_np,
        k_nn,
        k_nd,
        s_nr,
        mu_nr,
        mu_n,
        k_dn,
        x_dn,
        mu_d,
        c_inf,
        s_c,
        k_cn,
        k_cnd,
        mu_c,
    ) = (
        p[0],
        p[1],
        p[2],
        p[3],
        p[4],
        p[5],
        p[6],
        p[7],
        p[8],
        p[9],
        p[10],
        p[11],
        p[12],
        p[13],
        p[14],
        p[15],
        p[16],
        p[17],
        p[18],
        p[19],
        p[20],
    )
    k_nec, theta_d, hill, lam_f, mu_f, theta_f, k_fd, half_fd, k_s, scratch_gain = (
        p[21],
        p[22],
        p[23],
        p[24],
        p[25],
        p[26],
        p[27],
        p[28],
        p[29],
        p[30],
    )
    depth, scratching, clock = p[31], p[32], p[33]

    b, n, d, a, h, f, s = np.exp(y[0]), y[1], y[2], y[3], y[4], y[5], y[6]
    growth, sebum, recruitment, steroid, scratch_left = drug_levels(treatments, t)

    ratio = a / c_inf
    damping = 1.0 / (1.0 + ratio * ratio)
    f_n = n * damping
    recruit = (k_nn * n + k_np * b + k_nd * d) * damping * recruitment
    f_n3 = f_n * f_n * f_n
    x_dn3 = x_dn * x_dn * x_dn
    damage_signal = f_n3 * f_n3 / (x_dn3 * x_dn3 + f_n3 * f_n3)
    drive_a = (n + k_cnd * d) * damping

    out[0] = clock * (
        k_pg * growth * sebum * (1.0 - b / p_inf) - k_pm * s_m / (mu_m + k_mp * b) - k_pn * f_n
    )
    out[1] = clock * (s_nr * recruit / (mu_nr + recruit) - mu_n * n)
    out[2] = clock * (k_dn * damage_signal - mu_d * d)
    out[3] = clock * (s_c + steroid + k_cn * drive_a / (1.0 + drive_a) - mu_c * a)
    deep = depth * (1.0 + scratch_gain * scratching * scratch_left) * d
    ratio_d = deep / theta_d
    powered = ratio_d * ratio_d * ratio_d * ratio_d if hill == 4.0 else ratio_d**hill
    necrosis = powered / (1.0 + powered)
    out[4] = -k_nec * h * necrosis
    out[5] = (
        k_fd * deep / (half_fd + deep) * (1.0 - f)
        + lam_f * f * f / (theta_f * theta_f + f * f) * (1.0 - f)
        - mu_f * f
    )
    out[6] = k_s * f * max(0.0, 1.0 - h - s)
    return deep


def rates(t: float, y: np.ndarray, parameters: np.ndarray, treatments: np.ndarray) -> np.ndarray:
    """d(state)/dt per day in the natural variables (bacterial load, not its log).

    The same right-hand side as the compiled solver uses, for reference solvers
    such as scipy's; ``treatments`` is an array of rows from ``pack_treatment``.
    """
    state = np.array(y, dtype=np.float64)
    load = state[0]
    state[0] = np.log(load) if load > 0 else -np.inf
    out = np.empty(N_STATES)
    derivatives(
        float(t),
        state,
        parameters,
        np.asarray(treatments, dtype=np.float64).reshape(-1, TREATMENT_COLUMNS),
        out,
    )
    out[0] *= load
    return out


# Dormand & Prince (1980) coefficients: 5th-order solution, 4th-order error estimate.
_C2, _C3, _C4, _C5 = 1.0 / 5.0, 3.0 / 10.0, 4.0 / 5.0, 8.0 / 9.0
_A21 = 1.0 / 5.0
_A31, _A32 = 3.0 / 40.0, 9.0 / 40.0
_A41, _A42, _A43 = 44.0 / 45.0, -56.0 / 15.0, 32.0 / 9.0
_A51, _A52, _A53, _A54 = 19372.0 / 6561.0, -25360.0 / 2187.0, 64448.0 / 6561.0, -212.0 / 729.0
_A61, _A62, _A63, _A64, _A65 = (
    9017.0 / 3168.0,
    -355.0 / 33.0,
    46732.0 / 5247.0,
    49.0 / 176.0,
    -5103.0 / 18656.0,
)
_B1, _B3, _B4, _B5, _B6 = 35.0 / 384.0, 500.0 / 1113.0, 125.0 / 192.0, -2187.0 / 6784.0, 11.0 / 84.0
_E1, _E3, _E4, _E5, _E6, _E7 = (
    71.0 / 57600.0,
    -71.0 / 16695.0,
    71.0 / 1920.0,
    -17253.0 / 339200.0,
    22.0 / 525.0,
    -1.0 / 40.0,
)


@njit(cache=True)
def _advance(y, t, t_end, h, p, treatments, rtol, atol, min_step, max_steps, work, peak, report):
    """Integrate ``y`` in place from ``t`` to exactly ``t_end``; returns the next step to try
    and a status (``OK``, or why it stopped early at ``report[REPORT_DAY]``).

    ``peak[0]`` is raised to the highest damage reaching the follicle seen at the
    end of any step, so a daily sample does not miss a peak that came and went
    within the day.

    ``y[0]`` is the log of the bacterial load.  ``work`` is scratch space (9 x
    n_states).  After every accepted step the invariants that rounding could
    nudge are restored: states stay non-negative,
    fibrosis at most 1, viability never rises, scar never falls nor exceeds the
    lost follicle territory; ``report[REPORT_LARGEST_CLAMP]`` records the largest
    such correction, which should stay of the order of the tolerances.
    """
    k1, k2, k3, k4, k5, k6, k7, stage, y_new = (
        work[0],
        work[1],
        work[2],
        work[3],
        work[4],
        work[5],
        work[6],
        work[7],
        work[8],
    )
    derivatives(t, y, p, treatments, k1)
    # A trial step that overflows has a NaN error and is rejected like any other; only a
    # start that is not finite (log-load -inf is no bacteria) cannot be recovered from.
    finite = not np.isnan(y[0]) and y[0] != np.inf
    for i in range(N_STATES):
        finite = finite and np.isfinite(k1[i]) and (i == 0 or np.isfinite(y[i]))
    if not finite:
        report[REPORT_DAY] = t
        return h, NON_FINITE
    while t < t_end:
        if report[REPORT_STEPS] >= max_steps:
            report[REPORT_DAY] = t
            return h, TOO_MANY_STEPS
        report[REPORT_STEPS] += 1
        step = min(h, t_end - t)
        for i in range(N_STATES):
            stage[i] = y[i] + step * _A21 * k1[i]
        derivatives(t + _C2 * step, stage, p, treatments, k2)
        for i in range(N_STATES):
            stage[i] = y[i] + step * (_A31 * k1[i] + _A32 * k2[i])
        derivatives(t + _C3 * step, stage, p, treatments, k3)
        for i in range(N_STATES):
            stage[i] = y[i] + step * (_A41 * k1[i] + _A42 * k2[i] + _A43 * k3[i])
        derivatives(t + _C4 * step, stage, p, treatments, k4)
        for i in range(N_STATES):
            stage[i] = y[i] + step * (_A51 * k1[i] + _A52 * k2[i] + _A53 * k3[i] + _A54 * k4[i])
        derivatives(t + _C5 * step, stage, p, treatments, k5)
        for i in range(N_STATES):
            stage[i] = y[i] + step * (
                _A61 * k1[i] + _A62 * k2[i] + _A63 * k3[i] + _A64 * k4[i] + _A65 * k5[i]
            )
        derivatives(t + step, stage, p, treatments, k6)
        for i in range(N_STATES):
            y_new[i] = y[i] + step * (
                _B1 * k1[i] + _B3 * k3[i] + _B4 * k4[i] + _B5 * k5[i] + _B6 * k6[i]
            )
        deep_new = derivatives(t + step, y_new, p, treatments, k7)
        norm = 0.0
        for i in range(N_STATES):
            error = step * (
                _E1 * k1[i] + _E3 * k3[i] + _E4 * k4[i] + _E5 * k5[i] + _E6 * k6[i] + _E7 * k7[i]
            )
            if i == 0:
                # An error e in log-load is a relative error e in the load itself.
                load = np.exp(max(y[0], y_new[0]))
                scale = rtol + atol / load if load > 0.0 else np.inf
            else:
                scale = atol + rtol * max(abs(y[i]), abs(y_new[i]))
            norm += (error / scale) ** 2
        norm = np.sqrt(norm / N_STATES)
        if norm <= 1.0:
            t = t_end if step == t_end - t else t + step
            correction = 0.0
            for i in range(1, N_STATES):
                if y_new[i] < 0.0:
                    correction = max(correction, -y_new[i])
                    y_new[i] = 0.0
            if y_new[4] > y[4]:
                correction = max(correction, y_new[4] - y[4])
                y_new[4] = y[4]
            if y_new[5] > 1.0:
                correction = max(correction, y_new[5] - 1.0)
                y_new[5] = 1.0
            bounded_scar = min(max(y_new[6], y[6]), 1.0 - y_new[4])
            if bounded_scar != y_new[6]:
                correction = max(correction, abs(bounded_scar - y_new[6]))
                y_new[6] = bounded_scar
            for i in range(N_STATES):
                y[i] = y_new[i]
            if correction > 0.0:
                report[REPORT_LARGEST_CLAMP] = max(report[REPORT_LARGEST_CLAMP], correction)
                deep_new = derivatives(t, y, p, treatments, k7)
            # First same as last: the last stage of this step is the first of the next.
            k1, k7 = k7, k1
            peak[0] = max(peak[0], deep_new)
            factor = 5.0 if norm == 0.0 else min(5.0, 0.9 * norm**-0.2)
            if step == h or factor < 1.0:
                h = step * factor
        else:
            h = step * max(0.2, 0.9 * norm**-0.2)
            if h < min_step:
                report[REPORT_DAY] = t
                return h, STEP_TOO_SMALL
    report[REPORT_DAY] = t
    return h, OK


@njit(cache=True)
def _run(
    y0,
    first_day,
    p,
    flare_times,
    flare_sizes,
    treatments,
    n_days,
    rtol,
    atol,
    min_step,
    max_steps,
    out,
    report,
):
    """One trajectory from state ``y0`` on day ``first_day`` to day ``n_days``; fills
    ``report`` (see ``REPORT_COLUMNS``) and stops early, leaving NaN, if a step fails.

    Daily states go into ``out[:, first_day:]`` (n_states + 1 rows; the last row
    is the highest damage reaching the follicle during the day that ends there).  Stops exactly at every day boundary,
    every flare (the load jumps by the flare size times the sebum factor) and
    every drug start and stop.  Flares on or before ``first_day`` are taken to be
    already in ``y0``.
    """
    y = y0.copy()
    y[0] = np.log(y0[0]) if y0[0] > 0.0 else -np.inf
    work = np.empty((9, N_STATES))
    kinks = np.empty(2 * treatments.shape[0])
    for k in range(treatments.shape[0]):
        kinks[2 * k] = treatments[k, _START]
        kinks[2 * k + 1] = treatments[k, _STOP]
    kinks.sort()
    t = float(first_day)
    peak = np.zeros(1)
    out[N_STATES, first_day] = derivatives(t, y, p, treatments, work[0])
    out[:N_STATES, first_day] = y0
    peak[0] = out[N_STATES, first_day]
    h = 0.01
    next_day, next_flare, next_kink = first_day + 1, 0, 0
    while next_flare < flare_times.shape[0] and flare_times[next_flare] <= t:
        next_flare += 1
    while next_kink < kinks.shape[0] and kinks[next_kink] <= t:
        next_kink += 1
    while next_day <= n_days:
        t_next = float(next_day)
        if next_flare < flare_times.shape[0]:
            t_next = min(t_next, flare_times[next_flare])
        if next_kink < kinks.shape[0]:
            t_next = min(t_next, kinks[next_kink])
        h, status = _advance(
            y, t, t_next, h, p, treatments, rtol, atol, min_step, max_steps, work, peak, report
        )
        if status != OK:
            report[REPORT_STATUS] = status
            return
        t = t_next
        while next_kink < kinks.shape[0] and kinks[next_kink] == t:
            next_kink += 1
        while next_flare < flare_times.shape[0] and flare_times[next_flare] == t:
            sebum = drug_levels(treatments, t)[1]
            y[0] = np.log(np.exp(y[0]) + flare_sizes[next_flare] * sebum)
            peak[0] = max(peak[0], derivatives(t, y, p, treatments, work[0]))
            next_flare += 1
            h = min(h, 0.01)
        if t == next_day:
            out[N_STATES, next_day] = peak[0]
            peak[0] = derivatives(t, y, p, treatments, work[0])
            out[:N_STATES, next_day] = y
            out[0, next_day] = np.exp(y[0])
            next_day += 1


@njit(cache=True)
def integrate_batch(
    y0,
    first_day,
    parameters,
    flare_times,
    flare_sizes,
    treatments,
    n_days,
    rtol,
    atol,
    min_step,
    max_steps,
):
    """Daily states of several runs, shape (runs, n_states + 1, n_days + 1), and a report
    per run, shape (runs, REPORT_COLUMNS).

    The extra row is the day's highest damage reaching the follicle, which the
    views plot against the necrosis threshold.  Run r starts from ``y0[r]`` on day
    ``first_day[r]`` (earlier columns are NaN for the caller to fill) and uses
    ``parameters[r]``, flares ``flare_times[r]``/``flare_sizes[r]`` (pad with +inf
    times) and drugs ``treatments[r]`` (pad with rows whose start is +inf).  A run whose
    report status is not ``OK`` stopped early; its later days stay NaN.
    """
    runs = parameters.shape[0]
    out = np.full((runs, N_STATES + 1, n_days + 1), np.nan)
    report = np.zeros((runs, REPORT_COLUMNS))
    for r in range(runs):
        _run(
            y0[r],
            first_day[r],
            parameters[r],
            flare_times[r],
            flare_sizes[r],
            treatments[r],
            n_days,
            rtol,
            atol,
            min_step,
            max_steps,
            out[r],
            report[r],
        )
    return out, report
