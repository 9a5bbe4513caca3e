"""ClinicalViewer: one acne necrotica lesion as a clinician sees it, at any stage, on six skin tones.

Explore mode shows a chosen stage and form on a chosen Fitzpatrick tone, with
morphology labels that can be switched off, the findings that identify the
stage, every course assumption behind the drawing and links to open
photographs.  Practice mode ("spot the stage") shows an unknown stage on a
random tone; the learner names the stage and the form and gets scored,
explained feedback and a running count of confusions.  The viewer holds no
medical fact of its own: it draws :mod:`widgets.core.clinical` scenes.

Link it to a CycleExplorer with :meth:`ClinicalViewer.link_to` (or
``explorer.link_to(viewer)``) so the lesion follows the explorer's day.
"""

import html
from contextlib import contextmanager

import ipywidgets as W
import numpy as np

from widgets.core.citations import cite
from widgets.core.clinical.describe import assumptions_note, stage_caption, summary
from widgets.core.clinical.links import links_for
from widgets.core.clinical.practice import PRACTICE_STAGES, Confusions, Unknown, draw_unknown, score
from widgets.core.clinical.scene import ClinicalScene, clinical_scene
from widgets.core.clinical.stages import (
    CLINICAL_ORDER,
    SHADES,
    ClinicalDay,
    ClinicalStage,
    as_form,
    as_stage,
    clinical_stage_on,
    days_in_stage,
)
from widgets.core.clinical.tones import TONE_ORDER
from widgets.core.model.forms import Form
from widgets.views.clinical_renderer import ClinicalRenderer
from widgets.views.figures import (
    Coalescer,
    PictureCache,
    after_pictures,
    freeze_layout,
    live_figure,
)
from widgets.views.slide_viewer import Choice

MODES = ("explore", "practice")
FIGURE_INCHES = (7.0, 3.9)


