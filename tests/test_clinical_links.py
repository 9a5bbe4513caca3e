"""The photograph links and the mimics' clues: loaded, checked, and present for every stage."""

import pytest

from widgets.core.clinical.links import (
    SKIN_OF_COLOUR,
    TOPICS,
    LinkDataError,
    links_for,
    load_image_links,
    load_mimics,
)
from widgets.core.clinical.practice import PRACTICE_STAGES
from widgets.core.histology.findings import CONDITIONS
from widgets.core.knowledge import load_knowledge


@pytest.mark.parametrize("topic", TOPICS)
def test_every_stage_mimic_and_skin_of_colour_has_a_link_with_a_licence_note(topic):
    links = links_for(topic)
    assert links, f"no photograph linked for {topic}"
    for link in links:
        assert link.url.startswith(("https://", "http://")) and link.licence.strip()


def test_link_references_match_their_reference_urls_or_name_the_source():
    references = load_knowledge().references
    for link in load_image_links():
        assert link.ref in references
    assert {stage.value for stage in PRACTICE_STAGES} <= set(TOPICS)


def test_mimics_give_clinical_clues_and_trichoscopy_with_references():
    mimics = {mimic.name: mimic for mimic in load_mimics()}
    assert set(mimics) == set(CONDITIONS)
    assert "Tufted hairs" in mimics["folliculitis decalvans"].trichoscopy
    assert "scale" in mimics["lichen planopilaris"].clinical
    assert (
        "No trichoscopic description of herpes simplex" in mimics["herpes folliculitis"].trichoscopy
    )
    assert SKIN_OF_COLOUR in TOPICS


@pytest.mark.parametrize(
    "text,message",
    [
        ("", "needs at least one"),
        (
            '[[link]]\ntopics = ["healed"]\ntitle = "t"\nurl = "ftp://x"\nref = 3\nlicence = "l"',
            "url",
        ),
        (
            '[[link]]\ntopics = ["heald"]\ntitle = "t"\nurl = "https://x"\nref = 3\nlicence = "l"',
            "topics",
        ),
        (
            '[[link]]\ntopics = ["healed"]\ntitle = "t"\nurl = "https://x"\nref = 999\nlicence = "l"',
            "not a reference id",
        ),
        (
            '[[link]]\ntopics = ["healed"]\ntitle = "t"\nurl = "https://x"\nref = 3\nlicence = " "',
            "licence",
        ),
        ("[[link]\n", "not valid TOML"),
    ],
)
def test_broken_link_files_fail_with_the_field_named(tmp_path, text, message):
    path = tmp_path / "image_links.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LinkDataError, match=message):
        load_image_links(path)
