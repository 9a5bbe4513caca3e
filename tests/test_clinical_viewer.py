"""The ClinicalViewer widget, the linked DayViews and the mimic table, driven as a lesson would."""

import re

import pytest
from own_loop import run_on_own_loop

from widgets.core.clinical.stages import clinical_stage_on, days_in_stage
from widgets.core.clinical.tones import palette
from widgets.views.clinical_mimics import mimic_clues
from widgets.views.clinical_viewer import ClinicalViewer
from widgets.views.day_views import DayViews
from widgets.views.slide_viewer import ChoiceError


@pytest.fixture(scope="module")
def day_views():
    return DayViews(tone="V", form="varioliformis", day=0)


def drawn_colour(viewer, kind):
    return viewer.renderer.colours_of(kind)[0]


def test_viewer_draws_every_element_of_its_scene_and_describes_it():
    viewer = ClinicalViewer(stage="adherent crust", form="varioliformis", tone="III")
    assert set(viewer.renderer.kinds) == {e.kind for e in viewer.scene.elements}
    assert drawn_colour(viewer, "skin") == palette("III").skin
    assert viewer.summary_text in re.sub(r"<[^>]+>", "", viewer.description.value)
    assert "not a photograph" in viewer.caption.value
    assert "Course assumption" in viewer.caption.value
    assert "dermnetnz.org" in viewer.photos.value and "Licence" in viewer.photos.value


def test_a_new_scene_replaces_every_polygon_of_the_old_one():
    viewer = ClinicalViewer(stage="follicular papule")
    viewer.stage = "healed"
    assert len(viewer.renderer.polygons.get_paths()) == sum(
        element.count for element in viewer.scene.elements
    )


def test_tone_control_redraws_the_skin_and_the_lesion_rim():
    viewer = ClinicalViewer(stage="central necrosis", tone="I")
    viewer.tone_control.value = "VI"
    assert viewer.tone == "VI"
    assert drawn_colour(viewer, "skin") == palette("VI").skin
    assert drawn_colour(viewer, "rim") == palette("VI").erythema
    assert "Fitzpatrick VI" in viewer.summary_text


def test_labels_switch_off_and_on():
    viewer = ClinicalViewer(stage="healed", form="varioliformis")
    assert viewer.renderer.labels_visible
    texts = {text.get_text() for text in viewer.renderer.labels}
    assert any("Varioliform scar" in text for text in texts)
    viewer.labels.value = False
    assert not viewer.renderer.labels_visible
    viewer.labels.value = True
    assert viewer.renderer.labels_visible


def test_practice_hides_the_answer_then_scores_explains_and_counts_confusions():
    viewer = ClinicalViewer(mode="practice", practice_seed=3)
    unknown = viewer.unknown
    assert not viewer.renderer.labels_visible and viewer.photos.value == ""
    hidden = viewer.summary_text
    assert unknown.stage.value not in hidden and "acne necrotica" not in hidden.lower()
    wrong = next(s for s in ("central necrosis", "healed") if s != unknown.stage.value)
    result = viewer.answer(wrong, "miliaris")
    assert not result.stage_right and "Not quite" in viewer.feedback.value
    assert viewer.renderer.labels_visible and viewer.photos.value
    assert "taken for" in viewer.tally.value
    assert viewer.confusions.most_common(1)[0][:2] == (unknown.stage, viewer.answer_stage.value)
    viewer.next_unknown()
    assert viewer.answer_stage.value is None and not viewer.renderer.labels_visible


def test_bad_values_get_clear_messages():
    viewer = ClinicalViewer()
    with pytest.raises(ChoiceError, match="did you mean 'central necrosis'"):
        viewer.stage = "central necrosys"
    with pytest.raises(ChoiceError, match="skin tone"):
        viewer.tone = "VII"
    with pytest.raises(TypeError, match="link to a CycleExplorer"):
        viewer.link_to(ClinicalViewer())
    with pytest.raises(ValueError, match="practice"):
        viewer.answer("healed", "miliaris")


def test_one_day_slider_moves_model_clinical_view_and_slide(day_views):
    explorer = day_views.explorer
    seen = set()
    for day in range(0, explorer.days, 7):
        day_views.day_slider.value = day
        course = explorer.course
        expected = clinical_stage_on(
            course.stage_on(day),
            explorer.form,
            days_in_stage(course.stage_codes, day),
            course.scenario.scratching,
        )
        assert explorer.day == day
        assert (day_views.clinical.stage, day_views.clinical.shade) == (
            expected.stage.value,
            expected.shade,
        )
        assert day_views.slide.stage == explorer.stage == course.stage_on(day).value
        assert day_views.clinical.renderer.scene is day_views.clinical.scene
        seen.add(expected.stage.value)
    assert len(seen) >= 3, f"a year should pass through several stages, saw {seen}"
    assert f"Day {explorer.day}." in day_views.summary_text


