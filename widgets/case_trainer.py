"""CaseTrainer: practice cases drawn from the knowledge base, with instant explained feedback.

Practice mode for self-learners (works on Binder, no nbgrader needed). A case is
built from the data alone: a target condition is drawn, some of the findings that
count for it (and one of its sites) become the vignette, and the differential
score of :func:`widgets.knowledge.rank_conditions` decides the best match and
explains every option. For acne necrotica the trainer then asks for the first
treatment step, explained by :func:`widgets.knowledge.plan_treatment`.

Case generation (:func:`draw_case`, :func:`judge`) is pure and needs no widget;
:class:`CaseTrainer` is a thin view over it. The score is a teaching device that
makes the reasoning visible, not a validated diagnostic score.
"""

import random
from dataclasses import dataclass
from html import escape
from numbers import Integral

import ipywidgets as W

from widgets.figures import FONT_SIZE, PALETTE, freeze_layout, live_figure
from widgets.knowledge import Knowledge, Patient, RankedCondition, cite, load_knowledge, plan_treatment, rank_conditions
from widgets.choices import normalise, unknown_choice
from widgets.knowledge.schema import FINDING_GROUPS, Condition

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

TREATMENT_PROMPT = ("Treatment: assume mild disease in an adult who is not pregnant and has tried nothing yet. "
                    "Besides the general measures, which treatment is the usual first step?")
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


def _check_seed(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, Integral) or value < 0:
        raise ValueError(f"{name} should be a whole number 0 or larger, e.g. {name}=0; got {value!r}")
    return int(value)


def case_order(seed: int = 0, knowledge: Knowledge | None = None) -> tuple[str, ...]:
    """The target conditions of cases 0, 1, 2, ... for ``seed``: every condition once per round."""
    seed = _check_seed(seed, "seed")
    knowledge = knowledge or load_knowledge()
    return tuple(random.Random(f"case-order:{seed}").sample(list(knowledge.conditions), len(knowledge.conditions)))


def draw_case(seed: int = 0, number: int = 0, knowledge: Knowledge | None = None) -> Case:
    """Case ``number`` of the deck for ``seed``: the same arguments always give the same case."""
    seed, number = _check_seed(seed, "seed"), _check_seed(number, "number")
    knowledge = knowledge or load_knowledge()
    order = case_order(seed, knowledge)
    target = knowledge.condition(order[number % len(order)])
    rng = random.Random(f"case:{seed}:{number}")
    findings, ranking = _case_findings(target, knowledge, rng)
    questions = [_diagnosis_question(ranking, rng)]
    if target.kind == "acne necrotica":
        questions.append(_treatment_question(target, knowledge, rng))
    return Case(seed, number, target.name, findings, _vignette(findings, knowledge), ranking, tuple(questions))


def _site_findings(condition: Condition, knowledge: Knowledge) -> dict[str, str]:
    """Region -> site finding id, for the condition's sites that have a site finding."""
    by_region = {finding.region: finding.id for finding in knowledge.findings.values() if finding.region}
    return {region: by_region[region] for region in condition.sites if region in by_region}


def _is_clear_best(target: Condition, ranking: tuple[RankedCondition, ...]) -> bool:
    return ranking[0].name == target.name and ranking[0].score >= ranking[1].score + MIN_MARGIN


def _case_findings(target: Condition, knowledge: Knowledge, rng: random.Random):
    """Findings that count for ``target`` (plus one of its sites) for which it is the clear best match."""
    supporting = [link.finding for link in target.counts_for]
    sites = _site_findings(target, knowledge)
    fewest, most = min(SUPPORTING_FINDINGS[0], len(supporting)), min(SUPPORTING_FINDINGS[1], len(supporting))
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
        raise ValueError(f"the knowledge data cannot make {target.name!r} the clear best match of a case: "
                         "check its counts_for findings in conditions.toml")
    return findings, ranking


