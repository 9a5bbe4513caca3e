"""Answer values passed from the student's kernel to the test kernel: contract, validation, binding.

The student's kernel is untrusted, so its report of the answers is parsed and checked
here as plain data: exact types only, the types the model answers declare, bounded
size.  These tests need no kernel.
"""

import json
import math

import nbformat
import pytest
from hypothesis import given
from hypothesis import strategies as st

from widgets.grading.answer_values import (
    MAX_REPORT_BYTES,
    ContractError,
    Unset,
    binding_code,
    declared_answers,
    literal_source,
    read_report,
)


def answer_notebook(*sources):
    notebook = nbformat.v4.new_notebook()
    for number, source in enumerate(sources):
        cell = nbformat.v4.new_code_cell(source)
        cell.metadata["nbgrader"] = {
            "grade": False,
            "solution": True,
            "locked": False,
            "grade_id": f"answer-{number}",
            "schema_version": 3,
        }
        notebook.cells.append(cell)
    test = nbformat.v4.new_code_cell("assert diagnosis")
    test.metadata["nbgrader"] = {"grade": True, "solution": False, "locked": True, "points": 1}
    notebook.cells.append(test)
    return notebook


ANSWERS = declared_answers(
    answer_notebook(
        '### BEGIN SOLUTION\ndiagnosis = "acne necrotica miliaris"\nkeep = {"a", "b"}\n### END SOLUTION',
        "day = 80\nratio: float = 0.5\nlow, high = 1, 2\ntable = {'x': 'keep', 'y': 'rule out'}",
    )
)


def tagged(value):
    """What an honest student's kernel reports for a plain value."""
    kind = type(value)
    if kind is str:
        return {"t": "str", "v": value}
    if kind is bool:
        return {"t": "bool", "v": value}
    if kind is int:
        return {"t": "int", "v": str(value)}
    if kind is float:
        return {"t": "float", "v": value.hex()}
    if value is None:
        return {"t": "none"}
    if kind is dict:
        return {"t": "dict", "v": [[tagged(k), tagged(v)] for k, v in value.items()]}
    return {"t": kind.__name__, "v": [tagged(item) for item in value]}


def report(**values):
    return json.dumps({name: tagged(value) for name, value in values.items()})


def test_every_top_level_name_of_an_answer_cell_is_declared_with_its_type():
    assert list(ANSWERS) == ["diagnosis", "keep", "day", "ratio", "low", "high", "table"]
    assert ANSWERS["keep"].shape.describe() == "a set of text (str)"
    assert ANSWERS["day"].shape.describe() == "a number (int or float)"
    assert ANSWERS["diagnosis"].cell_id == "answer-0"


def test_a_model_answer_that_is_no_literal_breaks_the_contract():
    with pytest.raises(ContractError, match="plain literal"):
        declared_answers(answer_notebook("dose = 0.5 * 60"))


def test_plain_values_of_the_declared_types_pass():
    values = read_report(report(diagnosis="x", keep={"a"}, day=79.5, table={"x": "?"}), ANSWERS)
    assert values["diagnosis"] == "x" and values["keep"] == {"a"} and values["day"] == 79.5
    assert isinstance(values["ratio"], Unset) and "never assigned" in values["ratio"].reason


@pytest.mark.parametrize(
    "name, value, said",
    [
        ("keep", ["a", "b"], "should be a set of text (str); the submission's is a list of text"),
        ("diagnosis", {"a"}, "should be text (str); the submission's is a set"),
        ("day", True, "should be a number (int or float); the submission's is True or False"),
        ("keep", {1}, "should be a set of text (str); the submission's is a set of a number"),
        ("table", {"x": 1}, "should be a dict"),
    ],
)
def test_a_value_of_another_type_is_not_passed_on_and_the_reason_says_why(name, value, said):
    values = read_report(report(**{name: value}), ANSWERS)
    assert isinstance(values[name], Unset)
    assert said in values[name].reason


@pytest.mark.parametrize(
    "text",
    [
        "not json",
        json.dumps([1, 2]),
        json.dumps({"diagnosis": {"t": "str", "v": 3}}),
        json.dumps({"diagnosis": {"t": "unsupported", "v": "AlwaysEqualText"}}),
        json.dumps({"keep": {"t": "set", "v": [{"t": "list", "v": []}]}}),
        "[" * 100_000 + "]" * 100_000,
        json.dumps({"diagnosis": {"t": "str", "v": "x" * MAX_REPORT_BYTES}}),
        None,
    ],
)
def test_a_report_the_grader_cannot_trust_binds_nothing(text):
    values = read_report(text, ANSWERS)
    assert isinstance(values["diagnosis"], Unset) and isinstance(values["keep"], Unset)


def test_nesting_beyond_the_limit_is_refused():
    deep = {"t": "str", "v": "x"}
    for _ in range(40):
        deep = {"t": "list", "v": [deep]}
    answers = declared_answers(answer_notebook("nested = [[['x']]]"))
    assert isinstance(read_report(json.dumps({"nested": deep}), answers)["nested"], Unset)


plain = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.lists(inner, max_size=4).map(tuple)
        | st.frozensets(st.text(max_size=5) | st.integers(), max_size=4)
        | st.sets(st.text(max_size=5), max_size=4)
        | st.dictionaries(st.text(max_size=5), inner, max_size=4)
    ),
    max_leaves=12,
)


def same(a, b):
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        return (math.isnan(a) and math.isnan(b)) or a == b
    if isinstance(a, list | tuple):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return a == b


@given(plain)
def test_binding_code_rebuilds_every_plain_value_exactly(value):
    namespace = {}
    exec(binding_code({"answer": value}), namespace)
    assert same(namespace["answer"], value)
    assert same(eval(literal_source(value)), value)


def test_binding_code_unbinds_answers_the_tests_must_not_see():
    namespace = {"keep": {"left", "over"}}
    exec(binding_code({"keep": Unset("never assigned"), "day": 80}), namespace)
    assert "keep" not in namespace and namespace["day"] == 80
