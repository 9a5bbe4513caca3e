"""Case quiz 1 (differential diagnosis) and its practice set, as data.

Extended-matching items: one option list (the knowledge base's 15 conditions),
one best match per vignette, half credit where the sources make a second match
reasonable.  The differentials are judged one candidate at a time ("open": still
to exclude; "out": the vignette rules it out), so one judgement is marked once;
where the sources leave a candidate open to argument, both verdicts earn credit.
References are the medical brief's numbers.
"""

from widgets.core.assessment.items import BestMatch, Case, Quiz, Task, Verdicts
from widgets.core.knowledge.loader import load_knowledge

CONDITIONS: tuple[str, ...] = tuple(load_knowledge().conditions)
"""The option list of every extended-matching item: the knowledge base's conditions, in its order."""
INVESTIGATIONS = (
    "biopsy of an early intact papule",
    "biopsy of a crusted or excoriated lesion",
    "biopsy from the active edge of a scarred patch",
    "bacterial swab for culture",
    "viral swab for pcr",
    "direct immunofluorescence",
    "blood tests",
)
DIFFERENTIAL_VERDICTS = ("open", "out")

REVEALS: dict[str, tuple[str, ...]] = {
    "biopsy of an early intact papule": (
        "bx-lymphocytic-necrosis",
        "bx-early-neutrophils",
        "yeasts",
    ),
    "biopsy from the active edge of a scarred patch": (
        "bx-lichenoid",
        "bx-interface-mucin",
        "bx-early-neutrophils",
    ),
    "bacterial swab for culture": ("staph-culture",),
    "viral swab for pcr": ("viral-positive",),
}
"""Which knowledge-base findings (findings.toml) each investigation can show: an early papule
gives the characteristic histology [5, 6, 12, 23, 44], the active edge classifies a scarring
alopecia [17, 20, 21, 30, 33], a culture grows staphylococci [39], a viral swab detects HSV or
VZV [5, 43].  A crusted lesion gives nonspecific findings [5, 6, 12]; no finding of the
knowledge base comes from the others.  Cohort variants key their investigation item on it."""

NEEDS = {"biopsy from the active edge of a scarred patch": "scarred-patch"}
"""Investigations that only make sense when the vignette shows a finding: an active edge needs
a scarred patch."""

OPEN_ONLY = {"open": 1.0}
OUT_ONLY = {"out": 1.0}
EITHER = {"open": 1.0, "out": 1.0}


def diagnosis(case: str, credit: dict[str, float], explanation: str) -> BestMatch:
    return BestMatch(
        f"{case}_diagnosis",
        "The most likely diagnosis: keep one condition.",
        2,
        CONDITIONS,
        credit,
        explanation,
    )


def differentials(case: str, credit: dict[str, dict[str, float]], explanation: str) -> Verdicts:
    return Verdicts(
        f"{case}_differentials",
        'For each candidate other than your diagnosis: "open" if you still need to exclude it, '
        '"out" if the vignette already rules it out.',
        2,
        tuple(credit),
        DIFFERENTIAL_VERDICTS,
        credit,
        explanation,
    )


def investigation(case: str, credit: dict[str, float], explanation: str) -> BestMatch:
    return BestMatch(
        f"{case}_investigation",
        "The most useful next investigation: keep one.",
        1,
        INVESTIGATIONS,
        credit,
        explanation,
    )


def justification(case: str, model_answer: str, key_points: tuple[str, ...]) -> Task:
    return Task(
        f"{case}_justification",
        "In two to four sentences: which features of the vignette point to your diagnosis, "
        "and why is your investigation the most useful next step?",
        2,
        model_answer,
        key_points,
    )


