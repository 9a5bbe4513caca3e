"""Which treatments suit a patient, and with which warnings: pure rules over treatments.toml.

The rules (the safety facts themselves live in the data):

* a contraindication whose patient factor is present (pregnancy or possible
  pregnancy, breastfeeding, age under 8) blocks the option, with its reason;
  'clinical judgement' contraindications cannot be checked here and are shown
  as points to check;
* a caution whose factor is present (or that applies to any patient) is shown
  as a warning;
* the ladder (the course's simplification of brief section 6, not a guideline):
  general measures and first-line topicals for everyone; an oral tetracycline
  for moderate or severe disease or after topical treatment failed;
  isotretinoin only for refractory disease (after an oral tetracycline failed);
  a short systemic steroid course only for severe disease; intralesional
  steroid for a large lesion in moderate or severe disease; hair restoration
  only once the disease is stable; options not found for AN are never suggested;
* two options whose families must never be combined (a tetracycline with
  isotretinoin) are flagged by :func:`combination_problems`.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from widgets.core.choices import UnknownChoiceError, unknown_choice
from widgets.core.knowledge.loader import load_knowledge
from widgets.core.knowledge.schema import Knowledge, Rule, TreatmentFacts

SEVERITIES: tuple[str, ...] = ("mild", "moderate", "severe")
PRIOR_FAILURES: tuple[str, ...] = ("none", "topical treatment", "oral tetracycline")
"""What has already been tried without success."""

STATUSES: tuple[str, ...] = (
    "suggested",
    "consider",
    "not yet",
    "already tried",
    "blocked",
    "not recommended",
)
"""How the planner files an option, from most to least available."""


@dataclass(frozen=True)
class Patient:
    """The patient factors the planner weighs. ``age`` in whole years."""

    age: int
    pregnant_or_possibly: bool = False
    breastfeeding: bool = False
    severity: str = "mild"
    prior_failure: str = "none"
    outdoor_work: bool = False

    def __post_init__(self):
        if isinstance(self.age, bool) or not isinstance(self.age, int):
            raise TypeError(f"age should be a whole number of years, e.g. 34, got {self.age!r}")
        if not 0 <= self.age <= 120:
            raise ValueError(f"age {self.age} is out of range; use 0 to 120 years")
        for name in ("pregnant_or_possibly", "breastfeeding", "outdoor_work"):
            if not isinstance(getattr(self, name), bool):
                raise TypeError(f"{name} should be True or False, got {getattr(self, name)!r}")
        if self.severity not in SEVERITIES:
            raise ValueError(unknown_choice("severity", self.severity, SEVERITIES))
        if self.prior_failure not in PRIOR_FAILURES:
            raise ValueError(unknown_choice("prior failure", self.prior_failure, PRIOR_FAILURES))

    def has(self, factor: str) -> bool:
        """Whether a contraindication or caution factor (schema vocabulary) applies to this patient."""
        return {
            "pregnancy": self.pregnant_or_possibly,
            "breastfeeding": self.breastfeeding,
            "age under 8": self.age < 8,
            "outdoor work": self.outdoor_work,
            "any patient": True,
            "clinical judgement": False,
        }[factor]


@dataclass(frozen=True)
class SafetyNote:
    """A warning shown with an option; ``blocking`` ones forbid it for this patient."""

    text: str
    refs: tuple[int, ...]
    blocking: bool = False


@dataclass(frozen=True)
class PlanOption:
    """One treatment, how the planner files it for this patient, and why."""

    treatment: TreatmentFacts
    status: str
    reason: str
    notes: tuple[SafetyNote, ...]
    checks: tuple[SafetyNote, ...]

    @property
    def blocked(self) -> bool:
        return self.status == "blocked"


@dataclass(frozen=True)
class Plan:
    """Every option for one patient, in the order of treatments.toml."""

    patient: Patient
    options: tuple[PlanOption, ...]

    def option(self, treatment_id: str) -> PlanOption:
        for option in self.options:
            if option.treatment.id == treatment_id:
                return option
        raise UnknownChoiceError(
            unknown_choice("treatment id", treatment_id, [o.treatment.id for o in self.options])
        )

    def with_status(self, *statuses: str) -> tuple[PlanOption, ...]:
        """The options filed under any of ``statuses`` (see STATUSES)."""
        for status in statuses:
            if status not in STATUSES:
                raise ValueError(unknown_choice("status", status, STATUSES))
        return tuple(option for option in self.options if option.status in statuses)


def _ladder(treatment: TreatmentFacts, patient: Patient) -> tuple[str, str]:
    """(status, reason) from the treatment's step, before any safety rule."""
    escalated = patient.severity in ("moderate", "severe") or patient.prior_failure != "none"
    step = treatment.step
    if step == "general":
        return "suggested", "General measure for every patient."
    if step == "first line":
        return "suggested", "Usual first line for the miliaris form."
    if step == "systemic":
        if patient.prior_failure == "oral tetracycline":
            return (
                "already tried",
                "An oral tetracycline has already failed: the next step is isotretinoin.",
            )
        if escalated:
            return (
                "suggested",
                "First systemic step for moderate or severe disease, or after topical treatment failed.",
            )
        return "not yet", "For moderate or severe disease, or after topical treatment failed."
    if step == "refractory":
        if patient.prior_failure == "oral tetracycline":
            return "suggested", "For refractory disease: an oral tetracycline has failed."
        return "not yet", "Only for refractory disease, after an oral tetracycline has failed."
    if step == "flare only":
        if patient.severity == "severe":
            return "consider", "A short course for a severe flare only, if at all."
        return "not yet", "Only a short course for a severe flare, if at all."
    if step == "large lesions":
        if escalated:
            return "consider", "For a large individual lesion (no data for AN were found)."
        return "not yet", "For a large individual lesion in moderate or severe disease."
    if step == "after stable disease":
        return "not yet", "Only once the disease has been stable, ideally for 12-24 months."
    return "not recommended", "Not found for AN: the course does not suggest it."


