"""Spot the stage: unknowns are drawn fairly, answers scored and explained, confusions counted."""

import numpy as np
import pytest

from widgets.core.clinical import ClinicalStage
from widgets.core.clinical.practice import (
    PRACTICE_STAGES,
    Confusions,
    Unknown,
    draw_unknown,
    score,
)
from widgets.core.clinical.tones import Tone
from widgets.core.model.forms import Form


def unknown(stage, form="varioliformis", tone="V"):
    return Unknown(ClinicalStage(stage), Form(form), Tone(tone), "darker", 1)


def test_unknowns_cover_every_stage_form_and_tone_and_repeat_for_a_seed():
    draws = [draw_unknown(np.random.default_rng(0)) for _ in range(2)]
    assert draws[0] == draws[1]
    rng = np.random.default_rng(1)
    many = [draw_unknown(rng) for _ in range(400)]
    assert {u.stage for u in many} == set(PRACTICE_STAGES)
    assert {u.tone for u in many} == set(Tone) and {u.form for u in many} == set(Form)
    assert ClinicalStage.NORMAL not in PRACTICE_STAGES


def test_right_stage_and_form_scores_full_marks_with_the_deciding_findings():
    result = score(unknown("healed"), "healed", "varioliformis")
    assert (result.points, result.out_of, result.right) == (2, 2, True)
    assert "punched-out pit" in result.explanation and "[3, 5, 12, 72, 100]" in result.explanation


def test_wrong_form_at_a_stage_that_shows_it_loses_a_point_and_says_why():
    result = score(unknown("healed"), "healed", "miliaris")
    assert (result.points, result.out_of, result.form_right) == (1, 2, False)
    assert "without a scar" in result.explanation


def test_form_counts_as_right_where_the_picture_cannot_show_it():
    result = score(unknown("adherent crust"), "adherent crust", "miliaris")
    assert (result.points, result.out_of, result.form_right) == (1, 1, None)
    assert "cannot be told at this stage" in result.explanation


def test_wrong_stage_scores_zero_and_explains_both_stages():
    result = score(unknown("central necrosis"), "adherent crust", "varioliformis")
    assert result.points == 0 and not result.stage_right
    assert "dark, dry grey-black centre" in result.explanation
    assert "You answered adherent crust" in result.explanation


def test_confusions_count_which_stage_was_taken_for_which():
    confusions = Confusions()
    for truth, answer in [
        ("central necrosis", "adherent crust"),
        ("central necrosis", "adherent crust"),
        ("follicular papule", "umbilicated papule"),
        ("healed", "healed"),
    ]:
        shown = unknown(truth)
        confusions.record(shown, answer, score(shown, answer, "varioliformis"))
    assert confusions.most_common(1) == [(ClinicalStage.NECROSIS, ClinicalStage.CRUST, 2)]
    assert confusions.answered == 4 and confusions.points == 2 and confusions.out_of == 5


def test_misspelt_answers_get_a_clear_message():
    with pytest.raises(ValueError, match="did you mean 'healed'"):
        score(unknown("healed"), "heald", "miliaris")
