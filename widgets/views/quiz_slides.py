"""Quiz 3's unlabelled slides: drawn once, each with a text alternative of what is drawn.

The description says what a sighted reader sees (shapes, colours, places), never
the name of a finding, which would give the stage or the diagnosis away.
"""

from io import BytesIO

from IPython.display import Image, display
from matplotlib.figure import Figure

from widgets.core.histology import biopsy_scene, comparison_scene
from widgets.core.histology.describe import View, summary
from widgets.core.histology.practice import PRACTICE_SLIDES
from widgets.core.histology.scene import SECTION_EXTENT
from widgets.views.slide_renderer import SlideRenderer


def quiz_scene(deck_index: int, seed: int):
    """The scene of one quiz slide: an entry of the practice deck drawn with ``seed``."""
    answer, form = PRACTICE_SLIDES[deck_index]
    return comparison_scene(answer, seed) if form is None else biopsy_scene(answer, form, seed)


def quiz_slides_png(slides: tuple[tuple[str, int, int], ...]) -> tuple[bytes, list[str]]:
    """``(name, deck index, seed)`` slides drawn side by side as a PNG, and their descriptions."""
    figure = Figure(figsize=(3.2 * len(slides), 4.4), layout="constrained")
    texts = []
    for axes, (name, deck_index, seed) in zip(figure.subplots(1, len(slides)), slides):
        scene = quiz_scene(deck_index, seed)
        SlideRenderer(axes).show(scene, labels=False)
        axes.set_title(name)
        texts.append(f"{name}. {summary(scene, View(*SECTION_EXTENT), mode='quiz')}")
    png = BytesIO()
    figure.savefig(png, format="png", dpi=120)
    return png.getvalue(), texts


def show_quiz_slides(slides: tuple[tuple[str, int, int], ...]) -> None:
    """Draw the slides and print their descriptions (for a quiz's read-only exploring cell)."""
    png, texts = quiz_slides_png(slides)
    display(Image(png))
    print("\n\n".join(texts))
