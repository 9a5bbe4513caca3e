"""A real JupyterLab in headless Chromium, for the browser tests and the browser benchmark.

The server runs on 127.0.0.1 with a random free port and token, a throw-away
HOME and Jupyter config/data/runtime directories, and a copy of the course (so
autosave can never write outputs into the repository).  It reads the repository's
``jupyterlab-overrides.json`` as its app-level overrides, exactly as ``make``
installs it into ``.venv``.  Chromium is Debian's ``/usr/bin/chromium``: CI
cannot download Playwright's browsers.

The pytest fixtures built on it live in ``tests/browser_fixtures.py``.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import TimeoutError as PageTimeout

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
INSTALL_HINT = (
    "the browser tests need Debian's Chromium: install it with "
    "`sudo apt-get install chromium` (never `playwright install`), then rerun `make test-browser`"
)
# The course copy the server serves: what a learner opens, nothing generated.
COURSE_PARTS = ("lessons", "assignments", "nbgrader_config.py")
SERVER_START_SECONDS = 60
VIEWPORT = {"width": 1280, "height": 900}
CANVAS_FILL_MS = 15_000
MAX_SCREENSHOT_HEIGHT = 16_000

KERNEL_IDLE = """() => {
  const name = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Toolbar-kernelName');
  const status = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook-ExecutionIndicator');
  return !!name && !!status && !/No Kernel/.test(name.textContent)
    && status.getAttribute('data-status') === 'idle';
}"""
# Run All has finished when every code cell shows an execution count, or when a
# cell failed (the cells after it never run) and nothing is still queued.
ALL_CELLS_RAN = """() => {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  if (!panel) return false;
  const prompts = [...panel.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')].map(p => p.textContent);
  if (prompts.length === 0) return true;
  if (prompts.every(text => /\\[\\d+\\]/.test(text))) return true;
  const failed = panel.querySelector('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.error"]');
  return !!failed && !prompts.some(text => text.includes('*'));
}"""
ERROR_OUTPUTS = (
    '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]',
    '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.error"]',
)
WIDGET_ERROR_TEXT = "Error displaying widget"
FIGURE_CANVAS = "canvas.course-figure"  # widgets/views/canvas.py draws each figure on one
ACTIVE_PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"
TOP_LEVEL_OUTPUTS = (
    f"{ACTIVE_PANEL} .jp-Cell-outputArea > .jp-OutputArea-child > .jp-OutputArea-output"
)
IS_ENABLED = """control => !control.matches(':disabled, [disabled], .mod-disabled')
  && !control.querySelector(':disabled, [disabled]')"""
CONTROL_LABEL = """control => {
  const clean = node => node ? node.textContent.replace(/[\\s\\u200b]+/g, ' ').trim() : '';
  return (clean(control.querySelector('.widget-label')) || clean(control)).slice(0, 60);
}"""
# The first enabled push button after ``control`` in its cell output (a form's action).
NEXT_BUTTON = """control => {
  const output = control.closest('.jp-OutputArea-output');
  return [...output.querySelectorAll('button.widget-button:not(:disabled)')].find(
    button => control.compareDocumentPosition(button) & Node.DOCUMENT_POSITION_FOLLOWING) || null;
}"""
DIRECT_RESPONSE_MS = 10_000


def chromium_path() -> str | None:
    """Debian's Chromium if it is installed, else None."""
    return next((path for path in CHROMIUM_CANDIDATES if Path(path).is_file()), None)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nobody is listening on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def copy_course(target: Path) -> Path:
    """A private copy of what learners open, so the browser never writes into the repo."""
    target.mkdir(parents=True, exist_ok=True)
    ignore = shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints")
    for part in COURSE_PARTS:
        source = REPO / part
        if source.is_dir():
            shutil.copytree(source, target / part, ignore=ignore)
        elif source.is_file():
            shutil.copy2(source, target / part)
    return target


def isolated_environment(home: Path) -> dict[str, str]:
    """Environment variables that keep Jupyter, IPython and matplotlib out of the real HOME."""
    env = dict(os.environ)
    for key in ("JUPYTER_PATH", "JUPYTER_CONFIG_PATH", "JUPYTER_PREFER_ENV_PATH", "CI_PAGE_CONFIG"):
        env.pop(key, None)
    env.update(
        HOME=str(home),
        JUPYTER_CONFIG_DIR=str(home / ".jupyter"),
        JUPYTER_DATA_DIR=str(home / ".local/share/jupyter"),
        JUPYTER_RUNTIME_DIR=str(home / "runtime"),
        IPYTHONDIR=str(home / ".ipython"),
        MPLCONFIGDIR=str(home / ".cache/matplotlib"),
        PYTHONUNBUFFERED="1",
    )
    return env


@dataclass
class LabServer:
    """A running JupyterLab; ``url(path)`` gives an authenticated address."""

    process: subprocess.Popen
    port: int
    token: str
    root: Path
    log: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        """The lab URL that opens only ``path`` (relative to the course copy), in a new empty workspace.

        A fresh workspace keeps JupyterLab from reopening the notebooks of earlier tabs.
        """
        workspace = f"test-{secrets.token_hex(4)}"
        return f"{self.base}/lab/workspaces/{workspace}/tree/{path}?reset&token={self.token}"

    def log_tail(self, characters: int = 4000) -> str:
        return self.log.read_text(errors="replace")[-characters:] if self.log.exists() else ""

    def api(self, method: str, path: str):
        """Call the server's REST API; returns the decoded JSON answer (or None)."""
        request = urllib.request.Request(
            f"{self.base}{path}", method=method, headers={"Authorization": f"token {self.token}"}
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            body = response.read()
        return json.loads(body) if body else None

    def shut_down_kernels(self) -> None:
        """End every session and stop every kernel, so notebooks already tested stop using CPU."""
        for session in self.api("GET", "/api/sessions"):
            self.api("DELETE", f"/api/sessions/{session['id']}")
        for kernel in self.api("GET", "/api/kernels"):
            self.api("DELETE", f"/api/kernels/{kernel['id']}")

    def stop(self) -> None:
        """SIGTERM by PID, then SIGKILL if the server hangs; kernels die with it."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def start_lab(workdir: Path, course: Path | None = None) -> LabServer:
    """Start JupyterLab serving ``course`` (default: a fresh copy of the course) and wait until it answers."""
    home = workdir / "home"
    settings = workdir / "app-settings"
    home.mkdir(parents=True, exist_ok=True)
    settings.mkdir(parents=True, exist_ok=True)
    shutil.copy2(REPO / "jupyterlab-overrides.json", settings / "overrides.json")
    root = course if course is not None else copy_course(workdir / "course")
    port, token = free_port(), secrets.token_hex(16)
    log = workdir / "jupyterlab.log"
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}",
        f"--LabApp.app_settings_dir={settings}",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--ServerApp.allow_root=True")  # containers and CI run as root
    with log.open("wb") as log_file:
        process = subprocess.Popen(
            command,
            cwd=root,
            env=isolated_environment(home),
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = LabServer(process, port, token, root, log)
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"JupyterLab exited with code {process.returncode}:\n{server.log_tail()}"
            )
        try:
            with urllib.request.urlopen(f"{server.base}/api/status?token={token}", timeout=2):
                return server
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.25)
    server.stop()
    raise RuntimeError(
        f"JupyterLab did not answer within {SERVER_START_SECONDS} s:\n{server.log_tail()}"
    )


def launch_chromium(playwright, executable: str):
    """Headless Debian Chromium driven by Playwright."""
    return playwright.chromium.launch(
        executable_path=executable, headless=True, args=CHROMIUM_FLAGS
    )


# Everything an output area shows except the control being operated: its text,
# its figure canvases' pixels and its images.  A change here is what a learner sees.
VIEW_SNAPSHOT = f"""(control) => {{
  const parts = [];
  const outputs = document.querySelectorAll(
    '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output');
  for (const output of outputs) {{
    const walker = document.createTreeWalker(output, NodeFilter.SHOW_TEXT);
    let text = '';
    while (walker.nextNode()) {{
      if (!control || !control.contains(walker.currentNode)) text += walker.currentNode.textContent;
    }}
    parts.push(text);
    for (const canvas of output.querySelectorAll({FIGURE_CANVAS!r})) {{
      parts.push(canvas.width ? canvas.toDataURL() : 'unsized canvas');
    }}
    for (const image of output.querySelectorAll('img')) parts.push(image.src);
  }}
  return parts.join('\\u0000');
}}"""
# Page height that shows the whole notebook: the notebook scrolls inside its own panel.
NOTEBOOK_HEIGHT = """() => {
  const scroller = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-WindowedPanel-outer');
  return scroller ? Math.ceil(scroller.scrollHeight - scroller.clientHeight + window.innerHeight) : window.innerHeight;
}"""
BLANK_CANVASES = f"""() => [...document.querySelectorAll(
    '.jp-NotebookPanel:not(.lm-mod-hidden) {FIGURE_CANVAS}')].filter(canvas => {{
  if (!canvas.width || !canvas.height) return true;
  const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  for (let i = 0; i < pixels.length; i += 4) {{
    if (pixels[i + 3] && (pixels[i] < 250 || pixels[i + 1] < 250 || pixels[i + 2] < 250)) return false;
  }}
  return true;
}}).length"""


# Widgets and figures that stick out past the right edge of their cell's output, where the
# notebook cuts them off: each as "what it is: N px of its M px width cut off".
CUT_OFF_AT_THE_RIGHT = """() => {
  const cut = [];
  const outputs = document.querySelectorAll(
    '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output');
  for (const output of outputs) {
    const edge = output.getBoundingClientRect().right;
    for (const part of output.querySelectorAll('.jupyter-widgets, canvas')) {
      const box = part.getBoundingClientRect();
      if (!box.width || box.right <= edge + 1) continue;
      const inner = part.querySelectorAll('.jupyter-widgets, canvas');
      if ([...inner].some(child => child.getBoundingClientRect().right > edge + 1)) continue;
      const name = (part.getAttribute('aria-label') || part.textContent || part.className)
        .replace(/\\s+/g, ' ').trim().slice(0, 50);
      cut.push(`${name}: ${Math.round(box.right - edge)} px of its ${Math.round(box.width)} px width cut off`);
    }
  }
  return cut;
}"""


@dataclass(frozen=True)
class ControlKind:
    """A kind of ipywidgets control: how to find one in an output and operate it by keyboard."""

    name: str
    selector: str
    """CSS selector of the control's own element (label, readout and all)."""
    operate: Callable[[LabTab, object], None]
    """Changes the control's value as a learner would, given its element handle."""


def _press_slider(tab: LabTab, control) -> None:
    handle = control.query_selector(".noUi-handle")
    now = float(handle.get_attribute("aria-valuenow"))
    top = float(handle.get_attribute("aria-valuemax"))
    handle.focus()
    tab.page.keyboard.press("ArrowLeft" if now >= top else "ArrowRight")


def _choose_other_option(tab: LabTab, control) -> None:
    select = control.query_selector("select")
    # The last option (or the one before it): a first option is often a "Choose…" placeholder.
    index = select.evaluate(
        "select => select.selectedIndex === select.options.length - 1 ? select.options.length - 2"
        " : select.options.length - 1"
    )
    select.focus()
    select.select_option(index=index)


def _press_space_on(selector: str | None) -> Callable[[LabTab, object], None]:
    """Focus the control's element matching ``selector`` (None: the control itself) and press Space."""

    def press(tab: LabTab, control) -> None:
        target = control if selector is None else control.query_selector(selector)
        target.focus()
        tab.page.keyboard.press("Space")

    return press


CONTROL_KINDS = (
    ControlKind("slider", ".widget-slider", _press_slider),
    ControlKind("dropdown", ".widget-dropdown", _choose_other_option),
    ControlKind("checkbox", ".widget-checkbox", _press_space_on("input[type=checkbox]")),
    ControlKind(
        "toggle buttons",
        ".widget-toggle-buttons",
        _press_space_on("button.widget-toggle-button:not(.mod-active)"),
    ),
    ControlKind(
        "toggle button",
        "button.widget-toggle-button:not(.widget-toggle-buttons *)",
        _press_space_on(None),
    ),
    ControlKind(
        "radio buttons", ".widget-radio", _press_space_on("input[type=radio]:not(:checked)")
    ),
)


class LabTab:
    """One browser tab on the test JupyterLab, recording the page's console errors."""

    def __init__(self, page, server: LabServer):
        self.page = page
        self.server = server
        self.console_errors: list[str] = []
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.console_errors.append(f"page error: {error}"))

    def _on_console(self, message) -> None:
        if message.type == "error":
            self.console_errors.append(message.text)

    def open(self, path: str, timeout_ms: int = 120_000) -> None:
        """Open ``path`` and wait until its kernel is connected and idle."""
        self.page.goto(self.server.url(path))
        self.page.wait_for_selector(f"{ACTIVE_PANEL} .jp-Notebook", timeout=timeout_ms)
        self.page.wait_for_function(KERNEL_IDLE, timeout=timeout_ms)

    def run_all_cells(self, timeout_ms: int = 180_000) -> None:
        """Run > Run All Cells from the menu bar, as a learner does; wait until every cell has run."""
        self.page.click('.lm-MenuBar-itemLabel:text-is("Run")')
        self.page.click('.lm-Menu-itemLabel:text-is("Run All Cells")')
        self.page.wait_for_function(ALL_CELLS_RAN, timeout=timeout_ms)
        self.settle(timeout_ms)
        # Canvases fill in a moment after the kernel is idle; blank ones are a test failure.
        with contextlib.suppress(PageTimeout):
            self.page.wait_for_function(f"() => ({BLANK_CANVASES})() === 0", timeout=CANVAS_FILL_MS)

    def settle(self, timeout_ms: int = 60_000) -> None:
        """Wait for the kernel to go idle and the widget views to finish drawing."""
        self.page.wait_for_function(KERNEL_IDLE, timeout=timeout_ms)
        self.page.wait_for_timeout(300)
        self.page.wait_for_function(KERNEL_IDLE, timeout=timeout_ms)

    def problems(self) -> list[str]:
        """Error and stderr outputs, broken widget views and console errors, as text."""
        problems = []
        for selector in ERROR_OUTPUTS:
            texts = self.page.locator(selector).all_inner_texts()
            problems += [f"output {selector}: {text[:400]}" for text in texts]
        broken = self.page.locator(f".jp-OutputArea-output:has-text('{WIDGET_ERROR_TEXT}')")
        problems += [f"widget view: {text[:400]}" for text in broken.all_inner_texts()]
        problems += [f"console: {text[:400]}" for text in self.console_errors]
        return problems

    def cut_off_at_the_right(self) -> list[str]:
        """Widgets and figures wider than the space their output gives them (see the probe)."""
        return self.page.evaluate(CUT_OFF_AT_THE_RIGHT)

    def blank_canvas_count(self) -> int:
        """How many figure canvases show nothing (unsized, or every pixel white)."""
        return self.page.evaluate(BLANK_CANVASES)

    def view_snapshot(self, control=None) -> str:
        """What the outputs show, leaving out the element ``control`` (an ElementHandle)."""
        return self.page.evaluate(VIEW_SNAPSHOT, control)

    def wait_for_view_change(self, control, before: str, timeout_ms: int = 20_000) -> None:
        """Wait until the outputs (outside ``control``) differ from the snapshot ``before``."""
        self.page.wait_for_function(
            f"([control, before]) => ({VIEW_SNAPSHOT})(control) !== before",
            arg=[control, before],
            timeout=timeout_ms,
            polling=50,
        )

    def controls(self) -> list[tuple[ControlKind, object, str]]:
        """Per cell output, the first enabled control of each kind: (kind, element, its label)."""
        found = []
        for output in self.page.query_selector_all(TOP_LEVEL_OUTPUTS):
            for kind in CONTROL_KINDS:
                for control in output.query_selector_all(kind.selector):
                    if control.is_visible() and control.evaluate(IS_ENABLED):
                        found.append((kind, control, control.evaluate(CONTROL_LABEL)))
                        break
        return found

    def operate(self, kind: ControlKind, control) -> str | None:
        """Operate ``control`` by keyboard; return how the page responded, or None if it did not.

        A control that only fills in a form (a value for the next visit, a plan's
        start day) shows its effect once the form's action button is pressed: if
        nothing else changes, the next enabled button after it in the same output
        is pressed (Enter) and the page must change then.
        """
        before = self.view_snapshot(control)
        kind.operate(self, control)
        try:
            self.wait_for_view_change(control, before, DIRECT_RESPONSE_MS)
            self.settle()
            return "changed the view"
        except PageTimeout:
            self.settle()
        button = control.evaluate_handle(NEXT_BUTTON).as_element()
        if button is None:
            return None
        label = " ".join(button.inner_text().split())
        button.focus()
        self.page.keyboard.press("Enter")
        try:
            self.wait_for_view_change(control, before)
        except PageTimeout:
            return None
        self.settle()
        return f"changed the view after its button {label!r}"

    def screenshot(self, name: str, whole_notebook: bool = True) -> Path:
        """Save a screenshot under test-artifacts/screenshots/: the whole notebook, or what is in view."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        if not whole_notebook:
            self.page.screenshot(path=str(path))
            return path
        height = self.page.evaluate(NOTEBOOK_HEIGHT)
        self.page.set_viewport_size(
            {"width": VIEWPORT["width"], "height": min(height, MAX_SCREENSHOT_HEIGHT)}
        )
        try:
            self.page.wait_for_timeout(300)
            self.page.screenshot(path=str(path))
        finally:
            self.page.set_viewport_size(VIEWPORT)
        return path


# Key-press latency, shared by the browser benchmarks.  A figure whose element (or
# an ancestor) has the class ``bench-canvas-<name>`` is timed under ``name``: new
# pixels on a figure canvas (``drawImage`` or ``putImageData`` onto it), or a new
# ``<img>`` decoded (an inline figure).  Times are ``event.timeStamp`` clock, ms.
TIMING_PROBE = """() => {
  window.__bench = {keys: [], shown: {}};
  document.addEventListener('keydown', event => { window.__bench.keys.push(event.timeStamp); }, true);
  const nameOf = node => {
    const owner = node.closest && node.closest('[class*="bench-canvas-"]');
    return owner ? [...owner.classList].find(c => c.startsWith('bench-canvas-')).slice(13) : null;
  };
  const shown = name => requestAnimationFrame(time => (window.__bench.shown[name] ||= []).push(time));
  for (const method of ['drawImage', 'putImageData']) {
    const paint = CanvasRenderingContext2D.prototype[method];
    CanvasRenderingContext2D.prototype[method] = function (...args) {
      const result = paint.apply(this, args);
      const canvas = this.canvas;
      const name = nameOf(canvas);
      if (name && canvas.classList.contains('course-figure')) shown(name);
      return result;
    };
  }
  new MutationObserver(records => {
    for (const record of records) for (const node of record.addedNodes) {
      const images = node.querySelectorAll ? [...node.querySelectorAll('img')] : [];
      if (node.tagName === 'IMG') images.push(node);
      for (const image of images) {
        const name = nameOf(image);
        if (name) image.decode().then(() => shown(name), () => shown(name));
      }
    }
  }).observe(document.body, {childList: true, subtree: true});
}"""
QUIET_MS = 400
"""Nothing new drawn for this long, with the kernel idle, ends a key-press measurement."""
KEY_PRESS_TIMEOUT_MS = 30_000


def install_timing_probe(tab: LabTab) -> None:
    """Start recording key presses and new figure pixels in ``tab`` (once per page)."""
    tab.page.evaluate(TIMING_PROBE)


def key_presses_ms(tab: LabTab, handle, key: str, presses: int, figure: str) -> float:
    """Milliseconds from the first of ``presses`` presses of ``key`` on ``handle`` to the final
    new pixels of the figures named ``figure`` (see :data:`TIMING_PROBE`).

    The final picture is the last one drawn before the kernel is idle and nothing
    has been drawn for :data:`QUIET_MS`.  Needs :func:`install_timing_probe`.
    """
    page = tab.page
    shown = f"(window.__bench.shown[{figure!r}] || [])"
    page.evaluate("() => { window.__bench.keys = []; window.__bench.shown = {}; }")
    handle.focus()
    for _ in range(presses):
        page.keyboard.press(key)
    page.wait_for_function(f"() => {shown}.length > 0", timeout=KEY_PRESS_TIMEOUT_MS, polling=10)
    while True:
        tab.settle()
        count = page.evaluate(f"() => {shown}.length")
        page.wait_for_timeout(QUIET_MS)
        if page.evaluate(f"() => {shown}.length") == count:
            return page.evaluate(f"() => {shown}.at(-1) - window.__bench.keys[0]")
