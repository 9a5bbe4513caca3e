"""Case quiz 2 (choosing treatment safely) as key-feature problems, as data.

Each case asks only its critical decisions: the plan (one choice; every plan the
sources defend earns credit), a verdict per drug (no contraindication in the
sources, or avoid, with the reason tied to that drug), the checks the plan needs
(up to as many as are needed) and, for isotretinoin, the starting dose within a
range the sources justify.  References are the medical brief's numbers.
"""

from widgets.core.assessment.items import Case, Estimate, Quiz, Selection, Task, Verdicts

PLANS = (
    "general measures only",
    "topical treatment",
    "oral tetracycline",
    "oral erythromycin",
    "oral isotretinoin",
    "long-term oral corticosteroid",
)
NO_CONTRAINDICATION = "no contraindication in the sources"
REASONS = (
    "fetal harm, tooth staining and slowed bone growth",
    "birth defects",
    "raised intracranial pressure",
    "long-term steroid harms",
    "skin atrophy",
)
DRUG_VERDICTS = (NO_CONTRAINDICATION, *(f"avoid: {reason}" for reason in REASONS))
CHECKS = (
    "pregnancy tests",
    "two forms of contraception",
    "fasting lipids",
    "liver transaminases",
    "3-monthly review for minocycline side effects",
    "nasal swab for staphylococcal carriage",
    "bone density scan",
)

SAFE = {NO_CONTRAINDICATION: 1.0}
TETRACYCLINE_IN_PREGNANCY_OR_CHILD = {
    "avoid: fetal harm, tooth staining and slowed bone growth": 1.0
}
TETRACYCLINE_WITH_ISOTRETINOIN = {"avoid: raised intracranial pressure": 1.0}
STEROID_LONG_TERM = {"avoid: long-term steroid harms": 1.0}
RIGHT_DECISION_OTHER_REASON = 0.5
"""An 'avoid' verdict for a drug that must be avoided, given for another listed reason."""


def plan(case: str, credit: dict[str, float], explanation: str) -> Selection:
    return Selection(
        f"{case}_plan", "The plan for this patient now: keep one.", 2, PLANS, 1, credit, explanation
    )


def drugs(case: str, credit: dict[str, dict[str, float]], explanation: str) -> Verdicts:
    must_avoid = [drug for drug, table in credit.items() if NO_CONTRAINDICATION not in table]
    return Verdicts(
        f"{case}_drugs",
        "For each drug: set the verdict that fits this patient now.",
        3,
        tuple(credit),
        DRUG_VERDICTS,
        credit,
        explanation,
        partial=dict.fromkeys(must_avoid, RIGHT_DECISION_OTHER_REASON),
    )


def checks(case: str, credit: dict[str, float], explanation: str) -> Selection:
    needed = sum(1 for fraction in credit.values() if fraction > 0)
    return Selection(
        f"{case}_checks",
        f"The checks this plan needs: keep up to {needed}.",
        2,
        CHECKS,
        needed,
        credit,
        explanation,
    )


def justification(case: str, prompt: str, model_answer: str, key_points: tuple[str, ...]) -> Task:
    return Task(f"{case}_justification", prompt, 2, model_answer, key_points)


