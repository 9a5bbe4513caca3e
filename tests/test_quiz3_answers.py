"""Quiz 3's hidden answers are plain literals: check they still equal what the model and slides give.

The hidden tests of ``case-quiz-3-mechanism-histology`` compare against literals
(so a student cannot tamper with the grading), which means a change to the
disease model or the slide deck could silently make a graded answer wrong.  These
tests run the quiz's own set-up cells (the scenarios and slides it states) and
recompute every answer.
"""

import ast

import numpy as np
import pytest
from notebook_files import REPO, read

from widgets.core.histology import CONDITIONS, biopsy_scene, comparison_scene
from widgets.core.knowledge import load_knowledge
from widgets.core.model import ACTIVE_STAGES, STAGE_ORDER, Drug, simulate, sweep_start_day
from widgets.grading.markers import HIDDEN_TESTS as HIDDEN
from widgets.views.slide_viewer import PRACTICE_SLIDES

QUIZ = "case-quiz-3-mechanism-histology"
SOURCE = REPO / "solutions" / QUIZ / f"{QUIZ}.ipynb"
UNCHANGED_BAND = 0.1
"""Question 2 counts a mean bacterial load within 10% of the untreated one as unchanged."""


def _cells_by_id():
    return {cell.metadata["nbgrader"]["grade_id"]: cell for cell in read(SOURCE).cells}


CELLS = _cells_by_id()


def _compared_literals(grade_id: str) -> dict[str, list]:
    """In a hidden test: name -> the literals it is compared with (``_given == "x"``) or assigned."""
    found: dict[str, list] = {}
    tree = ast.parse(HIDDEN.search(CELLS[grade_id].source).group(1))
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare) and isinstance(node.left, ast.Name):
            for comparator in node.comparators:
                if isinstance(comparator, ast.Constant):
                    found.setdefault(node.left.id, []).append(comparator.value)
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
            for target in node.targets:
                found.setdefault(target.id, []).append(node.value.value)
    return found


@pytest.fixture(scope="module")
def quiz():
    """The names the quiz's set-up cells define for a student exploring it (not while grading)."""
    namespace: dict = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("NBGRADER_EXECUTION", raising=False)
        for grade_id in ("setup", "model-setup"):
            exec(CELLS[grade_id].source, namespace)
    assert namespace["EXPLORING"]
    return namespace


def test_every_autograded_answer_is_a_hidden_literal():
    answers = {}
    for cell in CELLS.values():
        meta = cell.metadata["nbgrader"]
        if meta["solution"] and not meta["grade"]:
            for node in ast.parse(cell.source).body:
                answers[node.targets[0].id] = ast.literal_eval(node.value)
    hidden = {
        value
        for grade_id in CELLS
        for values in (
            _compared_literals(grade_id).values() if HIDDEN.search(CELLS[grade_id].source) else []
        )
        for value in values
    }
    assert set(answers.values()) <= hidden


def test_q1_latest_start_day_is_the_models(quiz):
    losses = sweep_start_day(
        quiz["Q1_TETRACYCLINE"], range(0, quiz["Q1_TETRACYCLINE"].days + 1), seed=quiz["SEED"]
    )
    below = np.nonzero(losses < quiz["LOSS_LIMIT_PCT"])[0]
    latest = int(below.max())
    assert _compared_literals("q1-latest-start-day")["_expected"] == [latest]
    assert np.all(losses[: latest + 1] < quiz["LOSS_LIMIT_PCT"]), (
        "an earlier start already loses too much"
    )


def test_q1_tolerances_are_the_ones_the_question_states():
    full, half = sorted(_compared_literals("q1-latest-start-day")["_error"])
    assert (
        f"within {full} days of the model's value, half marks within {half} days"
        in CELLS["q1-question"].source
    )


def _relation(value: float, reference: float) -> str:
    if value > (1 + UNCHANGED_BAND) * reference:
        return "higher"
    if value < (1 - UNCHANGED_BAND) * reference:
        return "lower"
    return "unchanged"


def test_q2_bacterial_outcome_is_the_models(quiz):
    seed = quiz["SEED"]
    untreated = simulate(quiz["UNTREATED"], seed).bacteria.mean()
    steroid = simulate(quiz["Q2_STEROID"], seed).bacteria.mean()
    both = simulate(quiz["Q2_STEROID_AND_ANTIBIOTIC"], seed).bacteria.mean()
    outcomes = quiz["BACTERIA_OUTCOMES"]
    holds = {
        outcomes[0]: _relation(steroid, untreated) == "higher"
        and _relation(both, untreated) == "lower",
        outcomes[1]: _relation(steroid, untreated) == "lower" and both < steroid,
        outcomes[2]: _relation(steroid, untreated) == "unchanged"
        and _relation(both, untreated) == "lower",
        outcomes[3]: _relation(steroid, untreated) == "higher" and both > steroid,
    }
    assert [outcome for outcome, true in holds.items() if true] == _compared_literals(
        "q2-bacteria"
    )["_given"]


def test_q3_relapse_comes_with_the_next_flare_not_from_stopping(quiz):
    seed, stop = quiz["SEED"], quiz["STOP_DAY"]
    stopped, untreated = simulate(quiz["Q3_STOPPED"], seed), simulate(quiz["UNTREATED"], seed)
    active = np.isin(stopped.stage_codes, [STAGE_ORDER.index(stage) for stage in ACTIVE_STAGES])
    untreated_active = np.isin(
        untreated.stage_codes, [STAGE_ORDER.index(stage) for stage in ACTIVE_STAGES]
    )
    next_flare = stopped.flare_days[stopped.flare_days > stop].min()
    assert np.array_equal(stopped.flare_days, untreated.flare_days), (
        "treatment should not change the flares"
    )
    assert active[: stop + 1].sum() < untreated_active[: stop + 1].sum(), (
        "lesions should be rarer on treatment"
    )
    assert not active[stop + 1 : int(np.ceil(next_flare))].any(), (
        "no lesion should appear before the next flare"
    )
    assert active[int(np.ceil(next_flare)) :].any(), "lesions should come back after stopping"
    assert Drug.ORAL_TETRACYCLINE.effect.offset_days <= 7, (
        "the drug's effect should wear off within days"
    )
    assert _compared_literals("q3-relapse-reason")["_given"] == [quiz["RELAPSE_REASONS"][0]]


def test_q4_slides_show_the_stages_and_diagnosis_the_hidden_tests_expect(quiz):
    answers = []
    for _, deck_index, seed in quiz["QUIZ_SLIDES"]:
        name, form = PRACTICE_SLIDES[deck_index]
        scene = comparison_scene(name, seed) if form is None else biopsy_scene(name, form, seed)
        answers.append(scene.answer)
    stages = _compared_literals("q4-stages")
    assert [stages["_given_a"], stages["_given_b"]] == [[answers[0]], [answers[1]]]
    assert _compared_literals("q4-diagnosis")["_given"] == [answers[2]]


def test_allowed_choices_match_the_course_vocabularies(quiz):
    assert quiz["STAGES"] == [stage.value for stage in STAGE_ORDER]
    course_conditions = set(load_knowledge().conditions)
    assert set(quiz["SLIDE_DIAGNOSES"]) <= course_conditions
    assert set(CONDITIONS) <= set(quiz["SLIDE_DIAGNOSES"])
    assert _compared_literals("q4-diagnosis")["_given"][0] in quiz["SLIDE_DIAGNOSES"]
