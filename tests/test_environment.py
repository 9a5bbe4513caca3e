"""Binder's environment.yml installs what pyproject.toml declares, no more and no less."""

import re
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
