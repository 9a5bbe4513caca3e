"""Answer checks for the case quizzes: the visible helpers and the hidden tests they sit beside.

A visible test (``widgets.grading.answer_checks``) must help a student at once, with a message that
names the variable, the problem and the valid choices, and must never give the answer
away.  A hidden test must give full points for the right answer, proportional points
for a partly right set, nothing for a blank, and stay correct when the student's
namespace rebinds builtins or holds objects that claim to equal anything.

The quizzes' hidden tests are checked against the assessment core in
``tests/test_assessment.py``; the real nbgrader runs in the ``grading`` tests.
"""

import difflib
import math
import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from widgets.grading.answer_checks import (
    check_choice,
    check_choices,
    check_no_overlap,
    check_number,
    normalise,
)

CONDITIONS = [
    "acne necrotica miliaris",
    "acne necrotica varioliformis",
    "folliculitis decalvans",
    "dissecting cellulitis",
    "herpes folliculitis",
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
