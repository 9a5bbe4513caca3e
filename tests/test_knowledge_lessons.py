"""The clinical lessons render their article claims from the data, with the claims' sources listed."""

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
REFERENCE_LINE = re.compile(r"^- \[(\d+)\] ", re.M)


def _markdown(path):
    return [cell.source for cell in read(path).cells if cell.cell_type == "markdown"]


def _claims_rendered(path):
    numbers = set()
    for cell in read(path).cells:
        if cell.cell_type != "code":
            continue
        for node in ast.walk(ast.parse(cell.source)):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") in (
                "article_vs_evidence",
                "article_panel",
            ):
                numbers.update(arg.value for arg in node.args)
    return numbers


@pytest.mark.parametrize("path", CLINICAL_LESSONS, ids=lambda p: p.name)
def test_the_sources_of_every_rendered_claim_are_listed(path):
    """What the lesson cites in its own text is checked in test_citations.py; the claims it
    renders from the data cite too, and their sources belong in its References."""
    references = next(cell for cell in _markdown(path) if cell.startswith("## References"))
    listed = {int(number) for number in REFERENCE_LINE.findall(references)}
    for claim in _claims_rendered(path):
        assert set(KNOWLEDGE.claim(claim).refs) <= listed, f"claim {claim}'s sources are not listed"


@pytest.mark.parametrize("path", CLINICAL_LESSONS, ids=lambda p: p.name)
def test_each_lesson_renders_article_vs_evidence_boxes(path):
    claims = _claims_rendered(path)
    assert claims and claims <= set(KNOWLEDGE.claims)


def test_diagnosis_treatment_and_follow_up_claims_are_all_covered():
    """Seed-article topics of lessons 4-6: diagnosis, differentials, treatment, lifestyle, scarring, follow-up."""
    rendered = set().union(*(_claims_rendered(path) for path in CLINICAL_LESSONS))
    expected = {24, 25, 26, 60} | set(range(32, 59))
    assert expected - rendered == set()
