"""The course's interactive widgets and the models behind them.

Widgets are imported lazily, so ``import widgets.model`` (pure numerics) never
pulls in ipywidgets or matplotlib, and a lesson still writes one line:
``from widgets import CycleExplorer``.
"""

from importlib import import_module

_EXPORTS = {
    "CycleExplorer": "widgets.cycle_explorer",
    "SlideViewer": "widgets.histology.viewer",
    "DifferentialExplorer": "widgets.differential_explorer",
    "TreatmentPlanner": "widgets.treatment_planner",
    "ScalpMap": "widgets.scalp_map",
    "VisitTracker": "widgets.visit_tracker",
    "CaseTrainer": "widgets.case_trainer",
    "Question": "widgets.checks",
    "Option": "widgets.checks",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module 'widgets' has no attribute {name!r}")
    return getattr(import_module(_EXPORTS[name]), name)
