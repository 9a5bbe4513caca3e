"""The read-without-running HTML (``make html``): a lesson renders with its figures, described, and no errors.

Runs scripts/build_html.py as ``make html`` does, on one lesson that shows a
live widget figure (the hardest case: a figure canvas has no image of its own
in a static page), into a temporary folder.
"""

import re
import subprocess
import sys
from html.parser import HTMLParser

import nbformat
import pytest
from notebook_files import LESSONS, REPO

FIGURE_WIDGETS = (
    "CycleExplorer",
    "SlideViewer",
    "DifferentialExplorer",
    "TreatmentPlanner",
    "ScalpMap",
    "VisitTracker",
    "CaseTrainer",
)
BUILD_TIMEOUT_SECONDS = 900


def _lesson_with_a_widget_figure():
    for path in LESSONS:
        source = "\n".join(cell.source for cell in nbformat.read(path, as_version=4).cells)
        if any(re.search(rf"\b{name}\(", source) for name in FIGURE_WIDGETS):
            return path
    return LESSONS[0] if LESSONS else None


class _Images(HTMLParser):
    def __init__(self):
        super().__init__()
        self.images: list[dict] = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.images.append(dict(attrs))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    lesson = _lesson_with_a_widget_figure()
    if lesson is None:
        pytest.skip("no lessons yet")
    out = tmp_path_factory.mktemp("html")
    result = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "build_html.py"), str(lesson), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT_SECONDS,
        cwd=REPO,
    )
    return lesson, out, result


def test_build_succeeds_and_reports_progress(built):
    lesson, _, result = built
    assert result.returncode == 0, result.stderr[-2000:]
    assert f"[1/1] {lesson.name}" in result.stdout
    assert "running cell" in result.stdout


def test_lesson_page_and_index_are_written(built):
    lesson, out, _ = built
    index = (out / "index.html").read_text()
    assert f'href="{lesson.stem}.html"' in index
    assert (out / f"{lesson.stem}.html").stat().st_size > 0


def test_page_shows_described_figures_and_no_errors(built):
    lesson, out, _ = built
    page = (out / f"{lesson.stem}.html").read_text()
    parser = _Images()
    parser.feed(page)
    figures = [
        image
        for image in parser.images
        if image.get("src", "").startswith("data:image/png;base64,")
    ]
    assert figures, "the page should embed its figures as PNG images"
    assert all(image.get("alt", "").strip() for image in figures), "every figure needs alt text"
    assert 'data-mime-type="application/vnd.jupyter.stderr"' not in page
    assert "Traceback" not in page
    assert "application/vnd.jupyter.widget-view+json" not in page, (
        "a widget was left for JavaScript to draw"
    )
    assert "[widget not saved]" not in page


def test_widget_figures_become_images_with_their_summary_as_alt_text(built):
    lesson, out, _ = built
    source = "\n".join(cell.source for cell in nbformat.read(lesson, as_version=4).cells)
    if not any(name in source for name in FIGURE_WIDGETS):
        pytest.skip(f"{lesson.name} has no widget figure")
    parser = _Images()
    parser.feed((out / f"{lesson.stem}.html").read_text())
    figure_images = [image for image in parser.images if "figure" in image.get("class", "")]
    assert figure_images, "the widget's live figure should be drawn as an image"
    assert any(len(image.get("alt", "").split()) >= 5 for image in figure_images), (
        "a widget figure's alt text should be its summary_text"
    )
