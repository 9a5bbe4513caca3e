"""The course's medical knowledge: data files, a checking loader and pure reasoning on them.

Facts live once, in ``data/*.toml`` (references, the article's claims, findings,
conditions, treatments); lessons, widgets and quizzes read them from here::

    from widgets.core.knowledge import load_knowledge, rank_conditions, plan_treatment, Patient
    knowledge = load_knowledge()
    knowledge.condition("folliculitis decalvans").sites      # ('vertex', 'occiput')
"""

from widgets.core.knowledge.differential import RankedCondition, Reason, rank_conditions
from widgets.core.knowledge.loader import KnowledgeError, load_knowledge
from widgets.core.knowledge.planner import (
    PRIOR_FAILURES,
    SEVERITIES,
    Patient,
    Plan,
    PlanOption,
    SafetyNote,
    combination_problems,
    plan_treatment,
)
from widgets.core.knowledge.schema import (
    OTHER_REGIONS,
    REGIONS,
    SCALP_REGIONS,
    Claim,
    Condition,
    Finding,
    Knowledge,
    Reference,
    TreatmentFacts,
)

__all__ = [
    "OTHER_REGIONS",
    "PRIOR_FAILURES",
    "REGIONS",
    "SCALP_REGIONS",
    "SEVERITIES",
    "Claim",
    "Condition",
    "Finding",
    "Knowledge",
    "KnowledgeError",
    "Patient",
    "Plan",
    "PlanOption",
    "RankedCondition",
    "Reason",
    "Reference",
    "SafetyNote",
    "TreatmentFacts",
    "combination_problems",
    "load_knowledge",
    "plan_treatment",
    "rank_conditions",
]
