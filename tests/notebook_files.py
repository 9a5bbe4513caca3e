"""Where the course's notebooks live, for the tests that read or run them."""

from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parents[1]
LESSONS = sorted((REPO / "lessons").glob("*.ipynb"))
PRACTICE = sorted((REPO / "lessons" / "practice").glob("*.ipynb"))
SOLUTIONS = sorted((REPO / "solutions").glob("*/*.ipynb"))
RELEASES = sorted((REPO / "assignments").glob("*/*.ipynb"))
ALL_NOTEBOOKS = LESSONS + PRACTICE + SOLUTIONS + RELEASES


def read(path: Path) -> nbformat.NotebookNode:
    """The notebook at ``path`` as nbformat v4."""
    return nbformat.read(path, as_version=4)


def ids(paths: list[Path]) -> list[str]:
    """Short test ids: the path below the repository root."""
    return [str(path.relative_to(REPO)) for path in paths]
