"""Private variants of the case quizzes for one cohort, drawn with the instructor's secret seed.

The course is open, so its own quizzes' keys are public.  A variant keeps the
formats, the point values and the kind of mark scheme, but its cases come from
the knowledge base (quiz 1: coherent vignettes drawn by :func:`draw_case` up to
the examination, the diagnosis and differentials keyed by the differential
ranking, the investigation by what each test could show that separates the
leaders), from drawn patients (quiz 2: :mod:`treatment_cases`, plan, drug
verdicts, checks and dose keyed by the treatment planner) or from the slide deck
(quiz 3: three other slides, keys from the drawn scenes).  Nothing of
a variant is stored in the repository: keep the seed, not the files.
"""

import random
import re
from dataclasses import replace

from widgets.core.assessment.bank import QUIZZES, differentials, mechanism, treatment
from widgets.core.assessment.items import BestMatch, Case, Quiz
from widgets.core.assessment.treatment_cases import drawn_treatment_cases
from widgets.core.citations import cite
from widgets.core.histology.practice import PRACTICE_SLIDES
from widgets.core.histology.scene import biopsy_scene, comparison_scene
from widgets.core.knowledge.cases import draw_case
from widgets.core.knowledge.differential import RankedCondition, rank_conditions
from widgets.core.knowledge.loader import load_knowledge

CANDIDATES = 5
"""Differentials judged per drawn case: the next best-ranked conditions."""

CLOSE_SECOND = 1
"""A runner-up within this many points of the best match earns half credit."""

MIN_MARGIN = 1
"""Before the tests, the drawn condition must lead the runner-up by at least this much."""


def variant(quiz_id: str, seed: int, tag: str) -> Quiz:
    """The private variant of ``quiz_id`` for ``seed``; its folder is ``<quiz id>-variant-<tag>``."""
    if quiz_id not in QUIZZES:
        raise KeyError(f"unknown quiz {quiz_id!r}; quizzes: {', '.join(QUIZZES)}")
    if not tag.replace("-", "").isalnum():
        raise ValueError(f"tag should be letters, digits and dashes, got {tag!r}")
    build = {
        differentials.QUIZ.quiz_id: _differentials,
        treatment.QUIZ.quiz_id: _treatment,
        mechanism.QUIZ.quiz_id: _mechanism,
    }[quiz_id]
    quiz = build(seed)
    return replace(
        quiz,
        quiz_id=f"{quiz_id}-variant-{tag}",
        title=f"{quiz.title} (cohort variant)",
        references=tuple(sorted(set(quiz.references) | _cited(quiz))),
    )


def _cited(quiz: Quiz) -> set[int]:
    """Every brief reference number the drawn cases' explanations and mark schemes cite."""
    texts = [item.explanation for item in quiz.items]
    texts += [case.task.model_answer for case in quiz.cases if case.task]
    texts += [point for case in quiz.cases if case.task for point in case.task.key_points]
    return {
        int(number)
        for text in texts
        for group in re.findall(r"\[([\d, ]+)\]", text)
        for number in group.split(",")
    }


# --- quiz 1: vignettes drawn from the knowledge base ---------------------------------------

TESTS_GROUP = "biopsy and tests"
"""The finding group a vignette withholds: its results are what the investigation item asks for."""


def _reasons(ranked: RankedCondition) -> str:
    pros = "; ".join(f"{r.label} {cite(r.refs)}" for r in ranked.reasons_for) or "none"
    cons = "; ".join(f"{r.label} {cite(r.refs)}" for r in ranked.reasons_against) or "none"
    return f"for: {pros}; against: {cons}"


def _verdict_credit(ranked: RankedCondition) -> dict[str, float]:
    """Open when the findings support it and nothing argues against; out when nothing supports it."""
    if ranked.score <= 0 and ranked.reasons_against:
        return differentials.OUT_ONLY
    if not ranked.reasons_against and ranked.reasons_for:
        return differentials.OPEN_ONLY
    return differentials.EITHER


def _separation(finding: str, best: str, runner: str) -> int:
    """How far one result would move the two leaders apart: its net weight for the best match
    minus its net weight for the runner-up, either way round."""
    scores = {r.name: r.score for r in rank_conditions([finding])}
    return abs(scores[best] - scores[runner])


def _investigation(
    key: str,
    shown: tuple[str, ...],
    withheld: tuple[str, ...],
    best: RankedCondition,
    runner: RankedCondition,
):
    """The investigation that could best separate the two leaders (full credit), any other that
    could separate them less (half), or None when none could.  Its value is the largest
    separation among the results it can show (``REVEALS``) beside what the patient shows, not
    the result this patient has."""
    knowledge = load_knowledge()
    possible = {
        test: [f for f in shows if knowledge.coherent((*shown, f))]
        if differentials.NEEDS.get(test, shown[0]) in shown
        else []
        for test, shows in differentials.REVEALS.items()
    }
    value = {
        test: max((_separation(f, best.name, runner.name) for f in shows), default=0)
        for test, shows in possible.items()
    }
    top = max(value.values())
    if top == 0:
        return None
    credit = {test: 1.0 if v == top else 0.5 for test, v in value.items() if v > 0}
    could = "; ".join(
        f"{test} could show "
        + " or ".join(
            knowledge.findings[f].label.lower()
            for f in shows
            if _separation(f, best.name, runner.name)
        )
        for test, shows in possible.items()
        if test in credit
    )
    found = "; ".join(knowledge.findings[f].label.lower() for f in withheld) or "nothing more"
    return differentials.investigation(
        key,
        credit,
        f"The next test should separate {best.name} from {runner.name}: {could} (each weighed "
        "for and against both in the knowledge base). Full credit for the one that could move "
        "them furthest apart, half for another that helps [5, 6, 12, 17, 20, 39, 43]. In this "
        f"patient the tests showed: {found}.",
    )


