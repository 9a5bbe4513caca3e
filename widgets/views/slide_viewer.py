"""SlideViewer: a virtual microscope for the course's schematic scalp biopsies.

Explore mode shows acne necrotica at any stage and form, or a comparison slide,
at low or high power with label markers and a key.  Practice mode shows an
unknown slide without labels; the learner names the stage or the diagnosis and
gets instant, explained feedback.  The viewer holds no medical fact of its own:
slides come from :mod:`widgets.core.histology.findings` via the scene builder.

Link it to the disease model's CycleExplorer with :meth:`SlideViewer.link_to`,
so the slide follows the day the explorer inspects.
"""

import html

import ipywidgets as W
import numpy as np
import traitlets

from widgets.core.choices import UnknownChoiceError, one_of
from widgets.core.histology.describe import SCHEMATIC_NOTE, View, key_entries, summary
from widgets.core.histology.findings import CONDITIONS, condition_spec, stage_spec
from widgets.core.histology.practice import ACNE_NECROTICA, ANSWERS, PRACTICE_SLIDES, answer_label
from widgets.core.histology.scene import (
    SECTION_EXTENT,
    Scene,
    biopsy_scene,
    comparison_scene,
)
from widgets.core.model.forms import Form
from widgets.core.model.stages import STAGE_ORDER, Stage
from widgets.views.figures import (
    Coalescer,
    PictureCache,
    after_pictures,
    freeze_layout,
    live_figure,
    wrapping_row,
)
from widgets.views.slide_panner import SlidePanner
from widgets.views.slide_renderer import SlideRenderer

SLIDES: tuple[str, ...] = (ACNE_NECROTICA,) + CONDITIONS
MODES = ("explore", "practice")
POWERS = ("low power", "high power")
HIGH_POWER_ZOOM = 4
"""High power shows a window this many times narrower (and shorter) than the whole section."""


class ChoiceError(traitlets.TraitError, ValueError):
    """A control or trait was given a value outside its choices; the message lists them."""


class Choice(traitlets.TraitType):
    """A text trait limited to ``choices`` (case and spacing forgiven); an error lists them."""

    info_text = "one of a fixed set of names"

    def __init__(self, choices, default: str, what: str):
        self.choices = tuple(choices)
        self.what = what
        super().__init__(default_value=default)

    def validate(self, obj, value) -> str:
        return _one_of(value, self.choices, self.what)


def _one_of(value, valid, what: str) -> str:
    """``value`` normalised to one of ``valid``, or a :class:`ChoiceError` that lists them."""
    try:
        return one_of(value, valid, what)
    except UnknownChoiceError as error:
        raise ChoiceError(str(error)) from None


