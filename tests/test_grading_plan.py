"""Which kernel runs which cell of a submission, and with which answers (no kernel needed).

Only cells the gradebook knows as the instructor's reach the test kernel, with the
gradebook's source; everything else, whatever its metadata claims, runs only in the
student's kernel.  Each test sees the answers as they stood just before it.
"""

import nbformat

from widgets.grading.sandboxed_execute import (
    plan_cells,
    plan_for_student_kernel,
    plan_for_test_kernel,
)


def cell(grade_id=None, source="x = 1", **meta):
    new = nbformat.v4.new_code_cell(source)
    if grade_id:
        new.metadata["nbgrader"] = {"grade_id": grade_id, **meta}
    return new


GRADEBOOK = {
    "setup": {"source": "CHOICES = ['a']", "locked": True, "solution": False},
    "answer-1": {"source": "# YOUR CODE HERE", "locked": False, "solution": True},
    "test-1": {"source": "assert x == 1", "locked": True, "solution": False},
    "answer-2": {"source": "# YOUR CODE HERE", "locked": False, "solution": True},
    "test-2": {"source": "assert y == 2", "locked": True, "solution": False},
    "closing": {"source": "show_feedback()", "locked": True, "solution": False},
}
TESTS = {"test-1", "test-2"}


def submission():
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        cell("setup", "CHOICES = ['tampered']", locked=True),
        nbformat.v4.new_markdown_cell("Case 1"),
        cell("answer-1", "x = 1", solution=True),
        cell("test-1", "pass", grade=True, locked=True),
        cell(None, "y = 2  # a cell of the student's own"),
        cell("made-up", "print(1.0)", grade=True, locked=True, points=5),
        cell("answer-2", "y = 2", solution=True),
        cell("test-2", "pass", grade=True, locked=True),
        cell("closing", "show_feedback()", locked=True),
    ]
    return notebook


def test_only_gradebook_cells_reach_the_test_kernel_with_the_gradebooks_source():
    plans = plan_cells(submission(), GRADEBOOK, TESTS)
    roles = {plan.index: plan.role for plan in plans}
    assert roles == {
        0: "setup",
        2: "student",
        3: "test",
        4: "student",
        5: "student",
        6: "student",
        7: "test",
        8: "setup",
    }
    sources = {plan.index: plan.source for plan in plan_for_test_kernel(plans)}
    assert sources == {0: "CHOICES = ['a']", 3: "assert x == 1", 7: "assert y == 2"}


def test_each_test_sees_the_answers_of_its_own_moment():
    plans = {plan.index: plan for plan in plan_cells(submission(), GRADEBOOK, TESTS)}
    assert plans[3].snapshot == 1 and plans[7].snapshot == 2


def test_the_instructors_closing_cells_run_in_neither_kernel():
    plans = plan_cells(submission(), GRADEBOOK, TESTS)
    assert 8 not in {plan.index for plan in plan_for_test_kernel(plans)}
    assert 8 not in {plan.index for plan in plan_for_student_kernel(plans)}
    assert 0 in {plan.index for plan in plan_for_student_kernel(plans)}
