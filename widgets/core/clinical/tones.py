"""Six skin tones (Fitzpatrick I-VI) and the colours each gives a lesion, as plain hex data.

The rules come from the clinical-appearance brief (§3, table §3.6), which takes
them from general dermatology, not from acne necrotica [89, 91, 94, 95]:

- erythema is pink to red on light skin [89], red to red-brown on medium
  skin [85], and violaceous, burgundy or simply darker than the surrounding skin
  on dark skin [89, 91];
- after healing, post-inflammatory hyperpigmentation runs from tan to dark
  brown or grey-brown on darker skin [94]; hypopigmentation (a paler spot) is
  more noticeable on dark skin [95, 96];
- a varioliform scar is pink early, then pale on light skin [98], reddish-brown
  [8] or paler on medium skin, and pale or with a hyperpigmented rim and pale
  centre on dark skin [85, 96];
- crust, pus and necrosis keep one colour on every tone: their colour comes
  from blood, pus and dead tissue, not melanin (course assumption, §3.5).

Every hex value (``data/tones.toml``) is the course's own choice, a starting point and not a
measurement; they were picked so that each lesion element stays at least
``MIN_LESION_CONTRAST`` CIEDE2000 units from what it lies on, also for
protanopes and deuteranopes (``tests/test_clinical_tones.py``).
"""

import re
import tomllib
from dataclasses import dataclass, fields
from enum import Enum
from pathlib import Path

from widgets.core.choices import one_of
from widgets.core.colour import mix


class Tone(str, Enum):
    """A Fitzpatrick skin phototype; the value is the Roman numeral shown in the tone control."""

    I = "I"  # noqa: E741 - the phototype's own name
    II = "II"
    III = "III"
    IV = "IV"
    V = "V"
    VI = "VI"

    @property
    def label(self) -> str:
        """'Fitzpatrick V'."""
        return f"Fitzpatrick {self.value}"

    @property
    def group(self) -> str:
        """The brief's colour group: 'light' (I-II), 'medium' (III-IV) or 'dark' (V-VI)."""
        return {"I": "light", "II": "light", "III": "medium", "IV": "medium"}.get(
            self.value, "dark"
        )


TONE_ORDER: tuple[Tone, ...] = tuple(Tone)

MIN_LESION_CONTRAST = 10.0
"""CIEDE2000 units each lesion element keeps from its surround, for normal and colour-blind vision."""

CRUST_DARK = "#2b0d0b"
"""Centre of a haemorrhagic crust: black to dark brown [3, 98]; the same on every tone."""
CRUST_RED = "#5c1713"
"""Body of a haemorrhagic crust: dark red [11, 98]."""
CRUST_YELLOW = "#a8792e"
"""Yellow-brown flecks at a crust's edge ("gelblich-braun" [11])."""
PUS = "#f1e6b8"
"""Yellow-white centre of a papulopustule (course assumption; pus is scant [13])."""
NECROSIS = "#5a5250"
"""Grey-black necrotic centre (course assumption; "blackened" [3])."""


@dataclass(frozen=True)
class Palette:
    """The colours one skin tone gives the scalp and each lesion element ('#rrggbb')."""

    tone: Tone
    skin: str
    hair: str
    erythema: str
    """Inflamed papule or rim: red on light skin, violaceous/burgundy and darker on dark skin."""
    erosion: str
    """Raw base of an excoriation."""
    erosion_margin: str
    """Margin of an excoriation: red on light skin, darker than the skin on dark skin (CA)."""
    darker_macule: str
    """A healed miliaris spot: faint pink on light skin (CA), hyperpigmentation otherwise [94]."""
    paler_macule: str
    """A healed spot paler than the skin: post-inflammatory hypopigmentation [95]."""
    recent_scar: str
    """A young varioliform scar: pink [98], reddish-brown [8], or a hyperpigmented rim [85]."""
    old_scar: str
    """An old varioliform scar: pale or white, hypopigmented [95, 96, 98]."""
    white_dots: bool
    """Whether pinpoint white dots (follicular and eccrine openings) show, as on dark scalp [77]."""

    @property
    def opening(self) -> str:
        """A follicular opening: a small spot darker than the skin around it."""
        return mix(self.skin, "#000000", 0.45)

    @property
    def dot(self) -> str:
        """A pinpoint white dot on dark scalp [77, 78]."""
        return mix(self.skin, "#ffffff", 0.55)

    @property
    def shine(self) -> str:
        """The highlight on a tense, oedematous papule ("smooth and shiny" [91])."""
        return mix(self.erythema, "#ffffff", 0.4)

    @property
    def shadow(self) -> str:
        """Shadow inside a dimple or a pit."""
        return mix(self.skin, "#000000", 0.3)

    def halo(self, share: float) -> str:
        """A colour ``share`` of the way from skin to erythema, for a halo that fades out."""
        return mix(self.skin, self.erythema, share)


HEX_COLOUR = re.compile(r"#[0-9a-f]{6}")
PALETTE_FILE = Path(__file__).parent / "data" / "tones.toml"


class ToneDataError(ValueError):
    """The tone table is malformed: named so the course's data checks can report it."""


def _palette(tone: Tone, raw: dict) -> Palette:
    """One tone's table, checked field by field: a typo in a colour fails here, not in a figure."""
    names = {field.name for field in fields(Palette)} - {"tone"}
    if unknown := set(raw) - names:
        raise ToneDataError(f"tones.toml [{tone.value}]: unknown fields {sorted(unknown)}")
    if missing := names - set(raw):
        raise ToneDataError(f"tones.toml [{tone.value}]: missing fields {sorted(missing)}")
    for name, value in raw.items():
        valid = (
            isinstance(value, bool)
            if name == "white_dots"
            else (isinstance(value, str) and HEX_COLOUR.fullmatch(value) is not None)
        )
        if not valid:
            raise ToneDataError(f"tones.toml [{tone.value}] {name} = {value!r}: not a valid value")
    return Palette(tone, **raw)


def load_palettes(path: Path = PALETTE_FILE) -> dict[Tone, Palette]:
    """Every tone's palette from ``tones.toml``; all six tones must be there."""
    document = tomllib.loads(path.read_text(encoding="utf-8"))
    if set(document) != {tone.value for tone in Tone}:
        raise ToneDataError(f"{path.name}: needs exactly the tones {[t.value for t in Tone]}")
    return {tone: _palette(tone, document[tone.value]) for tone in Tone}


PALETTES: dict[Tone, Palette] = load_palettes()
"""Each tone's colours; see the module docstring for where each rule comes from."""

ERYTHEMA_WORDS = {
    "light": "red",
    "medium": "red-brown",
    "dark": "violaceous, darker than the surrounding skin",
}
"""How the erythema of each tone group is described in words [85, 89, 91]."""

DARKER_MACULE_WORDS = {
    "light": "faint pink",
    "medium": "tan to brown (post-inflammatory hyperpigmentation)",
    "dark": "dark brown to grey-brown (post-inflammatory hyperpigmentation)",
}
RECENT_SCAR_WORDS = {
    "light": "pink",
    "medium": "reddish-brown",
    "dark": "dark-rimmed (hyperpigmented rim) with a pale centre",
}


def palette(tone: Tone | str) -> Palette:
    """The colours of ``tone`` (a :class:`Tone` or its numeral, e.g. "V")."""
    return PALETTES[Tone(one_of(tone, Tone, "skin tone"))]
