"""The shape of every lesson, read from its source: no key in view, short cells, time stated,
every prediction committed through the widget, every question from the data, the article in its place.
"""

import re

import pytest
from notebook_files import LESSONS, ids, read

from widgets.core.knowledge.lesson_data import lesson_names, load_lesson
from widgets.views.knowledge_html import BIG_ERRORS

MAX_VISIBLE_LINES = 6
TIME = re.compile(r"\*\*Time to complete:\*\* about (\d+) minutes")
PREDICT_PROMPT = re.compile(r"\*\*predict\b|\bpredict\*\*", re.IGNORECASE)
PREDICT_CALL = re.compile(r'\bpredict\(\s*"([^"]+)",\s*"([^"]+)"')
CHECK_CALL = re.compile(r'\bcheck_yourself\(\s*"([^"]+)"(?:,\s*"([^"]+)")?\s*\)')
CLAIMS = re.compile(r"\b(article_vs_evidence|article_panel)\(([^)]*)\)")
PRACTICE_LESSON = "07-practice-cases"


def _code(notebook):
    return [cell for cell in notebook.cells if cell.cell_type == "code"]


def _hidden(cell) -> bool:
    return bool(cell.metadata.get("jupyter", {}).get("source_hidden"))


def _per_lesson(test):
    return pytest.mark.parametrize("path", LESSONS, ids=ids(LESSONS))(test)


@_per_lesson
def test_no_code_cell_holds_an_answer_key(path):
    notebook = read(path)
    data = load_lesson(path.stem)
    keys = [option.text for q in data.questions.values() for option in q.options if option.correct]
    keys += [p.options[int(p.answer)] for p in data.predictions.values() if p.kind == "choice"]
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        assert not re.search(r"\b(Option|Question)\(", cell.source), (
            f"cell {index} builds a question"
        )
        assert not re.search(r"[\"']\s*,\s*True\s*,", cell.source), (
            f"cell {index} marks a text True"
        )
        shown = [key for key in keys if key in cell.source]
        assert shown == [], f"cell {index} spells out an answer: {shown}"


@_per_lesson
def test_visible_code_cells_are_short_calls(path):
    long_cells = [
        f"cell {index} ({len(cell.source.strip().splitlines())} lines)"
        for index, cell in enumerate(read(path).cells)
        if cell.cell_type == "code"
        and len(cell.source.strip().splitlines()) > MAX_VISIBLE_LINES
        and not _hidden(cell)
    ]
    assert long_cells == [], f"visible code cells longer than {MAX_VISIBLE_LINES} lines"


@_per_lesson
def test_collapsed_cells_are_announced_by_a_line_saying_what_they_do(path):
    cells = read(path).cells
    for index, cell in enumerate(cells):
        if cell.cell_type == "code" and _hidden(cell):
            before = cells[index - 1]
            assert before.cell_type == "markdown" and before.source.strip(), (
                f"collapsed cell {index} needs a markdown line above it saying what it does"
            )


@_per_lesson
def test_the_lesson_states_its_time_under_its_objectives(path):
    objectives = next(
        (cell.source for cell in read(path).cells if "## Learning objectives" in cell.source), ""
    )
    assert objectives, "no learning objectives"
    match = TIME.search(objectives)
    assert match, "the objectives should end with '**Time to complete:** about N minutes.'"
    assert 15 <= int(match.group(1)) <= 75


def test_the_whole_course_takes_five_to_seven_hours():
    minutes = sum(
        int(TIME.search("\n".join(cell.source for cell in read(path).cells)).group(1))
        for path in LESSONS
    )
    assert 5 * 60 <= minutes <= 7 * 60, f"{minutes} minutes in all"


@_per_lesson
def test_every_predict_prompt_is_committed_through_the_prediction_widget(path):
    cells = read(path).cells
    for index, cell in enumerate(cells):
        if cell.cell_type != "markdown" or "## Learning objectives" in cell.source:
            continue
        if not PREDICT_PROMPT.search(cell.source):
            continue
        following = []
        for later in cells[index + 1 :]:
            if later.cell_type == "markdown":
                break
            following.append(later.source)
        assert any(PREDICT_CALL.search(source) for source in following), (
            f"the predict prompt in cell {index} is not followed by a predict(...) call"
        )


@_per_lesson
def test_every_prediction_of_the_lesson_data_is_used_once(path):
    calls = [
        match.groups() for cell in _code(read(path)) for match in PREDICT_CALL.finditer(cell.source)
    ]
    assert all(lesson == path.stem for lesson, _ in calls), f"calls name another lesson: {calls}"
    used = [prediction for _, prediction in calls]
    assert sorted(used) == sorted(load_lesson(path.stem).predictions), (
        "each prediction in the data should be shown exactly once"
    )


@_per_lesson
def test_every_question_of_the_lesson_data_is_shown_once(path):
    data = load_lesson(path.stem)
    shown = []
    for cell in _code(read(path)):
        for lesson, section in CHECK_CALL.findall(cell.source):
            assert lesson == path.stem, f"check_yourself names another lesson: {lesson}"
            shown += [question.id for question in data.section(section or None)]
    assert sorted(shown) == sorted(data.questions)


def test_every_lesson_has_a_data_file_and_every_data_file_a_lesson():
    assert sorted(lesson_names()) == sorted(path.stem for path in LESSONS)


@_per_lesson
def test_the_article_big_errors_stay_inline_and_the_rest_sit_in_one_panel(path):
    boxes = [
        (name, [int(n) for n in re.findall(r"\d+", args)])
        for cell in _code(read(path))
        for name, args in CLAIMS.findall(cell.source)
    ]
    inline = [n for name, numbers in boxes if name == "article_vs_evidence" for n in numbers]
    assert set(inline) <= set(BIG_ERRORS), f"only the five big errors stand inline, got {inline}"
    assert sum(name == "article_panel" for name, _ in boxes) <= 1, "one panel per lesson at most"


@_per_lesson
def test_the_lesson_keeps_objectives_key_points_references_and_a_recap(path):
    markdown = [cell.source for cell in read(path).cells if cell.cell_type == "markdown"]
    for heading in ("## Learning objectives", "## Key points", "## References"):
        assert any(heading in source for source in markdown), f"no {heading!r}"
    if path.stem not in ("00-start-here", PRACTICE_LESSON):
        recap = [source for source in markdown if source.startswith("## Recap: three questions")]
        assert len(recap) == 1, "the lesson should close with a recap of three questions"
        questions = [line for line in recap[0].splitlines() if re.match(r"\d\. \S", line)]
        assert len(questions) == 3, f"the recap asks {len(questions)} questions"
