"""The condition names a quiz or a slide offers are the knowledge base's names.

Quiz 1 lists its diagnoses literally in a read-only cell, so students read them
without running anything; this keeps that list and the knowledge data from drifting.
"""

import ast

from notebook_files import REPO, read

from widgets.core.histology import CONDITIONS as SLIDE_CONDITIONS
from widgets.core.knowledge import load_knowledge

QUIZ_1 = REPO / "solutions" / "case-quiz-1-differentials" / "case-quiz-1-differentials.ipynb"


def _literal_assignment(notebook, name: str):
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        for statement in ast.parse(cell.source).body:
            if isinstance(statement, ast.Assign) and any(
                isinstance(target, ast.Name) and target.id == name for target in statement.targets
            ):
                return ast.literal_eval(statement.value)
    raise AssertionError(f"{name} is not assigned a literal in {QUIZ_1.name}")


def test_quiz_1_offers_exactly_the_knowledge_base_conditions():
    assert sorted(_literal_assignment(read(QUIZ_1), "CONDITIONS")) == sorted(
        load_knowledge().conditions
    )


def test_comparison_slides_name_knowledge_base_conditions():
    assert set(SLIDE_CONDITIONS) <= set(load_knowledge().conditions)
