"""The acne necrotica course package: a pure core under thin views.

- ``widgets.core``: the disease model, the knowledge data and its reasoning, the
  histology scenes. No screen: it imports no ipywidgets, matplotlib or IPython.
- ``widgets.views``: the widgets and HTML panels lessons show, built on the core.
- ``widgets.grading``: quiz answer checks and the nbgrader preprocessors.
- ``widgets.tools``: instructor and developer tools (temporary courses, a
  JupyterLab + Chromium launcher, the reference solver).

Views are imported lazily, so ``import widgets.core.model`` never pulls in a
display library, and a lesson still writes one line: ``from widgets import CycleExplorer``.
"""

from importlib import import_module

_EXPORTS = {
    "CycleExplorer": "widgets.views.cycle_explorer",
    "SlideViewer": "widgets.views.slide_viewer",
    "ClinicalViewer": "widgets.views.clinical_viewer",
    "DayViews": "widgets.views.day_views",
    "MimicCloseUps": "widgets.views.clinical_mimics",
    "mimic_clues": "widgets.views.clinical_mimics",
    "DifferentialExplorer": "widgets.views.differential_explorer",
    "TreatmentPlanner": "widgets.views.treatment_planner",
    "ScalpMap": "widgets.views.scalp_map",
    "VisitTracker": "widgets.views.visit_tracker",
    "CaseTrainer": "widgets.views.case_trainer",
    "PracticeQuiz": "widgets.views.practice_quiz",
    "check_yourself": "widgets.views.self_check",
    "predict": "widgets.views.prediction",
    "article_panel": "widgets.views.knowledge_html",
    "article_vs_evidence": "widgets.views.knowledge_html",
    "differentials_table": "widgets.views.knowledge_html",
    "treatment_table": "widgets.views.knowledge_html",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module 'widgets' has no attribute {name!r}")
    return getattr(import_module(_EXPORTS[name]), name)
