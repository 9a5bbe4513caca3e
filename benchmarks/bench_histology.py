"""How long the virtual biopsy takes to show a slide, beside baselines measured in the same run.

Run: .venv/bin/python benchmarks/bench_histology.py

The machine is shared and noisy, so every figure is a median over repeats, the
actions are timed in turns (one of each per round, so load hits them alike), and
each is printed with a baseline from the same rounds.  Times are CPU time of this
process (``time.process_time``): on a busy machine wall time mostly measures the
other processes; on an idle one the two agree, as drawing is single-threaded.

"Render one view" is what a slide change costs in the SlideViewer: replace the
scene's artists and draw the figure with Agg (the ipympl canvas then only
encodes and sends the image).

"A pan step" is one *Across* step of a SlideViewer shown in a browser (its
frames computed and encoded, not sent): moving the picture of the whole section
that ``SlidePanner`` drew once, beside drawing the window again.
"""

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from timing import median_ms_in_turns

from widgets.core.histology import biopsy_scene
from widgets.views.slide_renderer import SlideRenderer
from widgets.views.slide_viewer import SlideViewer

REPEATS = 30
FIGURE_INCHES = (4.3, 5.3)
"""The SlideViewer's figure size."""


def slide_figure():
    """A figure like the viewer's, drawn by Agg, with a renderer on its one axes."""
    figure = Figure(figsize=FIGURE_INCHES)
    canvas = FigureCanvasAgg(figure)
    renderer = SlideRenderer(figure.add_subplot())
    return canvas, renderer


def imshow_figure() -> FigureCanvasAgg:
    """A plain figure of the same size showing one RGB image as large as the figure."""
    figure = Figure(figsize=FIGURE_INCHES)
    canvas = FigureCanvasAgg(figure)
    width, height = canvas.get_width_height()
    figure.add_subplot().imshow(np.random.default_rng(0).random((height, width, 3)))
    return canvas


def viewer_on_screen(panning: bool) -> SlideViewer:
    """A SlideViewer at high power whose frames are made as for a browser, then dropped."""
    viewer = SlideViewer(stage="crusted", form="varioliformis")
    canvas = viewer.figure.canvas
    canvas.send = lambda message, buffers: None
    canvas._on_front_end_message(canvas, {"type": "ready"}, [])  # as a browser view says
    viewer.power.value = "high power"
    if not panning:
        viewer.panner.pan = lambda: False
    return viewer


def main() -> None:
    scenes = [biopsy_scene("crusted", "varioliformis"), biopsy_scene("early", "miliaris")]
    turn = iter(range(10**9))
    seeds = iter(range(1, 10**9))
    baseline_canvas = imshow_figure()
    canvas, renderer = slide_figure()
    cleared_canvas, cleared = slide_figure()
    panned_canvas, panned = slide_figure()
    panned.show(scenes[0])

    def render_view():
        renderer.show(scenes[next(turn) % 2])
        canvas.draw()

    def render_by_clearing():
        cleared.ax.cla()
        SlideRenderer(cleared.ax).show(scenes[next(turn) % 2])
        cleared_canvas.draw()

    def pan():
        left = 0.5 + (next(turn) % 2)
        panned.set_view(left, left + 1.0, -1.3, 0.0)
        panned_canvas.draw()

    moved, redrawn = viewer_on_screen(panning=True), viewer_on_screen(panning=False)

    def step(viewer):
        return lambda: setattr(viewer.across, "value", 1.0 + 0.05 * (next(turn) % 20))

    ms = median_ms_in_turns(
        {
            "baseline": baseline_canvas.draw,
            "render": render_view,
            "clearing": render_by_clearing,
            "pan": pan,
            "moved": step(moved),
            "redrawn": step(redrawn),
            "build": lambda: biopsy_scene("crusted", "varioliformis", seed=next(seeds)),
        },
        REPEATS,
    )
    baseline = ms["baseline"]

    def line(what, value, target):
        print(
            f"{what}: {value:.1f} ms (baseline one-imshow figure, Agg draw: {baseline:.1f} ms; "
            f"ratio {value / baseline:.2f}x; target {target})"
        )

    line("render one view (replace the scene's artists + Agg draw)", ms["render"], "<= 100 ms")
    line(
        "render one view by clearing the axes instead (rejected design)",
        ms["clearing"],
        "above the line before",
    )
    line("pan or zoom at high power (set limits + Agg draw)", ms["pan"], "<= 100 ms")
    line("build one new scene (uncached seed, no drawing)", ms["build"], "<= 50 ms")
    print(
        f"a pan step on screen, moving the section's picture: {ms['moved']:.1f} ms "
        f"(baseline drawing the window again: {ms['redrawn']:.1f} ms; "
        f"ratio {ms['moved'] / ms['redrawn']:.2f}x; target below 1)"
    )


if __name__ == "__main__":
    main()
