"""Answers as plain values: what a quiz declares, how a kernel reports them, how tests get them.

Tests must not run in the kernel the student's code ran in (an input transformer,
a patched built-in or an object equal to everything could bend them), so grading
passes only the *values* of the answers on, from the student's kernel to a fresh one.

The contract with quiz authors: every top-level name assigned in an autograded
answer cell (``solution: true``, ``grade: false``) of the instructor's notebook is
an answer, and the literal of the model answer declares its type: ``str``, ``int``
or ``float`` (one kind, "a number"), ``bool``, ``None``, or a ``list``, ``tuple``,
``set``, ``frozenset`` or ``dict`` of those, nested.  The names and types are read
from the instructor's notebook, never from the submission.

The student's kernel reports the values as JSON with type tags (``capture_code``);
the grader treats that report as untrusted bytes: it size-limits and parses it,
rebuilds plain values with exact types, checks them against the declared types,
and writes Python source that binds them (``binding_code``) for the test kernel.
"""

from __future__ import annotations

import ast
import json
import math
from dataclasses import dataclass

from nbformat import NotebookNode

VALUES_MIME = "application/x-anm-answer-values"
MAX_REPORT_BYTES = 256 * 1024
MAX_DEPTH = 16
MAX_ITEMS = 20_000
SCALARS = ("str", "number", "bool", "none")
CONTAINERS = ("list", "tuple", "set", "frozenset", "dict")
DESCRIPTIONS = {
    "str": "text (str)",
    "number": "a number (int or float)",
    "bool": "True or False",
    "none": "None",
    "list": "a list",
    "tuple": "a tuple",
    "set": "a set",
    "frozenset": "a frozenset",
    "dict": "a dict",
}


class ContractError(ValueError):
    """The instructor's notebook breaks the answer contract (a mistake of the quiz, not the student)."""


@dataclass(frozen=True)
class Shape:
    """A declared type: a kind, and for containers the shapes their items (keys) and values may take.

    Empty ``items`` (an empty model container) accepts any plain item.
    """

    kind: str
    items: frozenset[Shape] = frozenset()
    values: frozenset[Shape] = frozenset()

    def describe(self) -> str:
        text = DESCRIPTIONS[self.kind]
        if self.kind in CONTAINERS and self.items:
            inner = " or ".join(sorted(item.describe() for item in self.items))
            text += f" of {inner}" if self.kind != "dict" else f" with keys {inner}"
        return text


def kind_of(value: object) -> str | None:
    """The plain kind of a value by its exact type (subclasses are not plain)."""
    kind = type(value)
    if kind is str:
        return "str"
    if kind is bool:
        return "bool"
    if kind in (int, float):
        return "number"
    if value is None:
        return "none"
    return {list: "list", tuple: "tuple", set: "set", frozenset: "frozenset", dict: "dict"}.get(
        kind
    )


def shape_of(value: object) -> Shape:
    """The shape a model answer declares."""
    kind = kind_of(value)
    if kind is None:
        raise ContractError(f"{type(value).__name__} is not a plain value")
    if kind == "dict":
        return Shape(
            kind,
            frozenset(shape_of(key) for key in value),
            frozenset(shape_of(item) for item in value.values()),
        )
    if kind in CONTAINERS:
        return Shape(kind, frozenset(shape_of(item) for item in value))
    return Shape(kind)


def conforms(value: object, shape: Shape) -> bool:
    kind = kind_of(value)
    if kind != shape.kind:
        return False
    if kind == "dict":
        return all(
            _any_conforms(key, shape.items) and _any_conforms(item, shape.values)
            for key, item in value.items()
        )
    if kind in CONTAINERS:
        return all(_any_conforms(item, shape.items) for item in value)
    return True


def _any_conforms(value: object, shapes: frozenset[Shape]) -> bool:
    return not shapes or any(conforms(value, shape) for shape in shapes)


@dataclass(frozen=True)
class Answer:
    """One declared answer: its name, the answer cell that assigns it, its declared shape."""

    name: str
    cell_id: str
    shape: Shape


