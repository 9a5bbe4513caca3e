"""What a learner asks the model: which form, how severe, how much scratching, which treatments.

Both classes check their values when created, so a wrong input fails here with a
message naming the valid choices, not later inside the integrator.
"""

import math
from dataclasses import dataclass, field, replace
from numbers import Real

from widgets.core.choices import one_of

from .drugs import Drug
from .forms import Form
from .parameters import DEPTH_RANGE, FORM_DEPTH, nearest_form

SEVERITY_RANGE = (0.0, 1.5)
"""Flare severity multiplies every flare's bacterial inoculum; above the tipping point
(``tipping.chronic_severity``, about 1.04) flares lock into chronic sterile inflammation
(Reynolds' "aseptic" outcome)."""

SCRATCHING_RANGE = (0.0, 1.0)
"""0 = no scratching or picking, 1 = constant scratching."""

DAYS_RANGE = (1, 730)
"""Simulated horizon in days: one day to two years."""


def _number(name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, Real) or not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    return float(value)


def _in_range(name: str, value: object, low: float, high: float) -> float:
    number = _number(name, value)
    if not low <= number <= high:
        raise ValueError(f"{name} must be between {low:g} and {high:g}, got {number:g}")
    return number


def parse_form(form: Form | str) -> Form:
    """The form called ``form`` (case-insensitive); a clear error listing the valid ones otherwise."""
    return Form(one_of(form, Form, "form"))


@dataclass(frozen=True)
class Treatment:
    """One drug taken from ``start_day`` until ``stop_day`` (None: until the end), in days."""

    drug: Drug
    start_day: float
    stop_day: float | None = None

    def __init__(self, drug: Drug | str, start_day: float, stop_day: float | None = None):
        object.__setattr__(self, "drug", Drug.parse(drug))
        start = _number("start_day", start_day)
        if start < 0:
            raise ValueError(f"start_day must be 0 or later, got {start:g}")
        object.__setattr__(self, "start_day", start)
        if stop_day is not None:
            stop = _number("stop_day", stop_day)
            if stop <= start:
                raise ValueError(
                    f"stop_day ({stop:g}) must come after start_day ({start:g}) for {self.drug.value}"
                )
            object.__setattr__(self, "stop_day", stop)
        else:
            object.__setattr__(self, "stop_day", None)

    @property
    def duration(self) -> float | None:
        """Days taken, or None if taken until the end of the simulation."""
        return None if self.stop_day is None else self.stop_day - self.start_day

    def starting_on(self, day: float) -> "Treatment":
        """The same course of the same length, started on ``day``."""
        duration = self.duration
        return Treatment(self.drug, day, None if duration is None else day + duration)


@dataclass(frozen=True)
class Scenario:
    """A patient's year (or other horizon) as the model runs it.

    ``severity`` scales flare size (range ``SEVERITY_RANGE``); ``scratching`` is
    0..1 and aggravates damage but never starts a lesion on its own; ``days`` is
    1..730.  Treatments must start within the simulated days.

    ``necrosis_depth`` (0..1) is how deep necrosis reaches: 0 is the miliaris end,
    1 the varioliformis end.  Left out, it is the end of ``form``; given, it wins
    and ``form`` becomes the nearer end (so the two never disagree).
    """

    form: Form = Form.VARIOLIFORMIS
    severity: float = 0.9
    scratching: float = 0.5
    treatments: tuple[Treatment, ...] = field(default=())
    days: int = 365
    necrosis_depth: float | None = None

    def __post_init__(self):
        if self.necrosis_depth is None:
            form = parse_form(self.form)
            depth = FORM_DEPTH[form]
        else:
            depth = _in_range("necrosis_depth", self.necrosis_depth, *DEPTH_RANGE)
            form = nearest_form(depth)
        object.__setattr__(self, "form", form)
        object.__setattr__(self, "necrosis_depth", depth)
        object.__setattr__(self, "severity", _in_range("severity", self.severity, *SEVERITY_RANGE))
        object.__setattr__(
            self, "scratching", _in_range("scratching", self.scratching, *SCRATCHING_RANGE)
        )
        if (
            isinstance(self.days, bool)
            or not isinstance(self.days, Real)
            or self.days != int(self.days)
        ):
            raise ValueError(f"days must be a whole number of days, got {self.days!r}")
        days = int(self.days)
        if not DAYS_RANGE[0] <= days <= DAYS_RANGE[1]:
            raise ValueError(
                f"days must be between {DAYS_RANGE[0]} and {DAYS_RANGE[1]}, got {days}"
            )
        object.__setattr__(self, "days", days)
        if isinstance(self.treatments, (Treatment, str)):
            raise ValueError(
                "treatments must be a sequence of Treatment, e.g. (Treatment('isotretinoin', 0),)"
            )
        treatments = tuple(self.treatments)
        for treatment in treatments:
            if not isinstance(treatment, Treatment):
                raise ValueError(
                    f"each treatment must be a Treatment(drug, start_day, stop_day), got {treatment!r}"
                )
            if treatment.start_day > days:
                raise ValueError(
                    f"{treatment.drug.value} starts on day {treatment.start_day:g}, after the "
                    f"simulation ends (day {days}); start it between day 0 and day {days}"
                )
        object.__setattr__(self, "treatments", treatments)

    @property
    def untreated(self) -> "Scenario":
        """The same patient without any treatment (the "ghost" comparison run)."""
        return replace(self, treatments=())

    def started_on(self, day: float) -> "Scenario":
        """The same regimen with every treatment started on ``day``, keeping each course's length."""
        return replace(
            self, treatments=tuple(treatment.starting_on(day) for treatment in self.treatments)
        )
