"""The course as Binder builds it: environment.yml, then postBuild, then the lessons run.

repo2docker installs environment.yml with conda and then runs postBuild.  Without
conda here, the test does the nearest thing: a fresh venv, the pip equivalent of
every conda dependency in environment.yml (parsed, not copied), then postBuild in
a clean copy of the repository, exactly as Binder runs it.  It then checks what a
learner's JupyterLab would load and executes every lesson in that environment.

The first run downloads the dependencies; later runs reuse pip's cache (about
two minutes to build on a 2-core machine).  Run it alone with ``pytest -m binder``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml
from notebook_files import LESSONS, REPO

# One worker builds the environment once (module fixture) and runs every check on it.
pytestmark = [pytest.mark.binder, pytest.mark.xdist_group("binder"), pytest.mark.timeout(1800)]

# conda-forge names that differ on PyPI; every dependency so far has the same name.
CONDA_TO_PIP = {}
NOT_FROM_PIP = {"python", "pip"}
COPY_IGNORE = shutil.ignore_patterns(
    ".git",
    ".venv",
    "build",
    "test-artifacts",
    "*.egg-info",
    "__pycache__",
    ".pytest_cache",
    ".hypothesis",
    ".ipynb_checkpoints",
    "gradebook.db",
    "submitted",
    "autograded",
    "feedback",
)
INSTALL_SECONDS = 1500
EXTENSIONS_ENABLED = (
    "@jupyter-widgets/jupyterlab-manager",
    "anywidget",
    "@jupyter/nbgrader",
)
PANELS_DISABLED = (
    "@jupyter/nbgrader:create-assignment",
    "@jupyter/nbgrader:formgrader",
    "@jupyter/nbgrader:course-list",
)
PANEL_KEPT = "@jupyter/nbgrader:validate-assignment"

# Runs inside the Binder-like environment: every lesson on a fresh kernel; prints
# each lesson's errors and stderr as JSON.
RUN_LESSONS = textwrap.dedent("""
    import json, sys
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError
    report = {}
    for path in sys.argv[1:]:
        notebook = nbformat.read(path, as_version=4)
        client = NotebookClient(notebook, timeout=600, kernel_name="python3",
                                resources={"metadata": {"path": path.rsplit("/", 1)[0]}})
        try:
            client.execute()
            problems = []
        except CellExecutionError as error:
            problems = [str(error).strip().splitlines()[-1]]
        problems += [out.get("text", "")[:300] for cell in notebook.cells for out in cell.get("outputs", [])
                     if out.get("output_type") == "stream" and out.get("name") == "stderr"]
        report[path] = problems
    print(json.dumps(report))
""")


def conda_to_pip(dependency: str) -> str | None:
    """The pip requirement for one conda ``dependencies`` entry, or None for python and pip."""
    match = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", dependency)
    name, spec = match.group(1), match.group(2).replace(" ", "")
    if name in NOT_FROM_PIP:
        return None
    if re.fullmatch(r"=[^=<>!,]+", spec):  # conda's "=1.2" means any 1.2.x
        spec = f"=={spec[1:]}.*"
    return f"{CONDA_TO_PIP.get(name, name)}{spec}"


def environment() -> dict:
    return yaml.safe_load((REPO / "environment.yml").read_text())


def pip_requirements() -> list[str]:
    """The pip equivalent of environment.yml's conda dependencies (its own pip section included)."""
    requirements = []
    for dependency in environment()["dependencies"]:
        if isinstance(dependency, dict):
            requirements += dependency.get("pip", [])
        elif (requirement := conda_to_pip(dependency)) is not None:
            requirements.append(requirement)
    return requirements


def python_version_wanted() -> str:
    return next(
        d.split("=", 1)[1]
        for d in environment()["dependencies"]
        if isinstance(d, str) and d.startswith("python=")
    )


def test_conda_specs_translate_to_pip():
    assert conda_to_pip("jupyterlab>=4.4,<5") == "jupyterlab>=4.4,<5"
    assert conda_to_pip("numpy >=1.26") == "numpy>=1.26"
    assert conda_to_pip("scipy=1.11") == "scipy==1.11.*"
    assert conda_to_pip("python=3.11") is None
    assert conda_to_pip("pip") is None


