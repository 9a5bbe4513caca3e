"""Skin tones: the brief's colour rules hold, and every lesion element stays visible on all six."""

import itertools

import pytest

from widgets.core.clinical import CLINICAL_ORDER, Tone, clinical_scene
from widgets.core.clinical.tones import MIN_LESION_CONTRAST, PALETTES, palette
from widgets.core.colour import (
    CVD_SIMULATIONS,
    colour_difference,
    hex_to_linear,
    linear_to_lab,
    smallest_difference,
)
from widgets.core.model.forms import Form

SHADES = ("darker", "paler")


def lightness(colour: str) -> float:
    return float(linear_to_lab(hex_to_linear(colour))[0])


def hue_angle(colour: str) -> float:
    import numpy as np

    _, a, b = linear_to_lab(hex_to_linear(colour))
    return float(np.degrees(np.arctan2(b, a)) % 360)


@pytest.mark.parametrize(
    "stage,form,tone,shade", list(itertools.product(CLINICAL_ORDER, Form, Tone, SHADES))
)
def test_lesion_stays_distinguishable_from_what_it_lies_on(stage, form, tone, shade):
    scene = clinical_scene(stage, form, tone, shade=shade)
    assert scene.too_faint() == {}, (
        f"CIEDE2000 below {MIN_LESION_CONTRAST} (normal, protan or deutan)"
    )


def test_the_contrast_check_can_fail():
    assert smallest_difference("#7b4e33", "#7d5035") < MIN_LESION_CONTRAST
    protan = CVD_SIMULATIONS["protanopia"]
    assert colour_difference("#c0504d", "#8a8a4a", protan) < colour_difference("#c0504d", "#8a8a4a")


def test_skin_darkens_from_type_one_to_six():
    values = [lightness(PALETTES[tone].skin) for tone in Tone]
    assert values == sorted(values, reverse=True)
    assert values[0] - values[-1] > 40


@pytest.mark.parametrize("tone", [Tone.I, Tone.II])
def test_erythema_is_red_on_light_skin(tone):
    colours = palette(tone)
    assert hue_angle(colours.erythema) < 45 and lightness(colours.erythema) < lightness(
        colours.skin
    )


@pytest.mark.parametrize("tone", [Tone.V, Tone.VI])
def test_erythema_is_violaceous_and_darker_than_the_skin_on_dark_skin(tone):
    colours = palette(tone)
    assert lightness(colours.erythema) < lightness(colours.skin) - 8
    assert (
        hue_angle(colours.erythema) < hue_angle(colours.skin) or hue_angle(colours.erythema) > 300
    ), "shifted from brown towards purple"
    light_red = hue_angle(palette("I").erythema)
    assert abs(hue_angle(colours.erythema) - light_red) > 5


@pytest.mark.parametrize("tone", [Tone.III, Tone.IV, Tone.V, Tone.VI])
def test_healing_leaves_hyperpigmentation_or_hypopigmentation_on_darker_skin(tone):
    colours = palette(tone)
    assert lightness(colours.darker_macule) < lightness(colours.skin) - 5
    assert lightness(colours.paler_macule) > lightness(colours.skin) + 5


@pytest.mark.parametrize("tone", Tone)
def test_an_old_scar_is_paler_than_the_skin(tone):
    colours = palette(tone)
    assert lightness(colours.old_scar) > lightness(colours.skin)


def test_light_skin_heals_pink_and_scars_pink_early():
    colours = palette("I")
    for colour in (colours.darker_macule, colours.recent_scar):
        assert hue_angle(colour) < 45 and lightness(colour) < lightness(colours.skin)


@pytest.mark.parametrize("tone", [Tone.V, Tone.VI])
def test_a_recent_scar_on_dark_skin_has_a_dark_rim_and_a_pale_centre(tone):
    scene = clinical_scene("healed", "varioliformis", tone, shade="darker")
    assert lightness(scene.of_kind("scar")[0].colour) < lightness(scene.skin)
    assert lightness(scene.of_kind("scar centre")[0].colour) > lightness(scene.skin)


def test_white_dots_show_only_on_dark_scalp():
    assert [palette(tone).white_dots for tone in Tone] == [False] * 4 + [True] * 2
    assert clinical_scene("normal scalp", tone="VI").has("white dots")
    assert not clinical_scene("normal scalp", tone="II").has("white dots")


def test_a_typo_in_the_tone_table_is_named_when_the_data_loads(tmp_path):
    from widgets.core.clinical.tones import PALETTE_FILE, ToneDataError, load_palettes

    text = PALETTE_FILE.read_text(encoding="utf-8")
    for broken, message in (
        (text.replace('skin = "#7b4e33"', 'skin = "#7b4e3"', 1), r"\[V\] skin"),
        (text.replace("erythema =", "erythem =", 1), "unknown fields"),
        (text.replace("[VI]", "[VII]", 1), "exactly the tones"),
    ):
        path = tmp_path / "tones.toml"
        path.write_text(broken, encoding="utf-8")
        with pytest.raises(ToneDataError, match=message):
            load_palettes(path)
