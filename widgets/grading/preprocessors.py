"""The course's nbgrader preprocessors for feedback (the execute step is in ``sandboxed_execute``).

``nbgrader_config.py`` only wires these into nbgrader's chains; living here they
can be imported, linted and unit-tested.
"""

import re

from nbconvert.preprocessors import Preprocessor
from nbformat.v4 import new_output

from widgets.grading.markers import SECRET_REGION


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


class ShowKeyPoints(Preprocessor):
    """In feedback, show a task cell's mark scheme as a labelled block instead of removing it.

    The student reads the key points the grader marked against.  Wire it into
    ``c.GenerateFeedback.preprocessors`` just before ``ClearMarkScheme``.
    """

    enabled = True  # nbconvert preprocessors are off by default and skipped silently
    region = re.compile(r"=== BEGIN MARK SCHEME ===(.*?)=== END MARK SCHEME ===", re.S)
    heading = "**Mark scheme (shown in your feedback after grading).**"

    def preprocess_cell(self, cell, resources, index):
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "markdown" and meta.get("task"):
            cell.source = self.region.sub(
                lambda found: f"{self.heading}\n\n{found.group(1).strip()}", cell.source
            )
        return cell, resources
