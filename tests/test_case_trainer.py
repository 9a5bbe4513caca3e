"""The case trainer draws varied, fair cases in stages from the knowledge data and explains every answer."""

import re

import pytest

from widgets import CaseTrainer
from widgets.core.knowledge import load_knowledge, plan_treatment, rank_conditions
from widgets.core.knowledge.cases import (
    DIAGNOSIS_OPTIONS,
    NO_AN_PLAN,
    PRACTICE_PATIENT,
    STAGE_NAMES,
    STAGES,
    case_order,
    draw_case,
    judge,
)

KNOWLEDGE = load_knowledge()
DECK = [(seed, number) for seed in range(4) for number in range(len(KNOWLEDGE.conditions))]
REFERENCE = re.compile(r"\[\d+(, \d+)*\]")


def _wrong_option(question):
    return next(option for option in question.options if not question.is_right(option))


def _case_with_a_wrong_first_option():
    for number in range(len(KNOWLEDGE.conditions)):
        trainer = CaseTrainer(seed=0)
        for _ in range(number):
            trainer.new_case()
        if len(trainer.case.questions[0].accepted) < DIAGNOSIS_OPTIONS:
            return trainer
    raise AssertionError("no case leaves a wrong option at the history stage")


def test_the_same_seed_and_number_always_give_the_same_case():
    assert draw_case(3, 5) == draw_case(3, 5)
    assert CaseTrainer(seed=2).case == draw_case(2, 0)


def test_one_round_of_the_deck_visits_every_condition_once():
    targets = [draw_case(1, number).target for number in range(len(KNOWLEDGE.conditions))]
    assert sorted(targets) == sorted(KNOWLEDGE.conditions)


def test_different_seeds_start_with_different_conditions():
    first_targets = {case_order(seed)[0] for seed in range(10)}
    assert len(first_targets) >= 5


@pytest.mark.parametrize("seed, number", DECK)
def test_a_case_unfolds_in_stages_and_ends_on_the_datas_clear_best_match(seed, number):
    case = draw_case(seed, number)
    assert [stage.name for stage in case.stages] == list(STAGE_NAMES)
    assert STAGE_NAMES == ("history", "examination", "biopsy or swab", "management")
    groups = dict(STAGES)
    for stage in case.stages:
        assert all(KNOWLEDGE.finding(f).group in groups[stage.name] for f in stage.findings)
    assert sorted(f for stage in case.stages for f in stage.findings) == sorted(case.findings)
    ranking = rank_conditions(case.findings)
    assert case.target == ranking[0].name and ranking[0].score > ranking[1].score
    biopsy = case.stages[2].question
    assert biopsy.answer == case.target and biopsy.accepted == (case.target,)
    options = case.diagnosis_options
    assert case.target in options and len(set(options)) == DIAGNOSIS_OPTIONS
    for stage in case.stages[:3]:
        known = [f for s in case.stages[: STAGE_NAMES.index(stage.name) + 1] for f in s.findings]
        scores = {r.name: r.score for r in rank_conditions(known)}
        top = max(scores[o] for o in options)
        assert set(stage.question.accepted) == {o for o in options if scores[o] == top}


def test_cases_show_findings_that_argue_against_as_well_as_for():
    against = 0
    for seed, number in DECK:
        case = draw_case(seed, number)
        offered = {r.name: r for r in rank_conditions(case.findings)}
        against += any(offered[name].reasons_against for name in case.diagnosis_options)
    assert against >= len(DECK) // 2


@pytest.mark.parametrize("seed, number", DECK[: len(KNOWLEDGE.conditions)])
def test_the_stages_show_the_findings_labels_from_the_data(seed, number):
    case = draw_case(seed, number)
    for finding_id in case.findings:
        assert KNOWLEDGE.finding(finding_id).label in case.vignette_text
    assert case.target not in case.vignette_text


def test_feedback_names_the_findings_that_should_have_moved_the_learner():
    case = next(draw_case(0, n) for n in range(15) if draw_case(0, n).stages[1].findings)
    stage = case.stages[1]
    for finding_id in stage.findings:
        assert KNOWLEDGE.finding(finding_id).label in stage.moved_by
    assert stage.moved_by.startswith("What should have moved you:")
    assert re.search(r"[+−]\d ", stage.moved_by) and REFERENCE.search(stage.moved_by)
    trainer = CaseTrainer(seed=0)
    for index in range(2):
        trainer.answer(trainer.case.questions[index].answer, index)
    assert "What should have moved you" in trainer.feedback[1].value


def test_the_management_stage_asks_for_the_first_step_or_the_conditions_own_plan():
    plan = plan_treatment(PRACTICE_PATIENT)
    chosen = {option.treatment.name: option for option in plan.options}
    for seed, number in DECK:
        case = draw_case(seed, number)
        target = KNOWLEDGE.condition(case.target)
        management = case.stages[3].question
        if target.kind == "acne necrotica":
            assert chosen[management.answer].treatment.step == "first line"
            for option in management.options:
                if option != management.answer:
                    assert chosen[option].status in ("not yet", "not recommended")
        elif target.management:
            assert target.management.startswith(management.answer)
        else:
            assert management.answer == NO_AN_PLAN


def test_a_right_answer_is_explained_with_its_reasons_and_references():
    case = draw_case(0, 0)
    question = case.questions[2]
    verdict = judge(question, question.answer)
    assert verdict.correct is True and verdict.text.startswith("Right.")
    best = rank_conditions(case.findings)[0]
    assert f"leads with {best.score}" in verdict.text
    assert all(reason.label in verdict.text for reason in best.reasons_for)
    assert REFERENCE.search(verdict.text)


