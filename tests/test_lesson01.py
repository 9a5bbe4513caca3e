"""Lesson 1 (the clinical picture) keeps its promises to a reader, checked without a kernel.

Every [n] it cites is in its own reference list and in the course's references; each
figure has a numbered caption right after it; and the source article's main clinical
errors are each met by an Article-vs-evidence row with a verdict.
"""

import ast
import re
import tomllib

import pytest
from notebook_files import REPO, read

LESSON = REPO / "lessons/01-clinical-picture.ipynb"
CITATION = re.compile(r"\[(\d+(?:,\s*\d+)*)\]")


@pytest.fixture(scope="module")
def cells():
    return read(LESSON).cells


def _cited(cell) -> set[int]:
    """Reference numbers cited in a markdown cell, or in the text (not the code) of a code cell."""
    if cell.cell_type == "markdown":
        texts = [cell.source]
    else:
        texts = [
            node.value
            for node in ast.walk(ast.parse(cell.source))
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
        ]
    return {
        int(number)
        for text in texts
        for group in CITATION.findall(text)
        for number in group.split(",")
    }


def _reference_section(cells) -> str:
    return next(cell.source for cell in cells if cell.source.startswith("## References"))


def test_every_citation_is_in_the_lesson_reference_list_and_the_course_references(cells):
    references = _reference_section(cells)
    listed = {int(number) for number in re.findall(r"^- \[(\d+)\]", references, re.M)}
    cited = set().union(*(_cited(cell) for cell in cells if cell.source is not references))
    course = tomllib.loads(
        (REPO / "widgets/core/knowledge/data/references.toml").read_text(encoding="utf-8")
    )
    known = {reference["id"] for reference in course["reference"]}
    assert cited, "the lesson cites nothing"
    assert cited - listed == set(), "cited but missing from the lesson's References"
    assert listed - cited == set(), "listed in References but never cited"
    assert listed - known == set(), "not in widgets/core/knowledge/data/references.toml"


def test_each_figure_is_followed_by_its_numbered_caption(cells):
    figure_cells = [
        i
        for i, cell in enumerate(cells)
        if cell.cell_type == "code" and "plt.show()" in cell.source
    ]
    assert figure_cells, "the lesson draws no figure"
    for number, index in enumerate(figure_cells, start=1):
        caption = cells[index + 1]
        assert caption.cell_type == "markdown" and caption.source.startswith(
            f"*Figure {number}.*"
        ), f"figure {number} is not followed by its caption"


@pytest.mark.parametrize(
    ("claim", "verdict"),
    [
        ("sweat glands", "sweat glands unsupported"),
        ('"cause scarring and hair loss"', "Wrong"),
        ("**vertex and occiput**", "Wrong"),
        ('"rarely affects other parts of the body"', "Wrong"),
        ('"Unlike common acne vulgaris"', "Supported"),
    ],
)
def test_the_article_s_clinical_errors_each_get_a_verdict(cells, claim, verdict):
    rows = [
        line
        for cell in cells
        if "Article vs evidence" in cell.source
        for line in cell.source.splitlines()
        if line.startswith("> |")
    ]
    matching = [row for row in rows if claim in row]
    assert matching, f"no Article-vs-evidence row for {claim}"
    assert any(verdict in row.rsplit("|", 2)[-2] for row in matching), (
        f"{claim} lacks the verdict {verdict!r}"
    )
