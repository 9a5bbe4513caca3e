"""Load on the cohort hub: 20 simulated residents at once on this machine, beside one alone.

    sudo .venv/bin/python benchmarks/bench_hub.py [--students 20] [--lesson 01-clinical-picture]

A throw-away cohort (accounts ``b…``, removed afterwards) on a hub on loopback.  First
one resident alone (the baseline, measured in the same run), then every resident at
once: start their servers through the hub's API, run one lesson's code cells top to
bottom through the kernel API, and fetch, answer and submit a quiz through their
servers' assignment list.  Printed: spawn time per user, cell latency (median, p95),
and the memory each resident's cgroup held at its peak (server, kernel and all),
which is the figure behind ``MEM_LIMIT`` in ``hub/jupyterhub_config.py``.

Needs root (Unix accounts) and the cohort environment (``make bench-hub`` builds it);
elsewhere it says so and exits cleanly.  Only loopback traffic; every loop is bounded.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat

from widgets.tools.nbgrader_course import fill_answers

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "hub"))

from cgroups import peak_memory  # noqa: E402
from cohort import COURSE_ID, ENV_BIN, PROXY, Cohort, Settings, remove, setup  # noqa: E402
from kernel_client import KernelSession  # noqa: E402
from launch import Hub, free_port_block, start_hub  # noqa: E402

QUIZ = "case-quiz-1-differentials"
MiB = 2**20
ARTIFACTS = REPO / "test-artifacts"


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile: the value ``share`` of the sorted values reach."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(share * len(ordered)) - 1))]


def lesson_cells(lesson: str) -> list[str]:
    notebook = nbformat.read(REPO / "lessons" / f"{lesson}.ipynb", as_version=4)
    return [cell.source for cell in notebook.cells if cell.cell_type == "code"]


# Kernels that died under the load (e.g. a port another resident's kernel took at the same
# instant); each is counted and the lesson is run again once in a new kernel.
KERNEL_DEATHS: list[str] = []


async def run_lesson(hub: Hub, user: str, cells: list[str], retry: bool = True) -> list[float]:
    """Every code cell in a fresh kernel in the resident's lessons folder; seconds per cell."""
    session = await KernelSession.start(f"{hub.url}/user/{user}", hub.token, path="lessons")
    try:
        seconds = []
        for number, code in enumerate(cells, 1):
            run = await session.run(code, timeout=600)
            if run.kernel_died and retry:
                KERNEL_DEATHS.append(f"{user} at cell {number}")
                break
            if run.problems or run.kernel_died:
                raise RuntimeError(f"{user}: a lesson cell failed: {run.problems or 'kernel died'}")
            seconds.append(run.seconds)
        else:
            return seconds
    finally:
        await session.shutdown()
    return await run_lesson(hub, user, cells, retry=False)


def submit_quiz(hub: Hub, user: str, source) -> None:
    """Fetch the quiz, fill in the model answers and submit, in the resident's own server."""
    body = {"assignment_id": QUIZ, "course_id": COURSE_ID}
    hub.api("POST", f"/user/{user}/assignments/fetch", body)
    path = f"/user/{user}/api/contents/{QUIZ}/{QUIZ}.ipynb"
    release = nbformat.from_dict(hub.api("GET", f"{path}?content=1")["content"])
    content = fill_answers(release, source)
    hub.api("PUT", path, {"type": "notebook", "format": "json", "content": content})
    answer = hub.api("POST", f"/user/{user}/assignments/submit", body)
    if not answer.get("success", True):
        raise RuntimeError(f"{user}: submit failed: {answer}")


def release_quiz(hub: Hub) -> None:
    for step in ("assign", "release"):
        answer = hub.api("POST", f"/services/{COURSE_ID}/formgrader/api/assignment/{QUIZ}/{step}")
        if not answer.get("success", True):
            raise RuntimeError(f"formgrader {step} failed: {answer}")


