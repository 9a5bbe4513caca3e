"""Where the course's notebooks live, for the tests that read or run them."""

import tempfile
from pathlib import Path

import nbformat
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient

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


def lesson_client(
    notebook: nbformat.NotebookNode, cwd: Path, sockets: Path, timeout: int
) -> NotebookClient:
    """A client that runs ``notebook`` from ``cwd`` in a python3 kernel whose Unix sockets
    live in ``sockets``.

    With TCP, two test workers that start kernels at the same moment can be handed the
    same free port, and one kernel dies before it answers.
    """
    if len(str(sockets)) > 80:  # a Unix socket path holds at most 107 bytes
        sockets = Path(tempfile.mkdtemp(prefix="anm-k-"))
    manager = AsyncKernelManager(kernel_name="python3", transport="ipc", ip=str(sockets / "k"))
    return NotebookClient(
        notebook,
        km=manager,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(cwd)}},
    )
