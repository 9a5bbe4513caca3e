"""The case trainer draws varied, fair cases from the knowledge data and explains every answer."""

import re

import pytest

from widgets import CaseTrainer
from widgets.core.knowledge import load_knowledge, plan_treatment, rank_conditions
from widgets.core.knowledge.cases import (
    DIAGNOSIS_OPTIONS,
    PRACTICE_PATIENT,
    case_order,
    draw_case,
    judge,
)

KNOWLEDGE = load_knowledge()
DECK = [(seed, number) for seed in range(4) for number in range(len(KNOWLEDGE.conditions))]
REFERENCE = re.compile(r"\[\d+(, \d+)*\]")


def _wrong_option(question):
    return next(option for option in question.options if option != question.answer)


def _trainer_at_acne_necrotica_case(seed=0) -> CaseTrainer:
    trainer = CaseTrainer(seed=seed)
    while len(trainer.case.questions) < 2:
        trainer.new_case()
    return trainer


def test_the_same_seed_and_number_always_give_the_same_case():
    assert draw_case(3, 5) == draw_case(3, 5)
    assert CaseTrainer(seed=2).case == draw_case(2, 0)


def test_one_round_of_the_deck_visits_every_condition_once():
    targets = [draw_case(1, number).target for number in range(len(KNOWLEDGE.conditions))]
    assert sorted(targets) == sorted(KNOWLEDGE.conditions)


def test_different_seeds_start_with_different_conditions():
    first_targets = {case_order(seed)[0] for seed in range(10)}
    assert len(first_targets) >= 5


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


@pytest.mark.parametrize("seed, number", DECK)
def test_the_right_answer_is_offered_and_is_the_datas_clear_best_match(seed, number):
    case = draw_case(seed, number)
    question = case.questions[0]
    ranking = rank_conditions(case.findings)
    assert question.answer == case.target == ranking[0].name
    assert ranking[0].score > ranking[1].score
    assert question.answer in question.options
    assert len(set(question.options)) == len(question.options) == DIAGNOSIS_OPTIONS
    against = {link.finding for link in KNOWLEDGE.condition(case.target).counts_against}
    assert not against & set(case.findings)


@pytest.mark.parametrize("seed, number", DECK[: len(KNOWLEDGE.conditions)])
def test_the_vignette_is_the_findings_labels_from_the_data(seed, number):
    case = draw_case(seed, number)
    for finding_id in case.findings:
        assert KNOWLEDGE.finding(finding_id).label in case.vignette_text
    assert case.target not in case.vignette_text


def test_only_acne_necrotica_cases_ask_for_a_first_line_treatment():
    plan = plan_treatment(PRACTICE_PATIENT)
    for seed, number in DECK:
        case = draw_case(seed, number)
        is_acne_necrotica = KNOWLEDGE.condition(case.target).kind == "acne necrotica"
        assert len(case.questions) == (2 if is_acne_necrotica else 1)
        if is_acne_necrotica:
            treatment = case.questions[1]
            chosen = {option.treatment.name: option for option in plan.options}
            assert chosen[treatment.answer].treatment.step == "first line"
            for option in treatment.options:
                if option != treatment.answer:
                    assert chosen[option].status in ("not yet", "not recommended")


def test_a_right_answer_is_explained_with_its_reasons_and_references():
    question = draw_case(0, 0).questions[0]
    verdict = judge(question, question.answer)
    assert verdict.correct is True
    assert verdict.text.startswith("Right.")
    best = rank_conditions(draw_case(0, 0).findings)[0]
    assert f"scores {best.score}" in verdict.text
    assert all(reason.label in verdict.text for reason in best.reasons_for)
    assert REFERENCE.search(verdict.text)


def test_a_wrong_answer_names_the_best_match_and_compares_the_scores():
    case = draw_case(0, 0)
    question = case.questions[0]
    wrong = _wrong_option(question)
    verdict = judge(question, wrong)
    scores = {ranked.name: ranked.score for ranked in case.ranking}
    assert verdict.correct is False
    assert verdict.text.startswith("Not the best answer.")
    assert (
        f"{wrong} scores {scores[wrong]}, against {scores[case.target]} for the best match, {case.target}"
        in verdict.text
    )
    assert REFERENCE.search(verdict.text)


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
    trainer = CaseTrainer(seed=0)
    question = trainer.case.questions[0]
    trainer.answer(_wrong_option(question))
    trainer.answer(question.answer)
    assert (trainer.right, trainer.answered) == (0, 1)
    assert "Only your first answer counts" in trainer.feedback[0].value
    assert trainer.score_text == "0 of 1 questions right at the first answer"
    trainer.new_case()
    trainer.choices[0].value = trainer.case.questions[0].answer
    assert (trainer.right, trainer.answered) == (1, 2)
    assert "✔" in trainer.feedback[0].value


def test_an_unknown_answer_is_shown_but_not_scored():
    trainer = CaseTrainer(seed=0)
    verdict = trainer.answer("psoriasis")
    assert verdict.correct is None
    assert (trainer.right, trainer.answered) == (0, 0)
    assert "Not one of this question&#x27;s options" in trainer.feedback[0].value
    assert trainer.choices[0].value is None


def test_the_treatment_question_appears_only_after_the_diagnosis():
    trainer = _trainer_at_acne_necrotica_case()
    assert trainer.question_boxes[1].layout.display == "none"
    with pytest.raises(ValueError, match="answer the diagnosis"):
        trainer.answer(trainer.case.questions[1].answer, question=1)
    trainer.answer(trainer.case.questions[0].answer)
    assert trainer.question_boxes[1].layout.display == ""
    assert trainer.answer(trainer.case.questions[1].answer, question=1).correct is True
    assert (trainer.right, trainer.answered) == (2, 2)


def test_the_chart_and_summary_keep_the_answer_hidden_until_the_diagnosis_is_answered():
    trainer = CaseTrainer(seed=0)
    case = trainer.case
    assert all(bar.get_width() == 0 for bar in trainer.bars)
    assert "appears once the diagnosis is answered" in trainer.summary_text
    assert "(best)" not in " ".join(label.get_text() for label in trainer.axes.get_yticklabels())
    trainer.answer(case.questions[0].answer)
    scores = {ranked.name: ranked.score for ranked in case.ranking}
    assert [bar.get_width() for bar in trainer.bars] == [
        scores[name] for name in case.questions[0].options
    ]
    for name in case.questions[0].options:
        assert f"{name} {scores[name]}" in trainer.summary_text
    assert f"First answer {case.target}, right" in trainer.summary_text


def test_summary_describes_the_case_and_score_in_words():
    trainer = CaseTrainer(seed=1)
    summary = trainer.summary_text
    assert summary.startswith("Practice case 1.")
    assert trainer.case.vignette_text in summary
    assert all(option in summary for option in trainer.case.questions[0].options)
    assert summary.endswith("Score: 0 of 0 questions right at the first answer.")
    assert "Summary:" in trainer.summary.value


@pytest.mark.parametrize("seed", [-1, 1.5, "0", True])
def test_a_bad_seed_is_refused_clearly(seed):
    with pytest.raises(ValueError, match="seed should be a whole number 0 or larger"):
        CaseTrainer(seed=seed)
    with pytest.raises(ValueError, match="seed should be a whole number 0 or larger"):
        draw_case(seed)


@pytest.mark.parametrize("question", [2, -1, "0", True])
def test_a_bad_question_number_is_refused_clearly(question):
    trainer = CaseTrainer(seed=0)
    with pytest.raises(ValueError, match="question should be one of"):
        trainer.answer(trainer.case.questions[0].answer, question=question)