def wait_for_formgrader(hub: Hub, seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if hub.request("GET", f"/services/{COURSE_ID}/formgrader/api/status", timeout=10)[0] == 200:
            return
        time.sleep(1)
    raise TimeoutError("formgrader did not answer")


def one_resident(hub: Hub, user: str, cells: list[str], source) -> dict:
    spawn = hub.start_server(user)
    latencies = asyncio.run(run_lesson(hub, user, cells))
    submit_quiz(hub, user, source)
    return {"spawn": spawn, "latencies": latencies}


def cohort_at_once(hub: Hub, users: list[str], cells: list[str], source) -> dict:
    """Every resident at once: spawns in parallel, then lessons, then submissions."""
    with ThreadPoolExecutor(len(users)) as pool:
        spawns = list(pool.map(hub.start_server, users))

    async def lessons():
        return await asyncio.gather(*(run_lesson(hub, user, cells) for user in users))

    latencies = [value for per_user in asyncio.run(lessons()) for value in per_user]
    with ThreadPoolExecutor(len(users)) as pool:
        list(pool.map(lambda user: submit_quiz(hub, user, source), users))
    return {"spawn": spawns, "latencies": latencies}


def report(alone: dict, crowd: dict, peaks: dict[str, int], students: int) -> None:
    spawn_alone, spawns = alone["spawn"], crowd["spawn"]
    p95_alone, p95 = percentile(alone["latencies"], 0.95), percentile(crowd["latencies"], 0.95)
    median_alone = statistics.median(alone["latencies"])
    median = statistics.median(crowd["latencies"])
    print(f"cohort hub, {students} residents at once on {os.cpu_count()} cores")
    print(
        f"  spawn time per user: median {statistics.median(spawns):.1f} s, "
        f"max {max(spawns):.1f} s   (one alone: {spawn_alone:.1f} s; "
        f"median slow-down x{statistics.median(spawns) / spawn_alone:.1f})"
    )
    print(
        f"  cell latency: median {median:.2f} s, p95 {p95:.2f} s   "
        f"(one alone: median {median_alone:.2f} s, p95 {p95_alone:.2f} s; "
        f"p95 slow-down x{p95 / p95_alone:.1f})"
    )
    if peaks:
        values = sorted(peaks.values())
        print(
            f"  peak memory per user (cgroup: server + kernel): median "
            f"{statistics.median(values) / MiB:.0f} MiB, max {values[-1] / MiB:.0f} MiB; "
            f"MEM_LIMIT 1024 MiB is x{1024 * MiB / values[-1]:.1f} the largest"
        )
    else:
        print("  peak memory per user: not measured (no writable cgroup on this machine)")
    print(
        f"  kernels that died and were started again: {len(KERNEL_DEATHS)}"
        + (
            f" ({', '.join(KERNEL_DEATHS)}; see test-artifacts/bench-hub.log)"
            if KERNEL_DEATHS
            else ""
        )
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=20)
    parser.add_argument("--lesson", default="01-clinical-picture")
    args = parser.parse_args()
    if os.geteuid() != 0 or not (ENV_BIN / "jupyterhub").exists() or not PROXY.exists():
        print("bench_hub: skipped (needs root and the cohort environment: sudo make bench-hub)")
        return 0
    prefix = f"b{os.urandom(3).hex()}"
    workdir = Path(tempfile.mkdtemp(prefix="cohort-bench-"))
    workdir.chmod(0o755)
    names = [f"{prefix}-s{number:02d}" for number in range(args.students + 1)]
    students = ", ".join(f'"{name}"' for name in names)
    (workdir / "cohort.toml").write_text(
        f'instructors = ["{prefix}-inst"]\nstudents = [{students}]\ngrader = "{prefix}-grader"\n'
    )
    settings = Settings(
        cohort_file=workdir / "cohort.toml",
        state_dir=workdir / "state",
        home_base=workdir / "state" / "home",
        ip="127.0.0.1",
        port=free_port_block(),
    )
    cohort = Cohort.load(settings.cohort_file)
    cells = lesson_cells(args.lesson)
    source = nbformat.read(REPO / "solutions" / QUIZ / f"{QUIZ}.ipynb", as_version=4)
    hub = None
    try:
        setup(settings, cohort)
        hub = start_hub(settings, workdir / "hub.log")
        wait_for_formgrader(hub)
        release_quiz(hub)
        alone = one_resident(hub, names[0], cells, source)
        hub.api("DELETE", f"/hub/api/users/{names[0]}/server")
        crowd = cohort_at_once(hub, names[1:], cells, source)
        peaks = {name: peak for name in names[1:] if (peak := peak_memory(name))}
        report(alone, crowd, peaks, args.students)
    finally:
        if hub is not None:
            hub.stop()
        if (workdir / "hub.log").exists():
            ARTIFACTS.mkdir(exist_ok=True)
            shutil.copy2(workdir / "hub.log", ARTIFACTS / "bench-hub.log")
        remove(settings, cohort)
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
