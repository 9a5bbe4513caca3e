"""The instructor's whole nbgrader cycle, end to end, in a temporary course and exchange.

generate -> validate -> validate --invert -> release -> two students fetch and submit
(each with their own HOME and working folder) -> collect -> autograde -> feedback ->
release feedback -> students fetch feedback -> export.  Everything runs in-process
through nbgrader's own API and exchange classes: no command-line start-up costs.
"""

import copy
import csv

import nbformat
import pytest

from widgets.tools.nbgrader_course import (
    TempCourse,
    feedback_leaks,
    fill_answers,
    isolated_home,
    nbgrader_meta,
    partial_overrides,
    quiz_ids,
)

pytestmark = pytest.mark.grading

QUIZZES = quiz_ids()


class StudentDesk:
    """One student's machine: their HOME, their working folder and their nbgrader settings."""

    def __init__(self, student_id, course, folder):
        from nbgrader.coursedir import CourseDirectory

        self.student_id = student_id
        self.home = folder / "home"
        self.work = folder / "work"
        self.work.mkdir(parents=True)
        self.config = copy.deepcopy(course.config)
        self.config.CourseDirectory.root = str(self.work)
        self.config.CourseDirectory.student_id = student_id  # `submit --student <id>`
        self.config.Exchange.assignment_dir = str(self.work)
        self.config.Exchange.cache = str(self.home / ".local/share/jupyter/nbgrader_cache")
        self.coursedir = CourseDirectory(config=self.config)

    def run(self, exchange_class, quiz):
        """Run one student-side exchange step (fetch, submit, fetch feedback) as this student."""
        from nbgrader.auth import Authenticator

        self.coursedir.assignment_id = quiz
        with isolated_home(self.home):
            step = exchange_class(
                coursedir=self.coursedir,
                authenticator=Authenticator(config=self.config),
                config=self.config,
            )
            return step.start()


@pytest.mark.skipif(not QUIZZES, reason="no quiz in solutions/ yet")
def test_full_instructor_cycle(tmp_path):
    from nbgrader.api import Gradebook
    from nbgrader.exchange.default import (
        ExchangeFetchAssignment,
        ExchangeFetchFeedback,
        ExchangeSubmit,
    )
    from nbgrader.plugins import CsvExportPlugin
    from nbgrader.validator import Validator

    quiz = QUIZZES[0]
    with isolated_home(tmp_path / "instructor-home"):
        course = TempCourse(tmp_path / "instructor", quizzes=[quiz])
        course.config.ExchangeCollect.check_owner = False  # students submit under --student ids
        course.generate(quiz)
        (name,) = course.notebook_names(quiz)
        source, release = course.source_notebook(quiz, name), course.release_notebook(quiz, name)

        solution_path = course.root / "solutions" / quiz / f"{name}.ipynb"
        release_path = course.root / "assignments" / quiz / f"{name}.ipynb"
        assert Validator(config=course.config).validate(str(solution_path)) == {}
        inverted = copy.deepcopy(course.config)
        inverted.Validator.invert = True
        assert "passed" not in Validator(config=inverted).validate(str(release_path))

        assert course.api.release_assignment(quiz)["success"]

    answers = {"strong": {}, "partial": partial_overrides(source)}
    desks = {}
    for student_id, overrides in answers.items():
        desk = desks[student_id] = StudentDesk(student_id, course, tmp_path / student_id)
        desk.run(ExchangeFetchAssignment, quiz)
        fetched = desk.work / quiz / f"{name}.ipynb"
        nbformat.write(
            fill_answers(nbformat.read(fetched, as_version=4), source, overrides), fetched
        )
        desk.run(ExchangeSubmit, quiz)

    with isolated_home(tmp_path / "instructor-home"):
        collected = course.api.collect(quiz)
        assert collected["success"] and "cheating attempt" not in collected["log"]
        assert sorted(p.name for p in (course.root / "submitted").iterdir()) == [
            "partial",
            "strong",
        ]
        assert course.autograde(quiz)["success"]
        assert course.generate_feedback(quiz)["success"]
        assert course.api.release_feedback(quiz)["success"]

        tests = [
            cell
            for cell in source.cells
            if nbgrader_meta(cell).get("grade") and not nbgrader_meta(cell).get("solution")
        ]
        possible = sum(float(nbgrader_meta(cell)["points"]) for cell in tests)
        totals = {
            student_id: sum(
                course.grades(quiz, student_id)[nbgrader_meta(cell)["grade_id"]].auto_score
                for cell in tests
            )
            for student_id in answers
        }
        assert totals["strong"] == possible
        assert 0 < totals["partial"] < possible

        grades_csv = tmp_path / "grades.csv"
        with Gradebook(course.coursedir.db_url) as gradebook:
            CsvExportPlugin(to=str(grades_csv)).export(gradebook)
        rows = {row["student_id"]: row for row in csv.DictReader(grades_csv.open())}
        assert set(rows) == {"strong", "partial"}
        assert float(rows["strong"]["raw_score"]) == totals["strong"]

    for student_id, desk in desks.items():
        desk.run(ExchangeFetchFeedback, quiz)
        (feedback,) = (desk.work / quiz / "feedback").glob(f"*/{name}.html")
        submission = nbformat.read(desk.work / quiz / f"{name}.ipynb", as_version=4)
        html = feedback.read_text()
        assert f"Score: {round(totals[student_id], 2)}" in html
        assert feedback_leaks(html, source, release, submission) == []
