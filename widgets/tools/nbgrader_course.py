"""Temporary nbgrader courses for the grading tests, the grading demo and the benchmark.

A ``TempCourse`` copies quizzes from ``solutions/`` into a throw-away course folder
with its own gradebook and exchange, and drives the real nbgrader in-process
(``NbGraderAPI``): a command-line call costs about 3.5 s of start-up, an API call
almost nothing.  The module also builds submissions by editing the answer cells of
the generated student notebooks, so fixture submissions follow the quizzes as they
change instead of being hand-kept files.

Set ``HOME`` to a temporary folder (``isolated_home``) before grading: kernels write
``~/.ipython``, ``~/.jupyter`` and ``~/.cache/matplotlib`` (sandboxed grading kernels
write only inside their sandbox, but ``validate`` and unsandboxed runs use ``HOME``).
Autograde uses the course's ``nbgrader_config.py``, so it runs in the grading sandbox.
"""

from __future__ import annotations

import ast
import contextlib
import copy
import datetime
import html
import os
import re
import shutil
import sys
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbformat import NotebookNode
from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

from widgets.grading.feedback import EXPLAIN
from widgets.grading.markers import HIDDEN_TESTS as HIDDEN_REGION
from widgets.grading.markers import SECRET_MARKERS

REPO = Path(__file__).resolve().parents[2]
SOLUTIONS = REPO / "solutions"


def quiz_ids(solutions: Path = SOLUTIONS) -> list[str]:
    """The quizzes in a source folder: sub-folders holding at least one notebook."""
    if not solutions.is_dir():
        return []
    return sorted(p.name for p in solutions.iterdir() if p.is_dir() and any(p.glob("*.ipynb")))


@contextlib.contextmanager
def isolated_home(home: Path) -> Iterator[Path]:
    """Point ``HOME`` (inherited by every kernel nbgrader starts) at ``home`` for a while."""
    home.mkdir(parents=True, exist_ok=True)
    previous = os.environ.get("HOME")
    os.environ["HOME"] = str(home)
    try:
        yield home
    finally:
        if previous is None:
            del os.environ["HOME"]
        else:
            os.environ["HOME"] = previous


@contextlib.contextmanager
def quiet_stderr(log_path: Path) -> Iterator[None]:
    """Send stderr (nbgrader's log and every kernel's start-up lines) to a file for a while."""
    sys.stderr.flush()
    saved = os.dup(2)
    with log_path.open("a") as log:
        os.dup2(log.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)


def course_config(root: Path, exchange: Path, timeout: int | None = None) -> Config:
    """The repository's nbgrader_config.py, redirected to a temporary course and exchange."""
    config = PyFileConfigLoader("nbgrader_config.py", path=str(REPO)).load_config()
    config.CourseDirectory.root = str(root)
    config.CourseDirectory.db_url = f"sqlite:///{root / 'gradebook.db'}"
    config.Exchange.root = str(exchange)
    if timeout is not None:
        config.Execute.timeout = timeout
    return config


def put_venv_tools_on_path() -> None:
    """nbgrader's gradebook shells out to ``alembic``; find it beside this interpreter
    even when the virtualenv was not activated (``.venv/bin/python -m pytest``)."""
    tools = str(Path(sys.executable).parent)
    if tools not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = tools + os.pathsep + os.environ.get("PATH", "")


class NbgraderFailed(RuntimeError):
    """An nbgrader step reported failure; the message carries nbgrader's own log."""


def _checked(step: str, result: dict) -> dict:
    if not result["success"]:
        raise NbgraderFailed(
            f"nbgrader {step} failed:\n{result.get('log', '')}\n{result.get('error', '')}"
        )
    return result


