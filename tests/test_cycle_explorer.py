"""CycleExplorer: controls drive the model, the plotted data, the numbers and the linked traits."""

import ipywidgets as W
import numpy as np
import pytest
import traitlets

from widgets import CycleExplorer
from widgets.core.model import Scenario, Stage, Treatment, simulate


@pytest.fixture
def explorer():
    return CycleExplorer()


def test_starts_untreated_with_the_ghost_equal_to_the_run(explorer):
    untreated = simulate(Scenario())
    np.testing.assert_allclose(explorer.viable_line.get_ydata(), 100 * untreated.viable_follicles)
    np.testing.assert_allclose(
        explorer.ghost_viable_line.get_ydata(), explorer.viable_line.get_ydata()
    )
    assert explorer.start_day.disabled and explorer.course_days.disabled
    assert f"{untreated.follicles_lost_pct:.1f} %" in explorer.numbers.value
    assert "Teaching model" in explorer.model_note.value and "Reynolds" in explorer.model_note.value


def test_treatment_changes_the_curves_and_numbers_but_not_the_ghost(explorer):
    ghost_before = explorer.ghost_viable_line.get_ydata().copy()
    explorer.treatment.value = "oral tetracycline"
    explorer.start_day.value = 0
    assert not explorer.start_day.disabled
    assert explorer.viable_line.get_ydata()[-1] > 99.5, (
        "tetracycline from day 0 keeps the follicles"
    )
    np.testing.assert_array_equal(explorer.ghost_viable_line.get_ydata(), ghost_before)
    assert explorer.course.follicles_lost_pct < 0.5
    late_start = simulate(Scenario(treatments=(Treatment("oral tetracycline", 200),)))
    explorer.start_day.value = 200
    np.testing.assert_allclose(explorer.viable_line.get_ydata(), 100 * late_start.viable_follicles)
    assert f"{late_start.follicles_lost_pct:.1f} %" in explorer.numbers.value
    assert "oral tetracycline from day 200 to the end" in explorer.summary_text
    span = explorer.treatment_span
    assert span.get_x() == 200 and span.get_width() == 165


def test_a_short_course_stops_and_the_untreated_ghost_is_cached(explorer):
    ghost = explorer.ghost
    explorer.treatment.value = "oral tetracycline"
    explorer.start_day.value = 0
    explorer.course_days.value = 90
    assert explorer.course.scenario.treatments[0].stop_day == 90
    assert explorer.course.follicles_lost_pct > 5, (
        "stopping at day 90 lets later flares destroy follicles"
    )
    assert explorer.ghost is ghost, (
        "the untreated run is reused while form, severity and scratching stay"
    )
    explorer.scratching.value = 0.0
    assert explorer.ghost is not ghost
    explorer.scratching.value = 0.5
    explorer.course_days.value = 365
    explorer.treatment.value = "none"


def test_form_switch_changes_outcome_and_trait(explorer):
    explorer.form_buttons.value = "miliaris"
    assert explorer.form == "miliaris"
    assert explorer.course.scar_area_pct < 0.5
    assert "miliaris form" in explorer.summary_text
    explorer.form = "Varioliformis"
    assert explorer.form_buttons.value == "varioliformis" and explorer.course.scar_area_pct > 10
    with pytest.raises(ValueError, match="Valid forms: 'miliaris', 'varioliformis'"):
        explorer.form = "miliary"


def test_inspect_slider_moves_day_stage_and_marker(explorer):
    course = explorer.course
    necrotic_day = next(day for day in range(366) if course.stage_on(day) is Stage.NECROTIC)
    explorer.inspect_day.value = necrotic_day
    assert explorer.day == necrotic_day and explorer.stage == "necrotic"
    assert list(explorer.day_markers[0].get_xdata()) == [necrotic_day, necrotic_day]
    assert (
        "Necrosis</span>" in explorer.cycle_strip.value
        and "background:" in explorer.cycle_strip.value
    )
    assert f"Day {necrotic_day} is marked: stage necrotic" in explorer.summary_text
    explorer.day = 0
    assert explorer.inspect_day.value == 0 and explorer.stage == "quiet"


def test_other_widgets_can_follow_the_stage_and_day(explorer):
    follower = W.Text()
    days = W.IntText()
    stage_link = W.dlink((explorer, "stage"), (follower, "value"))
    day_link = W.dlink((explorer, "day"), (days, "value"))
    explorer.inspect_day.value = 7
    assert follower.value == explorer.course.stage_on(7).value and days.value == 7
    stage_link.unlink()
    day_link.unlink()


def test_figure_is_built_once_and_redrawn_in_place(explorer):
    figure, line = explorer.figure, explorer.viable_line
    explorer.severity.value = 1.0
    assert explorer.figure is figure and explorer.viable_line is line
    assert line.get_ydata()[-1] < 80
    explorer.severity.value = 0.9
    explorer.figure.canvas.draw()
    assert explorer._background is not None, "a full draw keeps the static background for blitting"


def test_sliders_clamp_and_programmatic_bad_input_is_explained(explorer):
    explorer.severity.value = 5.0
    assert explorer.severity.value == explorer.severity.max
    explorer.severity.value = 0.9
    with pytest.raises(traitlets.TraitError, match="use 0 to 365"):
        explorer.day = 400
    with pytest.raises(
        ValueError,
        match=r"unknown treatment 'doxy'.*Valid treatments: 'none', 'topical antibiotic'",
    ):
        CycleExplorer(treatment="doxy")
    with pytest.raises(ValueError, match=r"severity must be a number from 0\.5 to 1\.2"):
        CycleExplorer(severity=3)
    with pytest.raises(ValueError, match="start_day must be a whole number of days from 0 to 364"):
        CycleExplorer(start_day=400)


def test_constructor_settings_are_applied():
    explorer = CycleExplorer(
        form="miliaris", treatment="Isotretinoin", start_day=30, course_days=150, day=10
    )
    treatment = explorer.course.scenario.treatments[0]
    assert (treatment.drug.value, treatment.start_day, treatment.stop_day) == (
        "isotretinoin",
        30,
        180,
    )
    assert explorer.form == "miliaris" and explorer.day == 10 and explorer.inspect_day.value == 10
