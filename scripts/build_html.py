"""Render every lesson, executed, to static HTML for reading without running (``make html``).

    .venv/bin/python scripts/build_html.py                 # every lesson into build/html/
    .venv/bin/python scripts/build_html.py lessons/01-*.ipynb --out /tmp/html

Each lesson runs top to bottom on a fresh kernel, with ``COURSE_STATIC_HTML=1`` so that
every committed prediction shows its question and then its result (a reader of the
page has no kernel to commit with).  Interactive widgets cannot run
in a static page, so each one is drawn as it stands after the run: controls as
their current values, text as shown, and every live figure as a PNG rendered in
the kernel (its alt text is the widget's ``summary_text``).  The pages need no
JavaScript and no network.  An index page lists the lessons with their summaries.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import re
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from nbconvert import HTMLExporter

from widgets.views.prediction import STATIC_COPY_ENV

REPO = Path(__file__).resolve().parents[1]
LESSONS = REPO / "lessons"
OUTPUT = REPO / "build" / "html"
CELL_TIMEOUT_SECONDS = 600
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
CAPTION = re.compile(r"^\s*[*_]{0,2}Figure \d+\.")
READ_ONLY_NOTE = (
    '<div class="static-note" role="note"><b>Read-only copy.</b> This page was rendered from the '
    "executed notebook: widgets show their starting state and do not respond. Open the notebook "
    "in JupyterLab and choose <i>Run &rsaquo; Run All Cells</i> to use them.</div>"
)
STYLE = """
<style>
.static-note { border: 1px solid #0072B2; background: #eef6fb; padding: .6em 1em; margin: 1em 0; }
.static-widget { font-family: var(--jp-ui-font-family, sans-serif); font-size: 13px; }
.static-widget .box { display: flex; gap: .4em; flex-wrap: wrap; }
.static-widget .vbox { flex-direction: column; }
.static-widget .hbox { flex-direction: row; align-items: flex-start; }
.static-widget .control { padding: .15em 0; }
.static-widget .control .label { font-weight: 600; margin-right: .4em; }
.static-widget .choices { margin: .2em 0 .2em 1em; padding: 0; list-style: none; }
.static-widget img.figure { max-width: 100%; height: auto; }
</style>
"""

# Runs in the lesson's kernel after its last cell: a PNG of every live widget
# figure, keyed by the canvas's widget model id, with the owning widget's summary.
FIGURE_PROBE = r"""
import base64 as _b64, io as _io, json as _json
from widgets.views.canvas import FigureCanvas as _Canvas
from ipywidgets.widgets.widget import _instances as _widgets
_figures = {}
for _model_id, _widget in list(_widgets.items()):
    if isinstance(_widget, _Canvas):
        _buffer = _io.BytesIO()
        _widget.figure.savefig(_buffer, format="png", dpi=_widget.figure.dpi)
        _figures[_model_id] = {"png": _b64.b64encode(_buffer.getvalue()).decode("ascii"), "alt": ""}
for _widget in list(_widgets.values()):
    _figure, _summary = getattr(_widget, "figure", None), getattr(_widget, "summary_text", None)
    _canvas = getattr(_figure, "canvas", None)
    if isinstance(_canvas, _Canvas) and isinstance(_summary, str) and _canvas.model_id in _figures:
        _figures[_canvas.model_id]["alt"] = _summary
print(_json.dumps(_figures))
"""


@dataclass(frozen=True)
class Lesson:
    """A rendered lesson: where its page is, and what the index says about it."""

    page: Path
    title: str
    summary: str


class StaticWidgets:
    """Draws widget views as plain HTML from the widget state stored after execution."""

    def __init__(self, state: dict, figures: dict):
        self.state = state
        self.figures = figures
        self.caption = ""

    def render(self, model_id: str, caption: str = "") -> str:
        """The widget ``model_id`` as HTML; ``caption`` describes figures that have no summary."""
        self.caption = caption
        return f'<div class="static-widget">{self._widget(model_id)}</div>'

    def _widget(self, model_id: str) -> str:
        model = self.state.get(model_id)
        if model is None:
            return '<p class="control">[widget not saved]</p>'
        name = model.get("model_name", "")
        values = model.get("state", {})
        if model_id in self.figures:
            return self._figure(model_id)
        if "children" in values:
            direction = "hbox" if name.startswith("HBox") else "vbox"
            children = "".join(
                self._widget(child.removeprefix("IPY_MODEL_"))
                for child in values.get("children", [])
            )
            return f'<div class="box {direction}">{children}</div>'
        if name in ("HTMLModel", "HTMLMathModel"):
            return f'<div class="control">{self._label(values)}{values.get("value", "")}</div>'
        if name == "LabelModel":
            return f'<div class="control">{html.escape(str(values.get("value", "")))}</div>'
        if name == "OutputModel":
            return "".join(self._output(output) for output in values.get("outputs", []))
        if name in ("CheckboxModel", "ToggleButtonModel"):
            mark = "☑" if values.get("value") else "☐"
            return f'<div class="control">{mark} {html.escape(values.get("description", ""))}</div>'
        if name == "ButtonModel":
            return f'<div class="control"><button disabled>{html.escape(values.get("description", ""))}</button></div>'
        if name == "SelectionSliderModel":
            label = values["_options_labels"][values.get("index", 0)]
            return f'<div class="control">{self._label(values)}{html.escape(label)}</div>'
        if "_options_labels" in values:
            return self._choice(values)
        if "value" in values:
            value = values["value"]
            shown = " – ".join(map(str, value)) if isinstance(value, list) else str(value)
            return f'<div class="control">{self._label(values)}{html.escape(shown)}</div>'
        return f'<div class="control">[{html.escape(name.removesuffix("Model"))}: run the notebook to use it]</div>'

    def _figure(self, model_id: str) -> str:
        figure = self.figures[model_id]
        alt = (
            figure["alt"]
            or self.caption
            or "Figure drawn by an interactive widget, in its starting state."
        )
        return figure_image(figure["png"], alt)

    def _label(self, values: dict) -> str:
        description = values.get("description", "")
        return f'<span class="label">{html.escape(description)}</span>' if description else ""

    def _choice(self, values: dict) -> str:
        labels = values["_options_labels"]
        chosen = values.get("index")
        chosen = set(chosen) if isinstance(chosen, list) else {chosen}
        items = "".join(
            f"<li>{'◉' if index in chosen else '○'} {html.escape(label)}</li>"
            for index, label in enumerate(labels)
        )
        return f'<div class="control">{self._label(values)}<ul class="choices">{items}</ul></div>'

    def _output(self, output: dict) -> str:
        data = output.get("data", {})
        if output.get("output_type") == "stream":
            return f"<pre>{html.escape(output.get('text', ''))}</pre>"
        if WIDGET_VIEW in data:
            return self._widget(data[WIDGET_VIEW]["model_id"])
        if "text/html" in data:
            return "".join(data["text/html"])
        if "image/png" in data:
            return figure_image(data["image/png"], self.caption or "Figure shown by the widget.")
        return f"<pre>{html.escape(''.join(data.get('text/plain', '')))}</pre>"


def execute(path: Path, progress) -> tuple[nbformat.NotebookNode, dict]:
    """Run the lesson on a fresh kernel with a private HOME; returns it and its figures' PNGs."""
    notebook = nbformat.read(path, as_version=4)
    code_cells = sum(cell.cell_type == "code" for cell in notebook.cells)
    notebook.cells.append(nbformat.v4.new_code_cell(FIGURE_PROBE))
    done = []

    def cell_done(cell, cell_index, execute_reply):
        if len(done) < code_cells:
            done.append(cell_index)
            progress(f"  running cell {len(done)}/{code_cells}", end="\r")

    with tempfile.TemporaryDirectory(prefix="build-html-home-") as home:
        client = NotebookClient(
            notebook,
            timeout=CELL_TIMEOUT_SECONDS,
            kernel_name="python3",
            store_widget_state=True,
            resources={"metadata": {"path": str(path.parent)}},
            on_cell_executed=cell_done,
        )
        # The kernel's own log (e.g. its TCP notice) is noise here; errors come back as cell outputs.
        with open(Path(home) / "kernel.log", "wb") as kernel_log:
            client.execute(
                env={
                    **os.environ,
                    "HOME": home,
                    "MPLCONFIGDIR": str(Path(home) / "matplotlib"),
                    STATIC_COPY_ENV: "1",
                },
                stderr=kernel_log,
            )
    probe = notebook.cells.pop()
    stdout = "".join(
        output.get("text", "") for output in probe.outputs if output.get("name") == "stdout"
    )
    return notebook, json.loads(stdout.strip().splitlines()[-1])


def make_static(notebook: nbformat.NotebookNode, figures: dict) -> nbformat.NotebookNode:
    """Replace every widget view by its static drawing and drop the stored widget state.

    A figure followed by a "Figure N. ..." caption gets that caption as its alt text.
    """
    state = notebook.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    widgets = StaticWidgets(state, figures)
    for index, cell in enumerate(notebook.cells):
        following = notebook.cells[index + 1] if index + 1 < len(notebook.cells) else None
        caption = caption_text(following) if following is not None else ""
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if WIDGET_VIEW in data:
                output["data"] = {
                    "text/html": widgets.render(data[WIDGET_VIEW]["model_id"], caption)
                }
            elif "image/png" in data and caption:
                output["data"] = {"text/html": figure_image(data["image/png"], caption)}
    notebook.metadata.pop("widgets", None)
    return notebook


def caption_text(cell) -> str:
    """The plain text of a "Figure N. ..." markdown caption, or '' if ``cell`` is none."""
    if cell.cell_type != "markdown" or not CAPTION.match(cell.source):
        return ""
    return " ".join(re.sub(r"[*_`]", "", cell.source).split())


def figure_image(png_base64: str, alt: str) -> str:
    return f'<img class="figure" alt="{html.escape(alt)}" src="data:image/png;base64,{png_base64}">'


def title_and_summary(notebook: nbformat.NotebookNode, fallback: str) -> tuple[str, str]:
    """The lesson's '# ' title and the first paragraph after it, as plain text."""
    first = next((cell.source for cell in notebook.cells if cell.cell_type == "markdown"), "")
    lines = first.strip().splitlines()
    if not lines or not lines[0].startswith("# "):
        return fallback, ""
    paragraphs = "\n".join(lines[1:]).strip().split("\n\n")
    summary = re.sub(r"[*_`]", "", paragraphs[0]).strip() if paragraphs else ""
    return lines[0][2:].strip(), summary


def render_lesson(path: Path, out_dir: Path, progress=print) -> Lesson:
    """Execute one lesson and write ``<out_dir>/<name>.html``."""
    notebook, figures = execute(path, progress)
    title, summary = title_and_summary(notebook, path.stem)
    notebook = make_static(notebook, figures)
    notebook.cells.insert(0, nbformat.v4.new_markdown_cell(READ_ONLY_NOTE))
    body, _ = HTMLExporter(template_name="lab").from_notebook_node(notebook)
    body = body.replace("</head>", f"{STYLE}</head>", 1)
    page = out_dir / f"{path.stem}.html"
    page.write_text(body, encoding="utf-8")
    return Lesson(page, title, summary)


def write_index(lessons: list[Lesson], out_dir: Path) -> Path:
    """An index page linking every rendered lesson, with its one-paragraph summary."""
    items = "\n".join(
        f'<li><a href="{html.escape(lesson.page.name)}">{html.escape(lesson.title)}</a>'
        f"<p>{html.escape(lesson.summary)}</p></li>"
        for lesson in lessons
    )
    index = out_dir / "index.html"
    index.write_text(
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        "<title>Acne necrotica course: lessons</title>"
        "<style>body{font-family:sans-serif;max-width:50em;margin:2em auto;line-height:1.5}"
        "li{margin-bottom:1em}</style></head><body>"
        "<h1>Acne necrotica course: lessons (read-only)</h1>"
        "<p>Static copies of the executed lessons. Widgets show their starting state; open the "
        "notebooks in JupyterLab to use them.</p>"
        f"<ul>{items}</ul></body></html>\n",
        encoding="utf-8",
    )
    return index


def build(paths: list[Path], out_dir: Path, progress=print) -> tuple[list[Lesson], list[str]]:
    """Render ``paths`` into ``out_dir`` with an index; returns the lessons and the failures."""
    out_dir.mkdir(parents=True, exist_ok=True)
    lessons, failures = [], []
    for number, path in enumerate(paths, start=1):
        started = time.monotonic()
        progress(f"[{number}/{len(paths)}] {path.name}")
        try:
            lessons.append(render_lesson(path, out_dir, progress))
        except CellExecutionError as error:
            failures.append(f"{path.name}: {str(error).strip().splitlines()[-1]}")
            progress(f"  FAILED: {failures[-1]}")
            continue
        progress(
            f"  wrote {lessons[-1].page.relative_to(out_dir)} in {time.monotonic() - started:.1f} s"
        )
    write_index(lessons, out_dir)
    return lessons, failures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "lessons", nargs="*", type=Path, help="lesson notebooks (default: every lessons/*.ipynb)"
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=OUTPUT,
        help=f"output folder (default: {OUTPUT.relative_to(REPO)})",
    )
    arguments = parser.parse_args(argv)
    paths = [path.resolve() for path in arguments.lessons] or sorted(LESSONS.glob("*.ipynb"))
    missing = [str(path) for path in paths if not path.is_file()]
    if missing:
        parser.error(f"no such notebook: {', '.join(missing)}")

    def progress(message: str, end: str = "\n") -> None:
        print(f"{message:<60}", end=end, flush=True)

    lessons, failures = build(paths, arguments.out, progress)
    print(f"{len(lessons)} lesson(s) rendered; open {arguments.out / 'index.html'}")
    if failures:
        print("Lessons that failed to run:\n  " + "\n  ".join(failures), file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
