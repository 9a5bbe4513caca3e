"""Every lesson and every instructor quiz runs top to bottom on a fresh kernel, silently.

nbgrader zeroes a test cell that writes anything to stderr, and a resident sees
a warning as a fault, so stderr must stay empty, not merely free of errors.
"""

import pytest
from notebook_files import LESSONS, PRACTICE, SOLUTIONS, ids, lesson_client, read

CELL_TIMEOUT_SECONDS = 600


def _stderr_of(notebook) -> list[str]:
    return [
        f"cell {index}: {output.get('text', '')[:300]}"
        for index, cell in enumerate(notebook.cells)
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
        if output.output_type == "stream" and output.name == "stderr"
    ]


@pytest.mark.parametrize(
    "path", LESSONS + PRACTICE + SOLUTIONS, ids=ids(LESSONS + PRACTICE + SOLUTIONS)
)
def test_notebook_runs_top_to_bottom_without_stderr(path, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("MPLCONFIGDIR", str(tmp_path / "matplotlib"))
    notebook = read(path)
    lesson_client(notebook, path.parent, tmp_path, CELL_TIMEOUT_SECONDS).execute()
    assert _stderr_of(notebook) == [], f"{path.name} wrote to stderr"
