"""CycleExplorer: controls drive the model, the plotted data, the numbers and the linked traits."""

import math

import ipywidgets as W
import numpy as np
import pytest
import traitlets
from own_loop import run_on_own_loop

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
    assert explorer.course_days.max == 165, "a course lasts at most to the end of the run"


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
    assert explorer.form == "miliaris" and explorer.depth_slider.value == 0.0
    assert explorer.course.scar_area_pct < 0.5
    assert "miliaris end" in explorer.summary_text
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
    assert explorer.blitter.background is not None, (
        "a full draw keeps the static background for blitting"
    )


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
    with pytest.raises(ValueError, match=r"necrosis_depth must be a number from 0 to 1"):
        CycleExplorer(necrosis_depth=1.5)
    with pytest.raises(ValueError, match=r"necrosis_depth must be between 0 and 1"):
        Scenario(necrosis_depth=-0.1)
    with pytest.raises(ValueError, match="unknown treatment"):
        CycleExplorer(second_treatment="doxy")


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


def test_strip_line_text_and_model_share_one_necrosis_threshold():
    from widgets.core.model import parameters, staging
    from widgets.core.model.stages import STAGE_ORDER

    threshold = parameters.NECROSIS_THRESHOLD
    assert staging.NECROSIS_DAMAGE == parameters.LESION.necrosis_threshold == threshold
    for depth in (0.0, 0.5, 1.0):
        explorer = CycleExplorer(necrosis_depth=depth)
        assert list(explorer.threshold_line.get_ydata()) == [threshold, threshold]
        assert f"necrosis threshold ({threshold:g})" in explorer.summary_text
        course = explorer.course
        necrotic = course.stage_codes == STAGE_ORDER.index(Stage.NECROTIC)
        assert necrotic.any(), "both ends of the depth scale pass through necrosis"
        np.testing.assert_array_equal(
            explorer.surface_damage_line.get_ydata()[necrotic] >= threshold, True
        )
        day = int(np.flatnonzero(necrotic)[0])
        explorer.day = day
        assert (
            "background:"
            in explorer.cycle_strip.value.split("Necrosis</span>")[0].rsplit("<span", 1)[-1]
        ), "the strip lights Necrosis exactly on the necrotic days"
        assert explorer.picture.necrosis_reach > 0, "the drawn cluster is necrotic that day too"
        deep_peak = float(np.nanmax(course.follicle_damage))
        says_destroyed = "so follicles are destroyed" in explorer.summary_text
        assert says_destroyed == (deep_peak >= threshold)


def test_depth_is_continuous_between_the_two_forms():
    losses = [CycleExplorer(necrosis_depth=d).course.follicles_lost_pct for d in (0, 0.5, 1)]
    assert losses[0] < losses[1] < losses[2]
    ends = (simulate(Scenario(form="miliaris")), simulate(Scenario(form="varioliformis")))
    for depth, end in zip((0.0, 1.0), ends):
        run = simulate(Scenario(necrosis_depth=depth))
        np.testing.assert_array_equal(run.viable_follicles, end.viable_follicles)
    explorer = CycleExplorer(necrosis_depth=0.3)
    assert explorer.form == "miliaris" and explorer.form_buttons.value == "miliaris"
    explorer.depth_slider.value = 0.7
    assert explorer.form == "varioliformis" and explorer.necrosis_depth == 0.7
    explorer.form = "varioliformis"
    assert explorer.necrosis_depth == 0.7, "a form already nearest keeps the depth"


def test_two_treatments_combine_each_with_its_own_window():
    explorer = CycleExplorer(
        treatment="topical corticosteroid",
        start_day=30,
        course_days=60,
        second_treatment="oral tetracycline",
        second_start_day=40,
    )
    steroid, tetracycline = explorer.course.scenario.treatments
    assert (steroid.start_day, steroid.stop_day) == (30, 90)
    assert (tetracycline.start_day, tetracycline.stop_day) == (40, None)
    combined = simulate(Scenario(treatments=(steroid, tetracycline)))
    np.testing.assert_allclose(explorer.viable_line.get_ydata(), 100 * combined.viable_follicles)
    spans = explorer.treatment_spans
    assert (spans[0].get_x(), spans[0].get_width()) == (30, 60)
    assert (spans[1].get_x(), spans[1].get_width()) == (40, 325)
    assert "topical corticosteroid from day 30 to day 90 with oral tetracycline" in (
        explorer.summary_text
    )
    explorer.rows[1].drug.value = "none"
    assert len(explorer.course.scenario.treatments) == 1 and explorer.rows[1].start_day.disabled


