"""The pure core: the disease model, the knowledge data and its reasoning, the histology scenes.

Nothing here draws: no module imports ipywidgets, matplotlib, IPython or anywidget
(``tests/test_architecture.py`` enforces it), so the core is fast to import,
deterministic for a seed and testable on its own.
"""
