"""The grading sandbox under attack: real submissions, the real nbgrader autograde, bubblewrap.

One temporary course grades a batch of hostile submissions in ONE autograde call
(10 s per cell, so the endless loops stay cheap).  Each submission tries one way in
(reading the solutions, rewriting the gradebook, writing outside its folder, the
network, a fork bomb, memory, disk, output floods, crashes, signals, and tampering
with its own kernel) and prints what it found.  Each must earn nothing above a
blank submission, change nothing outside its own folder, and leave every student
of the batch graded.  Further tests grade a class serially and in parallel and
compare the grades cell by cell, and check what happens where the sandbox cannot start.
"""

import copy
import hashlib
import json
import os
import socket
import sqlite3
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

from widgets.grading import sandbox
from widgets.grading.cohort import grade_class
from widgets.tools.nbgrader_course import (
    TempCourse,
    fill_answers,
    is_answer_cell,
    is_test_cell,
    isolated_home,
    model_answers,
    partial_overrides,
    quiz_ids,
    wrong_type_code,
    wrong_value_code,
)

pytestmark = [
    pytest.mark.grading,
    pytest.mark.skipif(sandbox.sandbox_problem() is not None, reason="no bubblewrap sandbox here"),
]

QUIZ = quiz_ids()[0] if quiz_ids() else None
CELL_TIMEOUT = 10
MARK = f"anm-pwned-{uuid.uuid4().hex[:8]}"

