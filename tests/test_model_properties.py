"""Properties of the teaching model that must hold anywhere in its parameter space."""

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from widgets.core.model import Drug, Form, Scenario, Treatment, simulate, simulate_clusters
from widgets.core.model.flares import flare_schedule
from widgets.core.model.integrator import (
    ATOL,
    MAX_STEPS,
    MIN_STEP,
    REPORT_DAY,
    REPORT_LARGEST_CLAMP,
    REPORT_STATUS,
    RTOL,
    integrate_batch,
    pack_parameters,
    rates,
)
from widgets.core.model.parameters import INFLAMMATION, LESION, healthy_state
from widgets.core.model.simulation import integrate, model_parameters, pack_treatments

BACTERIA, EFFECTORS, DAMAGE, ANTI, VIABLE, FIBROSIS, SCAR = range(7)
STATE_NAMES_AT_ZERO = ("bacteria", "effectors", "damage", "anti-inflammatory tone", "fibrosis")

treatments = st.lists(
    st.builds(
        lambda drug, start, length: Treatment(
            drug, start, None if length is None else start + length
        ),
        st.sampled_from(list(Drug)),
        st.integers(0, 300),
        st.one_of(st.none(), st.integers(1, 200)),
    ),
    max_size=3,
)
scenarios = st.builds(
    Scenario,
    form=st.sampled_from(list(Form)),
    severity=st.floats(0.0, 1.5),
    scratching=st.floats(0.0, 1.0),
    treatments=treatments.map(tuple),
    days=st.integers(300, 365),
)


@st.composite
def states(draw):
    """Any physical state: loads and levels non-negative, fractions 0..1, scar within the lost territory."""
    viable = draw(st.floats(0.0, 1.0))
    return np.array(
        [
            draw(st.floats(0.0, 25.0)),
            draw(st.floats(0.0, 5.0)),
            draw(st.floats(0.0, 60.0)),
            draw(st.floats(0.0, 5.0)),
            viable,
            draw(st.floats(0.0, 1.0)),
            draw(st.floats(0.0, 1.0 - viable)),
        ]
    )


def _rates(scenario, t, state):
    return rates(t, state, model_parameters(scenario), pack_treatments([scenario])[0])


def _with(state, index, value):
    state = state.copy()
    state[index] = value
    return state


@settings(max_examples=300, deadline=None)
@given(scenario=scenarios, t=st.floats(0.0, 400.0), state=states())
def test_the_right_hand_side_keeps_every_state_physical(scenario, t, state):
    """The vector field itself points into the physical region at its borders, so the
    exact solution never leaves it and the integrator's projection has nothing to undo."""
    rate = _rates(scenario, t, state)
    assert np.all(np.isfinite(rate))
    for index, name in zip((BACTERIA, EFFECTORS, DAMAGE, ANTI, FIBROSIS), STATE_NAMES_AT_ZERO):
        at_zero = _rates(scenario, t, _with(state, index, 0.0))[index]
        assert at_zero >= 0.0, f"{name} would go negative from 0"
    assert _rates(scenario, t, _with(state, BACTERIA, 0.0))[BACTERIA] == 0.0, (
        "bacteria from nothing"
    )
    at_capacity = _with(state, BACTERIA, INFLAMMATION.p_inf)
    assert _rates(scenario, t, at_capacity)[BACTERIA] <= 0.0, "bacteria beyond their capacity"
    assert rate[VIABLE] <= 0.0, "follicles came back to life"
    assert _rates(scenario, t, _with(state, VIABLE, 0.0))[VIABLE] == 0.0
    assert _rates(scenario, t, _with(state, FIBROSIS, 1.0))[FIBROSIS] <= 0.0, "fibrosis beyond 1"
    assert rate[SCAR] >= 0.0, "scar shrank"
    full_scar = _with(state, SCAR, 1.0 - state[VIABLE])
    assert _rates(scenario, t, full_scar)[SCAR] == 0.0, "scar beyond the lost territory"


def _integrated(scenario, seed):
    """The states and the per-run report of ``simulate(scenario, seed)``."""
    flare_times, flare_sizes = flare_schedule(np.random.default_rng(seed), scenario.severity)
    return integrate_batch(
        healthy_state()[None],
        np.zeros(1, dtype=np.int64),
        model_parameters(scenario)[None],
        flare_times,
        flare_sizes,
        pack_treatments([scenario]),
        scenario.days,
        RTOL,
        ATOL,
        MIN_STEP,
        MAX_STEPS,
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenario=scenarios, seed=st.integers(0, 2**32 - 1))
def test_the_integrator_s_projection_corrects_no_more_than_the_tolerance(scenario, seed):
    """The clamp after each step only mops up rounding: if it ever corrected more than
    the absolute tolerance, the solver (not the model) would be shaping the results."""
    states, report = _integrated(scenario, seed)
    assert report[0, REPORT_STATUS] == 0 and report[0, REPORT_DAY] == scenario.days
    assert np.all(np.isfinite(states)), "a state became NaN or infinite"
    assert report[0, REPORT_LARGEST_CLAMP] <= ATOL, report[0, REPORT_LARGEST_CLAMP]
    course = simulate(scenario, seed)
    assert np.array_equal(course.viable_follicles, states[0, VIABLE])
    assert course.stage_codes.shape == course.days.shape


