"""pytest fixtures for the browser tests: one JupyterLab and one Chromium per worker.

Registered once for the whole suite by ``pytest_plugins`` in ``conftest.py``.
"""

import os
import shutil

import pytest

from widgets.tools.browser import (
    INSTALL_HINT,
    VIEWPORT,
    LabTab,
    chromium_path,
    launch_chromium,
    start_lab,
)


def require_chromium() -> str:
    """The Chromium path; a missing browser fails under CI and skips elsewhere."""
    path = chromium_path()
    if path is None:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"CI=true but no Chromium was found: {INSTALL_HINT}")
        pytest.skip(INSTALL_HINT)
    return path


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    return require_chromium()


@pytest.fixture(scope="session")
def jupyter_lab(chromium_executable, tmp_path_factory):
    """One JupyterLab per test session (per xdist worker), always stopped afterwards."""
    workdir = tmp_path_factory.mktemp("jupyterlab")
    server = start_lab(workdir)
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="session")
def chromium(chromium_executable):
    """One headless Chromium context per session: JupyterLab's scripts stay cached between tabs."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright, chromium_executable)
        context = browser.new_context(viewport=VIEWPORT)
        try:
            yield context
        finally:
            context.close()
            browser.close()


@pytest.fixture
def lab_tab(chromium, jupyter_lab):
    """A fresh tab on the test JupyterLab; closed, and its kernels stopped, afterwards."""
    page = chromium.new_page()
    try:
        yield LabTab(page, jupyter_lab)
    finally:
        page.close()
        jupyter_lab.shut_down_kernels()
