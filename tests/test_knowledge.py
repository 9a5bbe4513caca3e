"""The knowledge base holds together: every id resolves, every entry is complete."""

import re

import pytest

from widgets.core.knowledge import load_knowledge
from widgets.core.knowledge.schema import MODEL_DRUGS, REGIONS, VERDICTS

KNOWLEDGE = load_knowledge()
COURSE_CONDITION_NAMES = {
    "acne necrotica miliaris",
    "acne necrotica varioliformis",
    "folliculitis decalvans",
    "dissecting cellulitis",
    "lichen planopilaris",
    "discoid lupus erythematosus",
    "seborrhoeic dermatitis",
    "alopecia areata",
    "bacterial folliculitis",
    "acne keloidalis nuchae",
    "neurotic excoriations",
    "varicella scars",
    "herpes folliculitis",
    "malassezia folliculitis",
    "erosive pustular dermatosis",
}
"""The condition names the quizzes and widgets use (shared quiz conventions)."""


def _all_refs():
    k = KNOWLEDGE
    yield from (("claim", c.number, r) for c in k.claims.values() for r in c.refs)
    for c in k.conditions.values():
        for field in ("clinical_refs", "histology_refs", "site_refs", "management_refs"):
            yield from (("condition", c.name, r) for r in getattr(c, field))
        yield from (
            ("condition", c.name, r) for link in c.counts_for + c.counts_against for r in link.refs
        )
    for t in k.treatments.values():
        for field in (
            "action_refs",
            "dose_refs",
            "evidence_refs",
            "side_effect_refs",
            "monitoring_refs",
        ):
            yield from (("treatment", t.id, r) for r in getattr(t, field))
        yield from (
            ("treatment", t.id, r) for rule in t.contraindications + t.cautions for r in rule.refs
        )


def test_references_mirror_the_brief_numbering():
    ids = sorted(KNOWLEDGE.references)
    assert [i for i in ids if i < 72] == list(range(1, 72))
    # 72-108: the clinical-appearance brief; only the sources the course cites.
    assert set(ids) - set(range(1, 72)) <= set(range(72, 109))
    assert "VisualDx" in KNOWLEDGE.reference(4).citation
    assert "Pitney" in KNOWLEDGE.reference(6).citation


def test_every_cited_reference_resolves():
    missing = [
        (kind, name, ref) for kind, name, ref in _all_refs() if ref not in KNOWLEDGE.references
    ]
    assert missing == []


def test_the_course_conditions_all_exist_with_shared_names():
    assert set(KNOWLEDGE.conditions) == COURSE_CONDITION_NAMES


def test_condition_lookup_forgives_case_and_spacing_but_names_the_valid_ones():
    assert KNOWLEDGE.condition("  Folliculitis   Decalvans ").name == "folliculitis decalvans"
    with pytest.raises(KeyError, match="did you mean 'folliculitis decalvans'"):
        KNOWLEDGE.condition("folliculitis decalvan")


def test_every_condition_has_sites_from_the_vocabulary_and_sources():
    for condition in KNOWLEDGE.conditions.values():
        assert condition.sites and set(condition.sites) <= set(REGIONS), condition.name
        assert condition.site_refs and condition.clinical_refs and condition.histology_refs, (
            condition.name
        )


def test_acne_necrotica_sits_on_the_frontal_hairline_not_the_vertex():
    """The article's vertex/occiput distribution (claim 14) must not leak into the data."""
    for name in ("acne necrotica miliaris", "acne necrotica varioliformis"):
        condition = KNOWLEDGE.condition(name)
        assert condition.main_site == "frontal hairline"
        assert "vertex" not in condition.sites
    assert KNOWLEDGE.condition("folliculitis decalvans").main_site == "vertex"


def test_every_finding_used_by_a_condition_exists_and_every_finding_is_used():
    used = {
        link.finding
        for c in KNOWLEDGE.conditions.values()
        for link in c.counts_for + c.counts_against
    }
    assert used <= set(KNOWLEDGE.findings)
    site_regions = {f.region for f in KNOWLEDGE.findings.values() if f.region}
    unused = (
        set(KNOWLEDGE.findings) - used - {f.id for f in KNOWLEDGE.findings.values() if f.region}
    )
    assert unused == set()
    assert site_regions == set(REGIONS)


def test_no_treatment_without_contraindications():
    for treatment in KNOWLEDGE.treatments.values():
        assert treatment.contraindications, treatment.id


def test_tetracyclines_carry_the_class_safety_facts():
    for treatment_id in ("doxycycline", "minocycline"):
        whens = {rule.when for rule in KNOWLEDGE.treatment(treatment_id).contraindications}
        assert {"pregnancy", "age under 8", "breastfeeding"} <= whens
        assert any("isotretinoin" in rule.text for rule in KNOWLEDGE.interactions_for(treatment_id))
    assert KNOWLEDGE.interactions_for("isotretinoin")


def test_doses_come_only_from_sources_or_say_not_established():
    for treatment in KNOWLEDGE.treatments.values():
        has_number = re.search(r"\d+\s*(mg|%)", treatment.dose)
        assert not has_number or treatment.dose_refs, (
            f"{treatment.id} gives a dose without a source"
        )
    assert "Not established for AN" in KNOWLEDGE.treatment("systemic-corticosteroid").dose
    assert "Not established for AN" in KNOWLEDGE.treatment("intralesional-corticosteroid").dose


def test_isotretinoin_lists_pregnancy_prevention_and_lab_monitoring():
    isotretinoin = KNOWLEDGE.treatment("isotretinoin")
    text = " ".join(isotretinoin.monitoring + tuple(rule.text for rule in isotretinoin.cautions))
    for needed in ("lipids", "transaminases", "pregnancy-prevention", "iPLEDGE", "blood donation"):
        assert needed in text


def test_model_drugs_match_the_vocabulary():
    for treatment in KNOWLEDGE.treatments.values():
        assert treatment.model_drug is None or treatment.model_drug in MODEL_DRUGS


def test_model_drug_vocabulary_matches_the_model():
    model = pytest.importorskip("widgets.core.model")
    assert set(MODEL_DRUGS) == {drug.value for drug in model.Drug}


def test_all_sixty_article_claims_with_valid_verdicts():
    assert sorted(KNOWLEDGE.claims) == list(range(1, 61))
    assert {claim.verdict for claim in KNOWLEDGE.claims.values()} <= set(VERDICTS)
    assert KNOWLEDGE.claim(3).verdict == "W"
    assert KNOWLEDGE.claim(14).verdict == "W"
    assert KNOWLEDGE.claim(28).verdict == "W"
    assert KNOWLEDGE.claim(42).verdict == "U"