CASE_1 = Case(
    "case1",
    "Case 1",
    'A 40-year-old woman has had an itchy scalp for two years. Crops of "tiny spots" come '
    "along the front of her hairline; she scratches and picks them.\n\n"
    "**Examination.** Along the frontal hairline and the adjacent scalp there are scattered "
    "follicular papules and pustules 1–2 mm across. Most are excoriated, with small superficial "
    "crusts and erosions; here and there an intact papule has a small central depression. There "
    "is a little greasy yellowish scale behind the ears. Hair density is normal and no bald "
    "patch is seen. The lesions come and go but have never fully cleared. She is otherwise well "
    "and takes no medicines.",
    (
        diagnosis(
            "case1",
            {"acne necrotica miliaris": 1.0, "acne necrotica varioliformis": 0.5},
            "Intensely itchy, tiny follicular pustules with superficial crusts along the frontal "
            "hairline, relapsing for years without scarring or hair loss, are acne necrotica "
            "miliaris [3, 4]; primary papules of 1–2 mm are described for acne necrotica in "
            "general [6, 13]. Half credit for the varioliformis form: the sources' usage of the "
            "two names overlaps and some authors treat them as one disease [1, 10, 11], but "
            "here there are no larger necrotic papules and no pitted scars [3, 4, 5].",
        ),
        differentials(
            "case1",
            {
                "bacterial folliculitis": OPEN_ONLY,
                "neurotic excoriations": OPEN_ONLY,
                "seborrhoeic dermatitis": EITHER,
                "folliculitis decalvans": OUT_ONLY,
                "lichen planopilaris": {"out": 1.0, "open": 0.5},
                "dissecting cellulitis": OUT_ONLY,
            },
            "Open: bacterial folliculitis can look the same [4, 39], and her picking raises "
            "neurotic excoriations (look for the intact umbilicated papule among them) [6, 42]. "
            "Seborrhoeic dermatitis fits the greasy scale behind the ears and may coexist with "
            "acne necrotica [37, 38]: keeping it open or calling it out as the cause of the "
            "pustules both earn credit. Out: no scarred patches (folliculitis decalvans [22]), "
            "no boggy nodules or tracts (dissecting cellulitis [27]); pustules and crusts argue "
            "against lichen planopilaris [30], half credit for keeping it open.",
        ),
        investigation(
            "case1",
            {"biopsy of an early intact papule": 1.0, "bacterial swab for culture": 0.5},
            "Excoriated or crusted lesions give nonspecific histology, so biopsy an early, intact, "
            "umbilicated papule [5, 6, 12]. Half credit for a bacterial swab: it addresses "
            "bacterial folliculitis [39] but does not confirm acne necrotica.",
        ),
    ),
    justification(
        "case1",
        "Intensely itchy, tiny follicular pustules with superficial crusts along the frontal "
        "hairline, in a chronic relapsing course without scarring, fit acne necrotica miliaris "
        "[3, 4]; the greasy scale behind the ears suggests coexisting seborrhoeic dermatitis "
        "[37, 38]. Crusted lesions give nonspecific histology, so an early intact papule is "
        "biopsied [5, 6, 12].",
        (
            "1 point: at least two features named as supporting acne necrotica miliaris (itch; "
            "tiny ('miliary') follicular pustules, with 1–2 mm primary papules as described for "
            "acne necrotica in general [6, 13]; frontal hairline; superficial crusts without scarring; "
            "chronic relapsing course) [3, 4]; half a point for one.",
            "1 point: why an early intact papule (crusted or excoriated lesions are nonspecific) "
            "[5, 6, 12]; half a point for 'biopsy' without which lesion or why.",
            "No credit for saying the miliaris form causes scarring alopecia [4].",
        ),
    ),
)

