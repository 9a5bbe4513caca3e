"""Write a quiz's instructor notebook (nbgrader source) from its data in the assessment core.

The hidden tests compare the student's plain values with literal keys and credit
tables written here from the item data, so the graded notebook trusts nothing a
student defines and the data stays the one source of every key.  Each test cell
checks the answer's form visibly, then (hidden) scores it and records the score
with the item's explanation; the read-only cell at the end prints them, with the
confidence the student gave, so they reach the feedback only after grading.  Confidence
never changes a mark.

Answer cells are pre-filled with every allowed option (the student deletes the
ones not chosen), "?" for each per-candidate verdict and ``None`` for a number,
with a confidence of 0: all of them invalid, so a cell left as released scores 0.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from widgets.core.assessment.items import (
    UNANSWERED,
    BestMatch,
    Case,
    Estimate,
    Item,
    Quiz,
    Selection,
    Task,
    Verdicts,
)
from widgets.core.assessment.scoring import CONFIDENCE_LEVELS
from widgets.core.knowledge import load_knowledge
from widgets.grading.feedback import EXPLAIN, FEEDBACK_RECORD

SAFE_TYPES = (
    '_type, _str, _set, _dict, _int, _float = "".__class__.__class__, "".__class__, '
    "{0}.__class__, {}.__class__, (0).__class__, (0.0).__class__"
)
"""Built-in types reached through literals: a student who rebinds ``str`` or ``type`` changes nothing."""

NORMALISE = '" ".join(_str.split(_str.lower({value})))'


def _meta(grade_id: str, *, grade=False, solution=False, locked=True, points=None, task=False):
    meta = {
        "grade": grade,
        "grade_id": grade_id,
        "locked": locked,
        "schema_version": 3,
        "solution": solution,
    }
    if points is not None:
        meta["points"] = points
    if task:
        meta["task"] = True
    return {"nbgrader": meta}


def _markdown(grade_id: str, text: str, **kwargs) -> NotebookNode:
    return nbformat.v4.new_markdown_cell(text, metadata=_meta(grade_id, **kwargs))


def _code(grade_id: str, source: str, **kwargs) -> NotebookNode:
    return nbformat.v4.new_code_cell(source, metadata=_meta(grade_id, **kwargs))


def cell_id(name: str) -> str:
    """The test cell's grade id for an item variable: ``case1_diagnosis`` -> ``case1-diagnosis``."""
    return name.replace("_", "-")


def list_name(quiz: Quiz, options: tuple[str, ...]) -> str:
    """The set-up's name for an option list (every item's options must be one of them)."""
    for name, listed in quiz.option_lists.items():
        if tuple(listed) == tuple(options):
            return name
    raise ValueError(f"{quiz.quiz_id}: options {options[:2]}… are not one of the quiz's lists")


def candidates_name(item: Verdicts) -> str:
    return f"{item.name.upper()}_CANDIDATES"


def _quoted(options) -> str:
    return ", ".join(f'"{option}"' for option in options)