def test_new_patient_draws_a_new_flare_schedule():
    explorer = CycleExplorer()
    before = explorer.course.flare_days.copy()
    explorer.new_patient_button.click()
    assert explorer.seed == 1 and "Patient 2" in explorer.patient_label.value
    assert not np.array_equal(before, explorer.course.flare_days)
    np.testing.assert_array_equal(explorer.course.flare_days, simulate(Scenario(), 1).flare_days)


def test_tipping_point_is_computed_by_the_model_and_marked():
    from widgets.core.model.tipping import _is_chronic, chronic_severity

    tip = chronic_severity()
    assert 1.0 < tip < 1.08
    explorer = CycleExplorer(severity=0.9)
    assert f"{tip:.2f}" in explorer.tipping_mark.value and "below" in explorer.tipping_mark.value
    explorer.severity.value = 1.1
    assert "above" in explorer.tipping_mark.value
    below, above = _is_chronic(np.array([0.99 * tip, 1.01 * tip]))
    assert not below and above, "a single flare just above the tipping point stays inflamed"


def test_the_cluster_drawing_follows_the_inspected_day():
    explorer = CycleExplorer()
    explorer.day = explorer.days
    end = explorer.picture
    lost = math.ceil(9 * (1 - explorer.course.viable_follicles[-1]))
    assert 9 - end.viable_count == lost > 0
    first_scar = next(d for d in range(366) if explorer.course.stage_on(d) is Stage.SCARRED)
    explorer.day = first_scar
    assert "scarred" in explorer.picture.follicles, "a scarred stage shows a scarred follicle"
    explorer.day = explorer.days
    drawn = [patch.get_facecolor() for patch in explorer.follicle_patches]
    assert len({tuple(colour) for colour in drawn}) == 2, "viable and scarred follicles differ"
    crusted = next(d for d in range(366) if explorer.course.stage_on(d) is Stage.CRUSTED)
    explorer.day = crusted
    assert explorer.crust_patch.get_visible() and explorer.necrosis_patch.get_height() > 0
    assert "crust on the surface" in explorer.summary_text


def test_the_flare_assumption_and_the_clock_are_stated():
    explorer = CycleExplorer()
    assert "bacterial inoculum" in explorer.flare_note.value
    assert "3–4 weeks" in explorer.model_note.value


def test_link_to_lets_another_widget_follow_the_day():
    class ClinicalView(traitlets.HasTraits):
        day = traitlets.Int(0)

    explorer = CycleExplorer()
    follower = ClinicalView()
    links = explorer.link_to(follower)
    explorer.day = 42
    assert follower.day == 42
    for link in links:
        link.unlink()
    with pytest.raises(TypeError, match="no trait day, stage or form"):
        explorer.link_to(object())


def test_link_to_a_slide_viewer_lets_the_slide_follow_the_inspected_day():
    from widgets import SlideViewer

    explorer, viewer = CycleExplorer(), SlideViewer()
    links = explorer.link_to(viewer)
    crusted = next(d for d in range(366) if explorer.course.stage_on(d) is Stage.CRUSTED)
    explorer.day = crusted
    assert viewer.stage == "crusted" and viewer.form == explorer.form
    for link in links:
        link.unlink()


def test_a_burst_of_changes_from_the_browser_is_drawn_once_with_the_last_value():
    import asyncio

    explorer = CycleExplorer()
    drawn = []
    update = explorer._scenario_updates._update
    explorer._scenario_updates._update = lambda: (drawn.append(explorer.severity.value), update())

    async def burst():
        # Messages queued in the kernel behind a running update are handled back to back.
        for value in (0.85, 0.8, 0.75):
            explorer.severity.set_state({"value": value})  # as a browser message does
        assert drawn == [], "nothing is computed while the burst goes on"
        await asyncio.sleep(0)  # the kernel's next event: the scheduled update

    run_on_own_loop(burst())
    assert drawn == [0.75] and explorer.course.scenario.severity == 0.75
    explorer.severity.value = 0.9
    assert drawn == [0.75, 0.9], "a change made in Python is drawn at once"


