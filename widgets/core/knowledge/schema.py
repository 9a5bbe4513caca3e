"""The shapes of the course's medical knowledge, and the fixed vocabularies it may use.

Every fact lives once in ``widgets/core/knowledge/data/*.toml``; the loader turns each
entry into one of these frozen dataclasses after checking it against the
vocabularies below, so a lesson, widget or quiz never meets a misspelt region
or an unknown reference.
"""

from dataclasses import dataclass
from types import MappingProxyType

from widgets.core.choices import UnknownChoiceError, normalise, unknown_choice

SCALP_REGIONS: tuple[str, ...] = (
    "frontal hairline",
    "temporal",
    "parietal",
    "vertex",
    "occiput",
    "nape",
)
"""Regions of the scalp, front to back, as the scalp map draws them."""

OTHER_REGIONS: tuple[str, ...] = ("face", "beard", "neck", "trunk", "limbs")
"""Sites off the scalp that some conditions also reach."""

REGIONS: tuple[str, ...] = SCALP_REGIONS + OTHER_REGIONS

CONDITION_KINDS: tuple[str, ...] = ("acne necrotica", "differential")

FINDING_GROUPS: tuple[str, ...] = (
    "patient",
    "history",
    "symptom",
    "site",
    "lesion",
    "hair and scars",
    "biopsy and tests",
)
"""Groups of findings, in the order a resident meets them: patient, history, examination, biopsy."""

VERDICTS = MappingProxyType(
    {
        "S": "Supported",
        "P": "Partly supported",
        "U": "Unsupported or not found",
        "W": "Wrong (contradicted by the sources)",
    }
)
"""Verdict codes of the medical brief's claim table (section 7)."""

EVIDENCE_LEVELS: tuple[str, ...] = (
    "case reports",
    "expert advice",
    "borrowed from related diseases",
    "not found for AN",
)
"""How well a treatment is supported for acne necrotica; no trials were found at all."""

CATEGORIES: tuple[str, ...] = (
    "general measure",
    "topical",
    "systemic",
    "intralesional",
    "procedure",
)

STEPS: tuple[str, ...] = (
    "general",
    "first line",
    "systemic",
    "refractory",
    "flare only",
    "large lesions",
    "after stable disease",
    "not recommended",
)
"""Where an option sits on the treatment ladder; the planner reads it (see planner.py)."""

CONTRAINDICATION_WHEN: tuple[str, ...] = (
    "pregnancy",
    "breastfeeding",
    "age under 8",
    "clinical judgement",
)
"""Patient factors a contraindication can name; 'clinical judgement' ones the planner cannot check."""

CAUTION_WHEN: tuple[str, ...] = (
    "pregnancy",
    "breastfeeding",
    "age under 8",
    "outdoor work",
    "any patient",
)

MODEL_DRUGS: tuple[str, ...] = (
    "topical antibiotic",
    "oral tetracycline",
    "topical corticosteroid",
    "systemic corticosteroid",
    "isotretinoin",
    "medicated shampoo",
    "stop scratching",
)
"""The drug classes the teaching model (widgets.core.model.Drug) can simulate."""


@dataclass(frozen=True)
class Reference:
    """A source from the medical brief (section 8); ``id`` is its number there."""

    id: int
    citation: str
    url: str


@dataclass(frozen=True)
class Claim:
    """One claim of the source web article, checked against the sources (brief section 7)."""

    number: int
    claim: str
    verdict: str
    verdict_note: str
    evidence: str
    refs: tuple[int, ...]

    @property
    def verdict_label(self) -> str:
        """'W' -> 'Wrong (contradicted by the sources)', plus the qualifier if there is one."""
        label = VERDICTS[self.verdict]
        return f"{label}: {self.verdict_note}" if self.verdict_note else label


@dataclass(frozen=True)
class Finding:
    """Something a resident can observe or test; site findings name a region."""

    id: str
    label: str
    group: str
    region: str | None = None
    excludes: frozenset[str] = frozenset()
    """Findings one patient cannot show together with this one (findings.toml, [[exclusive]])."""


@dataclass(frozen=True)
class FindingLink:
    """A finding that counts for (or against) a condition, with its weight (1-3) and sources."""

    finding: str
    weight: int
    refs: tuple[int, ...]


