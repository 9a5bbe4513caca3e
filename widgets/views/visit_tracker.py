"""VisitTracker: record follow-up visits and see lesion counts over time, with flares flagged.

The flare rule and the visit checks live in :mod:`widgets.core.knowledge.followup`;
this widget only collects visits, shows them and explains what it flagged.
"""

import datetime as dt
from collections.abc import Iterable
from html import escape

import ipywidgets as W
import numpy as np

from widgets.core.knowledge.followup import MAX_LESIONS, FlareRule, Visit, flag_flares, parse_date
from widgets.views.figures import FONT_SIZE, PALETTE, freeze_layout, live_figure


class VisitTracker(W.VBox):
    """Enter visits (date, lesion count, photo taken, notes); the chart flags flares.

    >>> tracker = VisitTracker()
    >>> tracker.add_visit("2025-01-06", 12, photo=True)
    >>> tracker.add_visit("2025-02-03", 4, photo=True)
    >>> tracker.add_visit("2025-03-03", 15, photo=False, notes="stopped doxycycline")
    >>> tracker.flares
    (False, False, True)
    """

    def __init__(self, visits: Iterable[Visit | tuple] = (), rule: FlareRule | None = None):
        """``visits``: Visit objects or (date, lesion_count, photo, notes) tuples to start with."""
        rule = FlareRule() if rule is None else rule
        if not isinstance(rule, FlareRule):
            raise TypeError(
                f"rule should be a FlareRule(min_rise=..., min_ratio=...), got {rule!r}"
            )
        self.rule = rule
        self.visits: tuple[Visit, ...] = ()
        self.date = W.DatePicker(description="Visit date", value=None)
        self.lesion_count = W.BoundedIntText(value=0, min=0, max=MAX_LESIONS, description="Lesions")
        self.photo = W.Checkbox(
            value=False, description="Standardised photographs taken", indent=False
        )
        self.notes = W.Text(placeholder="e.g. started doxycycline", description="Notes")
        self.add_button = W.Button(description="Add visit", icon="plus", button_style="primary")
        self.remove_button = W.Button(description="Remove last visit", icon="minus")
        self.message = W.HTML()
        self.table = W.HTML()
        self.summary = W.HTML()
        self.add_button.on_click(self._on_add)
        self.remove_button.on_click(lambda _: self.remove_last())
        self._build_figure()
        super().__init__(
            [
                W.HBox([self.date, self.lesion_count]),
                W.HBox([self.photo, self.notes]),
                W.HBox([self.add_button, self.remove_button]),
                self.message,
                W.HTML(f"<i>Flare rule: {escape(self.rule.describe())}.</i>"),
                self.figure.canvas,
                self.table,
                self.summary,
            ]
        )
        for visit in visits:
            self._insert(visit if isinstance(visit, Visit) else Visit(*visit))
        self.update()

    def _build_figure(self) -> None:
        self.figure = live_figure(6.4, 3.0)
        self.axes = self.figure.add_subplot()
        (self.count_line,) = self.axes.plot(
            [], [], "-o", color=PALETTE["blue"], label="Lesion count"
        )
        (self.no_photo_marks,) = self.axes.plot(
            [],
            [],
            "s",
            markerfacecolor="white",
            markersize=9,
            color=PALETTE["grey"],
            label="No photographs",
        )
        (self.flare_marks,) = self.axes.plot(
            [], [], "^", markersize=12, color=PALETTE["vermillion"], label="Flare (rule above)"
        )
        self.axes.set_xlabel("Days since first visit", fontsize=FONT_SIZE)
        self.axes.set_ylabel("Active lesions", fontsize=FONT_SIZE)
        self.axes.set_title("Lesion counts at follow-up", fontsize=FONT_SIZE)
        self.axes.legend(loc="upper left", fontsize=FONT_SIZE - 2)
        self.axes.set_xlim(-5, 100)
        self.axes.set_ylim(0, 20)
        freeze_layout(self.figure)

    def _insert(self, visit: Visit) -> None:
        if any(existing.date == visit.date for existing in self.visits):
            raise ValueError(
                f"a visit on {visit.date.isoformat()} is already recorded; "
                "remove it first or choose another date"
            )
        self.visits = tuple(sorted(self.visits + (visit,), key=lambda v: v.date))

    def add_visit(
        self, date: dt.date | str, lesion_count: int, photo: bool = False, notes: str = ""
    ) -> None:
        """Record a visit; bad input raises ValueError with what to change."""
        self._insert(Visit(parse_date(date), lesion_count, photo, notes))
        self.update()

    def remove_last(self) -> None:
        """Remove the latest visit (by date), e.g. after a typo."""
        if self.visits:
            self.visits = self.visits[:-1]
            self.message.value = ""
            self.update()

    def _on_add(self, _button) -> None:
        try:
            if self.date.value is None:
                raise ValueError("pick the visit date first")
            self.add_visit(
                self.date.value, self.lesion_count.value, self.photo.value, self.notes.value
            )
        except ValueError as error:
            self.message.value = f'<span style="color:{PALETTE["vermillion"]}">Not added: {escape(str(error))}.</span>'
            return
        self.message.value = f"Added the visit of {self.date.value.isoformat()}."
        self.notes.value = ""

    @property
    def flares(self) -> tuple[bool, ...]:
        """Whether each visit, in date order, is flagged as a flare."""
        return flag_flares(self.visits, self.rule)

    @property
    def days(self) -> np.ndarray:
        """Days since the first visit, one per visit."""
        if not self.visits:
            return np.zeros(0)
        first = self.visits[0].date
        return np.array([(visit.date - first).days for visit in self.visits], dtype=float)

    def update(self) -> None:
        """Redraw the chart, the table and the summary from the recorded visits."""
        days, counts = self.days, np.array([v.lesion_count for v in self.visits], dtype=float)
        flares = np.array(self.flares, dtype=bool)
        no_photo = np.array([not v.photo for v in self.visits], dtype=bool)
        self.count_line.set_data(days, counts)
        self.flare_marks.set_data(days[flares], counts[flares])
        self.no_photo_marks.set_data(days[no_photo], counts[no_photo])
        self.axes.set_xlim(-5, max(100.0, float(days.max()) + 10) if days.size else 100.0)
        self.axes.set_ylim(0, max(20.0, float(counts.max()) * 1.2) if counts.size else 20.0)
        self.figure.canvas.draw_idle()
        self.table.value = self._table_html()
        self.summary.value = f"<p><b>Summary:</b> {escape(self.summary_text)}</p>"

    def _table_html(self) -> str:
        if not self.visits:
            return "<p>No visits recorded yet.</p>"
        cell = 'style="border:1px solid #ccc; padding:2px 6px"'
        rows = "".join(
            f"<tr><td {cell}>{v.date.isoformat()}</td><td {cell}>{int(day)}</td><td {cell}>{v.lesion_count}</td>"
            f"<td {cell}>{'yes' if v.photo else 'no'}</td><td {cell}>{'FLARE' if flare else ''}</td>"
            f"<td {cell}>{escape(v.notes)}</td></tr>"
            for v, day, flare in zip(self.visits, self.days, self.flares)
        )
        head = "".join(
            f"<th {cell}>{h}</th>" for h in ("Date", "Day", "Lesions", "Photos", "Flare", "Notes")
        )
        return f'<table style="border-collapse:collapse"><tr>{head}</tr>{rows}</table>'

    @property
    def summary_text(self) -> str:
        """What the chart shows, in words (for screen readers and tests)."""
        if not self.visits:
            return "No visits recorded yet: the chart is empty."
        counts = [v.lesion_count for v in self.visits]
        flare_days = [int(day) for day, flare in zip(self.days, self.flares) if flare]
        flares = (
            f"flares flagged on day {', '.join(str(d) for d in flare_days)}"
            if flare_days
            else "no flare flagged"
        )
        photos = sum(v.photo for v in self.visits)
        return (
            f"{len(self.visits)} visits over {int(self.days[-1])} days; lesion counts "
            f"{' → '.join(str(c) for c in counts)}; {flares}; photographs at {photos} of "
            f"{len(self.visits)} visits."
        )
