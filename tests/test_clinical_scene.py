"""The clinical close-up's scenes, checked against the clinical-appearance brief's table (§6)."""

import itertools

import numpy as np
import pytest

from widgets.core.clinical import CLINICAL_ORDER, ClinicalStage, Tone, clinical_scene
from widgets.core.clinical.describe import assumptions_note, summary
from widgets.core.clinical.scene import EXTENT, PATCH_MM, SCALE_BAR_MM
from widgets.core.clinical.stages import (
    EXCORIATION_SCRATCHING,
    FACTS,
    ClinicalDay,
    clinical_stage_on,
    days_in_stage,
)
from widgets.core.model.forms import Form
from widgets.core.model.stages import Stage

ALL = list(itertools.product(CLINICAL_ORDER, Form, Tone))
SEEDS = range(6)


def test_same_seed_same_scene_and_other_seed_other_outline():
    first = clinical_scene("central necrosis", "varioliformis", "IV", seed=3)
    assert clinical_scene("central necrosis", "varioliformis", "IV", seed=3) == first
    other = clinical_scene("central necrosis", "varioliformis", "IV", seed=4)
    assert other.of_kind("rim")[0].shapes != first.of_kind("rim")[0].shapes


@pytest.mark.parametrize("seed", SEEDS)
def test_papule_is_one_to_two_mm_with_one_central_hair(seed):
    scene = clinical_scene("follicular papule", "miliaris", "II", seed)
    assert 1.0 <= scene.diameter_mm <= 2.0
    assert scene.hairs_in_lesion == 1 and not scene.has("crust")
    assert scene.depression_mm == 0


@pytest.mark.parametrize(
    "stage", [ClinicalStage.UMBILICATED, ClinicalStage.NECROSIS, ClinicalStage.CRUST]
)
@pytest.mark.parametrize("seed", SEEDS)
def test_developed_lesions_are_two_to_five_mm_and_larger_in_varioliformis(stage, seed):
    miliaris = clinical_scene(stage, "miliaris", "I", seed)
    varioliformis = clinical_scene(stage, "varioliformis", "I", seed)
    assert 2.0 <= miliaris.diameter_mm <= 3.0 <= varioliformis.diameter_mm <= 5.0


def test_umbilicated_lesion_is_a_vesicopustule_in_miliaris_and_a_dimple_in_varioliformis():
    miliaris = clinical_scene("umbilicated papule", "miliaris", "III")
    varioliformis = clinical_scene("umbilicated papule", "varioliformis", "III")
    assert "Vesicopustule" in miliaris.of_kind("pustule")[0].label
    for scene in (miliaris, varioliformis):
        assert scene.has("dimple") and scene.has("pustule")
    share = [
        np.ptp(np.array(s.of_kind("pustule")[0].shapes[0])[:, 0]) / s.diameter_mm
        for s in (miliaris, varioliformis)
    ]
    assert share[0] > share[1], "the miliaris vesicopustule fills more of the lesion"


def test_necrosis_has_a_dark_centre_and_a_broken_central_hair():
    scene = clinical_scene("central necrosis", "varioliformis", "II")
    assert scene.has("necrosis") and scene.broken_hairs == 1
    assert not scene.has("hair") or scene.hairs_in_lesion == 1  # the stub, no whole hair


@pytest.mark.parametrize("tone", Tone)
def test_crust_caps_the_lesion_in_one_colour_on_every_tone_and_no_hair_goes_through(tone):
    scene = clinical_scene("adherent crust", "varioliformis", tone)
    assert scene.has("crust") and scene.hairs_in_lesion == 0 and scene.openings_in_lesion == 0
    light = clinical_scene("adherent crust", "varioliformis", "I")
    assert scene.of_kind("crust")[0].colour == light.of_kind("crust")[0].colour
    if tone is not Tone.I:
        assert scene.of_kind("rim")[0].colour != light.of_kind("rim")[0].colour


def test_excoriation_is_linear_erosions_with_crust_and_broken_hairs():
    scene = clinical_scene("excoriated", "miliaris", "V")
    erosions = scene.of_kind("erosion")[0]
    assert erosions.count >= 2 and scene.has("crust") and scene.broken_hairs > 0
    for shape in erosions.shapes:
        xy = np.array(shape)
        extent = np.ptp(xy @ np.linalg.svd(xy - xy.mean(axis=0))[2].T, axis=0)
        assert extent[0] > 3 * extent[1], "an excoriation is long and narrow"


@pytest.mark.parametrize("tone", Tone)
def test_miliaris_heals_flat_with_hair_kept(tone):
    scene = clinical_scene("healed", "miliaris", tone)
    assert scene.depression_mm == 0 and scene.has("macule")
    assert scene.hairs_in_lesion >= 1 and scene.openings_in_lesion >= 1
    assert not scene.has("scar")


