"""nbgrader configuration for the acne necrotica course (nbgrader 0.9.6).

The repository root is the course directory: run every ``nbgrader`` command from
here.  ``solutions/`` holds the instructor notebooks (nbgrader's source folder) and
``assignments/`` the generated student versions (its release folder).

Exchange folder: release, submit, collect and feedback go through a folder shared
by instructor and students.  It defaults to ``/srv/nbgrader/exchange``; set the
environment variable ``NBGRADER_EXCHANGE_ROOT`` (or pass ``--Exchange.root=PATH``)
to use another one.  Students need the same two settings (``Exchange.root`` and
``CourseDirectory.course_id = "acne-necrotica"``) in ``~/.jupyter/nbgrader_config.py``.

Autograde runs student code in a sandbox (bubblewrap): the student's cells run in
one sandboxed kernel, and the tests in a fresh one that receives only the plain
values of the answers, so nothing a submission does to its kernel reaches a test.
See ``widgets.grading.sandboxed_execute``.  To grade without the sandbox (student
code then runs with your rights), set ``c.SandboxedExecute.sandbox = False``.

Feedback never shows hidden tests, mark schemes or expected answers: the chain
below replaces nbgrader's default (``GetGrades``, ``CSSHTMLHeaderPreprocessor``),
which prints every test cell's full source and the tracebacks that quote it.
"""

import os

from nbconvert.preprocessors import ClearMetadataPreprocessor, CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import (
    AssignLatePenalties,
    CheckCellMetadata,
    ClearHiddenTests,
    ClearMarkScheme,
    GetGrades,
    IgnorePattern,
    LimitOutput,
    SaveAutoGrades,
)

from widgets.grading.preprocessors import RedactGraderSecrets, ShowKeyPoints
from widgets.grading.sandboxed_execute import SandboxedExecute

c = get_config()

c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "assignments"
c.CourseDirectory.course_id = "acne-necrotica"
c.Exchange.root = os.environ.get("NBGRADER_EXCHANGE_ROOT", "/srv/nbgrader/exchange")

# Seconds per cell: a student's endless loop costs one cell, not the whole batch.
c.Execute.timeout = 60

# A deleted or metadata-stripped test cell is put back from the gradebook and graded.
c.OverwriteCells.add_missing_cells = True

# Any stderr in a test cell scores it 0.  Forgive stderr made only of Python warning
# lines ("file.py:3: UserWarning: text", optionally followed by the indented source
# line Python quotes); anything else on stderr still counts, so real errors are seen.
c.IgnorePattern.enabled = True
c.IgnorePattern.pattern = (
    r"\A(?:[^\n]*:\d+: [A-Za-z_][\w.]*Warning: [^\n]*\n(?:[ \t]+[^\n]*(?:\n|\Z))*)+\Z"
)

# nbgrader 0.9.6's autograde chain with its Execute step replaced: the student's cells
# and the tests run in two sandboxed kernels; only plain answer values pass between them.
c.Autograde.autograde_preprocessors = [
    SandboxedExecute,
    IgnorePattern,
    ClearMetadataPreprocessor,
    LimitOutput,
    SaveAutoGrades,
    AssignLatePenalties,
    CheckCellMetadata,
]

c.GenerateFeedback.preprocessors = [
    GetGrades,
    RedactGraderSecrets,
    ClearHiddenTests,
    ShowKeyPoints,
    ClearMarkScheme,
    CSSHTMLHeaderPreprocessor,
]
