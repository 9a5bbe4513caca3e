"""The item formats of the course's assessments, as data: what is asked, what earns credit, why.

Four formats carry every graded and practice question:

- :class:`BestMatch`: one best answer from an option list (an extended-matching
  item when the list is the knowledge base's 15 conditions), with partial credit
  for a second answer the sources make reasonable;
- :class:`Selection`: a key-feature decision, choose up to ``limit`` options,
  each option credited (or debited) on its own;
- :class:`Verdicts`: one judgement per candidate (keep a differential open or
  rule it out; give a drug or avoid it, and why), each judged once;
- :class:`Estimate`: a number, full credit within a range the sources justify and
  half credit within a wider one.

Credits are fractions of the item's points.  Every item carries its explanation
(what the sources say and why each defensible answer earns credit); the
notebooks, the practice widget, variants and item analysis all read these.
"""

from dataclasses import dataclass, field

from widgets.core.choices import normalise

UNANSWERED = "?"
"""The placeholder a released per-candidate table holds until the student decides."""


def _normalised_table(credit: dict[str, float], what: str) -> dict[str, float]:
    table = {}
    for option, fraction in credit.items():
        if not -1.0 <= fraction <= 1.0:
            raise ValueError(f"{what}: credit for {option!r} should be between -1 and 1")
        table[normalise(option)] = float(fraction)
    return table


@dataclass(frozen=True)
class BestMatch:
    """One best answer from ``options``; ``credit`` maps each answer that earns credit to its fraction."""

    name: str
    prompt: str
    points: float
    options: tuple[str, ...]
    credit: dict[str, float]
    explanation: str

    def __post_init__(self):
        object.__setattr__(self, "credit", _normalised_table(self.credit, self.name))
        offered = {normalise(option) for option in self.options}
        unknown = set(self.credit) - offered
        if unknown:
            raise ValueError(f"{self.name}: credited answers not among the options: {unknown}")
        if max(self.credit.values(), default=0.0) != 1.0:
            raise ValueError(f"{self.name}: one answer must earn full credit")

    @property
    def key(self) -> str:
        """The best answer (the first one with full credit)."""
        return next(option for option, fraction in self.credit.items() if fraction == 1.0)

    @property
    def model_answer(self) -> set[str]:
        return {self.key}


@dataclass(frozen=True)
class Selection:
    """Choose 1 to ``limit`` options; each chosen option adds its credit (negative for harm).

    The sum is clamped to [0, 1], so a choice is judged once and ticking
    everything is impossible (more than ``limit`` choices scores 0).
    """

    name: str
    prompt: str
    points: float
    options: tuple[str, ...]
    limit: int
    credit: dict[str, float]
    explanation: str

    def __post_init__(self):
        object.__setattr__(self, "credit", _normalised_table(self.credit, self.name))
        if not 1 <= self.limit < len(self.options):
            raise ValueError(f"{self.name}: limit should be from 1 to one less than the options")
        best = sorted((f for f in self.credit.values() if f > 0), reverse=True)[: self.limit]
        if abs(sum(best) - 1.0) > 1e-9 and max(best, default=0.0) != 1.0:
            raise ValueError(f"{self.name}: the best {self.limit} choices must reach full credit")

    @property
    def model_answer(self) -> set[str]:
        """The fewest options that reach full credit (a single full-credit option if there is one)."""
        ranked = sorted(self.credit.items(), key=lambda item: -item[1])
        if ranked[0][1] == 1.0:
            return {ranked[0][0]}
        return {option for option, fraction in ranked[: self.limit] if fraction > 0}


@dataclass(frozen=True)
class Verdicts:
    """One verdict per candidate, from ``verdicts``; each candidate is judged once.

    ``credit[candidate]`` maps verdicts to fractions; ``partial[candidate]`` is the
    fraction any other verdict except the first of ``verdicts`` earns (the right
    decision, e.g. "avoid", given for a reason the sources do not tie to it).
    """

    name: str
    prompt: str
    points: float
    candidates: tuple[str, ...]
    verdicts: tuple[str, ...]
    credit: dict[str, dict[str, float]]
    explanation: str
    partial: dict[str, float] = field(default_factory=dict)

    def __post_init__(self):
        credit = {
            normalise(candidate): _normalised_table(table, f"{self.name}[{candidate}]")
            for candidate, table in self.credit.items()
        }
        if set(credit) != {normalise(c) for c in self.candidates}:
            raise ValueError(f"{self.name}: every candidate needs a credit table")
        allowed = {normalise(v) for v in self.verdicts}
        for candidate, table in credit.items():
            if set(table) - allowed or max(table.values()) != 1.0:
                raise ValueError(f"{self.name}[{candidate}]: unknown verdict or no full credit")
        object.__setattr__(self, "credit", credit)
        object.__setattr__(
            self, "partial", {normalise(c): float(f) for c, f in self.partial.items()}
        )

    @property
    def model_answer(self) -> dict[str, str]:
        return {
            candidate: next(
                v for v, fraction in self.credit[normalise(candidate)].items() if fraction == 1.0
            )
            for candidate in self.candidates
        }


@dataclass(frozen=True)
class Estimate:
    """A number in ``unit``: full credit within ``full``, half within ``half`` (both inclusive)."""

    name: str
    prompt: str
    points: float
    unit: str
    plausible: tuple[float, float]
    full: tuple[float, float]
    half: tuple[float, float]
    model_answer: float
    explanation: str

    def __post_init__(self):
        low, high = self.plausible
        if not (
            low
            <= self.half[0]
            <= self.full[0]
            <= self.model_answer
            <= self.full[1]
            <= self.half[1]
            <= high
        ):
            raise ValueError(
                f"{self.name}: ranges should nest: plausible > half > full > model answer"
            )


Item = BestMatch | Selection | Verdicts | Estimate


@dataclass(frozen=True)
class Case:
    """A vignette and the items asked about it; ``task`` is a hand-marked question, if any."""

    key: str
    title: str
    vignette: str
    items: tuple[Item, ...]
    task: "Task | None" = None
    explore: str = ""
    """Read-only code shown after the vignette to explore with (widgets); never a key."""


@dataclass(frozen=True)
class Task:
    """A written answer marked by hand: the prompt, a model answer and the mark scheme's key points."""

    name: str
    prompt: str
    points: float
    model_answer: str
    key_points: tuple[str, ...]


@dataclass(frozen=True)
class Quiz:
    """A whole quiz: its cases in order, the option lists it shows and its front matter."""

    quiz_id: str
    title: str
    introduction: str
    option_lists: dict[str, tuple[str, ...]]
    cases: tuple[Case, ...]
    references: tuple[int, ...] = ()
    """The medical brief's reference numbers the quiz cites."""
    model_sources: tuple[str, ...] = ()
    """Modelling papers cited as [M1], [M2] (as in the pathophysiology lesson), not brief numbers."""
    constants: dict[str, object] = field(default_factory=dict)
    """Plain values the read-only set-up defines besides the option lists (seeds, slide lists)."""

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(item for case in self.cases for item in case.items)

    def item(self, name: str) -> Item:
        for item in self.items:
            if item.name == name:
                return item
        raise KeyError(f"no item {name!r} in {self.quiz_id}")

    @property
    def autograded_points(self) -> float:
        return sum(item.points for item in self.items)