CASE_1 = Case(
    "case1",
    "Case 1",
    "A 29-year-old woman with acne necrotica miliaris, diagnosed two years ago, is 24 weeks "
    "pregnant. Over the past month the itchy, crusted pustules along her frontal hairline have "
    "flared. So far she has used only a mild shampoo. Before the pregnancy another doctor "
    'prescribed doxycycline, which helped; she asks whether to restart it, or to try "the strong '
    'acne tablets" a friend took. Her obstetric care is routine.',
    (
        plan(
            "case1",
            {"topical treatment": 1.0, "general measures only": 0.5},
            "Topical treatment is the usual first line for the miliaris form [1, 3]; every "
            "systemic option the sources name is closed in pregnancy (tetracyclines [49], "
            "isotretinoin [54, 55]). Half credit for general measures only (mild shampoo, no "
            "picking, antihistamine for itch [2, 3]): cautious, but she has flared on them. The "
            "course's sources give no pregnancy safety data for any topical, so agree the choice "
            "with her obstetric team.",
        ),
        drugs(
            "case1",
            {
                "doxycycline": TETRACYCLINE_IN_PREGNANCY_OR_CHILD,
                "minocycline": TETRACYCLINE_IN_PREGNANCY_OR_CHILD,
                "isotretinoin": {"avoid: birth defects": 1.0},
                "topical clindamycin": SAFE,
                "hydrocortisone 1%": {NO_CONTRAINDICATION: 1.0, "avoid: skin atrophy": 0.5},
            },
            "Tetracyclines can harm the fetus and, from the second half of pregnancy, stain teeth "
            "and slow bone growth [48, 49, 52]; isotretinoin carries a severe risk of birth "
            "defects [54, 55]. Any other 'avoid' reason for these three earns half: the decision "
            "is right, the reason is not the one the sources give. The sources name no "
            "contraindication for topical clindamycin or hydrocortisone 1% [1, 3] (which is not "
            "a statement that they are proven safe in pregnancy); half credit for avoiding "
            "hydrocortisone for atrophy, a risk of potent or prolonged use [63].",
        ),
    ),
    justification(
        "case1",
        "In two to five sentences: why this plan for her now, and why each drug you avoid is "
        "unsafe now.",
        "Topical treatment is the first line for the miliaris form [1, 3]; tetracyclines harm the "
        "fetus and stain teeth and slow bone growth [48, 49, 52], and isotretinoin causes birth "
        "defects [54, 55], so the systemic options are closed. The sources give no pregnancy data "
        "for topicals: agree the choice with her obstetric team.",
        (
            "1 point: plan justified (topical first line for the miliaris form; systemic options "
            "closed in pregnancy) [1, 3]; half a point for 'topical' without a reason.",
            "1 point: both drug groups explained (tetracyclines: fetus, teeth, bone [48, 49, 52]; "
            "isotretinoin: birth defects [54, 55]); half a point for one group.",
            "No credit for safety claims about any drug in pregnancy that the sources do not make.",
        ),
    ),
)

CASE_2 = Case(
    "case2",
    "Case 2",
    "A 28-year-old woman who weighs 60 kg has acne necrotica varioliformis, with new pitted scars "
    "on her forehead and hairline. Lesions have continued despite topical clindamycin with "
    "benzoyl peroxide and four months of doxycycline, which she is still taking. A pregnancy "
    "test today is negative; she is sexually active and uses condoms. You and she agree to "
    "start isotretinoin, used off-label for this disease.",
    (
        Estimate(
            "case2_dose_mg_per_day",
            "Her starting daily dose of isotretinoin, in mg per day.",
            2,
            "mg/day",
            (0, 200),
            (27, 33),
            (15, 60),
            30,
            "The dose reported for acne necrotica is 0.5 mg/kg/day [1]: 30 mg a day at 60 kg; full "
            "credit from 27 to 33 mg (within 10%, as a capsule strength may need). Half credit "
            "from 15 to 60 mg: long-term low doses are described for acne necrotica [3] and the "
            "acne label runs to 1 mg/kg/day [56].",
        ),
        drugs(
            "case2",
            {
                "doxycycline": TETRACYCLINE_WITH_ISOTRETINOIN,
                "minocycline": TETRACYCLINE_WITH_ISOTRETINOIN,
                "topical clindamycin": SAFE,
                "ketoconazole shampoo": SAFE,
            },
            "No tetracycline may be given with isotretinoin: together they raise intracranial "
            "pressure [48, 57, 60], so doxycycline stops. Half credit for avoiding a tetracycline "
            "for another reason. The sources name no interaction for topical clindamycin or a "
            "ketoconazole shampoo [3].",
        ),
        checks(
            "case2",
            {
                "pregnancy tests": 0.25,
                "two forms of contraception": 0.25,
                "fasting lipids": 0.25,
                "liver transaminases": 0.25,
            },
            "Isotretinoin carries a severe risk of birth defects: negative pregnancy tests within a "
            "pregnancy prevention programme (in the EU, the programme updated in 2018 [54]; in the "
            "US, iPLEDGE, which documents negative pregnancy tests and two forms of contraception "
            "[55, 56]), so condoms alone are not enough, and contraception runs from one month "
            "before until one month after treatment [52]. It "
            "raises triglycerides, cholesterol and transaminases: fasting lipids and transaminases "
            "at baseline and during treatment [58, 59]. Each earns a quarter.",
        ),
    ),
    justification(
        "case2",
        "In two to five sentences: why she must stop a drug she is taking, why each check is "
        "needed, and what else she must know before starting.",
        "At 0.5 mg/kg/day she needs 30 mg a day [1]. Doxycycline stops: with isotretinoin it raises "
        "intracranial pressure [57, 60]. Pregnancy tests and two forms of contraception guard "
        "against birth defects [54, 55, 56]; lipids and transaminases are checked [58, 59]. She "
        "should know about dry lips, no blood donation and the mood warning [54, 57, 58].",
        (
            "1 point: stopping doxycycline (raised intracranial pressure [57, 60]) and pregnancy "
            "prevention (birth defects [54, 55, 56]); half a point for one.",
            "1 point: lipids and transaminases [58, 59] and one further point (no blood donation "
            "[57], mood warning [54], dry lips [58]); half a point for one.",
        ),
    ),
)

