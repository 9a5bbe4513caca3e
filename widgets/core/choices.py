"""Names a person types: forgiven for case and spacing, refused clearly when unknown.

The model, the knowledge base, the histology scenes and the widgets all accept
choices by name ("Oral  Tetracycline", "miliaris"); they share this one rule so
that a misspelt name gets the same kind of answer everywhere: what was typed,
the closest valid name, and the full list.
"""

from collections.abc import Iterable
from difflib import get_close_matches
from enum import Enum


def normalise(text: str) -> str:
    """'  Acne  Necrotica ' -> 'acne necrotica'."""
    return " ".join(text.lower().split())


def closest(value: object, options: Iterable[object]) -> str | None:
    """The option most like ``value`` (a likely typo), or None if none is close."""
    typed = normalise(value) if isinstance(value, str) else str(value)
    matches = get_close_matches(typed, [str(option) for option in options], n=1, cutoff=0.6)
    return matches[0] if matches else None


def unknown_choice(kind: str, value: object, valid: Iterable[object]) -> str:
    """ "unknown region 'vertx' (did you mean 'vertex'?). Valid regions: ..." (for error messages)."""
    options = [str(option) for option in valid]
    message = f"unknown {kind} {value!r}"
    suggestion = closest(value, options)
    if suggestion is not None:
        message += f" (did you mean {suggestion!r}?)"
    return f"{message}. Valid {kind}s: {', '.join(repr(option) for option in options)}"


class UnknownChoiceError(KeyError, ValueError):
    """A lookup by a name or id that does not exist; the message lists what does."""

    def __str__(self) -> str:
        return str(self.args[0])


class ChoiceTypeError(TypeError, ValueError):
    """A choice that is not text at all (a number, a list...); the message lists the valid names."""


def one_of(value: object, valid: Iterable[object], kind: str) -> str:
    """The member of ``valid`` that ``value`` names (case and spacing forgiven; Enum members accepted)."""
    options = [str(option.value if isinstance(option, Enum) else option) for option in valid]
    if isinstance(value, Enum):
        value = value.value
    if not isinstance(value, str):
        listed = ", ".join(repr(option) for option in options)
        raise ChoiceTypeError(f"{kind} must be text, one of: {listed} (got {type(value).__name__})")
    wanted = normalise(value)
    for option in options:
        if normalise(option) == wanted:
            return option
    raise UnknownChoiceError(unknown_choice(kind, value, options))
