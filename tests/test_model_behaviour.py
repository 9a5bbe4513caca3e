"""The model teaches what the course says it teaches (model.md §2.5–2.6)."""

import numpy as np
import pytest

from widgets.core.model import (
    ACTIVE_STAGES,
    STAGE_ORDER,
    Drug,
    Form,
    Scenario,
    Stage,
    Treatment,
    simulate,
    simulate_clusters,
    simulation,
    sweep_start_day,
)
from widgets.core.model.integrator import STATE_NAMES, pack_parameters, rates
from widgets.core.model.parameters import INFLAMMATION, LESION, healthy_state


def _core_only(initial_bacteria: float, days: int = 10, inflammation=INFLAMMATION) -> np.ndarray:
    """Reynolds' four equations from one inoculum: no flares, drugs or scratching."""
    y0 = healthy_state()
    y0[0] = initial_bacteria
    return simulation.integrate(
        y0[None],
        np.zeros(1, dtype=np.int64),
        pack_parameters(inflammation, LESION, 1.0, 0.0)[None],
        np.full((1, 1), np.inf),
        np.zeros((1, 1)),
        np.zeros((1, 0, 9)),
        days,
    )[0]


def test_reynolds_fig5_small_inoculum_heals():
    states = _core_only(1.0)
    bacteria, effectors, damage = states[0], states[1], states[2]
    assert effectors[2] == pytest.approx(0.19, abs=0.02) and damage[2] == pytest.approx(
        3.2, abs=0.3
    )
    assert bacteria[-1] < 1e-6 and effectors[-1] < 0.03 and damage[-1] < 0.2


def test_reynolds_fig5_larger_inoculum_locks_into_sterile_inflammation():
    states = _core_only(1.5)
    bacteria, effectors, damage = states[0], states[1], states[2]
    assert bacteria[-1] < 1e-6, "aseptic: the pathogen is cleared"
    assert effectors[8] == pytest.approx(0.62, abs=0.03) and damage[8] == pytest.approx(
        16.8, abs=0.8
    )


@pytest.mark.parametrize(("k_pg", "stable"), [(0.3, True), (1.4, True), (1.6, False)])
def test_health_is_stable_only_below_the_reynolds_growth_limit(k_pg, stable):
    """Reynolds: health is stable only while k_pg < k_pm s_m / mu_m = 1.5 /h."""
    from dataclasses import replace

    parameters = pack_parameters(replace(INFLAMMATION, k_pg=k_pg), LESION, 1.0, 0.0)
    no_drugs = np.zeros((0, 9))
    near_health = healthy_state()
    near_health[0] = 1e-6
    growth = rates(0.0, near_health, parameters, no_drugs)[0] / near_health[0]
    assert bool(growth < 0) == stable


def _fibrosis_drift(fibrosis: float) -> float:
    """The model's own d(fibrosis)/dt with no damage: the switch on its own."""
    state = healthy_state()
    state[STATE_NAMES.index("fibrosis")] = fibrosis
    parameters = pack_parameters(INFLAMMATION, LESION, 1.0, 0.0)
    return rates(0.0, state, parameters, np.zeros((0, 9)))[STATE_NAMES.index("fibrosis")]


def test_fibrosis_switch_has_the_adler_fixed_points():
    """Off at 0, a threshold at 0.15, locked on at 0.6 (bistable, as in Adler 2020)."""
    for fixed_point in (0.0, 0.15, 0.6):
        assert _fibrosis_drift(fixed_point) == pytest.approx(0.0, abs=1e-12)
    assert _fibrosis_drift(0.1) < 0 < _fibrosis_drift(0.3), "below 0.15 it relaxes, above it grows"
    assert _fibrosis_drift(0.8) < 0, "beyond 0.6 it falls back to the locked level"


