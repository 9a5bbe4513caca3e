"""Practice cases drawn from the knowledge base, and the judging of answers to them.

A case is built from the data alone: a target condition is drawn, some of the
findings that count for it (and one of its sites) become the vignette, and the
differential score of :func:`widgets.core.knowledge.rank_conditions` decides the
best match and explains every option. For acne necrotica a treatment question
follows, explained by :func:`widgets.core.knowledge.plan_treatment`. Pure: the
same seed and number always give the same case. The score is a teaching device
that makes the reasoning visible, not a validated diagnostic score.
"""

import random
from dataclasses import dataclass
from numbers import Integral

from widgets.core.choices import normalise, unknown_choice
from widgets.core.citations import cite
from widgets.core.knowledge.differential import RankedCondition, rank_conditions
from widgets.core.knowledge.loader import load_knowledge
from widgets.core.knowledge.planner import Patient, plan_treatment
from widgets.core.knowledge.schema import FINDING_GROUPS, Condition, Knowledge

DIAGNOSIS_OPTIONS = 4
"""Conditions offered per case: the best match and three distractors."""

CLOSE_DISTRACTORS = 2
"""Distractors taken from the next best-ranked conditions; the rest are drawn at random."""

SUPPORTING_FINDINGS = (2, 5)
"""Fewest and most findings that count for the target, drawn into one vignette (plus a site)."""

MIN_MARGIN = 1
"""The best match must outscore the runner-up by at least this much, so the case has one answer."""

ATTEMPTS = 40
"""Random draws of findings tried before falling back to every supporting finding."""

HALLMARK_SITE_CHANCE = 0.6
"""How often a condition with a hallmark site shows it (otherwise another of its sites)."""

TREATMENT_OPTIONS = 4
FIRST_STEP = "first line"
DISTRACTOR_STATUSES = ("not yet", "not recommended")
"""Planner statuses of the wrong treatment options: later steps and options not found for AN."""

PRACTICE_PATIENT = Patient(age=40, severity="mild", prior_failure="none")
"""The patient the treatment question assumes; its prompt states the same in words."""

TREATMENT_PROMPT = (
    "Treatment: assume mild disease in an adult who is not pregnant and has tried nothing yet. "
    "Besides the general measures, which treatment is the usual first step?"
)
DIAGNOSIS_PROMPT = "Which diagnosis fits these findings best?"


@dataclass(frozen=True)
class CaseQuestion:
    """One single-choice question of a case, with why each option is right or wrong."""

    prompt: str
    options: tuple[str, ...]
    answer: str
    explanations: tuple[str, ...]
    """Plain text with [n] references, one per option, in the order of ``options``."""

    def explanation(self, option: str) -> str:
        return self.explanations[self.options.index(option)]


@dataclass(frozen=True)
class Case:
    """A practice case: the hidden target, the findings shown and the questions asked."""

    seed: int
    number: int
    target: str
    findings: tuple[str, ...]
    vignette: tuple[tuple[str, tuple[str, ...]], ...]
    """(heading, finding labels) in the order a resident meets them: patient, history, ..., biopsy."""
    ranking: tuple[RankedCondition, ...]
    questions: tuple[CaseQuestion, ...]

    @property
    def vignette_text(self) -> str:
        return " ".join(f"{heading}: {'; '.join(labels)}." for heading, labels in self.vignette)


@dataclass(frozen=True)
class Verdict:
    """The feedback on one answer; ``correct`` is None when the answer is not one of the options."""

    choice: str
    correct: bool | None
    text: str


def check_seed(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, Integral) or value < 0:
        raise ValueError(
            f"{name} should be a whole number 0 or larger, e.g. {name}=0; got {value!r}"
        )
    return int(value)


def case_order(seed: int = 0, knowledge: Knowledge | None = None) -> tuple[str, ...]:
    """The target conditions of cases 0, 1, 2, ... for ``seed``: every condition once per round."""
    seed = check_seed(seed, "seed")
    knowledge = knowledge or load_knowledge()
    return tuple(
        random.Random(f"case-order:{seed}").sample(
            list(knowledge.conditions), len(knowledge.conditions)
        )
    )


def draw_case(seed: int = 0, number: int = 0, knowledge: Knowledge | None = None) -> Case:
    """Case ``number`` of the deck for ``seed``: the same arguments always give the same case."""
    seed, number = check_seed(seed, "seed"), check_seed(number, "number")
    knowledge = knowledge or load_knowledge()
    order = case_order(seed, knowledge)
    target = knowledge.condition(order[number % len(order)])
    rng = random.Random(f"case:{seed}:{number}")
    findings, ranking = _case_findings(target, knowledge, rng)
    questions = [_diagnosis_question(ranking, rng)]
    if target.kind == "acne necrotica":
        questions.append(_treatment_question(target, knowledge, rng))
    return Case(
        seed,
        number,
        target.name,
        findings,
        _vignette(findings, knowledge),
        ranking,
        tuple(questions),
    )


def _site_findings(condition: Condition, knowledge: Knowledge) -> dict[str, str]:
    """Region -> site finding id, for the condition's sites that have a site finding."""
    by_region = {
        finding.region: finding.id for finding in knowledge.findings.values() if finding.region
    }
    return {region: by_region[region] for region in condition.sites if region in by_region}


def _is_clear_best(target: Condition, ranking: tuple[RankedCondition, ...]) -> bool:
    return ranking[0].name == target.name and ranking[0].score >= ranking[1].score + MIN_MARGIN


