"""Burst of three key presses on the linked day slider -> every view updated, in real Chromium.

    .venv/bin/python benchmarks/bench_clinical_browser.py [--rounds 5]

A temporary notebook shows a ``DayViews`` (the CycleExplorer's day slider moving
the model, the clinical close-up and the slide viewer) and, as the baseline, a
lone CycleExplorer, served by the same JupyterLab and driven by the same
browser in the same run.  Each round presses ArrowRight (or ArrowLeft at the
end of the year) three times on a day slider and times, inside the page, from
the first keydown to the animation frame after the last new pixels reached any
of that widget's canvases, once the kernel is idle and nothing has been drawn
for a while.  Rounds start on days where three presses cross a stage change,
so the clinical view and the slide really redraw.  Medians after a warm-up round.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

import nbformat

from widgets.tools.browser import (
    VIEWPORT,
    LabTab,
    chromium_path,
    install_timing_probe,
    key_presses_ms,
    launch_chromium,
    start_lab,
)

TARGET_MS = 150.0
PRESSES = 3

CELLS = (
    """from widgets import CycleExplorer, DayViews
linked = DayViews(tone="V", form="varioliformis", day=0)
linked.day_slider.add_class("bench-day-linked")
for view in (linked.explorer, linked.clinical, linked.slide):
    view.figure.canvas.add_class("bench-canvas-linked")
linked""",
    """alone = CycleExplorer(form="varioliformis")
alone.inspect_day.add_class("bench-day-alone")
alone.figure.canvas.add_class("bench-canvas-alone")
alone""",
)


def bench_notebook(folder: Path) -> str:
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in CELLS]
    nbformat.write(notebook, folder / "bench-clinical.ipynb")
    return "bench-clinical.ipynb"


def stage_change_days() -> list[int]:
    """Days from which three presses right cross a change of the clinical picture."""
    from widgets.core.clinical.stages import clinical_stage_on, days_in_stage
    from widgets.views.cycle_explorer import CycleExplorer

    course = CycleExplorer(form="varioliformis").course

    def picture(day):
        return clinical_stage_on(
            course.stage_on(day),
            "varioliformis",
            days_in_stage(course.stage_codes, day),
            course.scenario.scratching,
        )

    return [
        day
        for day in range(0, int(course.scenario.days) - PRESSES)
        if picture(day) != picture(day + PRESSES)
    ]


def spaced(days: list[int], count: int) -> list[int]:
    """The first ``count`` of ``days`` at least a burst apart, in ascending order."""
    chosen: list[int] = []
    for day in days:
        if not chosen or day >= chosen[-1] + PRESSES:
            chosen.append(day)
    return chosen[:count]


def move_to(tab: LabTab, handle, day: int) -> None:
    """Press ArrowRight until the slider shows ``day`` (the presses are coalesced), then settle."""
    handle.focus()
    for _ in range(day - int(float(handle.get_attribute("aria-valuenow")))):
        tab.page.keyboard.press("ArrowRight")
    tab.settle()


def measure(tab: LabTab, name: str, starts: list[int]) -> list[float]:
    """Milliseconds from the first of three presses to the last new pixels, per start day."""
    handle = tab.page.locator(f".bench-day-{name} .noUi-handle")
    handle.scroll_into_view_if_needed()
    timings = []
    for start in starts:
        move_to(tab, handle, start)
        timings.append(key_presses_ms(tab, handle, "ArrowRight", PRESSES, name))
    return timings[1:]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5, help="measured rounds (default 5)")
    arguments = parser.parse_args()
    executable = chromium_path()
    if executable is None:
        print("bench_clinical_browser: skipped, no Chromium (`apt-get install chromium`)")
        return 0
    from playwright.sync_api import sync_playwright

    starts = spaced(stage_change_days(), arguments.rounds + 1)
    with tempfile.TemporaryDirectory(prefix="bench-clinical-") as folder:
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
                linked = statistics.median(measure(tab, "linked", starts))
                alone = statistics.median(measure(tab, "alone", starts))
                problems = tab.problems()
                browser.close()
        finally:
            server.stop()
    verdict = "within" if linked <= TARGET_MS else "OVER"
    print(
        f"linked day slider, burst of {PRESSES} presses -> model, clinical view and slide all "
        f"updated: {linked:.0f} ms (baseline lone CycleExplorer, same burst: {alone:.0f} ms; "
        f"ratio {linked / alone:.2f}x; target <= {TARGET_MS:.0f} ms: {verdict})"
    )
    if problems:
        print("page problems during the benchmark:\n  " + "\n  ".join(problems), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