@pytest.fixture(scope="module")
def binder(tmp_path_factory):
    """A Binder-like environment: fresh venv + environment.yml via pip + postBuild; its runner."""
    wanted = python_version_wanted()
    if not ".".join(map(str, sys.version_info[:2])).startswith(wanted):
        pytest.skip(
            f"environment.yml wants Python {wanted}; these tests run on {sys.version.split()[0]}"
        )
    root = tmp_path_factory.mktemp("binder")
    home, venv, repo = root / "home", root / "env", root / "repo"
    home.mkdir()
    shutil.copytree(REPO, repo, ignore=COPY_IGNORE)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    # pip keeps the person's own configuration and cache (so later runs are fast); Jupyter,
    # IPython and matplotlib get private folders, and nothing leaks in from the test's venv.
    env = {
        **{
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("JUPYTER", "PYTHON", "VIRTUAL_ENV", "IPYTHON", "MPL"))
        },
        "PATH": f"{venv / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
        "VIRTUAL_ENV": str(venv),
        "JUPYTER_CONFIG_DIR": str(home / ".jupyter"),
        "JUPYTER_DATA_DIR": str(home / ".local" / "share" / "jupyter"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "IPYTHONDIR": str(home / ".ipython"),
        "MPLCONFIGDIR": str(home / ".cache" / "matplotlib"),
    }

    def run(*command: str, timeout: int = 600) -> subprocess.CompletedProcess:
        result = subprocess.run(
            command, cwd=repo, env=env, capture_output=True, text=True, timeout=timeout
        )
        assert result.returncode == 0, (
            f"{' '.join(command)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        )
        return result

    run("python", "-m", "pip", "install", "--quiet", *pip_requirements(), timeout=INSTALL_SECONDS)
    run(
        str(repo / "postBuild"), timeout=INSTALL_SECONDS
    )  # as repo2docker does: executed, from the root
    return repo, run


def _extension_lines(listing: str) -> dict[str, str]:
    """'name' -> the rest of its line, from `jupyter labextension list` (colours stripped)."""
    plain = re.sub(r"\x1b\[[0-9;]*m", "", listing)
    lines = {}
    for line in plain.splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[1].startswith("v"):
            lines[parts[0]] = " ".join(parts[1:])
    return lines


def test_post_build_is_an_executable_bash_script():
    post_build = REPO / "postBuild"
    assert os.access(post_build, os.X_OK), "repo2docker runs postBuild only if it is executable"
    assert post_build.read_text().startswith("#!/usr/bin/env bash\n")
    assert not (REPO / "binder").exists(), (
        "a binder/ folder would make repo2docker ignore environment.yml"
    )


def test_widget_extensions_are_enabled_and_ok(binder):
    _, run = binder
    result = run("jupyter", "labextension", "list")
    listing = result.stdout + result.stderr
    lines = _extension_lines(listing)
    for extension in EXTENSIONS_ENABLED:
        assert extension in lines, f"{extension} is not installed:\n{listing}"
        assert re.search(r"\benabled\b.*\bOK\b", lines[extension]), (
            f"{extension}: {lines[extension]}"
        )


def test_instructor_panels_are_disabled_but_validate_is_not(binder):
    _, run = binder
    result = run("jupyter", "labextension", "list")
    plain = re.sub(r"\x1b\[[0-9;]*m", "", result.stdout + result.stderr)
    disabled_section = (
        plain.split("Disabled extensions:", 1)[-1] if "Disabled extensions:" in plain else ""
    )
    for panel in PANELS_DISABLED:
        assert panel in disabled_section, f"{panel} should be disabled:\n{plain}"
    assert PANEL_KEPT not in disabled_section, f"{PANEL_KEPT} must stay enabled:\n{plain}"


def test_course_settings_are_installed(binder):
    _, run = binder
    result = run(
        "python", "-c", "from jupyterlab.commands import get_app_dir; print(get_app_dir())"
    )
    overrides = Path(result.stdout.strip()) / "settings" / "overrides.json"
    assert json.loads(overrides.read_text()) == json.loads(
        (REPO / "jupyterlab-overrides.json").read_text()
    )


def test_course_package_is_importable(binder):
    repo, run = binder
    result = run("python", "-c", "import widgets, widgets.views.figures; print(widgets.__file__)")
    assert Path(result.stdout.strip()).is_relative_to(repo)


def test_lessons_run_in_the_binder_environment(binder):
    repo, run = binder
    lessons = [str(repo / "lessons" / path.name) for path in LESSONS]
    if not lessons:
        pytest.skip("no lessons yet")
    result = run("python", "-c", RUN_LESSONS, *lessons, timeout=INSTALL_SECONDS)
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert {Path(path).name: problems for path, problems in report.items() if problems} == {}
