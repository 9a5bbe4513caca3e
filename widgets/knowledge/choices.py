"""Messages for a misspelt or unknown choice: list what is valid and suggest the closest."""

from collections.abc import Iterable
from difflib import get_close_matches


def unknown_choice(kind: str, value: object, valid: Iterable[object]) -> str:
    """'unknown region 'vertx' (did you mean 'vertex'?). Valid regions: ...' (for error messages)."""
    options = [str(option) for option in valid]
    message = f"unknown {kind} {value!r}"
    close = get_close_matches(str(value), options, n=1, cutoff=0.6)
    if close:
        message += f" (did you mean {close[0]!r}?)"
    return f"{message}. Valid {kind}s: {', '.join(repr(option) for option in options)}"


class UnknownChoiceError(KeyError, ValueError):
    """A lookup by a name or id that does not exist; the message lists what does."""

    def __str__(self) -> str:
        return str(self.args[0])
