"""The quizzes under the real nbgrader: release, validation, scores, gaming and feedback.

Each quiz is generated once per module in a temporary course (own gradebook,
exchange and HOME).  Every submission below (honest, partial, wrong, broken and
cheating students) is graded in ONE autograde call per quiz, as an instructor
would, then every test reads the gradebook and the feedback files.
"""

import copy
import hashlib
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

from widgets.tools.nbgrader_course import (
    REPO,
    TempCourse,
    autograder_tests,
    course_config,
    feedback_leaks,
    fill_answers,
    isolated_home,
    model_answers,
    nbgrader_meta,
    overreach_overrides,
    partial_overrides,
    quiz_ids,
    replace_test_cells,
    variables_graded,
    wrong_type_code,
    wrong_value_code,
)

pytestmark = pytest.mark.grading

QUIZZES = quiz_ids()
CELL_TIMEOUT = (
    20  # seconds per cell: the endless loop costs little, a loaded CI machine still has room
)

# Answer objects that try to compare equal to any expected answer.
ALWAYS_EQUAL = """
class AlwaysEqualText(str):
    def __eq__(self, other): return True
    def __ne__(self, other): return False
    __hash__ = str.__hash__
    def lower(self): return self
    def strip(self): return self
    def split(self, *args): return [self]
class AlwaysEqualSet(set):
    def __eq__(self, other): return True
    def __ne__(self, other): return False
    def __contains__(self, item): return True
    def __and__(self, other): return set(other)
    __rand__ = __and__
    def issubset(self, other): return True
    def issuperset(self, other): return True
class AlwaysEqualNumber(float):
    def __eq__(self, other): return True
    def __ne__(self, other): return False
    def __lt__(self, other): return True
    def __le__(self, other): return True
    def __gt__(self, other): return False
    def __ge__(self, other): return True
    def __sub__(self, other): return 0.0
    __rsub__ = __sub__
    def __abs__(self): return 0.0
"""
ALWAYS_EQUAL_CODE = {
    str: 'AlwaysEqualText("?")',
    set: "AlwaysEqualSet()",
    float: "AlwaysEqualNumber(0)",
}

# Objects that are no str/set/number at all but answer to everything.
HASH_TRICK = """
class Chameleon:
    def __eq__(self, other): return True
    def __ne__(self, other): return False
    def __hash__(self): return 0
    def __iter__(self): return iter([Chameleon(), Chameleon()])
    def __len__(self): return 2
    def __contains__(self, item): return True
    def __getattr__(self, name): return lambda *args, **kwargs: self
"""
HASH_TRICK_CODE = dict.fromkeys((str, set, float), "Chameleon()")

# Objects that claim another class through a faked __class__.
FAKE_CLASS = """
class TextImpostor(str):
    __class__ = property(lambda self: "".__class__)
    def __eq__(self, other): return True
    __hash__ = str.__hash__
class SetImpostor:
    __class__ = property(lambda self: {0}.__class__)
    def __eq__(self, other): return True
    def __iter__(self): return iter(())
    def __len__(self): return 0
    def __contains__(self, item): return True
class NumberImpostor:
    __class__ = property(lambda self: (0.0).__class__)
    def __eq__(self, other): return True
    def __sub__(self, other): return 0.0
    __rsub__ = __sub__
    def __abs__(self): return 0.0
    def __float__(self): return 0.0
"""
FAKE_CLASS_CODE = {str: 'TextImpostor("?")', set: "SetImpostor()", float: "NumberImpostor()"}

# Built-ins redefined in the student's namespace, where tests look names up first.
SHADOWED_BUILTINS = (
    ALWAYS_EQUAL
    + """
def _yes(*args, **kwargs): return True
isinstance = issubclass = callable = all = any = bool = _yes
type = lambda *args: str
len = lambda *args: 3
str = set = frozenset = list = tuple = lambda *args: args[0] if args else None
min = max = sum = sorted = abs = round = float = int = lambda *args, **kwargs: args[0] if args else 0
"""
)

