"""Practice cases in stages, drawn from the knowledge base, and the judging of answers to them.

A case unfolds as a resident meets a patient: **history**, then **examination**,
then **biopsy or swab**, then **management**, with a question at each stage.
It is built from the data alone: a target condition is drawn; findings that
count for it (and one of its sites), one that counts against its closest rival
and sometimes a weak one that counts against the target itself make up the
case; each finding appears at the stage of its group.  A case is one coherent
patient: no two of its findings exclude each other (one age, one sex, one biopsy
pattern: ``[[exclusive]]`` in findings.toml), and the weak contrary finding is
never the hallmark of another condition (pitted scars do not make a miliaris case).  At the first three
stages the learner names the leading diagnosis on what is known so far (the
differential score of :func:`widgets.core.knowledge.rank_conditions` decides,
ties accepting every leader); the feedback names the stage's findings that
should have moved them, with their weights for and against each option.  The
last stage asks for management: the usual first step for acne necrotica
(explained by :func:`widgets.core.knowledge.plan_treatment`), the condition's
management for the others.  Pure: the same seed and number always give the same
case.  The score is a teaching device that makes the reasoning visible, not a
validated diagnostic score.
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
"""Fewest and most findings that count for the target, drawn into one case (plus a site)."""

MIN_MARGIN = 1
"""The best match must outscore the runner-up by at least this much, so the case has one answer."""

ATTEMPTS = 60
"""Random draws of findings tried before falling back to every supporting finding."""

HALLMARK_SITE_CHANCE = 0.6
"""How often a condition with a hallmark site shows it (otherwise another of its sites)."""

CONTRARY_CHANCE = 0.5
"""How often a case also shows a weak finding (weight 1) that counts against its target."""

STAGES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("history", ("patient", "history", "symptom")),
    ("examination", ("site", "lesion", "hair and scars")),
    ("biopsy or swab", ("biopsy and tests",)),
    ("management", ()),
)
"""The stages of a case, in order, and the finding groups each one reveals."""
STAGE_NAMES = tuple(name for name, _ in STAGES)
_STAGE_OF_GROUP = {group: name for name, groups in STAGES for group in groups}
assert set(_STAGE_OF_GROUP) == set(FINDING_GROUPS), "every finding group belongs to a stage"

TREATMENT_OPTIONS = 4
FIRST_STEP = "first line"
DISTRACTOR_STATUSES = ("not yet", "not recommended")
"""Planner statuses of the wrong treatment options: later steps and options not found for AN."""

PRACTICE_PATIENT = Patient(age=40, severity="mild", prior_failure="none")
"""The patient the treatment question assumes; its prompt states the same in words."""

TREATMENT_PROMPT = (
    "Management: assume mild disease in an adult who is not pregnant and has tried nothing yet. "
    "Besides the general measures, which treatment is the usual first step?"
)
MANAGEMENT_PROMPT = "Management: which plan fits the diagnosis you have reached?"
DIAGNOSIS_PROMPT = "Which diagnosis fits these findings best?"
STAGE_PROMPTS = {
    "history": "From the history alone, which diagnosis leads?",
    "examination": "After the examination, which diagnosis leads now?",
    "biopsy or swab": "With the biopsy or swab result, which diagnosis fits best?",
}


@dataclass(frozen=True)
class CaseQuestion:
    """One single-choice question of a case, with why each option is right or wrong.

    ``answer`` is the best option; ``accepted`` lists every option judged right
    (several when the findings so far leave the leaders tied).
    """

    prompt: str
    options: tuple[str, ...]
    answer: str
    explanations: tuple[str, ...]
    """Plain text with [n] references, one per option, in the order of ``options``."""
    accepted: tuple[str, ...] = ()

    def explanation(self, option: str) -> str:
        return self.explanations[self.options.index(option)]

    def is_right(self, option: str) -> bool:
        return option == self.answer or option in self.accepted


@dataclass(frozen=True)
class CaseStage:
    """One stage of a case: what it reveals, its question and what should have moved the learner."""

    name: str
    findings: tuple[str, ...]
    """Finding ids revealed at this stage."""
    sections: tuple[tuple[str, tuple[str, ...]], ...]
    """(group heading, finding labels) revealed at this stage."""
    question: CaseQuestion
    moved_by: str
    """The stage's findings and their weights for and against each offered diagnosis."""

    @property
    def title(self) -> str:
        return self.name.capitalize()


