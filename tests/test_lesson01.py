"""Lesson 1 (the clinical picture) keeps its promises to a reader, checked without a kernel.

Each figure has a numbered caption right after it, and the source article's main clinical
errors are each met by an Article-vs-evidence box with a verdict from the claims data: the
big errors inline, the other claims in the lesson's panel (its citations are checked with
every other notebook's in test_citations.py).
"""

import re

import pytest
from notebook_files import REPO, read

from widgets.core.knowledge import load_knowledge

LESSON = REPO / "lessons/01-clinical-picture.ipynb"
KNOWLEDGE = load_knowledge()


@pytest.fixture(scope="module")
def cells():
    return read(LESSON).cells


def test_each_figure_is_followed_by_its_numbered_caption(cells):
    figure_cells = [
        i
        for i, cell in enumerate(cells)
        if cell.cell_type == "code" and re.search(r"\w+_chart\(", cell.source)
    ]
    assert figure_cells, "the lesson draws no figure"
    for number, index in enumerate(figure_cells, start=1):
        caption = cells[index + 1]
        assert caption.cell_type == "markdown" and caption.source.startswith(
            f"*Figure {number}.*"
        ), f"figure {number} is not followed by its caption"


def _claims(cells, function: str) -> set[int]:
    return {
        int(number)
        for cell in cells
        if cell.cell_type == "code"
        for args in re.findall(rf"\b{function}\(([^)]*)\)", cell.source)
        for number in re.findall(r"\d+", args)
    }


@pytest.mark.parametrize(
    ("claim", "verdict", "where"),
    [
        (6, "U", "article_vs_evidence"),  # sweat glands
        (3, "W", "article_vs_evidence"),  # scarring and hair loss in the miliaris form
        (14, "W", "article_vs_evidence"),  # vertex and occiput
        (15, "W", "article_panel"),  # rarely affects other parts of the body
        (59, "S", "article_panel"),  # unlike common acne vulgaris
    ],
)
def test_the_article_s_clinical_errors_each_get_a_verdict(cells, claim, verdict, where):
    """The big errors stand inline where the topic is taught; the other claims sit in the panel."""
    assert claim in _claims(cells, where), f"claim {claim} is not rendered by {where}(...)"
    assert KNOWLEDGE.claim(claim).verdict == verdict
