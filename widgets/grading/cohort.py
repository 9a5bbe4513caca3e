"""Grade a quiz for a whole class in parallel, into the one gradebook, as a serial run would.

    .venv/bin/python -m widgets.grading.cohort QUIZ [--workers N] [--force] [--course DIR]
    make grade QUIZ=case-quiz-1-differentials [WORKERS=2] [FORCE=1]

nbgrader grades one submission after another.  Here N worker processes (default:
the number of cores) each run nbgrader's own autograde, one student at a time, every
submission in its own sandboxed kernels, against a private copy of the gradebook
(SQLite takes one writer at a time).  After each student the worker reads back what
autograde wrote for that student and the coordinator writes the same values into
the course gradebook, so the grades are those of a serial ``nbgrader autograde``,
cell by cell.  A progress bar shows the count and the time left.  A rerun grades
only submissions that are new or newer than their autograded copy (nbgrader's own
rule), unless ``--force``.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import shutil
import sqlite3
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from traitlets.config import Config

from widgets.grading.sandbox import OFF_SWITCH, sandbox_problem


@dataclass
class ClassReport:
    """What a class run did: who was graded, who could not be, who was up to date."""

    graded: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    up_to_date: list[str] = field(default_factory=list)
    notes: dict[str, list[str]] = field(default_factory=dict)
    seconds: float = 0.0


def load_course_config(course: Path) -> Config:
    """The course's nbgrader_config.py, as ``nbgrader`` run in that folder would load it."""
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader("nbgrader_config.py", path=str(course)).load_config()
    if "root" not in config.CourseDirectory:
        config.CourseDirectory.root = str(course)
    return config


def _coursedir(config: Config):
    from nbgrader.coursedir import CourseDirectory

    return CourseDirectory(config=config)


def students_to_grade(config: Config, quiz: str, force: bool) -> tuple[list[str], list[str]]:
    """(to grade, up to date): nbgrader's rule, a submission is graded again only when
    forced, when its autograded copy is missing, or when its timestamp is newer."""
    coursedir = _coursedir(config)
    submitted = sorted(
        Path(path).parent.name
        for path in Path(coursedir.format_path(coursedir.submitted_directory, ".", ".")).glob(
            f"*/{quiz}"
        )
        if Path(path).is_dir()
    )
    todo, current = [], []
    for student in submitted:
        source = Path(coursedir.format_path(coursedir.submitted_directory, student, quiz))
        dest = Path(coursedir.format_path(coursedir.autograded_directory, student, quiz))
        missing = any(not (dest / nb.name).exists() for nb in source.glob("*.ipynb"))
        new = coursedir.get_existing_timestamp(str(source))
        old = coursedir.get_existing_timestamp(str(dest))
        newer = new is not None and old is not None and new > old
        (todo if force or not dest.exists() or missing or newer else current).append(student)
    return todo, current


def _sandbox_required(config: Config) -> bool:
    from widgets.grading.sandboxed_execute import SandboxedExecute

    chain = config.Autograde.get("autograde_preprocessors", [])
    uses = any(isinstance(step, type) and issubclass(step, SandboxedExecute) for step in chain)
    enabled = config.SandboxedExecute.get("sandbox", True)
    switched_off = os.environ.get(OFF_SWITCH, "").lower() in ("off", "0")
    return uses and enabled and not switched_off


