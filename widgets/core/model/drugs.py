"""Treatments as the model sees them: which knob each one turns, how hard and how fast.

Every number here is **invented for teaching**: first-order on/off effects, not
pharmacokinetic fits, and no dose is implied.  Time constants only have the right
order of magnitude (doxycycline's serum half-life is about a day; isotretinoin's
effect on sebum builds over weeks and outlasts the course by months).  The
mechanisms are hypotheses for acne necrotica (brief §3, §6); the sebum route of
isotretinoin is borrowed from acne vulgaris.
"""

from dataclasses import dataclass
from enum import Enum

from widgets.core.choices import one_of


class Drug(str, Enum):
    """A treatment a learner can pick; the value is the plain-text name shown in widgets."""

    TOPICAL_ANTIBIOTIC = "topical antibiotic"
    ORAL_TETRACYCLINE = "oral tetracycline"
    TOPICAL_CORTICOSTEROID = "topical corticosteroid"
    SYSTEMIC_CORTICOSTEROID = "systemic corticosteroid"
    ISOTRETINOIN = "isotretinoin"
    # A medicated (antidandruff) shampoo; the brief's examples, ketoconazole and ciclopirox, are
    # antifungals. The model has one microbe compartment, so it only trims that growth a little.
    ANTISEPTIC_SHAMPOO = "medicated shampoo"
    STOP_SCRATCHING = "stop scratching"

    @classmethod
    def parse(cls, name: "Drug | str") -> "Drug":
        """The drug called ``name``, ignoring case and extra spaces; a clear error otherwise."""
        if isinstance(name, cls):
            return name
        typed = name.replace("_", " ") if isinstance(name, str) else name
        return cls(one_of(typed, cls, "drug"))

    @property
    def effect(self) -> "DrugEffect":
        """What the drug does in the model."""
        return DRUG_EFFECTS[self]

    @property
    def is_antimicrobial(self) -> bool:
        """True if the drug slows bacterial growth in the model (directly or through sebum)."""
        return self.effect.growth_cut > 0 or self.effect.sebum_cut > 0


@dataclass(frozen=True)
class DrugEffect:
    """Full-strength effects of one drug and how fast they come and go.

    The effect follows u(t) = 1 - exp(-(t - start)/onset_days) while taken, then
    decays as exp(-(t - stop)/offset_days).  Fractions are of the untreated value.
    """

    onset_days: float
    offset_days: float
    growth_cut: float = 0.0
    """Fraction by which bacterial growth is slowed (bacteriostatic action)."""
    recruitment_cut: float = 0.0
    """Fraction by which effector recruitment is damped (a non-antibiotic anti-inflammatory action)."""
    steroid_source: float = 0.0
    """Added anti-inflammatory source, response units per hour."""
    sebum_cut: float = 0.0
    """Fraction by which sebum-dependent bacterial growth and inoculum are cut (acne-vulgaris borrowing)."""
    scratch_cut: float = 0.0
    """Fraction of scratching removed."""


DRUG_EFFECTS: dict[Drug, DrugEffect] = {
    Drug.TOPICAL_ANTIBIOTIC: DrugEffect(onset_days=1.0, offset_days=1.0, growth_cut=0.7),
    Drug.ORAL_TETRACYCLINE: DrugEffect(
        onset_days=1.0, offset_days=1.0, growth_cut=0.8, recruitment_cut=0.3
    ),
    Drug.TOPICAL_CORTICOSTEROID: DrugEffect(onset_days=0.5, offset_days=0.5, steroid_source=0.02),
    Drug.SYSTEMIC_CORTICOSTEROID: DrugEffect(onset_days=0.5, offset_days=0.5, steroid_source=0.06),
    Drug.ISOTRETINOIN: DrugEffect(onset_days=14.0, offset_days=120.0, sebum_cut=0.85),
    Drug.ANTISEPTIC_SHAMPOO: DrugEffect(onset_days=1.0, offset_days=1.0, growth_cut=0.1),
    Drug.STOP_SCRATCHING: DrugEffect(onset_days=2.0, offset_days=2.0, scratch_cut=1.0),
}
