"""Grading: the answer checks quiz notebooks call, and the nbgrader preprocessors the config wires."""
