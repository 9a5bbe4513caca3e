"""The mimics beside acne necrotica for lesson 4: drawn close-ups, then their clues as a table.

:class:`MimicCloseUps` draws the three mimics of
:mod:`widgets.core.clinical.mimic_scenes` side by side on a chosen skin tone,
with a text account of each drawing.  :func:`mimic_clues` is the table: every
sentence from ``widgets/core/clinical/data/mimics.toml`` with its references,
ending with the plain statement that no trichoscopy of acne necrotica was
found, and links to open photographs of each mimic.
"""

import io
from html import escape

import ipywidgets as W
from IPython.display import HTML
from matplotlib.figure import Figure

from widgets.core.citations import with_citation
from widgets.core.clinical.describe import assumptions_note, summary
from widgets.core.clinical.links import NO_ACNE_NECROTICA_TRICHOSCOPY, load_mimics
from widgets.core.clinical.mimic_scenes import MIMIC_CLOSE_UPS, mimic_scene
from widgets.core.clinical.tones import TONE_ORDER, Tone, palette
from widgets.views.clinical_renderer import ClinicalRenderer
from widgets.views.clinical_viewer import photos_html
from widgets.views.figures import FONT_SIZE

_TABLE = 'style="border-collapse:collapse; text-align:left" border="1" cellpadding="6"'
_PANEL_INCHES = (7.7, 4.0)
"""One mimic: the 10 mm patch and its label column, at the clinical viewer's scale."""


class MimicCloseUps(W.VBox):
    """The three mimics drawn on one skin tone; the tone control redraws all three.

    A plain figure sent as one PNG: nothing here moves continuously, so a live
    canvas would only cost start-up time.  ``summary_text`` says what is drawn.
    """

    def __init__(self, tone: Tone | str = "II"):
        self.tone_control = W.ToggleButtons(
            options=[(t.value, t.value) for t in TONE_ORDER],
            value=palette(tone).tone.value,
            description="Skin tone",
            tooltips=[t.label for t in TONE_ORDER],
            style={"button_width": "42px"},
        )
        count = len(MIMIC_CLOSE_UPS)
        self.figure = Figure(figsize=(_PANEL_INCHES[0], _PANEL_INCHES[1] * count), dpi=96)
        axes = self.figure.subplots(count, 1)
        self.figure.subplots_adjust(left=0.01, right=0.99, top=0.97, bottom=0.01, hspace=0.12)
        self.renderers = [ClinicalRenderer(ax) for ax in axes]
        self.image = W.Image(format="png", layout=W.Layout(width="100%", max_width="740px"))
        self.description = W.HTML()
        self.tone_control.observe(lambda _change: self._show(), "value")
        super().__init__([self.tone_control, self.image, self.description])
        self._show()

    @property
    def scenes(self):
        return [mimic_scene(name, self.tone_control.value) for name in MIMIC_CLOSE_UPS]

    @property
    def summary_text(self) -> str:
        return " ".join(summary(scene) for scene in self.scenes)

    def _show(self) -> None:
        scenes = self.scenes
        for renderer, scene in zip(self.renderers, scenes):
            renderer.show(scene)
            renderer.ax.set_title(scene.name.capitalize(), fontsize=FONT_SIZE)
        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png")
        self.image.value = buffer.getvalue()
        notes = sorted({note for scene in scenes for note in assumptions_note(scene)})
        self.description.value = (
            "<ul>"
            + "".join(f"<li>{escape(summary(scene))}</li>" for scene in scenes)
            + "</ul><details><summary>What is the course's own choice</summary><ul>"
            + "".join(f"<li>{escape(note)}</li>" for note in notes)
            + "</ul></details>"
        )


def mimic_clues() -> HTML:
    """A table: each mimic's clinical clues and trichoscopy, with photo links and licences."""
    rows = "".join(
        f"<tr><td><b>{escape(mimic.name.capitalize())}</b></td>"
        f"<td>{escape(with_citation(mimic.clinical, mimic.clinical_refs))}</td>"
        f"<td>{escape(with_citation(mimic.trichoscopy, mimic.trichoscopy_refs))}</td>"
        f"<td>{photos_html(mimic.name)}</td></tr>"
        for mimic in load_mimics()
    )
    return HTML(
        f"<table {_TABLE}><thead><tr><th>Mimic</th><th>Clinical clues</th><th>Trichoscopy</th>"
        f"<th>Photographs</th></tr></thead><tbody>{rows}"
        f'<tr><td><b>Acne necrotica</b></td><td colspan="3">{escape(NO_ACNE_NECROTICA_TRICHOSCOPY)}'
        "</td></tr></tbody></table>"
    )
