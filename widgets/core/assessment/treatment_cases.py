"""Treatment cases for cohort variants of quiz 2, drawn as patients and keyed by the planner.

A drawn case is a coherent adult patient with acne necrotica (no child: the sources
describe an adult disease [4, 7]; no breastfeeding: the quiz's reasons do not name
it): age, sex, form, pregnancy, what has already failed and how severe the disease is.
Its key features are asked in the public quiz's formats, and every key comes from
the knowledge base: the plan from :func:`plan_treatment`'s ladder and blocks, each
drug's verdict from the contraindication that blocks it or the 'never combine' rule
with the plan, the checks from the plan's monitoring, the dose from 0.5 mg/kg/day [1].
"""

import random
from dataclasses import dataclass

from widgets.core.assessment.bank import treatment
from widgets.core.assessment.items import Case, Estimate, Item, Selection
from widgets.core.citations import cite
from widgets.core.knowledge.loader import load_knowledge
from widgets.core.knowledge.planner import Patient, combination_problems, plan_treatment

PLAN_TREATMENTS = {
    "oral isotretinoin": ("isotretinoin",),
    "oral tetracycline": ("doxycycline", "minocycline"),
    "topical treatment": ("topical-antibiotic", "topical-corticosteroid"),
}
"""The quiz's plans and the knowledge base's treatments each stands for."""

DRUGS = {
    "doxycycline": "doxycycline",
    "isotretinoin": "isotretinoin",
    "topical clindamycin": "topical-antibiotic",
}
"""The drugs judged in every drawn case (quiz name -> treatment id); the long-term oral
steroid is judged too, from its own rule."""

REASON_OF = {
    ("tetracycline", "pregnancy"): "fetal harm, tooth staining and slowed bone growth",
    ("isotretinoin", "pregnancy"): "birth defects",
}
"""The quiz's reason for a contraindication (family, patient factor) of the knowledge base."""

ICP = "raised intracranial pressure"
DOSE_PER_KG = 0.5
"""mg/kg/day of isotretinoin reported for acne necrotica [1]."""

HISTORIES = {
    "none": "{they} {have} used only a mild shampoo so far.",
    "topical treatment": (
        "Lesions have continued despite three months of topical clindamycin with benzoyl peroxide."
    ),
    "oral tetracycline": (
        "Lesions have continued despite topical treatment and five months of doxycycline "
        "100 mg a day, which {they} stopped last week."
    ),
}
SEVERITY_WORDS = {
    "mild": "a few lesions at a time",
    "moderate": "many lesions at a time",
    "severe": "widespread, painful lesions",
}


@dataclass(frozen=True)
class DrawnPatient:
    """A drawn patient in the planner's terms, with what the vignette adds (sex, form, weight)."""

    patient: Patient
    sex: str
    form: str
    weight_kg: int
    pregnancy_week: int | None


def draw_patient(rng: random.Random) -> DrawnPatient:
    """A coherent adult: a woman of 22-47 (pregnancy and its prevention apply), a man of 22-60;
    pregnancy only in a woman of 24-40, at a week from 12 to 34."""
    sex = rng.choice(("woman", "man"))
    pregnant = sex == "woman" and rng.random() < 0.35
    if pregnant:
        age = rng.randrange(24, 41)
    else:
        age = rng.randrange(22, 48) if sex == "woman" else rng.randrange(22, 61)
    patient = Patient(
        age=age,
        pregnant_or_possibly=pregnant,
        severity=rng.choice(("mild", "moderate", "severe")),
        prior_failure=rng.choice(("none", "topical treatment", "oral tetracycline")),
    )
    return DrawnPatient(
        patient,
        sex,
        rng.choice(("acne necrotica miliaris", "acne necrotica varioliformis")),
        rng.randrange(50, 100, 5),
        rng.randrange(12, 35, 2) if pregnant else None,
    )


def plan_key(patient: Patient) -> str:
    """The highest step of the ladder the planner suggests and nothing blocks."""
    plan = plan_treatment(patient)
    for name, ids in PLAN_TREATMENTS.items():
        if any(plan.option(i).status == "suggested" for i in ids):
            return name
    raise ValueError("the planner suggests no plan of the quiz for this patient")


def drug_verdict(drug: str, patient: Patient, plan: str) -> dict[str, float]:
    """The drug's verdict: the reason of the contraindication that blocks it for this patient,
    raised intracranial pressure if the plan's family must never be combined with it, else none."""
    knowledge = load_knowledge()
    facts = knowledge.treatment(DRUGS[drug])
    for rule in facts.contraindications:
        reason = REASON_OF.get((facts.family or "", rule.when))
        if patient.has(rule.when) and reason:
            return {f"avoid: {reason}": 1.0}
    if DRUGS[drug] not in PLAN_TREATMENTS.get(plan, ()) and any(
        combination_problems([DRUGS[drug], other]) for other in PLAN_TREATMENTS.get(plan, ())
    ):
        return {f"avoid: {ICP}": 1.0}
    return treatment.SAFE


def _checks(drawn: DrawnPatient, plan: str) -> dict[str, float] | None:
    """Isotretinoin's monitoring [54, 55, 59]: pregnancy prevention for a woman, lipids and
    transaminases for everyone; other plans ask no check of the quiz's list."""
    if plan != "oral isotretinoin":
        return None
    if drawn.sex == "woman":
        return dict.fromkeys(
            (
                "pregnancy tests",
                "two forms of contraception",
                "fasting lipids",
                "liver transaminases",
            ),
            0.25,
        )
    return {"fasting lipids": 0.5, "liver transaminases": 0.5}


