"""Binder's environment.yml installs what pyproject.toml declares, no more and no less."""

import re
import subprocess
import tomllib
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]


def _normalise(requirement: str) -> tuple[str, str]:
    """('name', 'specifier') with the name in PEP 503 form and no spaces."""
    match = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", requirement)
    name, spec = match.groups()
    return re.sub(r"[-_.]+", "-", name).lower(), spec.replace(" ", "")


def _environment() -> dict:
    return yaml.safe_load((REPO / "environment.yml").read_text())


def _conda_dependencies() -> set[tuple[str, str]]:
    return {
        _normalise(dependency)
        for dependency in _environment()["dependencies"]
        if isinstance(dependency, str) and not dependency.startswith(("python=", "pip"))
    }


def test_environment_yml_matches_pyproject_dependencies():
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text())
    declared = {_normalise(requirement) for requirement in pyproject["project"]["dependencies"]}
    assert _conda_dependencies() == declared


def test_environment_pins_the_python_the_course_supports():
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text())
    assert pyproject["project"]["requires-python"] == ">=3.11"
    assert "python=3.11" in _environment()["dependencies"]
    assert _environment()["channels"] == ["conda-forge"]


def _make_dry_run(target: str) -> str:
    """What ``make target`` would run on a fresh clone (-B: as if nothing were installed)."""
    return subprocess.run(
        ["make", "--dry-run", "--always-make", target],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=True,
    ).stdout


def test_make_lab_installs_what_a_learner_needs_and_no_test_tool():
    commands = _make_dry_run("lab")
    assert "pip install --quiet -e .\n" in commands
    assert "[test]" not in commands and "pytest" not in commands


def test_make_test_adds_the_test_extra_and_lint_runs_ruff_and_mypy():
    assert "pip install --quiet -e '.[test]'" in _make_dry_run("test")
    lint = _make_dry_run("lint")
    assert all(tool in lint for tool in ("ruff check .", "ruff format --check .", "mypy"))
    extra = {_normalise(requirement)[0] for requirement in _pyproject_test_extra()}
    assert {"pytest", "playwright", "scipy", "ruff", "mypy", "import-linter"} <= extra


def _pyproject_test_extra() -> list[str]:
    return tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["optional-dependencies"][
        "test"
    ]


def test_dependency_floors_are_the_ones_the_code_needs():
    """hatchcolor= on collections arrived in matplotlib 3.11; canvas.py's front end uses
    anywidget's render API of 0.11, held below its next minor (0.x minors may change it)."""
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text())
    declared = dict(_normalise(requirement) for requirement in pyproject["project"]["dependencies"])
    assert declared["matplotlib"] == ">=3.11"
    assert declared["anywidget"] == ">=0.11,<0.12"


def test_every_data_file_of_the_package_is_declared_package_data():
    """A non-editable install (a wheel, a hub image) ships only what package-data names."""
    package = REPO / "widgets"
    patterns = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"][
        "package-data"
    ]["widgets"]
    declared = {path for pattern in patterns for path in package.glob(pattern)}
    data = {
        path
        for path in package.rglob("*")
        if path.is_file() and path.suffix not in {".py", ".pyc"} and "__pycache__" not in path.parts
    }
    assert data, "the package has no data files"
    assert sorted(str(path.relative_to(REPO)) for path in data - declared) == []
