"""The scalp map shows where conditions sit and lets a simulated flare come and go."""

import ipywidgets as W
import numpy as np
import pytest
import traitlets

from widgets import ScalpMap
from widgets.core.model import Form
from widgets.views.scalp_map import MODES, cluster_layout


def _filled(scalp):
    return {
        region
        for region, patches in scalp.region_patches.items()
        if patches[0].get_facecolor()[:3] != (1.0, 1.0, 1.0)
    }


def test_typical_sites_come_from_the_knowledge_data():
    scalp = ScalpMap(condition="folliculitis decalvans")
    assert _filled(scalp) == {"vertex", "occiput"}
    scalp.condition.value = "acne necrotica miliaris"
    assert _filled(scalp) == {"frontal hairline", "occiput", "nape"}
    assert scalp.region_patches["frontal hairline"][0].get_hatch() == "//"
    assert "hallmark: frontal hairline" in scalp.summary_text
    scalp.condition.value = "malassezia folliculitis"
    assert _filled(scalp) == {"trunk"}


def test_clusters_sit_mostly_on_the_frontal_hairline():
    layout = cluster_layout(Form.MILIARIS)
    regions = np.array(layout.regions)
    assert np.mean(regions == "frontal hairline") > 0.6
    assert "vertex" not in regions
    assert np.array_equal(layout.positions, cluster_layout(Form.MILIARIS).positions)


@pytest.fixture(scope="module")
def simulated():
    return ScalpMap(mode="simulated patient")


def test_day_slider_changes_the_coloured_lesions(simulated):
    simulated.day_slider.value = 0
    quiet = simulated.clusters.get_facecolors().copy()
    simulated.day_slider.value = 40
    assert simulated.day == 40
    flaring = simulated.clusters.get_facecolors().copy()
    assert not np.array_equal(quiet, flaring)
    assert "day 40" in simulated.summary_text and "active" in simulated.summary_text
    assert "0 of 400 follicle clusters active" not in simulated.summary_text


def test_a_flare_comes_and_goes(simulated):
    active_counts = []
    for day in range(0, simulated.day_slider.max + 1, 5):
        simulated.day = day
        active_counts.append(int(simulated.summary_text.split(" of 400")[0].split(": ")[-1]))
    assert max(active_counts) > min(active_counts[1:]) + 5


def test_day_can_be_linked_from_another_widget(simulated):
    source = W.IntSlider(value=10, min=0, max=365)
    link = W.dlink((source, "value"), (simulated, "day"))
    source.value = 77
    assert simulated.day_slider.value == 77 and "day 77" in simulated.summary_text
    link.unlink()


def test_day_outside_the_simulation_is_refused(simulated):
    with pytest.raises(traitlets.TraitError, match="outside the simulated year"):
        simulated.day = 9999


def test_switching_modes_hides_the_clusters(simulated):
    simulated.mode.value = MODES[0]
    assert not simulated.clusters.get_visible() and simulated.highlighted
    simulated.mode.value = MODES[1]
    assert simulated.clusters.get_visible() and simulated.highlighted == ()


def test_bad_choices_are_refused_clearly():
    with pytest.raises(ValueError, match="unknown mode"):
        ScalpMap(mode="simulated")
    with pytest.raises(KeyError, match="did you mean 'alopecia areata'"):
        ScalpMap(condition="alopecia areta")
    with pytest.raises(ValueError, match="unknown form 'miliary' \\(did you mean 'miliaris'"):
        ScalpMap(form="miliary")