def test_a_wrong_answer_names_the_leader_and_compares_the_scores():
    case = draw_case(0, 0)
    question = case.questions[2]
    wrong = _wrong_option(question)
    verdict = judge(question, wrong)
    scores = {ranked.name: ranked.score for ranked in case.ranking}
    assert verdict.correct is False and verdict.text.startswith("Not the best answer.")
    assert (
        f"{wrong} scores {scores[wrong]}, against {scores[case.target]} for the leader, {case.target}"
        in verdict.text
    )


def test_answers_ignore_case_and_spacing():
    question = draw_case(0, 0).questions[0]
    assert judge(question, "  " + question.answer.upper().replace(" ", "   ") + " ").correct is True


@pytest.mark.parametrize(
    "choice", ["folliculitis decalvns", "", 3, None, ["acne necrotica miliaris"]]
)
def test_an_unknown_answer_is_not_judged_and_lists_the_valid_options(choice):
    question = draw_case(0, 0).questions[0]
    verdict = judge(question, choice)
    assert verdict.correct is None
    assert all(repr(option) in verdict.text for option in question.options)


def test_a_misspelt_answer_gets_the_closest_option_suggested():
    question = next(
        draw_case(0, n).questions[0]
        for n in range(15)
        if "folliculitis decalvans" in draw_case(0, n).questions[0].options
    )
    assert "did you mean 'folliculitis decalvans'?" in judge(question, "folliculitis decalvns").text


def test_score_counts_the_first_answer_to_each_question_only():
    trainer = _case_with_a_wrong_first_option()
    right_before, answered_before = trainer.right, trainer.answered
    question = trainer.case.questions[0]
    trainer.answer(_wrong_option(question))
    trainer.answer(question.answer)
    assert (trainer.right - right_before, trainer.answered - answered_before) == (0, 1)
    assert "Only your first answer counts" in trainer.feedback[0].value
    trainer.new_case()
    trainer.choices[0].value = trainer.case.questions[0].answer
    assert trainer.answered - answered_before == 2
    assert "✔" in trainer.feedback[0].value


def test_new_case_draws_a_different_condition_and_keeps_the_score():
    trainer = CaseTrainer(seed=0)
    first = trainer.case
    trainer.answer(first.questions[0].answer)
    second = trainer.new_case()
    assert second.target != first.target
    assert trainer.case is second and trainer.case_number == 1
    assert (trainer.right, trainer.answered) == (1, 1)
    assert all(choice.value is None for choice in trainer.choices)
    assert all(feedback.value == "" for feedback in trainer.feedback)


def test_an_unknown_answer_is_shown_but_not_scored():
    trainer = CaseTrainer(seed=0)
    verdict = trainer.answer("psoriasis")
    assert verdict.correct is None
    assert (trainer.right, trainer.answered) == (0, 0)
    assert "Not one of this question&#x27;s options" in trainer.feedback[0].value
    assert trainer.choices[0].value is None


def test_each_stage_opens_only_after_the_one_before_is_answered():
    trainer = CaseTrainer(seed=0)
    stages = trainer.case.stages
    assert [box.layout.display for box in trainer.question_boxes] == ["", "none", "none", "none"]
    with pytest.raises(ValueError, match="answer the history stage"):
        trainer.answer(stages[1].question.answer, question=1)
    for index, stage in enumerate(stages):
        assert trainer.question_boxes[index].layout.display == ""
        assert trainer.answer(stage.question.answer, question=index).correct is True
    assert (trainer.right, trainer.answered) == (4, 4)


def test_the_chart_and_summary_keep_the_scores_hidden_until_the_history_is_answered():
    trainer = CaseTrainer(seed=0)
    case = trainer.case
    assert all(bar.get_width() == 0 for bar in trainer.bars)
    assert "appears once the history is answered" in trainer.summary_text
    assert "(leads)" not in " ".join(label.get_text() for label in trainer.axes.get_yticklabels())
    for index in range(3):
        trainer.answer(case.questions[index].answer, index)
    scores = {ranked.name: ranked.score for ranked in case.ranking}
    assert [bar.get_width() for bar in trainer.bars] == [
        scores[name] for name in case.diagnosis_options
    ]
    for name in case.diagnosis_options:
        assert f"{name} {scores[name]}" in trainer.summary_text
    assert f"First answer {case.target}, right" in trainer.summary_text


def test_summary_describes_the_stage_shown_and_the_score_in_words():
    trainer = CaseTrainer(seed=1)
    summary = trainer.summary_text
    assert summary.startswith("Practice case 1, in stages.")
    assert "Stage 1, history." in summary and "Stage 2" not in summary
    assert all(option in summary for option in trainer.case.questions[0].options)
    assert summary.endswith("Score: 0 of 0 questions right at the first answer.")
    assert "Summary:" in trainer.summary.value


@pytest.mark.parametrize("seed", [-1, 1.5, "0", True])
def test_a_bad_seed_is_refused_clearly(seed):
    with pytest.raises(ValueError, match="seed should be a whole number 0 or larger"):
        CaseTrainer(seed=seed)
    with pytest.raises(ValueError, match="seed should be a whole number 0 or larger"):
        draw_case(seed)


@pytest.mark.parametrize("question", [4, -1, "0", True])
def test_a_bad_question_number_is_refused_clearly(question):
    trainer = CaseTrainer(seed=0)
    with pytest.raises(ValueError, match="question should be one of"):
        trainer.answer(trainer.case.questions[0].answer, question=question)
