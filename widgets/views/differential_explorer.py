"""DifferentialExplorer: tick findings, see the differential ranked with its reasons.

A thin view over :func:`widgets.core.knowledge.rank_conditions`: the findings, the
conditions, the weights and the references all come from the knowledge data.
The score is a teaching device that makes the reasoning visible (for minus
against), not a validated diagnostic score.
"""

from html import escape

import ipywidgets as W

from widgets.core.choices import UnknownChoiceError, unknown_choice
from widgets.core.citations import cite
from widgets.core.knowledge import load_knowledge, rank_conditions
from widgets.core.knowledge.schema import FINDING_GROUPS
from widgets.views.figures import FONT_SIZE, PALETTE, freeze_layout, live_figure

REASONED_CONDITIONS = 3
"""How many of the top-ranked conditions show their reasons in full."""


class DifferentialExplorer(W.VBox):
    """Findings grouped as a resident meets them; a bar chart of every condition's score.

    >>> explorer = DifferentialExplorer()
    >>> explorer.tick("site-frontal-hairline", "itch", "small-pustules")
    >>> explorer.ranking[0].name
    'acne necrotica miliaris'
    """

    def __init__(self, findings: list[str] | tuple[str, ...] = ()):
        if isinstance(findings, str):
            raise TypeError(
                f"give the findings as a list of ids, e.g. [{findings!r}], not a single text"
            )
        self.knowledge = load_knowledge()
        self.checkboxes: dict[str, W.Checkbox] = {
            finding.id: W.Checkbox(
                value=False, description=finding.label, indent=False, layout=W.Layout(width="auto")
            )
            for finding in self.knowledge.findings.values()
        }
        groups = [
            group
            for group in FINDING_GROUPS
            if any(f.group == group for f in self.knowledge.findings.values())
        ]
        self.finding_groups = W.Accordion(
            children=[
                W.VBox(
                    [
                        self.checkboxes[f.id]
                        for f in self.knowledge.findings.values()
                        if f.group == group
                    ]
                )
                for group in groups
            ],
            titles=tuple(group.capitalize() for group in groups),
            selected_index=0,
        )
        self.clear_button = W.Button(description="Clear all findings", icon="eraser")
        self.clear_button.on_click(lambda _: self.clear())
        self.reasons = W.HTML()
        self.summary = W.HTML()
        self._holding = False
        self._build_figure()
        self.ranking = rank_conditions((), self.knowledge)
        for checkbox in self.checkboxes.values():
            checkbox.observe(self._on_tick, names="value")
        note = W.HTML(
            "<i>Score = sum of the weights (1-3) of ticked findings that count for a condition "
            "minus those that count against it; a hallmark site counts 2, another typical site 1. "
            "A teaching device built from the course's sources, not a validated diagnostic score.</i>"
        )
        super().__init__(
            [
                W.HBox(
                    [
                        W.VBox(
                            [self.finding_groups, self.clear_button], layout=W.Layout(width="45%")
                        ),
                        self.figure.canvas,
                    ]
                ),
                note,
                self.reasons,
                self.summary,
            ]
        )
        self.tick(*findings)
        self.update()

    def _build_figure(self) -> None:
        count = len(self.knowledge.conditions)
        self.figure = live_figure(5.2, 4.6)
        self.axes = self.figure.add_subplot()
        self.bars = self.axes.barh(range(count), [0] * count, color=PALETTE["grey"])
        self.axes.invert_yaxis()
        self.axes.axvline(0, color=PALETTE["black"], linewidth=0.8)
        self.axes.set_yticks(
            range(count),
            [c.short for c in self.knowledge.conditions.values()],
            fontsize=FONT_SIZE - 1,
        )
        self.axes.set_xlabel("Score (for minus against)", fontsize=FONT_SIZE)
        self.axes.set_title("Differential, best match first", fontsize=FONT_SIZE)
        self.axes.set_xlim(-6, 12)
        freeze_layout(self.figure)

    def _checked(self, finding_ids) -> None:
        for finding_id in finding_ids:
            if finding_id not in self.checkboxes:
                raise UnknownChoiceError(unknown_choice("finding id", finding_id, self.checkboxes))

    def tick(self, *finding_ids: str) -> None:
        """Tick findings by id (see ``knowledge.findings``), as a resident clicking them would."""
        self._checked(finding_ids)
        for finding_id in finding_ids:
            self.checkboxes[finding_id].value = True

    def untick(self, *finding_ids: str) -> None:
        self._checked(finding_ids)
        for finding_id in finding_ids:
            self.checkboxes[finding_id].value = False

    def clear(self) -> None:
        """Untick every finding."""
        self._holding = True
        for checkbox in self.checkboxes.values():
            checkbox.value = False
        self._holding = False
        self.update()

    @property
    def ticked(self) -> tuple[str, ...]:
        return tuple(finding_id for finding_id, box in self.checkboxes.items() if box.value)

    def _on_tick(self, _change) -> None:
        if not self._holding:
            self.update()

    def update(self) -> None:
        """Re-rank from the ticked findings; redraw bars, reasons and summary in place."""
        self.ranking = rank_conditions(self.ticked, self.knowledge)
        for bar, ranked in zip(self.bars, self.ranking):
            bar.set_width(ranked.score)
            colour = "blue" if ranked.score > 0 else "vermillion" if ranked.score < 0 else "grey"
            bar.set_color(PALETTE[colour])
        self.axes.set_yticks(range(len(self.ranking)), [r.condition.short for r in self.ranking])
        low = min(-6, min(r.score for r in self.ranking) - 1)
        high = max(12, max(r.score for r in self.ranking) + 1)
        self.axes.set_xlim(low, high)
        self.figure.canvas.draw_idle()
        self.reasons.value = self._reasons_html()
        self.summary.value = f"<p><b>Summary:</b> {escape(self.summary_text)}</p>"

    def _reasons_html(self) -> str:
        if not self.ticked:
            return "<p>Tick findings to rank the differential.</p>"
        items = []
        for ranked in self.ranking[:REASONED_CONDITIONS]:
            pros = (
                "; ".join(
                    f"{escape(r.label)} (+{r.weight}) {cite(r.refs)}" for r in ranked.reasons_for
                )
                or "none"
            )
            cons = (
                "; ".join(
                    f"{escape(r.label)} (−{r.weight}) {cite(r.refs)}"
                    for r in ranked.reasons_against
                )
                or "none"
            )
            items.append(
                f"<li><b>{escape(ranked.name)}</b>, score {ranked.score}.<br>"
                f"For: {pros}.<br>Against: {cons}.</li>"
            )
        return "<ol>" + "".join(items) + "</ol>"

    @property
    def summary_text(self) -> str:
        """What the chart shows, in words (for screen readers and tests)."""
        if not self.ticked:
            return (
                f"No findings ticked: all {len(self.ranking)} conditions score 0. "
                "Tick findings to rank the differential."
            )
        labels = "; ".join(self.knowledge.findings[f].label for f in self.ticked)
        top = "; ".join(
            f"{i}. {r.name} (score {r.score})"
            for i, r in enumerate(self.ranking[:REASONED_CONDITIONS], start=1)
        )
        return (
            f"{len(self.ticked)} findings ticked ({labels}). Best matches: {top}. "
            f"The bar chart shows the score of all {len(self.ranking)} conditions, best first."
        )
