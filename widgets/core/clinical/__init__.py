"""The clinical close-up: one acne necrotica lesion as a clinician sees it, on six skin tones.

``stages`` says what each clinical stage looks like (the clinical-appearance
brief's table) and which stage a model day shows; ``tones`` gives the colours of
six Fitzpatrick skin tones; ``scene`` turns both into polygons; ``mimic_scenes`` draws three mimics on the same patch; ``describe``
puts a scene into words; ``practice`` scores "spot the stage"; ``links`` lists
open photographs to look at.  Nothing here draws: no matplotlib, no ipywidgets.
"""

from widgets.core.clinical.scene import ClinicalScene, Element, clinical_scene
from widgets.core.clinical.stages import CLINICAL_ORDER, ClinicalStage, clinical_stage_on
from widgets.core.clinical.tones import TONE_ORDER, Tone

__all__ = [
    "CLINICAL_ORDER",
    "TONE_ORDER",
    "ClinicalScene",
    "ClinicalStage",
    "Element",
    "Tone",
    "clinical_scene",
    "clinical_stage_on",
]
