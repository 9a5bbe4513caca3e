"""The assessment core: fair scoring, the generated hidden tests agree with it, the release scores 0.

Quizzes are data (``widgets.core.assessment.bank``); the notebooks' hidden tests
are generated from it with literal keys.  These tests run the generated test
cells as plain Python (the way the test kernel does) against the core's scoring.
"""

import ast
import functools
import itertools
import re

import nbformat
import pytest
from notebook_files import REPO

from widgets.core.assessment.bank import QUIZZES
from widgets.core.assessment.items import BestMatch, Estimate, Selection, Verdicts
from widgets.core.assessment.scoring import (
    CalibrationRow,
    brier_score,
    calibration_order,
    score,
)
from widgets.core.knowledge import load_knowledge
from widgets.grading.answer_checks import check_kept_one, check_verdicts
from widgets.grading.feedback import (
    FEEDBACK_RECORD,
    calibration_report,
    explain_item,
)
from widgets.grading.markers import HIDDEN_TESTS
from widgets.grading.preprocessors import ShowKeyPoints
from widgets.tools.quiz_notebooks import cell_id, quiz_notebook

QUIZ_IDS = sorted(QUIZZES)
GRADER_NAMES = {"explain_item": explain_item, "CONFIDENCE_ITEMS": []}
"""What the read-only set-up defines for the hidden tests."""


def run_cell(source: str, namespace: dict):
    """Run a cell as a kernel does; return its last expression's value (or None)."""
    tree = ast.parse(source)
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    exec(compile(tree, "<cell>", "exec"), namespace)
    return eval(compile(ast.Expression(last.value), "<cell>", "eval"), namespace) if last else None


@functools.cache
def notebook_of(quiz_id: str):
    return quiz_notebook(QUIZZES[quiz_id])


def grade_id(cell) -> str | None:
    return cell.metadata.get("nbgrader", {}).get("grade_id")


def hidden_score(quiz, item, answer) -> float:
    (cell,) = [c for c in notebook_of(quiz.quiz_id).cells if grade_id(c) == cell_id(item.name)]
    namespace = {item.name: answer, FEEDBACK_RECORD: {}, **GRADER_NAMES}
    try:
        return float(run_cell(HIDDEN_TESTS.search(cell.source).group(1), namespace))
    except Exception:
        return 0.0


def answers_to_try(item):
    """The model answer, every single option, pairs, the empty and the full answer, junk."""
    junk = [None, "x", 3, ["a"], {}]
    if isinstance(item, (BestMatch, Selection)):
        singles = [{option} for option in item.options]
        pairs = [set(pair) for pair in itertools.combinations(item.options, 2)][:12]
        return [item.model_answer, *singles, *pairs, set(), set(item.options), *junk]
    if isinstance(item, Verdicts):
        tables = [item.model_answer, dict.fromkeys(item.candidates, "?")]
        for verdict in item.verdicts:
            tables.append(dict.fromkeys(item.candidates, verdict.upper()))
        first = item.candidates[0]
        for verdict in item.verdicts:
            tables.append({**item.model_answer, first: verdict})
        return tables + junk
    return [
        item.model_answer,
        item.full[0],
        item.full[1] + 0.1,
        item.half[1],
        item.half[1] + 1,
        float("nan"),
        True,
        *junk,
    ]


@pytest.mark.parametrize("quiz_id", QUIZ_IDS)
def test_generated_hidden_tests_score_as_the_core_does(quiz_id):
    quiz = QUIZZES[quiz_id]
    for item in quiz.items:
        for answer in answers_to_try(item):
            expected = item.points * score(item, answer)
            assert hidden_score(quiz, item, answer) == pytest.approx(expected), (item.name, answer)


@pytest.mark.parametrize("quiz_id", QUIZ_IDS)
def test_model_answers_earn_full_credit_and_released_values_earn_none(quiz_id):
    quiz = QUIZZES[quiz_id]
    released: dict = {}
    for cell in notebook_of(quiz_id).cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution") and not meta.get("grade") and cell.cell_type == "code":
            exec(cell.source.split("### BEGIN SOLUTION")[0], released)
    for item in quiz.items:
        assert score(item, item.model_answer) == 1.0, item.name
        assert score(item, released[item.name]) == 0.0, item.name
        assert hidden_score(quiz, item, released[item.name]) == 0.0, item.name
        assert released[f"{item.name}_confidence"] == 0


def test_keeping_lichen_planopilaris_open_in_case_2_costs_nothing():
    quiz = QUIZZES["case-quiz-1-differentials"]
    item = quiz.item("case2_differentials")
    kept_open = {**item.model_answer, "lichen planopilaris": "open"}
    assert score(item, kept_open) == 1.0
    assert score(quiz.item("case2_diagnosis"), {"folliculitis decalvans"}) == 1.0
    assert "Lichen planopilaris" in item.explanation and "safe habit" in item.explanation


