"""Key presses on every slider of every lesson widget -> final figure on screen, in a real
JupyterLab in headless Chromium.

    .venv/bin/python benchmarks/bench_browser.py [--rounds 5]

For each slider of the widgets that have sliders (CycleExplorer, TreatmentPlanner
with a plan ticked, ScalpMap on a simulated patient, SlideViewer at high power;
DifferentialExplorer, VisitTracker and CaseTrainer have none) it measures one
key press and a burst of three, beside the same on a naive widget built the way
the interactivity guide warns against: ``ipywidgets.interactive`` re-creating a
pyplot figure (inline PNG) on every change, running the same simulation.  All
live in one temporary notebook, served by the same JupyterLab and driven by the
same browser in the same run.

Timing is taken inside the page (``widgets.tools.browser.key_presses_ms``, shared
with bench_clinical_browser): from the first keydown (``event.timeStamp``) to the
animation frame after the last new pixels reached the operated widget's screen
element (``drawImage`` or ``putImageData`` onto its figure canvas; the new ``<img>``
decoded for the naive widget), once the kernel is idle and nothing has been
drawn for a while: that last frame is the final figure.  Medians over rounds,
after a warm-up round.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

import nbformat

from widgets.tools.browser import (
    KEY_PRESS_TIMEOUT_MS,
    VIEWPORT,
    LabTab,
    chromium_path,
    install_timing_probe,
    key_presses_ms,
    launch_chromium,
    start_lab,
)

TARGET_MS = 150.0
WARM_UP_ROUNDS = 1

SETUP = '''import ipywidgets as W
from widgets import CycleExplorer, ScalpMap, SlideViewer, TreatmentPlanner
from widgets.core.model import Scenario, Treatment, simulate


def tag_sliders(name, widget, canvas):
    """Give each slider of ``widget`` and its figure a class the benchmark can find."""
    canvas.add_class(f"bench-canvas-{name}")
    found, queue = [], [widget]
    while queue:
        node = queue.pop(0)
        if isinstance(node, (W.IntSlider, W.FloatSlider)):
            found.append(node)
        queue.extend(getattr(node, "children", ()))
    for index, slider in enumerate(found):
        slider.add_class(f"bench-slider-{name}-{index}")
    return len(found)'''
NAIVE = '''%matplotlib inline
import matplotlib.pyplot as plt


def naive_course(start_day):
    """Simulate, then re-create the whole figure on every change, as the guide says not to."""
    course = simulate(Scenario(treatments=(Treatment("oral tetracycline", start_day),)))
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(9.0, 4.4), sharex=True)
    top.semilogy(course.days, course.bacteria, course.days, course.effectors, course.days, course.damage)
    bottom.plot(course.days, course.viable_follicles, course.days, course.scar)
    bottom.axvspan(start_day, 365, alpha=0.35)
    plt.show()


naive_slider = W.IntSlider(90, min=0, max=364, description="Naive start")
naive_slider.add_class("bench-slider-naive-0")
naive = W.interactive(naive_course, start_day=naive_slider)
naive.children[-1].add_class("bench-canvas-naive")
naive.children[-1].layout.height = "480px"
naive'''
WIDGETS = {
    "CycleExplorer": """explorer = CycleExplorer(treatment="topical corticosteroid", start_day=60, course_days=90,
                          second_treatment="oral tetracycline", second_start_day=90)
tag_sliders("CycleExplorer", explorer, explorer.figure.canvas)
explorer""",
    "TreatmentPlanner": """planner = TreatmentPlanner()
planner.choose("doxycycline")
tag_sliders("TreatmentPlanner", planner, planner.figure.canvas)
planner""",
    "ScalpMap": """scalp = ScalpMap(mode="simulated patient")
scalp.day = 30
tag_sliders("ScalpMap", scalp, scalp.figure.canvas)
scalp""",
    "SlideViewer": """slides = SlideViewer(stage="crusted", form="varioliformis")
