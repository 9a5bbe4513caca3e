"""Item analysis on a synthetic class of 40 with planted properties."""

import numpy as np
import pytest

from widgets.grading.item_analysis import analyse, cronbach_alpha, report

STUDENTS = 40
NAMES = ["easy", "discriminating", "anti", "noise_a", "noise_b", "noise_c"]
POINTS = [1.0, 2.0, 1.0, 1.0, 1.0, 1.0]


@pytest.fixture(scope="module")
def planted():
    rng = np.random.default_rng(7)
    ability = np.linspace(-2, 2, STUDENTS)
    scores = np.zeros((STUDENTS, len(NAMES)))
    scores[:, 0] = 1.0  # everyone right
    scores[:, 1] = 2.0 * (ability > 0)  # the strong half right
    scores[:, 2] = 1.0 * (ability < 0)  # the weak half right: a miskeyed item
    for column in range(3, 6):
        scores[:, column] = (ability + rng.normal(0, 1, STUDENTS) > 0).astype(float)
    answers = {
        "anti": [{"b"} if s else {"a"} for s in scores[:, 2]],
        "discriminating": [{"right"} if s else {"wrong one"} for s in scores[:, 1]],
    }
    confidences = {"discriminating": [4] * STUDENTS}
    models = {"anti": {"b"}, "discriminating": {"right"}}
    return analyse(NAMES, POINTS, scores, answers, models, confidences)


def stats(analysis, name):
    return next(item for item in analysis.items if item.name == name)


def test_an_item_everyone_earns_has_difficulty_one_and_no_discrimination(planted):
    easy = stats(planted, "easy")
    assert easy.difficulty == 1.0 and easy.item_rest is None and easy.upper_lower == 0.0
    assert "almost everyone earns it" in easy.flags


def test_the_discriminating_item_separates_strong_from_weak(planted):
    item = stats(planted, "discriminating")
    assert item.item_rest > 0.3 and item.upper_lower == 1.0
    assert item.common_wrong == (("wrong one", 20),)


def test_the_anti_discriminating_item_is_flagged(planted):
    item = stats(planted, "anti")
    assert item.item_rest < -0.3 and item.upper_lower == -1.0
    assert any("check the key" in flag for flag in item.flags)


def test_confidence_calibration_shows_confident_and_wrong(planted):
    item = stats(planted, "discriminating")
    assert item.confidence_right == 4.0 and item.confidence_wrong == 4.0
    assert planted.brier == pytest.approx((20 * 0.05**2 + 20 * 0.95**2) / 40)


def test_alpha_equals_kr20_on_right_wrong_items():
    rng = np.random.default_rng(1)
    table = (rng.random((40, 8)) < np.linspace(0.2, 0.9, 8)).astype(float)
    p = table.mean(axis=0)
    kr20 = 8 / 7 * (1 - (p * (1 - p)).sum() * 40 / 39 / table.sum(axis=1).var(ddof=1))
    assert cronbach_alpha(table) == pytest.approx(kr20)


def test_perfectly_consistent_items_have_alpha_one():
    ability = np.repeat([[0.0], [1.0]], 20, axis=0)
    assert cronbach_alpha(np.repeat(ability, 5, axis=1)) == pytest.approx(1.0)


def test_report_lists_every_item_and_the_reliability(planted):
    text = report(planted, "synthetic")
    assert "40 students" in text and "Cronbach" in text
    for name in NAMES:
        assert name in text


def test_bad_tables_are_refused():
    with pytest.raises(ValueError, match="students x items"):
        analyse(["a"], [1.0], np.zeros((3, 2)))