def grade_class(
    config: Config,
    quiz: str,
    workers: int | None = None,
    force: bool = False,
    progress: TextIO | None = None,
) -> ClassReport:
    """Autograde every (new) submission of ``quiz`` with ``workers`` processes."""
    from nbgrader.api import Gradebook, MissingEntry

    started = time.monotonic()
    if _sandbox_required(config) and (problem := sandbox_problem()):
        raise SystemExit(problem)
    coursedir = _coursedir(config)
    with Gradebook(coursedir.db_url) as gradebook:
        try:
            gradebook.find_assignment(quiz)
        except MissingEntry:
            raise SystemExit(
                f"{quiz} is not in the gradebook: run `nbgrader generate_assignment {quiz}` first"
            ) from None
    todo, current = students_to_grade(config, quiz, force)
    report = ClassReport(up_to_date=current)
    workers = max(1, min(workers or os.cpu_count() or 1, len(todo) or 1))
    bar = ProgressBar(len(todo), quiz, progress or sys.stderr)
    scratch = Path(tempfile.mkdtemp(prefix="anm-class-"))
    context = _worker_context()
    try:
        copies = context.SimpleQueue()
        for number in range(workers):
            copy = scratch / f"gradebook-{number}.db"
            _copy_sqlite(_sqlite_path(coursedir.db_url), copy)
            copies.put(str(copy))
        with ProcessPoolExecutor(
            workers,
            mp_context=context,
            initializer=_start_worker,
            initargs=(config, copies, str(scratch)),
        ) as pool:
            # Workers start at the first submit: before the course gradebook is opened here,
            # so a forked worker never inherits an open database connection.
            futures = [pool.submit(_grade_student, quiz, student) for student in todo]
            with Gradebook(coursedir.db_url) as course_gradebook:
                for future in as_completed(futures):
                    outcome = future.result()
                    student = outcome["student"]
                    if outcome["rows"] is not None:
                        _write_rows(course_gradebook, quiz, student, outcome["rows"])
                    if outcome["success"]:
                        report.graded.append(student)
                    else:
                        report.failed[student] = outcome["reason"]
                    if outcome["notes"]:
                        report.notes[student] = outcome["notes"]
                    bar.advance(failed=len(report.failed))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    bar.finish()
    report.graded.sort()
    report.seconds = time.monotonic() - started
    return report


def _worker_context():
    """Fork on Linux: a worker then starts with nbgrader already imported, where a spawned
    worker spends about 3 s (two submissions' worth) importing it again."""
    if sys.platform == "linux":
        from nbgrader.apps import NbGraderAPI  # noqa: F401 - imported once, inherited

        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _sqlite_path(db_url: str) -> str:
    if not db_url.startswith("sqlite:///"):
        raise SystemExit(f"class grading needs an SQLite gradebook, not {db_url}")
    return db_url[len("sqlite:///") :]


def _copy_sqlite(source: str, target: Path) -> None:
    """A consistent copy of an SQLite database, even while another process reads it."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)


_WORKER: dict = {}


def _start_worker(config: Config, copies, scratch: str) -> None:
    """One worker: nbgrader's API on a private gradebook copy, its noise in a log file."""
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    tools = str(Path(sys.executable).parent)
    os.environ["PATH"] = tools + os.pathsep + os.environ.get("PATH", "")
    database = copies.get()
    config.CourseDirectory.db_url = f"sqlite:///{database}"
    log = open(Path(scratch) / f"{Path(database).stem}.log", "a")  # noqa: SIM115 - worker life
    os.dup2(log.fileno(), 2)
    _WORKER["api"] = NbGraderAPI(CourseDirectory(config=config), config=config)
    _WORKER["db_url"] = config.CourseDirectory.db_url


def _grade_student(quiz: str, student: str) -> dict:
    """Autograde one student in this worker; return what autograde stored for them."""
    result = _WORKER["api"].autograde(quiz, student, force=True, create=True)
    log = result.get("log", "") + "\n" + (result.get("error") or "")
    marker = f"{student}/{quiz}: "
    notes = [line.split(marker, 1)[1] for line in log.splitlines() if marker in line]
    reason = ""
    if not result["success"]:
        errors = [line for line in log.splitlines() if line.strip()]
        reason = next(
            (
                line.strip()
                for line in reversed(errors)
                if "Error" in line and "There was" not in line
            ),
            "autograde failed (see the nbgrader log)",
        )
    return {
        "student": student,
        "success": result["success"],
        "reason": reason,
        "notes": notes,
        "rows": _read_rows(_WORKER["db_url"], quiz, student),
    }


