"""Notebooks are stored clean, valid, and shaped the way the course promises.

Outputs and execution counts in git hide stale results and bloat diffs; a test
cell that ends in a bare value scores full marks whatever the value (nbgrader
guide §4); a duplicated grade_id silently drops a cell.
"""

import ast
import re
from collections import Counter

import nbformat
import pytest
from notebook_files import ALL_NOTEBOOKS, LESSONS, SOLUTIONS, ids, read

LESSON_SECTIONS = ("Learning objectives", "Check yourself", "Key points", "References")


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=ids(ALL_NOTEBOOKS))
def test_notebook_is_valid_and_stored_without_outputs(path):
    notebook = read(path)
    nbformat.validate(notebook)
    assert notebook.metadata.get("kernelspec", {}).get("name") == "python3"
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "code":
            assert cell.outputs == [], f"cell {index} of {path.name} has stored outputs"
            assert cell.execution_count is None, (
                f"cell {index} of {path.name} has an execution count"
            )


@pytest.mark.parametrize("path", LESSONS, ids=ids(LESSONS))
def test_lesson_has_the_course_shape(path):
    markdown = "\n".join(cell.source for cell in read(path).cells if cell.cell_type == "markdown")
    headings = [line.lstrip("#").strip() for line in markdown.splitlines() if line.startswith("#")]
    for section in LESSON_SECTIONS:
        assert any(section.lower() in heading.lower() for heading in headings), (
            f"{path.name} has no '{section}' heading"
        )
    first_heading_positions = {
        section: next(i for i, h in enumerate(headings) if section.lower() in h.lower())
        for section in LESSON_SECTIONS
    }
    assert first_heading_positions["Learning objectives"] < first_heading_positions["Key points"]
    assert first_heading_positions["Key points"] < first_heading_positions["References"]


def _nbgrader(cell) -> dict:
    return cell.metadata.get("nbgrader", {})


def _test_cells(notebook):
    return [
        cell
        for cell in notebook.cells
        if cell.cell_type == "code"
        and _nbgrader(cell).get("grade")
        and not _nbgrader(cell).get("solution")
    ]


@pytest.mark.parametrize("path", SOLUTIONS, ids=ids(SOLUTIONS))
def test_grade_ids_are_unique_and_points_positive(path):
    cells = [cell for cell in read(path).cells if _nbgrader(cell)]
    grade_ids = Counter(_nbgrader(cell)["grade_id"] for cell in cells)
    assert [grade_id for grade_id, count in grade_ids.items() if count > 1] == []
    for cell in cells:
        meta = _nbgrader(cell)
        if meta.get("grade") or meta.get("task"):
            assert meta.get("points", 0) > 0, f"{meta['grade_id']} has no points"
        if meta.get("grade") and not meta.get("solution"):
            assert meta.get("locked"), f"test cell {meta['grade_id']} is not locked"


_BARE_VALUES = (ast.Compare, ast.BoolOp, ast.Constant, ast.JoinedStr)


@pytest.mark.parametrize("path", SOLUTIONS, ids=ids(SOLUTIONS))
def test_test_cells_end_in_an_assertion_or_a_score(path):
    """A test cell's last statement is an assert, or a numeric score expression (partial credit)."""
    for cell in _test_cells(read(path)):
        grade_id = _nbgrader(cell)["grade_id"]
        last = ast.parse(cell.source).body[-1]
        if isinstance(last, ast.Assert):
            continue
        assert isinstance(last, ast.Expr), f"{grade_id} ends in neither an assert nor a score"
        value = last.value
        if isinstance(value, ast.UnaryOp) and isinstance(value.op, ast.Not):
            value = value.operand
        assert not isinstance(value, _BARE_VALUES), (
            f"{grade_id} ends in a bare value, which always scores"
        )
        assert re.search(r"\bprint\s*\(|warn\s*\(", cell.source) is None, (
            f"{grade_id} prints or warns: stderr zeroes the cell, stdout is noise in feedback"
        )
