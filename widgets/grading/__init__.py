"""Grading: what quiz notebooks call (answer checks, feedback), and the autograde machinery.

``sandbox`` (a bubblewrap kernel), ``sandboxed_execute`` (autograde's execute step: the
student's cells and the tests in two sandboxed kernels), ``answer_values`` (the plain
values passed between them), ``cohort`` (a whole class in parallel), ``preprocessors``
(feedback redaction).
"""