def _read_rows(db_url: str, quiz: str, student: str) -> dict | None:
    """Everything autograde writes for one submission, as plain data."""
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(db_url) as gradebook:
        try:
            submission = gradebook.find_submission(quiz, student)
        except MissingEntry:
            return None
        return {
            "timestamp": submission.timestamp,
            "notebooks": {
                notebook.name: {
                    "late_penalty": notebook.late_submission_penalty,
                    "grades": {
                        grade.name: (grade.auto_score, grade.needs_manual_grade)
                        for grade in notebook.grades
                    },
                    "comments": {
                        comment.name: comment.auto_comment for comment in notebook.comments
                    },
                }
                for notebook in submission.notebooks
            },
        }


def _write_rows(gradebook, quiz: str, student: str, rows: dict) -> None:
    """Write a worker's results for one student into the course gradebook (kept open for
    the whole class: opening it costs more than the write)."""
    gradebook.update_or_create_student(student)
    if rows["timestamp"] is not None:
        gradebook.update_or_create_submission(quiz, student, timestamp=rows["timestamp"])
    else:
        gradebook.update_or_create_submission(quiz, student)
    for name, stored in rows["notebooks"].items():
        notebook = gradebook.find_submission_notebook(name, quiz, student)
        notebook.late_submission_penalty = stored["late_penalty"]
        for grade in notebook.grades:
            if grade.name in stored["grades"]:
                grade.auto_score, grade.needs_manual_grade = stored["grades"][grade.name]
        for comment in notebook.comments:
            if comment.name in stored["comments"]:
                comment.auto_comment = stored["comments"][comment.name]
    gradebook.db.commit()


class ProgressBar:
    """``[#####.....] 12/60 graded · 1 failed · 1m05s left``, redrawn in place on a terminal."""

    def __init__(self, total: int, label: str, stream: TextIO, width: int = 30) -> None:
        self.total, self.label, self.stream, self.width = total, label, stream, width
        self.done, self.failed = 0, 0
        self.started = time.monotonic()
        self.live = getattr(stream, "isatty", lambda: False)()
        self._draw()

    def advance(self, failed: int) -> None:
        self.done += 1
        self.failed = failed
        self._draw()

    def _draw(self) -> None:
        filled = self.width * self.done // max(self.total, 1)
        line = (
            f"{self.label} [{'#' * filled}{'.' * (self.width - filled)}] {self.done}/{self.total}"
        )
        if self.failed:
            line += f" · {self.failed} failed"
        if 0 < self.done < self.total:
            left = (time.monotonic() - self.started) / self.done * (self.total - self.done)
            line += f" · {int(left) // 60}m{int(left) % 60:02d}s left"
        self.stream.write(("\r" + line) if self.live else line + "\n")
        self.stream.flush()

    def finish(self) -> None:
        if self.live:
            self.stream.write("\n")
            self.stream.flush()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("quiz", help="the assignment id, e.g. case-quiz-1-differentials")
    parser.add_argument("--workers", type=int, default=None, help="default: number of cores")
    parser.add_argument("--force", action="store_true", help="grade again what is up to date")
    parser.add_argument("--course", type=Path, default=Path.cwd(), help="default: this folder")
    args = parser.parse_args(argv)
    report = grade_class(
        load_course_config(args.course.resolve()), args.quiz, args.workers, args.force
    )
    print(
        f"{args.quiz}: {len(report.graded)} graded, {len(report.failed)} not graded, "
        f"{len(report.up_to_date)} already up to date ({report.seconds:.0f} s)"
    )
    for student, notes in sorted(report.notes.items()):
        for note in notes:
            print(f"  {student}: {note}")
    for student, reason in sorted(report.failed.items()):
        print(f"  {student} NOT GRADED: {reason}")
    return 1 if report.failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