CASE_3 = Case(
    "case3",
    "Case 3",
    "A 45-year-old man with acne necrotica miliaris has taken minocycline for eight months. His "
    "scalp has been much better since month two, with an occasional itchy spot. He has read that "
    'isotretinoin "clears it faster" and asks whether he could add it, and whether he could take '
    "steroid tablets long term to prevent flares. He has no other illness.",
    (
        plan(
            "case3",
            {"oral tetracycline": 1.0, "topical treatment": 1.0},
            "Both earn full credit. Continuing the tetracycline he responds to is defensible: the "
            "disease relapses over years and long-term use with relapse on stopping is implied "
            "[3, 14]. Stepping down to a topical after eight months of control is also defensible: "
            "topical treatment is the usual first line for the miliaris form [1, 3], and the 2024 "
            "AAD acne guideline advises limiting antibiotic use [47]. Isotretinoin must not be "
            "added to a tetracycline [57, 60]; long-term oral steroids are not curative [2].",
        ),
        drugs(
            "case3",
            {
                "isotretinoin": TETRACYCLINE_WITH_ISOTRETINOIN,
                "long-term oral prednisolone": STEROID_LONG_TERM,
                "topical clindamycin": SAFE,
                "ketoconazole shampoo": SAFE,
            },
            "Isotretinoin with a tetracycline raises intracranial pressure [57, 60]. Long-term oral "
            "steroids bring hyperglycaemia, osteoporosis, infection, adrenal suppression, "
            "hypertension, eye disease and mood change [61, 62]. Half credit for avoiding either "
            "for another reason. The sources name no contraindication for a topical clindamycin "
            "(combined with benzoyl peroxide to limit antibiotic use [47]) or a ketoconazole "
            "shampoo [3].",
        ),
        checks(
            "case3",
            {"3-monthly review for minocycline side effects": 1.0},
            "Minocycline given for more than six months needs a review every three months for "
            "pigmentation, dizziness, drug-induced lupus and hepatitis [53]; if he steps down to a "
            "topical, the review ends with the drug.",
        ),
    ),
    justification(
        "case3",
        "In two to five sentences: why your plan, why he should not have either drug he asked "
        "about, and what the regular review looks for.",
        "He responds to a tetracycline and the disease relapses over years [3, 14]; stepping down "
        "to a topical after eight months of control limits antibiotic use [47]. Isotretinoin with "
        "a tetracycline raises intracranial pressure [57, 60]; long-term steroids are not curative "
        "and harmful [2, 61, 62]. The review looks for pigmentation, dizziness, lupus and "
        "hepatitis [53].",
        (
            "1 point: the plan justified, continuing (relapsing disease [3, 14]) or stepping down "
            "(stewardship [47]); and why isotretinoin and long-term steroids are not added [2, 57, "
            "60, 61, 62]; half a point for one of the two.",
            "1 point: the 3-monthly minocycline review with at least two harms it looks for [53]; "
            "half a point without them.",
        ),
    ),
)

