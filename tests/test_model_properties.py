"""Properties of the teaching model that must hold anywhere in its parameter space."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from widgets.core.model import Drug, Form, Scenario, Treatment, simulate, simulate_clusters
from widgets.core.model.integrator import rates
from widgets.core.model.parameters import healthy_state
from widgets.core.model.simulation import model_parameters, pack_treatments

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


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenario=scenarios, seed=st.integers(0, 2**32 - 1))
def test_states_stay_physical(scenario, seed):
    course = simulate(scenario, seed)
    states = np.vstack(
        [
            course.bacteria,
            course.effectors,
            course.damage,
            course.anti_inflammatory,
            course.viable_follicles,
            course.fibrosis,
            course.scar,
            course.follicle_damage,
        ]
    )
    assert np.all(np.isfinite(states)), "a state became NaN or infinite"
    assert states.min() >= 0.0, "a state went negative"
    assert course.viable_follicles.max() <= 1.0 and course.fibrosis.max() <= 1.0
    assert np.all(np.diff(course.viable_follicles) <= 0.0), "follicles came back to life"
    assert np.all(np.diff(course.scar) >= 0.0), "scar shrank"
    assert np.all(course.scar <= 1.0 - course.viable_follicles + 1e-12), (
        "scar exceeds lost territory"
    )
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