slides.power.value = "high power"
tag_sliders("SlideViewer", slides, slides.figure.canvas)
slides""",
}

# The slider labels of every tagged slider: [[widget, index, label], ...]
SLIDERS = """() => [...document.querySelectorAll('[class*="bench-slider-"]')].map(node => {
  const name = [...node.classList].find(c => c.startsWith('bench-slider-')).slice(13);
  const cut = name.lastIndexOf('-');
  const label = node.querySelector('.widget-label');
  return [name.slice(0, cut), Number(name.slice(cut + 1)),
          label ? label.textContent.trim() : '', node.matches('.mod-disabled, :disabled')
            || !!node.querySelector('.noUi-target[disabled]')];
})"""


def bench_notebook(folder: Path) -> str:
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    sources = (SETUP, NAIVE, *WIDGETS.values())
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in sources]
    nbformat.write(notebook, folder / "bench.ipynb")
    return "bench.ipynb"


def measure(tab: LabTab, widget: str, index: int, presses: int, rounds: int) -> list[float]:
    """Milliseconds from the first of ``presses`` key presses to the final figure, per round."""
    handle = tab.page.locator(f".bench-slider-{widget}-{index} .noUi-handle")
    handle.scroll_into_view_if_needed()
    value = float(handle.get_attribute("aria-valuenow"))
    top = float(handle.get_attribute("aria-valuemax"))
    bottom = float(handle.get_attribute("aria-valuemin"))
    # Alternate directions, starting away from the nearer end, so the value stays in range.
    keys = (
        ("ArrowLeft", "ArrowRight") if value > (top + bottom) / 2 else ("ArrowRight", "ArrowLeft")
    )
    timings = [
        key_presses_ms(tab, handle, keys[round_ % 2], presses, widget)
        for round_ in range(WARM_UP_ROUNDS + rounds)
    ]
    return timings[WARM_UP_ROUNDS:]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--rounds", type=int, default=5, help="measured rounds per slider and burst (default 5)"
    )
    parser.add_argument(
        "--only", default="", help="measure only sliders whose 'widget label' contains this text"
    )
    arguments = parser.parse_args()
    executable = chromium_path()
    if executable is None:
        print("bench_browser: skipped, no Chromium (install it with `apt-get install chromium`)")
        return 0
    from playwright.sync_api import TimeoutError as PageTimeout
    from playwright.sync_api import sync_playwright

    results = {}
    with tempfile.TemporaryDirectory(prefix="bench-browser-") as folder:
        workdir = Path(folder)
        course = workdir / "course"
        course.mkdir()
        notebook = bench_notebook(course)
        server = start_lab(workdir, course)
        try:
            with sync_playwright() as playwright:
                browser = launch_chromium(playwright, executable)
                tab = LabTab(browser.new_page(viewport=VIEWPORT), server)
                tab.open(notebook)
                tab.run_all_cells()
                install_timing_probe(tab)
                sliders = tab.page.evaluate(SLIDERS)
                for widget, index, label, disabled in sliders:
                    if widget != "naive" and arguments.only not in f"{widget} {label}":
                        continue
                    if disabled:
                        print(f"  {widget} {label!r}: disabled, skipped", file=sys.stderr)
                        continue
                    print(f"  {widget} {label!r}", file=sys.stderr, flush=True)
                    try:
                        results[(widget, label)] = {
                            presses: statistics.median(
                                measure(tab, widget, index, presses, arguments.rounds)
                            )
                            for presses in (1, 3)
                        }
                    except PageTimeout:
                        print(
                            f"bench_browser: {widget} {label!r}: the figure did not update within "
                            f"{KEY_PRESS_TIMEOUT_MS / 1000:.0f} s of a key press",
                            file=sys.stderr,
                        )
                        print("  " + "\n  ".join(tab.problems()), file=sys.stderr)
                        return 1
                problems = tab.problems()
                browser.close()
        finally:
            server.stop()
    naive = results.pop(("naive", "Naive start"))
    baseline = f"baseline naive interact + new pyplot figure: {naive[1]:.0f} / {naive[3]:.0f} ms"
    print(
        "slider key press -> final figure on screen, median ms, one press / burst of three "
        f"(target <= {TARGET_MS:.0f} ms; {baseline})"
    )
    slow = []
    for (widget, label), ms in results.items():
        ratio = ms[3] / naive[3]
        print(
            f"  {widget} {label}: {ms[1]:.0f} / {ms[3]:.0f} ms "
            f"({baseline}; burst ratio {ratio:.2f}x)"
        )
        if max(ms.values()) > TARGET_MS:
            slow.append(f"{widget} {label}")
    if slow:
        print(f"over the {TARGET_MS:.0f} ms target: {', '.join(slow)}")
    if problems:
        print("page problems during the benchmark:\n  " + "\n  ".join(problems), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
