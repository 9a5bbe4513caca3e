"""Read a quiz's item scores, submitted answers and confidences after autograde, for item analysis.

Scores come from nbgrader's gradebook (one column per autograded test cell);
answers and confidences are read from the autograded notebooks' answer cells
with ``ast.literal_eval`` only (a submission's code is never run here), so an
answer that is not a plain literal is reported as "(not a plain value)".
"""

import ast
from pathlib import Path

import nbformat
import numpy as np
from matplotlib.figure import Figure

from widgets.grading.item_analysis import QuizAnalysis, analyse
from widgets.tools.nbgrader_course import (
    autograder_tests,
    is_answer_cell,
    model_answers,
    nbgrader_meta,
    variables_graded,
)

NOT_PLAIN = "(not a plain value)"


def submitted_values(notebook_path: Path) -> dict[str, object]:
    """Top-level literal assignments of a notebook's answer cells (the last one of each name)."""
    values: dict[str, object] = {}
    try:
        notebook = nbformat.read(notebook_path, as_version=4)
    except Exception:  # an unreadable submission has no answers to analyse
        return values
    for cell in notebook.cells:
        if not is_answer_cell(cell):
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:
            continue
        for node in tree.body:
            if isinstance(node, ast.Assign) and len(node.targets) == 1:
                target = node.targets[0]
                if isinstance(target, ast.Name):
                    try:
                        values[target.id] = ast.literal_eval(node.value)
                    except (ValueError, TypeError, SyntaxError, RecursionError):
                        values[target.id] = NOT_PLAIN
    return values


def quiz_item_analysis(root: Path, quiz: str, db_url: str | None = None) -> QuizAnalysis:
    """Item analysis of every autograded submission of ``quiz`` in the course at ``root``."""
    from nbgrader.api import Gradebook

    names, points, cells, graded_names = [], [], [], []
    models: dict[str, object] = {}
    sources = sorted((root / "solutions" / quiz).glob("*.ipynb"))
    for source_path in sources:
        source = nbformat.read(source_path, as_version=4)
        graded = variables_graded(source)
        answers = model_answers(source)
        for cell_id, cell in autograder_tests(source).items():
            variable = sorted(graded[cell_id])[0] if graded[cell_id] else cell_id
            names.append(variable)
            points.append(float(nbgrader_meta(cell)["points"]))
            cells.append((source_path.stem, cell_id))
            graded_names.append(variable)
            models[variable] = answers.get(variable)
    rows, answers_by_item, confidences = [], {n: [] for n in names}, {n: [] for n in names}
    with Gradebook(db_url or f"sqlite:///{root / 'gradebook.db'}") as gradebook:
        for student in sorted(s.id for s in gradebook.students):
            try:
                submission = gradebook.find_submission(quiz, student)
            except Exception:  # nbgrader's MissingEntry: this student did not hand in
                continue
            scores = {
                (notebook.name, grade.name): grade.auto_score
                for notebook in submission.notebooks
                for grade in notebook.grades
            }
            if any(scores.get(cell) is None for cell in cells):
                continue  # not autograded (e.g. the kernel died): nothing to analyse
            rows.append([float(scores[cell]) for cell in cells])
            values: dict[str, object] = {}
            for notebook_name in {name for name, _ in cells}:
                values.update(
                    submitted_values(
                        root / "autograded" / student / quiz / f"{notebook_name}.ipynb"
                    )
                )
            for name in names:
                answers_by_item[name].append(values.get(name))
                confidences[name].append(values.get(f"{name}_confidence"))
    table = np.array(rows, dtype=float).reshape(len(rows), len(names))
    return analyse(names, points, table, answers_by_item, models, confidences)


def plot_analysis(analysis: QuizAnalysis, title: str, path: Path) -> Path:
    """Difficulty and discrimination per item, side by side, as a PNG at ``path``."""
    names = [item.name for item in analysis.items]
    positions = np.arange(len(names))
    figure = Figure(figsize=(9, 0.35 * len(names) + 1.6), layout="constrained")
    difficulty, discrimination = figure.subplots(1, 2, sharey=True)
    difficulty.barh(positions, [item.difficulty for item in analysis.items], color="#4477aa")
    difficulty.set_xlim(0, 1)
    difficulty.set_xlabel("difficulty (mean fraction earned)")
    difficulty.set_yticks(positions, names)
    difficulty.invert_yaxis()
    rest = [item.item_rest if item.item_rest is not None else 0.0 for item in analysis.items]
    discrimination.barh(
        positions, rest, color=["#cc6677" if value < 0.2 else "#228833" for value in rest]
    )
    discrimination.axvline(0.2, color="grey", lw=0.8, ls="--")
    discrimination.set_xlim(-1, 1)
    discrimination.set_xlabel("item-rest correlation (dashed: 0.2)")
    alpha = "–" if analysis.alpha is None else f"{analysis.alpha:.2f}"
    figure.suptitle(f"{title}: {analysis.students} students, alpha {alpha}")
    figure.savefig(path, dpi=110)
    return path