@pytest.mark.parametrize("tone", Tone)
@pytest.mark.parametrize("shade", ["darker", "paler"])
def test_varioliformis_heals_as_a_hairless_punched_out_pit(tone, shade):
    scene = clinical_scene("healed", "varioliformis", tone, shade=shade)
    assert scene.depression_mm > 0 and scene.has("scar") and scene.has("pit shadow")
    assert scene.hairs_in_lesion == 0 and scene.openings_in_lesion == 0
    assert 1.0 <= scene.diameter_mm <= 5.0
    outline = np.array(scene.of_kind("scar")[0].shapes[0])
    radii = np.hypot(*outline.T)
    assert np.ptp(radii) < 0.1 * radii.mean(), "a varioliform scar is round and sharply edged"


@pytest.mark.parametrize("stage,form,tone", ALL)
def test_every_scene_stays_in_its_patch_with_openings_and_hair_around(stage, form, tone):
    scene = clinical_scene(stage, form, tone)
    points = np.vstack([np.array(s) for e in scene.elements for s in e.shapes])
    left, right, bottom, top = EXTENT
    assert points[:, 0].min() >= left - 1e-6 and points[:, 0].max() <= right + 1e-6
    assert points[:, 1].min() >= bottom - 1e-6 and points[:, 1].max() <= top + 1e-6
    assert scene.of_kind("follicular openings")[0].count > 40
    assert scene.of_kind("hair")[0].count > 60
    assert scene.of_kind("skin")[0].colour == scene.skin


def test_normal_scalp_has_no_lesion():
    scene = clinical_scene("normal scalp", "miliaris", "III")
    assert scene.lesion_elements == () and scene.diameter_mm == 0


@pytest.mark.parametrize("stage", CLINICAL_ORDER)
def test_every_stage_lists_its_course_assumptions_and_calls_itself_an_illustration(stage):
    scene = clinical_scene(stage, "varioliformis", "VI")
    notes = assumptions_note(scene)
    assert "not a photograph" in notes[0]
    assert all(note.startswith("Course assumption: ") for note in notes[1:])
    assert len(notes) > len(FACTS[stage].assumptions)


@pytest.mark.parametrize("stage", CLINICAL_ORDER[1:])
def test_the_practice_description_says_what_is_drawn_but_not_what_it_is(stage):
    scene = clinical_scene(stage, "varioliformis", "II")
    hidden = summary(scene, reveal=False)
    shown = summary(scene, reveal=True)
    facts = FACTS[stage]
    assert f"{PATCH_MM:g} by {PATCH_MM:g} mm" in hidden and f"{SCALE_BAR_MM:g} mm" in hidden
    assert "not a photograph" in hidden
    for word in (stage.value, facts.name(Form.VARIOLIFORMIS), "varioliformis", "acne necrotica"):
        assert word not in hidden.lower()
    assert facts.name(Form.VARIOLIFORMIS).lower() in shown.lower()


def test_bad_choices_get_clear_messages():
    with pytest.raises(ValueError, match="did you mean 'central necrosis'"):
        clinical_scene("central necrossis")
    with pytest.raises(ValueError, match="Valid skin tones"):
        clinical_scene("healed", tone="VII")
    with pytest.raises(ValueError, match="seed"):
        clinical_scene("healed", seed=-1)


@pytest.mark.parametrize(
    "stage,days_in,scratching,expected",
    [
        (Stage.QUIET, 0, 0.0, ClinicalDay(ClinicalStage.NORMAL, Form.MILIARIS)),
        (Stage.EARLY, 0, 0.0, ClinicalDay(ClinicalStage.PAPULE, Form.MILIARIS)),
        (Stage.EARLY, 3, 0.0, ClinicalDay(ClinicalStage.UMBILICATED, Form.MILIARIS)),
        (Stage.NECROTIC, 1, 0.0, ClinicalDay(ClinicalStage.NECROSIS, Form.MILIARIS)),
        (Stage.CRUSTED, 5, 0.2, ClinicalDay(ClinicalStage.CRUST, Form.MILIARIS)),
        (
            Stage.CRUSTED,
            5,
            EXCORIATION_SCRATCHING,
            ClinicalDay(ClinicalStage.EXCORIATED, Form.MILIARIS),
        ),
        (Stage.HEALING, 5, 0.0, ClinicalDay(ClinicalStage.HEALED, Form.MILIARIS, "darker")),
        (Stage.SCARRED, 5, 0.0, ClinicalDay(ClinicalStage.HEALED, Form.MILIARIS, "paler")),
    ],
)
def test_model_days_map_to_the_clinical_stage(stage, days_in, scratching, expected):
    assert clinical_stage_on(stage, "miliaris", days_in, scratching) == expected


def test_days_in_stage_counts_from_the_stage_start():
    codes = np.array([0, 0, 1, 1, 1, 2, 2])
    assert [days_in_stage(codes, day) for day in range(7)] == [0, 1, 0, 1, 2, 0, 1]