def _literal(value: object) -> str:
    """A plain value as Python source, strings in double quotes as the course writes them."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (set, frozenset)):
        return "{" + ", ".join(_literal(v) for v in sorted(value)) + "}"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_literal(k)}: {_literal(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        inner = ", ".join(_literal(v) for v in value)
        return (
            f"({inner},)"
            if isinstance(value, tuple) and len(value) == 1
            else (f"({inner})" if isinstance(value, tuple) else f"[{inner}]")
        )
    return repr(value)


def _literal_lines(values, indent: str = "    ") -> str:
    return "".join(f"{indent}{_literal(value)},\n" for value in values)


def _format_value(value: object) -> str:
    return _literal(value)


def _points(points: float) -> str:
    return f"{points:g} point" + ("" if points == 1 else "s")


# --- answer cells --------------------------------------------------------------------------


def prefilled(item: Item) -> str:
    """The released (invalid, zero-scoring) value of an item, laid out for deleting lines."""
    if isinstance(item, (BestMatch, Selection)):
        return f"{item.name} = {{\n{_literal_lines(item.options)}}}"
    if isinstance(item, Verdicts):
        rows = "".join(f"    {_literal(c)}: {_literal(UNANSWERED)},\n" for c in item.candidates)
        return f"{item.name} = {{\n{rows}}}"
    return f"{item.name} = None"


def model_value(item: Item) -> object:
    if isinstance(item, Estimate):
        return item.model_answer
    return item.model_answer


def answer_cell(case: Case) -> NotebookNode:
    released = [
        f"# {case.title}: delete the options you do not choose, set each confidence from 1 to 4,",
        "# then delete the line `raise NotImplementedError()` below.",
    ]
    for item in case.items:
        released += [prefilled(item), f"{item.name}_confidence = 0"]
    solution = ["### BEGIN SOLUTION"]
    for item in case.items:
        solution += [
            f"{item.name} = {_format_value(model_value(item))}",
            f"{item.name}_confidence = 4",
        ]
    solution.append("### END SOLUTION")
    return _code(f"{case.key}-answers", "\n".join(released + solution), solution=True, locked=False)


# --- test cells ----------------------------------------------------------------------------


def visible_check(quiz: Quiz, item: Item) -> str:
    if isinstance(item, BestMatch):
        return f'check_kept_one({item.name}, {list_name(quiz, item.options)}, "{item.name}")'
    if isinstance(item, Selection):
        return (
            f"check_choices({item.name}, {list_name(quiz, item.options)}, "
            f'"{item.name}", min_size=1, max_size={item.limit})'
        )
    if isinstance(item, Verdicts):
        return (
            f"check_verdicts({item.name}, {candidates_name(item)}, "
            f'{list_name(quiz, item.verdicts)}, "{item.name}")'
        )
    low, high = item.plausible
    return (
        f'check_number({item.name}, "{item.name}", unit="{item.unit}", low={low!r}, high={high!r})'
    )


def hidden_score(item: Item) -> list[str]:
    """Hidden lines that leave the item's score in ``_score`` (points, not a fraction)."""
    name, points = item.name, float(item.points)
    if isinstance(item, (BestMatch, Selection)):
        lines = [
            f"_chosen = {{{NORMALISE.format(value='_v')} for _v in {name}}} "
            f"if _type({name}) is _set else _set()",
            f"_credit = {_literal({k: points * v for k, v in item.credit.items()})}",
        ]
        if isinstance(item, BestMatch):
            lines.append(
                "_score = _credit.get(_chosen.pop(), 0.0) if _chosen.__len__() == 1 else 0.0"
            )
        else:
            lines += [
                "_score = 0.0",
                "for _v in _chosen:",
                "    _score = _score + _credit.get(_v, 0.0)",
                f"_score = _score if 1 <= _chosen.__len__() <= {item.limit} else 0.0",
            ]
        return lines
    if isinstance(item, Verdicts):
        tables = _literal({c: dict(t) for c, t in item.credit.items()})
        others = [v.lower() for v in item.verdicts[1:]]
        return [
            f"_given = {{{NORMALISE.format(value='_k')}: _v for _k, _v in _dict.items({name})}} "
            f"if _type({name}) is _dict else {{}}",
            f"_credit = {tables}",
            f"_partial = {_literal(dict(item.partial))}",
            f"_others = {_literal(others)}",
            "_score = 0.0",
            "for _c, _table in _dict.items(_credit):",
            "    _v = _given.get(_c)",
            f"    _v = {NORMALISE.format(value='_v')} if _type(_v) is _str else None",
            "    _score = _score + (_table[_v] if _v in _table else "
            "(_partial.get(_c, 0.0) if _v in _others else 0.0))",
            f"_score = {points!r} * _score / {len(item.candidates)}",
        ]
    return [
        f"_given = {name} if _type({name}) is _int or _type({name}) is _float else -1.0e9",
        f"_score = {points!r} if {item.full[0]!r} <= _given <= {item.full[1]!r} else "
        f"({points / 2!r} if {item.half[0]!r} <= _given <= {item.half[1]!r} else 0.0)",
    ]