def test_varioliformis_scars_and_miliaris_does_not():
    deep, superficial = (
        simulate(Scenario(form=Form.VARIOLIFORMIS)),
        simulate(Scenario(form=Form.MILIARIS)),
    )
    assert 12 <= deep.follicles_lost_pct <= 30 and deep.scar_area_pct >= 10
    assert superficial.follicles_lost_pct < 2 and superficial.scar_area_pct < 0.5
    assert Stage.SCARRED.value in {deep.stage_on(day).value for day in range(366)}
    assert Stage.SCARRED.value not in {superficial.stage_on(day).value for day in range(366)}
    # both forms go through necrosis and crust: the difference is depth, not the lesion
    for course in (deep, superficial):
        seen = {STAGE_ORDER[code] for code in course.stage_codes}
        assert {Stage.EARLY, Stage.NECROTIC, Stage.CRUSTED, Stage.HEALING} <= seen


def test_one_lesion_passes_through_the_stages_in_order():
    course = simulate(Scenario(days=60))
    first_flare = int(np.ceil(course.flare_days[0]))
    sequence = [course.stage_on(day) for day in range(first_flare, first_flare + 35)]
    order = [
        stage for index, stage in enumerate(sequence) if index == 0 or sequence[index - 1] != stage
    ]
    assert order[:4] == [Stage.EARLY, Stage.NECROTIC, Stage.CRUSTED, Stage.HEALING]
    assert course.stage_on(0) is Stage.QUIET
    assert course.stage_on(60) is Stage.SCARRED, (
        "scar fills the lost territory over the following weeks"
    )


def test_the_crust_is_shed_three_to_four_weeks_after_the_lesion_began():
    """The clinical clock (brief §2: crust shed after about 3-4 weeks), not the inflammation's."""
    course = simulate(Scenario(days=60))
    onset = int(np.ceil(course.flare_days[0]))
    crusted = np.flatnonzero(course.stage_codes == STAGE_ORDER.index(Stage.CRUSTED))
    first_crust_days = crusted[crusted < onset + 40]
    assert 21 <= first_crust_days.size <= 28
    assert 21 <= first_crust_days[-1] + 1 - onset <= 28


def test_scratching_aggravates_and_stopping_it_helps():
    calm, picking = simulate(Scenario(scratching=0.0)), simulate(Scenario(scratching=1.0))
    assert picking.follicles_lost_pct > calm.follicles_lost_pct + 5
    stopped = simulate(Scenario(scratching=1.0, treatments=(Treatment(Drug.STOP_SCRATCHING, 0),)))
    assert stopped.follicles_lost_pct == pytest.approx(calm.follicles_lost_pct, abs=0.5)


def test_higher_severity_never_loses_fewer_follicles():
    for form in Form:
        lost = [
            simulate(Scenario(form=form, severity=s), seed=1).follicles_lost_pct
            for s in np.linspace(0.5, 1.2, 8)
        ]
        assert np.all(np.diff(lost) >= -1e-6)


ANTIMICROBIAL_REGIMENS = [
    (Treatment(Drug.ORAL_TETRACYCLINE, 0),),
    (Treatment(Drug.TOPICAL_ANTIBIOTIC, 0),),
    (Treatment(Drug.ISOTRETINOIN, 0),),
    (Treatment(Drug.TOPICAL_ANTIBIOTIC, 0), Treatment(Drug.TOPICAL_CORTICOSTEROID, 0)),
]
"""Open-ended regimens containing an antimicrobial."""


@pytest.mark.parametrize(
    "regimen", ANTIMICROBIAL_REGIMENS, ids=lambda r: "+".join(t.drug.value for t in r)
)
def test_a_later_start_never_loses_fewer_follicles(regimen):
    starts = np.arange(0, 366, 5)
    for form in Form:
        for severity in (0.7, 0.9, 1.0):
            for scratching in (0.0, 1.0):
                for seed in (0, 2):
                    scenario = Scenario(
                        form=form, severity=severity, scratching=scratching, treatments=regimen
                    )
                    lost = sweep_start_day(scenario, starts, seed)
                    assert np.all(np.diff(lost) >= -0.01), (form, severity, scratching, seed)
                    assert lost[0] <= lost[-1]


