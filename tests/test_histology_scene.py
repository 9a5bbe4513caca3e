"""The virtual biopsy's scenes show what the medical brief says each slide shows (§4, §5)."""

import subprocess
import sys

import pytest

from widgets.core.histology import CONDITIONS, biopsy_scene, comparison_scene
from widgets.core.histology.findings import LEVEL_DEPTH_MM
from widgets.core.model.forms import Form
from widgets.core.model.stages import Stage

FORMS = [form.value for form in Form]
ISTHMUS_MM = LEVEL_DEPTH_MM["isthmus"]


@pytest.mark.parametrize("form", FORMS)
def test_early_papule_is_lymphocytic_without_neutrophils(form):
    scene = biopsy_scene("early", form)
    assert scene.count("lymphocytes") >= 50
    assert scene.has("lymphocytes", "perifollicular dermis")
    assert scene.has("spongiosis", "follicle epithelium")
    assert scene.has("necrotic keratinocytes", "follicle epithelium")
    assert scene.has("oedema", "papillary dermis")
    assert not scene.has("neutrophils")
    assert any("neutrophils" in absent for absent in scene.not_seen)


@pytest.mark.parametrize("form", FORMS)
def test_evolving_lesion_spreads_necrosis_with_vesicle_and_haemorrhage(form):
    scene = biopsy_scene("necrotic", form)
    for kind in ("necrosis", "vesicle", "red cells"):
        assert scene.has(kind), kind
    necrosis = scene.of_kind("necrosis")[0]
    assert "sebaceous duct" in necrosis.label and "epidermis" in necrosis.label
    # a few neutrophils at most, and only inside the vesicopustule
    assert 0 < scene.count("neutrophils") < scene.count("lymphocytes") / 5
    assert all(feature.region == "follicle lumen" for feature in scene.of_kind("neutrophils"))


@pytest.mark.parametrize("form", FORMS)
def test_crusted_lesion_has_crust_and_a_mixed_infiltrate_with_neutrophils(form):
    scene = biopsy_scene("crusted", form)
    assert scene.has("crust", "surface")
    assert scene.has("necrosis")
    assert scene.count("neutrophils") >= 40
    assert scene.count("lymphocytes") >= 40
    assert scene.count("neutrophils") > biopsy_scene("necrotic", form).count("neutrophils")


def test_form_sets_how_deep_the_necrosis_reaches():
    for stage in ("early", "necrotic", "crusted"):
        superficial = biopsy_scene(stage, "miliaris")
        deep = biopsy_scene(stage, "varioliformis")
        kind = "necrosis" if superficial.has("necrosis") else "necrotic keratinocytes"
        # miliaris: infundibulum and sebaceous duct; varioliformis: down the follicle
        assert max(f.depth_mm for f in superficial.of_kind(kind)) < ISTHMUS_MM
        assert max(f.depth_mm for f in deep.of_kind(kind)) > ISTHMUS_MM + 1.0


def test_miliaris_heals_with_an_intact_follicle():
    for stage in ("healing", "quiet"):
        scene = biopsy_scene(stage, "miliaris")
        assert scene.has("follicle epithelium", "bulb")
        assert scene.has("hair shaft") and scene.has("sebaceous gland")
        assert not scene.has("fibrosis")
    healing = biopsy_scene("healing", "miliaris")
    assert healing.has("re-epithelialisation") and not healing.has("crust")
    assert healing.count("lymphocytes") < biopsy_scene("early", "miliaris").count("lymphocytes")


@pytest.mark.parametrize("stage", ["healing", "scarred"])
def test_deep_lesions_lose_the_follicle_to_fibrosis(stage):
    scene = biopsy_scene(stage, "varioliformis")
    assert not scene.has("follicle epithelium")
    assert not scene.has("sebaceous gland")
    assert not scene.has("hair shaft")
    assert scene.has("fibrosis")
    assert scene.of_kind("fibrosis")[0].depth_mm > ISTHMUS_MM


def test_scar_has_a_depressed_surface_and_remnant_hair_fragments():
    scene = biopsy_scene("scarred", "varioliformis")
    assert scene.has("depressed surface")
    assert 0 < scene.count("hair fragments") <= 5
    epidermis = scene.of_kind("epidermis")[0]
    surface_at_scar = max(y for x, y in epidermis.shapes[0] if abs(x - 2.0) < 0.05)
    assert surface_at_scar < -0.1