@dataclass(frozen=True)
class Case:
    """A practice case: the hidden target, the findings shown and the stages that reveal them."""

    seed: int
    number: int
    target: str
    findings: tuple[str, ...]
    vignette: tuple[tuple[str, tuple[str, ...]], ...]
    """(heading, finding labels) in the order a resident meets them: patient, history, ..., biopsy."""
    ranking: tuple[RankedCondition, ...]
    stages: tuple[CaseStage, ...]

    @property
    def questions(self) -> tuple[CaseQuestion, ...]:
        """One question per stage, in order."""
        return tuple(stage.question for stage in self.stages)

    @property
    def diagnosis_options(self) -> tuple[str, ...]:
        return self.stages[0].question.options

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
    options = _diagnosis_options(ranking, rng)
    stages = []
    for name, groups in STAGES[:-1]:
        revealed = tuple(f for f in findings if knowledge.findings[f].group in groups)
        known = tuple(f for f in findings if _stage_index(knowledge, f) <= STAGE_NAMES.index(name))
        stages.append(_diagnosis_stage(name, revealed, known, options, knowledge))
    management = (
        _treatment_question(target, knowledge, rng)
        if target.kind == "acne necrotica"
        else _management_question(target, options, knowledge, rng)
    )
    stages.append(CaseStage("management", (), (), management, _management_note(target)))
    return Case(
        seed,
        number,
        target.name,
        findings,
        _sections(findings, knowledge),
        ranking,
        tuple(stages),
    )


def _stage_index(knowledge: Knowledge, finding_id: str) -> int:
    return STAGE_NAMES.index(_STAGE_OF_GROUP[knowledge.findings[finding_id].group])


def _site_findings(condition: Condition, knowledge: Knowledge) -> dict[str, str]:
    """Region -> site finding id, for the condition's sites that have a site finding."""
    by_region = {
        finding.region: finding.id for finding in knowledge.findings.values() if finding.region
    }
    return {region: by_region[region] for region in condition.sites if region in by_region}


def _is_clear_best(target: Condition, ranking: tuple[RankedCondition, ...]) -> bool:
    return ranking[0].name == target.name and ranking[0].score >= ranking[1].score + MIN_MARGIN


def _barred(target: Condition, knowledge: Knowledge) -> set[str]:
    """Findings a case may not add as evidence against a rival: those against the target and
    those that count for any other condition (they would point somewhere else)."""
    barred = {link.finding for link in target.counts_against}
    for condition in knowledge.conditions.values():
        if condition.name != target.name:
            barred |= {link.finding for link in condition.counts_for}
    return barred


def _fits(finding_id: str, findings, knowledge: Knowledge) -> bool:
    """Whether one patient can show ``finding_id`` beside ``findings``."""
    return not knowledge.findings[finding_id].excludes & set(findings)


def _against_rival(target: Condition, ranking, drawn, knowledge: Knowledge, rng: random.Random):
    """A finding that counts against the closest rival, for no other condition, not against
    the target, and possible beside the findings already drawn."""
    rival = ranking[1].condition if ranking[0].name == target.name else ranking[0].condition
    barred = _barred(target, knowledge)
    candidates = [
        link.finding
        for link in rival.counts_against
        if link.finding not in barred and _fits(link.finding, drawn, knowledge)
    ]
    return rng.choice(candidates) if candidates else None


def _hallmarks(knowledge: Knowledge, but: Condition) -> set[str]:
    """Findings that are the hallmark (weight 3) of a condition other than ``but``."""
    return {
        link.finding
        for condition in knowledge.conditions.values()
        if condition.name != but.name
        for link in condition.counts_for
        if link.weight == 3
    }


def _against_target(target: Condition, drawn, knowledge: Knowledge, rng: random.Random):
    """Sometimes one weak finding that counts against the target (the learner must weigh it);
    never another condition's hallmark, and never one the patient cannot show."""
    hallmarks = _hallmarks(knowledge, target)
    weak = [
        link.finding
        for link in target.counts_against
        if link.weight == 1
        and link.finding not in hallmarks
        and _fits(link.finding, drawn, knowledge)
    ]
    return rng.choice(weak) if weak and rng.random() < CONTRARY_CHANCE else None


