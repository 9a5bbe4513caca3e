"""Every citation in the course names a real reference: lessons, quizzes, data and slides.

A citation is written ``[n]`` or ``[n, m, ...]`` with ids from
``widgets/core/knowledge/data/references.toml`` (the medical brief's numbers).  Lesson 2
also cites the two published models it borrows from as ``[M1]`` and ``[M2]``; those are
not in the brief, so the lesson lists them itself.  Each notebook's ``## References``
cell lists everything the notebook cites (and what its widgets and rendered claims cite);
an entry in the full form (``- [n] citation <address>``) is the course's, word for word.
"""

import ast
import re
import tomllib
from pathlib import Path

import pytest
from notebook_files import ALL_NOTEBOOKS, LESSONS, REPO, ids, read

from widgets.core.histology import CONDITIONS, biopsy_scene, comparison_scene
from widgets.core.model import Form, Stage

DATA = REPO / "widgets" / "core"
REFERENCES = tomllib.loads((DATA / "knowledge/data/references.toml").read_text(encoding="utf-8"))
KNOWN = {reference["id"]: reference for reference in REFERENCES["reference"]}
CITATION = re.compile(r"(?<![\w\])])\[(M?\d+(?:,\s*M?\d+)*)\]")
"""A citation in prose: not an index such as ``y[0]`` or ``f(x)[1]``."""
LISTED = re.compile(r"^- \[(M?\d+)\] (.*?)(?: <(\S+)>)?$", re.M)
"""A References entry; the full form ends with the address in angle brackets."""
MODEL_SOURCES = {
    ref
    for path in LESSONS
    for cell in read(path).cells
    if cell.source.startswith("## References")
    for ref in re.findall(r"^- \[(M\d+)\]", cell.source, re.M)
}
"""The published models the teaching model borrows from, as a lesson lists them ([M1], ...)."""
DATA_FILES = sorted(path for path in DATA.rglob("*.toml") if path.name != "references.toml")
CODE_FILES = sorted(DATA.rglob("*.py"))


def _ids(text: str) -> list[str]:
    """Every id cited in ``text``, as written ('3', 'M1'); ids start at 1, so a bracket
    opening with 0 is an interval such as [0, 1], not a citation."""
    return [
        ref.strip()
        for group in CITATION.findall(text)
        if not group.startswith("0")
        for ref in group.split(",")
    ]


def _strings(source: str) -> list[str]:
    """The string constants of Python source: what a code cell or module shows as text."""
    return [
        node.value
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    ]


def _notebook_texts(path: Path) -> tuple[list[str], str]:
    """(texts that may cite, the References cell or '' when there is none) of a notebook."""
    cells = read(path).cells
    references = [cell.source for cell in cells if cell.source.startswith("## References")]
    assert len(references) <= 1, f"{path.name} has more than one '## References' cell"
    texts = []
    for cell in cells:
        if cell.source.startswith("## References"):
            continue
        texts += [cell.source] if cell.cell_type == "markdown" else _strings(cell.source)
    return texts, references[0] if references else ""


def _unknown(refs) -> set:
    return {ref for ref in refs if ref not in KNOWN}


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=ids(ALL_NOTEBOOKS))
def test_a_notebook_cites_what_its_references_list_and_the_list_is_the_course_s(path):
    texts, references = _notebook_texts(path)
    cited = {ref for text in texts for ref in _ids(text)}
    listed = {ref: (citation, url) for ref, citation, url in LISTED.findall(references)}
    if path.parent == REPO / "lessons":
        assert cited, f"{path.name} cites nothing"
    brief = {ref for ref in cited if not ref.startswith("M")}
    assert _unknown(int(ref) for ref in brief) == set(), "not in references.toml"
    assert references or not cited, f"{path.name} cites but has no '## References' cell"
    assert cited - set(listed) == set(), "cited but missing from the notebook's References"
    for ref, (citation, url) in listed.items():
        if url and not ref.startswith("M"):
            assert (citation, url) == (KNOWN[int(ref)]["citation"], KNOWN[int(ref)]["url"]), (
                f"[{ref}] is listed differently from references.toml"
            )
    for ref in cited - brief:
        assert listed[ref][0], f"model source [{ref}] is cited but not described"


def _toml_refs(value, where: str):
    """(where, id) for every id a data file cites: ``*refs`` lists and ``[n]`` in its text."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key.endswith("refs"):
                yield from ((f"{where}.{key}", ref) for ref in item)
            else:
                yield from _toml_refs(item, f"{where}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _toml_refs(item, f"{where}[{index}]")
    elif isinstance(value, str):
        yield from ((where, int(ref) if ref.isdigit() else ref) for ref in _ids(value))


@pytest.mark.parametrize("path", DATA_FILES, ids=ids(DATA_FILES))
def test_every_reference_a_data_file_cites_exists(path):
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    cited = list(_toml_refs(data, path.stem))
    unknown = [(where, ref) for where, ref in cited if not isinstance(ref, int) or ref not in KNOWN]
    assert unknown == []


def test_every_citation_in_the_core_s_text_exists():
    """Docstrings and messages of the pure core (slide findings, model notes, question banks)
    cite [n] too, and [Mn] for a model source a lesson lists."""
    assert MODEL_SOURCES, "no lesson lists the model's sources"
    unknown = [
        (str(path.relative_to(REPO)), ref)
        for path in CODE_FILES
        for text in _strings(path.read_text(encoding="utf-8"))
        for ref in _ids(text)
        if ref not in MODEL_SOURCES and (ref.startswith("M") or int(ref) not in KNOWN)
    ]
    assert unknown == []


def test_every_slide_finding_cites_a_known_reference():
    scenes = [biopsy_scene(stage, form) for stage in Stage for form in Form]
    scenes += [comparison_scene(condition) for condition in CONDITIONS]
    cited = {ref for scene in scenes for feature in scene.features for ref in feature.refs}
    assert cited, "no slide cites anything"
    assert _unknown(cited) == set()
