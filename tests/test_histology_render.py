"""The renderer draws exactly the scene it is given, in place, and the same seed draws the same slide."""

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from test_accessibility import confusable_pairs

from widgets.core.histology import biopsy_scene, comparison_scene
from widgets.core.histology.describe import View, key_entries, summary
from widgets.core.histology.scene import SECTION_EXTENT
from widgets.views.figures import KEPT_SCENES
from widgets.views.slide_renderer import (
    MARKER_SPACING_MM,
    STAIN,
    SlideRenderer,
    marker_positions,
)


@pytest.fixture
def renderer():
    figure = Figure(figsize=(4.3, 5.3))
    FigureCanvasAgg(figure)
    return SlideRenderer(figure.add_subplot())


def _drawn_cells(renderer, kind):
    return np.concatenate([artist.get_offsets() for artist in renderer.artists[kind]])


def test_every_feature_of_the_scene_is_drawn_and_nothing_else(renderer):
    scene = biopsy_scene("crusted", "varioliformis")
    renderer.show(scene)
    assert set(renderer.artists) == {feature.kind for feature in scene.features}
    shapes = sum(len(f.shapes) for f in scene.of_kind("necrosis"))
    assert sum(len(a.get_paths()) for a in renderer.artists["necrosis"]) == shapes
    lymphocytes = scene.of_kind("lymphocytes")[0].xy()
    assert np.allclose(_drawn_cells(renderer, "lymphocytes"), lymphocytes)
    renderer.ax.figure.canvas.draw()


def _visible(renderer) -> set:
    return {artist for artist in renderer.ax.get_children() if artist.get_visible()}


def test_a_new_scene_hides_the_old_one_and_a_scene_shown_again_reuses_its_artists(renderer):
    crusted = biopsy_scene("crusted", "miliaris")
    renderer.show(crusted)
    crusted_artists = {a for group in renderer.artists.values() for a in group}
    renderer.show(biopsy_scene("early", "miliaris"))
    assert "crust" not in renderer.artists and "neutrophils" not in renderer.artists
    assert not crusted_artists & _visible(renderer), "the last scene's artists are hidden"
    crowded = len(renderer.ax.get_children())
    renderer.show(crusted)
    assert {a for group in renderer.artists.values() for a in group} == crusted_artists
    assert len(renderer.ax.get_children()) == crowded, "nothing was built again"


def test_the_artists_kept_for_scenes_shown_before_stay_bounded(renderer):
    renderer.show(biopsy_scene("crusted", "miliaris", seed=0))
    one_scene = len(renderer.ax.get_children())
    for seed in range(1, 3 * KEPT_SCENES):
        renderer.show(biopsy_scene("crusted", "miliaris", seed=seed))
    assert len(renderer.ax.get_children()) <= KEPT_SCENES * one_scene


def test_same_seed_draws_the_same_cells_and_another_seed_jitters_them(renderer):
    renderer.show(biopsy_scene("early", "miliaris", seed=1))
    first = _drawn_cells(renderer, "lymphocytes").copy()
    renderer.show(biopsy_scene("early", "miliaris", seed=1))
    assert np.array_equal(first, _drawn_cells(renderer, "lymphocytes"))
    renderer.show(biopsy_scene("early", "miliaris", seed=2))
    again = _drawn_cells(renderer, "lymphocytes")
    assert again.shape == first.shape and not np.allclose(first, again)


def test_labels_are_one_marker_per_labelled_feature_and_can_be_hidden(renderer):
    scene = comparison_scene("folliculitis decalvans")
    renderer.show(scene)
    assert [m.get_text() for m in renderer.markers] == list(scene.marker_names)
    assert scene.marker_names[0] == "1" and "A" in scene.marker_names
    assert renderer.labels_visible
    renderer.set_labels(False)
    assert not any(marker.get_visible() for marker in renderer.markers)
    renderer.show(scene, labels=False)
    assert not renderer.labels_visible


def test_markers_do_not_sit_on_top_of_each_other():
    for scene in (biopsy_scene("necrotic", "miliaris"), comparison_scene("bacterial folliculitis")):
        positions = np.array(marker_positions(scene))
        gaps = np.hypot(*(positions[:, None, :] - positions[None, :, :]).transpose(2, 0, 1))
        np.fill_diagonal(gaps, np.inf)
        assert gaps.min() >= MARKER_SPACING_MM - 1e-9


def test_zoom_moves_the_limits_and_shrinks_the_scale_bar(renderer):
    renderer.show(biopsy_scene("early", "miliaris"))
    assert renderer.ax.get_xlim() == SECTION_EXTENT[:2]
    assert renderer.scale_text.get_text() == "1 mm"
    renderer.set_view(1.5, 2.5, -1.0, 0.25)
    assert renderer.ax.get_xlim() == (1.5, 2.5) and renderer.ax.get_ylim() == (-1.0, 0.25)
    assert renderer.scale_text.get_text() == "0.2 mm"
    xs = renderer.scale_bar.get_xdata()
    assert xs[1] - xs[0] == pytest.approx(0.2)


def test_key_lists_findings_with_references_and_depth():
    entries = dict(key_entries(biopsy_scene("early", "varioliformis")))
    assert entries["1"].startswith("Perifollicular lymphocytes")
    assert "(down to the bulb)" in entries["1"] and entries["1"].endswith("[2, 5, 12]")
    superficial = dict(key_entries(biopsy_scene("early", "miliaris")))
    assert "(down to the isthmus)" in superficial["1"]


def test_summary_describes_the_view_and_hides_the_name_of_an_unknown_slide():
    scene = biopsy_scene("crusted", "miliaris")
    whole = View(*SECTION_EXTENT)
    text = summary(scene, whole)
    assert "not a photomicrograph" in text and "crusted lesion" in text.lower()
    assert "Adherent crust" in text and "neutrophils" in text
    hidden = summary(scene, whole, reveal=False)
    assert "crusted" not in hidden.lower()
    assert "crust in the surface" in hidden and "neutrophils in the perifollicular dermis" in hidden
    deep_window = View(0.2, 1.2, -4.5, -3.3, whole=False)
    deep = summary(scene, deep_window)
    assert "high power" in deep and "Adherent crust" not in deep and "Subcutis" in deep


def test_stain_tints_stay_apart_for_colour_blind_viewers():
    assert confusable_pairs(tuple(STAIN.values())) == []
