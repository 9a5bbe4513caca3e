"""Open photographs to look at beside each drawing, and the mimics' clinical clues, from TOML.

Both files are data the course states; the loaders check every field and every
reference id, so a typo fails loudly in a test instead of showing a broken link.
Nothing here downloads anything: the view shows the links, the learner follows them.
"""

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from widgets.core.clinical.stages import LESION_STAGES
from widgets.core.histology.findings import CONDITIONS
from widgets.core.knowledge import load_knowledge

DATA_DIR = Path(__file__).parent / "data"
SKIN_OF_COLOUR = "skin of colour"
TOPICS: tuple[str, ...] = (
    tuple(stage.value for stage in LESION_STAGES) + CONDITIONS + (SKIN_OF_COLOUR,)
)
"""What a link can be about: a lesion stage, a mimic, or skin of colour."""
NO_ACNE_NECROTICA_TRICHOSCOPY = (
    "No published trichoscopic (dermoscopic) description of acne necrotica was found."
)


class LinkDataError(ValueError):
    """A data file is malformed; the message names the file, the entry and the field."""


@dataclass(frozen=True)
class ImageLink:
    """A page with photographs: what it shows, where, its reference and what is known of its licence."""

    topics: tuple[str, ...]
    title: str
    url: str
    ref: int
    licence: str


@dataclass(frozen=True)
class MimicClues:
    """A mimic's clinical clues and trichoscopy, each with its references."""

    name: str
    clinical: str
    clinical_refs: tuple[int, ...]
    trichoscopy: str
    trichoscopy_refs: tuple[int, ...]


def _entries(path: Path, table: str) -> list[dict]:
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise LinkDataError(f"{path.name}: not valid TOML ({error})") from None
    entries = document.get(table)
    if not isinstance(entries, list) or not entries:
        raise LinkDataError(f"{path.name}: needs at least one [[{table}]] table")
    return entries


def _text(file: str, index: int, raw: dict, field: str) -> str:
    value = raw.get(field)
    if not isinstance(value, str) or not value.strip():
        raise LinkDataError(f"{file}, entry {index + 1}, field {field!r}: needs some text")
    return value


def _refs(file: str, index: int, raw: dict, field: str, known) -> tuple[int, ...]:
    value = raw.get(field)
    values = value if isinstance(value, list) else [value]
    for ref in values:
        if isinstance(ref, bool) or not isinstance(ref, int) or ref not in known:
            raise LinkDataError(
                f"{file}, entry {index + 1}, field {field!r}: {ref!r} is not a reference id "
                "of references.toml"
            )
    return tuple(values)


def load_image_links(path: Path | None = None) -> tuple[ImageLink, ...]:
    """Every image link, checked (``path``: another file of the same shape, for tests)."""
    return _load_links(path or DATA_DIR / "image_links.toml")


@lru_cache(maxsize=4)
def _load_links(path: Path) -> tuple[ImageLink, ...]:
    known = load_knowledge().references
    links = []
    for index, raw in enumerate(_entries(path, "link")):
        url = _text(path.name, index, raw, "url")
        if not url.startswith(("https://", "http://")):
            raise LinkDataError(
                f"{path.name}, entry {index + 1}, field 'url': should start with https:// or "
                f"http://, got {url!r}"
            )
        topics = raw.get("topics")
        if not isinstance(topics, list) or not topics or any(t not in TOPICS for t in topics):
            raise LinkDataError(
                f"{path.name}, entry {index + 1}, field 'topics': a list of {', '.join(TOPICS)}; "
                f"got {topics!r}"
            )
        links.append(
            ImageLink(
                topics=tuple(topics),
                title=_text(path.name, index, raw, "title"),
                url=url,
                ref=_refs(path.name, index, raw, "ref", known)[0],
                licence=_text(path.name, index, raw, "licence"),
            )
        )
    return tuple(links)


def links_for(topic: str) -> tuple[ImageLink, ...]:
    """The image links about ``topic`` (a stage value, a mimic or "skin of colour")."""
    return tuple(link for link in load_image_links() if topic in link.topics)


@lru_cache(maxsize=1)
def load_mimics() -> tuple[MimicClues, ...]:
    """The mimics' clinical clues and trichoscopy, checked."""
    path = DATA_DIR / "mimics.toml"
    known = load_knowledge().references
    mimics = []
    for index, raw in enumerate(_entries(path, "mimic")):
        name = _text(path.name, index, raw, "name")
        if name not in CONDITIONS:
            raise LinkDataError(f"{path.name}, entry {index + 1}: unknown mimic {name!r}")
        mimics.append(
            MimicClues(
                name=name,
                clinical=_text(path.name, index, raw, "clinical"),
                clinical_refs=_refs(path.name, index, raw, "clinical_refs", known),
                trichoscopy=_text(path.name, index, raw, "trichoscopy"),
                trichoscopy_refs=_refs(path.name, index, raw, "trichoscopy_refs", known),
            )
        )
    return tuple(mimics)
