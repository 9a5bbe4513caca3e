"""Read each lesson's committed predictions and check-yourself questions from its data file.

One TOML file per lesson, ``data/lessons/<lesson>.toml`` (``02-pathophysiology.toml``),
holds its ``[[prediction]]`` and ``[[question]]`` tables, so no answer key ever
stands in a lesson cell.  Every entry is checked before use, with the same kind
of message as the knowledge data: ``02-pathophysiology.toml, question
'scratching', field 'option': exactly one option must be correct, found 2``.
A citation written in a text as ``[3, 4]`` must name reference ids that exist.
"""

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from widgets.core.knowledge.loader import DATA_DIR, KnowledgeError, _document, _Entry, _unique
from widgets.core.knowledge.loader import load_knowledge as _load_knowledge
from widgets.core.prediction import SHAPES

LESSON_DATA_DIR = DATA_DIR / "lessons"
PREDICTION_KINDS: tuple[str, ...] = ("choice", "number", "sketch")
"""How a learner commits a prediction: pick an option, set a number, or sketch a curve."""
CITATION = re.compile(r"\[([^\[\]]*)\]")
_CITED_IDS = re.compile(r"^\d+(\s*[,–-]\s*\d+)*$")
_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@dataclass(frozen=True)
class QuestionOption:
    """One answer a learner can pick, with the explanation shown once the question is answered."""

    text: str
    correct: bool
    explanation: str


@dataclass(frozen=True)
class SelfCheckQuestion:
    """A single-choice check-yourself question; ``options`` are in the data file's order."""

    lesson: str
    id: str
    section: str
    prompt: str
    options: tuple[QuestionOption, ...]

    @property
    def correct_index(self) -> int:
        return next(index for index, option in enumerate(self.options) if option.correct)


@dataclass(frozen=True)
class Prediction:
    """A prediction the learner commits before the figure or widget that answers it is shown.

    ``kind`` is 'choice' (``options``, ``answer`` the index of the option the result
    bears out), 'number' (``low``..``high`` in ``step``, ``answer`` within ``tolerance``)
    or 'sketch' (one value per ``points`` label in ``low``..``high``; ``shape`` is the
    shape of the real curve, one of :data:`widgets.core.prediction.SHAPES`).
    ``explanation`` says what the result shows and why.
    """

    lesson: str
    id: str
    prompt: str
    kind: str
    explanation: str
    options: tuple[str, ...] = ()
    answer: float = 0
    low: float = 0
    high: float = 0
    step: float = 1
    tolerance: float = 0
    unit: str = ""
    points: tuple[str, ...] = ()
    shape: str = ""


@dataclass(frozen=True)
class LessonData:
    """A lesson's predictions and questions, by id, in file order."""

    lesson: str
    predictions: dict[str, Prediction]
    questions: dict[str, SelfCheckQuestion]

    def prediction(self, prediction_id: str) -> Prediction:
        if prediction_id not in self.predictions:
            raise KeyError(
                f"{self.lesson}.toml has no prediction {prediction_id!r}; "
                f"its predictions are {', '.join(map(repr, self.predictions)) or 'none'}"
            )
        return self.predictions[prediction_id]

    def section(self, section: str | None = None) -> tuple[SelfCheckQuestion, ...]:
        """The questions of ``section`` (every question when None), in file order."""
        chosen = tuple(q for q in self.questions.values() if section in (None, q.section))
        if not chosen:
            sections = sorted({q.section for q in self.questions.values()})
            raise KeyError(
                f"{self.lesson}.toml has no questions in section {section!r}; "
                f"its sections are {', '.join(map(repr, sections)) or 'none'}"
            )
        return chosen


def lesson_names(data_dir: Path | None = None) -> tuple[str, ...]:
    """The lessons that have a data file, e.g. ('00-start-here', '01-clinical-picture', ...)."""
    return tuple(sorted(path.stem for path in (data_dir or LESSON_DATA_DIR).glob("*.toml")))


def load_lesson(lesson: str, data_dir: str | Path | None = None) -> LessonData:
    """The checked predictions and questions of ``lesson``; the course's own files are cached.

    ``data_dir`` points at another folder of lesson files (tests use broken copies);
    the reference ids are always those of the course's knowledge data.
    """
    if data_dir is None:
        return _load_course_lesson(lesson)
    return _load(lesson, Path(data_dir))


@cache
def _load_course_lesson(lesson: str) -> LessonData:
    return _load(lesson, LESSON_DATA_DIR)


