"""How the course writes a citation: reference ids in square brackets."""

from collections.abc import Iterable


def cite(refs: Iterable[int]) -> str:
    """'[3, 4]' for reference ids (3, 4); '' for none."""
    refs = tuple(refs)
    return f"[{', '.join(str(ref) for ref in refs)}]" if refs else ""


def with_citation(text: str, refs: Iterable[int]) -> str:
    """``text`` followed by its citation, if it has one: 'Papules [3]'."""
    reference = cite(refs)
    return f"{text} {reference}" if reference else text