def declared_answers(source: NotebookNode) -> dict[str, Answer]:
    """Every answer the instructor's notebook declares, by name, in notebook order."""
    answers = {}
    for cell in source.cells:
        meta = cell.metadata.get("nbgrader", {})
        if not (cell.cell_type == "code" and meta.get("solution") and not meta.get("grade")):
            continue
        cell_id = meta.get("grade_id", "?")
        try:
            tree = ast.parse(cell.source)
        except SyntaxError as error:
            raise ContractError(f"answer cell {cell_id!r} is not valid Python: {error}") from None
        for node in tree.body:
            for name, value in _assignments(node):
                try:
                    literal = ast.literal_eval(value)
                    shape = shape_of(literal)
                except (ValueError, TypeError, SyntaxError, ContractError, RecursionError):
                    raise ContractError(
                        f"answer cell {cell_id!r} assigns {name} something other than a plain "
                        f"literal ({ast.unparse(value)[:80]}); the grader reads each answer's type "
                        "from the model answer's literal"
                    ) from None
                answers[name] = Answer(name, cell_id, shape)
    return answers


def _assignments(node: ast.stmt):
    """(name, value node) pairs of a top-level assignment: ``a = 1``, ``a: int = 1``, ``a, b = 1, 2``."""
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value:
        yield node.target.id, node.value
    elif isinstance(node, ast.Assign):
        for target in node.targets:
            if isinstance(target, ast.Name):
                yield target.id, node.value
            elif (
                isinstance(target, ast.Tuple | ast.List)
                and isinstance(node.value, ast.Tuple | ast.List)
                and len(target.elts) == len(node.value.elts)
            ):
                for element, value in zip(target.elts, node.value.elts):
                    if isinstance(element, ast.Name):
                        yield element.id, value


def capture_code(names: list[str]) -> str:
    """Code run in the student's kernel after their cells: report the answers as tagged JSON.

    It looks up built-ins through the ``builtins`` module, so an honest student who
    named a variable ``type`` or ``json`` is still reported correctly.  A student who
    sabotages this code only loses their own answers: whatever it reports is
    validated by the grader as plain data.
    """
    return f"""
def __anm_report(names):
    import builtins as b
    import json
    from IPython.display import publish_display_data
    exact = {{b.list: "list", b.tuple: "tuple", b.set: "set", b.frozenset: "frozenset"}}
    def tag(value, depth):
        kind = b.type(value)
        if depth > {MAX_DEPTH}:
            raise ValueError("too deep")
        if kind is b.str:
            return {{"t": "str", "v": value}}
        if kind is b.bool:
            return {{"t": "bool", "v": value}}
        if kind is b.int:
            return {{"t": "int", "v": b.str(value)}}
        if kind is b.float:
            return {{"t": "float", "v": b.float.hex(value)}}
        if value is None:
            return {{"t": "none"}}
        if kind in exact:
            return {{"t": exact[kind], "v": [tag(item, depth + 1) for item in value]}}
        if kind is b.dict:
            return {{"t": "dict", "v": [[tag(k, depth + 1), tag(v, depth + 1)] for k, v in value.items()]}}
        raise TypeError(kind.__name__)
    space = b.globals()
    report = {{}}
    for name in names:
        if name in space:
            try:
                report[name] = tag(space[name], 0)
            except Exception as error:
                report[name] = {{"t": "unsupported", "v": b.str(error)[:100]}}
    publish_display_data({{"{VALUES_MIME}": json.dumps(report)}})
__anm_report({names!r})
del __anm_report
"""


class Unset:
    """An answer the tests will not see, with the reason the instructor and student read."""

    def __init__(self, reason: str) -> None:
        self.reason = reason

    def __repr__(self) -> str:
        return f"Unset({self.reason!r})"