def test_cell(quiz: Quiz, item: Item) -> NotebookNode:
    points = float(item.points)
    summary = ", CONFIDENCE_ITEMS" if item is quiz.items[-1] else ""
    kind = {
        BestMatch: "one kept option",
        Selection: f"1 to {getattr(item, 'limit', 1)} kept options",
        Verdicts: "a verdict for every candidate",
        Estimate: "a plain number",
    }[type(item)]
    lines = [
        f'"""{item.name}: {kind} ({_points(item.points)}, partial credit)"""',
        visible_check(quiz, item),
        "### BEGIN HIDDEN TESTS",
        SAFE_TYPES,
        *hidden_score(item),
        "try:",
        f"    {EXPLAIN}({FEEDBACK_RECORD}, {_literal(item.name)}, _score, {points!r}, "
        f"{_literal(item.explanation)}, globals(){summary})",
        "except Exception:",
        "    pass",
        f"0.0 if _score < 0.0 else ({points!r} if _score > {points!r} else _score)",
        "### END HIDDEN TESTS",
    ]
    return _code(cell_id(item.name), "\n".join(lines), grade=True, points=item.points)


# --- prose ---------------------------------------------------------------------------------


def describe_item(quiz: Quiz, item: Item) -> str:
    if isinstance(item, BestMatch):
        how = f"keep **one** of `{list_name(quiz, item.options)}`"
    elif isinstance(item, Selection):
        how = f"keep **1 to {item.limit}** of `{list_name(quiz, item.options)}`"
    elif isinstance(item, Verdicts):
        how = (
            f'replace each `"{UNANSWERED}"` with one of `{list_name(quiz, item.verdicts)}`: '
            f"{_quoted(item.verdicts)}"
        )
    else:
        how = (
            f"a plain number in {item.unit} (replace `None`), between {item.plausible[0]:g} and "
            f"{item.plausible[1]:g}"
        )
    return f"- `{item.name}` ({_points(item.points)}): {item.prompt} Answer: {how}."


def instructions(quiz: Quiz, case: Case) -> str:
    lines = [f"**Your answers for {case.title.split(' (')[0]}.** In the answer cell below:", ""]
    lines += [describe_item(quiz, item) for item in case.items]
    lines += [
        f"- after each answer, `<name>_confidence`: how sure you are, from 1 to 4 "
        f"({', '.join(f'{k} {v}' for k, v in CONFIDENCE_LEVELS.items())}); it never changes "
        "your mark.",
    ]
    return "\n".join(lines)


def introduction(quiz: Quiz) -> str:
    total = quiz.autograded_points
    manual = sum(case.task.points for case in quiz.cases if case.task)
    return "\n\n".join(
        [
            f"# {quiz.title}",
            quiz.introduction,
            "**How to answer.** Every answer cell is pre-filled with all the allowed options: "
            'delete the lines you do not choose (or replace each "?" with a verdict, or '
            "`None` with a number), set each confidence from 1 to 4, then delete the line "
            "`raise NotImplementedError()`. Answers stay plain Python values; choices ignore "
            "upper/lower case and extra spaces. Run the set-up cell first.",
            "**Checking yourself.** The test cell under each answer checks only that the answer is "
            "well formed. Passing it, or *Validate*, says nothing about whether it is right: "
            "hidden tests grade it after you submit, and the feedback then explains every item "
            "and shows how well your confidence matched your marks. For practice with instant "
            "checking, open the practice notebooks in `lessons/practice/`.",
            f"**Points.** {total:g} marked automatically, with credit for every answer the "
            f"sources defend (each judgement is marked once), and {manual:g} marked by hand.",
        ]
    )