def _sentence(text: str) -> str:
    return text[0].upper() + text[1:]


def vignette(drawn: DrawnPatient) -> str:
    """The patient in words: every planner factor stated, nothing that names the answer."""
    they, have = ("she", "has") if drawn.sex == "woman" else ("he", "has")
    p = drawn.patient
    text = (
        f"A {p.age}-year-old {drawn.sex} who weighs {drawn.weight_kg} kg has {drawn.form}, with "
        f"{SEVERITY_WORDS[p.severity]}. "
        + _sentence(HISTORIES[p.prior_failure].format(they=they, have=have))
    )
    if drawn.pregnancy_week:
        text += f" She is {drawn.pregnancy_week} weeks pregnant."
    elif drawn.sex == "woman":
        text += " A pregnancy test today is negative; she uses condoms."
    return (
        text
        + f' {they.capitalize()} asks what to do now, and whether "steroid tablets" taken long term would help.'
    )


def _plan_explanation(drawn: DrawnPatient, key: str) -> str:
    plan = plan_treatment(drawn.patient)
    lines = []
    for name, ids in PLAN_TREATMENTS.items():
        option = plan.option(ids[0])
        refs = cite(tuple(sorted({r for note in option.notes if note.blocking for r in note.refs})))
        lines.append(f"{name}: {option.reason} {refs if option.blocked else ''}".strip())
    return (
        f"The course's planner (its simplification of the sources, not a guideline) puts "
        f"{key} first for this patient. " + " ".join(lines) + " Topical treatment is the usual "
        "first line for the miliaris form, oral tetracyclines the first systemic step, "
        "isotretinoin for refractory disease [1, 3]."
    )


def drawn_treatment_case(rng: random.Random, number: int) -> Case:
    """Case ``number`` (from 1) of a treatment variant, with its keys from the knowledge base."""
    drawn = draw_patient(rng)
    key = plan_key(drawn.patient)
    name = f"case{number}"
    credit = {key: 1.0}
    if key == "topical treatment":
        credit["general measures only"] = 0.5
    verdicts = {drug: drug_verdict(drug, drawn.patient, key) for drug in DRUGS}
    verdicts["long-term oral prednisolone"] = treatment.STEROID_LONG_TERM
    items: list[Item] = [
        treatment.plan(
            name,
            credit,
            _plan_explanation(drawn, key)
            + (" Half credit for general measures only [2, 3]." if len(credit) > 1 else ""),
        ),
        treatment.drugs(
            name,
            verdicts,
            "Each verdict follows the knowledge base: tetracyclines in pregnancy harm the fetus, "
            "stain teeth and slow bone growth [48, 49, 52]; isotretinoin in pregnancy causes "
            "birth defects [54, 55]; a tetracycline is never combined with isotretinoin (raised "
            "intracranial pressure) [48, 57, 60]; long-term oral steroids are not curative and "
            "carry long-term harms [2, 61, 62]; the sources name no contraindication otherwise. "
            "Half credit for avoiding a drug that must be avoided for another listed reason.",
        ),
    ]
    if key == "oral isotretinoin":
        dose = DOSE_PER_KG * drawn.weight_kg
        items.insert(
            0,
            Estimate(
                f"{name}_dose_mg_per_day",
                "The starting daily dose of isotretinoin, in mg per day.",
                2,
                "mg/day",
                (0, 200),
                (round(0.9 * dose, 1), round(1.1 * dose, 1)),
                (round(0.25 * drawn.weight_kg, 1), float(drawn.weight_kg)),
                dose,
                f"At the 0.5 mg/kg/day reported for acne necrotica [1], {dose:g} mg a day at "
                f"{drawn.weight_kg} kg; full credit within 10%, half from 0.25 to 1 mg/kg/day "
                "(long-term low doses [3]; the acne label runs to 1 mg/kg/day [56]).",
            ),
        )
    checks = _checks(drawn, key)
    if checks:
        items.append(
            treatment.checks(
                name,
                checks,
                "Isotretinoin: pregnancy tests and contraception under a pregnancy prevention "
                "programme for a woman who could become pregnant [52, 54, 55, 56]; fasting "
                "lipids and transaminases at baseline and during treatment [58, 59].",
            )
        )
    return Case(
        name,
        f"Case {number}",
        vignette(drawn),
        tuple(items),
        treatment.justification(
            name,
            "In two to five sentences: why this plan for this patient now, and why each drug "
            "you avoid is unsafe now.",
            _plan_explanation(drawn, key),
            (
                "1 point: the plan justified by the patient's factors (what has failed, how "
                "severe, pregnancy) [1, 3]; half a point without the factors.",
                "1 point: each avoided drug with its reason [2, 48, 49, 52, 54, 55, 57, 60, 61, "
                "62]; half a point for some of them.",
            ),
        ),
    )


def drawn_treatment_cases(seed: int, count: int = 4) -> tuple[Case, ...]:
    """``count`` cases for ``seed`` with at least two different plans among them."""
    rng = random.Random(f"treatment-variant:{seed}")
    while True:
        cases = tuple(drawn_treatment_case(rng, n) for n in range(1, count + 1))
        if len({_plan(case) for case in cases}) >= 2:
            return cases


def _plan(case: Case) -> str:
    """The plan a drawn case keys (its plan item's full-credit choice)."""
    (item,) = [i for i in case.items if isinstance(i, Selection) and i.name.endswith("_plan")]
    return next(iter(item.model_answer))
