"""The mimics' close-ups draw the signs the briefs source, stand out on every tone, and say so."""

import itertools
import re

import numpy as np
import pytest

from widgets.core.choices import UnknownChoiceError
from widgets.core.clinical.describe import summary
from widgets.core.clinical.mimic_scenes import (
    MIMIC_CLOSE_UPS,
    WHITE_SCALE,
    YELLOWISH_SCALE,
    mimic_scene,
)
from widgets.core.clinical.tones import MIN_LESION_CONTRAST, Tone
from widgets.core.knowledge import load_knowledge


def _inside(points, shape) -> bool:
    """Whether every point lies inside the polygon ``shape`` (ray casting)."""
    xs, ys = np.array(shape).T
    inside = []
    for px, py in points:
        crossings = ((ys > py) != (np.roll(ys, 1) > py)) & (
            px < (np.roll(xs, 1) - xs) * (py - ys) / (np.roll(ys, 1) - ys + 1e-12) + xs
        )
        inside.append(bool(crossings.sum() % 2))
    return inside


def _centres(element):
    return [tuple(np.array(shape).mean(axis=0)) for shape in element.shapes]


@pytest.mark.parametrize("name,tone", list(itertools.product(MIMIC_CLOSE_UPS, Tone)))
def test_each_sign_stays_distinguishable_from_what_it_lies_on(name, tone):
    scene = mimic_scene(name, tone)
    assert scene.too_faint() == {}, (
        f"CIEDE2000 below {MIN_LESION_CONTRAST} (normal, protan or deutan)"
    )


def test_decalvans_shows_a_tuft_of_hairs_from_one_opening_and_pustules_at_a_bare_patch():
    scene = mimic_scene("folliculitis decalvans", "III")
    tuft = scene.of_kind("tufted hairs")[0]
    roots = {tuple(np.round(np.array(hair)[[0, 3]].mean(axis=0), 2)) for hair in tuft.shapes}
    assert tuft.count >= 5 and roots == {(0.0, 0.0)}, "several hairs, one root"
    assert scene.of_kind("scale collar")[0].colour == YELLOWISH_SCALE
    assert scene.of_kind("pustules")[0].count >= 2 and scene.has("crust")
    patch = scene.of_kind("bare patch")[0].shapes[0]
    openings = _centres(scene.of_kind("follicular openings")[0])
    assert not any(_inside(openings, patch)), "no follicular opening survives in the scar"


def test_planopilaris_rings_its_follicles_with_white_scale_and_has_no_pustule_or_crust():
    scene = mimic_scene("lichen planopilaris", "I")
    scale, erythema = scene.of_kind("white scale")[0], scene.of_kind("perifollicular erythema")[0]
    assert scale.colour == WHITE_SCALE and scale.count == erythema.count >= 5
    assert not scene.has("pustules") and not scene.has("crust")
    patch = scene.of_kind("bare patch")[0].shapes[0]
    assert not any(_inside(_centres(scene.of_kind("follicular openings")[0]), patch))


def test_herpes_lesions_are_grouped_and_most_have_no_vesicle():
    scene = mimic_scene("herpes folliculitis", "VI")
    lesions = scene.of_kind("grouped lesions")[0]
    assert all(np.hypot(x, y) < 2.2 for x, y in _centres(lesions)), "a tight group"
    assert scene.of_kind("vesicles")[0].count < lesions.count / 2, "often without vesicles [5]"
    assert any("No description of herpes simplex" in note for note in scene.assumptions)


@pytest.mark.parametrize("name", MIMIC_CLOSE_UPS)
def test_every_label_cites_known_references_and_the_drawing_says_it_is_an_illustration(name):
    scene = mimic_scene(name)
    known = set(load_knowledge().references)
    for element in (element for element in scene.elements if element.refs):
        cited = {int(n) for n in re.findall(r"\d+", element.label.rpartition("[")[2])}
        assert set(element.refs) <= known and cited == set(element.refs), element.label
    text = summary(scene)
    assert (
        text.startswith(f"{name.capitalize()} (a mimic)")
        and "Illustration, not a photograph" in text
    )
    assert any(
        "the sources name the signs, not their measurements" in note for note in scene.assumptions
    )


def test_the_same_seed_draws_the_same_scene_and_bad_input_is_named():
    assert mimic_scene("lichen planopilaris", "II", 3) == mimic_scene(
        "Lichen  Planopilaris", "II", 3
    )
    assert mimic_scene("lichen planopilaris", "II", 3) != mimic_scene(
        "lichen planopilaris", "II", 4
    )
    with pytest.raises(UnknownChoiceError, match="did you mean 'lichen planopilaris'"):
        mimic_scene("lichen planus")
    with pytest.raises(ValueError, match="seed"):
        mimic_scene("herpes folliculitis", seed=-1)


def test_the_close_up_view_redraws_all_three_when_the_tone_changes():
    from widgets.views.clinical_mimics import MimicCloseUps

    view = MimicCloseUps("I")
    light = view.image.value
    view.tone_control.value = "VI"
    assert view.image.value != light and view.summary_text.count("Fitzpatrick VI skin") == 3
    assert "Course assumption" in view.description.value
