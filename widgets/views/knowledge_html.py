"""Render knowledge as HTML for lessons: article-vs-evidence boxes and comparison tables.

Each function returns an ``IPython.display.HTML`` object, so one line in a lesson
cell shows it, and the text of a box always matches the data.
"""

from collections.abc import Iterable
from html import escape

from IPython.display import HTML

from widgets.core.citations import cite
from widgets.core.knowledge.loader import load_knowledge
from widgets.core.knowledge.schema import VERDICTS, Claim, Knowledge

VERDICT_COLOURS = {"S": "#009E73", "P": "#E69F00", "U": "#999999", "W": "#D55E00"}
"""Okabe-Ito colours per verdict; the verdict is always written out too, never colour alone."""

_TABLE = 'style="border-collapse:collapse; font-size:0.92em; text-align:left; vertical-align:top"'
_CELL = 'style="border:1px solid #ccc; padding:4px 6px; text-align:left; vertical-align:top"'


def _with_refs(text: str, refs: Iterable[int]) -> str:
    reference = cite(refs)
    return escape(text) + (f" {reference}" if reference else "")


def _claim_block(claim: Claim) -> str:
    colour = VERDICT_COLOURS[claim.verdict]
    return (
        f'<div style="border-left:6px solid {colour}; padding:4px 10px; margin:6px 0">'
        f"<b>Claim {claim.number}. The article says:</b> “{escape(claim.claim)}”<br>"
        f"<b>What the sources say:</b> {_with_refs(claim.evidence, claim.refs)}<br>"
        f'<b>Verdict:</b> <span style="color:{colour}; font-weight:bold">{claim.verdict}</span> '
        f"({escape(claim.verdict_label)})</div>"
    )


def article_vs_evidence(
    *numbers: int, grouped: bool = False, knowledge: Knowledge | None = None
) -> HTML:
    """An 'Article vs evidence' box for the source article's claims ``numbers``.

    With ``grouped=True`` the claims are sorted under their verdicts (supported first),
    e.g. to sort the article's lifestyle advice into supported and unsupported.
    """
    knowledge = knowledge or load_knowledge()
    if not numbers:
        raise ValueError("name at least one claim number, e.g. article_vs_evidence(3, 14, 28)")
    claims = [knowledge.claim(number) for number in numbers]
    parts = [
        '<div style="border:1px solid #999; border-radius:6px; padding:8px 12px; margin:8px 0">',
        "<b>Article vs evidence</b>",
    ]
    if grouped:
        for code, label in VERDICTS.items():
            group = [claim for claim in claims if claim.verdict == code]
            if group:
                parts.append(f"<div style='margin-top:6px'><b>{escape(label)}</b></div>")
                parts.extend(_claim_block(claim) for claim in group)
    else:
        parts.extend(_claim_block(claim) for claim in claims)
    parts.append("</div>")
    return HTML("".join(parts))


BIG_ERRORS: tuple[int, ...] = (3, 6, 14, 22, 28)
"""The source article's five biggest errors (medical brief, bottom line): scarring alopecia in
the miliaris form, sweat glands, a vertex/occiput distribution, TNF-alpha/IL-1 beta data and a
neutrophil-dominant histology.  Lessons show these inline where the topic is taught."""


def article_panel(*numbers: int, knowledge: Knowledge | None = None) -> HTML:
    """One collapsed "The article vs the evidence" panel for a lesson's other claims ``numbers``.

    The panel is an HTML ``<details>`` element: closed until the learner opens it, and
    readable without a kernel.  The five big errors belong inline, not here.
    """
    knowledge = knowledge or load_knowledge()
    if not numbers:
        raise ValueError("name at least one claim number, e.g. article_panel(1, 2, 4)")
    big = sorted(set(numbers) & set(BIG_ERRORS))
    if big:
        raise ValueError(
            f"claim(s) {big} are among the article's five big errors {BIG_ERRORS}: show them "
            "inline with article_vs_evidence(...) where the topic is taught"
        )
    claims = [knowledge.claim(number) for number in numbers]
    counts = ", ".join(
        f"{sum(claim.verdict == code for claim in claims)} {label.lower()}"
        for code, label in VERDICTS.items()
        if any(claim.verdict == code for claim in claims)
    )
    return HTML(
        '<details style="border:1px solid #999; border-radius:6px; padding:6px 12px; margin:8px 0">'
        f"<summary><b>The article vs the evidence</b>: {len(claims)} more of the source article's "
        f"claims on this lesson's topics, checked against the sources ({counts}). "
        "Open to read them.</summary>"
        + "".join(_claim_block(claim) for claim in claims)
        + "</details>"
    )


def _table(header: list[str], rows: list[list[str]]) -> HTML:
    head = "".join(f"<th {_CELL}>{escape(cell)}</th>" for cell in header)
    body = "".join(
        "<tr>" + "".join(f"<td {_CELL}>{cell}</td>" for cell in row) + "</tr>" for row in rows
    )
    return HTML(f"<table {_TABLE}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")


def differentials_table(
    names: Iterable[str] | None = None, knowledge: Knowledge | None = None
) -> HTML:
    """Acne necrotica and its differentials side by side: clinical clues, histology, sites."""
    knowledge = knowledge or load_knowledge()
    conditions = (
        [knowledge.condition(name) for name in names]
        if names is not None
        else list(knowledge.conditions.values())
    )
    rows = []
    for condition in conditions:
        sites = ", ".join(condition.sites)
        if condition.main_site:
            sites = f"mainly {condition.main_site}; " + sites
        if condition.site_note:
            sites += f". {condition.site_note}"
        rows.append(
            [
                f"<b>{escape(condition.name)}</b>",
                _with_refs(condition.clinical, condition.clinical_refs),
                _with_refs(condition.histology, condition.histology_refs),
                _with_refs(sites, condition.site_refs),
            ]
        )
    return _table(["Condition", "Clinical clues", "Histology", "Typical sites"], rows)


def treatment_table(ids: Iterable[str] | None = None, knowledge: Knowledge | None = None) -> HTML:
    """The treatment comparison done right: action, dose as sourced, evidence and safety."""
    knowledge = knowledge or load_knowledge()
    treatments = (
        [knowledge.treatment(tid) for tid in ids]
        if ids is not None
        else list(knowledge.treatments.values())
    )
    rows = []
    for treatment in treatments:
        side_effects = "; ".join(treatment.side_effects) or "None listed in the course sources"
        contraindications = "<br>".join(
            _with_refs(rule.text, rule.refs) for rule in treatment.contraindications
        )
        never = [
            _with_refs(rule.text, rule.refs) for rule in knowledge.interactions_for(treatment.id)
        ]
        monitoring = "; ".join(treatment.monitoring) or "None specific"
        rows.append(
            [
                f"<b>{escape(treatment.name)}</b>",
                _with_refs(treatment.action, treatment.action_refs),
                _with_refs(treatment.dose, treatment.dose_refs),
                _with_refs(
                    f"{treatment.evidence}: {treatment.evidence_note}", treatment.evidence_refs
                ),
                _with_refs(side_effects, treatment.side_effect_refs),
                "<br>".join([contraindications, *never]),
                _with_refs(monitoring, treatment.monitoring_refs),
            ]
        )
    return _table(
        [
            "Treatment",
            "What it does",
            "Dose in the sources",
            "Evidence",
            "Side effects",
            "Contraindications",
            "Monitoring",
        ],
        rows,
    )