# Each attack is the code of the first answer cell (the other answer cells say `pass`),
# so a submission only scores if its attack worked.  It prints `PROBE <json>`.
ATTACKS = {
    "read-solutions": """
import json, pathlib
found = []
for path in pathlib.Path(__COURSE__).glob("solutions/*/*.ipynb"):
    found.append(str(path))
    for cell in json.loads(path.read_text())["cells"]:
        meta = cell["metadata"].get("nbgrader", {})
        if meta.get("solution") and not meta.get("grade"):
            exec("".join(cell["source"]))
for folder in [pathlib.Path.cwd(), *pathlib.Path.cwd().parents]:
    found += [str(p) for p in folder.glob("solutions")] + [str(p) for p in folder.glob("*.db")]
print("PROBE", json.dumps(found))
""",
    "read-graded-notebook": """
import json, pathlib
found = [str(p) for folder in [pathlib.Path.cwd(), *pathlib.Path.cwd().parents]
         for p in folder.glob("*.ipynb") if "HIDDEN TESTS" in p.read_text(errors="replace")]
print("PROBE", json.dumps(found + [p.name for p in pathlib.Path.cwd().iterdir()]))
""",
    "rewrite-gradebook": """
import hashlib, json, sqlite3
said = []
try:
    db = sqlite3.connect("file:" + __GRADEBOOK__ + "?mode=rw", uri=True)
    tests = db.execute(
        "select s.id, s.name, g.max_score from source_cell s join base_cell b on b.name = s.name "
        "join grade_cells g on g.id = b.id").fetchall()
    for row_id, name, points in tests:
        digest = hashlib.md5()
        for part in ("pass", "code", "True", "False", "True", name, str(float(points))):
            digest.update(part.encode())
        db.execute("update source_cell set source = 'pass', checksum = ? where id = ?",
                   (digest.hexdigest(), row_id))
    db.commit()
    said.append("rewritten")
except Exception as error:
    said.append(repr(error))
print("PROBE", json.dumps(said))
""",
    "write-course-root": """
import json
said = []
for path in (__COURSE__ + "/__MARK__", "/tmp/__MARK__"):
    try:
        open(path, "w").write("x")
        said.append("wrote " + path)
    except OSError as error:
        said.append(repr(error))
print("PROBE", json.dumps(said))
""",
    "write-other-student": """
import json, pathlib
said = []
for folder in pathlib.Path(__COURSE__).glob("*/*/*"):
    try:
        (folder / "__MARK__").write_text("x")
        said.append("wrote " + str(folder))
    except OSError as error:
        said.append(repr(error))
print("PROBE", json.dumps(said))
""",
    "write-startup-folder": """
import json, pathlib
said = []
for home in (__HOME__, str(pathlib.Path.home())):
    startup = pathlib.Path(home) / ".ipython/profile_default/startup"
    try:
        startup.mkdir(parents=True, exist_ok=True)
        (startup / "00-__MARK__.py").write_text("get_ipython().input_transformers_cleanup.append(lambda l: ['pass\\n'])")
        said.append("wrote " + str(startup))
    except OSError as error:
        said.append(repr(error))
print("PROBE", json.dumps(said))
""",
    "network": """
import json, socket
said = []
for host in ("127.0.0.1", "localhost", "::1"):
    try:
        socket.create_connection((host, __PORT__), timeout=3).sendall(b"answers please")
        said.append("connected " + host)
    except OSError as error:
        said.append(repr(error))
print("PROBE", json.dumps(said))
""",
    "fork-bomb": """
import json, os, time
children = 0
try:
    while children < 5000:
        if os.fork() == 0:
            time.sleep(600)
            os._exit(0)
        children += 1
except OSError as error:
    print("PROBE", json.dumps({"children": children, "error": repr(error)}))
""",
    "memory-hog": """
import json
said = []
for size in (8 << 30, 3 << 30):
    try:
        block = bytearray(size)
        said.append(f"allocated {size}")
    except MemoryError:
        said.append("MemoryError")
print("PROBE", json.dumps(said))
""",
    "huge-file": """
import json
written = 0
try:
    with open("huge.bin", "wb") as handle:
        while written < (10 << 30):
            handle.write(b"0" * (1 << 20))
            written += 1 << 20
except OSError as error:
    pass
print("PROBE", json.dumps({"written": written}))
""",
    "print-forever": """
while True:
    print("flood " * 200)
""",
    "os-exit": """
import os
os._exit(1)
""",
    "segfault": """
import ctypes
ctypes.string_at(0)
""",
    "endless-loop": """
while True:
    pass
""",
    "endless-loop-ignoring-interrupts": """
import signal
signal.signal(signal.SIGINT, signal.SIG_IGN)
while True:
    pass
""",
    "signal-parent": """
import json, os, signal
said = []
for pid in (os.getppid(), __GRADER_PID__):
    try:
        os.kill(pid, signal.SIGKILL)
        said.append(f"killed {pid}")
    except OSError as error:
        said.append(repr(error))
print("PROBE", json.dumps(said), flush=True)
os.kill(-1, signal.SIGKILL)
""",
    "attach-debugger": """
import importlib.util, json
from ipykernel import debugger
print("PROBE", json.dumps({
    "debugpy": importlib.util.find_spec("debugpy.server") is not None,
    "kernel debugger": debugger._is_debugpy_available,
}))
""",
    "input-transformer": """
def _swallow(lines):
    return ["try:\\n"] + ["    " + line for line in lines] + ["\\n", "except BaseException:\\n", "    pass\\n"]
get_ipython().input_transformers_cleanup.append(_swallow)
""",
    "rebind-builtins": """
import builtins
class _Yes(str):
    def __eq__(self, other): return True
    __hash__ = str.__hash__
for name in ("isinstance", "issubclass", "all", "any", "callable"):
    setattr(builtins, name, lambda *args, **kwargs: True)
builtins.len = lambda *args: 1
builtins.type = lambda *args: str
__ALL_NAMES__ = _Yes("?")
""",
    "equal-to-everything": """
class Anything:
    def __eq__(self, other): return True
    def __ne__(self, other): return False
    def __hash__(self): return 0
    def __contains__(self, item): return True
    def __iter__(self): return iter(())
    def __len__(self): return 0
    def __getattr__(self, name): return lambda *args, **kwargs: self
__ALL_NAMES__ = Anything()
""",
}
# Not an answer cell at all: a code cell of the student's own, without nbgrader metadata,
# placed just before the first test.
UNTAGGED_CELL = ATTACKS["input-transformer"] + "\n" + ATTACKS["equal-to-everything"]