class TempCourse:
    """A throw-away copy of the course, graded by the real nbgrader in this process.

    ``quizzes`` picks which folders of ``solutions`` to copy (default: all);
    ``timeout`` overrides ``Execute.timeout`` (seconds per cell), e.g. to make a
    test of endless loops quick.
    """

    def __init__(
        self,
        folder: Path,
        quizzes: list[str] | None = None,
        solutions: Path = SOLUTIONS,
        timeout: int | None = None,
    ):
        from nbgrader.apps import NbGraderAPI
        from nbgrader.coursedir import CourseDirectory

        put_venv_tools_on_path()
        self.root = folder / "course"
        self.exchange = folder / "exchange"
        for quiz in quiz_ids(solutions) if quizzes is None else quizzes:
            self.add_quiz(solutions, quiz)
        self.config = course_config(self.root, self.exchange, timeout)
        # Every student of a temporary course is this one OS account (as `submit --student`).
        self.config.ExchangeCollect.check_owner = False
        self.coursedir = CourseDirectory(config=self.config)
        self.api = NbGraderAPI(self.coursedir, config=self.config)

    def add_quiz(self, solutions: Path, quiz: str) -> None:
        """Copy one more instructor quiz folder into this course."""
        shutil.copytree(solutions / quiz, self.root / "solutions" / quiz)

    def generate(self, quiz: str) -> None:
        """Generate the student version of ``quiz`` and record its cells in the gradebook."""
        _checked("generate_assignment", self.api.generate_assignment(quiz))

    def notebook_names(self, quiz: str) -> list[str]:
        return sorted(p.stem for p in (self.root / "solutions" / quiz).glob("*.ipynb"))

    def source_notebook(self, quiz: str, name: str) -> NotebookNode:
        return nbformat.read(self.root / "solutions" / quiz / f"{name}.ipynb", as_version=4)

    def release_notebook(self, quiz: str, name: str) -> NotebookNode:
        return nbformat.read(self.root / "assignments" / quiz / f"{name}.ipynb", as_version=4)

    def submit(self, student: str, quiz: str, notebooks: dict[str, NotebookNode | str]) -> Path:
        """Place a submission as ``collect`` would (with its timestamp); a string is written verbatim."""
        folder = self.root / "submitted" / student / quiz
        folder.mkdir(parents=True, exist_ok=True)
        for name, notebook in notebooks.items():
            path = folder / f"{name}.ipynb"
            if isinstance(notebook, str):
                path.write_text(notebook)
            else:
                nbformat.write(notebook, path)
        stamp = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S.%f %Z")
        (folder / "timestamp.txt").write_text(stamp)
        return folder

    def release(self, quiz: str) -> None:
        """Release the generated student version to this course's exchange."""
        _checked("release_assignment", self.api.release_assignment(quiz))

    def student_submits(self, student: str, quiz: str, notebooks: dict[str, NotebookNode]) -> Path:
        """A student's side of the exchange: fetch the released quiz into their own folder,
        answer it (``notebooks`` replace the fetched ones) and submit it as ``student``."""
        from nbgrader.auth import Authenticator
        from nbgrader.coursedir import CourseDirectory
        from nbgrader.exchange.default import ExchangeFetchAssignment, ExchangeSubmit

        work = self.root.parent / "students" / student
        work.mkdir(parents=True, exist_ok=True)
        config = Config()
        config.CourseDirectory.course_id = self.config.CourseDirectory.course_id
        config.CourseDirectory.assignment_id = quiz
        config.CourseDirectory.student_id = student
        config.Exchange.root = str(self.exchange)
        config.Exchange.assignment_dir = str(work)
        config.Exchange.cache = str(work / ".nbgrader-cache")
        coursedir = CourseDirectory(config=config)
        authenticator = Authenticator(config=config)
        ExchangeFetchAssignment(
            coursedir=coursedir, authenticator=authenticator, config=config
        ).start()
        for name, notebook in notebooks.items():
            nbformat.write(notebook, work / quiz / f"{name}.ipynb")
        ExchangeSubmit(coursedir=coursedir, authenticator=authenticator, config=config).start()
        return work / quiz

    def collect(self, quiz: str) -> None:
        """Collect every submission from the exchange into ``submitted/``, with timestamps."""
        _checked("collect", self.api.collect(quiz))

    def autograde(self, quiz: str, student: str = "*") -> dict:
        """Autograde one student, or every submitted student at once (``"*"``, one call).

        Returns nbgrader's result: ``success`` is False when any student failed to
        grade; the others are graded all the same.
        """
        return self.api.autograde(quiz, student)

    def generate_feedback(self, quiz: str, student: str = "*") -> dict:
        return self.api.generate_feedback(quiz, student)

    def release_feedback(self, quiz: str) -> None:
        """Release every generated feedback page of ``quiz`` to the exchange."""
        _checked("release_feedback", self.api.release_feedback(quiz))

    def feedback_path(self, quiz: str, student: str, name: str) -> Path:
        return self.root / "feedback" / student / quiz / f"{name}.html"

    def has_feedback(self, quiz: str, student: str, name: str) -> bool:
        return self.feedback_path(quiz, student, name).exists()

    def feedback_html(self, quiz: str, student: str, name: str) -> str:
        return self.feedback_path(quiz, student, name).read_text()

    def grades(self, quiz: str, student: str) -> dict[str, Grade]:
        """Every graded cell of a student's submission, by grade id."""
        from nbgrader.api import Gradebook

        with Gradebook(self.coursedir.db_url) as gradebook:
            submission = gradebook.find_submission(quiz, student)
            return {
                grade.name: Grade(grade.auto_score, grade.max_score, grade.needs_manual_grade)
                for notebook in submission.notebooks
                for grade in notebook.grades
            }


