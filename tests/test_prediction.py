"""Committed predictions: judged in the core, guarded in the view, revealed at once in the static copy."""

import subprocess
import sys

import ipywidgets as W
import pytest
from matplotlib.figure import Figure
from notebook_files import LESSONS

from widgets.core.knowledge.lesson_data import lesson_names, load_lesson
from widgets.core.knowledge.loader import KnowledgeError
from widgets.core.prediction import curve_shape, judge_choice, judge_number, judge_sketch
from widgets.views.prediction import STATIC_COPY_ENV, Predict, predict

PREDICTION = """
[[prediction]]
id = "sketch-it"
kind = "sketch"
prompt = "Sketch the loss against the start day."
points = ["day 0", "day 180", "day 365"]
low = 0
high = 30
unit = "%"
shape = "rises"
explanation = "The later the start, the more is lost [2]."
"""


@pytest.fixture(autouse=True)
def live_notebook(monkeypatch):
    """Tests run as in a live notebook unless they say otherwise."""
    monkeypatch.delenv(STATIC_COPY_ENV, raising=False)


def _all_predictions():
    return [p for name in lesson_names() for p in load_lesson(name).predictions.values()]


def test_judge_choice_names_both_answers_when_they_differ():
    assert judge_choice(1, 1, ["a", "b"]).matched
    verdict = judge_choice(0, 1, ["steadily", "in steps"])
    assert not verdict.matched
    assert "steadily" in verdict.comparison and "in steps" in verdict.comparison
    with pytest.raises(ValueError, match="option 5 does not exist"):
        judge_choice(5, 1, ["a", "b"])


def test_judge_number_counts_a_match_within_the_tolerance():
    assert judge_number(70, 74, 10, "%").matched
    verdict = judge_number(50, 74, 10, "%")
    assert not verdict.matched
    assert "24 % too low" in verdict.comparison


@pytest.mark.parametrize(
    ("values", "shape"),
    [
        ([0, 5, 5, 12, 20], "rises"),
        ([20, 12, 3], "falls"),
        ([4, 4, 4], "flat"),
        ([0, 9, 2], "rises then falls"),
        ([9, 1, 8], "falls then rises"),
        ([0, 9, 2, 9], "mixed"),
    ],
)
def test_curve_shape_reads_the_direction_of_a_sketch(values, shape):
    assert curve_shape(values) == shape


def test_a_one_step_wobble_does_not_spoil_a_rising_sketch():
    assert curve_shape([0, 6, 5, 12], flat_within=1) == "rises"
    assert judge_sketch([0, 6, 5, 12], "rises", flat_within=1).matched
    assert not judge_sketch([10, 10, 10], "rises").matched


def test_every_prediction_in_the_data_builds_and_guards_its_result():
    predictions = _all_predictions()
    assert len(predictions) >= 15
    for prediction in predictions:
        guard = Predict(prediction, W.HTML("result"))
        assert guard.results_box.layout.display == "none", prediction.id
        assert guard.comparison_box.layout.display == "none", prediction.id


def test_a_choice_cannot_be_committed_before_an_option_is_picked():
    guard = predict("02-pathophysiology", "miliaris-flares", W.HTML("explorer"))
    assert guard.commit_button.disabled
    with pytest.raises(ValueError, match="choose an option"):
        guard.commit()
    guard.answer_control.value = 2
    assert not guard.commit_button.disabled
    assert "Press <b>Commit" in guard.status.value
    assert guard.results_box.layout.display == "none"


def test_committing_reveals_the_result_beside_the_prediction_and_locks_it():
    result = W.HTML("explorer")
    guard = predict("02-pathophysiology", "miliaris-flares", result)
    verdict = guard.commit(0)
    assert not verdict.matched
    assert guard.results_box.layout.display == "flex"
    assert guard.results_box.children == (result,)
    assert "Your prediction" in guard.yours.value and "Fewer flares" in guard.yours.value
    assert "same random schedule" in guard.result_card.value
    assert guard.answer_control.disabled and guard.commit_button.disabled
    assert guard.commit(2) is verdict, "a prediction is committed once"


def test_the_commit_button_commits_what_the_controls_show():
    guard = predict("01-clinical-picture", "women-share", W.HTML("chart"))
    guard.answer_control.value = 70
    guard.commit_button.click()
    assert guard.committed and guard.verdict.matched
    assert guard.committed_answer == 70