def test_simple_bacterial_folliculitis_can_be_ruled_out_or_kept_open_in_case_2():
    item = QUIZZES["case-quiz-1-differentials"].item("case2_differentials")
    for verdict in ("open", "out"):
        assert score(item, {**item.model_answer, "bacterial folliculitis": verdict}) == 1.0


def test_one_wrong_judgement_costs_one_share_of_one_item():
    quiz = QUIZZES["case-quiz-1-differentials"]
    item = quiz.item("case2_differentials")
    wrong = {**item.model_answer, "dissecting cellulitis": "open"}
    assert score(item, wrong) == pytest.approx(1 - 1 / len(item.candidates))


def test_stepping_down_to_a_topical_after_eight_months_of_control_earns_full_credit():
    quiz = QUIZZES["case-quiz-2-treatment"]
    plan = quiz.item("case3_plan")
    assert score(plan, {"topical treatment"}) == 1.0
    assert score(plan, {"oral tetracycline"}) == 1.0
    assert score(plan, {"oral isotretinoin"}) == 0.0
    assert "[47]" in plan.explanation


def test_the_isotretinoin_dose_accepts_the_range_the_sources_justify():
    item = QUIZZES["case-quiz-2-treatment"].item("case2_dose_mg_per_day")
    assert [score(item, dose) for dose in (30, 27, 33.0, 20, 45, 60, 10, 100)] == [
        1.0,
        1.0,
        1.0,
        0.5,
        0.5,
        0.5,
        0.0,
        0.0,
    ]
    assert "0.5 mg/kg/day [1]" in item.explanation and "[56]" in item.explanation


def test_the_reason_to_avoid_a_drug_is_judged_with_that_drug():
    item = QUIZZES["case-quiz-2-treatment"].item("case1_drugs")
    answer = dict(item.model_answer)
    answer["isotretinoin"] = "avoid: raised intracranial pressure"
    assert score(item, answer) == pytest.approx(1 - 0.5 / len(item.candidates))
    answer["isotretinoin"] = "no contraindication in the sources"
    assert score(item, answer) == pytest.approx(1 - 1 / len(item.candidates))


def test_ticking_every_option_earns_nothing():
    for quiz in QUIZZES.values():
        for item in quiz.items:
            if isinstance(item, (BestMatch, Selection)):
                assert score(item, set(item.options)) == 0.0, item.name


@pytest.mark.parametrize("quiz_id", QUIZ_IDS)
def test_every_explanation_cites_references_the_quiz_lists(quiz_id):
    quiz = QUIZZES[quiz_id]
    known = set(load_knowledge().references)
    for item in quiz.items:
        cited = {
            int(n)
            for group in re.findall(r"\[([\d, ]+)\]", item.explanation)
            for n in group.split(",")
        }
        assert cited <= known and cited <= set(quiz.references), item.name


@pytest.mark.parametrize("quiz_id", QUIZ_IDS)
def test_committed_instructor_notebook_equals_a_fresh_generation(quiz_id):
    committed = nbformat.read(REPO / "solutions" / quiz_id / f"{quiz_id}.ipynb", as_version=4)
    fresh = notebook_of(quiz_id)
    assert [(c.cell_type, c.source, c.metadata) for c in committed.cells] == [
        (c.cell_type, c.source, c.metadata) for c in fresh.cells
    ], f"solutions/{quiz_id} is stale: run `make quizzes`"


def test_vignette_titles_are_neutral():
    for quiz in QUIZZES.values():
        for case in quiz.cases:
            for item in case.items:
                if isinstance(item, BestMatch):
                    assert item.key not in case.title.lower()
    titles = [case.title for case in QUIZZES["case-quiz-1-differentials"].cases]
    assert titles == ["Case 1", "Case 2", "Case 3", "Case 4"]


def test_kept_one_and_verdict_checks_explain_the_form_without_the_key():
    with pytest.raises(AssertionError, match="exactly one"):
        check_kept_one({"a", "b"}, ["a", "b", "c"], "x")
    check_kept_one({"A "}, ["a", "b"], "x")
    with pytest.raises(AssertionError, match="no verdict yet"):
        check_verdicts({"a": "?", "b": "?"}, ["a", "b"], ["open", "out"], "x")
    check_verdicts({"a": "open", "b": "?"}, ["a", "b"], ["open", "out"], "x")
    with pytest.raises(AssertionError, match="put the line back"):
        check_verdicts({"a": "open"}, ["a", "b"], ["open", "out"], "x")
    with pytest.raises(AssertionError, match="Did you mean"):
        check_verdicts({"a": "opne", "b": "out"}, ["a", "b"], ["open", "out"], "x")


