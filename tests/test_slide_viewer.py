"""SlideViewer: the controls change the slide, the view and the labels; practice gives explained feedback."""

import asyncio

import numpy as np
import pytest
from own_loop import run_on_own_loop

from widgets import CycleExplorer, SlideViewer
from widgets.core.histology import CONDITIONS
from widgets.core.histology.describe import summary
from widgets.views.slide_viewer import ANSWERS, PRACTICE_SLIDES


@pytest.fixture
def viewer():
    return SlideViewer()


def _lymphocytes_drawn(viewer):
    return np.concatenate([a.get_offsets() for a in viewer.renderer.artists["lymphocytes"]])


def test_stage_and_form_controls_change_the_drawn_slide(viewer):
    assert viewer.scene.stage.value == "early" and "neutrophils" not in viewer.renderer.artists
    viewer.stage_control.value = "crusted"
    assert viewer.stage == "crusted"
    assert "crust" in viewer.renderer.artists and "neutrophils" in viewer.renderer.artists
    assert "crusted lesion" in viewer.key.value
    viewer.form_control.value = "varioliformis"
    viewer.stage_control.value = "scarred"
    assert viewer.form == "varioliformis"
    assert "fibrosis" in viewer.renderer.artists
    assert "follicle epithelium" not in viewer.renderer.artists


def test_setting_the_traits_moves_the_controls(viewer):
    viewer.stage = "necrotic"
    viewer.form = "varioliformis"
    assert viewer.stage_control.value == "necrotic"
    assert viewer.form_control.value == "varioliformis"
    assert "vesicle" in viewer.renderer.artists


def test_comparison_slides_replace_the_stage_controls(viewer):
    viewer.slide_control.value = "herpes folliculitis"
    assert viewer.scene.condition == "herpes folliculitis"
    assert "multinucleated cells" in viewer.renderer.artists
    assert viewer.stage_control.disabled and viewer.form_control.disabled
    viewer.slide_control.value = "acne necrotica"
    assert not viewer.stage_control.disabled
    assert "multinucleated cells" not in viewer.renderer.artists


def test_high_power_zooms_in_and_the_sliders_pan(viewer):
    ax = viewer.renderer.ax
    low = ax.get_xlim()
    assert viewer.across.disabled and viewer.depth.disabled
    viewer.power.value = "high power"
    assert not viewer.across.disabled
    left, right = ax.get_xlim()
    assert right - left == pytest.approx((low[1] - low[0]) / 4)
    viewer.across.value = 1.0
    assert np.mean(ax.get_xlim()) == pytest.approx(1.0)
    assert "Bulb" not in viewer.summary_text
    viewer.across.value = 2.0
    viewer.depth.value = 3.4
    assert np.mean(ax.get_ylim()) == pytest.approx(-3.4)
    assert "high power" in viewer.summary_text and "Bulb" in viewer.summary_text
    viewer.power.value = "low power"
    assert ax.get_xlim() == low


def test_panning_past_the_edge_stays_on_the_section(viewer):
    viewer.power.value = "high power"
    viewer.across.value = viewer.across.min
    viewer.depth.value = viewer.depth.min
    left, _ = viewer.renderer.ax.get_xlim()
    _, top = viewer.renderer.ax.get_ylim()
    assert left == pytest.approx(0.0) and top == pytest.approx(0.45)


def test_labels_checkbox_hides_markers_and_the_key(viewer):
    assert viewer.renderer.labels_visible and "<li>" in viewer.key.value
    viewer.labels.value = False
    assert not viewer.renderer.labels_visible and "<li>" not in viewer.key.value
    viewer.stage = "crusted"
    assert not viewer.renderer.labels_visible


def test_summary_text_follows_the_slide(viewer):
    assert "not a photomicrograph" in viewer.summary_text
    assert "Perifollicular lymphocytes" in viewer.summary_text
    viewer.stage = "scarred"
    viewer.form = "varioliformis"
    assert "Fibrous tract" in viewer.summary_text
    assert "no hair follicle" in viewer.summary_text
    assert viewer.description.value.count("Fibrous tract") == 1


def test_bad_values_get_a_message_listing_the_valid_ones(viewer):
    with pytest.raises(ValueError, match="'quiet', 'early'"):
        viewer.stage = "erly"
    with pytest.raises(ValueError, match="'miliaris', 'varioliformis'"):
        viewer.form = 2
    with pytest.raises(ValueError, match="lichen planopilaris"):
        viewer.slide = "lichen"
    assert viewer.stage == "early"


