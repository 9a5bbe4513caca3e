"""The package's layers, as code: a pure core, views around it, grading apart, no shipped file in tests/.

Two checks, because each misses what the other sees: import-linter reads every import
statement of ``widgets`` (the contracts are in pyproject.toml), and a fresh interpreter
imports each core module and looks at ``sys.modules``, which also catches a library
pulled in indirectly (through a third-party package or an import inside a function).
"""

import ast
import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import widgets.core

REPO = Path(__file__).resolve().parents[1]
VIEW_AND_TOOL_LIBRARIES = (
    "ipywidgets",
    "matplotlib",
    "IPython",
    "anywidget",
    "traitlets",
    "scipy",
    "nbgrader",
    "nbformat",
    "playwright",
)
OUTER_LAYERS = ("widgets.views", "widgets.grading", "widgets.tools")
CORE_DEPENDENCIES = ("numpy", "numba", "tomllib")
CORE_MODULES = sorted(
    module.name for module in pkgutil.walk_packages(widgets.core.__path__, "widgets.core.")
)
GRADING_MODULES = sorted(
    module.name
    for module in pkgutil.walk_packages([str(REPO / "widgets/grading")], "widgets.grading.")
)
TEST_MODULES = {path.stem for path in (REPO / "tests").glob("*.py")} | {"tests"}
SHIPPED = sorted(
    path
    for folder in ("widgets", "scripts", "benchmarks", "hub")
    for path in (REPO / folder).rglob("*.py")
)

_WHAT_EACH_IMPORT_LOADS = """
import json, sys
loaded = {}
for name in sys.argv[1:]:
    before = set(sys.modules)
    __import__(name)
    loaded[name] = sorted(set(sys.modules) - before)
print(json.dumps(loaded))
"""


def _loaded_by(modules: list[str]) -> dict[str, list[str]]:
    """Modules each of ``modules`` loads first, importing them in turn in a fresh interpreter."""
    result = subprocess.run(
        [sys.executable, "-c", _WHAT_EACH_IMPORT_LOADS, *modules],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=True,
    )
    return json.loads(result.stdout)


def _is_within(name: str, packages: tuple[str, ...]) -> bool:
    return any(name == package or name.startswith(package + ".") for package in packages)


def test_the_import_contracts_in_pyproject_are_kept():
    result = subprocess.run(
        [str(Path(sys.executable).parent / "lint-imports"), "--config", "pyproject.toml"],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="module")
def loaded() -> dict[str, list[str]]:
    """What each core, then each grading module loads first, in one fresh interpreter.

    numba, the model's compiler, imports scipy itself whenever it is installed (as it is
    for the tests): what the core's own dependencies load first is not the core's doing.
    """
    return _loaded_by([*CORE_DEPENDENCIES, *CORE_MODULES, *GRADING_MODULES])


def test_no_core_module_loads_a_view_library_or_an_outer_layer(loaded):
    assert "widgets.core.model.integrator" in CORE_MODULES
    forbidden = VIEW_AND_TOOL_LIBRARIES + OUTER_LAYERS
    offenders = {
        module: [name for name in loaded[module] if _is_within(name, forbidden)]
        for module in CORE_MODULES
    }
    assert {module: names for module, names in offenders.items() if names} == {}


def test_grading_loads_no_view(loaded):
    """Views cannot be loaded before: the core, imported first, loads none."""
    assert GRADING_MODULES
    views = {
        module: [name for name in loaded[module] if _is_within(name, ("widgets.views",))]
        for module in GRADING_MODULES
    }
    assert {module: names for module, names in views.items() if names} == {}


def _reaches_into_tests(node: ast.AST, source: str) -> bool:
    if isinstance(node, ast.Import):
        return any(alias.name.split(".")[0] in TEST_MODULES for alias in node.names)
    if isinstance(node, ast.ImportFrom):
        return node.level == 0 and (node.module or "").split(".")[0] in TEST_MODULES
    if isinstance(node, ast.Call) and _is_sys_path_method(node.func):
        # sys.path.insert(0, ".../tests") and friends: a detour into tests/ that imports hide.
        return "tests" in (ast.get_source_segment(source, node) or "").lower()
    return False


def _is_sys_path_method(func: ast.expr) -> bool:
    """``sys.path.insert``, ``sys.path.append``, ...: a method of ``sys.path``."""
    return (
        isinstance(func, ast.Attribute)
        and isinstance(func.value, ast.Attribute)
        and func.value.attr == "path"
        and isinstance(func.value.value, ast.Name)
        and func.value.value.id == "sys"
    )


@pytest.mark.parametrize("path", SHIPPED, ids=lambda path: str(path.relative_to(REPO)))
def test_shipped_code_does_not_reach_into_tests(path):
    source = path.read_text(encoding="utf-8")
    offending = [
        ast.get_source_segment(source, node)
        for node in ast.walk(ast.parse(source))
        if _reaches_into_tests(node, source)
    ]
    assert offending == [], (
        f"{path.relative_to(REPO)} uses tests/; move what it needs to widgets/tools"
    )