def test_a_linked_day_brings_a_practising_view_back_to_explore(day_views):
    viewer = ClinicalViewer(mode="practice")
    viewer.link_to(day_views.explorer)
    assert viewer.mode == "explore"
    assert viewer.explore_box.layout.display is None
    assert viewer.practice_box.layout.display == "none"


def test_unlinked_clinical_view_stops_following(day_views):
    viewer = ClinicalViewer()
    links = viewer.link_to(day_views.explorer)
    day_views.day_slider.value = 0
    before = viewer.stage
    for link in links:
        link.unlink()
    for day in range(0, day_views.explorer.days, 10):
        day_views.day_slider.value = day
    assert viewer.stage == before


def test_mimic_table_gives_clues_trichoscopy_links_and_the_not_found_statement():
    text = mimic_clues().data
    for words in ("Tufted hairs", "scale", "grouped", "No published trichoscopic", "Licence"):
        assert words in text


def test_day_views_draw_every_picture_ahead_then_a_year_of_days_only_repaints():
    """Drawn ahead while the kernel is idle: a learner's step into a stage costs no drawing,
    and the repainted picture is the one a full draw makes."""
    import asyncio
    import io

    import numpy as np
    from PIL import Image

    def decoded(image: bytes) -> np.ndarray:
        return np.asarray(Image.open(io.BytesIO(image)).convert("RGBA"))

    async def year_of_days() -> tuple[dict, list]:
        views = DayViews(tone="V", form="varioliformis", day=0)
        canvases = {"clinical": views.clinical.figure.canvas, "slide": views.slide.figure.canvas}
        for canvas in (views.explorer.figure.canvas, *canvases.values()):
            canvas._on_front_end_message(canvas, {"type": "ready"}, [])  # as a browser view does
        for _ in range(400):  # the kernel idles: one picture per turn of its loop
            await asyncio.sleep(0)
        draws = dict.fromkeys(canvases, 0)
        sent: dict[str, list[str]] = {name: [] for name in canvases}
        mismatched = []

        def check_frame(name, canvas, content, buffers):
            """A kept picture decodes to exactly the canvas's pixels."""
            sent[name].append(content["image"])
            if (decoded(buffers[0]) != np.asarray(canvas.get_renderer().buffer_rgba())).any():
                mismatched.append((name, "sent"))

        for name, canvas in canvases.items():
            canvas.mpl_connect(
                "draw_event", lambda _, name=name: draws.__setitem__(name, draws[name] + 1)
            )
            canvas.send = lambda content, buffers, name=name, canvas=canvas: check_frame(
                name, canvas, content, buffers
            )
        year = range(views.explorer.days + 1)
        for day in year:
            views.day = day
            await asyncio.sleep(0)
        for images in sent.values():
            assert len(images) >= 3, "the run crosses stages: kept pictures were sent"
            assert set(images) == {"image/webp"}, "drawn ahead, so encoded compactly"
        for day in year[::61]:  # again: is a repainted picture the one a full draw makes?
            views.day = day
            await asyncio.sleep(0)
            for name, canvas in canvases.items():
                shown = np.asarray(canvas.get_renderer().buffer_rgba()).copy()
                canvas.draw_unseen()
                draws[name] -= 1
                if (np.asarray(canvas.get_renderer().buffer_rgba()) != shown).any():
                    mismatched.append((name, day))
        return draws, mismatched

    draws, mismatched = run_on_own_loop(year_of_days())
    assert draws == {"clinical": 0, "slide": 0} and mismatched == []


def test_a_linked_step_into_a_new_stage_sends_every_picture_before_any_text(monkeypatch):
    """The browser lays out new text slowly: the three pictures go out first."""
    import asyncio

    import ipywidgets as W

    sent = []
    send = W.Widget._send

    async def step_into_a_new_stage():
        views = DayViews(tone="III", form="varioliformis", day=0)
        canvases = (
            views.explorer.figure.canvas,
            views.clinical.figure.canvas,
            views.slide.figure.canvas,
        )
        for canvas in canvases:
            canvas._on_front_end_message(canvas, {"type": "ready"}, [])
        for _ in range(400):  # the kernel idles: every picture is drawn ahead
            await asyncio.sleep(0)
        course = views.explorer.course
        days = range(1, views.explorer.days)
        day = next(d for d in days if course.stage_on(d) != course.stage_on(d - 1))
        views.day = day - 1
        await asyncio.sleep(0)
        monkeypatch.setattr(
            W.Widget,
            "_send",
            lambda self, msg, buffers=None: (sent.append((self, msg)), send(self, msg, buffers)),
        )
        views.day = day
        await asyncio.sleep(0)
        return canvases

    canvases = run_on_own_loop(step_into_a_new_stage())
    frames = [
        i
        for i, (widget, msg) in enumerate(sent)
        if widget in canvases and msg["method"] == "custom"
    ]
    texts = [i for i, (widget, _) in enumerate(sent) if isinstance(widget, W.HTML)]
    assert {sent[i][0] for i in frames} == set(canvases), "all three views show the new day"
    assert texts and max(frames) < min(texts)
