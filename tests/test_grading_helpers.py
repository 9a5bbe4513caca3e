"""Answer checks for the case quizzes: the visible helpers and the hidden tests they sit beside.

A visible test (``widgets.grading.answer_checks``) must help a student at once, with a message that
names the variable, the problem and the valid choices, and must never give the answer
away.  A hidden test must give full points for the right answer, proportional points
for a partly right set, nothing for a blank, and stay correct when the student's
namespace rebinds builtins or holds objects that claim to equal anything.

The quizzes' test cells are run here as plain Python in one namespace, the way a kernel
runs them, and scored with nbgrader's rules (an error scores 0, a numeric last value is
the score, anything else full points); the real nbgrader runs in the ``grading`` tests.
"""

import ast
import difflib
import math
import re

import nbformat
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from notebook_files import REPO

from widgets.grading.answer_checks import (
    check_choice,
    check_choices,
    check_no_overlap,
    check_number,
    normalise,
)
from widgets.grading.markers import HIDDEN_TESTS as HIDDEN

CONDITIONS = [
    "acne necrotica miliaris",
    "acne necrotica varioliformis",
    "folliculitis decalvans",
    "dissecting cellulitis",
    "herpes folliculitis",
]
QUIZZES = [
    REPO / "solutions/case-quiz-1-differentials/case-quiz-1-differentials.ipynb",
    REPO / "solutions/case-quiz-2-treatment/case-quiz-2-treatment.ipynb",
]


class StrClaimingToEqualAnything(str):
    """A student's answer that says it equals every choice and pretends to be a plain str."""

    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    __hash__ = str.__hash__

    @property
    def __class__(self):
        return str


class SetClaimingToHoldEverything(set):
    """A set whose intersection and size lie, and which pretends to be a plain set."""

    def __and__(self, other):
        return set(other)

    def __len__(self):
        return 1

    @property
    def __class__(self):
        return set


class FloatInEveryRange(float):
    """A number that compares as inside any range."""

    def __le__(self, other):
        return True

    def __ge__(self, other):
        return True

    def __lt__(self, other):
        return True

    def __gt__(self, other):
        return True


def _message(check, *args, **kwargs) -> str:
    with pytest.raises(AssertionError) as error:
        check(*args, **kwargs)
    return str(error.value)


# --- check_choice ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed", ["Folliculitis Decalvans", "  folliculitis   decalvans ", "FOLLICULITIS\tDECALVANS"]
)
def test_choice_ignores_case_and_spacing(typed):
    assert check_choice(typed, CONDITIONS, "case2_diagnosis") is None


@pytest.mark.parametrize(
    ("value", "described"),
    [
        (["folliculitis decalvans"], "a list"),
        ({"folliculitis decalvans"}, "a set"),
        (None, "None"),
        (3, "a whole number"),
        (StrClaimingToEqualAnything("folliculitis decalvans"), "not plain text"),
    ],
)
def test_choice_of_the_wrong_type_says_what_was_given(value, described):
    message = _message(check_choice, value, CONDITIONS, "case2_diagnosis")
    assert message.startswith("case2_diagnosis should be text in quotes")
    assert described in message


def test_misspelt_choice_suggests_the_closest_and_lists_every_choice():
    message = _message(check_choice, "folliculitis decalvens", CONDITIONS, "case2_diagnosis")
    assert 'Did you mean "folliculitis decalvans"?' in message
    for choice in CONDITIONS:
        assert message.count(f'"{choice}"') == (2 if choice == "folliculitis decalvans" else 1)


def test_unrelated_text_gets_no_suggestion():
    message = _message(check_choice, "psoriasis", CONDITIONS, "case2_diagnosis")
    assert "Did you mean" not in message
    assert "'psoriasis', which is not one of the allowed choices" in message


@given(st.text(max_size=40))
def test_unknown_text_message_depends_only_on_what_was_typed(typed):
    """The suggestion is the choice closest to the typed text, so it cannot point at the answer."""
    if normalise(typed) in CONDITIONS:
        return
    message = _message(check_choice, typed, CONDITIONS, "case1_diagnosis")
    closest = difflib.get_close_matches(normalise(typed), CONDITIONS, n=1, cutoff=0.6)
    suggestions = re.findall(r'Did you mean "([^"]+)"\?', message)
    assert suggestions == closest
    assert message.endswith("Allowed choices: " + ", ".join(f'"{c}"' for c in CONDITIONS) + ".")


ANYTHING = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=30)
    | st.sampled_from(CONDITIONS),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.sets(st.text(max_size=30) | st.sampled_from(CONDITIONS) | st.integers(), max_size=5)
        | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)


@given(ANYTHING)
def test_any_answer_is_accepted_or_gets_a_message_never_a_crash(value):
    for check in (
        lambda: check_choice(value, CONDITIONS, "answer"),
        lambda: check_choices(value, CONDITIONS, "answer", min_size=1, max_size=3),
        lambda: check_number(value, "answer", unit="mg/day", low=0, high=200),
    ):
        try:
            check()
        except AssertionError as error:
            assert str(error).strip()


# --- check_choices ---------------------------------------------------------------------


