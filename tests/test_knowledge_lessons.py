"""The clinical lessons cite only real references and render their article claims from the data."""

import ast
import re

import pytest
from notebook_files import REPO, read

from widgets.core.knowledge import load_knowledge

KNOWLEDGE = load_knowledge()
CLINICAL_LESSONS = [
    REPO / "lessons" / name
    for name in (
        "00-start-here.ipynb",
        "04-diagnosis-and-differentials.ipynb",
        "05-treatment.ipynb",
        "06-long-term-care.ipynb",
    )
]
CITATION = re.compile(r"\[(\d+(?:,\s*\d+)*)\]")
REFERENCE_LINE = re.compile(r"^- \[(\d+)\] (.*) <(\S+)>$")


def _markdown(path):
    return [cell.source for cell in read(path).cells if cell.cell_type == "markdown"]


def _claims_rendered(path):
    numbers = set()
    for cell in read(path).cells:
        if cell.cell_type != "code":
            continue
        for node in ast.walk(ast.parse(cell.source)):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "article_vs_evidence":
                numbers.update(arg.value for arg in node.args)
    return numbers


@pytest.mark.parametrize("path", CLINICAL_LESSONS, ids=lambda p: p.name)
def test_every_citation_resolves_and_is_listed(path):
    cells = _markdown(path)
    references = [cell for cell in cells if cell.startswith("## References")]
    assert len(references) == 1
    listed = {}
    for line in references[0].splitlines():
        match = REFERENCE_LINE.match(line)
        if match:
            listed[int(match.group(1))] = (match.group(2), match.group(3))
    for ref_id, (citation, url) in listed.items():
        assert KNOWLEDGE.reference(ref_id).citation == citation
        assert KNOWLEDGE.reference(ref_id).url == url
    cited = {int(n) for cell in cells for group in CITATION.findall(cell) for n in group.split(",")}
    assert cited - set(listed) == set(), f"{path.name} cites references it does not list"
    for claim in _claims_rendered(path):
        assert set(KNOWLEDGE.claim(claim).refs) <= set(listed), (
            f"claim {claim}'s sources are not listed"
        )


@pytest.mark.parametrize("path", CLINICAL_LESSONS, ids=lambda p: p.name)
def test_each_lesson_renders_article_vs_evidence_boxes(path):
    claims = _claims_rendered(path)
    assert claims and claims <= set(KNOWLEDGE.claims)


def test_diagnosis_treatment_and_follow_up_claims_are_all_covered():
    """Seed-article topics of lessons 4-6: diagnosis, differentials, treatment, lifestyle, scarring, follow-up."""
    rendered = set().union(*(_claims_rendered(path) for path in CLINICAL_LESSONS))
    expected = {24, 25, 26, 60} | set(range(32, 59))
    assert expected - rendered == set()
