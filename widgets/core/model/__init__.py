"""The teaching model of acne necrotica: pure numerics (numpy and numba), no display.

Inflammation core from Reynolds et al. 2006; fibrosis switch reduced from Adler
et al. 2020; follicle loss, scar, flares, scratching and drug effects invented
for teaching.  Didactic, not calibrated to patients.
"""

from .drugs import Drug, DrugEffect
from .forms import Form
from .scenario import Scenario, Treatment
from .simulation import (
    ACTIVE_STAGES,
    ClusterCourse,
    Course,
    simulate,
    simulate_clusters,
    sweep_start_day,
)
from .stages import STAGE_ORDER, Stage

__all__ = [
    "ACTIVE_STAGES",
    "STAGE_ORDER",
    "ClusterCourse",
    "Course",
    "Drug",
    "DrugEffect",
    "Form",
    "Scenario",
    "Stage",
    "Treatment",
    "simulate",
    "simulate_clusters",
    "sweep_start_day",
]