@dataclass(frozen=True)
class Condition:
    """Acne necrotica (one form) or one of its differential diagnoses."""

    name: str
    short: str
    kind: str
    clinical: str
    clinical_refs: tuple[int, ...]
    histology: str
    histology_refs: tuple[int, ...]
    sites: tuple[str, ...]
    main_site: str | None
    site_note: str
    site_refs: tuple[int, ...]
    management: str
    management_refs: tuple[int, ...]
    counts_for: tuple[FindingLink, ...]
    counts_against: tuple[FindingLink, ...]

    @property
    def scalp_sites(self) -> tuple[str, ...]:
        """The condition's sites that lie on the scalp, front to back."""
        return tuple(region for region in SCALP_REGIONS if region in self.sites)


@dataclass(frozen=True)
class Rule:
    """A contraindication or caution that applies ``when`` a patient factor is present."""

    when: str
    text: str
    refs: tuple[int, ...]


@dataclass(frozen=True)
class Interaction:
    """A drug family that must never be combined with another one, and why."""

    family: str
    other_family: str
    text: str
    refs: tuple[int, ...]


@dataclass(frozen=True)
class Family:
    """A drug class whose safety facts every member shares (e.g. the tetracyclines)."""

    id: str
    name: str
    side_effects: tuple[str, ...]
    side_effect_refs: tuple[int, ...]
    contraindications: tuple[Rule, ...]
    cautions: tuple[Rule, ...]
    never_with: tuple[Interaction, ...]


@dataclass(frozen=True)
class TreatmentFacts:
    """A treatment option with what the sources give for it; family facts already merged in."""

    id: str
    name: str
    category: str
    family: str | None
    step: str
    model_drug: str | None
    action: str
    action_refs: tuple[int, ...]
    dose: str
    dose_refs: tuple[int, ...]
    evidence: str
    evidence_note: str
    evidence_refs: tuple[int, ...]
    side_effects: tuple[str, ...]
    side_effect_refs: tuple[int, ...]
    monitoring: tuple[str, ...]
    monitoring_refs: tuple[int, ...]
    contraindications: tuple[Rule, ...]
    cautions: tuple[Rule, ...]


@dataclass(frozen=True)
class Knowledge:
    """Everything the course knows, keyed for lookup; build it with ``load_knowledge()``."""

    references: MappingProxyType
    claims: MappingProxyType
    findings: MappingProxyType
    conditions: MappingProxyType
    families: MappingProxyType
    treatments: MappingProxyType

    def reference(self, ref_id: int) -> Reference:
        """The reference numbered ``ref_id`` in the medical brief."""
        return _lookup(self.references, ref_id, "reference id")

    def claim(self, number: int) -> Claim:
        """The source article's claim ``number`` (1-60), with its verdict."""
        return _lookup(self.claims, number, "claim number")

    def finding(self, finding_id: str) -> Finding:
        return _lookup(self.findings, finding_id, "finding id")

    def coherent(self, finding_ids) -> bool:
        """Whether one patient can show all of ``finding_ids`` together (no two exclude each other)."""
        chosen = set(finding_ids)
        return not any(self.findings[f].excludes & chosen for f in chosen)

    def condition(self, name: str) -> Condition:
        """A condition by its lower-case course name, e.g. 'folliculitis decalvans'."""
        key = normalise(name) if isinstance(name, str) else name
        return _lookup(self.conditions, key, "condition")

    def treatment(self, treatment_id: str) -> TreatmentFacts:
        return _lookup(self.treatments, treatment_id, "treatment id")

    def interactions(self) -> tuple[Interaction, ...]:
        """Every 'never combine' rule between drug families."""
        return tuple(rule for family in self.families.values() for rule in family.never_with)

    def interactions_for(self, treatment_id: str) -> tuple[Interaction, ...]:
        """The 'never combine' rules that involve this treatment's family, from either side."""
        family = self.treatment(treatment_id).family
        return tuple(
            rule for rule in self.interactions() if family in (rule.family, rule.other_family)
        )


def _lookup(table, key, kind):
    try:
        return table[key]
    except (KeyError, TypeError):
        raise UnknownChoiceError(unknown_choice(kind, key, table)) from None
