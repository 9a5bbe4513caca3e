"""A virtual biopsy that follows the disease: schematic scalp slides by stage, form and differential.

``findings`` states what each slide shows (with the medical brief's references),
``scene`` turns that into plain data, ``render`` draws it with matplotlib,
``describe`` puts it into words, and ``viewer`` is the SlideViewer widget.
Importing this package loads neither matplotlib nor ipywidgets.
"""

from widgets.core.histology.findings import CONDITIONS
from widgets.core.histology.scene import Feature, Scene, biopsy_scene, comparison_scene

__all__ = ["CONDITIONS", "Feature", "Scene", "biopsy_scene", "comparison_scene"]