def _in_data_order(finding_ids, knowledge: Knowledge) -> tuple[str, ...]:
    """Findings grouped as a resident meets them (patient first, biopsy last), in data-file order."""
    position = {finding_id: index for index, finding_id in enumerate(knowledge.findings)}
    group = {name: index for index, name in enumerate(FINDING_GROUPS)}
    unique = dict.fromkeys(finding_ids)
    return tuple(sorted(unique, key=lambda f: (group[knowledge.findings[f].group], position[f])))


def _vignette(findings: tuple[str, ...], knowledge: Knowledge) -> tuple[tuple[str, tuple[str, ...]], ...]:
    sections = []
    for group in FINDING_GROUPS:
        labels = tuple(knowledge.findings[f].label for f in findings if knowledge.findings[f].group == group)
        if labels:
            sections.append((group.capitalize(), labels))
    return tuple(sections)


def _reasons(ranked: RankedCondition) -> str:
    pros = "; ".join(f"{r.label} (+{r.weight}) {cite(r.refs)}" for r in ranked.reasons_for) or "none"
    cons = "; ".join(f"{r.label} (−{r.weight}) {cite(r.refs)}" for r in ranked.reasons_against) or "none"
    return f"For: {pros}. Against: {cons}."


def _picture(condition: Condition) -> str:
    return f"Typical picture of {condition.name}: {condition.clinical} {cite(condition.clinical_refs)}"


def _diagnosis_question(ranking: tuple[RankedCondition, ...], rng: random.Random) -> CaseQuestion:
    best, others = ranking[0], list(ranking[1:])
    close = others[:CLOSE_DISTRACTORS]
    drawn = rng.sample(others[CLOSE_DISTRACTORS:], DIAGNOSIS_OPTIONS - 1 - len(close))
    offered = [best, *close, *drawn]
    rng.shuffle(offered)
    explanations = []
    for ranked in offered:
        if ranked is best:
            text = (f"{best.name} scores {best.score}, the highest of all conditions for these findings. "
                    f"{_reasons(best)} {_picture(best.condition)}")
        else:
            text = (f"{ranked.name} scores {ranked.score}, against {best.score} for the best match, "
                    f"{best.name}. {ranked.name}: {_reasons(ranked)} {best.name}: {_reasons(best)} "
                    f"{_picture(ranked.condition)}")
        explanations.append(text)
    return CaseQuestion(DIAGNOSIS_PROMPT, tuple(r.name for r in offered), best.name, tuple(explanations))


def _treatment_question(target: Condition, knowledge: Knowledge, rng: random.Random) -> CaseQuestion:
    plan = plan_treatment(PRACTICE_PATIENT, knowledge)
    first = [o for o in plan.options if o.treatment.step == FIRST_STEP and o.status == "suggested"]
    later = [o for o in plan.options if o.status in DISTRACTOR_STATUSES]
    right = rng.choice(first)
    offered = [right, *rng.sample(later, TREATMENT_OPTIONS - 1)]
    rng.shuffle(offered)
    explanations = []
    for option in offered:
        treatment = option.treatment
        text = (f"{treatment.name}: {option.reason} {treatment.action} {cite(treatment.action_refs)} "
                f"Evidence: {treatment.evidence} ({treatment.evidence_note}) {cite(treatment.evidence_refs)}")
        if option is right:
            text += f" Management of {target.name}: {target.management} {cite(target.management_refs)}"
        explanations.append(" ".join(text.split()))
    return CaseQuestion(TREATMENT_PROMPT, tuple(o.treatment.name for o in offered), right.treatment.name,
                        tuple(explanations))


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