def test_healthy_state_is_an_exact_steady_state():
    scenario = Scenario(severity=0.0, scratching=1.0)
    assert np.all(
        rates(0.0, healthy_state(), model_parameters(scenario), pack_treatments([scenario])[0])
        == 0.0
    )
    course = simulate(scenario)
    assert np.all(course.bacteria == 0.0) and np.all(course.damage == 0.0)
    assert np.all(course.viable_follicles == 1.0) and np.all(course.scar == 0.0)
    assert course.active_lesion_days == 0


def test_scratching_alone_causes_no_lesion():
    untreated_skin = simulate(Scenario(severity=0.0, scratching=1.0))
    assert untreated_skin.follicles_lost_pct == 0.0 and untreated_skin.active_lesion_days == 0


def test_same_seed_same_course_and_different_seed_different_flares():
    first, again = simulate(Scenario(), seed=7), simulate(Scenario(), seed=7)
    assert np.array_equal(first.viable_follicles, again.viable_follicles)
    assert np.array_equal(first.stage_codes, again.stage_codes)
    assert not np.array_equal(first.flare_days, simulate(Scenario(), seed=8).flare_days)


def test_clusters_are_deterministic_and_heterogeneous():
    one = simulate_clusters(Scenario(days=120), n_clusters=50, seed=3)
    two = simulate_clusters(Scenario(days=120), n_clusters=50, seed=3)
    assert np.array_equal(one.stage_codes, two.stage_codes)
    assert one.stage_codes.shape == (50, 121) and one.n_clusters == 50
    assert len(set(map(tuple, one.stage_codes))) > 40, "clusters should not all flare alike"


def test_a_shorter_run_is_the_start_of_a_longer_one():
    year, half = simulate(Scenario(days=365), seed=4), simulate(Scenario(days=180), seed=4)
    np.testing.assert_allclose(
        half.viable_follicles, year.viable_follicles[:181], rtol=0, atol=1e-9
    )


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: Treatment("doxy", 0), "unknown drug 'doxy'. Valid drugs: 'topical antibiotic'"),
        (lambda: Treatment(" Oral  Tetracycline ", -1), "start_day must be 0 or later"),
        (lambda: Treatment("isotretinoin", 30, 10), "stop_day (10) must come after start_day (30)"),
        (
            lambda: Scenario(form="miliary"),
            "unknown form 'miliary' (did you mean 'miliaris'?). Valid forms: 'miliaris', 'varioliformis'",
        ),
        (lambda: Scenario(severity=2), "severity must be between 0 and 1.5, got 2"),
        (lambda: Scenario(scratching=-0.1), "scratching must be between 0 and 1"),
        (lambda: Scenario(days=1000), "days must be between 1 and 730, got 1000"),
        (lambda: Scenario(days=10.5), "days must be a whole number"),
        (
            lambda: Scenario(treatments=(Treatment("isotretinoin", 400),)),
            "starts on day 400, after the simulation ends",
        ),
        (lambda: Scenario(treatments=("isotretinoin",)), "each treatment must be a Treatment"),
        (lambda: simulate(Scenario(), seed=-1), "seed must be a whole number 0 or larger"),
        (lambda: simulate("varioliformis"), "expected a Scenario"),
        (lambda: simulate(Scenario()).stage_on(366), "day must be a whole number from 0 to 365"),
    ],
)
def test_bad_input_gets_a_clear_message(make, message):
    with pytest.raises(ValueError) as error:
        make()
    assert message in str(error.value)


def test_drug_names_are_normalised():
    assert Treatment(" ORAL tetracycline", 3).drug is Drug.ORAL_TETRACYCLINE
    assert Scenario(form="Miliaris ").form is Form.MILIARIS


def _integrate_one(inflammation=INFLAMMATION, **limits):
    """A default scenario's year through ``simulation.integrate``, with the given parameters."""
    scenario = Scenario()
    flare_times, flare_sizes = flare_schedule(np.random.default_rng(0), scenario.severity)
    parameters = pack_parameters(inflammation, LESION, 1.0, 0.0)
    return integrate(
        healthy_state()[None],
        np.zeros(1, dtype=np.int64),
        parameters[None],
        flare_times,
        flare_sizes,
        pack_treatments([scenario]),
        scenario.days,
        **limits,
    )


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            lambda: _integrate_one(replace(INFLAMMATION, k_pg=np.nan)),
            "the model stopped on day 0.000 of run 0 (1 of 1 runs failed): a state became NaN",
        ),
        (
            lambda: _integrate_one(replace(INFLAMMATION, mu_d=1e12)),
            "the step fell below 1e-09 days: the equations are too stiff",
        ),
        (lambda: _integrate_one(max_steps=100), "it needed more than 100 steps (took 100)"),
    ],
    ids=["NaN parameter", "step below the floor", "too many steps"],
)
def test_the_integrator_stops_with_a_clear_message_instead_of_hanging(make, message):
    with pytest.raises(ValueError) as error:
        make()
    assert message in str(error.value)