def test_practice_hides_the_labels_until_the_learner_answers():
    viewer = SlideViewer(practice_seed=5)
    viewer.mode_control.value = "practice"
    unknown = viewer.scene
    assert unknown is viewer.unknown
    assert not viewer.renderer.labels_visible
    assert "Unknown slide" in viewer.key.value and unknown.title not in viewer.key.value
    assert unknown.answer not in viewer.summary_text.lower().replace("in the", "")
    assert viewer.practice_box.layout.display is None
    assert viewer.explore_box.layout.display == "none"
    assert viewer.answer(unknown.answer) is True
    assert "Correct" in viewer.feedback.value
    assert viewer.renderer.labels_visible and unknown.title in viewer.key.value


def test_a_wrong_answer_says_what_the_slide_is_and_why():
    viewer = SlideViewer(practice_seed=0)
    unknown = viewer.next_unknown()
    wrong = next(answer for answer in ANSWERS if answer != unknown.answer)
    assert viewer.answer(wrong) is False
    assert "Not quite" in viewer.feedback.value
    assert unknown.clue.split(":")[0][:30] in viewer.feedback.value


def test_picking_from_the_dropdown_gives_the_same_feedback():
    viewer = SlideViewer(practice_seed=1)
    unknown = viewer.next_unknown()
    viewer.answer_control.value = unknown.answer
    assert "Correct" in viewer.feedback.value


def test_a_misspelt_answer_lists_the_valid_answers_and_changes_nothing():
    viewer = SlideViewer(practice_seed=2)
    viewer.next_unknown()
    with pytest.raises(ValueError, match=r"'quiet', 'early'.*'bacterial folliculitis'"):
        viewer.answer("folliculitis decalvens")
    assert viewer.feedback.value == "" and not viewer.renderer.labels_visible


def test_answering_outside_practice_mode_is_refused(viewer):
    with pytest.raises(ValueError, match="switch the mode to practice"):
        viewer.answer("early")


def test_unknown_slides_are_seeded():
    def sequence(seed):
        viewer = SlideViewer(practice_seed=seed)
        return [viewer.next_unknown().title for _ in range(4)]

    assert sequence(7) == sequence(7)
    assert sequence(7) != sequence(8)


def test_the_practice_set_covers_every_stage_and_condition_that_occurs():
    answers = [answer for answer, _ in PRACTICE_SLIDES]
    assert set(answers) == set(ANSWERS)
    assert set(CONDITIONS) <= set(answers)
    assert ("scarred", "miliaris") not in PRACTICE_SLIDES


def test_new_unknown_button_draws_a_fresh_slide_and_clears_the_answer():
    viewer = SlideViewer(practice_seed=3)
    viewer.next_unknown()
    viewer.answer("early")
    before = viewer.scene
    viewer.new_unknown.click()
    assert viewer.scene is not before
    assert viewer.answer_control.value is None and viewer.feedback.value == ""
    assert not viewer.renderer.labels_visible


def test_back_to_explore_shows_the_chosen_slide_again():
    viewer = SlideViewer(stage="healing", form="miliaris")
    viewer.mode = "practice"
    viewer.mode = "explore"
    assert viewer.scene.stage.value == "healing"
    assert viewer.renderer.scene is viewer.scene and viewer.renderer.labels_visible


def _first_day_in(explorer, stage):
    return next(
        day for day in range(explorer.days + 1) if explorer.course.stage_on(day).value == stage
    )


def test_linked_to_the_cycle_explorer_the_slide_follows_the_inspected_day():
    explorer = CycleExplorer(form="varioliformis", days=90, course_days=30)
    viewer = SlideViewer(mode="practice")
    links = viewer.link_to(explorer)
    assert viewer.mode == "explore" and viewer.slide == "acne necrotica"
    assert (viewer.stage, viewer.form) == (explorer.stage, "varioliformis")

    necrotic_day = _first_day_in(explorer, "necrotic")
    explorer.inspect_day.value = necrotic_day
    assert explorer.stage == viewer.stage == "necrotic"
    assert viewer.renderer.scene.stage.value == "necrotic"
    assert "vesicle" in viewer.renderer.artists

    explorer.inspect_day.value = _first_day_in(explorer, "crusted")
    assert viewer.stage == "crusted" and "crust" in viewer.renderer.artists

    explorer.form_buttons.value = "miliaris"
    assert viewer.form == "miliaris" and viewer.stage == explorer.stage

    for link in links:
        link.unlink()
    before = viewer.stage
    explorer.inspect_day.value = 0
    assert explorer.stage == "quiet" and viewer.stage == before