@dataclass(frozen=True)
class Grade:
    """One graded cell: the autograder's score (None if it never ran), its maximum, and
    whether it waits for a human grader."""

    auto_score: float | None
    max_score: float
    needs_manual_grade: bool


def nbgrader_meta(cell: NotebookNode) -> dict:
    return cell.metadata.get("nbgrader", {})


def is_answer_cell(cell: NotebookNode) -> bool:
    """An autograded answer: editable code cell the student fills in."""
    meta = nbgrader_meta(cell)
    return cell.cell_type == "code" and meta.get("solution", False) and not meta.get("grade", False)


def is_test_cell(cell: NotebookNode) -> bool:
    """An autograder test cell (graded, not a student's answer)."""
    meta = nbgrader_meta(cell)
    return meta.get("grade", False) and not meta.get("solution", False)


def autograder_tests(notebook: NotebookNode) -> dict[str, NotebookNode]:
    return {nbgrader_meta(c)["grade_id"]: c for c in notebook.cells if is_test_cell(c)}


def solution_values(source: NotebookNode) -> dict[str, dict[str, object]]:
    """The model answers of an instructor notebook: answer cell id -> {variable: value}.

    Answers are plain literals by the course's convention; anything else is reported.
    """
    answers = {}
    for cell in source.cells:
        if not is_answer_cell(cell):
            continue
        grade_id = nbgrader_meta(cell)["grade_id"]
        values = {}
        for node in ast.parse(cell.source).body:
            if not (
                isinstance(node, ast.Assign)
                and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name)
            ):
                raise ValueError(
                    f"answer cell {grade_id!r} should only assign plain values; found {ast.unparse(node)!r}"
                )
            try:
                values[node.targets[0].id] = ast.literal_eval(node.value)
            except ValueError as error:
                raise ValueError(
                    f"answer cell {grade_id!r}: {ast.unparse(node)!r} is not a plain literal"
                ) from error
        answers[grade_id] = values
    return answers


def variables_graded(source: NotebookNode) -> dict[str, set[str]]:
    """Which answer variables each test cell grades: test id -> variable names.

    A cell grades the variables its hidden tests read (its visible checks may read
    others, e.g. that keep and exclude do not overlap); without hidden tests, all it reads.
    """
    variables = {name for values in solution_values(source).values() for name in values}
    graded = {}
    for grade_id, cell in autograder_tests(source).items():
        code = "\n".join(HIDDEN_REGION.findall(cell.source)) or cell.source
        graded[grade_id] = {
            name for name in variables if re.search(rf"\b{re.escape(name)}\b", code)
        }
    return graded


def hidden_lines(source: NotebookNode) -> set[str]:
    """Non-trivial lines of every hidden test, stripped (what feedback must never show)."""
    return {
        line.strip()
        for cell in source.cells
        for region in HIDDEN_REGION.findall(cell.source)
        for line in region.splitlines()
        if len(line.strip()) >= 8
    }


def hidden_literals(source: NotebookNode) -> set[str]:
    """String literals of the hidden tests (the expected answers among them), except
    assertion messages and the explanations recorded for the feedback, which it shows on purpose."""
    found = set()
    for cell in source.cells:
        for region in HIDDEN_REGION.findall(cell.source):
            tree = ast.parse(textwrap.dedent(region))
            messages = {
                id(node.msg) for node in ast.walk(tree) if isinstance(node, ast.Assert) and node.msg
            }
            messages |= {
                id(constant)
                for node in ast.walk(tree)
                if _records_feedback(node)
                for constant in ast.walk(node)
            }
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.Constant)
                    and isinstance(node.value, str)
                    and len(node.value) >= 4
                ) and id(node) not in messages:
                    found.add(node.value)
    return found


def _records_feedback(node: ast.AST) -> bool:
    """A call that records an item's explanation for the feedback (shown after grading)."""
    return (
        isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == EXPLAIN
    )


def answer_code(values: dict[str, object], overrides: dict[str, str]) -> str:
    """Answer-cell source assigning each variable its model value or an override (code)."""
    return "\n".join(
        f"{name} = {overrides.get(name, repr(value))}" for name, value in values.items()
    )