def test_quiet_scalp_shows_no_disease():
    scene = biopsy_scene("quiet", "varioliformis")
    assert not any(feature.finding for feature in scene.features)
    assert scene.has("follicle epithelium", "infundibulum")


def test_a_scar_in_the_miliaris_form_says_it_is_unusual():
    scene = biopsy_scene("scarred", "miliaris")
    assert scene.has("fibrosis")
    assert "usually heals without scarring" in scene.note


@pytest.mark.parametrize("stage", list(Stage))
@pytest.mark.parametrize("form", list(Form))
def test_every_finding_cites_the_brief_or_says_it_is_drawn_for_teaching(stage, form):
    for feature in biopsy_scene(stage, form).features:
        if feature.finding:
            assert feature.refs or "drawn for teaching" in feature.label, feature.label


def test_comparison_slides_show_their_hallmarks():
    fd = comparison_scene("folliculitis decalvans")
    assert fd.has("neutrophils", "follicle lumen") and fd.count("neutrophils") >= 40
    assert fd.count("hair tuft") >= 5
    assert not fd.has("sebaceous gland")

    lpp = comparison_scene("lichen planopilaris")
    assert lpp.has("lymphocytes", "follicular interface")
    assert lpp.has("concentric fibrosis")
    assert not lpp.has("sebaceous gland")
    assert not lpp.has("crust") and not lpp.has("necrosis") and not lpp.has("neutrophils")

    herpes = comparison_scene("herpes folliculitis")
    assert herpes.has("lymphocytes") and herpes.has("necrotic keratinocytes")
    assert herpes.has("multinucleated cells")
    assert "often missing" in herpes.of_kind("multinucleated cells")[0].label
    assert herpes.of_kind("multinucleated cells")[0].refs == (43,)

    bacterial = comparison_scene("bacterial folliculitis")
    assert bacterial.has("pustule", "follicle lumen")
    assert bacterial.has("neutrophils", "follicle lumen") and bacterial.has("bacteria")
    assert bacterial.has("sebaceous gland")


def test_cells_sit_in_their_region():
    scene = biopsy_scene("early", "varioliformis")
    lymphocytes = scene.of_kind("lymphocytes")[0].xy()
    assert (abs(lymphocytes[:, 0] - 2.0) > 0.15).all(), "perifollicular cells stay outside the wall"
    neutrophils = comparison_scene("bacterial folliculitis").of_kind("neutrophils")[0].xy()
    assert (abs(neutrophils[:, 0] - 2.0) < 0.25).all() and (neutrophils[:, 1] < 0).all()


def test_the_same_seed_gives_the_same_scene_and_another_seed_moves_the_cells():
    assert biopsy_scene("crusted", "miliaris", seed=3) == biopsy_scene(
        "crusted", "miliaris", seed=3
    )
    one = biopsy_scene("crusted", "miliaris", seed=3).of_kind("lymphocytes")[0]
    other = biopsy_scene("crusted", "miliaris", seed=4).of_kind("lymphocytes")[0]
    assert one.count == other.count
    assert one.points != other.points


def test_names_are_forgiving_about_case_and_enums_work_too():
    assert biopsy_scene(" Early ", "MILIARIS") == biopsy_scene(Stage.EARLY, Form.MILIARIS)
    assert comparison_scene("Lichen  Planopilaris").condition == "lichen planopilaris"


def test_misspelt_names_get_a_message_listing_the_valid_ones():
    with pytest.raises(ValueError, match="Valid stages: 'quiet', 'early', 'necrotic'"):
        biopsy_scene("erly", "miliaris")
    with pytest.raises(ValueError, match="'miliaris', 'varioliformis'"):
        biopsy_scene("early", "milaris")
    with pytest.raises(ValueError, match="did you mean 'folliculitis decalvans'") as error:
        comparison_scene("folliculitis decalvan")
    for condition in CONDITIONS:
        assert condition in str(error.value)
    with pytest.raises(TypeError, match="must be text"):
        comparison_scene(3)
    with pytest.raises(ValueError, match="seed must be a whole number"):
        biopsy_scene("early", "miliaris", seed=-1)


def test_scene_modules_load_neither_matplotlib_nor_ipywidgets():
    code = (
        "import sys, widgets.core.histology, widgets.core.histology.describe; "
        "print(any(m in sys.modules for m in ('matplotlib', 'ipywidgets')))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert loaded == "False"
