"""Every slider of every lesson widget answers in JupyterLab + Chromium, and a staged case runs
end to end in the case trainer.

A notebook holding the widgets with sliders (CycleExplorer with two treatments,
TreatmentPlanner with a plan ticked, ScalpMap on a simulated patient, SlideViewer
at high power) is run with Run All; then each enabled slider gets a burst of
three key presses and the test waits until what the page shows (figure pixels,
text outside the slider) has changed.  The case trainer is answered stage by
stage by clicking, as a learner would.
"""

import nbformat
import pytest
from playwright.sync_api import TimeoutError as PageTimeout

from widgets.core.knowledge.cases import draw_case

pytestmark = [pytest.mark.browser, pytest.mark.timeout(600)]

SLIDER_WIDGETS = (
    "from widgets import CycleExplorer, ScalpMap, SlideViewer, TreatmentPlanner",
    'CycleExplorer(treatment="topical corticosteroid", course_days=90,\n'
    '              second_treatment="oral tetracycline", second_start_day=90)',
    'planner = TreatmentPlanner()\nplanner.choose("doxycycline")\nplanner',
    'scalp = ScalpMap(mode="simulated patient")\nscalp.day = 30\nscalp',
    'slides = SlideViewer(stage="crusted", form="varioliformis")\n'
    'slides.power.value = "high power"\nslides',
)
SLIDERS_PER_WIDGET = {"CycleExplorer": 8, "TreatmentPlanner": 1, "ScalpMap": 1, "SlideViewer": 2}
CASE_SEED = 0


def _notebook(lab_tab, name: str, sources) -> str:
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in sources]
    nbformat.write(notebook, lab_tab.server.root / name)
    return name


def _burst(lab_tab, slider, presses: int = 3) -> None:
    handle = slider.query_selector(".noUi-handle")
    now = float(handle.get_attribute("aria-valuenow"))
    top = float(handle.get_attribute("aria-valuemax"))
    bottom = float(handle.get_attribute("aria-valuemin"))
    handle.focus()
    key = "ArrowLeft" if now > (top + bottom) / 2 else "ArrowRight"
    for _ in range(presses):
        lab_tab.page.keyboard.press(key)


def test_every_slider_of_every_widget_answers_a_burst_of_three(lab_tab):
    lab_tab.open(_notebook(lab_tab, "sliders.ipynb", SLIDER_WIDGETS))
    lab_tab.run_all_cells()
    outputs = lab_tab.page.query_selector_all(
        ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell-outputArea"
    )
    problems, operated = [], {}
    try:
        for widget, output in zip(SLIDERS_PER_WIDGET, outputs[1:]):
            sliders = output.query_selector_all(".widget-slider")
            operated[widget] = 0
            for slider in sliders:
                if not slider.evaluate("s => !s.querySelector('.noUi-target[disabled]')"):
                    continue
                label = slider.inner_text().split("\n")[0]
                before = lab_tab.view_snapshot(slider)
                _burst(lab_tab, slider)
                try:
                    lab_tab.wait_for_view_change(slider, before, timeout_ms=10_000)
                    operated[widget] += 1
                except PageTimeout:
                    problems.append(f"{widget} slider {label!r}: nothing else on the page changed")
                lab_tab.settle()
        problems += lab_tab.problems()
    finally:
        lab_tab.screenshot("browser-controls-sliders")
    assert problems == [], "\n".join(problems)
    assert operated == SLIDERS_PER_WIDGET, "every enabled slider of every widget was operated"


def test_a_staged_case_runs_end_to_end_in_the_case_trainer(lab_tab):
    case = draw_case(CASE_SEED, 0)
    lab_tab.open(
        _notebook(
            lab_tab,
            "staged-case.ipynb",
            ["from widgets import CaseTrainer", f"CaseTrainer(seed={CASE_SEED})"],
        )
    )
    lab_tab.run_all_cells()
    page = lab_tab.page
    try:
        radio_groups = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .widget-radio-box")
        for index, stage in enumerate(case.stages):
            group = radio_groups.nth(index)
            assert group.is_visible(), f"stage {index + 1} ({stage.name}) is shown in its turn"
            if index + 1 < len(case.stages):
                assert not radio_groups.nth(index + 1).is_visible(), "the next stage waits"
            for _group, labels in stage.sections:
                for label in labels:
                    assert page.get_by_text(label, exact=False).first.is_visible()
            group.locator("label").filter(has_text=stage.question.answer).first.click()
            lab_tab.settle()
            feedback = page.get_by_text("Right.", exact=False).nth(index)
            assert feedback.is_visible()
        page.get_by_text(
            f"{len(case.stages)} of {len(case.stages)} questions right at the first answer"
        ).first.wait_for(timeout=10_000)
        assert page.get_by_text("What should have moved you", exact=False).first.is_visible()
        assert lab_tab.problems() == []
    finally:
        lab_tab.screenshot("browser-controls-staged-case")