def setup_code(quiz: Quiz) -> str:
    explores = any(case.explore for case in quiz.cases)
    checks = sorted(
        {
            {
                BestMatch: "check_kept_one",
                Selection: "check_choices",
                Verdicts: "check_verdicts",
                Estimate: "check_number",
            }[type(item)]
            for item in quiz.items
        }
    )
    lines = ["import os", ""] if explores else []
    lines.append(f"from widgets.grading.answer_checks import {', '.join(checks)}")
    lines.append(f"from widgets.grading.feedback import {EXPLAIN}")
    lines.append("")
    if explores:
        lines += ['EXPLORING = "NBGRADER_EXECUTION" not in os.environ', ""]
    for name, value in quiz.constants.items():
        lines.append(f"{name} = {_literal(value)}")
    for name, options in quiz.option_lists.items():
        lines.append(f"{name} = [\n{_literal_lines(options)}]")
    for item in quiz.items:
        if isinstance(item, Verdicts):
            lines.append(f"{candidates_name(item)} = [\n{_literal_lines(item.candidates)}]")
    lines.append(f"CONFIDENCE_ITEMS = [\n{_literal_lines(i.name for i in quiz.items)}]")
    lines.append(f"{FEEDBACK_RECORD} = {{}}")
    return "\n".join(lines)


def task_cells(task: Task, key: str) -> list[NotebookNode]:
    key_points = "\n".join(f"- {point}" for point in task.key_points)
    prompt = _markdown(
        f"{key}-justification",
        f"**{task.name} ({task.points:g} points, marked by hand).** {task.prompt} Write your "
        "answer in the cell below this one.\n\n"
        "=== BEGIN MARK SCHEME ===\n\n"
        f"**Model answer.** {task.model_answer}\n\n"
        f"**Key points ({task.points:g} points).**\n\n{key_points}\n\n"
        "=== END MARK SCHEME ===",
        task=True,
        points=task.points,
    )
    answer = nbformat.v4.new_markdown_cell("Write your answer here.")
    return [prompt, answer]


def references_cell(quiz: Quiz) -> NotebookNode:
    references = load_knowledge().references
    lines = [
        "## References",
        "",
        "Numbers match the course's reference list (medical brief §8).",
        "",
    ]
    lines += [f"- [{n}] {references[n].citation}" for n in quiz.references]
    if quiz.model_sources:
        lines += [
            "",
            "Model sources (as in the pathophysiology lesson; the [M] numbers are not "
            "part of the medical brief):",
            "",
        ]
        lines += [f"- {source}" for source in quiz.model_sources]
    return _markdown("references", "\n".join(lines))


def quiz_notebook(quiz: Quiz) -> NotebookNode:
    """The instructor notebook of ``quiz``: prose, set-up, answers, tests, tasks, calibration."""
    cells = [_markdown("intro", introduction(quiz)), _code("setup", setup_code(quiz))]
    for case in quiz.cases:
        cells.append(_markdown(f"{case.key}-vignette", f"## {case.title}\n\n{case.vignette}"))
        if case.explore:
            cells.append(_code(f"{case.key}-explore", case.explore))
        cells.append(_markdown(f"{case.key}-instructions", instructions(quiz, case)))
        cells.append(answer_cell(case))
        cells += [test_cell(quiz, item) for item in case.items]
        if case.task:
            cells += task_cells(case.task, case.key)
    cells.append(
        _markdown(
            "calibration-intro",
            "## After grading\n\nIn your feedback, the cell under each answer explains the item "
            "and compares it with the confidence you gave; the last one also lists the items you "
            "were confident about but got wrong first, and your Brier score (0 is perfect "
            "calibration). Confidence never changes your mark.",
        )
    )
    cells.append(references_cell(quiz))
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
        "name": "python3",
    }
    notebook.metadata["language_info"] = {"name": "python"}
    for cell in notebook.cells:
        cell.pop("id", None)
    return notebook


def write_quiz(quiz: Quiz, solutions: Path) -> Path:
    """Write ``solutions/<quiz id>/<quiz id>.ipynb``; returns its path."""
    folder = solutions / quiz.quiz_id
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{quiz.quiz_id}.ipynb"
    notebook = quiz_notebook(quiz)
    notebook.nbformat_minor = 5
    for index, cell in enumerate(notebook.cells):
        cell["id"] = f"{cell_id(quiz.quiz_id)[-8:]}-{index:02d}"
    nbformat.write(notebook, path)
    return path
