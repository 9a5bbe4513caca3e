"""What each slide shows: the histology facts behind the course's schematic biopsies.

This is the one place the virtual biopsy states medical facts.  Each slide is a
:class:`SlideSpec`: the anatomy it keeps or loses and the findings drawn on it,
each with the reference numbers of the medical brief (§8) it rests on.  The
scene builder (:mod:`widgets.core.histology.scene`) only turns these specs into
geometry; the renderer only draws the geometry.

Sources: acne necrotica by stage, brief §4 [2, 5, 8, 10, 11, 12]; differentials,
brief §5 [23, 25, 30, 32, 33, 39, 43].  Where a drawn element is general
histology rather than something the sources describe for the condition, its
``refs`` are empty and its label says so.
"""

from dataclasses import dataclass, replace

from widgets.core.citations import cite
from widgets.core.knowledge.loader import load_knowledge
from widgets.core.model.forms import Form
from widgets.core.model.stages import Stage

LEVEL_DEPTH_MM: dict[str, float] = {
    "epidermis": 0.1,
    "infundibulum": 0.7,
    "isthmus": 1.3,
    "lower follicle": 3.25,
    "bulb": 3.7,
}
"""How deep (mm below the skin surface) each level of the drawn follicle reaches."""


@dataclass(frozen=True)
class ByForm:
    """A depth level that depends on the presentation: superficial miliaris, deep varioliformis."""

    miliaris: str
    varioliformis: str

    def level(self, form: Form) -> str:
        """The level name for ``form``."""
        return self.miliaris if form is Form.MILIARIS else self.varioliformis


NECROSIS_REACH = ByForm(miliaris="infundibulum", varioliformis="bulb")
"""Miliaris necrosis stays superficial (usually no scar, no hair loss) [4, 11]; varioliformis
necrosis destroys the follicle, which heals with a pitted scar [3, 4, 5]."""


@dataclass(frozen=True)
class SlideFinding:
    """One thing a slide shows.

    ``kind`` names what is drawn (a cell type or a tissue change), ``region`` where
    it sits, ``reach`` how deep it goes (a key of :data:`LEVEL_DEPTH_MM`, or a
    :class:`ByForm`), ``amount`` how many cells (for a hair tuft: shafts; unused
    for other tissue changes).
    """

    kind: str
    region: str
    label: str
    refs: tuple[int, ...]
    reach: str | ByForm = "infundibulum"
    amount: int = 1


@dataclass(frozen=True)
class Anatomy:
    """The normal structures a slide keeps.

    ``follicle``: "intact", "lost" (destroyed and replaced) or "tufted" (several
    hair shafts sharing one dilated opening).  ``surface``: "flat" or "depressed".
    """

    follicle: str = "intact"
    sebaceous_gland: bool = True
    surface: str = "flat"


@dataclass(frozen=True)
class SlideSpec:
    """Everything a slide teaches: title, anatomy, findings, what is absent and why it matters.

    ``clue`` is the sentence that identifies the slide in the practice mode (for
    a comparison slide it comes from the knowledge data's condition histology);
    ``not_seen`` lists findings that are absent on purpose, with the reason.
    """

    title: str
    anatomy: Anatomy
    findings: tuple[SlideFinding, ...]
    clue: str = ""
    not_seen: tuple[str, ...] = ()
    note: str = ""


CONDITIONS: tuple[str, ...] = (
    "folliculitis decalvans",
    "lichen planopilaris",
    "herpes folliculitis",
    "bacterial folliculitis",
)
"""The comparison slides, by the plain lower-case name a learner types."""

_PERIFOLLICULAR_LYMPHOCYTES = "Perifollicular lymphocytes (lymphohistiocytic infiltrate)"