class SlideViewer(W.VBox):
    """A schematic scalp biopsy with microscope controls, labels and a practice mode.

    Traits ``stage``, ``form``, ``slide`` and ``mode`` hold what is shown; the
    controls (``slide_control``, ``stage_control``, ``form_control``,
    ``mode_control``, ``power``, ``across``, ``depth``, ``labels``,
    ``new_unknown``, ``answer_control``) and the drawing (``figure``,
    ``renderer``) are attributes so lessons and tests can drive them.
    ``summary_text`` describes the current view in plain words.
    """

    stage = Choice([stage.value for stage in STAGE_ORDER], Stage.EARLY.value, "stage")
    form = Choice([form.value for form in Form], Form.MILIARIS.value, "form")
    slide = Choice(SLIDES, ACNE_NECROTICA, "slide")
    mode = Choice(MODES, "explore", "mode")

    def __init__(
        self,
        stage: str = "early",
        form: str = "miliaris",
        slide: str = ACNE_NECROTICA,
        mode: str = "explore",
        seed: int = 0,
        practice_seed: int = 0,
    ):
        super().__init__()
        self.seed = seed
        self._practice_rng = np.random.default_rng(practice_seed)
        self.unknown: Scene | None = None

        self.figure = live_figure(4.3, 5.3)
        self.renderer = SlideRenderer(self.figure.add_subplot())
        freeze_layout(self.figure)
        self.panner = SlidePanner(self.renderer, HIGH_POWER_ZOOM)
        self.pictures = PictureCache(
            self.figure,
            lambda: (self.renderer.scene, (self.renderer.labels_visible, self.renderer.view)),
        )

        self.mode_control = W.ToggleButtons(
            options=[("Explore", "explore"), ("Practice: unknown slide", "practice")],
            description="Mode",
            style={"button_width": "170px"},
        )
        self.slide_control = W.Dropdown(
            options=[(name.capitalize(), name) for name in SLIDES], description="Slide"
        )
        self.stage_control = W.Dropdown(
            options=[(stage.label, stage.value) for stage in STAGE_ORDER], description="Stage"
        )
        self.form_control = W.ToggleButtons(
            options=[(form.value.capitalize(), form.value) for form in Form], description="Form"
        )
        self.power = W.ToggleButtons(
            options=[(p.capitalize(), p) for p in POWERS], description="View"
        )
        self.across = W.FloatSlider(
            value=2.0,
            min=0.5,
            max=3.5,
            step=0.05,
            description="Across (mm)",
            readout_format=".2f",
            continuous_update=False,
        )
        self.depth = W.FloatSlider(
            value=0.6,
            min=0.0,
            max=4.4,
            step=0.05,
            description="Depth (mm)",
            readout_format=".2f",
            continuous_update=False,
        )
        self.labels = W.Checkbox(value=True, description="Labels")
        self.new_unknown = W.Button(description="New unknown slide", icon="random")
        self.answer_control = W.Dropdown(
            options=[("Choose…", None)] + [(answer_label(a), a) for a in ANSWERS],
            value=None,
            description="This is",
            layout=W.Layout(width="360px"),
        )
        self.feedback = W.HTML(layout=W.Layout(min_height="3em"))
        self.key = W.HTML(layout=W.Layout(width="340px"))
        self.description = W.HTML()

        for trait, control in (
            ("mode", self.mode_control),
            ("slide", self.slide_control),
            ("stage", self.stage_control),
            ("form", self.form_control),
        ):
            W.link((control, "value"), (self, trait))
        self.stage, self.form, self.slide = stage, form, slide
        self.mode = mode
        if self.mode == "practice":
            self._pick_unknown()
        self._view_updates = Coalescer(self._on_view, (self.power, self.across, self.depth))
        for control in (self.power, self.across, self.depth):
            control.observe(self._view_updates.request, names="value")
        self.labels.observe(self._on_labels, names="value")
        self.new_unknown.on_click(lambda _: self.next_unknown())
        self.answer_control.observe(self._on_answer, names="value")
        self.observe(self._on_slide_choice, names=["stage", "form", "slide"])
        self.observe(self._on_mode, names="mode")

        self.explore_box = W.VBox(
            [W.HBox([self.slide_control, self.stage_control]), self.form_control]
        )
        self.practice_box = W.VBox([W.HBox([self.new_unknown, self.answer_control]), self.feedback])
        self.children = [
            self.mode_control,
            self.explore_box,
            self.practice_box,
            W.HBox([self.power, self.labels]),
            W.HBox([self.across, self.depth]),
            W.HBox([self.figure.canvas, self.key], layout=wrapping_row()),
            self.description,
        ]
        self._show_mode()
        self._on_view()

    # Public actions -------------------------------------------------------------------

    @property
    def scene(self) -> Scene:
        """The slide being shown."""
        if self.mode == "practice":
            return self.unknown
        if self.slide == ACNE_NECROTICA:
            return biopsy_scene(self.stage, self.form, self.seed)
        return comparison_scene(self.slide, self.seed)

    @property
    def view(self) -> View:
        """The visible window of the section, in mm."""
        left, right, bottom, top = SECTION_EXTENT
        if self.power.value == "low power":
            return View(left, right, bottom, top)
        half_width = (right - left) / HIGH_POWER_ZOOM / 2
        half_height = (top - bottom) / HIGH_POWER_ZOOM / 2
        x = float(np.clip(self.across.value, left + half_width, right - half_width))
        y = float(np.clip(-self.depth.value, bottom + half_height, top - half_height))
        return View(x - half_width, x + half_width, y - half_height, y + half_height, whole=False)

    @property
    def revealed(self) -> bool:
        """Whether the slide's name and labels may show (always, except an unanswered unknown)."""
        return self.mode == "explore" or self.answer_control.value is not None

    @property
    def summary_text(self) -> str:
        """Plain-text description of what the current view shows (for screen readers).

        An unanswered unknown is described by what is drawn (shapes, colours,
        places), so a screen-reader user gets the same puzzle as a sighted one.
        """
        return summary(self.scene, self.view, mode="explore" if self.revealed else "quiz")

    def link_to(self, explorer) -> tuple[traitlets.directional_link, traitlets.directional_link]:
        """Follow ``explorer``'s ``stage`` and ``form`` (e.g. a CycleExplorer's inspected day).

        Switches to explore mode on acne necrotica; returns the two links (call
        ``.unlink()`` on them to stop following).
        """
        has_trait = getattr(explorer, "has_trait", lambda name: False)
        missing = [name for name in ("stage", "form") if not has_trait(name)]
        if missing:
            raise TypeError(
                f"cannot link: {type(explorer).__name__} has no trait "
                f"{' or '.join(missing)}; link to a CycleExplorer"
            )
        self.mode = "explore"
        self.slide = ACNE_NECROTICA
        return (
            traitlets.dlink((explorer, "stage"), (self, "stage")),
            traitlets.dlink((explorer, "form"), (self, "form")),
        )

    def next_unknown(self) -> Scene:
        """Switch to practice mode and show a new random unknown slide, without labels."""
        self._pick_unknown()
        if self.mode == "practice":
            self._refresh()
        else:
            self.mode = "practice"
        return self.unknown

    def answer(self, name: str) -> bool:
        """Name the unknown slide as a learner would; returns whether it is right."""
        if self.mode != "practice":
            raise ValueError("there is no unknown slide: switch the mode to practice first")
        choice = _one_of(name, ANSWERS, "answer")
        self.answer_control.value = choice
        return choice == self.unknown.answer

    # Reactions to the controls --------------------------------------------------------

    def _on_slide_choice(self, change) -> None:
        if self.mode == "explore":
            self._refresh()

    def _on_mode(self, change) -> None:
        if self.mode == "practice" and self.unknown is None:
            self._pick_unknown()
        self._show_mode()

    def _pick_unknown(self) -> None:
        answer, form = PRACTICE_SLIDES[self._practice_rng.integers(len(PRACTICE_SLIDES))]
        seed = int(self._practice_rng.integers(1_000_000))
        self.unknown = (
            comparison_scene(answer, seed) if form is None else biopsy_scene(answer, form, seed)
        )
        self.answer_control.value = None
        self.feedback.value = ""

    def _show_mode(self) -> None:
        practice = self.mode == "practice"
        self.explore_box.layout.display = "none" if practice else None
        self.practice_box.layout.display = None if practice else "none"
        self._refresh()

    def _on_view(self, change=None) -> None:
        high = self.power.value == "high power"
        self.across.disabled = self.depth.disabled = not high
        view = self.view
        self.renderer.set_view(view.left, view.right, view.bottom, view.top)
        if not self.panner.pan():
            self.figure.canvas.draw_idle()
        self._update_text()

    def _on_labels(self, change) -> None:
        self.renderer.set_labels(self.labels.value and self.revealed)
        self._update_text()
        self.figure.canvas.draw_idle()

    def _on_answer(self, change) -> None:
        choice = change["new"]
        if choice is None or self.unknown is None:
            return
        truth = self.unknown.answer
        if choice == truth:
            verdict = '<span style="color:#009E73; font-weight:bold">✔ Correct.</span>'
            text = self.unknown.clue
        else:
            verdict = '<span style="color:#D55E00; font-weight:bold">✘ Not quite.</span>'
            text = (
                f"This slide is {answer_label(truth)}. {self.unknown.clue} "
                f"{answer_label(choice)} would look different: {self._clue_of(choice)}"
            )
        self.feedback.value = f"{verdict} {html.escape(text)} The labels are now shown."
        self._refresh()

    def _clue_of(self, answer: str) -> str:
        if answer in CONDITIONS:
            return condition_spec(answer).clue
        form = self.unknown.form or Form.MILIARIS
        return stage_spec(Stage(answer), form).clue

    # Drawing --------------------------------------------------------------------------

    def _refresh(self) -> None:
        self.stage_control.disabled = self.form_control.disabled = self.slide != ACNE_NECROTICA
        self.pictures.show_scene(self.renderer, self.scene, self.labels.value and self.revealed)
        after_pictures(self._update_text)

    def prepare_picture(self, scene: Scene) -> None:
        """Draw ``scene`` ahead (labels and view as now), so showing it later costs no drawing."""
        self.pictures.prepare_scene(self.renderer, scene, self.labels.value and self.revealed)

    def _update_text(self) -> None:
        scene = self.scene
        self.description.value = (
            f'<div style="font-size:0.9em; max-width:760px">{html.escape(self.summary_text)}</div>'
        )
        if not self.revealed:
            self.key.value = (
                "<b>Unknown slide</b><p>Name the stage or the diagnosis above. "
                "The labels and the key appear once you answer.</p>"
                f"<p><i>{html.escape(SCHEMATIC_NOTE)}</i></p>"
            )
            return
        items = (
            "".join(
                f"<li><b>{html.escape(name)}</b> {html.escape(text)}</li>"
                for name, text in key_entries(scene)
            )
            if self.labels.value
            else ""
        )
        absent = "".join(f"<p>Not seen: {html.escape(text)}</p>" for text in scene.not_seen)
        note = f"<p>{html.escape(scene.note)}</p>" if scene.note else ""
        self.key.value = (
            f"<b>{html.escape(scene.title)}</b>"
            f'<ul style="list-style:none; padding-left:0">{items}</ul>'
            f"{absent}{note}<p><i>{html.escape(SCHEMATIC_NOTE)}</i></p>"
        )
