"""Autograde time per submission: a real quiz against nbgrader's floor, in the same run.

    .venv/bin/python benchmarks/bench_autograde.py [--quiz ID] [--submissions 30] [--repeats 3]

Grades a batch of submissions (the model answers) of a real quiz in one autograde
call, beside the same number of submissions of a trivial assignment (one answer
cell, one test cell): the floor that nbgrader itself costs (sanitising, a fresh
kernel per notebook, the gradebook).  Batches alternate so both see the same
machine load; each figure is the median over repeats.  Target: the quiz costs at
most 1.5x the floor per submission.  The split between executing the cells (from
the kernel's own timestamps in the autograded notebooks) and everything else
shows where any excess comes from.
"""

import argparse
import datetime
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

from widgets.tools.nbgrader_course import (
    TempCourse,
    fill_answers,
    isolated_home,
    quiet_stderr,
    quiz_ids,
)

FLOOR = "floor-one-cell"
TARGET_RATIO = 1.5


def floor_notebook():
    """The smallest gradable assignment: one answer, one test."""
    notebook = new_notebook(
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        }
    )
    answer = new_code_cell("### BEGIN SOLUTION\nanswer = 1\n### END SOLUTION")
    answer.metadata["nbgrader"] = {
        "grade": False,
        "solution": True,
        "locked": False,
        "grade_id": "answer",
        "schema_version": 3,
    }
    test = new_code_cell('assert answer == 1, "answer should be 1"')
    test.metadata["nbgrader"] = {
        "grade": True,
        "solution": False,
        "locked": True,
        "grade_id": "test",
        "points": 1,
        "schema_version": 3,
    }
    notebook.cells = [answer, test]
    return notebook


def cell_seconds(notebook) -> float:
    """Time the kernel spent executing the cells, from the timestamps nbclient records."""
    total = 0.0
    for cell in notebook.cells:
        timing = cell.metadata.get("execution", {})
        if "iopub.execute_input" in timing and "shell.execute_reply" in timing:
            start = datetime.datetime.fromisoformat(
                timing["iopub.execute_input"].replace("Z", "+00:00")
            )
            end = datetime.datetime.fromisoformat(
                timing["shell.execute_reply"].replace("Z", "+00:00")
            )
            total += (end - start).total_seconds()
    return total


def grade_batch(course: TempCourse, assignment: str, submissions: int) -> tuple[float, float]:
    """Autograde every submission of ``assignment`` in one call; per-submission (wall, cells) seconds."""
    start = time.perf_counter()
    result = course.autograde(assignment)
    wall = time.perf_counter() - start
    if not result["success"]:
        raise RuntimeError(f"autograde of {assignment} failed:\n{result.get('log', '')}")
    cells = [
        cell_seconds(nbformat.read(path, as_version=4))
        for path in (course.root / "autograded").glob(f"*/{assignment}/*.ipynb")
    ]
    return wall / submissions, sum(cells) / submissions


def main() -> None:
    quizzes = quiz_ids()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quiz", default=quizzes[0] if quizzes else None, help="quiz to time (default: the first)"
    )
    parser.add_argument("--submissions", type=int, default=30)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    if args.quiz is None:
        raise SystemExit("No quiz found in solutions/: nothing to time.")

    folder = Path(tempfile.mkdtemp(prefix="anm-bench-autograde-"))
    floor_source = folder / "floor-solutions" / FLOOR
    floor_source.mkdir(parents=True)
    nbformat.write(floor_notebook(), floor_source / f"{FLOOR}.ipynb")
    timings = {args.quiz: [], FLOOR: []}
    with isolated_home(folder / "home"), quiet_stderr(folder / "nbgrader.log"):
        course = TempCourse(folder, quizzes=[args.quiz])
        course.add_quiz(floor_source.parent, FLOOR)
        for assignment in timings:
            course.generate(assignment)
            for name in course.notebook_names(assignment):
                source, release = (
                    course.source_notebook(assignment, name),
                    course.release_notebook(assignment, name),
                )
                answered = fill_answers(release, source)
                for index in range(args.submissions):
                    course.submit(f"student-{index:02d}", assignment, {name: answered})
        for repeat in range(args.repeats):
            for assignment in timings:
                timings[assignment].append(grade_batch(course, assignment, args.submissions))
                wall, _cells = timings[assignment][-1]
                print(
                    f"  repeat {repeat + 1}/{args.repeats}, {assignment}: {wall * 1000:.0f} ms per submission",
                    file=sys.__stdout__,
                    flush=True,
                )

    quiz_wall = statistics.median(wall for wall, _ in timings[args.quiz])
    floor_wall = statistics.median(wall for wall, _ in timings[FLOOR])
    quiz_cells = statistics.median(cells for _, cells in timings[args.quiz])
    floor_cells = statistics.median(cells for _, cells in timings[FLOOR])
    print(
        f"autograde per submission, {args.quiz}: {quiz_wall * 1000:.0f} ms "
        f"(baseline autograde per submission, one-cell assignment: {floor_wall * 1000:.0f} ms; "
        f"ratio {quiz_wall / floor_wall:.2f}x; target <= {TARGET_RATIO}x)"
    )
    print(
        f"cell execution per submission, {args.quiz}: {quiz_cells * 1000:.0f} ms "
        f"(baseline cell execution per submission, one-cell assignment: {floor_cells * 1000:.0f} ms; "
        f"ratio {quiz_cells / max(floor_cells, 1e-9):.2f}x; target: the excess over the floor stays below "
        f"{(TARGET_RATIO - 1) * floor_wall * 1000:.0f} ms)"
    )
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