def drawn_case(seed: int, number: int, position: int | None = None) -> Case | None:
    """A variant case from draw ``number``: the knowledge-base vignette up to the examination
    (test results withheld), the best match and differentials on what it shows, and the
    investigation that could best separate the leaders.  None when the drawn condition is not
    the clear best match before the tests, or no investigation of the quiz could separate the
    leaders.  ``position`` (from 0) numbers the case in its quiz; by default ``number``."""
    case = draw_case(seed, number)
    knowledge = load_knowledge()
    shown = tuple(f for f in case.findings if knowledge.findings[f].group != TESTS_GROUP)
    withheld = tuple(f for f in case.findings if knowledge.findings[f].group == TESTS_GROUP)
    best, runner, *others = rank_conditions(shown)
    if best.name != case.target or best.score < runner.score + MIN_MARGIN:
        return None
    index = number if position is None else position
    key = f"case{index + 1}"
    investigation = _investigation(key, shown, withheld, best, runner)
    if investigation is None:
        return None
    credit = {best.name: 1.0}
    if runner.score >= best.score - CLOSE_SECOND:
        credit[runner.name] = 0.5
    candidates = [runner, *others][:CANDIDATES]
    vignette = "\n\n".join(
        f"**{heading}.** {'; '.join(labels)}."
        for heading, labels in case.vignette
        if heading.lower() != TESTS_GROUP
    )
    standing = (
        f"{runner.name} is a close second ({runner.score}), half credit"
        if runner.name in credit
        else f"{runner.name} follows with {runner.score}"
    )
    return Case(
        key,
        f"Case {index + 1}",
        vignette,
        (
            differentials.diagnosis(
                key,
                credit,
                f"On the history and examination the knowledge base ranks {best.name} first "
                f"({best.score} points: {_reasons(best)}); {standing}.",
            ),
            differentials.differentials(
                key,
                {ranked.name: _verdict_credit(ranked) for ranked in candidates},
                " ".join(f"{ranked.name}: {_reasons(ranked)}." for ranked in candidates),
            ),
            investigation,
        ),
        differentials.justification(
            key,
            f"{best.name}: {_reasons(best)}. {investigation.explanation}",
            (
                "1 point: at least two findings named that support the best match; half a point "
                "for one.",
                "1 point: why the investigation is the most useful next step (what its result "
                "would separate); half a point without a reason.",
            ),
        ),
    )


def drawn_cases(seed: int, count: int) -> tuple[Case, ...]:
    """The first ``count`` draws of ``seed`` that make a case with an investigation to choose,
    at least one of them a form of acne necrotica (the course's subject)."""
    knowledge = load_knowledge()
    cases: list[Case] = []
    number = 0
    while len(cases) < count:
        case = drawn_case(seed, number, position=len(cases))
        number += 1
        if case is None:
            continue
        if (
            _is_subject(case, knowledge)
            or len(cases) < count - 1
            or any(_is_subject(c, knowledge) for c in cases)
        ):
            cases.append(case)
    return tuple(cases)


def _is_subject(case: Case, knowledge) -> bool:
    """Whether the case's best match is a form of acne necrotica."""
    diagnosis = case.items[0]
    assert isinstance(diagnosis, BestMatch)
    return knowledge.condition(diagnosis.key).kind == "acne necrotica"


def _differentials(seed: int) -> Quiz:
    return replace(differentials.QUIZ, cases=drawn_cases(seed, 4))


# --- quiz 2: patients drawn, keyed by the planner ---------------------------------------------------


def _treatment(seed: int) -> Quiz:
    return replace(treatment.QUIZ, cases=drawn_treatment_cases(seed))


# --- quiz 3: other slides ------------------------------------------------------------------


def _slide_item(item: BestMatch, answer: str) -> BestMatch:
    return replace(
        item,
        credit={answer: 1.0},
        explanation=f"The slide was drawn as {answer}: compare it with the labelled slide of "
        f"{answer} in the slide viewer. {item.explanation.split('. ')[-1]}",
    )


def _mechanism(seed: int) -> Quiz:
    rng = random.Random(f"mechanism-variant:{seed}")
    stages = [i for i, (_, form) in enumerate(PRACTICE_SLIDES) if form and _ != "quiet"]
    comparisons = [i for i, (_, form) in enumerate(PRACTICE_SLIDES) if form is None]
    a, b = rng.sample(stages, 2)
    c = rng.choice(comparisons)
    slides = tuple(
        (name, index, rng.randrange(1000))
        for name, index in zip(("Slide A", "Slide B", "Slide C"), (a, b, c))
    )
    answers = []
    for _, index, drawing_seed in slides:
        name, form = PRACTICE_SLIDES[index]
        scene = (
            comparison_scene(name, drawing_seed)
            if form is None
            else biopsy_scene(name, form, drawing_seed)
        )
        answers.append(scene.answer)
    model_case, slide_case = mechanism.QUIZ.cases
    items = tuple(
        _slide_item(item, answer)
        for item, answer in zip(slide_case.items, answers)
        if isinstance(item, BestMatch)
    )
    constants = dict(mechanism.QUIZ.constants, QUIZ_SLIDES=slides)
    return replace(
        mechanism.QUIZ,
        cases=(model_case, replace(slide_case, items=items)),
        constants=constants,
    )
