""" "Not found" must never turn into "does not exist", and claim 55 is never stated as fact.

The medical brief reports what its sources did not show as "not found"; that does not mean the
thing does not exist (a trial, a dose, a study). Lessons, quizzes (source and release) and the
knowledge data must keep that distinction. And the seed article's claim 55 (early treatment
preserves hair and reduces scarring) is unsupported, so a management line that recommends early
treatment must say that its benefit is unproven.
"""

import ast
import re
import tomllib
from pathlib import Path

import pytest
from notebook_files import ALL_NOTEBOOKS, REPO, ids, read

DATA_FILES = sorted((REPO / "widgets" / "core" / "knowledge" / "data").rglob("*.toml"))

FOUND = r"(?:was|were|has been|have been) found"
# "The sources give no data", "found no trials", "fitted to no patient data" report a search or a
# fact about the model, not a non-existence.
REPORTED = r"(?<!to )(?<!give )(?<!gives )(?<!found )"
NONEXISTENCE = {
    "a trial that has never been run": r"\bno (?:\w+ ){0,3}trials? (?:has|have) ever\b",
    "an absent trial (say: no trial was found)": (
        rf"{REPORTED}\bno (?:randomi[sz]ed |controlled |or )*trials?\b"
        rf"(?! (?:of [^.;:]{{0,60}} )?{FOUND})"
    ),
    "there are no trials or data": (
        r"\bthere (?:is|are) no (?:randomi[sz]ed |controlled |or )*(?:trials?|stud(?:y|ies)|data)\b"
    ),
    "nothing has been published or measured": (
        r"\bno [\w\s,-]{0,40}?\b(?:has|have) (?:ever )?been (?:published|reported|described"
        r"|tested|measured|studied|defined|done|performed)\b"
    ),
    "no study has looked": (
        r"\bno (?:stud(?:y|ies)|trials?|sources?|one) (?:has|have) (?:ever )?(?:measured|tested"
        r"|shown|studied|examined|reported|looked)\b"
    ),
    "no study or source shows it": (
        r"\bno (?:stud(?:y|ies)|trials?|sources?) (?:shows?|proves?|sets?|recommends?)\b"
    ),
    "no data of some kind (say: no data were found)": (
        rf"{REPORTED}\bno (?:[\w-]+ ){{0,2}}data\b(?! [^.;:]{{0,60}}?{FOUND})"
    ),
    "something said not to exist": r"\bno\b[^.;:!?]{0,80}?\bexists?\b",
    "does not exist": r"\b(?:does|do|did) not exist\b|\bnever existed\b|\bnon-?existent\b",
}
EARLY_TREATMENT = re.compile(
    r"\btreat(?:ing|ment)? early\b|\bearl(?:y|ier) (?:treatment|intervention|start)\b"
)
UNPROVEN = re.compile(r"unproven|plausible|no evidence|not found|not shown|unsupported")


def normalised(text: str) -> str:
    """Lower case, one space between words, no markdown emphasis, straight apostrophes."""
    text = text.replace("\u2019", "'").replace("*", "").replace("`", "")
    return " ".join(text.lower().split())


def nonexistence_phrases(text: str) -> list[str]:
    """The stretches of ``text`` that say something does not exist, each with its kind."""
    text = normalised(text)
    return [
        f"{kind}: {match.group(0)!r}"
        for kind, pattern in NONEXISTENCE.items()
        for match in re.finditer(pattern, text)
    ]


def claim_55_as_fact(text: str) -> list[str]:
    """Sentences of ``text`` that recommend early treatment without saying it is unproven."""
    sentences = re.split(r"(?<=[.!?])\s+", normalised(text))
    return [s for s in sentences if EARLY_TREATMENT.search(s) and not UNPROVEN.search(s)]


def notebook_texts(path: Path) -> list[str]:
    """Markdown cells whole; code cells as their string constants (implicit joins joined)."""
    texts = []
    for cell in read(path).cells:
        if cell.cell_type == "markdown":
            texts.append(cell.source)
        elif cell.cell_type == "code":
            try:
                tree = ast.parse(cell.source)
            except SyntaxError:
                texts.append(cell.source)
                continue
            texts += [
                node.value
                for node in ast.walk(tree)
                if isinstance(node, ast.Constant) and isinstance(node.value, str)
            ]
    return texts