def test_starting_on_day_0_prevents_most_loss_and_never_is_worse_than_untreated():
    untreated = simulate(Scenario()).follicles_lost_pct
    lost = sweep_start_day(
        Scenario(treatments=(Treatment(Drug.ORAL_TETRACYCLINE, 0),)), [0, 90, 180, 365]
    )
    assert lost[0] < 1 and lost[-1] == pytest.approx(untreated, abs=0.01)
    assert np.all(lost <= untreated + 0.01)


def test_sweep_agrees_with_single_runs():
    scenario = Scenario(severity=1.0, treatments=(Treatment(Drug.ORAL_TETRACYCLINE, 0, 60),))
    starts = [0, 45.5, 200]
    swept = sweep_start_day(scenario, starts, seed=2)
    single = [simulate(scenario.started_on(day), seed=2).follicles_lost_pct for day in starts]
    np.testing.assert_allclose(swept, single, atol=1e-4)


def test_sweep_needs_a_treatment_and_days_in_range():
    with pytest.raises(ValueError, match="no treatment to start"):
        sweep_start_day(Scenario(), [0, 10])
    with pytest.raises(ValueError, match="start_days must be one or more numbers from 0 to 365"):
        sweep_start_day(Scenario(treatments=(Treatment("isotretinoin", 0),)), [400])


def test_stopping_too_early_lets_flares_destroy_follicles_again():
    continued = simulate(Scenario(treatments=(Treatment(Drug.ORAL_TETRACYCLINE, 0),)))
    stopped = simulate(Scenario(treatments=(Treatment(Drug.ORAL_TETRACYCLINE, 0, 90),)))
    assert continued.follicles_lost_pct < 0.5
    assert stopped.follicles_lost_pct > 5
    assert np.all(stopped.viable_follicles[:90] > 0.995), "no loss while the drug was taken"


def test_isotretinoin_outlasts_its_course():
    course = simulate(Scenario(treatments=(Treatment(Drug.ISOTRETINOIN, 0, 150),)))
    assert course.follicles_lost_pct < 1


def test_steroid_alone_lets_bacteria_persist_and_an_antibiotic_clears_them():
    """Reynolds' warning: too much anti-inflammatory action favours persistent infection."""
    untreated = simulate(Scenario())
    steroid = simulate(Scenario(treatments=(Treatment(Drug.SYSTEMIC_CORTICOSTEROID, 0),)))
    both = simulate(
        Scenario(
            treatments=(
                Treatment(Drug.SYSTEMIC_CORTICOSTEROID, 0),
                Treatment(Drug.ORAL_TETRACYCLINE, 0),
            )
        )
    )
    assert steroid.bacteria[-30:].mean() > 1.0 > 1e3 * untreated.bacteria[-30:].mean()
    assert both.bacteria[-30:].max() < 1e-6 and both.follicles_lost_pct < 0.5


def test_steroid_monotherapy_exception_is_documented():
    assert "steroid" in simulation.sweep_start_day.__doc__.lower()


def test_cluster_scalp_shows_lesions_coming_and_going():
    scalp = simulate_clusters(Scenario(), n_clusters=200, seed=1)
    active_codes = [STAGE_ORDER.index(stage) for stage in ACTIVE_STAGES]
    active_per_day = np.isin(scalp.stage_codes, active_codes).sum(axis=0)
    assert active_per_day[60:].min() > 0 and active_per_day.max() < 200
    milder = simulate_clusters(Scenario(form=Form.MILIARIS), n_clusters=200, seed=1)
    assert milder.follicles_lost_pct < scalp.follicles_lost_pct / 5
    assert len(scalp.stages_on(100)) == 200
