"""The fast Dormand–Prince solver agrees with a tight-tolerance scipy reference."""

import numpy as np
import pytest

from widgets.core.model import Drug, Form, Scenario, Treatment, simulate
from widgets.tools.reference_solver import reference_states

SCENARIOS = {
    "default year": Scenario(),
    "miliaris": Scenario(form=Form.MILIARIS, severity=1.0),
    "antibiotic stopped, isotretinoin": Scenario(
        scratching=1.0,
        treatments=(Treatment(Drug.ORAL_TETRACYCLINE, 40, 120), Treatment(Drug.ISOTRETINOIN, 100)),
    ),
    "steroid alone": Scenario(treatments=(Treatment(Drug.SYSTEMIC_CORTICOSTEROID, 10),), days=200),
}


@pytest.mark.parametrize("scenario", SCENARIOS.values(), ids=SCENARIOS.keys())
def test_fast_solver_matches_scipy_within_a_tenth_of_a_point(scenario):
    course = simulate(scenario, seed=3)
    reference = reference_states(scenario, seed=3, method="LSODA", rtol=1e-10, atol=1e-12)
    lost_reference = 100 * (1 - reference[4])
    scar_reference = 100 * reference[6]
    assert np.abs(100 * (1 - course.viable_follicles) - lost_reference).max() < 0.1
    assert np.abs(100 * course.scar - scar_reference).max() < 0.1
    np.testing.assert_allclose(course.damage, reference[2], atol=1e-3, rtol=1e-3)
