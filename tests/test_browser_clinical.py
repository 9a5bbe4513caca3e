"""The linked clinical view in real JupyterLab + Chromium: one day slider, the tone control.

A notebook with one ``DayViews`` cell runs in the browser; the test presses the
explorer's "Inspect day" slider three times by keyboard across a stage change
and checks that the model, the clinical close-up and the slide all show the
new day, then switches the skin tone with the keyboard.
"""

import nbformat
import pytest

from widgets.core.clinical.stages import clinical_stage_on, days_in_stage, stage_facts
from widgets.core.model.forms import Form

pytestmark = pytest.mark.browser

PRESSES = 3
CELL = """from widgets import DayViews
views = DayViews(tone="II", form="varioliformis", day={day})
views.day_slider.add_class("linked-day")
views.clinical.description.add_class("clinical-text")
views.clinical.tone_control.add_class("clinical-tone")
views.slide.key.add_class("slide-key")
views.explorer.cycle_strip.add_class("model-strip")
views"""


def _clinical_day(course, day):
    return clinical_stage_on(
        course.stage_on(day),
        "varioliformis",
        days_in_stage(course.stage_codes, day),
        course.scenario.scratching,
    )


def _day_before_a_change(course) -> int:
    """A day whose clinical picture and model stage differ three days later."""
    for day in range(1, int(course.scenario.days) - PRESSES):
        later = day + PRESSES
        if _clinical_day(course, day).stage != _clinical_day(
            course, later
        ).stage and course.stage_on(day) != course.stage_on(later):
            return day
    raise AssertionError("the default patient never changes stage")


@pytest.fixture
def linked_notebook(jupyter_lab):
    from widgets.views.cycle_explorer import CycleExplorer

    course = CycleExplorer(form="varioliformis").course
    day = _day_before_a_change(course)
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    notebook.cells = [nbformat.v4.new_code_cell(CELL.format(day=day))]
    nbformat.write(notebook, jupyter_lab.root / "clinical-linked.ipynb")
    return "clinical-linked.ipynb", course, day


def _text(page, selector: str) -> str:
    return page.locator(selector).inner_text()


def test_one_day_slider_moves_all_three_views_and_the_tone_control_redraws(
    lab_tab, linked_notebook
):
    path, course, day = linked_notebook
    lab_tab.open(path)
    lab_tab.run_all_cells()
    page = lab_tab.page
    assert lab_tab.problems() == []
    target = day + PRESSES
    before = (_text(page, ".clinical-text"), _text(page, ".slide-key"))
    expected = stage_facts(_clinical_day(course, target).stage).name(Form.VARIOLIFORMIS)

    handle = page.locator(".linked-day .noUi-handle")
    handle.scroll_into_view_if_needed()
    handle.focus()
    for _ in range(PRESSES):
        page.keyboard.press("ArrowRight")
    page.wait_for_function(
        """([target]) => document.querySelector('.model-strip').innerText.includes(`Day ${target}:`)""",
        arg=[target],
        timeout=20_000,
    )
    lab_tab.settle()
    assert page.locator(".linked-day .widget-readout").inner_text().strip() == str(target)
    clinical, slide = _text(page, ".clinical-text"), _text(page, ".slide-key")
    assert clinical != before[0] and slide != before[1]
    assert expected.lower() in clinical.lower()
    assert course.stage_on(target).label.lower() in slide.lower()

    canvas_before = lab_tab.view_snapshot()
    six = page.locator('.clinical-tone button:text-is("VI")')
    six.focus()
    page.keyboard.press("Space")
    page.wait_for_function(
        "() => document.querySelector('.clinical-text').innerText.includes('Fitzpatrick VI')",
        timeout=20_000,
    )
    lab_tab.settle()
    assert lab_tab.view_snapshot() != canvas_before
    assert lab_tab.problems() == []
