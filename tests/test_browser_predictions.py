"""Committed predictions in real JupyterLab + Chromium: Run All shows no guarded result until commit.

On each lesson with predictions: after Run All every guarded figure or explorer is
hidden; committing one prediction by keyboard brings its result on screen (a
figure drawn, not blank) while the others stay hidden.
"""

import pytest
from prediction_steps import commit_prediction, guard_states

from widgets.core.knowledge.lesson_data import load_lesson
from widgets.tools.browser import REPO

pytestmark = [pytest.mark.browser, pytest.mark.timeout(600)]

LESSONS = [
    path
    for path in sorted((REPO / "lessons").glob("*.ipynb"))
    if load_lesson(path.stem).predictions
]


@pytest.mark.parametrize("lesson", LESSONS, ids=[path.stem for path in LESSONS])
def test_run_all_hides_every_guarded_result_until_its_prediction_is_committed(lab_tab, lesson):
    lab_tab.open(str(lesson.relative_to(REPO)))
    lab_tab.run_all_cells()
    try:
        states = guard_states(lab_tab)
        assert len(states) == len(load_lesson(lesson.stem).predictions), "a prediction is missing"
        assert all(state["hidden"] for state in states), f"results shown before commit: {states}"
        commit_prediction(lab_tab, 0)
        after = guard_states(lab_tab)
        assert not after[0]["hidden"]
        assert all(state["hidden"] for state in after[1:]), "committing one revealed others"
        assert lab_tab.problems() == []
    finally:
        lab_tab.screenshot(f"predictions-{lesson.stem}")