PATCHED_HELPERS = (
    ALWAYS_EQUAL
    + """
import widgets.grading.answer_checks as _grading
_grading.check_choice = _grading.check_choices = _grading.check_number = lambda *args, **kwargs: None
_grading.check_no_overlap = _grading.normalise = lambda *args, **kwargs: None
"""
)

# Rewrites every later cell, tests included, to `pass`: full marks if it ran.
INPUT_TRANSFORMER = 'get_ipython().input_transformers_cleanup.append(lambda lines: ["pass\\n"])'

# Prints the kernel's input history, hidden tests included, into the feedback.
SNOOP = 'print("\\n".join(In))'
WARNINGS = 'import sys, warnings\nwarnings.warn("I checked the guideline twice")\nprint("note to self", file=sys.stderr)'


@dataclass
class Student:
    """One fixture submission and what each test cell should score for it.

    ``expect`` maps a test cell id to "full", "zero", "partial" (strictly between),
    "below" (less than full) or "none-or-zero" (a submission that cannot be graded).
    ``broken`` says whether it must fail to grade: only a file that is not a notebook
    does; every real notebook is graded, whatever its code does to its kernel.
    """

    name: str
    notebook: object
    expect: dict[str, str]
    broken: bool = False


def kind_of(value):
    return str if isinstance(value, str) else set if isinstance(value, (set, frozenset)) else float


def cheat_overrides(answers, codes):
    return {name: codes[kind_of(value)] for name, value in answers.items()}


def build_students(source, release):
    answers = model_answers(source)
    tested = variables_graded(source)
    wrong = {name: wrong_value_code(value) for name, value in answers.items()}

    def expect(changed, when_changed, otherwise="full"):
        return {cell: when_changed if tested[cell] & changed else otherwise for cell in tested}

    everything = set(answers)
    names = sorted(answers)
    even, odd = set(names[::2]), set(names[1::2])
    partial, overreach = partial_overrides(source), overreach_overrides(source)
    zero = expect(everything, "zero")
    students = [
        Student("model", fill_answers(release, source), expect(set(), "full")),
        Student("blank", release, zero),
        Student("warnings", fill_answers(release, source, prelude=WARNINGS), expect(set(), "full")),
        Student("partial", fill_answers(release, source, partial), expect(set(partial), "partial")),
        Student(
            "overreach", fill_answers(release, source, overreach), expect(set(overreach), "below")
        ),
        Student(
            "always-equal",
            fill_answers(
                release, source, cheat_overrides(answers, ALWAYS_EQUAL_CODE), ALWAYS_EQUAL
            ),
            zero,
        ),
        Student(
            "hash-trick",
            fill_answers(release, source, cheat_overrides(answers, HASH_TRICK_CODE), HASH_TRICK),
            zero,
        ),
        Student(
            "fake-class",
            fill_answers(release, source, cheat_overrides(answers, FAKE_CLASS_CODE), FAKE_CLASS),
            zero,
        ),
        Student(
            "input-transformer",
            fill_answers(release, source, wrong, INPUT_TRANSFORMER),
            zero,
        ),
        Student(
            "shadowed-builtins",
            fill_answers(
                release, source, cheat_overrides(answers, ALWAYS_EQUAL_CODE), SHADOWED_BUILTINS
            ),
            zero,
        ),
        Student(
            "patched-helpers",
            fill_answers(
                release, source, cheat_overrides(answers, ALWAYS_EQUAL_CODE), PATCHED_HELPERS
            ),
            zero,
        ),
        Student("sys-exit", fill_answers(release, source, wrong, "import sys\nsys.exit(0)"), zero),
        Student("exit-call", fill_answers(release, source, wrong, "exit()"), zero),
        Student(
            "endless-loop", fill_answers(release, source, wrong, "while True:\n    pass"), zero
        ),
        Student(
            "tampered-tests", replace_test_cells(fill_answers(release, source, wrong), "pass"), zero
        ),
        Student(
            "deleted-tests", replace_test_cells(fill_answers(release, source, wrong), None), zero
        ),
        Student(
            "deleted-tests-model",
            replace_test_cells(fill_answers(release, source), None),
            expect(set(), "full"),
        ),
        Student("snoop", fill_answers(release, source, epilogue=SNOOP), expect(set(), "full")),
        Student(
            "kernel-killed",
            fill_answers(release, source, prelude="import os\nos._exit(1)"),
            zero,  # graded all the same: no test after the crash was reached
        ),
        Student(
            "invalid-json",
            '{"cells": [ this is not a notebook',
            expect(everything, "none-or-zero"),
            broken=True,
        ),
    ]
    if even:
        overrides = {name: wrong_type_code(answers[name]) for name in even}
        students.append(
            Student(
                "wrong-type-even", fill_answers(release, source, overrides), expect(even, "zero")
            )
        )
    if odd:
        overrides = {name: wrong_type_code(answers[name]) for name in odd}
        students.append(
            Student("wrong-type-odd", fill_answers(release, source, overrides), expect(odd, "zero"))
        )
    return students