class CaseTrainer(W.VBox):
    """A practice case, its questions with instant feedback, a running score and a "New case" button.

    >>> trainer = CaseTrainer(seed=0)
    >>> verdict = trainer.answer(trainer.case.questions[0].answer)
    >>> verdict.correct, trainer.right, trainer.answered
    (True, 1, 1)
    """

    MAX_QUESTIONS = 2

    def __init__(self, seed: int = 0):
        self.seed = _check_seed(seed, "seed")
        self.knowledge = load_knowledge()
        self.right = 0
        self.answered = 0
        self.case_number = -1
        self.case: Case | None = None
        self.verdicts: dict[int, Verdict] = {}
        self._holding = False
        self.title = W.HTML()
        self.vignette = W.HTML()
        self.prompts = [W.HTML() for _ in range(self.MAX_QUESTIONS)]
        self.choices = [W.RadioButtons(options=[], value=None, layout=W.Layout(width="auto"))
                        for _ in range(self.MAX_QUESTIONS)]
        self.feedback = [W.HTML(layout=W.Layout(min_height="2em")) for _ in range(self.MAX_QUESTIONS)]
        self.question_boxes = [W.VBox([prompt, choice, feedback])
                               for prompt, choice, feedback in zip(self.prompts, self.choices, self.feedback)]
        for index, choice in enumerate(self.choices):
            choice.observe(lambda change, index=index: self._on_choice(index, change), names="value")
        self.new_case_button = W.Button(description="New case", icon="refresh")
        self.new_case_button.on_click(lambda _: self.new_case())
        self.score_view = W.HTML()
        self.summary = W.HTML()
        self._build_figure()
        note = W.HTML("<i>Cases are assembled from the course's knowledge data. The score behind each answer is "
                      "the differential explorer's teaching score (weights 1-3 for minus against), built from "
                      "the course's sources: a device to make the reasoning visible, not a validated "
                      "diagnostic score.</i>")
        super().__init__([
            self.title,
            W.HBox([W.VBox([self.vignette, *self.question_boxes], layout=W.Layout(width="55%")),
                    self.figure.canvas]),
            W.HBox([self.new_case_button, self.score_view]),
            note, self.summary,
        ])
        self.new_case()

    def _build_figure(self) -> None:
        self.figure = live_figure(5.0, 2.6)
        self.axes = self.figure.add_subplot()
        self.bars = self.axes.barh(range(DIAGNOSIS_OPTIONS), [0] * DIAGNOSIS_OPTIONS, color=PALETTE["grey"])
        self.axes.invert_yaxis()
        self.axes.axvline(0, color=PALETTE["black"], linewidth=0.8)
        longest = max((condition.short for condition in self.knowledge.conditions.values()), key=len)
        self.axes.set_yticks(range(DIAGNOSIS_OPTIONS), [f"{longest} (best)"] * DIAGNOSIS_OPTIONS,
                             fontsize=FONT_SIZE - 1)
        self.axes.set_xlabel("Score (for minus against)", fontsize=FONT_SIZE)
        self.axes.set_xlim(-4, 14)
        self.axes.set_title("Answer to see the scores", fontsize=FONT_SIZE)
        freeze_layout(self.figure)

    @property
    def revealed(self) -> bool:
        """Whether the diagnosis has been answered, so the chart may show the scores."""
        return 0 in self.verdicts

    def new_case(self) -> Case:
        """Draw the next case of this trainer's deck and show it; the score carries over."""
        self.case_number += 1
        self.case = draw_case(self.seed, self.case_number, self.knowledge)
        self.verdicts = {}
        self._holding = True
        self.title.value = f"<h4>Practice case {self.case_number + 1}</h4>"
        self.vignette.value = "<ul>" + "".join(
            f"<li><b>{escape(heading)}:</b> {escape('; '.join(labels))}.</li>"
            for heading, labels in self.case.vignette) + "</ul>"
        for index, box in enumerate(self.question_boxes):
            question = self._question(index)
            box.layout.display = "" if index == 0 else "none"
            self.prompts[index].value = f"<b>{escape(question.prompt)}</b>" if question else ""
            self.choices[index].options = question.options if question else ()
            self.choices[index].value = None
            self.feedback[index].value = ""
        self._holding = False
        self._update_figure()
        self._update_text()
        return self.case

    def _question(self, index: int) -> CaseQuestion | None:
        return self.case.questions[index] if index < len(self.case.questions) else None

    def answer(self, choice: str, question: int = 0) -> Verdict:
        """Answer question ``question`` (0: diagnosis, 1: treatment) as a learner clicking an option would.

        Choices ignore case and spacing. An answer that is not an option is
        explained in the feedback and not scored.
        """
        if isinstance(question, bool) or not isinstance(question, Integral) or \
                not 0 <= question < len(self.case.questions):
            raise ValueError(f"question should be one of {list(range(len(self.case.questions)))} for this case "
                             f"(0 is the diagnosis), got {question!r}")
        if question > 0 and 0 not in self.verdicts:
            raise ValueError("answer the diagnosis (question 0) first: the next question gives it away")
        verdict = judge(self.case.questions[question], choice)
        if verdict.correct is None or self.choices[question].value == verdict.choice:
            self._show_feedback(question, verdict)
            self._update_text()
        else:
            self.choices[question].value = verdict.choice
        return verdict

    def _on_choice(self, index: int, change) -> None:
        if change["new"] is None or self._holding:
            return
        verdict = judge(self.case.questions[index], change["new"])
        if index not in self.verdicts:
            self.verdicts[index] = verdict
            self.answered += 1
            self.right += int(verdict.correct)
        self._show_feedback(index, verdict)
        if index + 1 < len(self.case.questions):
            self.question_boxes[index + 1].layout.display = ""
        self._update_figure()
        self._update_text()

    def _show_feedback(self, index: int, verdict: Verdict) -> None:
        if verdict.correct is None:
            symbol, colour = "?", PALETTE["black"]
        else:
            symbol, colour = ("✔", PALETTE["green"]) if verdict.correct else ("✘", PALETTE["vermillion"])
        first = self.verdicts.get(index)
        counted = "" if first is None or first.choice == verdict.choice else \
            " <i>(Only your first answer counts towards the score.)</i>"
        self.feedback[index].value = (f'<span style="color:{colour}; font-weight:bold">{symbol}</span> '
                                      f"{escape(verdict.text)}{counted}")

    def _update_figure(self) -> None:
        offered = {r.name: r for r in self.case.ranking}
        options = self.case.questions[0].options
        best = self.case.questions[0].answer
        labels = []
        for bar, name in zip(self.bars, options):
            ranked = offered[name]
            bar.set_width(ranked.score if self.revealed else 0)
            colour = "blue" if name == best else "vermillion" if ranked.score < 0 else "grey"
            bar.set_color(PALETTE[colour] if self.revealed else PALETTE["grey"])
            labels.append(f"{ranked.condition.short} (best)" if self.revealed and name == best
                          else ranked.condition.short)
        self.axes.set_yticks(range(len(options)), labels)
        if self.revealed:
            scores = [offered[name].score for name in options]
            self.axes.set_xlim(min(-4, min(scores) - 1), max(14, max(scores) + 1))
            self.axes.set_title("Score of each option", fontsize=FONT_SIZE)
        else:
            self.axes.set_title("Answer to see the scores", fontsize=FONT_SIZE)
        self.figure.canvas.draw_idle()

    def _update_text(self) -> None:
        self.score_view.value = f"<b>Score:</b> {escape(self.score_text)}"
        self.summary.value = f"<p><b>Summary:</b> {escape(self.summary_text)}</p>"

    @property
    def score_text(self) -> str:
        return f"{self.right} of {self.answered} questions right at the first answer"

    @property
    def summary_text(self) -> str:
        """What the trainer shows, in words (for screen readers and tests)."""
        parts = [f"Practice case {self.case_number + 1}. {self.case.vignette_text}"]
        for index, question in enumerate(self.case.questions):
            if index > 0 and 0 not in self.verdicts:
                break
            verdict = self.verdicts.get(index)
            state = ("not answered yet" if verdict is None else
                     f"first answer {verdict.choice}, {'right' if verdict.correct else 'not the best answer'}")
            parts.append(f"Question {index + 1}: {question.prompt} Options: {'; '.join(question.options)}. "
                         f"{state[0].upper()}{state[1:]}.")
        if self.revealed:
            offered = {r.name: r.score for r in self.case.ranking}
            scores = "; ".join(f"{name} {offered[name]}" for name in self.case.questions[0].options)
            parts.append(f"The chart shows each diagnosis option's score: {scores}.")
        else:
            parts.append("The chart of each option's score appears once the diagnosis is answered.")
        parts.append(f"Score: {self.score_text}.")
        return " ".join(parts)
