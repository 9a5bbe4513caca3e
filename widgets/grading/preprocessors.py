"""The course's nbgrader preprocessors: screening student cells and redacting feedback.

``nbgrader_config.py`` only wires these into nbgrader's chains; living here they
can be imported, linted and unit-tested.
"""

import io
import re
import tokenize

from nbconvert.preprocessors import Preprocessor
from nbformat.v4 import new_output
from nbgrader.preprocessors import NbGraderPreprocessor

from widgets.grading.markers import SECRET_REGION


class RefuseKernelTampering(NbGraderPreprocessor):
    """Refuse to autograde a submission whose own code reaches into the kernel.

    Student code runs in the kernel that then runs the tests, so it could rewrite
    every later cell (IPython input transformers), fake results (display hooks) or
    patch the interpreter.  Answers in this course are plain values, so a student's
    cell that names such machinery is not an answer: the whole submission fails to
    grade, nbgrader logs why, and every mark waits for an instructor.  Instructor
    cells (locked, known to the gradebook, restored just before) are not screened.
    This screens names, it is no sandbox: the shell is also reachable as
    ``exit._ip``, hence that name too, and obfuscated code may still get through.
    """

    forbidden_names = frozenset(
        [
            "get_ipython",
            "IPython",
            "ipykernel",
            "__import__",
            "importlib",
            "exec",
            "eval",
            "compile",
            "globals",
            "locals",
            "vars",
            "getattr",
            "setattr",
            "delattr",
            "builtins",
            "__builtins__",
            "ctypes",
            "gc",
            "inspect",
            "modules",
            "settrace",
            "setprofile",
            "displayhook",
            "excepthook",
            "__class__",
            "__dict__",
            "__globals__",
            "__code__",
            "__subclasses__",
            "__bases__",
            "__mro__",
            "open",
            "subprocess",
            "signal",
            "threading",
            "multiprocessing",
            "kill",
            "system",
            "fork",
            "breakpoint",
            "pdb",
            "_ip",
            "user_ns",
            "run_cell",
            "input_transformers_cleanup",
            "input_transformers_post",
            "ast_transformers",
        ]
    )
    magic_line = re.compile(r"^\s*(?:[\w.]+\s*=\s*)?[%!]", re.M)  # %magic, !shell, x = %magic

    def preprocess_cell(self, cell, resources, index):
        meta = cell.metadata.get("nbgrader", {})
        instructor_cell = meta.get("locked", False) and "grade_id" in meta
        if cell.cell_type == "code" and not instructor_cell:
            found = self._forbidden(cell.source)
            if found:
                raise RuntimeError(
                    f"Submission not graded: the student's cell {meta.get('grade_id', index)!r} uses "
                    f"{', '.join(sorted(found))}, which can tamper with the grading kernel. Grade it by hand."
                )
        return cell, resources

    def _forbidden(self, source):
        found = {"IPython magic or shell command"} if self.magic_line.search(source) else set()
        try:
            for token in tokenize.generate_tokens(io.StringIO(source).readline):
                if token.type == tokenize.NAME and token.string in self.forbidden_names:
                    found.add(token.string)
        except (tokenize.TokenError, SyntaxError):
            pass  # the names read before the error still count; the rest cannot run anyway
        return found


class RedactGraderSecrets(Preprocessor):
    """Keep hidden tests and mark schemes out of every output shown in feedback.

    Runs before ``ClearHiddenTests``, which removes them from the cell sources.
    Errors in test cells are cut to ``Name: message`` (a traceback would quote the
    failing hidden line), and any output that quotes a hidden line (for instance a
    student's code printing the kernel's input history) is replaced by a notice.
    """

    enabled = True  # nbconvert preprocessors are off by default and skipped silently
    hidden_region = SECRET_REGION
    ansi_escape = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
    notice = "[output withheld from feedback: it quoted the grader's hidden tests]\n"

    def preprocess(self, nb, resources):
        secrets = set()
        for cell in nb.cells:
            for region in self.hidden_region.findall(cell.source):
                secrets.update(
                    line.strip() for line in region.splitlines() if len(line.strip()) >= 8
                )
        for cell in nb.cells:
            self._redact_cell(cell, secrets)
        return nb, resources

    def _redact_cell(self, cell, secrets):
        if cell.cell_type != "code":
            return
        meta = cell.metadata.get("nbgrader", {})
        is_test = meta.get("grade", False) and meta.get("locked", False)
        for index, output in enumerate(cell.outputs):
            if is_test and output.output_type == "error":
                output.traceback = [
                    f"{output.ename}: {output.evalue}" if output.evalue else output.ename
                ]
            text = self.ansi_escape.sub("", "\n".join(self._strings(output)))
            if any(secret in text for secret in secrets):
                cell.outputs[index] = new_output("stream", name="stdout", text=self.notice)

    def _strings(self, node):
        """Every string inside an output (text, data of any MIME type, traceback lines)."""
        if isinstance(node, str):
            yield node
        elif isinstance(node, dict):
            for value in node.values():
                yield from self._strings(value)
        elif isinstance(node, list):
            for item in node:
                yield from self._strings(item)
