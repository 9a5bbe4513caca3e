"""Formative answer checks for the visible tests of the graded case quizzes.

A visible test runs when a student clicks *Validate*, so it must help at once
without giving anything away: it says when an answer has the wrong shape (a list
where text was asked for, ``{}`` where a set was meant), names a choice that is
not on the quiz's list and suggests the closest allowed spelling, and checks the
number of items.  It never knows, and so can never reveal, which choice is
correct: that is the job of the hidden tests, which compare against literals.

Every check raises ``AssertionError`` with a message written for the student.
Choices are compared the way the hidden tests compare them (lower case, runs of
spaces collapsed), so they are case- and spacing-insensitive.  The checks return
nothing: a test cell's last value is read by nbgrader as a score, so a check that
returned the student's 30 mg would crash Validate on a 1-point cell.
"""

import math
from collections.abc import Iterable

from widgets.core.choices import closest, normalise

_FRIENDLY_TYPE_NAMES = {
    str: "text",
    int: "a whole number",
    float: "a number",
    bool: "True/False",
    list: "a list",
    tuple: "a tuple",
    set: "a set",
    frozenset: "a frozenset",
    dict: "a dict",
}


def check_choice(value: object, valid: Iterable[str], name: str) -> None:
    """Check that ``value`` is plain text naming one of ``valid``.

    ``name`` is the variable the student set, used in every message.
    """
    allowed = _allowed(valid)
    if type(value) is not str:
        raise AssertionError(
            f'{name} should be text in quotes, e.g. {name} = "…" — got {_describe(value)}.'
        )
    if normalise(value) not in allowed:
        raise AssertionError(_unknown_choice_message(name, value, allowed))


def check_choices(
    value: object,
    valid: Iterable[str],
    name: str,
    *,
    min_size: int = 1,
    max_size: int | None = None,
) -> None:
    """Check that ``value`` is a set of texts, each one of ``valid``.

    ``min_size`` and ``max_size`` bound how many different choices the set may name;
    the quiz's instruction cell states the same bounds, so the check reveals nothing.
    """
    allowed = _allowed(valid)
    if max_size is not None and max_size < min_size:
        raise ValueError(f"max_size ({max_size}) is smaller than min_size ({min_size})")
    if type(value) is dict and not value:
        raise AssertionError(
            f"{name} is an empty dict: in Python {{}} is an empty dict, not an empty set. "
            f"Write {name} = set() for an empty set, or list choices in curly braces."
        )
    if type(value) is not set:
        raise AssertionError(
            f'{name} should be a set of choices in curly braces, e.g. {name} = {{"…", "…"}}'
            f" — got {_describe(value)}."
        )
    chosen: dict[str, str] = {}
    for item in sorted(value, key=repr):
        if type(item) is not str:
            raise AssertionError(
                f'every item in {name} should be text in quotes, e.g. "…" — {item!r} is {_describe(item)}.'
            )
        choice = normalise(item)
        if choice not in allowed:
            raise AssertionError(_unknown_choice_message(f"an item of {name}", item, allowed))
        if choice in chosen:
            raise AssertionError(
                f'{name} names "{choice}" twice ({chosen[choice]!r} and {item!r}); '
                "choices ignore case and spacing, so keep one."
            )
        chosen[choice] = item
    count = len(chosen)
    if count < min_size or (max_size is not None and count > max_size):
        raise AssertionError(
            f"{name} should name {_size_range(min_size, max_size)} — it names {count}."
        )


def check_no_overlap(
    first: str | Iterable[str], second: str | Iterable[str], first_name: str, second_name: str
) -> None:
    """Check that two answers share no choice; each is one text or a collection of texts.

    For answers that exclude each other, such as a diagnosis and the differentials
    still to rule out.  Items that are not text are left to :func:`check_choice`
    and :func:`check_choices`, which report them with a better message.
    """
    shared = sorted(_texts(first) & _texts(second))
    if shared:
        listed = ", ".join(f'"{choice}"' for choice in shared)
        raise AssertionError(
            f"{first_name} and {second_name} both name {listed}: each choice can be in only one of them."
        )


def check_number(
    value: object,
    name: str,
    *,
    unit: str,
    low: float | None = None,
    high: float | None = None,
) -> None:
    """Check that ``value`` is a finite plain number in ``unit`` within [low, high].

    ``low`` and ``high`` are plausibility bounds stated in the quiz's instruction
    cell (for example "between 0 and 200"), never the expected answer.
    """
    if type(value) not in (int, float):
        raise AssertionError(
            f"{name} should be a plain number in {unit}, e.g. {name} = 12.5 — got {_describe(value)}."
        )
    if type(value) is float and not math.isfinite(value):
        raise AssertionError(f"{name} should be a finite number in {unit} — got {value!r}.")
    if (low is not None and value < low) or (high is not None and value > high):
        raise AssertionError(
            f"{name} = {value!r} {unit} is outside the range the question allows "
            f"({_bounds(low, high)} {unit}); check the units and the arithmetic."
        )


