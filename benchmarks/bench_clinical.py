"""How long the clinical close-up takes to show a picture, beside a baseline measured in the same run.

Run: .venv/bin/python benchmarks/bench_clinical.py

As in bench_histology.py: medians of CPU time over repeats, actions timed in
turns with a one-image baseline (a figure of the same size showing one RGB
image), each printed with its ratio to that baseline.

"Render one view" is what a stage or tone change costs in the ClinicalViewer:
replace the scene's polygons and draw the figure with Agg (the figure canvas
then only encodes and sends the image).  Scenes are cached, as in the viewer;
"build one new scene" is the uncached cost of a new seed.
"""

import itertools

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from timing import median_ms_in_turns

from widgets.core.clinical import clinical_scene
from widgets.views.clinical_renderer import ClinicalRenderer
from widgets.views.clinical_viewer import FIGURE_INCHES

REPEATS = 30


def clinical_figure():
    """A figure like the viewer's, drawn by Agg, with a renderer on its one axes."""
    figure = Figure(figsize=FIGURE_INCHES)
    canvas = FigureCanvasAgg(figure)
    return canvas, ClinicalRenderer(figure.add_subplot())


def imshow_figure() -> FigureCanvasAgg:
    """A plain figure of the same size showing one RGB image as large as the figure."""
    figure = Figure(figsize=FIGURE_INCHES)
    canvas = FigureCanvasAgg(figure)
    width, height = canvas.get_width_height()
    figure.add_subplot().imshow(np.random.default_rng(0).random((height, width, 3)))
    return canvas


def main() -> None:
    stages = itertools.cycle(
        [
            clinical_scene("adherent crust", "varioliformis", "V"),
            clinical_scene("follicular papule", "miliaris", "II"),
        ]
    )
    tones = itertools.cycle(
        [clinical_scene("healed", "varioliformis", tone) for tone in ("I", "VI")]
    )
    seeds = iter(range(1, 10**9))
    baseline_canvas = imshow_figure()
    canvas, renderer = clinical_figure()
    tone_canvas, tone_renderer = clinical_figure()
    label_canvas, label_renderer = clinical_figure()
    label_renderer.show(next(stages))
    labels = itertools.cycle([False, True])

    def render_stage():
        renderer.show(next(stages))
        canvas.draw()

    def render_tone():
        tone_renderer.show(next(tones))
        tone_canvas.draw()

    def toggle_labels():
        label_renderer.set_labels(next(labels))
        label_canvas.draw()

    ms = median_ms_in_turns(
        {
            "baseline": baseline_canvas.draw,
            "stage": render_stage,
            "tone": render_tone,
            "labels": toggle_labels,
            "build": lambda: clinical_scene("excoriated", "miliaris", "IV", seed=next(seeds)),
        },
        REPEATS,
    )
    baseline = ms["baseline"]

    def line(what, value, target):
        print(
            f"{what}: {value:.1f} ms (baseline one-imshow figure, Agg draw: {baseline:.1f} ms; "
            f"ratio {value / baseline:.2f}x; target {target})"
        )

    line("render one view, new stage (replace polygons + Agg draw)", ms["stage"], "<= 50 ms")
    line("render one view, new skin tone (replace polygons + Agg draw)", ms["tone"], "<= 50 ms")
    line("switch the labels (visibility + Agg draw)", ms["labels"], "<= 50 ms")
    line("build one new scene (uncached seed, no drawing)", ms["build"], "<= 50 ms")


if __name__ == "__main__":
    main()
