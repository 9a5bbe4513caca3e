"""The bridge from a clinical plan to the teaching model: which scenario a plan runs.

The planner speaks clinical language (mild disease, doxycycline); the model speaks
flare severity and model drugs. The mapping is invented for teaching, like the
model itself.
"""

from collections.abc import Iterable

from widgets.core.knowledge.loader import load_knowledge
from widgets.core.knowledge.schema import Knowledge
from widgets.core.model import Form, Scenario, Treatment

MODEL_SEVERITY = {"mild": 0.6, "moderate": 0.9, "severe": 1.2}
"""Clinical severity -> the model's flare severity (0-1.5). Invented for teaching."""

SIMULATED_DAYS = 365


def plan_scenario(
    form: str,
    severity: str,
    treatment_ids: Iterable[str] = (),
    start_day: int = 0,
    knowledge: Knowledge | None = None,
) -> Scenario:
    """The model scenario of one simulated year of ``form`` at clinical ``severity``.

    Each planned treatment gives its model drug from ``start_day``; options that share
    a model drug (two tetracyclines) give it once; one with no model counterpart gives
    none. No treatments: the untreated course.
    """
    knowledge = knowledge or load_knowledge()
    drugs = dict.fromkeys(knowledge.treatment(tid).model_drug for tid in treatment_ids)
    treatments = tuple(Treatment(drug, start_day=start_day) for drug in drugs if drug is not None)
    return Scenario(
        form=Form(form),
        severity=MODEL_SEVERITY[severity],
        treatments=treatments,
        days=SIMULATED_DAYS,
    )