def test_linking_to_something_without_stage_and_form_says_what_is_needed(viewer):
    with pytest.raises(TypeError, match="has no trait stage or form"):
        viewer.link_to(object())


def test_practice_describes_what_is_drawn_not_what_it_means():
    viewer = SlideViewer(practice_seed=3)
    unknown = viewer.next_unknown()
    text = viewer.summary_text
    assert text == summary(unknown, viewer.view, mode="quiz")
    for feature in unknown.features:
        if feature.finding:
            assert feature.label not in text
    viewer.answer(unknown.answer)
    assert unknown.title in viewer.summary_text


def _on_screen(viewer):
    """Mark the viewer's figure as shown in a browser view; returns the frames it sends."""
    canvas = viewer.figure.canvas
    frames = []
    canvas.send = lambda message, buffers: frames.append(message)
    canvas._on_front_end_message(canvas, {"type": "ready"}, [])
    return frames


def _pixels(viewer):
    return np.asarray(viewer.figure.canvas.get_renderer().buffer_rgba())[:, :, :3].astype(int)


def _matched_within_a_pixel(shown, drawn, tolerance=24):
    """Share of ``shown`` pixels equal (within ``tolerance``) to ``drawn`` at the same place or
    one pixel away: a picture moved by a fraction of a pixel differs only along its edges."""
    best = np.full(shown.shape[:2], 255)
    padded = np.pad(drawn, ((1, 1), (1, 1), (0, 0)), mode="edge")
    height, width = shown.shape[:2]
    for dy in (0, 1, 2):
        for dx in (0, 1, 2):
            moved = padded[dy : dy + height, dx : dx + width]
            best = np.minimum(best, np.abs(shown - moved).max(axis=2))
    return float((best <= tolerance).mean())


async def _kernel_free():
    """Let the event loop run what an update scheduled (draws, the section's picture)."""
    for _ in range(3):
        await asyncio.sleep(0)


def test_panning_at_high_power_moves_a_picture_of_the_section_that_matches_a_full_draw():
    async def pan_around():
        viewer = SlideViewer(stage="necrotic", form="miliaris")  # no hatching: its phase is free
        frames = _on_screen(viewer)
        viewer.power.value = "high power"
        await _kernel_free()
        viewer.across.value = 1.5  # this step draws; the section's picture is drawn after it
        await _kernel_free()
        assert viewer.panner.section is not None and viewer.panner.section.scene is viewer.scene
        for across, depth in ((1.0, 0.6), (2.35, 1.3), (3.4, 4.2), (0.5, 0.0)):
            sent = len(frames)
            viewer.across.value, viewer.depth.value = across, depth
            assert not viewer.figure.canvas.draw_pending, "the step was shown without a draw"
            assert len(frames) > sent and not frames[-1]["full"]
            panned = _pixels(viewer)
            viewer.figure.canvas.draw()
            drawn = _pixels(viewer)
            assert _matched_within_a_pixel(panned, drawn) > 0.995, (across, depth)
            shifted = np.roll(panned, 3, axis=1)  # what a crop three pixels off would show
            assert _matched_within_a_pixel(shifted, drawn) < 0.995

    run_on_own_loop(pan_around())  # as in a kernel: scheduled work runs when the loop is free


def test_a_new_slide_or_labels_get_a_new_section_picture_and_low_power_draws():
    async def change_the_slide():
        viewer = SlideViewer(stage="crusted", form="varioliformis")
        _on_screen(viewer)
        viewer.power.value = "high power"
        await _kernel_free()
        viewer.across.value = 1.5
        await _kernel_free()
        first = viewer.panner.section
        assert first is not None
        viewer.labels.value = False
        await _kernel_free()
        viewer.across.value = 1.6
        await _kernel_free()
        assert viewer.panner.section is not first and not viewer.panner.section.labels
        viewer.stage = "scarred"
        await _kernel_free()
        viewer.across.value = 1.7
        await _kernel_free()
        assert viewer.panner.section.scene is viewer.scene
        viewer.power.value = "low power"
        assert not viewer.panner.pan() and viewer.panner.section is None  # memory given back

    run_on_own_loop(change_the_slide())


def test_headless_panning_draws_nothing_ahead(viewer):
    viewer.power.value = "high power"
    viewer.across.value = 1.0
    viewer.across.value = 1.5
    assert viewer.panner.section is None
