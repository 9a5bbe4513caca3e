"""The course's medical knowledge: data files, a checking loader and pure reasoning on them.

Facts live once, in ``data/*.toml`` (references, the article's claims, findings,
conditions, treatments); lessons, widgets and quizzes read them from here::

    from widgets.knowledge import load_knowledge, rank_conditions, plan_treatment, Patient
    knowledge = load_knowledge()
    knowledge.condition("folliculitis decalvans").sites      # ('vertex', 'occiput')
"""

from widgets.knowledge.differential import RankedCondition, Reason, rank_conditions
from widgets.knowledge.loader import KnowledgeError, load_knowledge
from widgets.knowledge.planner import (
    PRIOR_FAILURES, SEVERITIES, Patient, Plan, PlanOption, SafetyNote, combination_problems, plan_treatment,
)
from widgets.knowledge.render import (
    article_vs_evidence, cite, differentials_table, treatment_table,
)
from widgets.knowledge.schema import (
    REGIONS, SCALP_REGIONS, OTHER_REGIONS, Claim, Condition, Finding, Knowledge, Reference, Treatment,
)

__all__ = [
    "Claim", "Condition", "Finding", "Knowledge", "KnowledgeError", "OTHER_REGIONS", "PRIOR_FAILURES",
    "Patient", "Plan", "PlanOption", "REGIONS", "RankedCondition", "Reason", "Reference", "SCALP_REGIONS",
    "SEVERITIES", "SafetyNote", "Treatment", "article_vs_evidence", "cite", "combination_problems",
    "differentials_table", "load_knowledge", "plan_treatment", "rank_conditions", "treatment_table",
]