CASE_2 = Case(
    "case2",
    "Case 2",
    "A 36-year-old man has had slowly enlarging patches of hair loss on the crown for four "
    "years. They are tender and sometimes weep.\n\n"
    "**Examination.** On the vertex there are two irregular patches of smooth, shiny, "
    "ivory-white scalp in which no follicular openings are seen. At their edges there are "
    "follicular pustules, yellow crusts and firm induration, with perifollicular redness, and "
    "several follicles each carry a tuft of 6–10 hairs. The frontal hairline, the face and the "
    "nape are normal. No fluctuant nodules or draining tracts are felt. He is otherwise well.",
    (
        diagnosis(
            "case2",
            {"folliculitis decalvans": 1.0},
            "Expanding, irregular, ivory-white scarred patches on the vertex with pustules, crusts "
            "and induration at the edge and tufted hairs, in a man in his thirties, are "
            "folliculitis decalvans [22, 23, 24]. Pustules and tufts are not part of lichen "
            "planopilaris [30], and the vertex and scarring are not acne necrotica miliaris "
            "[3, 4], so no second match earns credit.",
        ),
        differentials(
            "case2",
            {
                "lichen planopilaris": EITHER,
                "bacterial folliculitis": EITHER,
                "dissecting cellulitis": OUT_ONLY,
                "alopecia areata": OUT_ONLY,
                "acne necrotica miliaris": OUT_ONLY,
            },
            "Lichen planopilaris: pustules argue against it [30], but perifollicular redness at "
            "the edge of a scarring patch on the crown fits it, and fewer than half of "
            "folliculitis decalvans biopsies are neutrophil-predominant [25]: keeping it open "
            "until a biopsy is the safe habit, and 'out' is also defensible. Simple bacterial "
            "folliculitis does not scar [39], so 'out' earns credit; so does 'open' until the "
            "culture is back. Out: no fluctuant nodules or tracts (dissecting cellulitis [27]); "
            "scarring with lost openings (alopecia areata keeps them [36]); vertex and scarring "
            "(acne necrotica miliaris heals without scars [4]).",
        ),
        investigation(
            "case2",
            {
                "bacterial swab for culture": 1.0,
                "biopsy from the active edge of a scarred patch": 1.0,
            },
            "Both earn full credit. A swab of a pustule looks for Staphylococcus aureus, thought "
            "(unproven) to drive folliculitis decalvans, and gives sensitivities for the "
            "antibiotic [22, 39]; a biopsy from the active edge classifies a scarring alopecia by "
            "its infiltrate and separates lichen planopilaris [17, 20, 21, 30].",
        ),
    ),
    justification(
        "case2",
        "Expanding ivory-white scarred patches on the vertex with pustules, crusts, induration and "
        "tufted hairs at the edge, in a man of 36, are folliculitis decalvans [22, 23, 24]. A "
        "swab of a pustule for culture and sensitivities guides the antibiotic [22, 39]; a biopsy "
        "from the active edge would classify the scarring alopecia and settle lichen "
        "planopilaris [17, 20, 21].",
        (
            "1 point: at least two discriminating features (vertex; expanding ivory-white scarred "
            "patches; pustules, crusts and induration at the edge; tufted hairs; man in his "
            "thirties) [22, 23, 24]; half a point for one.",
            "1 point: the investigation explained (culture for S. aureus and sensitivities [22, "
            "39], or active-edge biopsy to classify the infiltrate [17, 20]); half a point "
            "without a reason.",
        ),
    ),
)

CASE_3 = Case(
    "case3",
    "Case 3",
    "A 47-year-old woman has had recurrent crops of tender spots on her forehead and along the "
    "frontal hairline for six years, with an occasional lesion on the nose.\n\n"
    "**History.** Each lesion starts as a red papule 3–4 mm across; within a few days a dark crust "
    "is stuck firmly to its centre. The crust falls off after about a month and leaves a round, "
    "depressed scar. She admits that she picks at the crusts when she is stressed.\n\n"
    "**Examination.** Lesions at several stages are present, with dozens of small depressed "
    "scars on the forehead and frontal hairline, and a few linear scratch marks. No comedones are "
    "seen. The occiput and nape are clear. A biopsy of a crusted lesion last year showed a "
    "nonspecific mixed infiltrate.",
    (
        diagnosis(
            "case3",
            {"acne necrotica varioliformis": 1.0, "acne necrotica miliaris": 0.5},
            "Tender 3–4 mm papules that necrose under an adherent crust shed after about a month, "
            "healing with pitted scars on the forehead and hairline in a relapsing course, are "
            "acne necrotica varioliformis [2, 3, 5, 7]. Half credit for the miliaris form, whose "
            "name the sources use inconsistently [1, 10, 11]; neurotic excoriations earn none: "
            "picking aggravates acne necrotica but does not make the primary papule [2, 6].",
        ),
        differentials(
            "case3",
            {
                "herpes folliculitis": {"open": 1.0, "out": 0.5},
                "bacterial folliculitis": OPEN_ONLY,
                "neurotic excoriations": {"open": 1.0, "out": 0.5},
                "folliculitis decalvans": OUT_ONLY,
                "varicella scars": OUT_ONLY,
                "acne keloidalis nuchae": OUT_ONLY,
            },
            "Open: herpetic folliculitis can look identical under the microscope [43] (half credit "
            "for 'out', which the six-year course supports); bacterial folliculitis is a key mimic "
            "[5, 39]; her picking and the scratch marks keep neurotic excoriations open [42] "
            "(half credit for 'out': the intact papules are not excoriations [6]). Out: new crops "
            "(varicella scars are static [45]); no expanding scarred patch (folliculitis "
            "decalvans [23]); clear nape (acne keloidalis nuchae [40]).",
        ),
        investigation(
            "case3",
            {"biopsy of an early intact papule": 1.0, "viral swab for pcr": 0.5},
            "The earlier biopsy was of a crusted lesion, which is nonspecific: biopsy an early, "
            "intact papule [5, 6, 12]. Half credit for a viral swab, which addresses herpes "
            "folliculitis [43] but would not confirm acne necrotica.",
        ),
    ),
    justification(
        "case3",
        "Tender papules that necrose under an adherent crust and heal with pitted scars on the "
        "forehead and hairline are acne necrotica varioliformis [2, 3, 5, 7]; picking aggravates "
        "it [2]. The crusted lesion biopsied before is nonspecific, so an early intact papule is "
        "biopsied, with PCR if herpes remains a concern [5, 6, 12, 43].",
        (
            "1 point: at least two discriminating features (3–4 mm papules with central necrosis "
            "and adherent crust; pitted scars; forehead, hairline, nose; tenderness) [2, 3, 5, 7]; "
            "half a point for one.",
            "1 point: why the earlier biopsy failed and which lesion to biopsy [5, 6, 12]; half a "
            "point for 'repeat the biopsy' alone.",
            "Credit-neutral: PCR or immunohistochemistry to exclude herpes folliculitis [43].",
        ),
    ),
)

