"""Follow-up visits and the course's flare rule, kept pure so the visit tracker stays a view.

The sources support a chronic relapsing course [5, 10]; regular follow-up with
standardised photographs and lesion counts is good practice, not a sourced
protocol (brief claim 57). The flare rule below is therefore a course
convention for teaching, not a published definition.
"""

import datetime as dt
import itertools
from collections.abc import Sequence
from dataclasses import dataclass

MAX_LESIONS = 500
"""Largest lesion count accepted at one visit (a typo guard, not a clinical limit)."""

MAX_NOTE_LENGTH = 200


def parse_date(value: object) -> dt.date:
    """A visit date from a ``datetime.date`` or ISO text '2025-03-01'; a clear error otherwise."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError(
        f"visit date should be a date like '2025-03-01' (year-month-day), got {value!r}"
    )


@dataclass(frozen=True)
class Visit:
    """One follow-up visit: when, how many active lesions, whether photographs were taken."""

    date: dt.date
    lesion_count: int
    photo: bool = False
    notes: str = ""

    def __post_init__(self):
        object.__setattr__(self, "date", parse_date(self.date))
        if isinstance(self.lesion_count, bool) or not isinstance(self.lesion_count, int):
            raise ValueError(f"lesion count should be a whole number, got {self.lesion_count!r}")
        if not 0 <= self.lesion_count <= MAX_LESIONS:
            raise ValueError(
                f"lesion count {self.lesion_count} is out of range; use 0 to {MAX_LESIONS}"
            )
        if not isinstance(self.photo, bool):
            raise ValueError(f"photo taken should be True or False, got {self.photo!r}")
        if not isinstance(self.notes, str):
            raise ValueError(f"notes should be text, got {self.notes!r}")
        if len(self.notes) > MAX_NOTE_LENGTH:
            raise ValueError(
                f"notes are {len(self.notes)} characters long; keep them to {MAX_NOTE_LENGTH}"
            )


@dataclass(frozen=True)
class FlareRule:
    """A visit is a flare when its lesion count rises by at least ``min_rise`` lesions
    and to at least ``min_ratio`` times the count at the previous visit."""

    min_rise: int = 5
    min_ratio: float = 1.5

    def __post_init__(self):
        if (
            isinstance(self.min_rise, bool)
            or not isinstance(self.min_rise, int)
            or self.min_rise < 1
        ):
            raise ValueError(
                f"min_rise should be a whole number of lesions, 1 or more, got {self.min_rise!r}"
            )
        if (
            isinstance(self.min_ratio, bool)
            or not isinstance(self.min_ratio, (int, float))
            or self.min_ratio < 1
        ):
            raise ValueError(f"min_ratio should be a number, 1 or more, got {self.min_ratio!r}")

    def is_flare(self, previous: int, current: int) -> bool:
        return current - previous >= self.min_rise and current >= self.min_ratio * previous

    def describe(self) -> str:
        return (
            f"a visit is flagged as a flare when the lesion count rises by at least {self.min_rise} "
            f"lesions and to at least {self.min_ratio:g} times the previous visit's count "
            "(a course convention, not a published definition)"
        )


def flag_flares(visits: Sequence[Visit], rule: FlareRule = FlareRule()) -> tuple[bool, ...]:
    """For visits in date order, whether each one is a flare; the first visit never is."""
    counts = [visit.lesion_count for visit in visits]
    return (
        (False,)
        + tuple(rule.is_flare(before, after) for before, after in itertools.pairwise(counts))
        if counts
        else ()
    )
