"""Differential scoring ranks the classic cases right, and the explorer shows it."""

import pytest

from widgets import DifferentialExplorer
from widgets.core.knowledge import load_knowledge, rank_conditions
from widgets.core.knowledge.differential import score_condition


def _top(findings):
    return rank_conditions(findings)[0].name


def test_itchy_frontal_hairline_pustules_rank_acne_necrotica_miliaris_first():
    assert _top(["site-frontal-hairline", "itch", "small-pustules"]) == "acne necrotica miliaris"


def test_tufted_vertex_case_ranks_folliculitis_decalvans_first():
    assert (
        _top(["site-vertex", "tufted-hairs", "scarred-patch", "small-pustules"])
        == "folliculitis decalvans"
    )


def test_boggy_nodules_and_sinus_tracts_rank_dissecting_cellulitis_first():
    assert _top(["boggy-nodules", "sinus-tracts"]) == "dissecting cellulitis"


@pytest.mark.parametrize(
    "findings, expected",
    [
        (
            ["site-frontal-hairline", "larger-papules", "necrotic-crust", "pitted-scars", "pain"],
            "acne necrotica varioliformis",
        ),
        (["acute-grouped-painful", "viral-positive"], "herpes folliculitis"),
        (["site-trunk", "itch", "small-pustules", "yeasts"], "malassezia folliculitis"),
        (["site-nape", "keloid-papules", "young-man-african-descent"], "acne keloidalis nuchae"),
        (["greasy-scale", "itch"], "seborrhoeic dermatitis"),
    ],
)
def test_other_classic_presentations(findings, expected):
    assert _top(findings) == expected


def test_score_is_for_minus_against_with_every_reason_listed():
    knowledge = load_knowledge()
    ranked = score_condition(
        knowledge.condition("acne necrotica miliaris"), ["itch", "tufted-hairs"]
    )
    assert [r.finding for r in ranked.reasons_for] == ["itch"]
    assert [r.finding for r in ranked.reasons_against] == ["tufted-hairs"]
    assert ranked.score == ranked.reasons_for[0].weight - ranked.reasons_against[0].weight
    assert all(r.refs for r in ranked.reasons_for + ranked.reasons_against)


def test_hallmark_site_counts_more_than_another_typical_site():
    knowledge = load_knowledge()
    anm = knowledge.condition("acne necrotica miliaris")
    assert (
        score_condition(anm, ["site-frontal-hairline"]).score
        > score_condition(anm, ["site-occiput"]).score
    )
    assert score_condition(anm, ["site-vertex"]).score == 0


def test_comedones_count_against_acne_necrotica():
    with_comedones = rank_conditions(
        ["site-frontal-hairline", "itch", "small-pustules", "comedones"]
    )
    scores = {r.name: r.score for r in with_comedones}
    assert scores["acne necrotica miliaris"] < 7


def test_bad_findings_are_refused_clearly():
    with pytest.raises(
        KeyError, match=r"unknown finding id 'tufted' \(did you mean 'tufted-hairs'\?\)"
    ):
        rank_conditions(["tufted"])
    with pytest.raises(TypeError, match="list of ids"):
        rank_conditions("itch")


def test_explorer_ticks_rerank_the_bars_and_the_summary():
    explorer = DifferentialExplorer()
    assert "No findings ticked" in explorer.summary_text
    assert all(bar.get_width() == 0 for bar in explorer.bars)
    explorer.checkboxes["site-frontal-hairline"].value = True
    explorer.checkboxes["itch"].value = True
    explorer.checkboxes["small-pustules"].value = True
    assert explorer.ranking[0].name == "acne necrotica miliaris"
    assert explorer.bars[0].get_width() == explorer.ranking[0].score > 0
    assert explorer.axes.get_yticklabels()[0].get_text() == "AN miliaris"
    assert "1. acne necrotica miliaris" in explorer.summary_text
    assert "Intense itch (+3) [3, 4]" in explorer.reasons.value


def test_explorer_clear_and_swap_to_a_dissecting_cellulitis_case():
    explorer = DifferentialExplorer(findings=["itch"])
    explorer.clear()
    assert explorer.ticked == ()
    explorer.tick("boggy-nodules", "sinus-tracts")
    assert explorer.axes.get_yticklabels()[0].get_text() == "Dissecting cellulitis"
    negative = [
        bar
        for bar, r in zip(explorer.bars, explorer.ranking)
        if r.name == "acne necrotica miliaris"
    ]
    assert negative[0].get_width() < 0
    explorer.clear_button.click()
    assert "No findings ticked" in explorer.summary_text


def test_explorer_refuses_unknown_findings():
    with pytest.raises(KeyError, match="did you mean 'itch'"):
        DifferentialExplorer(findings=["itchy"])
    with pytest.raises(TypeError, match="list of ids"):
        DifferentialExplorer(findings="itch")
