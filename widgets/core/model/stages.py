"""Stages of one follicle-centred lesion, the vocabulary shared by the model and its views.

The model labels every simulated day with one of these stages; the histology
renderer and the scalp map draw what belongs to a stage, so the views always
agree with the simulation.  The order follows the evolution of a lesion in the
medical brief (§2 and §4): papule, necrosis, crust, healing and, in the deep
(varioliformis) form, a scar where the follicle was destroyed.
"""

from enum import Enum


class Stage(str, Enum):
    """A lesion stage; the value is the plain-text name used in quizzes and widgets."""

    QUIET = "quiet"
    """No active lesion: normal follicles (earlier scars, if any, remain)."""

    EARLY = "early"
    """Early papule: perifollicular lymphocytes, spongiosis, scattered necrotic keratinocytes."""

    NECROTIC = "necrotic"
    """Evolving lesion: necrosis spreads to the infundibulum and epidermis; vesicle or pustule."""

    CRUSTED = "crusted"
    """Late lesion: adherent crust over a necrotic follicular unit; mixed infiltrate, neutrophils late."""

    HEALING = "healing"
    """Resolving lesion: inflammation fading, crust shed; follicle intact if necrosis stayed superficial."""

    SCARRED = "scarred"
    """Healed deep lesion: destroyed follicle replaced by fibrosis (varioliform scar)."""

    @property
    def label(self) -> str:
        """Name for people: 'early' -> 'Early'."""
        return self.value.capitalize()


STAGE_ORDER: tuple[Stage, ...] = tuple(Stage)
"""Stages in the order a lesion passes through them; also their integer codes (index)."""