def toml_strings(value) -> list[str]:
    """Every string inside a parsed TOML document, however deeply nested."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in toml_strings(item)]
    if isinstance(value, list):
        return [s for item in value for s in toml_strings(item)]
    return []


def data_texts(path: Path) -> list[str]:
    """The file's comments (a header is teaching text too) and every string value."""
    raw = path.read_text(encoding="utf-8")
    comments = [line.split("#", 1)[1] for line in raw.splitlines() if line.lstrip().startswith("#")]
    return [" ".join(comments), *toml_strings(tomllib.loads(raw))]


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=ids(ALL_NOTEBOOKS))
def test_notebooks_say_not_found_never_does_not_exist(path):
    found = [phrase for text in notebook_texts(path) for phrase in nonexistence_phrases(text)]
    assert found == [], f"{path.name}: write 'no ... was found' instead of {found}"


@pytest.mark.parametrize("path", DATA_FILES, ids=ids(DATA_FILES))
def test_knowledge_data_says_not_found_never_does_not_exist(path):
    found = [phrase for text in data_texts(path) for phrase in nonexistence_phrases(text)]
    assert found == [], f"{path.name}: write 'no ... was found' instead of {found}"


def _management_lines() -> list[tuple[str, str]]:
    """Every line of advice the knowledge data gives (shown by the planner and the trainer)."""
    documents = {
        path.name: tomllib.loads(path.read_text(encoding="utf-8"))
        for path in DATA_FILES
        if path.name in ("conditions.toml", "treatments.toml")
    }
    lines = [
        (c["name"], c.get("management", "")) for c in documents["conditions.toml"]["condition"]
    ]
    for treatment in documents["treatments.toml"]["treatment"]:
        lines += [(treatment["id"], treatment[key]) for key in ("action", "dose", "evidence_note")]
        lines += [
            (treatment["id"], rule["text"])
            for kind in ("contraindication", "caution")
            for rule in treatment.get(kind, [])
        ]
    return lines


@pytest.mark.parametrize("owner, line", _management_lines(), ids=lambda v: str(v)[:30])
def test_no_management_line_states_claim_55_as_fact(owner, line):
    assert claim_55_as_fact(line) == [], (
        f"{owner}: early treatment is plausible but unproven for acne necrotica (claim 55)"
    )


# The phrasings an expert reader found (issue 12), and their corrected forms: the guard must
# catch every old one and pass every new one, or it guards nothing.
OLD_WORDING = [
    "No trial has ever tested a treatment for acne necrotica.",
    "They damp inflammation but do not cure [2]; no dose has been published for acne necrotica.",
    "no dose data exist for acne necrotica, so only short courses, if any, are advised",
    "distress is documented in a reported case [8], but no study has measured it in acne necrotica.",
    "No data exist for acne necrotica itself.",
    "Systemic steroids reduce inflammation but do not cure; no dosing data exist for acne necrotica;",
    "# Level of evidence for every option: very low. No randomised or controlled trials exist; all",
    "Because the cause is unknown, no published model of acne necrotica exists, nor of follicle "
    "necrosis or scarring alopecia.",
    "So say: there are no trials, and we will judge it by how you respond.",
    "A good-practice point for large acne lesions [47], with no data for acne necrotica.",
    "As an illustration of a plausible principle; no study shows it for acne necrotica",
    "Such a model does not exist.",
]
NEW_WORDING = [
    "No randomised or controlled trial of any treatment for acne necrotica was found.",
    "They damp inflammation but do not cure [2]; no dose for acne necrotica was found.",
    "no dose data were found for acne necrotica, so only short courses, if any, are advised",
    "distress is documented in a reported case [8], but no study measuring it in acne necrotica "
    "was found.",
    "No data for acne necrotica itself were found.",
    "# Level of evidence for every option: very low. No randomised or controlled trials were found;",
    "no trials have been found, and we will judge it by how you respond.",
    "Acne necrotica has no comedones, and there are no systemic features.",
    "The course's sources give no pregnancy safety data for any topical.",
]
OLD_MANAGEMENT = (
    "As for the miliaris form; treat early, since deep lesions scar. Evidence: case reports."
)
NEW_MANAGEMENT = (
    "As for the miliaris form. Deep lesions heal with pitted scars; whether early treatment "
    "prevents them is plausible but unproven (no evidence for acne necrotica was found)."
)


@pytest.mark.parametrize("text", OLD_WORDING)
def test_the_guard_catches_each_phrasing_the_expert_found(text):
    assert nonexistence_phrases(text)


@pytest.mark.parametrize("text", NEW_WORDING)
def test_the_guard_passes_the_corrected_phrasings(text):
    assert nonexistence_phrases(text) == []


def test_the_claim_55_guard_catches_the_old_management_line_only():
    assert claim_55_as_fact(OLD_MANAGEMENT)
    assert claim_55_as_fact(NEW_MANAGEMENT) == []