CASE_4 = Case(
    "case4",
    "Case 4",
    "A 7-year-old boy has had three episodes this year of small, superficial follicular pustules "
    "on the scalp. A swab grew Staphylococcus aureus. The pustules clear with treatment and then "
    "come back; his older brother had the same last year. He is otherwise well. A relative "
    'suggests "the antibiotic tablets I take for my skin" (doxycycline), or steroid tablets '
    "taken long term to keep it away.",
    (
        plan(
            "case4",
            {"topical treatment": 1.0},
            "Staphylococcal folliculitis is treated topically, with mupirocin or clindamycin or a "
            "benzoyl peroxide wash [39].",
        ),
        drugs(
            "case4",
            {
                "doxycycline": TETRACYCLINE_IN_PREGNANCY_OR_CHILD,
                "minocycline": TETRACYCLINE_IN_PREGNANCY_OR_CHILD,
                "long-term oral prednisolone": STEROID_LONG_TERM,
                "topical mupirocin": SAFE,
                "topical clindamycin": SAFE,
            },
            "Tetracyclines are avoided up to 8 years: during tooth development they stain teeth, "
            "cause enamel hypoplasia and can slow bone growth [48, 49, 52]. Long-term oral steroids "
            "are not curative and carry serious harms [2, 61, 62]. Half credit for avoiding these "
            "for another reason. Mupirocin and clindamycin are the topicals the source names [39].",
        ),
        checks(
            "case4",
            {"nasal swab for staphylococcal carriage": 1.0},
            "When staphylococcal folliculitis keeps coming back, culture and check for nasal "
            "carriage of S. aureus [39].",
        ),
    ),
    justification(
        "case4",
        "In two to five sentences: why this plan, why the drugs you avoid are unsafe for him, and "
        "why the check matters in recurrent disease.",
        "Staphylococcal folliculitis is treated topically [39]. Tetracyclines stain teeth and slow "
        "bone growth up to 8 years [48, 49, 52]; long-term steroids are harmful and not curative "
        "[2, 61, 62]. Recurrent disease calls for a check of nasal carriage [39].",
        (
            "1 point: topical treatment justified [39] and tetracyclines ruled out by age with the "
            "reason [48, 49, 52]; half a point for one.",
            "1 point: long-term steroid harms [61, 62] and the nasal swab for recurrence [39]; half "
            "a point for one.",
        ),
    ),
)

INTRODUCTION = (
    "Four patients, four treatment decisions, asked as key features: only the decisions that "
    "matter for each case. For each you choose a plan, give a verdict on each drug (and, if it "
    "must be avoided, why), choose the checks the plan needs, say how sure you are, and justify "
    "your choices. Treatment of acne necrotica rests on very low-level evidence: no randomised or "
    "controlled trials were found, and every systemic drug is used off-label, with regimens "
    "borrowed from acne and folliculitis practice [1, 2, 3, 6, 7]."
)

QUIZ = Quiz(
    "case-quiz-2-treatment",
    "Case quiz 2 · Choosing treatment safely",
    INTRODUCTION,
    {"PLANS": PLANS, "DRUG_VERDICTS": DRUG_VERDICTS, "CHECKS": CHECKS},
    (CASE_1, CASE_2, CASE_3, CASE_4),
    references=(1, 2, 3, 6, 7, 14, 39, 47, 48, 49, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63),
)