def _notes(rules: Iterable[Rule], patient: Patient, blocking: bool) -> tuple[SafetyNote, ...]:
    return tuple(
        SafetyNote(rule.text, rule.refs, blocking) for rule in rules if patient.has(rule.when)
    )


def plan_option(treatment: TreatmentFacts, patient: Patient) -> PlanOption:
    """How one treatment is filed for this patient, with its warnings and points to check."""
    status, reason = _ladder(treatment, patient)
    blocks = _notes(treatment.contraindications, patient, blocking=True)
    cautions = _notes(treatment.cautions, patient, blocking=False)
    checks = tuple(
        SafetyNote(rule.text, rule.refs)
        for rule in treatment.contraindications
        if rule.when == "clinical judgement"
    )
    if blocks:
        status, reason = "blocked", "Contraindicated for this patient."
    return PlanOption(treatment, status, reason, blocks + cautions, checks)


def plan_treatment(patient: Patient, knowledge: Knowledge | None = None) -> Plan:
    """Every treatment in the knowledge base, filed for this ``patient`` with its warnings."""
    if not isinstance(patient, Patient):
        raise TypeError(f"plan_treatment needs a Patient(age=..., ...), got {patient!r}")
    knowledge = knowledge or load_knowledge()
    return Plan(
        patient,
        tuple(plan_option(treatment, patient) for treatment in knowledge.treatments.values()),
    )


def combination_problems(
    treatment_ids: Iterable[str], knowledge: Knowledge | None = None
) -> tuple[SafetyNote, ...]:
    """Blocking notes for every pair of chosen treatments that must never be combined."""
    knowledge = knowledge or load_knowledge()
    if isinstance(treatment_ids, str):
        raise TypeError(
            f"give the treatments as a list of ids, e.g. [{treatment_ids!r}], not a single text"
        )
    chosen = [knowledge.treatment(treatment_id) for treatment_id in dict.fromkeys(treatment_ids)]
    families = {treatment.family for treatment in chosen}
    problems = []
    for rule in knowledge.interactions():
        if rule.family in families and rule.other_family in families:
            names = [t.name for t in chosen if t.family in (rule.family, rule.other_family)]
            problems.append(
                SafetyNote(f"{' + '.join(names)}: {rule.text}", rule.refs, blocking=True)
            )
    return tuple(problems)
