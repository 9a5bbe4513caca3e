"""Words for a clinical close-up: a plain-text account of what is drawn, and its notes.

The summary says what the drawing shows (shapes, sizes, colours, hairs) for a
reader who cannot see it.  For an unknown practice picture it keeps to what is
drawn and leaves out what it means: no stage, no form, no morphology term.
"""

from widgets.core.citations import cite
from widgets.core.clinical.mimic_scenes import MimicScene
from widgets.core.clinical.scene import PATCH_MM, SCALE_BAR_MM, ClinicalScene
from widgets.core.clinical.stages import ILLUSTRATION_NOTE, stage_facts

_SURROUNDINGS = ("follicular openings", "hair", "broken hairs", "white dots")


def summary(scene: ClinicalScene | MimicScene, reveal: bool = True) -> str:
    """Plain text describing the drawing; ``reveal=False`` leaves out the stage and the terms."""
    centre = [
        element.looks
        for element in scene.elements
        if element.looks and element.kind not in ("skin", *_SURROUNDINGS)
    ]
    around = [scene.of_kind(kind)[0].looks for kind in _SURROUNDINGS if scene.has(kind)]
    parts = [
        f"Illustration, not a photograph: a {PATCH_MM:g} by {PATCH_MM:g} mm patch of scalp seen "
        f"from above, {scene.tone.label} skin."
    ]
    if reveal:
        parts.insert(0, f"{scene.title}.")
    if centre:
        parts.append(f"In the centre: {'; '.join(centre)}.")
    else:
        parts.append("No spot stands out in the centre.")
    parts.append(f"Around it: {', '.join(around)}.")
    parts.append(f"Scale bar {SCALE_BAR_MM:g} mm.")
    return " ".join(parts)


def stage_caption(scene: ClinicalScene) -> str:
    """What identifies the stage shown, with its sources (for the view's caption)."""
    return stage_facts(scene.stage).decisive


def assumptions_note(scene: ClinicalScene | MimicScene) -> tuple[str, ...]:
    """The illustration notice, then every course assumption behind this drawing."""
    return (ILLUSTRATION_NOTE,) + tuple(f"Course assumption: {text}" for text in scene.assumptions)


def key_entries(scene: ClinicalScene) -> list[str]:
    """The labels drawn on the figure, top to bottom, as a text key."""
    return [callout.text for callout in scene.callouts]


def sources_of(scene: ClinicalScene) -> str:
    """The references behind the stage's facts, as '[2, 7]'."""
    return cite(stage_facts(scene.stage).refs)