def test_a_sketch_is_drawn_as_it_is_set_and_judged_by_its_shape(tmp_path):
    lesson = tmp_path / "99-test.toml"
    lesson.write_text(PREDICTION)
    guard = Predict(load_lesson("99-test", tmp_path).prediction("sketch-it"), W.HTML("curve"))
    guard.answer_control[2].value = 25
    assert list(guard._sketch_line.get_ydata()) == [15, 15, 25]
    assert guard.commit([0, 10, 25]).matched
    assert "day 365: 25 %" in guard.yours.value
    with pytest.raises(ValueError, match="needs 3 values"):
        Predict(load_lesson("99-test", tmp_path).prediction("sketch-it"), "x").commit([1, 2])


def test_a_figure_is_shown_as_an_image_only_after_commit():
    figure = Figure()
    figure.add_subplot().plot([0, 1], [0, 1])
    guard = predict("01-clinical-picture", "longest-phase", figure)
    (output,) = guard.results_box.children
    assert isinstance(output, W.Output)
    assert "image/png" in output.outputs[0]["data"]
    assert guard.results_box.layout.display == "none"


def test_the_static_copy_shows_the_result_at_once(monkeypatch):
    monkeypatch.setenv(STATIC_COPY_ENV, "1")
    guard = predict("01-clinical-picture", "longest-phase", W.HTML("chart"))
    assert guard.results_box.layout.display == "flex"
    assert not guard.committed
    assert "Read-only copy" in guard.yours.value
    assert "3–4 weeks" in guard.result_card.value


def test_unknown_prediction_ids_and_missing_results_are_refused():
    with pytest.raises(KeyError, match=r"no prediction 'one-yaer'.*'one-year'"):
        predict("02-pathophysiology", "one-yaer", W.HTML())
    with pytest.raises(ValueError, match="needs the result it guards"):
        predict("02-pathophysiology", "one-year")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('shape = "rises"', 'shape = "climbs"'), "field 'shape': unknown curve shape 'climbs'"),
        (("high = 30", "high = -1"), "field 'high': should be above low"),
        (('kind = "sketch"', 'kind = "essay"'), "field 'kind': unknown prediction kind 'essay'"),
        (
            ('points = ["day 0", "day 180", "day 365"]', 'points = ["day 0"]'),
            "at least three points",
        ),
        (("[2]", "[777]"), "field 'explanation': cites unknown reference id 777"),
    ],
)
def test_a_broken_prediction_names_file_prediction_and_field(tmp_path, change, message):
    (tmp_path / "99-test.toml").write_text(PREDICTION.replace(*change, 1))
    with pytest.raises(KnowledgeError) as error:
        load_lesson("99-test", tmp_path)
    assert str(error.value).startswith("99-test.toml, prediction 'sketch-it', field ")
    assert message in str(error.value)


def test_a_choice_prediction_needs_an_answer_among_its_options(tmp_path):
    (tmp_path / "99-test.toml").write_text(
        '[[prediction]]\nid = "pick"\nkind = "choice"\nprompt = "Which?"\n'
        'options = ["a", "b"]\nanswer = 2\nexplanation = "b."\n'
    )
    with pytest.raises(KnowledgeError, match="field 'answer': 2 is out of range; use 0 to 1"):
        load_lesson("99-test", tmp_path)


def test_the_static_html_page_shows_the_prompt_and_then_the_result(tmp_path):
    """``make html`` on lesson 1: each guarded chart is in the page, after its question."""
    lesson = next(path for path in LESSONS if path.stem == "01-clinical-picture")
    build = subprocess.run(
        [sys.executable, "scripts/build_html.py", str(lesson), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=lesson.parents[1],
    )
    assert build.returncode == 0, build.stderr[-2000:]
    page = (tmp_path / f"{lesson.stem}.html").read_text()
    prompt = page.index("which phase of a lesion")
    result = page.index("What the result shows", prompt)
    assert page.index('class="figure" src="data:image/png;base64,', result) > result
    assert "Read-only copy: nothing can be committed here" in page
    assert page.count("Read-only copy: result shown") == len(
        load_lesson("01-clinical-picture").predictions
    )