def fill_answers(
    release: NotebookNode,
    source: NotebookNode,
    overrides: dict[str, str] | None = None,
    prelude: str = "",
    epilogue: str = "",
) -> NotebookNode:
    """A student's submission: the release with every answer cell filled in.

    Each variable gets the model answer unless ``overrides`` maps it to other code;
    ``prelude`` runs at the top of the first answer cell and ``epilogue`` at the
    end of the last (e.g. to shadow built-ins or patch helpers after the answers).
    """
    overrides = overrides or {}
    values = solution_values(source)
    submission = copy.deepcopy(release)
    answer_cells = [cell for cell in submission.cells if is_answer_cell(cell)]
    for position, cell in enumerate(answer_cells):
        parts = [answer_code(values[nbgrader_meta(cell)["grade_id"]], overrides)]
        if position == 0 and prelude:
            parts.insert(0, prelude)
        if position == len(answer_cells) - 1 and epilogue:
            parts.append(epilogue)
        cell.source = "\n".join(parts)
    return submission


def replace_test_cells(submission: NotebookNode, new_source: str | None) -> NotebookNode:
    """Tamper with every test cell: overwrite its source, or delete it (``None``)."""
    tampered = copy.deepcopy(submission)
    if new_source is None:
        tampered.cells = [cell for cell in tampered.cells if not is_test_cell(cell)]
    else:
        for cell in tampered.cells:
            if is_test_cell(cell):
                cell.source = new_source
                nbgrader_meta(cell)["points"] = 100
    return tampered


def visible_text(page: str) -> str:
    """What a reader of an HTML page sees: tags removed, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def feedback_leaks(
    page: str, source: NotebookNode, release: NotebookNode, submission: NotebookNode
) -> list[str]:
    """Hidden-test markers, hidden-test lines and expected answers a feedback page shows.

    A line or literal counts as leaked only if neither the student version nor the
    student's own submission contains it (the allowed choices are public).
    """
    seen = visible_text(page)
    public = "\n".join(cell.source for cell in release.cells + submission.cells)
    leaks = [marker for marker in SECRET_MARKERS if marker in seen]
    leaks += [line for line in hidden_lines(source) if line in seen and line not in public]
    leaks += [
        literal for literal in hidden_literals(source) if literal in seen and literal not in public
    ]
    return leaks


def model_answers(source: NotebookNode) -> dict[str, object]:
    """Every answer variable of a quiz notebook with its model value."""
    return {
        name: value for values in solution_values(source).values() for name, value in values.items()
    }


def wrong_type_code(value: object) -> str:
    """The right content in the wrong type: a list for a choice, one text for a set,
    text for a number.  Graders must score it 0."""
    if isinstance(value, str):
        return repr([value])
    if isinstance(value, (set, frozenset)):
        return repr(", ".join(sorted(value)))
    return repr(str(value))


def wrong_value_code(value: object) -> str:
    """A well-typed but wrong answer (an empty choice or set, a far-off number)."""
    if isinstance(value, str):
        return repr("")
    if isinstance(value, (set, frozenset)):
        return "set()"
    if isinstance(value, dict):
        return repr(dict.fromkeys(value, ""))
    return repr(value + 1000)


def partial_overrides(source: NotebookNode) -> dict[str, str]:
    """Half of each multi-item set answer (sorted, at least one item), and half of each
    per-candidate table answered ("?" for the rest): partial credit."""
    overrides = {
        name: repr(set(sorted(value)[: len(value) // 2]))
        for name, value in model_answers(source).items()
        if isinstance(value, (set, frozenset)) and len(value) >= 2
    }
    for name, value in model_answers(source).items():
        if isinstance(value, dict) and len(value) >= 2:
            kept = sorted(value)[: len(value) // 2]
            overrides[name] = repr({key: value[key] if key in kept else "?" for key in value})
    return overrides


def overreach_overrides(source: NotebookNode) -> dict[str, str]:
    """Each set answer padded with every other choice the quiz uses elsewhere:
    ticking everything must not earn full marks."""
    answers = model_answers(source)
    used = set()
    for value in answers.values():
        used |= (
            set(value)
            if isinstance(value, (set, frozenset))
            else {value}
            if isinstance(value, str)
            else set()
        )
    return {
        name: repr(set(value) | (used - set(value)))
        for name, value in answers.items()
        if isinstance(value, (set, frozenset)) and used - set(value)
    }
