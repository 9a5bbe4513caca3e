"""Words for a slide: its key and a plain-text summary for readers who cannot see the figure.

The summary says what the drawing shows in the current view (low power: the
whole section; high power: what lies inside the window), so a screen-reader
user gets the same findings as a sighted one.  For an unknown practice slide it
names what is drawn in neutral words (kind, place, depth) without the diagnosis.
"""

from dataclasses import dataclass

from widgets.core.citations import with_citation
from widgets.core.histology.scene import SECTION_DEPTH_MM, SECTION_WIDTH_MM, Feature, Scene

SCHEMATIC_NOTE = (
    "Schematic drawing made by the course, not a photomicrograph: "
    "cells are drawn about four times life size."
)

_DEPTH_REGIONS = {
    "perifollicular dermis",
    "follicle epithelium",
    "follicular unit",
    "follicular interface",
}
"""Regions along the follicle, where how deep a finding reaches is worth saying."""

_TEXTURE = {"adipocytes", "fibroblasts", "keratinocyte nuclei", "keratin", "dermal papilla"}
"""Normal texture, drawn for realism but not worth a sentence."""


@dataclass(frozen=True)
class View:
    """The visible window of the section (mm) and whether it is the whole section."""

    left: float
    right: float
    bottom: float
    top: float
    whole: bool = True


def finding_text(feature: Feature) -> str:
    """A finding's key entry: its label, how deep it reaches along the follicle, its references."""
    depth = f" (down to the {feature.reach})" if feature.region in _DEPTH_REGIONS else ""
    return with_citation(f"{feature.label}{depth}", feature.refs)


def key_entries(scene: Scene) -> list[tuple[str, str]]:
    """(marker, text) for every labelled feature, in marker order."""
    return [
        (name, finding_text(feature) if feature.finding else feature.label)
        for name, feature in zip(scene.marker_names, scene.labelled)
    ]


def neutral_text(feature: Feature) -> str:
    """What a feature is and where, without naming the diagnosis: 'lymphocytes in the dermis'."""
    amount = f" ({feature.count} cells)" if feature.points else ""
    depth = f", down to the {feature.reach}" if feature.region in _DEPTH_REGIONS else ""
    return f"{feature.kind} in the {feature.region}{depth}{amount}"


_APPEARANCE = {
    "bacteria": "tiny dark-purple dots in clusters",
    "concentric fibrosis": "dense pink wavy bands in rings",
    "crust": "a dark red-brown layer",
    "depressed surface": "a dip in the surface",
    "fibrosis": "dense pink wavy bands",
    "hair fragments": "broken pieces of hair shaft",
    "hair tuft": "several hair shafts leaving one opening",
    "lymphocytes": "small round cells with dark round nuclei",
    "multinucleated cells": "large cells with several nuclei",
    "necrosis": "a pale pink zone without cell detail",
    "necrotic keratinocytes": "pink cells with shrunken dark nuclei or none",
    "neutrophils": "small cells with lobed nuclei",
    "oedema": "pale, loosened tissue",
    "plasma cells": "oval cells with off-centre nuclei",
    "pustule": "a cavity packed with small cells",
    "re-epithelialisation": "a thin new layer of epithelium",
    "red cells": "small bright-red discs",
    "spongiosis": "pale gaps between epithelial cells",
    "vesicle": "a clear cavity",
}
"""What each finding looks like in the drawing, in words that do not interpret it."""


def drawn_text(feature: Feature) -> str:
    """What is drawn and where, not what it means: 'small cells with lobed nuclei in the dermis'."""
    amount = f" ({feature.count} drawn)" if feature.points else ""
    depth = f", down to the {feature.reach}" if feature.region in _DEPTH_REGIONS else ""
    return f"{_APPEARANCE.get(feature.kind, 'a drawn structure')} in the {feature.region}{depth}{amount}"


def summary(scene: Scene, view: View, reveal: bool = True, mode: str = "explore") -> str:
    """Plain text saying what the slide shows in ``view``; ``reveal=False`` hides its name.

    ``mode="quiz"`` hides the name and describes each finding by what is drawn
    (shapes, colours, places), never by the finding's name, which would give the
    stage or the diagnosis away.
    """
    quiz = mode == "quiz"
    reveal = reveal and not quiz
    visible = [feature for feature in scene.features if _in_view(feature, view)]
    if view.whole:
        where = (
            f"low power, the whole section ({SECTION_WIDTH_MM:g} mm wide, "
            f"{SECTION_DEPTH_MM:g} mm deep)"
        )
    else:
        where = (
            f"high power, a {view.right - view.left:.2g} by {view.top - view.bottom:.3g} mm "
            f"window centred {(view.left + view.right) / 2:.2f} mm across and "
            f"{max(0.0, -(view.bottom + view.top) / 2):.2f} mm below the surface"
        )
    findings = [feature for feature in visible if feature.finding]
    structures = [
        feature.label or feature.kind
        for feature in visible
        if not feature.finding and feature.kind not in _TEXTURE
    ]
    parts = [f"{SCHEMATIC_NOTE} Vertical scalp biopsy in H&E colours."]
    if reveal:
        parts.append(f"Slide: {scene.title}.")
        entries = dict(zip(scene.labelled, scene.marker_names))
        listed = [f"{entries[f]}: {finding_text(f)}" for f in findings]
    else:
        parts.append("Unknown slide for practice: name the stage or the diagnosis.")
        listed = [drawn_text(f) if quiz else neutral_text(f) for f in findings]
    parts.append(f"View: {where}.")
    parts.append("Findings in view: " + ("; ".join(listed) if listed else "none") + ".")
    parts.append("Structures in view: " + (", ".join(dict.fromkeys(structures)) or "none") + ".")
    if not scene.has("follicle epithelium"):
        parts.append("There is no hair follicle and no sebaceous gland.")
    if reveal:
        parts.extend(f"Not seen: {absent}." for absent in scene.not_seen)
        if scene.note:
            parts.append(scene.note)
    return " ".join(parts)


def _in_view(feature: Feature, view: View) -> bool:
    if view.whole:
        return True
    xy = feature.xy() if feature.points else None
    if xy is not None:
        return bool(
            (
                (xy[:, 0] > view.left)
                & (xy[:, 0] < view.right)
                & (xy[:, 1] > view.bottom)
                & (xy[:, 1] < view.top)
            ).any()
        )
    for shape in feature.shapes:
        xs = [x for x, _ in shape]
        ys = [y for _, y in shape]
        if (
            min(xs) < view.right
            and max(xs) > view.left
            and min(ys) < view.top
            and max(ys) > view.bottom
        ):
            return True
    return False