@dataclass
class GradedQuiz:
    quiz: str
    course: TempCourse
    notebook: str
    source: object
    release: object
    students: dict[str, Student]
    autograde_result: dict
    hashes_before: dict[str, str]
    hashes_after: dict[str, str]


def file_hashes(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module", params=QUIZZES)
def quiz_course(request, tmp_path_factory):
    """A temporary course holding one generated quiz (and its own HOME)."""
    folder = tmp_path_factory.mktemp(request.param)
    with isolated_home(folder / "home"):
        course = TempCourse(folder, quizzes=[request.param], timeout=CELL_TIMEOUT)
        course.generate(request.param)
        yield request.param, course


@pytest.fixture(scope="module")
def graded(quiz_course):
    """Every fixture student of the quiz, autograded in one call, with feedback generated."""
    quiz, course = quiz_course
    names = course.notebook_names(quiz)
    assert len(names) == 1, (
        f"{quiz}: the fixture students assume one notebook per quiz, found {names}"
    )
    name = names[0]
    source, release = course.source_notebook(quiz, name), course.release_notebook(quiz, name)
    students = {student.name: student for student in build_students(source, release)}
    for student in students.values():
        course.submit(student.name, quiz, {name: student.notebook})
    submitted = course.root / "submitted"
    before = file_hashes(submitted)
    result = course.autograde(quiz)
    after = file_hashes(submitted)
    course.generate_feedback(quiz)
    return GradedQuiz(quiz, course, name, source, release, students, result, before, after)


def describe(score, maximum, wanted):
    return f"scored {score} of {maximum}, expected {wanted}"


def meets(score, maximum, wanted):
    if wanted == "none-or-zero":
        return score in (None, 0.0)
    if score is None:
        return False
    return {
        "full": score == maximum,
        "zero": score == 0.0,
        "partial": 0.0 < score < maximum,
        "below": score < maximum,
    }[wanted]


BROKEN_KINDS = ("invalid-json",)
STUDENT_KINDS = [
    "model",
    "blank",
    "warnings",
    "partial",
    "overreach",
    "always-equal",
    "hash-trick",
    "fake-class",
    "input-transformer",
    "shadowed-builtins",
    "patched-helpers",
    "sys-exit",
    "exit-call",
    "endless-loop",
    "tampered-tests",
    "deleted-tests",
    "deleted-tests-model",
    "snoop",
    "kernel-killed",
    "invalid-json",
    "wrong-type-even",
    "wrong-type-odd",
]


@pytest.mark.parametrize("kind", STUDENT_KINDS)
def test_each_test_cell_scores_what_the_submission_deserves(graded, kind):
    if kind not in graded.students:
        pytest.skip(f"{graded.quiz} has too few answers for a {kind} student")
    student = graded.students[kind]
    grades = graded.course.grades(graded.quiz, kind)
    points = {
        cell_id: float(nbgrader_meta(cell)["points"])
        for cell_id, cell in autograder_tests(graded.source).items()
    }
    wrong = {
        cell_id: describe(grades[cell_id].auto_score, grades[cell_id].max_score, wanted)
        for cell_id, wanted in student.expect.items()
        if not meets(grades[cell_id].auto_score, grades[cell_id].max_score, wanted)
    }
    assert not wrong, f"{graded.quiz}, student {kind!r}: {wrong}\n{log_about(graded, kind)}"
    assert {cell_id: grades[cell_id].max_score for cell_id in points} == points, (
        "a test cell's points changed"
    )


def test_model_answers_earn_every_autograded_point(graded):
    grades = graded.course.grades(graded.quiz, "model")
    tests = autograder_tests(graded.source)
    earned = sum(grades[cell_id].auto_score for cell_id in tests)
    assert earned == sum(float(nbgrader_meta(cell)["points"]) for cell in tests.values()) > 0


def test_broken_submissions_do_not_stop_the_batch(graded):
    assert not graded.autograde_result["success"], (
        "the broken submissions should have been reported"
    )
    for name, student in graded.students.items():
        autograded = (
            graded.course.root / "autograded" / name / graded.quiz / f"{graded.notebook}.ipynb"
        )
        assert autograded.exists() != student.broken, (
            f"student {name!r}:\n{log_about(graded, name)}"
        )
        if not student.broken:
            grades = graded.course.grades(graded.quiz, name)
            assert all(grades[cell].auto_score is not None for cell in student.expect), name


def log_about(graded, student):
    """nbgrader's error lines for one student, to say why a submission did (not) grade."""
    lines = graded.autograde_result.get("log", "").splitlines()
    starts = [
        i
        for i, line in enumerate(lines)
        if f"/submitted/{student}/" in line and "error processing" in line
    ]
    return (
        "\n".join(line for start in starts for line in lines[start : start + 30])
        or "(nbgrader logged no error)"
    )


def test_submitted_originals_are_never_modified(graded):
    assert graded.hashes_after == graded.hashes_before


def test_deleted_test_cells_are_restored_and_graded(graded):
    restored = nbformat.read(
        graded.course.root
        / "autograded"
        / "deleted-tests-model"
        / graded.quiz
        / f"{graded.notebook}.ipynb",
        as_version=4,
    )
    assert set(autograder_tests(restored)) == set(autograder_tests(graded.source))


@pytest.mark.parametrize("kind", [kind for kind in STUDENT_KINDS if kind not in BROKEN_KINDS])
def test_feedback_shows_no_hidden_test_or_expected_answer(graded, kind):
    if kind not in graded.students:
        pytest.skip(f"{graded.quiz} has too few answers for a {kind} student")
    html = graded.course.feedback_html(graded.quiz, kind, graded.notebook)
    submission = nbformat.read(
        graded.course.root / "submitted" / kind / graded.quiz / f"{graded.notebook}.ipynb",
        as_version=4,
    )
    assert feedback_leaks(html, graded.source, graded.release, submission) == []


def test_feedback_keeps_scores_and_the_students_own_answers(graded):
    html = graded.course.feedback_html(graded.quiz, "model", graded.notebook)
    grades = graded.course.grades(graded.quiz, "model").values()
    earned = sum(grade.auto_score or 0.0 for grade in grades)
    possible = sum(grade.max_score for grade in grades)
    assert f"(Score: {round(earned, 2)} / {round(possible, 2)})" in html
    for cell_id, cell in autograder_tests(graded.source).items():
        points = float(nbgrader_meta(cell)["points"])
        assert f'<a href="#{cell_id}">Test cell</a> (Score: {points} / {points})' in html
    for value in model_answers(graded.source).values():
        shown = sorted(value)[0] if isinstance(value, (set, frozenset, dict)) else value
        assert str(shown) in html


def test_feedback_check_would_catch_nbgraders_default_feedback(graded, tmp_path):
    """nbgrader's default feedback shows hidden tests: the leak check must notice."""
    from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.preprocessors import GetGrades

    config = copy.deepcopy(graded.course.config)
    config.CourseDirectory.feedback_directory = "feedback-default"
    config.GenerateFeedback.preprocessors = [GetGrades, CSSHTMLHeaderPreprocessor]
    api = NbGraderAPI(CourseDirectory(config=config), config=config)
    assert api.generate_feedback(graded.quiz, "blank")["success"]
    html = (
        graded.course.root / "feedback-default" / "blank" / graded.quiz / f"{graded.notebook}.html"
    ).read_text()
    assert feedback_leaks(html, graded.source, graded.release, graded.release)


def test_committed_release_equals_a_fresh_generate(quiz_course):
    quiz, course = quiz_course
    committed_folder, fresh_folder = REPO / "assignments" / quiz, course.root / "assignments" / quiz
    assert sorted(p.name for p in committed_folder.iterdir()) == sorted(
        p.name for p in fresh_folder.iterdir()
    )
    for fresh_path in fresh_folder.glob("*.ipynb"):
        committed = nbformat.read(committed_folder / fresh_path.name, as_version=4)
        fresh = nbformat.read(fresh_path, as_version=4)
        assert comparable(committed) == comparable(fresh), (
            f"assignments/{quiz}/{fresh_path.name} is stale: run `nbgrader generate_assignment {quiz} --force`"
        )


def comparable(notebook):
    """What a student sees and nbgrader checks, without volatile metadata (ids, timings)."""
    return {
        "kernelspec": notebook.metadata.get("kernelspec", {}).get("name"),
        "cells": [
            (
                cell.cell_type,
                cell.source,
                nbgrader_meta(cell),
                cell.metadata.get("editable", True),
                cell.metadata.get("deletable", True),
            )
            for cell in notebook.cells
        ],
    }


def validator(course, invert):
    from nbgrader.validator import Validator

    config = copy.deepcopy(course.config)
    config.Validator.invert = invert
    return Validator(config=config)


def test_validate_passes_every_solution_notebook(quiz_course):
    quiz, course = quiz_course
    for path in sorted((course.root / "solutions" / quiz).glob("*.ipynb")):
        assert validator(course, invert=False).validate(str(path)) == {}, path.name


def test_validate_invert_fails_every_test_of_the_release(quiz_course):
    quiz, course = quiz_course
    for path in sorted((course.root / "assignments" / quiz).glob("*.ipynb")):
        assert "passed" not in validator(course, invert=True).validate(str(path)), path.name


@pytest.mark.parametrize(
    "stderr, scored",
    [
        ('/tmp/ipykernel_7/1.py:2: UserWarning: unsure\n  warnings.warn("unsure")\n', 1.0),
        (
            "<string>:1: DeprecationWarning: old\n/a.py:9: RuntimeWarning: More than 20 figures\n",
            1.0,
        ),
        ("/tmp/x.py:2: UserWarning: unsure\nsomething failed\n", 0.0),
        ("Traceback (most recent call last): boom\n", 0.0),
    ],
)
def test_stderr_made_only_of_warnings_costs_no_marks(tmp_path, stderr, scored):
    from nbgrader.preprocessors import IgnorePattern
    from nbgrader.utils import determine_grade

    config = course_config(tmp_path, tmp_path)
    cell = nbformat.v4.new_code_cell(
        "assert True", outputs=[nbformat.v4.new_output("stream", name="stderr", text=stderr)]
    )
    cell.metadata["nbgrader"] = {
        "grade": True,
        "solution": False,
        "locked": True,
        "grade_id": "t",
        "points": 1,
    }
    cell, _ = IgnorePattern(config=config).preprocess_cell(cell, {}, 0)
    assert determine_grade(cell)[0] == scored