def test_choices_ignore_case_and_spacing():
    assert (
        check_choices({"Herpes  Folliculitis", "dissecting cellulitis"}, CONDITIONS, "case1_keep")
        is None
    )


def test_empty_braces_are_explained_as_a_dict():
    message = _message(check_choices, {}, CONDITIONS, "case1_keep")
    assert "{} is an empty dict" in message and "case1_keep = set()" in message


@pytest.mark.parametrize(
    "value", [["herpes folliculitis"], ("herpes folliculitis",), "herpes folliculitis"]
)
def test_choices_of_the_wrong_type_ask_for_curly_braces(value):
    message = _message(check_choices, value, CONDITIONS, "case1_keep")
    assert message.startswith("case1_keep should be a set of choices in curly braces")


def test_an_item_that_is_not_text_is_named():
    message = _message(check_choices, {"herpes folliculitis", 7}, CONDITIONS, "case1_keep")
    assert "every item in case1_keep should be text in quotes" in message and "7" in message


def test_a_misspelt_item_is_named_with_a_suggestion():
    message = _message(
        check_choices, {"herpes folliculitis", "disecting cellulitis"}, CONDITIONS, "case1_keep"
    )
    assert "an item of case1_keep is 'disecting cellulitis'" in message
    assert 'Did you mean "dissecting cellulitis"?' in message


def test_the_same_choice_twice_in_different_spelling_is_caught():
    message = _message(
        check_choices, {"Herpes folliculitis", "herpes folliculitis"}, CONDITIONS, "case1_keep"
    )
    assert 'names "herpes folliculitis" twice' in message


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (set(), "between 1 and 2 choices — it names 0"),
        (set(CONDITIONS[:3]), "between 1 and 2 choices — it names 3"),
    ],
)
def test_set_size_is_checked_against_the_stated_bounds(value, expected):
    assert expected in _message(
        check_choices, value, CONDITIONS, "case1_keep", min_size=1, max_size=2
    )


def test_author_mistakes_are_reported_as_such():
    with pytest.raises(TypeError):
        check_choice("x", "acne necrotica miliaris", "answer")
    with pytest.raises(ValueError):
        check_choice("x", [], "answer")
    with pytest.raises(ValueError):
        check_choices({"x"}, CONDITIONS, "answer", min_size=3, max_size=2)


def test_overlap_between_answers_is_named_whatever_the_spelling():
    message = _message(
        check_no_overlap,
        "Herpes Folliculitis",
        {"herpes  folliculitis", "x"},
        "case4_diagnosis",
        "case4_keep",
    )
    assert message == (
        'case4_diagnosis and case4_keep both name "herpes folliculitis": each choice can be in only one of them.'
    )
    check_no_overlap(["a list", 3], {"another"}, "first", "second")


# --- check_number ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (True, "got True/False"),
        ("30", "got text: '30'"),
        (np.float64(30.0), "numpy.float64; convert it with float(...)"),
        (math.nan, "should be a finite number"),
        (math.inf, "should be a finite number"),
        (900, "outside the range the question allows (0 to 200 mg/day)"),
    ],
)
def test_number_problems_are_explained(value, expected):
    assert expected in _message(
        check_number, value, "case2_dose_mg_per_day", unit="mg/day", low=0, high=200
    )


def test_a_plain_int_is_accepted_as_a_number():
    assert check_number(30, "dose", unit="mg/day", low=0, high=200) is None


# --- the quizzes' test cells ------------------------------------------------------------


def _cells(path):
    notebook = nbformat.read(path, as_version=4)
    return {
        cell.metadata["nbgrader"]["grade_id"]: cell
        for cell in notebook.cells
        if "nbgrader" in cell.metadata
    }


def _test_cells(path):
    return {
        grade_id: cell
        for grade_id, cell in _cells(path).items()
        if cell.cell_type == "code" and cell.metadata["nbgrader"]["grade"]
    }


def _run(source: str, namespace: dict):
    """Run a cell as a kernel does; return the value of its last expression (or None)."""
    tree = ast.parse(source)
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    exec(compile(tree, "<cell>", "exec"), namespace)
    return eval(compile(ast.Expression(last.value), "<cell>", "eval"), namespace) if last else None


def _score(source: str, namespace: dict, points: float) -> float:
    """nbgrader's scoring of a test cell: an error is 0, a numeric result is the score, else full."""
    try:
        result = _run(source, namespace)
    except Exception:
        return 0.0
    return (
        float(result)
        if isinstance(result, (int, float)) and not isinstance(result, bool)
        else points
    )


def _namespace(path, with_answers=True) -> dict:
    cells = _cells(path)
    namespace: dict = {}
    _run(cells["setup"].source, namespace)
    if with_answers:
        for grade_id, cell in cells.items():
            if grade_id.endswith("-answers"):
                _run(cell.source, namespace)
    return namespace


def _hidden(source: str) -> str:
    return HIDDEN.search(source).group(1)


def _visible(source: str) -> str:
    return HIDDEN.sub("", source)