def _load(lesson: str, data_dir: Path) -> LessonData:
    name = f"{lesson}.toml"
    if not (data_dir / name).is_file():
        raise KnowledgeError(
            f"{name}: no such lesson data file in {data_dir}; lessons with data: "
            f"{', '.join(lesson_names(data_dir)) or 'none'}"
        )
    document = _document(data_dir, name)
    unknown = sorted(set(document) - {"prediction", "question"})
    if unknown:
        raise KnowledgeError(
            f"{name}: unknown table {unknown[0]!r}; use [[prediction]] or [[question]]"
        )
    ref_ids = frozenset(_load_knowledge().references)
    predictions = [
        _prediction(_Entry(name, "prediction", raw, index, "id", ref_ids), lesson)
        for index, raw in enumerate(_tables(document, name, "prediction"))
    ]
    questions = [
        _question(_Entry(name, "question", raw, index, "id", ref_ids), lesson)
        for index, raw in enumerate(_tables(document, name, "question"))
    ]
    _unique(name, "prediction id", [prediction.id for prediction in predictions])
    _unique(name, "question id", [question.id for question in questions])
    return LessonData(
        lesson,
        {prediction.id: prediction for prediction in predictions},
        {question.id: question for question in questions},
    )


def _tables(document: dict, name: str, table: str) -> list:
    entries = document.get(table, [])
    if not isinstance(entries, list):
        raise KnowledgeError(f"{name}: write each {table} as a [[{table}]] table")
    return entries


def _identifier(entry: _Entry, field: str) -> str:
    value = entry.text(field)
    if not _ID.match(value):
        entry.fail(
            field, f"{value!r} should be lower-case words joined by hyphens, e.g. 'two-forms'"
        )
    return value


def _cited_text(entry: _Entry, field: str) -> str:
    """Text whose bracketed citations, e.g. '[3, 4]', must all be known reference ids."""
    text = entry.text(field)
    for cited in CITATION.findall(text):
        if not _CITED_IDS.match(cited.strip()):
            continue
        for number in re.findall(r"\d+", cited):
            if int(number) not in entry.ref_ids:
                entry.fail(
                    field,
                    f"cites unknown reference id {number} in [{cited}]; references.toml has ids "
                    f"{min(entry.ref_ids)} to {max(entry.ref_ids)}",
                )
    return text


def _number(entry: _Entry, field: str, optional: bool = False, default: float = 0) -> float:
    value = entry._get(field, (int, float), "a number", default=default, optional=optional)
    return float(value)


def _question(entry: _Entry, lesson: str) -> SelfCheckQuestion:
    question_id = _identifier(entry, "id")
    section = _identifier(entry, "section")
    prompt = _cited_text(entry, "prompt")
    options = []
    for index, raw in enumerate(
        entry._get("option", (list,), "a list of [[question.option]] tables")
    ):
        option = _Entry(entry.file, f"{entry.name} option", raw, index, "text", entry.ref_ids)
        correct = option._get("correct", (bool,), "true or false")
        options.append(
            QuestionOption(_cited_text(option, "text"), correct, _cited_text(option, "explanation"))
        )
        option.finish()
    if len(options) < 2:
        entry.fail("option", f"a question needs at least two options, found {len(options)}")
    right = sum(option.correct for option in options)
    if right != 1:
        entry.fail("option", f"exactly one option must be correct, found {right}")
    _unique(entry.file, f"option text in {entry.name}", [option.text for option in options])
    entry.finish()
    return SelfCheckQuestion(lesson, question_id, section, prompt, tuple(options))


def _prediction(entry: _Entry, lesson: str) -> Prediction:
    prediction_id = _identifier(entry, "id")
    prompt = _cited_text(entry, "prompt")
    kind = entry.choice("kind", PREDICTION_KINDS, "prediction kind")
    explanation = _cited_text(entry, "explanation")
    fields: dict = {}
    if kind == "choice":
        options = entry.texts("options")
        if len(options) < 2:
            entry.fail("options", f"a choice needs at least two options, found {len(options)}")
        fields = {"options": options, "answer": entry.integer("answer", 0, len(options) - 1)}
    else:
        low, high = _number(entry, "low"), _number(entry, "high")
        if not low < high:
            entry.fail("high", f"should be above low ({low:g}), got {high:g}")
        step = _number(entry, "step", optional=True, default=1)
        if not 0 < step <= high - low:
            entry.fail("step", f"should be above 0 and at most {high - low:g}, got {step:g}")
        fields = {"low": low, "high": high, "step": step, "unit": entry.text("unit", optional=True)}
    if kind == "number":
        estimate = _number(entry, "answer")
        if not fields["low"] <= estimate <= fields["high"]:
            entry.fail(
                "answer", f"{estimate:g} lies outside {fields['low']:g} to {fields['high']:g}"
            )
        tolerance = _number(entry, "tolerance")
        if tolerance < 0:
            entry.fail("tolerance", f"should be 0 or more, got {tolerance:g}")
        fields |= {"answer": estimate, "tolerance": tolerance}
    if kind == "sketch":
        points = entry.texts("points")
        if len(points) < 3:
            entry.fail("points", f"a sketch needs at least three points, found {len(points)}")
        fields |= {"points": points, "shape": entry.choice("shape", SHAPES, "curve shape")}
    entry.finish()
    return Prediction(lesson, prediction_id, prompt, kind, explanation, **fields)