def _fill_stage(findings, groups, target: Condition, knowledge: Knowledge, rng: random.Random):
    """Give a stage with nothing to show one finding of its groups: one that counts for the
    target, else one that counts against a close rival (and not against the target)."""
    if any(knowledge.findings[f].group in groups for f in findings):
        return findings
    in_groups = lambda ids: sorted(f for f in ids if knowledge.findings[f].group in groups)  # noqa: E731
    fitting = lambda ids: [f for f in ids if _fits(f, findings, knowledge)]  # noqa: E731
    supporting = fitting(in_groups(link.finding for link in target.counts_for))
    if supporting:
        return _in_data_order((*findings, rng.choice(supporting)), knowledge)
    ranking = rank_conditions(findings, knowledge)
    rivals = [r.condition for r in ranking[: 1 + CLOSE_DISTRACTORS] if r.name != target.name]
    barred = _barred(target, knowledge)
    against = fitting(
        in_groups(
            link.finding
            for rival in rivals
            for link in rival.counts_against
            if link.finding not in barred
        )
    )
    if against:
        return _in_data_order((*findings, rng.choice(against)), knowledge)
    return findings


def _case_findings(target: Condition, knowledge: Knowledge, rng: random.Random):
    """Findings for ``target`` (plus a site), against its rival and maybe against it, with the
    target the clear best match of them all."""
    supporting = [link.finding for link in target.counts_for]
    sites = _site_findings(target, knowledge)
    fewest, most = (
        min(SUPPORTING_FINDINGS[0], len(supporting)),
        min(SUPPORTING_FINDINGS[1], len(supporting)),
    )
    for _ in range(ATTEMPTS):
        chosen = rng.sample(supporting, rng.randint(fewest, most))
        hallmark = target.main_site in sites and rng.random() < HALLMARK_SITE_CHANCE
        region = target.main_site if hallmark and target.main_site else rng.choice(sorted(sites))
        drawn = chosen + [sites[region]]
        if not knowledge.coherent(drawn):
            continue
        rival_finding = _against_rival(
            target, rank_conditions(drawn, knowledge), drawn, knowledge, rng
        )
        drawn += [rival_finding] if rival_finding else []
        contrary = _against_target(target, drawn, knowledge, rng)
        findings = _in_data_order(drawn + ([contrary] if contrary else []), knowledge)
        for _, groups in STAGES[:-1]:
            findings = _fill_stage(findings, groups, target, knowledge, rng)
        ranking = rank_conditions(findings, knowledge)
        if _is_clear_best(target, ranking) and knowledge.coherent(findings):
            return findings, ranking
    region = target.main_site if target.main_site in sites else sorted(sites)[0]
    coherent: list[str] = [sites[region]]
    for link in sorted(target.counts_for, key=lambda link: -link.weight):
        if _fits(link.finding, coherent, knowledge):
            coherent.append(link.finding)
    findings = _in_data_order(coherent, knowledge)
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


