"""Private variants of the case quizzes for one cohort, drawn with the instructor's secret seed.

The course is open, so its own quizzes' keys are public.  A variant keeps the
formats, the point values and the kind of mark scheme, but its cases come from
the knowledge base (quiz 1: vignettes drawn by :func:`draw_case`, keys from the
differential ranking), from the patient details of the treatment cases (quiz 2:
weight, age and week of pregnancy drawn, the dose key recomputed) or from the
slide deck (quiz 3: three other slides, keys from the drawn scenes).  Nothing of
a variant is stored in the repository: keep the seed, not the files.
"""

import random
from dataclasses import replace

from widgets.core.assessment.bank import QUIZZES, differentials, mechanism, treatment
from widgets.core.assessment.items import BestMatch, Case, Estimate, Quiz, Task
from widgets.core.citations import cite
from widgets.core.histology.practice import PRACTICE_SLIDES
from widgets.core.histology.scene import biopsy_scene, comparison_scene
from widgets.core.knowledge.cases import draw_case
from widgets.core.knowledge.differential import RankedCondition

CANDIDATES = 5
"""Differentials judged per drawn case: the next best-ranked conditions."""

CLOSE_SECOND = 1
"""A runner-up within this many points of the best match earns half credit."""


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
    return replace(quiz, quiz_id=f"{quiz_id}-variant-{tag}", title=f"{quiz.title} (cohort variant)")


# --- quiz 1: vignettes drawn from the knowledge base ---------------------------------------


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


def drawn_case(seed: int, number: int) -> Case:
    """Case ``number`` of a variant: a knowledge-base vignette, its best match and differentials."""
    case = draw_case(seed, number)
    best, runner, *others = case.ranking
    key = f"case{number + 1}"
    credit = {best.name: 1.0}
    if runner.score >= best.score - CLOSE_SECOND:
        credit[runner.name] = 0.5
    candidates = [runner, *others][:CANDIDATES]
    vignette = "\n\n".join(
        f"**{heading}.** {'; '.join(labels)}." for heading, labels in case.vignette
    )
    return Case(
        key,
        f"Case {number + 1}",
        vignette,
        (
            differentials.diagnosis(
                key,
                credit,
                f"The knowledge base ranks {best.name} first ({best.score} points: {_reasons(best)})"
                + (
                    f"; {runner.name} is a close second ({runner.score}), half credit."
                    if runner.name in credit
                    else "."
                ),
            ),
            differentials.differentials(
                key,
                {ranked.name: _verdict_credit(ranked) for ranked in candidates},
                " ".join(f"{ranked.name}: {_reasons(ranked)}." for ranked in candidates),
            ),
        ),
        Task(
            f"{key}_justification",
            "In two to four sentences: which findings point to your diagnosis, and which argue "
            "against the main alternative?",
            2,
            f"{best.name}: {_reasons(best)}.",
            (
                "1 point: at least two findings named that support the best match; half a point "
                "for one.",
                "1 point: a finding that argues against the runner-up, or why it stays open; half "
                "a point without a finding.",
            ),
        ),
    )


def _differentials(seed: int) -> Quiz:
    return replace(differentials.QUIZ, cases=tuple(drawn_case(seed, n) for n in range(4)))


# --- quiz 2: the patients' details drawn ---------------------------------------------------


def _dose_item(item: Estimate, weight: int) -> Estimate:
    dose = 0.5 * weight
    return replace(
        item,
        full=(round(0.9 * dose, 1), round(1.1 * dose, 1)),
        half=(round(0.25 * weight, 1), float(weight)),
        model_answer=dose,
        explanation=item.explanation.replace(
            "30 mg a day at 60 kg", f"{dose:g} mg a day at {weight} kg"
        )
        .replace("from 27 to 33 mg", f"from {0.9 * dose:g} to {1.1 * dose:g} mg")
        .replace("from 15 to 60 mg", f"from {0.25 * weight:g} to {weight:g} mg"),
    )


def _treatment(seed: int) -> Quiz:
    rng = random.Random(f"treatment-variant:{seed}")
    weight, week, age = rng.randrange(50, 95, 5), rng.randrange(16, 34, 2), rng.randrange(3, 8)
    case1, case2, case3, case4 = treatment.QUIZ.cases
    case1 = replace(case1, vignette=case1.vignette.replace("24 weeks", f"{week} weeks"))
    items = tuple(
        _dose_item(item, weight) if isinstance(item, Estimate) else item for item in case2.items
    )
    case2 = replace(case2, vignette=case2.vignette.replace("60 kg", f"{weight} kg"), items=items)
    assert case2.task is not None
    case2 = replace(
        case2,
        task=replace(
            case2.task,
            model_answer=case2.task.model_answer.replace(
                "30 mg a day", f"{0.5 * weight:g} mg a day"
            ),
        ),
    )
    case4 = replace(case4, vignette=case4.vignette.replace("7-year-old", f"{age}-year-old"))
    return replace(treatment.QUIZ, cases=(case1, case2, case3, case4))


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