_STAGE_SPECS: dict[Stage, SlideSpec] = {
    Stage.QUIET: SlideSpec(
        title="Quiet scalp (a normal follicle)",
        anatomy=Anatomy(),
        findings=(),
        clue="A normal follicle with its sebaceous gland and no inflammation: nothing active to see.",
        note="Scars left by earlier deep lesions, if any, remain elsewhere on the scalp.",
    ),
    Stage.EARLY: SlideSpec(
        title="Early papule (necrotizing lymphocytic folliculitis)",
        anatomy=Anatomy(),
        findings=(
            SlideFinding(
                "lymphocytes",
                "perifollicular dermis",
                _PERIFOLLICULAR_LYMPHOCYTES,
                (2, 5, 12),
                reach=ByForm("isthmus", "bulb"),
                amount=110,
            ),
            SlideFinding(
                "spongiosis",
                "follicle epithelium",
                "Lymphocytic spongiosis of the follicular epithelium",
                (2, 5, 12),
                reach=ByForm("infundibulum", "lower follicle"),
                amount=40,
            ),
            SlideFinding(
                "necrotic keratinocytes",
                "follicle epithelium",
                "Scattered necrotic keratinocytes in the follicular sheath",
                (2, 5, 12),
                reach=NECROSIS_REACH,
                amount=18,
            ),
            SlideFinding(
                "oedema", "papillary dermis", "Subepidermal oedema", (2, 5, 12), reach="epidermis"
            ),
        ),
        clue=(
            "Perifollicular lymphocytes, spongiosis and scattered necrotic keratinocytes in the "
            "follicular epithelium, with no neutrophils: the early papule of acne necrotica, the "
            "'necrotizing lymphocytic folliculitis' pattern [2, 5, 12]."
        ),
        not_seen=("neutrophils: absent in the early lesion [2]",),
        note=(
            "Biopsy an early, intact, umbilicated papule like this one: excoriated or crusted "
            "lesions give nonspecific findings [5, 6, 12]."
        ),
    ),
    Stage.NECROTIC: SlideSpec(
        title="Evolving lesion (necrosis spreads)",
        anatomy=Anatomy(),
        findings=(
            SlideFinding(
                "necrosis",
                "follicular unit",
                "Necrosis of the infundibulum, sebaceous duct and adjacent epidermis",
                (2, 11),
                reach=NECROSIS_REACH,
            ),
            SlideFinding(
                "vesicle", "follicle lumen", "Vesicle or pustule in the infundibulum", (2, 11)
            ),
            SlideFinding(
                "neutrophils",
                "follicle lumen",
                "A few neutrophils in the vesicopustule (neutrophils come late)",
                (2,),
                amount=6,
            ),
            SlideFinding(
                "red cells",
                "perifollicular dermis",
                "Dermal haemorrhage",
                (2, 11),
                reach=NECROSIS_REACH,
                amount=60,
            ),
            SlideFinding(
                "lymphocytes",
                "perifollicular dermis",
                _PERIFOLLICULAR_LYMPHOCYTES,
                (2, 5, 12),
                reach=ByForm("isthmus", "bulb"),
                amount=120,
            ),
            SlideFinding(
                "necrotic keratinocytes",
                "follicle epithelium",
                "Many necrotic keratinocytes in the follicular sheath",
                (2, 11),
                reach=NECROSIS_REACH,
                amount=30,
            ),
        ),
        clue=(
            "Necrosis spreading from the follicle into the sebaceous duct and the overlying "
            "epidermis, a vesicle in the infundibulum and dermal haemorrhage, with a still "
            "mainly lymphocytic infiltrate: the evolving lesion [2, 11]."
        ),
    ),
    Stage.CRUSTED: SlideSpec(
        title="Crusted lesion (a necrotic follicular unit under a crust)",
        anatomy=Anatomy(),
        findings=(
            SlideFinding(
                "crust", "surface", "Adherent crust over the necrotic follicular unit", (2, 7, 12)
            ),
            SlideFinding(
                "necrosis",
                "follicular unit",
                "Epidermal, follicular and dermal necrosis",
                (12,),
                reach=NECROSIS_REACH,
            ),
            SlideFinding(
                "lymphocytes",
                "perifollicular dermis",
                "Dense mixed infiltrate: lymphocytes",
                (12,),
                reach=ByForm("isthmus", "bulb"),
                amount=170,
            ),
            SlideFinding(
                "neutrophils",
                "perifollicular dermis",
                "Dense mixed infiltrate: neutrophils, which appear late",
                (2, 10, 12),
                reach=ByForm("isthmus", "bulb"),
                amount=80,
            ),
        ),
        clue=(
            "A crust over a necrotic follicular unit with a dense mixed infiltrate of lymphocytes "
            "and neutrophils: the late, crusted lesion. It is nonspecific on its own [12]."
        ),
        note=(
            "Nonspecific on its own: correlate with the clinical picture [12]. An excoriated "
            "lesion looks much like this, which is why an early intact papule is the better "
            "biopsy [5, 6]."
        ),
    ),
    Stage.HEALING: SlideSpec(
        title="Healing lesion (inflammation fades)",
        anatomy=Anatomy(),
        findings=(
            SlideFinding(
                "lymphocytes",
                "perifollicular dermis",
                "Fading perifollicular infiltrate",
                (2,),
                reach="isthmus",
                amount=30,
            ),
            SlideFinding(
                "re-epithelialisation",
                "epidermis",
                "Re-epithelialised epidermis where the crust was shed (general wound "
                "healing, drawn for teaching)",
                (),
            ),
        ),
        clue=(
            "A thin new epidermis where the crust was shed and only a sparse infiltrate left: "
            "a healing lesion."
        ),
    ),
    Stage.SCARRED: SlideSpec(
        title="Scar (the follicle replaced by fibrosis)",
        anatomy=Anatomy(follicle="lost", sebaceous_gland=False, surface="depressed"),
        findings=(
            SlideFinding(
                "fibrosis",
                "follicular unit",
                "Fibrous tract where the destroyed follicle was",
                (2,),
                reach="bulb",
            ),
            SlideFinding(
                "hair fragments",
                "follicular unit",
                "A few remnant hair-shaft fragments",
                (8,),
                reach="lower follicle",
                amount=3,
            ),
            SlideFinding(
                "depressed surface",
                "epidermis",
                "Thin epidermis over a depressed (varioliform) scar",
                (3, 4, 5),
            ),
        ),
        clue=(
            "No follicle, no sebaceous gland, a fibrous tract in its place and a depressed "
            "surface: the healed deep (varioliformis) lesion [2, 3, 4]."
        ),
        not_seen=("hair follicle and sebaceous gland: destroyed and replaced by fibrosis [2, 8]",),
    ),
}