def paint(shown: np.ndarray, patch) -> int:
    """Paint ``patch`` over ``shown`` as the browser does; the bytes of pixels it carried."""
    import io

    from PIL import Image

    if patch.raw:
        width, height = patch.raw
        image = np.frombuffer(patch.data, np.uint8).reshape(height, width, 4)
    else:
        image = np.asarray(Image.open(io.BytesIO(patch.data)).convert("RGBA"))
    box = np.s_[patch.y : patch.y + image.shape[0], patch.x : patch.x + image.shape[1]]
    # putImageData replaces the box; drawImage keeps what shows through transparent pixels
    shown[box] = image if patch.raw else np.where(image[:, :, 3:] == 0, shown[box], image)
    return image.size


def test_png_bytes_round_trip():
    import io

    from PIL import Image

    from widgets.views.canvas import png_bytes

    rgba = np.random.default_rng(0).integers(0, 256, (7, 5, 4), dtype=np.uint8)
    rgba[2:5] = 0  # a diff image is mostly empty
    assert (np.asarray(Image.open(io.BytesIO(png_bytes(rgba))).convert("RGBA")) == rgba).all()


def test_live_figures_send_diffs_that_paint_the_new_picture():
    from widgets.views.canvas import next_frame

    explorer = CycleExplorer()
    canvas = explorer.figure.canvas
    canvas.draw()
    before = np.asarray(canvas.get_renderer().buffer_rgba()).copy()
    assert next_frame(None, before).full, "nothing on screen yet: a full frame"
    explorer.day = explorer.day + 20  # blitted: only the moving artists change
    after = np.asarray(canvas.get_renderer().buffer_rgba()).copy()
    frame = next_frame(before, after)
    assert frame is not None and not frame.full
    painted = before.copy()
    sent = sum(paint(painted, patch) for patch in frame.patches)
    assert (painted == after).all()
    assert sent < 0.2 * after.size, "a day step sends a small part of the figure"
    assert next_frame(after, after) is None, "nothing changed: nothing is sent"


def test_small_patches_go_raw_and_large_ones_encoded():
    from widgets.views.canvas import RAW_PATCH_BYTES, next_frame

    before = np.full((300, 400, 4), 255, np.uint8)
    after = before.copy()
    after[10:20, 30:40, :3] = 0  # a small box: raw
    after[100:290, 200:390, 0] = 7  # a large one: PNG, with transparent pixels kept
    after[150, 250] = 255
    frame = next_frame(before, after)
    kinds = sorted(bool(patch.raw) for patch in frame.patches)
    assert kinds == [False, True]
    for patch in frame.patches:
        if patch.raw:
            width, height = patch.raw
            assert len(patch.data) == 4 * width * height <= RAW_PATCH_BYTES
    painted = before.copy()
    for patch in frame.patches:
        paint(painted, patch)
    assert (painted == after).all()


def test_a_blitted_day_step_shows_what_a_full_draw_shows():
    explorer = CycleExplorer(treatment="oral tetracycline")
    canvas = explorer.figure.canvas
    canvas.draw()
    explorer.severity.value = 1.0  # a new run: curves and day layer redrawn on the background
    explorer.day = 200  # only the day marker and the follicle cluster redrawn
    blitted = np.asarray(canvas.get_renderer().buffer_rgba()).copy()
    canvas.draw()
    assert (np.asarray(canvas.get_renderer().buffer_rgba()) == blitted).all()


def test_every_step_of_every_slider_changes_the_picture():
    """A day is less than a pixel wide: a one-day step of a course or start day must still
    show, or the learner moves a slider and sees nothing happen."""
    import ipywidgets as W

    explorer = CycleExplorer(
        treatment="topical corticosteroid",
        start_day=60,
        course_days=90,
        second_treatment="oral tetracycline",
        second_start_day=90,
    )
    canvas = explorer.figure.canvas
    canvas._on_front_end_message(canvas, {"type": "ready"}, [])
    sliders, queue = [], [explorer]
    while queue:
        node = queue.pop(0)
        if isinstance(node, (W.IntSlider, W.FloatSlider)):
            sliders.append(node)
        queue.extend(getattr(node, "children", ()))
    assert len(sliders) == 8
    for slider in sliders:
        for _ in range(12):
            up = slider.value + slider.step <= slider.max
            before = np.asarray(canvas.get_renderer().buffer_rgba()).copy()
            slider.value += slider.step if up else -slider.step
            after = np.asarray(canvas.get_renderer().buffer_rgba())
            assert (before != after).any(), f"{slider.description} → {slider.value}: no change"
