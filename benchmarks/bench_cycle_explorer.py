"""Kernel-side cost of one CycleExplorer update, beside a naive ``interactive`` redraw in the same run.

Run: .venv/bin/python benchmarks/bench_cycle_explorer.py

One update = a control changes, the model runs, the artists change and the
canvas is redrawn (the explorer blits its moving artists onto a kept background,
then the canvas encodes the image diff).  The baseline is the usual first attempt:
an ``ipywidgets.interactive`` function that simulates, builds a new pyplot
figure with the same two panels, draws it with Agg and closes it.  Medians of CPU
time of this process (``time.process_time``), the two timed in turns so load on
the shared machine hits them alike.

The explorer's canvas is told what its front end tells it on display (a "ready"
message): from then on it encodes and sends an image diff per frame, as in a
live session.
The baseline's stdout (interactive clears its output area) is discarded.
"""

import asyncio
import contextlib
import io
import itertools
import os
import statistics
import time

os.environ.setdefault("MPLBACKEND", "agg")

import ipywidgets as W
import matplotlib.pyplot as plt
from timing import median_ms_in_turns

from widgets import CycleExplorer
from widgets.core.model import Scenario, Treatment, simulate

REPEATS = 25
START_DAYS = itertools.cycle(range(5, 300, 7))


def naive_plot(start_day: int) -> None:
    """Simulate and draw both panels on a brand-new pyplot figure, as a first attempt would."""
    course = simulate(Scenario(treatments=(Treatment("oral tetracycline", start_day),)))
    ghost = simulate(Scenario())
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(9.0, 4.4), sharex=True, layout="constrained")
    top.set_yscale("log")
    top.set_ylim(1e-3, 40)
    top.plot(course.days, course.bacteria, label="bacteria")
    top.plot(course.days, course.effectors, label="effectors")
    top.plot(course.days, course.follicle_damage, label="damage at the follicle")
    top.axhline(course.necrosis_threshold, ls=":")
    top.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0))
    bottom.plot(course.days, 100 * course.viable_follicles, label="follicles viable")
    bottom.plot(course.days, 100 * course.scar, label="scar")
    bottom.plot(ghost.days, 100 * ghost.viable_follicles, ls="--", label="untreated")
    bottom.plot(ghost.days, 100 * ghost.scar, ls="--")
    bottom.axvspan(start_day, 365, alpha=0.3)
    bottom.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0))
    fig.canvas.draw()
    plt.close(fig)


def burst_of_three_ms(explorer: CycleExplorer, repeats: int = REPEATS) -> dict[str, float]:
    """CPU ms for three severity changes arriving from the browser in one burst, coalesced (as
    the explorer does) and one update each (as the same handler would without coalescing)."""
    values = itertools.cycle((0.8, 0.85, 0.9, 0.95))

    async def coalesced():
        for _ in range(3):
            explorer.severity.set_state({"value": next(values)})
        await asyncio.sleep(0)

    def each():
        for _ in range(3):
            explorer.severity.value = next(values)

    times = {"coalesced": [], "each": []}
    for _ in range(repeats):
        start = time.process_time()
        asyncio.run(coalesced())
        times["coalesced"].append(time.process_time() - start)
        start = time.process_time()
        each()
        times["each"].append(time.process_time() - start)
    return {name: 1e3 * statistics.median(values) for name, values in times.items()}


def main() -> None:
    explorer = CycleExplorer(treatment="oral tetracycline")
    canvas = explorer.figure.canvas
    canvas._on_front_end_message(canvas, {"type": "ready"}, [])
    canvas.draw()
    with contextlib.redirect_stdout(io.StringIO()):
        naive = W.interactive(naive_plot, start_day=W.IntSlider(60, 0, 364))
    inspect_days = itertools.cycle(range(0, 365, 11))

    def explorer_update():
        explorer.start_day.value = next(START_DAYS)

    def naive_update():
        with contextlib.redirect_stdout(io.StringIO()):
            naive.children[0].value = next(START_DAYS)

    def inspect_update():
        explorer.inspect_day.value = next(inspect_days)

    actions = {"explorer": explorer_update, "naive": naive_update, "inspect": inspect_update}
    ms = median_ms_in_turns(actions, REPEATS)
    print(
        f"CycleExplorer update (start day → simulate → artists → blit): {ms['explorer']:.1f} ms "
        f"(baseline interactive + new pyplot figure: {ms['naive']:.1f} ms; "
        f"speed-up {ms['naive'] / ms['explorer']:.1f}x; target <= 50 ms)"
    )
    print(
        f"CycleExplorer inspect-day step (marker, stage, text): {ms['inspect']:.1f} ms "
        f"(baseline interactive + new pyplot figure: {ms['naive']:.1f} ms; "
        f"speed-up {ms['naive'] / ms['inspect']:.1f}x; target <= 50 ms)"
    )
    burst = burst_of_three_ms(explorer)
    print(
        f"CycleExplorer burst of three severity presses from the browser (coalesced: one "
        f"update): {burst['coalesced']:.1f} ms (baseline three uncoalesced updates: "
        f"{burst['each']:.1f} ms; speed-up {burst['each'] / burst['coalesced']:.1f}x)"
    )
    full = []
    for _ in range(5):
        start = time.process_time()
        explorer.figure.canvas.draw()
        full.append(time.process_time() - start)
    print(
        f"CycleExplorer full redraw (first display, resize): {1e3 * statistics.median(full):.1f} ms "
        f"(baseline interactive + new pyplot figure: {ms['naive']:.1f} ms; "
        f"speed-up {ms['naive'] / (1e3 * statistics.median(full)):.1f}x; target: only on display)"
    )


if __name__ == "__main__":
    main()