def _case_findings(target: Condition, knowledge: Knowledge, rng: random.Random):
    """Findings that count for ``target`` (plus one of its sites) for which it is the clear best match."""
    supporting = [link.finding for link in target.counts_for]
    sites = _site_findings(target, knowledge)
    fewest, most = (
        min(SUPPORTING_FINDINGS[0], len(supporting)),
        min(SUPPORTING_FINDINGS[1], len(supporting)),
    )
    for _ in range(ATTEMPTS):
        chosen = rng.sample(supporting, rng.randint(fewest, most))
        hallmark = target.main_site in sites and rng.random() < HALLMARK_SITE_CHANCE
        region = target.main_site if hallmark else rng.choice(sorted(sites))
        findings = _in_data_order(chosen + [sites[region]], knowledge)
        ranking = rank_conditions(findings, knowledge)
        if _is_clear_best(target, ranking):
            return findings, ranking
    region = target.main_site if target.main_site in sites else sorted(sites)[0]
    findings = _in_data_order(supporting + [sites[region]], knowledge)
    ranking = rank_conditions(findings, knowledge)
    if not _is_clear_best(target, ranking):
        raise ValueError(
            f"the knowledge data cannot make {target.name!r} the clear best match of a case: "
            "check its counts_for findings in conditions.toml"
        )
    return findings, ranking


def _in_data_order(finding_ids, knowledge: Knowledge) -> tuple[str, ...]:
    """Findings grouped as a resident meets them (patient first, biopsy last), in data-file order."""
    position = {finding_id: index for index, finding_id in enumerate(knowledge.findings)}
    group = {name: index for index, name in enumerate(FINDING_GROUPS)}
    unique = dict.fromkeys(finding_ids)
    return tuple(sorted(unique, key=lambda f: (group[knowledge.findings[f].group], position[f])))


def _vignette(
    findings: tuple[str, ...], knowledge: Knowledge
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    sections = []
    for group in FINDING_GROUPS:
        labels = tuple(
            knowledge.findings[f].label for f in findings if knowledge.findings[f].group == group
        )
        if labels:
            sections.append((group.capitalize(), labels))
    return tuple(sections)


def _reasons(ranked: RankedCondition) -> str:
    pros = (
        "; ".join(f"{r.label} (+{r.weight}) {cite(r.refs)}" for r in ranked.reasons_for) or "none"
    )
    cons = (
        "; ".join(f"{r.label} (−{r.weight}) {cite(r.refs)}" for r in ranked.reasons_against)
        or "none"
    )
    return f"For: {pros}. Against: {cons}."


def _picture(condition: Condition) -> str:
    return (
        f"Typical picture of {condition.name}: {condition.clinical} {cite(condition.clinical_refs)}"
    )


def _diagnosis_question(ranking: tuple[RankedCondition, ...], rng: random.Random) -> CaseQuestion:
    best, others = ranking[0], list(ranking[1:])
    close = others[:CLOSE_DISTRACTORS]
    drawn = rng.sample(others[CLOSE_DISTRACTORS:], DIAGNOSIS_OPTIONS - 1 - len(close))
    offered = [best, *close, *drawn]
    rng.shuffle(offered)
    explanations = []
    for ranked in offered:
        if ranked is best:
            text = (
                f"{best.name} scores {best.score}, the highest of all conditions for these findings. "
                f"{_reasons(best)} {_picture(best.condition)}"
            )
        else:
            text = (
                f"{ranked.name} scores {ranked.score}, against {best.score} for the best match, "
                f"{best.name}. {ranked.name}: {_reasons(ranked)} {best.name}: {_reasons(best)} "
                f"{_picture(ranked.condition)}"
            )
        explanations.append(text)
    return CaseQuestion(
        DIAGNOSIS_PROMPT, tuple(r.name for r in offered), best.name, tuple(explanations)
    )


def _treatment_question(
    target: Condition, knowledge: Knowledge, rng: random.Random
) -> CaseQuestion:
    plan = plan_treatment(PRACTICE_PATIENT, knowledge)
    first = [o for o in plan.options if o.treatment.step == FIRST_STEP and o.status == "suggested"]
    later = [o for o in plan.options if o.status in DISTRACTOR_STATUSES]
    right = rng.choice(first)
    offered = [right, *rng.sample(later, TREATMENT_OPTIONS - 1)]
    rng.shuffle(offered)
    explanations = []
    for option in offered:
        treatment = option.treatment
        text = (
            f"{treatment.name}: {option.reason} {treatment.action} {cite(treatment.action_refs)} "
            f"Evidence: {treatment.evidence} ({treatment.evidence_note}) {cite(treatment.evidence_refs)}"
        )
        if option is right:
            text += (
                f" Management of {target.name}: {target.management} {cite(target.management_refs)}"
            )
        explanations.append(" ".join(text.split()))
    return CaseQuestion(
        TREATMENT_PROMPT,
        tuple(o.treatment.name for o in offered),
        right.treatment.name,
        tuple(explanations),
    )


def judge(question: CaseQuestion, choice: object) -> Verdict:
    """Feedback on ``choice`` (an option's text, any case and spacing) for ``question``.

    An answer that is not one of the options is not judged: its verdict lists the
    valid options and suggests the closest one.
    """
    by_key = {normalise(option): option for option in question.options}
    option = by_key.get(normalise(choice)) if isinstance(choice, str) else None
    if option is None:
        valid = unknown_choice("option", choice, question.options)
        return Verdict(str(choice), None, f"Not one of this question's options: {valid}.")
    if option == question.answer:
        return Verdict(option, True, f"Right. {question.explanation(option)}")
    return Verdict(option, False, f"Not the best answer. {question.explanation(option)}")
