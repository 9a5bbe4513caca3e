"""DayViews: one day slider, three views of the same lesion on the same day.

The CycleExplorer's "Inspect day" slider drives everything: the model's curves
and its drawn follicle cluster, the clinical close-up (what the scalp shows)
and the schematic biopsy (what the microscope shows).  Clinicopathological
correlation, the core skill, then needs no second control.  The views only
follow the explorer (``explorer.link_to``); none adds a medical fact.
"""

import asyncio

import ipywidgets as W

from widgets.core.clinical.scene import clinical_scene
from widgets.core.histology.scene import biopsy_scene
from widgets.views.clinical_viewer import ClinicalViewer, explorer_day
from widgets.views.cycle_explorer import CycleExplorer
from widgets.views.figures import wrapping_row
from widgets.views.slide_viewer import SlideViewer

HEADING = (
    "<b>One day, three views.</b> Move <i>Inspect day</i> (or press the arrow keys on it): the "
    "teaching model and its follicle cluster, the lesion as drawn on the scalp (left) and its "
    "schematic biopsy (right) all show the same day. The model is a teaching model, not "
    "calibrated; the clinical picture and the slide are drawings, not photographs."
)


WAIT_FOR_SCREEN_SECONDS = 60.0
"""How long DayViews waits for its views to reach the screen before drawing ahead."""
SCREEN_POLL_SECONDS = 0.25


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
            W.HBox([self.clinical, self.slide], layout=wrapping_row()),
        ]
        self._prepare_pictures()

    def _prepare_pictures(self) -> None:
        """Build and draw every close-up and slide of the model's run while the kernel is idle.

        A new close-up takes about 50 ms to build (then it is cached) and each
        view about 30 ms to draw, which a learner's step into each stage would
        otherwise wait for.  Scenes are built first; pictures are drawn once both
        views are on screen (at the screen's pixel ratio), up to
        ``WAIT_FOR_SCREEN_SECONDS`` after.  One picture per turn of the kernel's
        loop, so a key press is never held up long; nothing to do without a
        running loop (plain Python, tests).
        """
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        explorer, clinical, slide = self.explorer, self.clinical, self.slide
        days = range(explorer.days + 1)
        pictures = {(explorer_day(explorer, day), explorer.course.stage_on(day)) for day in days}
        to_build, to_draw = list(pictures), list(pictures)
        waited = [0.0]

        def scenes_of(day, stage):
            return (
                clinical_scene(day.stage, day.form, clinical.tone, clinical.seed, day.shade),
                biopsy_scene(stage.value, day.form.value, slide.seed),
            )

        def next_step() -> None:
            if to_build:
                scenes_of(*to_build.pop())
            elif not to_draw or waited[0] > WAIT_FOR_SCREEN_SECONDS:
                return
            elif not (clinical.figure.canvas.live and slide.figure.canvas.live):
                waited[0] += SCREEN_POLL_SECONDS
                loop.call_later(SCREEN_POLL_SECONDS, next_step)
                return
            else:
                close_up, biopsy = scenes_of(*to_draw.pop())
                clinical.prepare_picture(close_up)
                slide.prepare_picture(biopsy)
            loop.call_soon(next_step)

        loop.call_soon(next_step)

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
