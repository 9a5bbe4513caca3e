"""What the grading sandbox costs, and what grading a class in parallel saves, in the same run.

    .venv/bin/python benchmarks/bench_sandbox.py [--quiz ID] [--submissions 8] [--repeats 3] [--class-size 60]

1. Autograde per submission of a real quiz (model answers) through the course's
   chain (two sandboxed kernels) beside nbgrader's stock chain (one ordinary
   kernel), batches taken in turns; medians over repeats.  Target: at most 1.25x.
2. A class of ``--class-size`` submissions graded with ``widgets.grading.cohort``
   by 2 workers beside 1 worker (wall time).  Target: at most 0.6x on 2 cores.
   Beside each, how many cores the machine kept busy on average (Linux): one worker
   already keeps more than one busy, since a submission's two kernels start together,
   and that bounds what a second worker can add.
"""

import argparse
import copy
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from nbgrader.apps import NbGraderAPI
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import Execute

from widgets.grading.cohort import grade_class
from widgets.tools.nbgrader_course import (
    TempCourse,
    fill_answers,
    isolated_home,
    quiet_stderr,
    quiz_ids,
)

SANDBOX_TARGET = 1.25
PARALLEL_TARGET = 0.6


def stock_api(course: TempCourse) -> NbGraderAPI:
    """The same course graded by nbgrader's own Execute step: one kernel, no sandbox."""
    config = copy.deepcopy(course.config)
    config.Autograde.autograde_preprocessors = [
        Execute if step.__name__ == "SandboxedExecute" else step
        for step in course.config.Autograde.autograde_preprocessors
    ]
    return NbGraderAPI(CourseDirectory(config=config), config=config)


def cpu_ticks() -> tuple[int, int] | None:
    """(busy, all) CPU ticks of the whole machine so far, from /proc/stat (None elsewhere)."""
    try:
        fields = [int(value) for value in Path("/proc/stat").read_text().split()[1:9]]
    except (OSError, ValueError):
        return None
    idle = fields[3] + fields[4]  # idle and waiting for I/O
    return sum(fields) - idle, sum(fields)


def cores_busy(before: tuple[int, int] | None, after: tuple[int, int] | None, cores: int) -> str:
    if before is None or after is None or after[1] == before[1]:
        return ""
    share = (after[0] - before[0]) / (after[1] - before[1])
    return f", {share * cores:.1f} of {cores} cores busy"


def per_submission(api: NbGraderAPI, quiz: str, count: int) -> float:
    start = time.perf_counter()
    result = api.autograde(quiz, "*", force=True)
    if not result["success"]:
        raise RuntimeError(f"autograde failed:\n{result.get('log', '')[-3000:]}")
    return (time.perf_counter() - start) / count


def main() -> None:
    quizzes = quiz_ids()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quiz", default=quizzes[0] if quizzes else None)
    parser.add_argument("--submissions", type=int, default=8)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--class-size", type=int, default=60)
    args = parser.parse_args()
    if args.quiz is None:
        raise SystemExit("No quiz found in solutions/: nothing to time.")

    folder = Path(tempfile.mkdtemp(prefix="anm-bench-sandbox-"))
    out = sys.__stdout__
    try:
        with isolated_home(folder / "home"), quiet_stderr(folder / "nbgrader.log"):
            course = TempCourse(folder / "one", quizzes=[args.quiz])
            course.generate(args.quiz)
            (name,) = course.notebook_names(args.quiz)
            answered = fill_answers(
                course.release_notebook(args.quiz, name), course.source_notebook(args.quiz, name)
            )
            for index in range(args.submissions):
                course.submit(f"student-{index:02d}", args.quiz, {name: answered})
            apis = {"sandboxed": course.api, "stock": stock_api(course)}
            times = {label: [] for label in apis}
            for repeat in range(args.repeats):
                for label, api in apis.items():
                    times[label].append(per_submission(api, args.quiz, args.submissions))
                    print(
                        f"  repeat {repeat + 1}/{args.repeats}, {label}: "
                        f"{times[label][-1] * 1000:.0f} ms per submission",
                        file=out,
                        flush=True,
                    )
            sandboxed, stock = (statistics.median(times[label]) for label in ("sandboxed", "stock"))

            cohort = TempCourse(folder / "class", quizzes=[args.quiz])
            cohort.generate(args.quiz)
            for index in range(args.class_size):
                cohort.submit(f"student-{index:03d}", args.quiz, {name: answered})
            walls, busy = {}, {}
            cores = os.cpu_count() or 1
            for workers in (1, 2):
                ticks = cpu_ticks()
                start = time.perf_counter()
                report = grade_class(cohort.config, args.quiz, workers=workers, force=True)
                walls[workers] = time.perf_counter() - start
                busy[workers] = cores_busy(ticks, cpu_ticks(), cores)
                if report.failed:
                    raise RuntimeError(f"class grading failed: {report.failed}")
                print(
                    f"  class of {args.class_size}, {workers} worker(s): {walls[workers]:.0f} s"
                    f"{busy[workers]}",
                    file=out,
                    flush=True,
                )
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    print(
        f"autograde per submission, sandboxed (two kernels), {args.quiz}: {sandboxed * 1000:.0f} ms "
        f"(baseline nbgrader's own Execute, one unsandboxed kernel: {stock * 1000:.0f} ms; "
        f"ratio {sandboxed / stock:.2f}x; target <= {SANDBOX_TARGET}x)"
    )
    print(
        f"class of {args.class_size} submissions, 2 workers: {walls[2]:.0f} s{busy[2]} "
        f"(baseline 1 worker: {walls[1]:.0f} s{busy[1]}; ratio {walls[2] / walls[1]:.2f}x; "
        f"target <= {PARALLEL_TARGET}x)"
    )


if __name__ == "__main__":
    main()