def _sections(
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


def _diagnosis_options(ranking: tuple[RankedCondition, ...], rng: random.Random) -> tuple[str, ...]:
    """The best match, its closest rivals and a random distractor, shuffled."""
    best, others = ranking[0], list(ranking[1:])
    close = others[:CLOSE_DISTRACTORS]
    drawn = rng.sample(others[CLOSE_DISTRACTORS:], DIAGNOSIS_OPTIONS - 1 - len(close))
    offered = [best.name, *(r.name for r in close), *(r.name for r in drawn)]
    rng.shuffle(offered)
    return tuple(offered)


def _moved_by(revealed: tuple[str, ...], options: tuple[str, ...], knowledge: Knowledge) -> str:
    """Each revealed finding with the options it counts for (+) and against (−)."""
    if not revealed:
        return "Nothing at this stage counts for or against any of the options."
    parts = []
    for finding_id in revealed:
        effects = []
        for name in options:
            ranked = rank_conditions([finding_id], knowledge)
            score = next(r for r in ranked if r.name == name)
            for reason in score.reasons_for:
                effects.append(f"+{reason.weight} {score.condition.short} {cite(reason.refs)}")
            for reason in score.reasons_against:
                effects.append(f"−{reason.weight} {score.condition.short} {cite(reason.refs)}")
        label = knowledge.findings[finding_id].label
        parts.append(f"{label}: {', '.join(effects) if effects else 'no weight for these options'}")
    return "What should have moved you: " + "; ".join(parts) + "."


def _diagnosis_stage(
    name: str,
    revealed: tuple[str, ...],
    known: tuple[str, ...],
    options: tuple[str, ...],
    knowledge: Knowledge,
) -> CaseStage:
    scores = {r.name: r for r in rank_conditions(known, knowledge) if r.name in options}
    top = max(scores[option].score for option in options)
    leaders = tuple(option for option in options if scores[option].score == top)
    best = max(leaders, key=lambda option: (len(scores[option].reasons_for), option))
    final = name == STAGE_NAMES[2]
    tie = (
        ""
        if len(leaders) == 1
        else f" The findings so far leave {', '.join(leaders)} tied at {top}: keep them all in mind."
    )
    explanations = []
    for option in options:
        ranked = scores[option]
        standing = (
            f"{option} leads with {ranked.score}."
            if option in leaders
            else f"{option} scores {ranked.score}, against {top} for the leader, {best}."
        )
        text = f"{standing}{tie} {option}: {_reasons(ranked)}"
        if final:
            text += f" {_picture(ranked.condition)}"
        explanations.append(text)
    question = CaseQuestion(
        STAGE_PROMPTS[name], options, best, tuple(explanations), accepted=leaders
    )
    return CaseStage(
        name,
        revealed,
        _sections(revealed, knowledge),
        question,
        _moved_by(revealed, options, knowledge),
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


def _plan_text(condition: Condition) -> str:
    """A condition's management without its closing evidence note (the options stay short)."""
    return condition.management.split(" Evidence:")[0]


NO_AN_PLAN = "Do not start it: manage the condition the findings point to, from its own sources"
AN_PLAN_ANYWAY = "Start it anyway: the scalp is inflamed, so the acne necrotica plan will do"
OTHER_TARGET_PROMPT = (
    "Management: a colleague proposes the acne necrotica plan (a topical antibiotic and a mild "
    "steroid first, then an oral tetracycline). What do you do?"
)


def _management_question(
    target: Condition, options: tuple[str, ...], knowledge: Knowledge, rng: random.Random
) -> CaseQuestion:
    """The target's management among those of other conditions; without management in the
    data, whether to treat it as acne necrotica."""
    if not target.management:
        reasons = (
            f"The findings point to {target.name}, not acne necrotica; treating the wrong "
            "diagnosis delays the right one. The course's sources do not give its management: "
            f"look it up in a source on {target.name}.",
            f"The findings point to {target.name}, not acne necrotica, and the plan is the one "
            f"the course's sources give for acne necrotica {cite(knowledge.condition('acne necrotica miliaris').management_refs)}.",
        )
        return CaseQuestion(OTHER_TARGET_PROMPT, (NO_AN_PLAN, AN_PLAN_ANYWAY), NO_AN_PLAN, reasons)
    others = [
        knowledge.condition(name)
        for name in (*options, *knowledge.conditions)
        if name != target.name
    ]
    seen, distractors = {_plan_text(target)}, []
    for condition in others:
        plan = _plan_text(condition)
        if condition.management and plan not in seen and not plan.startswith("As for"):
            seen.add(plan)
            distractors.append(condition)
    offered = [target, *distractors[: DIAGNOSIS_OPTIONS - 1]]
    rng.shuffle(offered)
    explanations = []
    for condition in offered:
        verdict = (
            f"This is the management of {condition.name}, the diagnosis the findings point to."
            if condition is target
            else f"This is the management of {condition.name}, not of {target.name}."
        )
        explanations.append(
            f"{verdict} {condition.name}: {condition.management} {cite(condition.management_refs)}"
        )
    return CaseQuestion(
        MANAGEMENT_PROMPT,
        tuple(_plan_text(condition) for condition in offered),
        _plan_text(target),
        tuple(explanations),
    )


def _management_note(target: Condition) -> str:
    if not target.management:
        return (
            f"The findings point to {target.name}; the course's sources do not give its management."
        )
    return (
        f"The findings point to {target.name}. Its management in the sources: "
        f"{target.management} {cite(target.management_refs)}"
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
    if question.is_right(option):
        return Verdict(option, True, f"Right. {question.explanation(option)}")
    return Verdict(option, False, f"Not the best answer. {question.explanation(option)}")