def test_calibration_lists_confident_and_wrong_first_and_never_changes_marks():
    rows = [CalibrationRow("a", 1.0, 4), CalibrationRow("b", 0.0, 4), CalibrationRow("c", 0.0, 1)]
    assert [row.name for row in calibration_order(rows)] == ["b", "a", "c"]
    assert brier_score(rows) == pytest.approx(((0.95 - 1) ** 2 + 0.95**2 + 0.25**2) / 3)
    record = {"a": (2.0, 2.0, "why a"), "b": (0.0, 1.0, "why b")}
    text = calibration_report(record, ["a", "b"], {"a_confidence": 2, "b_confidence": 4})
    assert text.index("Confident and wrong") < text.index("b: 0 of 1 points")
    assert text.index("b: 0 of 1") < text.index("a: 2 of 2") and "why b" in text
    assert "after the quiz is graded" in calibration_report({}, ["a"], {"a_confidence": 3})


def test_feedback_shows_a_task_cells_mark_scheme_as_key_points():
    cell = nbformat.v4.new_markdown_cell(
        "Prompt.\n\n=== BEGIN MARK SCHEME ===\n\n- 1 point: the mechanism.\n\n=== END MARK SCHEME ==="
    )
    cell.metadata["nbgrader"] = {"task": True, "grade": False, "solution": False, "locked": True}
    cell, _ = ShowKeyPoints().preprocess_cell(cell, {}, 0)
    assert "BEGIN MARK SCHEME" not in cell.source and "- 1 point: the mechanism." in cell.source
    assert "Mark scheme (shown in your feedback after grading)" in cell.source


def test_estimate_items_nest_their_ranges():
    for quiz in QUIZZES.values():
        for item in quiz.items:
            if isinstance(item, Estimate):
                assert item.half[0] <= item.full[0] <= item.model_answer <= item.full[1]


class TextClaimingToEqualAnything(str):
    def __eq__(self, other):
        return True

    __hash__ = str.__hash__

    @property
    def __class__(self):
        return str


class SetClaimingToHoldEverything(set):
    def __contains__(self, item):
        return True

    def __len__(self):
        return 1

    @property
    def __class__(self):
        return set


class DictClaimingEveryVerdict(dict):
    def get(self, key, default=None):
        return "open"

    @property
    def __class__(self):
        return dict


class NumberInEveryRange(float):
    def __le__(self, other):
        return True

    __ge__ = __lt__ = __gt__ = __le__


def liar(item):
    if isinstance(item, (BestMatch, Selection)):
        return SetClaimingToHoldEverything({TextClaimingToEqualAnything("?")})
    if isinstance(item, Verdicts):
        return DictClaimingEveryVerdict({TextClaimingToEqualAnything("?"): "?"})
    return NumberInEveryRange(-5.0)


REBOUND = dict(
    str=lambda *args: "acne necrotica miliaris",
    set=lambda *args: {"x"},
    dict=lambda *args: {},
    type=lambda *args: str,
    isinstance=lambda *args: True,
    len=lambda *args: 1,
    min=lambda *args: 2.0,
    max=lambda *args: 2.0,
    sum=lambda *args: 2.0,
    abs=lambda *args: 0.0,
    float=lambda *args: 2.0,
    int=lambda *args: 2,
    Exception=None,
)


@pytest.mark.parametrize("quiz_id", QUIZ_IDS)
def test_hidden_tests_score_lying_answers_zero(quiz_id):
    quiz = QUIZZES[quiz_id]
    for item in quiz.items:
        assert hidden_score(quiz, item, liar(item)) == 0.0, item.name


@pytest.mark.parametrize("quiz_id", QUIZ_IDS)
def test_hidden_tests_ignore_rebound_builtins(quiz_id):
    quiz = QUIZZES[quiz_id]
    for item in quiz.items:
        (cell,) = [c for c in notebook_of(quiz_id).cells if grade_id(c) == cell_id(item.name)]
        for answer, expected in ((item.model_answer, item.points), (liar(item), 0.0)):
            namespace = {item.name: answer, FEEDBACK_RECORD: {}, **GRADER_NAMES, **REBOUND}
            try:
                result = float(run_cell(HIDDEN_TESTS.search(cell.source).group(1), namespace))
            except Exception:
                result = 0.0
            assert result == expected, item.name


@pytest.mark.parametrize("quiz_id", QUIZ_IDS)
def test_visible_checks_quote_no_answer(quiz_id):
    """The visible part of a test cell names option lists, never a choice."""
    quiz = QUIZZES[quiz_id]
    choices = {option for options in quiz.option_lists.values() for option in options}
    for cell in notebook_of(quiz_id).cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade") and not meta.get("solution"):
            visible = HIDDEN_TESTS.sub("", cell.source)
            literals = {
                node.value
                for node in ast.walk(ast.parse(visible))
                if isinstance(node, ast.Constant) and isinstance(node.value, str)
            }
            assert not literals & choices, meta["grade_id"]