def _set_cells(path):
    """Test cells graded with partial credit: grade_id -> (variable, its vocabulary name)."""
    found = {}
    for grade_id, cell in _test_cells(path).items():
        match = re.search(r"check_choices\((\w+), (\w+),", cell.source)
        if match:
            found[grade_id] = match.groups()
    return found


@pytest.mark.parametrize("path", QUIZZES, ids=lambda p: p.parent.name)
def test_solution_scores_full_points_in_every_test_cell(path):
    namespace = _namespace(path)
    for grade_id, cell in _test_cells(path).items():
        points = cell.metadata["nbgrader"]["points"]
        assert _score(cell.source, namespace, points) == points, grade_id


@pytest.mark.parametrize("path", QUIZZES, ids=lambda p: p.parent.name)
def test_blank_answers_fail_every_test_cell(path):
    namespace = _namespace(path, with_answers=False)
    for grade_id, cell in _test_cells(path).items():
        assert _score(cell.source, namespace, cell.metadata["nbgrader"]["points"]) == 0.0, grade_id


@pytest.mark.parametrize("path", QUIZZES, ids=lambda p: p.parent.name)
def test_visible_checks_quote_no_answer(path):
    """The visible part of a test cell names vocabularies, never a choice."""
    namespace = _namespace(path, with_answers=False)
    choices = {item for value in namespace.values() if isinstance(value, list) for item in value}
    for grade_id, cell in _test_cells(path).items():
        literals = {
            node.value
            for node in ast.walk(ast.parse(_visible(cell.source)))
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
        }
        assert not literals & choices, grade_id


@pytest.mark.parametrize("path", QUIZZES, ids=lambda p: p.parent.name)
def test_instructions_list_every_choice_the_checks_accept(path):
    cells = _cells(path)
    namespace = _namespace(path, with_answers=False)
    for grade_id, cell in _test_cells(path).items():
        match = re.search(r"check_choices?\((\w+), (\w+), \"(\w+)\"", cell.source)
        if not match:
            continue
        variable, vocabulary, _ = match.groups()
        instructions = cells[grade_id.split("-")[0] + "-instructions"].source
        assert f"`{variable}`" in instructions, grade_id
        for choice in namespace[vocabulary]:
            assert f'"{choice}"' in instructions, (grade_id, choice)


@pytest.mark.parametrize("path", QUIZZES, ids=lambda p: p.parent.name)
def test_partial_credit_is_proportional_and_never_negative(path):
    cells = _test_cells(path)
    for grade_id, (variable, vocabulary) in _set_cells(path).items():
        namespace = _namespace(path)
        points = cells[grade_id].metadata["nbgrader"]["points"]
        hidden = _hidden(cells[grade_id].source)
        expected = set(namespace[variable])
        wrong = [choice for choice in namespace[vocabulary] if choice not in expected]
        right = sorted(expected)

        namespace[variable] = set(right[1:]) | {wrong[0]}
        assert _score(hidden, namespace, points) == pytest.approx(
            max(points * (len(right) - 2) / len(right), 0.0)
        ), grade_id
        namespace[variable] = {right[0].upper()}
        assert _score(hidden, namespace, points) == pytest.approx(points / len(right)), grade_id
        namespace[variable] = set(namespace[vocabulary])
        assert 0.0 <= _score(hidden, namespace, points) < points, grade_id
        namespace[variable] = set(wrong)
        assert _score(hidden, namespace, points) == 0.0, grade_id


@pytest.mark.parametrize("path", QUIZZES, ids=lambda p: p.parent.name)
def test_hidden_tests_ignore_rebound_builtins(path):
    """A student who rebinds str, set, type, len... changes nothing the hidden tests compute."""
    for right_answers in (True, False):
        namespace = _namespace(path, with_answers=right_answers)
        namespace.update(
            str=lambda *args: "acne necrotica miliaris",
            set=lambda *args: {"x"},
            frozenset=lambda *args: {"x"},
            type=lambda *args: str,
            isinstance=lambda *args: True,
            len=lambda *args: 1,
            min=lambda *args: 2.0,
            max=lambda *args: 2.0,
            sum=lambda *args: 2.0,
            abs=lambda *args: 0.0,
            float=lambda *args: 2.0,
            int=lambda *args: 2,
        )
        for grade_id, cell in _test_cells(path).items():
            points = cell.metadata["nbgrader"]["points"]
            score = _score(_hidden(cell.source), namespace, points)
            assert score == (points if right_answers else 0.0), grade_id


@pytest.mark.parametrize("path", QUIZZES, ids=lambda p: p.parent.name)
def test_hidden_tests_score_lying_answers_zero(path):
    namespace = _namespace(path)
    for grade_id, cell in _test_cells(path).items():
        variable = re.search(r"check_\w+\((\w+),", cell.source).group(1)
        real = namespace[variable]
        if isinstance(real, str):
            namespace[variable] = StrClaimingToEqualAnything(real)
        elif isinstance(real, set):
            namespace[variable] = SetClaimingToHoldEverything(real)
        else:
            namespace[variable] = FloatInEveryRange(real)
        assert (
            _score(_hidden(cell.source), namespace, cell.metadata["nbgrader"]["points"]) == 0.0
        ), grade_id
        namespace[variable] = real