CASE_4 = Case(
    "case4",
    "Case 4",
    "A 58-year-old man has had a painful, burning cluster of spots on his scalp for three days. "
    "He has no previous skin disease.\n\n"
    "**Examination.** Just behind the hairline on the right frontal scalp there is a single "
    "group of follicular papules, two of them with a small dark central crust, and a few "
    "crusted erosions. No blisters are seen. His hair is full and the scalp shows no sun "
    "damage. There are no scars and no patches of hair loss, and no lesions elsewhere.",
    (
        diagnosis(
            "case4",
            {"herpes folliculitis": 1.0, "acne necrotica varioliformis": 0.5},
            "An acute first episode of grouped, painful follicular lesions is herpes (HSV or VZV) "
            "folliculitis, which often shows no vesicles [43]. The dark central crusts make acne "
            "necrotica varioliformis (often painful, necrotic crusted papules [4, 5]) a reasonable "
            "second match: half credit.",
        ),
        differentials(
            "case4",
            {
                "acne necrotica varioliformis": OPEN_ONLY,
                "bacterial folliculitis": OPEN_ONLY,
                "erosive pustular dermatosis": {"out": 1.0, "open": 0.5},
                "varicella scars": OUT_ONLY,
                "alopecia areata": OUT_ONLY,
            },
            "Open: acne necrotica varioliformis (necrotic crusted papules [4, 5]) and bacterial "
            "folliculitis [39]. Out: active lesions without scars (varicella scars [45]); "
            "crusted papules without hair loss (alopecia areata [36]); full hair on a scalp "
            "without sun damage and a three-day course argue against erosive pustular dermatosis "
            "[46] (half credit for keeping it open: crusted erosions are its lesion).",
        ),
        investigation(
            "case4",
            {"viral swab for pcr": 1.0, "bacterial swab for culture": 0.5},
            "Acute grouped lesions are swabbed for a viral PCR [5, 43]. Half credit for a "
            "bacterial swab, which addresses bacterial folliculitis [39] but misses the likeliest "
            "cause.",
        ),
    ),
    justification(
        "case4",
        "An acute first episode of grouped, painful follicular lesions is herpes folliculitis, "
        "often without vesicles [43]; acne necrotica varioliformis and bacterial folliculitis stay "
        "open [4, 5, 39]. Acute grouped lesions are swabbed for viral PCR, which detects HSV or "
        "VZV [5, 43].",
        (
            "1 point: at least two discriminating features (acute onset; grouped lesions; pain or "
            "burning; first episode; no vesicles does not exclude herpes) [43]; half a point for "
            "one.",
            "1 point: why a viral swab for PCR [5, 43]; half a point for 'swab' alone.",
        ),
    ),
)

INTRODUCTION = (
    "Four patients with follicular lesions of the scalp and face. For each case you choose the "
    "most likely diagnosis from the course's 15 conditions, judge each remaining candidate "
    "(still to exclude, or already ruled out), choose the next investigation, say how sure you "
    "are, and justify your reasoning in a few sentences."
)

QUIZ = Quiz(
    "case-quiz-1-differentials",
    "Case quiz 1 · Differential diagnosis",
    INTRODUCTION,
    {
        "CONDITIONS": CONDITIONS,
        "INVESTIGATIONS": INVESTIGATIONS,
        "DIFFERENTIAL_VERDICTS": DIFFERENTIAL_VERDICTS,
    },
    (CASE_1, CASE_2, CASE_3, CASE_4),
    references=(
        1,
        2,
        3,
        4,
        5,
        6,
        7,
        10,
        11,
        12,
        13,
        17,
        20,
        21,
        22,
        23,
        24,
        25,
        27,
        30,
        36,
        37,
        38,
        39,
        40,
        42,
        43,
        45,
        46,
    ),
)
