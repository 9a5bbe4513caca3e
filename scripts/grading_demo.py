"""Grade sample students on every quiz with the real nbgrader, then print a grade table.

    .venv/bin/python scripts/grading_demo.py [--keep]

Runs the instructor's whole cycle in a temporary course (its own gradebook,
exchange and HOME; the repository is not touched): generate each quiz's student
version and release it to the exchange; four sample students fetch it, answer it
and submit it (a strong student with the model answers, a partial one with half
of every multi-part answer (or, in a quiz without multi-part answers, every
other answer wrong), a blank one, and one who replaced every test cell with
``pass`` while answering wrongly); collect, autograde in the grading sandbox
(the course's ``nbgrader_config.py``), write and release the feedback, check it
shows no hidden test, and print student x quiz scores and each quiz's item
analysis.  Written answers are left for manual grading in formgrader, as in a
real course.  ``--keep`` keeps the temporary course so the autograded notebooks
and feedback can be opened.
"""

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from widgets.tools.nbgrader_course import (
    TempCourse,
    autograder_tests,
    feedback_leaks,
    fill_answers,
    isolated_home,
    model_answers,
    nbgrader_meta,
    partial_overrides,
    quiet_stderr,
    quiz_ids,
    replace_test_cells,
    wrong_value_code,
)

STUDENTS = ("strong", "partial", "blank", "tampered")
CONFIDENCE_SUFFIX = "_confidence"
"""Confidence answers never change the mark, so the partial student's wrong half skips them."""


def sample_submissions(source, release):
    """The four sample students' notebooks, built from the quiz itself."""
    answers = model_answers(source)
    wrong = {name: wrong_value_code(value) for name, value in answers.items()}
    graded = [name for name in sorted(answers) if not name.endswith(CONFIDENCE_SUFFIX)]
    half_wrong = {name: wrong[name] for name in graded[::2]}
    return {
        "strong": fill_answers(release, source),
        "partial": fill_answers(release, source, partial_overrides(source) or half_wrong),
        "blank": release,
        "tampered": replace_test_cells(fill_answers(release, source, wrong), "pass"),
    }


def step(message: str, action):
    """Run one step, showing what it is and how long it took."""
    print(f"  {message} …", end=" ", flush=True)
    start = time.perf_counter()
    result = action()
    print(f"{time.perf_counter() - start:.1f} s", flush=True)
    return result


def sandbox_state(course) -> str:
    """Whether autograde runs student code in the grading sandbox, as the course's config says."""
    chain = [p.__name__ for p in course.config.Autograde.autograde_preprocessors]
    if "SandboxedExecute" not in chain:
        return "NOT sandboxed (SandboxedExecute missing from nbgrader_config.py)"
    if course.config.SandboxedExecute.get("sandbox", True) is False:
        return "NOT sandboxed (c.SandboxedExecute.sandbox = False)"
    return "sandboxed (bubblewrap), as nbgrader_config.py sets it"


def feedback_problems(course, quiz, submissions) -> list[str]:
    """What any feedback page of the quiz shows that it must not (missing pages included)."""
    problems = []
    for name in course.notebook_names(quiz):
        source, release = course.source_notebook(quiz, name), course.release_notebook(quiz, name)
        for student in STUDENTS:
            if not course.has_feedback(quiz, student, name):
                problems.append(f"no feedback for {student}")
                continue
            page = course.feedback_html(quiz, student, name)
            leaks = feedback_leaks(page, source, release, submissions[student][name])
            problems += [f"{student}'s feedback shows {leak!r}" for leak in leaks]
    return problems


def autograded_score(course, quiz, student, tests):
    grades = course.grades(quiz, student)
    return sum(grades[cell_id].auto_score or 0.0 for cell_id in tests)


