"""DayViews: one day slider, three views of the same lesion on the same day.

The CycleExplorer's "Inspect day" slider drives everything: the model's curves
and its drawn follicle cluster, the clinical close-up (what the scalp shows)
and the schematic biopsy (what the microscope shows).  Clinicopathological
correlation, the core skill, then needs no second control.  The views only
follow the explorer (``explorer.link_to``); none adds a medical fact.
"""

import ipywidgets as W

from widgets.views.clinical_viewer import ClinicalViewer
from widgets.views.cycle_explorer import CycleExplorer
from widgets.views.slide_viewer import SlideViewer

HEADING = (
    "<b>One day, three views.</b> Move <i>Inspect day</i> (or press the arrow keys on it): the "
    "teaching model and its follicle cluster, the lesion as drawn on the scalp (left) and its "
    "schematic biopsy (right) all show the same day. The model is a teaching model, not "
    "calibrated; the clinical picture and the slide are drawings, not photographs."
)


class DayViews(W.VBox):
    """A CycleExplorer, a ClinicalViewer and a SlideViewer moved by the explorer's day slider.

    ``explorer``, ``clinical`` and ``slide`` are the three views; ``day_slider``
    is the one control that moves them; ``links`` can be ``.unlink()``-ed.
    """

    def __init__(
        self,
        tone: str = "II",
        form: str = "varioliformis",
        day: int = 100,
        scratching: float = 0.5,
        explorer: CycleExplorer | None = None,
    ):
        super().__init__()
        self.explorer = (
            explorer
            if explorer is not None
            else CycleExplorer(form=form, day=day, scratching=scratching)
        )
        self.clinical = ClinicalViewer(tone=tone)
        self.slide = SlideViewer()
        self.links = self.explorer.link_to(self.clinical) + self.explorer.link_to(self.slide)
        self.day_slider = self.explorer.inspect_day
        self.children = [
            W.HTML(f'<div style="max-width:900px">{HEADING}</div>'),
            self.explorer,
            W.HBox([self.clinical, self.slide]),
        ]

    @property
    def day(self) -> int:
        """The day all three views show."""
        return self.explorer.day

    @day.setter
    def day(self, value: int) -> None:
        self.explorer.day = value

    @property
    def summary_text(self) -> str:
        """Plain text of all three views, for screen readers."""
        return " ".join(
            (
                f"Day {self.day}.",
                f"Model: {self.explorer.summary_text}",
                f"Clinical close-up: {self.clinical.summary_text}",
                f"Slide: {self.slide.summary_text}",
            )
        )