def _texts(answer: object) -> set[str]:
    """The normalised texts in an answer that is one text or a collection of texts."""
    if type(answer) is str:
        return {normalise(answer)}
    if type(answer) in (set, frozenset, list, tuple):
        return {normalise(item) for item in answer if type(item) is str}
    return set()


def _allowed(valid: Iterable[str]) -> tuple[str, ...]:
    """The quiz's choices, normalised and in the quiz's order (an author error if malformed)."""
    if isinstance(valid, str):
        raise TypeError("valid should be a collection of choices, not one string")
    allowed = tuple(dict.fromkeys(normalise(choice) for choice in valid))
    if not allowed:
        raise ValueError("valid needs at least one choice")
    return allowed


def _unknown_choice_message(what: str, typed: str, allowed: tuple[str, ...]) -> str:
    suggestion = closest(typed, allowed)
    hint = f' Did you mean "{suggestion}"?' if suggestion else ""
    listed = ", ".join(f'"{choice}"' for choice in allowed)
    return f"{what} is {typed!r}, which is not one of the allowed choices.{hint} Allowed choices: {listed}."


def _describe(value: object) -> str:
    """What the student gave, in words: 'a list: ['a']', 'None (did you forget to set it?)'."""
    kind = type(value)
    if value is None:
        return "None (did you forget to set it?)"
    if kind in _FRIENDLY_TYPE_NAMES:
        return f"{_FRIENDLY_TYPE_NAMES[kind]}: {_short_repr(value)}"
    if isinstance(value, str):
        return f"a {kind.__module__}.{kind.__name__}, not plain text; wrap it with str(...)"
    if isinstance(value, (int, float)):
        return f"a {kind.__module__}.{kind.__name__}; convert it with float(...)"
    return f"a {kind.__name__}: {_short_repr(value)}"


def _short_repr(value: object, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _size_range(min_size: int, max_size: int | None) -> str:
    noun = "choice" if (max_size or min_size) == 1 else "choices"
    if max_size is None:
        return f"at least {min_size} {noun}"
    if max_size == min_size:
        return f"exactly {min_size} {noun}"
    return f"between {min_size} and {max_size} {noun}"


def _bounds(low: float | None, high: float | None) -> str:
    if low is not None and high is not None:
        return f"{low:g} to {high:g}"
    if low is not None:
        return f"at least {low:g}"
    return f"at most {high:g}"


def check_kept_one(value: object, valid: Iterable[str], name: str) -> None:
    """Check that ``value`` is a set holding exactly one of ``valid`` (the others deleted)."""
    check_choices(value, valid, name, min_size=1, max_size=None)
    if len(value) != 1:  # type: ignore[arg-type]  # check_choices proved it a set
        raise AssertionError(
            f"{name} should keep exactly one choice: delete the lines of the others "
            f"— it keeps {len(value)}."  # type: ignore[arg-type]
        )


def check_verdicts(
    value: object, candidates: Iterable[str], verdicts: Iterable[str], name: str
) -> None:
    """Check that ``value`` gives the candidates verdicts from ``verdicts``.

    A "?" left for some candidates is allowed (those earn nothing); all "?" is the
    released, unanswered table.  The candidates and verdicts are public (the
    answer cell lists them), so the messages reveal nothing about which is right.
    """
    wanted = _allowed(candidates)
    allowed = _allowed(verdicts)
    if type(value) is not dict:
        raise AssertionError(
            f'{name} should be a dict of candidate: verdict, e.g. {{"…": "{allowed[0]}"}}'
            f" — got {_describe(value)}."
        )
    given: dict[str, object] = {}
    for key, verdict in value.items():
        if type(key) is not str or normalise(key) not in wanted:
            raise AssertionError(
                _unknown_choice_message(f"a candidate of {name}", str(key), wanted)
            )
        given[normalise(key)] = verdict
    missing = [candidate for candidate in wanted if candidate not in given]
    if missing:
        raise AssertionError(f"{name} has no verdict for {', '.join(missing)}: put the line back.")
    if all(verdict == "?" for verdict in given.values()):
        raise AssertionError(f'{name} has no verdict yet: replace each "?" with a verdict.')
    for candidate, verdict in given.items():
        if verdict == "?":
            continue  # left undecided: that candidate earns nothing, the others still count
        if type(verdict) is not str:
            raise AssertionError(
                f"the verdict for {candidate} in {name} should be text in quotes — got "
                f"{_describe(verdict)}."
            )
        if normalise(verdict) not in allowed:
            raise AssertionError(
                _unknown_choice_message(f"the verdict for {candidate} in {name}", verdict, allowed)
            )