_HEALING_DEEP = SlideSpec(
    title="Healing deep lesion (fibrosis replaces the destroyed follicle)",
    anatomy=Anatomy(follicle="lost", sebaceous_gland=False),
    findings=(
        SlideFinding(
            "fibrosis",
            "follicular unit",
            "Early fibrosis where the follicle was destroyed",
            (2,),
            reach="bulb",
        ),
        SlideFinding(
            "lymphocytes",
            "perifollicular dermis",
            "Fading infiltrate",
            (2,),
            reach="bulb",
            amount=40,
        ),
        SlideFinding(
            "re-epithelialisation",
            "epidermis",
            "Re-epithelialised epidermis where the crust was shed (general wound healing, "
            "drawn for teaching)",
            (),
        ),
    ),
    clue=(
        "A sparse infiltrate, new epidermis and young fibrosis where the follicle used to be: "
        "a deep (varioliformis) lesion healing towards a scar [2]."
    ),
    not_seen=("hair follicle and sebaceous gland: destroyed by deep necrosis [2]",),
)

_FORM_NOTES: dict[Form, str] = {
    Form.MILIARIS: (
        "Miliaris form: necrosis stays superficial (infundibulum and epidermis), so "
        "the follicle usually survives and heals without a scar [4, 11]."
    ),
    Form.VARIOLIFORMIS: (
        "Varioliformis form: necrosis reaches deep along the follicle, which is "
        "destroyed and heals with a pitted scar [3, 4, 5]."
    ),
}

_MILIARIS_SCAR_NOTE = (
    "The miliaris form usually heals without scarring [4, 11]; a scar means the "
    "necrosis reached deep, as in the varioliformis form."
)

