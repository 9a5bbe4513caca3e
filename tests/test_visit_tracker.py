"""The visit tracker records visits, flags flares by its stated rule and refuses bad input."""

import datetime as dt

import pytest

from widgets import VisitTracker
from widgets.core.knowledge.followup import FlareRule, Visit, flag_flares

VISITS = [
    ("2025-01-06", 12, True),
    ("2025-02-03", 4, True),
    ("2025-03-03", 15, False, "stopped doxycycline"),
    ("2025-04-07", 6, True),
]


def test_flare_rule_needs_both_an_absolute_and_a_relative_rise():
    rule = FlareRule(min_rise=5, min_ratio=1.5)
    assert rule.is_flare(4, 15)
    assert not rule.is_flare(4, 8)  # rise of 4 only
    assert not rule.is_flare(40, 46)  # rise of 6 but only 1.15 times
    assert rule.is_flare(0, 5)
    assert "course convention" in rule.describe()


def test_first_visit_is_never_a_flare():
    visits = [Visit(dt.date(2025, 1, 1), 30), Visit(dt.date(2025, 2, 1), 50)]
    assert flag_flares(visits) == (False, True)
    assert flag_flares([]) == ()


def test_tracker_plots_counts_and_marks_the_flare():
    tracker = VisitTracker(VISITS)
    assert tracker.flares == (False, False, True, False)
    x, y = tracker.count_line.get_data()
    assert list(x) == [0, 28, 56, 91] and list(y) == [12, 4, 15, 6]
    fx, fy = tracker.flare_marks.get_data()
    assert list(fx) == [56] and list(fy) == [15]
    assert list(tracker.no_photo_marks.get_data()[0]) == [56]
    assert "flares flagged on day 56" in tracker.summary_text
    assert "photographs at 3 of 4 visits" in tracker.summary_text
    assert "FLARE" in tracker.table.value and "stopped doxycycline" in tracker.table.value


def test_visits_entered_out_of_order_are_sorted_by_date():
    tracker = VisitTracker()
    tracker.add_visit("2025-03-01", 10)
    tracker.add_visit(dt.date(2025, 1, 1), 2)
    assert [v.lesion_count for v in tracker.visits] == [2, 10]
    assert tracker.flares == (False, True)


def test_the_form_adds_a_visit_and_reports_bad_input_without_crashing():
    tracker = VisitTracker()
    tracker.add_button.click()
    assert "pick the visit date first" in tracker.message.value
    tracker.date.value = dt.date(2025, 5, 1)
    tracker.lesion_count.value = 9
    tracker.photo.value = True
    tracker.notes.value = "first visit"
    tracker.add_button.click()
    assert len(tracker.visits) == 1 and tracker.visits[0].notes == "first visit"
    tracker.add_button.click()
    assert "already recorded" in tracker.message.value and len(tracker.visits) == 1
    tracker.remove_button.click()
    assert tracker.visits == () and "No visits" in tracker.summary_text


@pytest.mark.parametrize(
    "args, message",
    [
        (("2025-13-01", 3), "year-month-day"),
        (("2025-01-01", -1), "out of range"),
        (("2025-01-01", 2.5), "whole number"),
        (("2025-01-01", 3, "yes"), "True or False"),
        (("2025-01-01", 3, True, "x" * 201), "keep them to 200"),
    ],
)
def test_bad_visits_are_refused_with_what_to_change(args, message):
    with pytest.raises(ValueError, match=message):
        VisitTracker().add_visit(*args)


def test_bad_rule_is_refused():
    with pytest.raises(ValueError, match="1 or more"):
        FlareRule(min_rise=0)