class ClinicalViewer(W.VBox):
    """An illustrated clinical close-up with stage, form and tone controls and a practice mode.

    Traits ``stage``, ``form``, ``tone``, ``shade`` and ``mode`` hold what is
    shown; controls (``stage_control``, ``form_control``, ``tone_control``,
    ``shade_control``, ``labels``, ``mode_control``, ``new_unknown``,
    ``answer_stage``, ``answer_form``, ``check``) and the drawing (``figure``,
    ``renderer``) are attributes so lessons and tests can drive them.
    ``summary_text`` describes what is drawn in plain words.
    """

    stage = Choice([s.value for s in CLINICAL_ORDER], ClinicalStage.PAPULE.value, "stage")
    form = Choice([f.value for f in Form], Form.MILIARIS.value, "form")
    tone = Choice([t.value for t in TONE_ORDER], "II", "skin tone")
    shade = Choice(SHADES, "darker", "healed shade")
    mode = Choice(MODES, "explore", "mode")

    def __init__(
        self,
        stage: str = "follicular papule",
        form: str = "miliaris",
        tone: str = "II",
        shade: str = "darker",
        mode: str = "explore",
        seed: int = 0,
        practice_seed: int = 0,
    ):
        super().__init__()
        self.seed = seed
        self._rng = np.random.default_rng(practice_seed)
        self.unknown: Unknown | None = None
        self.answered = False
        self.confusions = Confusions()
        self._holding = False

        self.figure = live_figure(*FIGURE_INCHES)
        self.renderer = ClinicalRenderer(self.figure.add_subplot())
        freeze_layout(self.figure)
        self.pictures = PictureCache(
            self.figure, lambda: (self.renderer.scene, self.renderer.labels_visible)
        )

        self.mode_control = W.ToggleButtons(
            options=[("Explore", "explore"), ("Practice: spot the stage", "practice")],
            description="Mode",
            style={"button_width": "170px"},
        )
        self.stage_control = W.Dropdown(
            options=[(s.label, s.value) for s in CLINICAL_ORDER], description="Stage"
        )
        self.form_control = W.ToggleButtons(
            options=[(f.value.capitalize(), f.value) for f in Form], description="Form"
        )
        self.tone_control = W.ToggleButtons(
            options=[(t.value, t.value) for t in TONE_ORDER],
            description="Skin tone",
            tooltips=[t.label for t in TONE_ORDER],
            style={"button_width": "42px"},
        )
        self.shade_control = W.ToggleButtons(
            options=[("Darker / pink", "darker"), ("Paler", "paler")],
            description="Healed spot",
            style={"button_width": "110px"},
        )
        self.labels = W.Checkbox(value=True, description="Labels")
        self.new_unknown = W.Button(description="New unknown", icon="random")
        self.answer_stage = W.Dropdown(
            options=[("Choose…", None)] + [(s.label, s.value) for s in PRACTICE_STAGES],
            value=None,
            description="Stage",
        )
        self.answer_form = W.ToggleButtons(
            options=[(f.value.capitalize(), f.value) for f in Form], value=None, description="Form"
        )
        self.check = W.Button(description="Check answer", icon="check")
        self.feedback = W.HTML(layout=W.Layout(min_height="3em"))
        self.tally = W.HTML()
        self.caption = W.HTML(layout=W.Layout(max_width="760px"))
        self.photos = W.HTML(layout=W.Layout(max_width="760px"))
        self.description = W.HTML(layout=W.Layout(max_width="760px"))

        for trait, control in (
            ("mode", self.mode_control),
            ("stage", self.stage_control),
            ("form", self.form_control),
            ("tone", self.tone_control),
            ("shade", self.shade_control),
        ):
            W.link((control, "value"), (self, trait))
        self.stage, self.form, self.tone, self.shade = stage, form, tone, shade
        self.mode = mode
        self._updates = Coalescer(
            self._refresh,
            (self.stage_control, self.form_control, self.tone_control, self.shade_control),
        )
        self.observe(self._on_choice, names=["stage", "form", "tone", "shade"])
        self.observe(self._on_mode, names="mode")
        self.labels.observe(self._on_labels, names="value")
        self.new_unknown.on_click(lambda _: self.next_unknown())
        self.check.on_click(lambda _: self._on_check())

        self.explore_box = W.VBox(
            [W.HBox([self.stage_control, self.labels]), self.form_control, self.shade_control]
        )
        self.practice_box = W.VBox(
            [
                W.HBox([self.new_unknown, self.answer_stage]),
                W.HBox([self.answer_form, self.check]),
                self.feedback,
                self.tally,
            ]
        )
        self.children = [
            self.mode_control,
            self.explore_box,
            self.practice_box,
            self.tone_control,
            self.figure.canvas,
            self.description,
            self.caption,
            self.photos,
        ]
        if self.mode == "practice":
            self._pick_unknown()
        self._show_mode()

    # What is shown ------------------------------------------------------------------

    @property
    def scene(self) -> ClinicalScene:
        """The close-up being drawn."""
        if self.mode == "practice" and self.unknown is not None:
            u = self.unknown
            return clinical_scene(u.stage, u.form, u.tone, u.seed, u.shade)
        return clinical_scene(self.stage, self.form, self.tone, self.seed, self.shade)

    @property
    def revealed(self) -> bool:
        """Whether stage names, labels and links may show (always, except an unanswered unknown)."""
        return self.mode == "explore" or self.answered

    @property
    def summary_text(self) -> str:
        """Plain-text description of what is drawn (in practice, without what it means)."""
        return summary(self.scene, reveal=self.revealed)

    # Public actions -----------------------------------------------------------------

    def show_day(self, day: ClinicalDay) -> None:
        """Show a model day's clinical picture (stage, form, shade) with a single redraw."""
        with self._one_update():
            self.mode = "explore"
            self.stage, self.form, self.shade = day.stage.value, day.form.value, day.shade

    def link_to(self, explorer) -> list:
        """Follow ``explorer``'s day (a CycleExplorer); returns links with ``.unlink()``.

        The stage is read from the explorer's model run on its day, so the
        lesson's papule, umbilication, necrosis, crust (or excoriation, with
        heavy scratching) and healing follow the model's clock.
        """
        missing = [
            name
            for name in ("day", "stage", "form")
            if not getattr(explorer, "has_trait", lambda _: False)(name)
        ]
        if missing or not hasattr(explorer, "course"):
            raise TypeError(
                f"cannot link: {type(explorer).__name__} has no "
                f"{' or '.join(missing) or 'course'}; link to a CycleExplorer"
            )
        controls = tuple(
            control
            for control in (
                getattr(explorer, "inspect_day", None),
                getattr(explorer, "scratching", None),
            )
            if control is not None
        )
        follow = Coalescer(lambda: self.show_day(explorer_day(explorer)), controls)
        explorer.observe(follow.request, names=["day", "stage", "form"])
        if getattr(explorer, "scratching", None) is not None:
            explorer.scratching.observe(follow.request, names="value")
        self.show_day(explorer_day(explorer))
        return [_Follow(explorer, follow)]

    def next_unknown(self) -> Unknown:
        """Switch to practice and show a new unknown stage on a random tone, without labels."""
        self._pick_unknown()
        if self.mode == "practice":
            self._refresh()
        else:
            self.mode = "practice"
        return self.unknown

    def answer(self, stage: str, form: str):
        """Answer the unknown as a learner would; returns the :class:`Score`."""
        if self.mode != "practice" or self.unknown is None:
            raise ValueError("there is no unknown picture: switch the mode to practice first")
        result = score(self.unknown, stage, form)
        self.answer_stage.value = as_stage(stage).value
        self.answer_form.value = as_form(form).value
        self._record(result, stage)
        return result

    # Reactions ----------------------------------------------------------------------

    @contextmanager
    def _one_update(self):
        self._holding = True
        try:
            yield
        finally:
            self._holding = False
        self._show_mode()

    def _on_choice(self, change) -> None:
        if self.mode == "explore" and not self._holding:
            self._updates.request()

    def _on_mode(self, change) -> None:
        if self.mode == "practice" and self.unknown is None:
            self._pick_unknown()
        if not self._holding:
            self._show_mode()

    def _on_labels(self, change) -> None:
        self.renderer.set_labels(self.labels.value and self.revealed)
        self.figure.canvas.draw_idle()

    def _pick_unknown(self) -> None:
        self.unknown = draw_unknown(self._rng)
        self.answered = False
        self.answer_stage.value = None
        self.answer_form.value = None
        self.feedback.value = ""

    def _on_check(self) -> None:
        if self.unknown is None:
            return
        if self.answer_stage.value is None or self.answer_form.value is None:
            self.feedback.value = "Choose a stage and a form first."
            return
        self._record(score(self.unknown, self.answer_stage.value, self.answer_form.value), None)

    def _record(self, result, stage: str | None) -> None:
        if self.answered:
            self.feedback.value += " (Already scored: press New unknown for another.)"
            return
        self.answered = True
        self.confusions.record(self.unknown, stage or self.answer_stage.value, result)
        verdict = (
            '<span style="color:#009E73; font-weight:bold">✔ Right.</span>'
            if result.right
            else '<span style="color:#D55E00; font-weight:bold">✘ Not quite.</span>'
        )
        self.feedback.value = (
            f"{verdict} {result.points}/{result.out_of}. {html.escape(result.explanation)}"
        )
        self.tally.value = self._tally_html()
        self._refresh()

    def _tally_html(self) -> str:
        c = self.confusions
        rows = "".join(
            f"<li>{html.escape(truth.label)} taken for {html.escape(answer.value)}: {times}×</li>"
            for truth, answer, times in c.most_common()
        )
        confusions = f"<ul>{rows}</ul>" if rows else " No stage confused yet."
        return f"<b>Score so far:</b> {c.points}/{c.out_of} over {c.answered} pictures.{confusions}"

    def _show_mode(self) -> None:
        practice = self.mode == "practice"
        self.explore_box.layout.display = "none" if practice else None
        self.practice_box.layout.display = None if practice else "none"
        self.tone_control.disabled = practice
        self._refresh()

    # Drawing ------------------------------------------------------------------------

    def _refresh(self) -> None:
        """Redraw only if the picture changed: a linked day in the same stage costs no draw."""
        scene = self.scene
        shown = self.labels.value and self.revealed
        self.pictures.show_scene(self.renderer, scene, shown)
        after_pictures(self._update_text)

    def prepare_picture(self, scene: ClinicalScene) -> None:
        """Draw ``scene`` ahead (labels as now), so showing it later costs no drawing."""
        self.pictures.prepare_scene(self.renderer, scene, self.labels.value and self.revealed)

    def _update_text(self) -> None:
        scene = self.scene
        self.description.value = (
            f'<div style="font-size:0.9em"><b>What is drawn:</b> '
            f"{html.escape(summary(scene, reveal=self.revealed))}</div>"
        )
        notes = assumptions_note(scene)
        if not self.revealed:
            self.caption.value = (
                "<p><b>Unknown picture.</b> Name the stage and the form above; the labels, the "
                f"deciding findings and photographs appear once you answer.</p>"
                f"<p><i>{html.escape(notes[0])}</i></p>"
            )
            self.photos.value = ""
            return
        assumptions = "".join(f"<li>{html.escape(text)}</li>" for text in notes[1:])
        self.caption.value = (
            f"<p><b>{html.escape(scene.title)}.</b> {html.escape(stage_caption(scene))}</p>"
            f"<p><i>{html.escape(notes[0])}</i></p>"
            f"<details><summary>Course assumptions in this drawing</summary><ul>{assumptions}</ul>"
            "</details>"
        )
        self.photos.value = photos_html(scene.stage.value)


