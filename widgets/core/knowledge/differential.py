"""Rank conditions from ticked findings with a transparent, explainable score.

The score of a condition is the sum of the weights of the ticked findings that
count for it minus the sum of the weights of those that count against it
(weights 1-3, set per condition in ``conditions.toml``). A ticked site finding
counts for every condition that lists its region among its sites: 2 if it is
the condition's hallmark site (``main_site``), otherwise 1. Ties go to the
condition with more supporting findings, then alphabetically.

This is a teaching device to make the reasoning visible, not a validated
diagnostic score: the weights are the course's reading of the sources.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from widgets.core.choices import UnknownChoiceError, unknown_choice
from widgets.core.knowledge.loader import load_knowledge
from widgets.core.knowledge.schema import Condition, Knowledge

HALLMARK_SITE_WEIGHT = 2
OTHER_SITE_WEIGHT = 1


@dataclass(frozen=True)
class Reason:
    """One ticked finding and what it adds to (or takes from) a condition's score."""

    finding: str
    label: str
    weight: int
    refs: tuple[int, ...]


@dataclass(frozen=True)
class RankedCondition:
    """A condition's place in the ranking, with every reason behind its score."""

    condition: Condition
    score: int
    reasons_for: tuple[Reason, ...]
    reasons_against: tuple[Reason, ...]

    @property
    def name(self) -> str:
        return self.condition.name


def _checked(findings: Iterable[str], knowledge: Knowledge) -> tuple[str, ...]:
    if isinstance(findings, str):
        raise TypeError(
            f"give the findings as a list of ids, e.g. [{findings!r}], not a single text"
        )
    ticked = tuple(dict.fromkeys(findings))
    for finding in ticked:
        if finding not in knowledge.findings:
            raise UnknownChoiceError(unknown_choice("finding id", finding, knowledge.findings))
    return ticked


def _site_reason(condition: Condition, finding) -> Reason | None:
    if finding.region not in condition.sites:
        return None
    hallmark = finding.region == condition.main_site
    label = f"{finding.label} (hallmark site)" if hallmark else f"{finding.label} (a typical site)"
    weight = HALLMARK_SITE_WEIGHT if hallmark else OTHER_SITE_WEIGHT
    return Reason(finding.id, label, weight, condition.site_refs)


def score_condition(
    condition: Condition, findings: Iterable[str], knowledge: Knowledge | None = None
) -> RankedCondition:
    """The score of one condition for the ticked ``findings`` (finding ids), with its reasons."""
    knowledge = knowledge or load_knowledge()
    ticked = _checked(findings, knowledge)
    reasons_for, reasons_against = [], []
    for_links = {link.finding: link for link in condition.counts_for}
    against_links = {link.finding: link for link in condition.counts_against}
    for finding_id in ticked:
        finding = knowledge.findings[finding_id]
        if finding.region is not None:
            reason = _site_reason(condition, finding)
            if reason:
                reasons_for.append(reason)
        elif finding_id in for_links:
            link = for_links[finding_id]
            reasons_for.append(Reason(finding_id, finding.label, link.weight, link.refs))
        elif finding_id in against_links:
            link = against_links[finding_id]
            reasons_against.append(Reason(finding_id, finding.label, link.weight, link.refs))
    score = sum(reason.weight for reason in reasons_for) - sum(
        reason.weight for reason in reasons_against
    )
    return RankedCondition(condition, score, tuple(reasons_for), tuple(reasons_against))


def rank_conditions(
    findings: Iterable[str], knowledge: Knowledge | None = None
) -> tuple[RankedCondition, ...]:
    """Every condition ranked for the ticked ``findings`` (finding ids), best first.

    >>> [r.name for r in rank_conditions(["site-frontal-hairline", "itch", "small-pustules"])][:1]
    ['acne necrotica miliaris']
    """
    knowledge = knowledge or load_knowledge()
    ticked = _checked(findings, knowledge)
    ranked = [
        score_condition(condition, ticked, knowledge) for condition in knowledge.conditions.values()
    ]
    return tuple(sorted(ranked, key=lambda r: (-r.score, -len(r.reasons_for), r.name)))
