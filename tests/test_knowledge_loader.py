"""The loader rejects broken data with a message naming the file, the entry and the field."""

import shutil

import pytest

from widgets.core.knowledge import KnowledgeError, load_knowledge
from widgets.core.knowledge.loader import DATA_DIR, FILES


@pytest.fixture
def data(tmp_path):
    """A writable copy of the course's data files."""
    for name in FILES:
        shutil.copy(DATA_DIR / name, tmp_path / name)
    return tmp_path


def _edit(folder, name, old, new, count=1):
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"test set-up: {old!r} not in {name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def test_an_intact_copy_loads(data):
    assert len(load_knowledge(data).conditions) == 15


@pytest.mark.parametrize(
    "name, old, new, expected",
    [
        (
            "claims.toml",
            "refs = [3, 4, 5, 6, 7]",
            "refs = [3, 4, 5, 6, 99]",
            r"claims.toml, claim 1, field 'refs': unknown reference id 99",
        ),
        (
            "claims.toml",
            'verdict = "P"',
            'verdict = "X"',
            r"claims.toml, claim 1, field 'verdict': unknown verdict code 'X'",
        ),
        (
            "conditions.toml",
            'sites = ["vertex", "occiput"]',
            'sites = ["vertx", "occiput"]',
            r"conditions.toml, condition 'folliculitis decalvans', field 'sites': unknown region 'vertx' "
            r"\(did you mean 'vertex'\?\)",
        ),
        (
            "conditions.toml",
            '{ finding = "itch", weight = 3',
            '{ finding = "itchy", weight = 3',
            r"condition 'acne necrotica miliaris' counts_for .* field 'finding': unknown finding id 'itchy'",
        ),
        (
            "conditions.toml",
            '{ finding = "itch", weight = 3',
            '{ finding = "itch", weight = 7',
            r"field 'weight': 7 is out of range; use 1 to 3",
        ),
        (
            "conditions.toml",
            'main_site = "vertex"',
            'main_site = "nape"',
            r"folliculitis decalvans', field 'main_site': 'nape' is not among the condition's sites",
        ),
        (
            "findings.toml",
            'group = "symptom"',
            'group = "symptoms"',
            r"findings.toml, finding 'itch', field 'group': unknown finding group 'symptoms'",
        ),
        (
            "treatments.toml",
            'evidence = "case reports"',
            'evidence = "randomised trial"',
            r"treatments.toml, treatment 'topical-corticosteroid', field 'evidence': unknown evidence level",
        ),
        (
            "treatments.toml",
            'family = "isotretinoin"\ntext',
            'family = "retinoids"\ntext',
            r"field 'family': unknown family 'retinoids'",
        ),
        (
            "treatments.toml",
            'dose = "Not applicable."',
            'dosage = "Not applicable."',
            r"treatment 'stop-scratching', field 'dose': missing \(is 'dosage' a misspelling of it\?\)",
        ),
        (
            "references.toml",
            'url = "https://en.wikipedia.org',
            'url = "en.wikipedia.org',
            r"references.toml, reference 1, field 'url': should start with https://",
        ),
        (
            "claims.toml",
            "number = 2\n",
            "number = 1\n",
            r"claims.toml: claim number 1 appears twice",
        ),
    ],
)
def test_broken_entry_is_named(data, name, old, new, expected):
    _edit(data, name, old, new)
    with pytest.raises(KnowledgeError, match=expected):
        load_knowledge(data)


def test_treatment_without_contraindications_is_rejected(data):
    _edit(
        data,
        "treatments.toml",
        '[[treatment.contraindication]]\nwhen = "clinical judgement"\ntext = "None: a behavioural measure."\nrefs = []\n',
        "",
    )
    with pytest.raises(
        KnowledgeError, match=r"treatment 'stop-scratching', field 'contraindication': missing"
    ):
        load_knowledge(data)


def test_unknown_field_is_named(data):
    _edit(data, "findings.toml", 'label = "Intense itch"\n', 'label = "Intense itch"\nweight = 3\n')
    with pytest.raises(
        KnowledgeError, match=r"finding 'itch', field 'weight': unknown field; valid fields"
    ):
        load_knowledge(data)


def test_missing_field_is_named(data):
    _edit(data, "conditions.toml", 'short = "Dissecting cellulitis"\n', "")
    with pytest.raises(
        KnowledgeError, match=r"condition 'dissecting cellulitis', field 'short': missing"
    ):
        load_knowledge(data)


def test_invalid_toml_and_missing_file_are_named(data):
    (data / "findings.toml").write_text("[[finding]\nid = 1", encoding="utf-8")
    with pytest.raises(KnowledgeError, match=r"findings.toml: not valid TOML"):
        load_knowledge(data)
    (data / "findings.toml").unlink()
    with pytest.raises(KnowledgeError, match=r"findings.toml: file not found"):
        load_knowledge(data)