_CONDITION_SPECS: dict[str, SlideSpec] = {
    "folliculitis decalvans": SlideSpec(
        title="Comparison: folliculitis decalvans",
        anatomy=Anatomy(follicle="tufted", sebaceous_gland=False),
        findings=(
            SlideFinding(
                "hair tuft",
                "follicle lumen",
                "Tufting: several hair shafts share one dilated opening (5-20 in FD)",
                (23,),
                amount=6,
            ),
            SlideFinding(
                "neutrophils",
                "follicle lumen",
                "Intraluminal neutrophils in a dilated infundibulum",
                (23,),
                amount=70,
            ),
            SlideFinding(
                "lymphocytes",
                "perifollicular dermis",
                "Later: perifollicular lymphocytes",
                (23,),
                reach="isthmus",
                amount=60,
            ),
            SlideFinding(
                "plasma cells",
                "perifollicular dermis",
                "Later: plasma cells",
                (23,),
                reach="isthmus",
                amount=30,
            ),
        ),
        not_seen=("sebaceous glands: destroyed early in folliculitis decalvans [23]",),
        note=(
            "Caution: in a series of 42 cases, fewer than half were neutrophil-predominant [25]."
        ),
    ),
    "lichen planopilaris": SlideSpec(
        title="Comparison: lichen planopilaris",
        anatomy=Anatomy(sebaceous_gland=False),
        findings=(
            SlideFinding(
                "lymphocytes",
                "follicular interface",
                "Band-like lichenoid interface infiltrate around the upper follicle",
                (30, 33),
                reach="isthmus",
                amount=130,
            ),
            SlideFinding(
                "necrotic keratinocytes",
                "follicle epithelium",
                "Necrotic keratinocytes at the follicular interface",
                (30, 33),
                reach="isthmus",
                amount=12,
            ),
            SlideFinding(
                "concentric fibrosis",
                "perifollicular dermis",
                "Concentric perifollicular fibrosis",
                (30, 32, 33),
                reach="isthmus",
            ),
        ),
        not_seen=(
            "sebaceous glands: lost [30, 33]",
            "full-thickness follicular necrosis or a necrotic crust [30]",
        ),
        note=(
            "Lymphocytes and dying keratinocytes also occur in necrotizing lymphocytic "
            "folliculitis; lichen planopilaris is chronic and fibrosing instead."
        ),
    ),
    "herpes folliculitis": SlideSpec(
        title="Comparison: herpes (HSV/VZV) folliculitis, the mimic",
        anatomy=Anatomy(),
        findings=(
            SlideFinding(
                "lymphocytes",
                "perifollicular dermis",
                "Lymphocytic folliculitis and perifolliculitis (20 of 21 cases)",
                (43,),
                reach="isthmus",
                amount=120,
            ),
            SlideFinding(
                "necrotic keratinocytes",
                "follicle epithelium",
                "Necrotic follicular keratinocytes (12 of 21 cases)",
                (43,),
                reach="isthmus",
                amount=20,
            ),
            SlideFinding(
                "multinucleated cells",
                "follicle epithelium",
                "Multinucleated keratinocytes: viral cytopathic change, often missing",
                (43,),
                reach="infundibulum",
                amount=4,
            ),
        ),
        note=(
            "Classic cytopathic change is often missing, and then the slide can look identical "
            "to early acne necrotica: use PCR, immunohistochemistry or deeper levels when in "
            "doubt [43]."
        ),
    ),
    "bacterial folliculitis": SlideSpec(
        title="Comparison: bacterial (staphylococcal) folliculitis",
        anatomy=Anatomy(),
        findings=(
            SlideFinding("pustule", "follicle lumen", "Intrafollicular neutrophil pustule", (39,)),
            SlideFinding(
                "neutrophils", "follicle lumen", "Neutrophils filling the pustule", (39,), amount=80
            ),
            SlideFinding(
                "bacteria",
                "follicle lumen",
                "Bacteria in the pustule (the diagnosis rests on a positive culture)",
                (39,),
                amount=25,
            ),
        ),
        note=(
            "A neutrophil-rich picture favours bacterial folliculitis or folliculitis "
            "decalvans over acne necrotica, whose neutrophils come late [2, 23]."
        ),
    ),
}


def stage_spec(stage: Stage, form: Form) -> SlideSpec:
    """The slide of acne necrotica at ``stage`` in presentation ``form``."""
    if stage is Stage.HEALING and form is Form.VARIOLIFORMIS:
        spec = _HEALING_DEEP
    else:
        spec = _STAGE_SPECS[stage]
    notes = [_FORM_NOTES[form], spec.note]
    if stage is Stage.SCARRED and form is Form.MILIARIS:
        notes.append(_MILIARIS_SCAR_NOTE)
    return SlideSpec(
        title=f"Acne necrotica ({form.value}): {spec.title[0].lower()}{spec.title[1:]}",
        anatomy=spec.anatomy,
        findings=spec.findings,
        clue=spec.clue,
        not_seen=spec.not_seen,
        note=" ".join(note for note in notes if note),
    )


def condition_spec(condition: str) -> SlideSpec:
    """The comparison slide of ``condition`` (one of :data:`CONDITIONS`).

    Its clue is the condition's histology as the course's knowledge data states it.
    """
    known = load_knowledge().condition(condition)
    return replace(
        _CONDITION_SPECS[condition], clue=f"{known.histology} {cite(known.histology_refs)}"
    )