def run(folder: Path) -> dict:
    quizzes = quiz_ids()
    if not quizzes:
        raise SystemExit("No quiz found in solutions/: nothing to grade.")
    log_path = folder / "nbgrader.log"
    table = {}
    with isolated_home(folder / "home"), quiet_stderr(log_path):
        course = TempCourse(folder, quizzes=quizzes)
        print(f"Autograde: {sandbox_state(course)}", flush=True)
        for number, quiz in enumerate(quizzes, start=1):
            print(f"[{number}/{len(quizzes)}] {quiz}", flush=True)
            step("generating the student version", lambda quiz=quiz: course.generate(quiz))
            submissions = {}
            for name in course.notebook_names(quiz):
                source, release = (
                    course.source_notebook(quiz, name),
                    course.release_notebook(quiz, name),
                )
                for student, notebook in sample_submissions(source, release).items():
                    submissions.setdefault(student, {})[name] = notebook
            tests = {}
            manual = 0.0
            for name in course.notebook_names(quiz):
                source = course.source_notebook(quiz, name)
                tests.update(
                    {
                        cell_id: float(nbgrader_meta(cell)["points"])
                        for cell_id, cell in autograder_tests(source).items()
                    }
                )
                manual += sum(
                    float(nbgrader_meta(cell)["points"])
                    for cell in source.cells
                    if (nbgrader_meta(cell).get("grade") and nbgrader_meta(cell).get("solution"))
                    or nbgrader_meta(cell).get("task")
                )
            step("releasing it to the exchange", lambda quiz=quiz: course.release(quiz))
            step(
                f"{len(STUDENTS)} students fetch, answer and submit",
                lambda quiz=quiz, submissions=submissions: [
                    course.student_submits(student, quiz, submissions[student])
                    for student in STUDENTS
                ],
            )
            step("collecting the submissions", lambda quiz=quiz: course.collect(quiz))
            for student in STUDENTS:
                result = step(
                    f"autograding {student} (sandboxed)",
                    lambda quiz=quiz, student=student: course.autograde(quiz, student),
                )
                if not result["success"]:
                    print(f"    nbgrader could not grade {student}; see {log_path}")
            step("writing feedback", lambda quiz=quiz: course.generate_feedback(quiz))
            step("releasing feedback", lambda quiz=quiz: course.release_feedback(quiz))
            leaks = feedback_problems(course, quiz, submissions)
            print(
                "  feedback: "
                + ("; ".join(leaks) if leaks else "no hidden test or expected answer shown"),
                flush=True,
            )
            table[quiz] = {
                student: (
                    autograded_score(course, quiz, student, tests),
                    sum(tests.values()),
                    manual,
                )
                for student in STUDENTS
            }
    return table


def print_table(table: dict) -> None:
    quizzes = list(table)
    width = max(len(q) for q in quizzes)
    print("\nAutograded score / autograded maximum (written answers await manual grading):\n")
    print("student".ljust(10) + "".join(q.rjust(width + 2) for q in quizzes))
    for student in STUDENTS:
        cells = [f"{table[q][student][0]:g} / {table[q][student][1]:g}" for q in quizzes]
        print(student.ljust(10) + "".join(cell.rjust(width + 2) for cell in cells))
    print(
        "\nPoints for manual grading per quiz: "
        + ", ".join(f"{q} {table[q]['strong'][2]:g}" for q in quizzes)
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--keep", action="store_true", help="keep the temporary course and print where it is"
    )
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="anm-grading-demo-"))
    try:
        print(f"Temporary course: {folder / 'course'}")
        table = run(folder)
        print_table(table)
        print_item_analysis(folder / "course", table)
    finally:
        if args.keep:
            print(
                f"\nKept: autograded notebooks in {folder / 'course/autograded'}, feedback in {folder / 'course/feedback'}"
            )
        else:
            shutil.rmtree(folder, ignore_errors=True)


def print_item_analysis(root: Path, table: dict) -> None:
    """Item analysis of each quiz's demo class (four students: a demonstration, not statistics)."""
    from widgets.grading.item_analysis import report
    from widgets.tools.gradebook_items import quiz_item_analysis

    for quiz in table:
        print("\n" + report(quiz_item_analysis(root, quiz), quiz))


if __name__ == "__main__":
    main()