class Listener:
    """A TCP server on loopback that records every connection (none should come)."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.connections = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.server.accept()
            except OSError:
                return
            self.connections += 1
            connection.close()


def attack_code(name: str, course: TempCourse, home: Path, port: int, names: list[str]) -> str:
    code = ATTACKS[name] if name != "untagged-cell" else UNTAGGED_CELL
    replacements = {
        "__COURSE__": repr(str(course.root)),
        "__GRADEBOOK__": repr(str(course.root / "gradebook.db")),
        "__HOME__": repr(str(home)),
        "__PORT__": str(port),
        "__GRADER_PID__": str(os.getpid()),
        "__MARK__": MARK,
        "__ALL_NAMES__": " = ".join(names),
    }
    for token, value in replacements.items():
        code = code.replace(token, value)
    return code


def attack_submission(release, code: str, untagged: bool = False):
    """The release with the attack as the first answer cell (or as a cell of the student's own)."""
    submission = copy.deepcopy(release)
    answers = [cell for cell in submission.cells if is_answer_cell(cell)]
    for cell in answers:
        cell.source = "pass"
    if untagged:
        first_test = next(i for i, cell in enumerate(submission.cells) if is_test_cell(cell))
        submission.cells.insert(first_test, nbformat.v4.new_code_cell(code))
    else:
        answers[0].source = code
    return submission


def tree_hashes(folder: Path, skip: tuple[str, ...]) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not str(path.relative_to(folder)).startswith(skip)
    }


def instructor_tables(database: Path) -> list:
    with sqlite3.connect(database) as db:
        return [
            db.execute(f"select * from {table} order by id").fetchall()
            for table in ("base_cell", "source_cell", "grade_cells", "solution_cells")
        ]


@dataclass
class AttackBatch:
    course: TempCourse
    home: Path
    notebook: str
    students: list[str]
    result: dict
    listener: Listener
    course_before: dict
    course_after: dict
    tables_before: list
    tables_after: list