def read_report(text: object, answers: dict[str, Answer]) -> dict[str, object]:
    """The validated answers of a kernel's report: name -> plain value, or ``Unset``."""
    if not isinstance(text, str) or len(text.encode()) > MAX_REPORT_BYTES:
        return dict.fromkeys(answers, Unset("the answers could not be read (too large)"))
    try:
        report = json.loads(text)
    except (ValueError, RecursionError):
        report = None
    if not isinstance(report, dict):
        return dict.fromkeys(answers, Unset("the answers could not be read"))
    values = {}
    for name, answer in answers.items():
        if name not in report:
            values[name] = Unset(f"{name} was never assigned")
            continue
        try:
            value = _untag(report[name], 0, [0])
        except _Unsupported as problem:
            values[name] = Unset(
                f"{name} is not a plain value ({str(problem)[:80]}): it should be {answer.shape.describe()}"
            )
            continue
        if conforms(value, answer.shape):
            values[name] = value
        else:
            values[name] = Unset(
                f"{name} should be {answer.shape.describe()}; the submission's is {_describe_value(value)}"
            )
    return values


class _Unsupported(Exception):
    pass


def _untag(node: object, depth: int, count: list[int]) -> object:
    count[0] += 1
    if depth > MAX_DEPTH or count[0] > MAX_ITEMS:
        raise _Unsupported("too large or too deeply nested")
    if not isinstance(node, dict) or not isinstance(node.get("t"), str):
        raise _Unsupported("unreadable")
    tag, raw = node["t"], node.get("v")
    if tag == "str" and isinstance(raw, str):
        return raw
    if tag == "bool" and isinstance(raw, bool):
        return raw
    if tag == "none":
        return None
    if tag == "int" and isinstance(raw, str) and len(raw) <= 4000:
        try:
            return int(raw)
        except ValueError:
            raise _Unsupported("unreadable number") from None
    if tag == "float" and isinstance(raw, str) and len(raw) <= 64:
        try:
            return float.fromhex(raw)
        except (ValueError, OverflowError):
            raise _Unsupported("unreadable number") from None
    if tag in ("list", "tuple", "set", "frozenset") and isinstance(raw, list):
        items = [_untag(item, depth + 1, count) for item in raw]
        try:
            return {"list": list, "tuple": tuple, "set": set, "frozenset": frozenset}[tag](items)
        except TypeError:
            raise _Unsupported("a set holding unhashable items") from None
    if tag == "dict" and isinstance(raw, list):
        pairs = []
        for pair in raw:
            if not (isinstance(pair, list) and len(pair) == 2):
                raise _Unsupported("unreadable")
            pairs.append((_untag(pair[0], depth + 1, count), _untag(pair[1], depth + 1, count)))
        try:
            return dict(pairs)
        except TypeError:
            raise _Unsupported("a dict with unhashable keys") from None
    if tag == "unsupported":
        raise _Unsupported(f"type {str(raw)[:60]}")
    raise _Unsupported("unreadable")


def _describe_value(value: object) -> str:
    kind = kind_of(value)
    text = DESCRIPTIONS[kind]
    if kind in CONTAINERS and value:
        items = value.keys() if kind == "dict" else value
        inner = sorted({DESCRIPTIONS[kind_of(item)] for item in items})
        text += (
            f" of {' and '.join(inner)}" if kind != "dict" else f" with keys {' and '.join(inner)}"
        )
    return text


def literal_source(value: object) -> str:
    """Python source that rebuilds a plain value exactly (``float('nan')`` included)."""
    kind = kind_of(value)
    if kind == "number" and type(value) is float and not math.isfinite(value):
        return f"float({str(value)!r})"
    if kind in ("str", "number", "bool", "none"):
        return repr(value)
    if kind == "dict":
        return (
            "{"
            + ", ".join(f"{literal_source(k)}: {literal_source(v)}" for k, v in value.items())
            + "}"
        )
    items = ", ".join(literal_source(item) for item in value)
    if kind == "list":
        return f"[{items}]"
    if kind == "tuple":
        return f"({items},)" if len(value) == 1 else f"({items})"
    if kind == "set":
        return f"{{{items}}}" if value else "set()"
    return f"frozenset({{{items}}})" if value else "frozenset()"


def binding_code(values: dict[str, object]) -> str:
    """Source that binds every valid answer and unbinds every other, for the test kernel."""
    lines = []
    for name, value in values.items():
        if isinstance(value, Unset):
            lines.append(f"globals().pop({name!r}, None)")
        else:
            lines.append(f"{name} = {literal_source(value)}")
    return "\n".join(lines) + "\n"