def photos_html(topic: str) -> str:
    """Links to open photographs about ``topic``, each with what is known of its licence."""
    items = "".join(
        f'<li><a href="{html.escape(link.url)}" target="_blank" rel="noopener">'
        f"{html.escape(link.title)}</a> {cite([link.ref])}. "
        f"<small>Licence: {html.escape(link.licence)}</small></li>"
        for link in links_for(topic)
    )
    if not items:
        return ""
    return (
        "<details><summary>Real photographs (external links; nothing is copied here)</summary>"
        f"<ul>{items}</ul></details>"
    )


def explorer_day(explorer, day: int | None = None) -> ClinicalDay:
    """The clinical picture of the day a CycleExplorer inspects (or of ``day``), from its model run."""
    course = explorer.course
    day = explorer.day if day is None else day
    return clinical_stage_on(
        course.stage_on(day),
        explorer.form,
        days_in_stage(course.stage_codes, day),
        course.scenario.scratching,
    )


class _Follow:
    """A running link from an explorer to a clinical view; ``unlink()`` stops it."""

    def __init__(self, explorer, follow: Coalescer):
        self.explorer, self.follow = explorer, follow

    def unlink(self) -> None:
        self.explorer.unobserve(self.follow.request, names=["day", "stage", "form"])
        if getattr(self.explorer, "scratching", None) is not None:
            self.explorer.scratching.unobserve(self.follow.request, names="value")
