"""Key press on a slider -> updated figure on screen, in a real JupyterLab in headless Chromium.

    .venv/bin/python benchmarks/bench_browser.py [--presses 25]

Measures the CycleExplorer's start-day slider (ipympl canvas, artists updated in
place) beside a naive widget built the way the interactivity guide warns
against: ``ipywidgets.interactive`` re-creating a pyplot figure (inline PNG) on
every change.  Both live in one temporary notebook, served by the same
JupyterLab and driven by the same browser in the same run.

Timing is taken inside the page: from the keydown event (``event.timeStamp``)
to the first animation frame after the new pixels reached the screen element
(``drawImage`` onto the visible canvas for ipympl; the new ``<img>`` decoded
for the naive widget).  Medians over the presses; the first presses warm up.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

import nbformat

from widgets.tools.browser import VIEWPORT, LabTab, chromium_path, launch_chromium, start_lab

REPO = Path(__file__).resolve().parents[1]

TARGET_MS = 150.0
WARM_UP_PRESSES = 3
UPDATE_TIMEOUT_MS = 30_000
START_DAY = 90
TREATMENT = "oral tetracycline"

SETUP = """import ipywidgets as W
from widgets import CycleExplorer
from widgets.core.model import Scenario, Treatment, simulate"""
# Same patient, same simulation per change as the explorer; only the drawing differs.
NAIVE = f'''%matplotlib inline
import matplotlib.pyplot as plt


def naive_course(start_day):
    """Simulate, then re-create the whole figure on every change, as the guide says not to."""
    course = simulate(Scenario(form="varioliformis", severity=0.9, scratching=0.5, days=365,
                               treatments=(Treatment("{TREATMENT}", start_day, None),)))
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(9.0, 4.4), sharex=True)
    top.semilogy(course.days, course.bacteria, course.days, course.effectors, course.days, course.damage)
    bottom.plot(course.days, course.viable_follicles, course.days, course.scar)
    bottom.axvspan(start_day, 365, alpha=0.35)
    plt.show()


naive_slider = W.IntSlider({START_DAY}, min=0, max=364, description="Naive start")
naive_slider.add_class("bench-naive-slider")
naive = W.interactive(naive_course, start_day=naive_slider)
naive.children[-1].add_class("bench-naive-output")
naive.children[-1].layout.height = "480px"
naive'''
EXPLORER = f"""explorer = CycleExplorer(treatment="{TREATMENT}", start_day={START_DAY})
explorer.start_day.add_class("bench-explorer-slider")
explorer.figure.canvas.add_class("bench-explorer-canvas")
explorer"""

# Installed once per page: timestamps of keydowns and of new pixels per target.
INSTRUMENT = """() => {
  window.__bench = {keydown: null, shown: null};
  document.addEventListener('keydown', event => { window.__bench.keydown = event.timeStamp; }, true);
  const settle = () => requestAnimationFrame(time => {
    if (window.__bench.shown === null) window.__bench.shown = time;
  });
  const drawImage = CanvasRenderingContext2D.prototype.drawImage;
  CanvasRenderingContext2D.prototype.drawImage = function (...args) {
    const result = drawImage.apply(this, args);
    if (this.canvas.closest && this.canvas.closest('.bench-explorer-canvas')
        && this.canvas === this.canvas.parentElement.firstElementChild) settle();
    return result;
  };
  new MutationObserver(records => {
    for (const record of records) for (const node of record.addedNodes) {
      const images = node.querySelectorAll ? [...node.querySelectorAll('img')] : [];
      if (node.tagName === 'IMG') images.push(node);
      for (const image of images) image.decode().then(settle, settle);
    }
  }).observe(document.body, {childList: true, subtree: true});
}"""


def bench_notebook(folder: Path) -> str:
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in (SETUP, NAIVE, EXPLORER)]
    nbformat.write(notebook, folder / "bench.ipynb")
    return "bench.ipynb"


def measure(tab: LabTab, slider_class: str, presses: int) -> list[float]:
    """Milliseconds from each key press on the slider to its figure's new pixels on screen."""
    page = tab.page
    handle = page.locator(f".{slider_class} .noUi-handle")
    handle.scroll_into_view_if_needed()
    timings, key = [], "ArrowRight"
    for press in range(WARM_UP_PRESSES + presses):
        value, top = (
            float(handle.get_attribute("aria-valuenow")),
            float(handle.get_attribute("aria-valuemax")),
        )
        bottom = float(handle.get_attribute("aria-valuemin"))
        key = "ArrowLeft" if value >= top else "ArrowRight" if value <= bottom else key
        page.evaluate("() => { window.__bench.keydown = null; window.__bench.shown = null; }")
        handle.focus()
        page.keyboard.press(key)
        page.wait_for_function(
            "() => window.__bench.shown !== null && window.__bench.keydown !== null",
            timeout=UPDATE_TIMEOUT_MS,
            polling=10,
        )
        elapsed = page.evaluate("() => window.__bench.shown - window.__bench.keydown")
        if press >= WARM_UP_PRESSES:
            timings.append(elapsed)
        tab.settle()
    return timings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--presses", type=int, default=25, help="measured presses per widget (default 25)"
    )
    arguments = parser.parse_args()
    executable = chromium_path()
    if executable is None:
        print("bench_browser: skipped, no Chromium (install it with `apt-get install chromium`)")
        return 0
    from playwright.sync_api import TimeoutError as PageTimeout
    from playwright.sync_api import sync_playwright

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
                tab.page.evaluate(INSTRUMENT)
                timings = {}
                for name, slider in (
                    ("naive", "bench-naive-slider"),
                    ("explorer", "bench-explorer-slider"),
                ):
                    print(f"  {name}: {arguments.presses} key presses", file=sys.stderr, flush=True)
                    try:
                        timings[name] = measure(tab, slider, arguments.presses)
                    except PageTimeout:
                        print(
                            f"bench_browser: the {name} widget's figure did not update within "
                            f"{UPDATE_TIMEOUT_MS / 1000:.0f} s of a key press",
                            file=sys.stderr,
                        )
                        print("  " + "\n  ".join(tab.problems()), file=sys.stderr)
                        return 1
                problems = tab.problems()
                browser.close()
        finally:
            server.stop()
    naive, explorer = (statistics.median(timings[name]) for name in ("naive", "explorer"))
    print(
        f"slider key press to new figure on screen, CycleExplorer start day: {explorer:.0f} ms "
        f"(baseline naive interact + new pyplot figure: {naive:.0f} ms; ratio {explorer / naive:.2f}x; "
        f"target <= {TARGET_MS:.0f} ms)"
    )
    if problems:
        print("page problems during the benchmark:\n  " + "\n  ".join(problems), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