@pytest.fixture(scope="module")
def attacks(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sandbox-attacks")
    home = folder / "home"
    with isolated_home(home):
        course = TempCourse(folder, quizzes=[QUIZ], timeout=CELL_TIMEOUT)
        course.config.SandboxedExecute.interrupt_grace = 3
        course.generate(QUIZ)
        (name,) = course.notebook_names(QUIZ)
        source, release = course.source_notebook(QUIZ, name), course.release_notebook(QUIZ, name)
        names = list(model_answers(source))
        listener = Listener()
        students = [*ATTACKS, "untagged-cell"]
        for student in students:
            code = attack_code(student, course, home, listener.port, names)
            course.submit(
                student, QUIZ, {name: attack_submission(release, code, student == "untagged-cell")}
            )
        course.submit("blank", QUIZ, {name: release})
        course.submit("zz-blank-after-gradebook-attack", QUIZ, {name: release})
        skip = ("autograded", "feedback", "gradebook.db")
        course_before = tree_hashes(course.root, skip)
        tables_before = instructor_tables(course.root / "gradebook.db")
        result = course.autograde(QUIZ)
        yield AttackBatch(
            course,
            home,
            name,
            [*students, "blank", "zz-blank-after-gradebook-attack"],
            result,
            listener,
            course_before,
            tree_hashes(course.root, skip),
            tables_before,
            instructor_tables(course.root / "gradebook.db"),
        )


def autograded(batch: AttackBatch, student: str):
    path = batch.course.root / "autograded" / student / QUIZ / f"{batch.notebook}.ipynb"
    return nbformat.read(path, as_version=4)


def probe(batch: AttackBatch, student: str):
    """What the attack printed about what it could reach."""
    for cell in autograded(batch, student).cells:
        for out in cell.get("outputs", []):
            if out.output_type == "stream":
                for line in out.text.splitlines():
                    if line.startswith("PROBE "):
                        return json.loads(line[len("PROBE ") :])
    return None


def total(batch: AttackBatch, student: str) -> float:
    return sum(grade.auto_score or 0.0 for grade in batch.course.grades(QUIZ, student).values())


@pytest.mark.parametrize("student", [*ATTACKS, "untagged-cell"])
def test_an_attack_earns_nothing_above_a_blank_submission(attacks, student):
    assert total(attacks, "blank") == 0.0
    assert total(attacks, student) == 0.0, autograded(attacks, student)


def test_every_student_of_the_batch_is_graded(attacks):
    assert attacks.result["success"], attacks.result["log"][-3000:]
    for student in attacks.students:
        grades = attacks.course.grades(QUIZ, student)
        autograded_tests = [g for g in grades.values() if not g.needs_manual_grade]
        assert autograded_tests and all(g.auto_score is not None for g in autograded_tests), student


def test_nothing_outside_the_students_folder_changes(attacks):
    assert attacks.course_after == attacks.course_before
    assert attacks.tables_after == attacks.tables_before
    assert not list(attacks.course.root.rglob(f"*{MARK}*"))
    assert not list(attacks.home.rglob(f"*{MARK}*"))
    assert not Path(f"/tmp/{MARK}").exists()


def test_the_solutions_and_the_gradebook_are_not_in_the_sandbox(attacks):
    assert probe(attacks, "read-solutions") == []
    assert probe(attacks, "rewrite-gradebook") != ["rewritten"]
    assert total(attacks, "zz-blank-after-gradebook-attack") == 0.0


def test_the_kernel_has_no_debugger_to_attach(attacks):
    assert probe(attacks, "attach-debugger") == {"debugpy": False, "kernel debugger": False}


def test_the_graded_notebook_is_not_in_the_working_folder(attacks):
    assert probe(attacks, "read-graded-notebook") == []


def test_no_write_reaches_the_course_other_students_or_the_startup_folder(attacks):
    """Writes fail, or land in the sandbox's own temporary folders (a path under /tmp
    that exists on the host is only a look-alike inside), never on the host."""
    for student in ("write-course-root", "write-other-student"):
        wrote = [line for line in probe(attacks, student) if line.startswith("wrote")]
        assert all(line == f"wrote /tmp/{MARK}" for line in wrote), wrote
    startup = attacks.home / ".ipython/profile_default/startup"
    assert not list(startup.glob(f"*{MARK}*"))
    assert not list(attacks.course.root.glob(f"*/*/*/{MARK}"))


def test_there_is_no_network(attacks):
    said = probe(attacks, "network")
    assert said and not any(line.startswith("connected") for line in said)
    assert attacks.listener.connections == 0


def test_limits_stop_a_fork_bomb_a_memory_hog_and_a_huge_file(attacks):
    assert probe(attacks, "fork-bomb")["children"] < sandbox.Limits.processes
    assert probe(attacks, "memory-hog") == ["MemoryError", "MemoryError"]
    assert probe(attacks, "huge-file")["written"] <= sandbox.Limits.file_bytes


def test_output_without_end_is_cut(attacks):
    path = attacks.course.root / "autograded" / "print-forever" / QUIZ / f"{attacks.notebook}.ipynb"
    assert path.stat().st_size < 5 << 20


@pytest.mark.parametrize(
    "student, said", [("os-exit", "exit status 1"), ("segfault", "killed by SIGSEGV")]
)
def test_a_crash_is_graded_and_explained(attacks, student, said):
    notebook = autograded(attacks, student)
    errors = [out for cell in notebook.cells for out in cell.get("outputs", [])]
    reasons = " ".join(out.get("evalue", "") for out in errors if out.output_type == "error")
    assert f"the kernel died ({said})" in reasons and "not reached" in reasons


def test_the_grader_cannot_be_signalled(attacks):
    said = probe(attacks, "signal-parent")
    assert said is None or not any(f"killed {os.getpid()}" == line for line in said)


def test_a_kernel_that_ignores_interrupts_is_stopped(attacks):
    notebook = autograded(attacks, "endless-loop-ignoring-interrupts")
    text = json.dumps(notebook.cells)
    assert "did not stop when interrupted" in text


# --- serial and parallel grading give the same grades ------------------------------------


def class_submissions(source, release):
    answers = model_answers(source)
    wrong = {name: wrong_value_code(value) for name, value in answers.items()}
    names = sorted(answers)
    crash_in_second = copy.deepcopy(fill_answers(release, source))
    answer_cells = [cell for cell in crash_in_second.cells if is_answer_cell(cell)]
    if len(answer_cells) > 1:
        answer_cells[1].source = "import os\nos._exit(1)"
    warnings = 'import sys, warnings\nwarnings.warn("not sure")\nprint("note", file=sys.stderr)'
    return {
        "model": fill_answers(release, source),
        "honest-with-warnings": fill_answers(release, source, prelude=warnings),
        "partial": fill_answers(release, source, partial_overrides(source) or wrong),
        "blank": release,
        "crash-in-second-answer": crash_in_second,
        "wrong-type": fill_answers(
            release, source, {name: wrong_type_code(answers[name]) for name in names[::2]}
        ),
    }


def all_grades(course: TempCourse, students) -> dict:
    return {
        student: {
            cell: (grade.auto_score, grade.needs_manual_grade)
            for cell, grade in course.grades(QUIZ, student).items()
        }
        for student in students
    }


def test_parallel_grading_gives_the_grades_of_a_serial_run(tmp_path):
    grades = {}
    for mode in ("serial", "parallel"):
        with isolated_home(tmp_path / mode / "home"):
            course = TempCourse(tmp_path / mode, quizzes=[QUIZ], timeout=CELL_TIMEOUT)
            course.generate(QUIZ)
            (name,) = course.notebook_names(QUIZ)
            source = course.source_notebook(QUIZ, name)
            submissions = class_submissions(source, course.release_notebook(QUIZ, name))
            for student, notebook in submissions.items():
                course.submit(student, QUIZ, {name: notebook})
            if mode == "serial":
                assert course.autograde(QUIZ)["success"]
            else:
                report = grade_class(course.config, QUIZ, workers=2)
                assert sorted(report.graded) == sorted(submissions) and not report.failed
                again = grade_class(course.config, QUIZ, workers=2)
                assert not again.graded and sorted(again.up_to_date) == sorted(submissions)
            grades[mode] = all_grades(course, submissions)
    assert grades["parallel"] == grades["serial"]
    model = grades["serial"]["model"]
    assert all(score for score, manual in model.values() if not manual)
    assert grades["serial"]["honest-with-warnings"] == model


# --- where the sandbox cannot start -------------------------------------------------------


@pytest.fixture
def no_bubblewrap(monkeypatch):
    monkeypatch.setattr(sandbox, "_PROBLEM", [])
    real_which = sandbox.shutil.which
    monkeypatch.setattr(
        sandbox.shutil, "which", lambda name: None if name == "bwrap" else real_which(name)
    )


def test_without_bubblewrap_autograde_says_what_is_missing(tmp_path, no_bubblewrap):
    problem = sandbox.sandbox_problem()
    assert "apt-get install bubblewrap" in problem and "sandbox = False" in problem
    with isolated_home(tmp_path / "home"):
        course = TempCourse(tmp_path, quizzes=[QUIZ])
        course.generate(QUIZ)
        (name,) = course.notebook_names(QUIZ)
        course.submit("model", QUIZ, {name: fill_answers(*notebooks(course, name))})
        result = course.autograde(QUIZ)
        assert not result["success"] and "apt-get install bubblewrap" in result["log"]
        with pytest.raises(SystemExit, match="apt-get install bubblewrap"):
            grade_class(course.config, QUIZ, workers=1)
        from nbgrader.apps import NbGraderAPI

        course.config.SandboxedExecute.sandbox = False
        course.api = NbGraderAPI(course.coursedir, config=course.config)
        result = course.autograde(QUIZ)
        assert result["success"] and "GRADING WITHOUT THE SANDBOX" in result["log"]
        grades = course.grades(QUIZ, "model").values()
        assert all(
            grade.auto_score == grade.max_score for grade in grades if not grade.needs_manual_grade
        )


def notebooks(course: TempCourse, name: str):
    return course.release_notebook(QUIZ, name), course.source_notebook(QUIZ, name)
