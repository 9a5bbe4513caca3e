"""Every lesson and quiz as a learner meets it: JupyterLab in headless Chromium.

Each lesson is opened, run with Run > Run All Cells, its committed predictions
answered (so the results they guard are shown), checked for error output,
broken widget views, blank figures and console errors, and then one control of
each kind in every widget output is operated by keyboard; the test waits until
the page shows the effect (figure pixels or text outside the control).  Each
quiz's student version is checked with nbgrader's Validate button, blank and
answered.  Screenshots land in test-artifacts/screenshots/.
"""

import nbformat
import pytest
from prediction_steps import commit_every_prediction

from widgets.tools.browser import ACTIVE_PANEL, REPO

pytestmark = [pytest.mark.browser, pytest.mark.timeout(600)]

LESSONS = sorted((REPO / "lessons").glob("*.ipynb"))
RELEASES = sorted((REPO / "assignments").glob("*/*.ipynb"))
VALIDATION_DIALOG = ".jp-Dialog:has(#validation-message)"


def _relative(path) -> str:
    return str(path.relative_to(REPO))


@pytest.mark.parametrize("lesson", LESSONS, ids=[path.stem for path in LESSONS])
def test_lesson_runs_cleanly_and_every_control_responds(lab_tab, lesson):
    lab_tab.open(_relative(lesson))
    lab_tab.run_all_cells()
    try:
        # Guarded figures and explorers stay hidden until their prediction is committed.
        commit_every_prediction(lab_tab)
        problems = lab_tab.problems()
        if blank := lab_tab.blank_canvas_count():
            problems.append(f"{blank} figure(s) show nothing")
        problems += [f"cut off at the right: {part}" for part in lab_tab.cut_off_at_the_right()]
        for kind, control, label in lab_tab.controls():
            if lab_tab.operate(kind, control) is None:
                problems.append(f"{kind.name} {label!r}: nothing else on the page changed")
        problems += [problem for problem in lab_tab.problems() if problem not in problems]
    finally:
        lab_tab.screenshot(lesson.stem)
    assert problems == [], f"{lesson.name} in JupyterLab:\n" + "\n".join(problems)


def _answered_copy(release_in_course, quiz: str):
    """The student version with every answer cell replaced by the instructor's solution cell."""
    solution = nbformat.read(REPO / "solutions" / quiz / release_in_course.name, as_version=4)
    solved = {
        cell.metadata["nbgrader"]["grade_id"]: cell.source
        for cell in solution.cells
        if cell.metadata.get("nbgrader", {}).get("solution")
    }
    notebook = nbformat.read(release_in_course, as_version=4)
    for cell in notebook.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution") and meta.get("grade_id") in solved:
            cell.source = solved[meta["grade_id"]]
    answered = release_in_course.with_name(f"{release_in_course.stem}-answered.ipynb")
    nbformat.write(notebook, answered)
    return answered


def _validate(lab_tab, path: str) -> tuple[str, str]:
    """Open ``path``, press the toolbar's Validate button and return the dialog's verdict class and text."""
    lab_tab.open(path)
    lab_tab.page.click(f"{ACTIVE_PANEL} .validate-button")
    dialog = lab_tab.page.wait_for_selector(VALIDATION_DIALOG, timeout=180_000)
    return dialog.query_selector("#validation-message").get_attribute("class"), dialog.inner_text()


@pytest.mark.parametrize("release", RELEASES, ids=[path.parent.name for path in RELEASES])
def test_validate_button_reports_failures_on_the_blank_student_version(lab_tab, release):
    verdict, text = _validate(lab_tab, _relative(release))
    lab_tab.screenshot(f"validate-blank-{release.stem}", whole_notebook=False)
    assert "Validation Results" in text
    assert "validation-failed" in verdict, (
        f"blank {release.name} should fail validation, got: …{text[-1200:]}"
    )
    assert "The following cell failed" in text


@pytest.mark.parametrize("release", RELEASES, ids=[path.parent.name for path in RELEASES])
def test_validate_button_passes_the_answered_student_version(lab_tab, release):
    answered = _answered_copy(lab_tab.server.root / _relative(release), release.parent.name)
    verdict, text = _validate(lab_tab, str(answered.relative_to(lab_tab.server.root)))
    lab_tab.screenshot(f"validate-answered-{release.stem}", whole_notebook=False)
    assert "validation-success" in verdict, (
        f"answered {release.name} should pass validation, got: …{text[-1200:]}"
    )
    assert "Success! Your notebook passes all the tests." in text


def test_lab_uses_the_course_settings_so_no_news_pop_up(jupyter_lab):
    notification = jupyter_lab.api(
        "GET", "/lab/api/settings/@jupyterlab/apputils-extension:notification"
    )
    defaults = {
        name: spec["default"] for name, spec in notification["schema"]["properties"].items()
    }
    assert defaults["fetchNews"] == "false"
    assert defaults["checkForUpdates"] is False
