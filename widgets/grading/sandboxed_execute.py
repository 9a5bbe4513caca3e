"""Autograde's execute step: the student's cells and the tests in two sandboxed kernels.

``SandboxedExecute`` replaces nbgrader's ``Execute`` in ``Autograde.autograde_preprocessors``.
For each notebook it starts two fresh kernels, each in its own grading sandbox
(``widgets.grading.sandbox``):

- the **student kernel** runs every cell except the tests, in order (the
  instructor's read-only cells, the answers, any cell the student added).  Before
  each test it reports the plain values of the declared answers
  (``widgets.grading.answer_values``);
- the **test kernel** runs only the instructor's cells, their source taken from
  the gradebook: the read-only cells and, before each test, code that binds the
  validated answer values of that moment.

The graded notebook then shows the student kernel's outputs in the student's
cells and the test kernel's outputs in the test cells, so nbgrader's own scoring
(``SaveAutoGrades``, ``GetGrades``) runs unchanged.

Crashes cost only what they reach: when the student kernel dies, hangs or runs out
of time, the cell it stopped in says why, every test after it records a
``NotGraded`` error (scoring 0), the tests before it keep their scores, and the
notebook is still graded, so the student stays in the gradebook.
"""

from __future__ import annotations

import asyncio
import copy
import fnmatch
import os
import re
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from queue import Empty

import nbformat
from jupyter_core.utils import run_sync
from nbclient import NotebookClient
from nbclient.exceptions import DeadKernelError
from nbformat import NotebookNode
from nbformat.v4 import new_code_cell, new_notebook, new_output
from nbgrader.preprocessors import Execute
from traitlets import Bool, Integer

from widgets.grading.answer_values import (
    VALUES_MIME,
    Answer,
    Unset,
    binding_code,
    capture_code,
    declared_answers,
    read_report,
)
from widgets.grading.sandbox import (
    OFF_SWITCH,
    Jail,
    Limits,
    SandboxKernelManager,
    SandboxUnavailable,
    require_sandbox,
)

NOT_REACHED = "NotGraded"
SKIPPED_FILES = ("*.ipynb", "timestamp.txt", ".*", "__pycache__")


@dataclass
class CellPlan:
    """What happens to one notebook cell: who runs it and which answers a test sees."""

    index: int
    role: str  # "student" (student kernel), "setup" (both kernels), "test" (test kernel)
    source: str = ""  # for the test kernel: the gradebook's source
    snapshot: int = 0  # for a test: which report of the answers it sees


@dataclass
class Stop:
    """Why a kernel stopped early, and at which notebook cell."""

    index: int
    reason: str


@dataclass
class Snapshot:
    """The answers at one moment, once the student kernel got there (or why it did not)."""

    ready: asyncio.Event = field(default_factory=asyncio.Event)
    values: dict[str, object] | None = None
    stop: Stop | None = None


def plan_cells(nb: NotebookNode, gradebook_cells: dict, test_ids: set[str]) -> list[CellPlan]:
    """Who runs each code cell.  Only cells the gradebook knows as the instructor's run
    in the test kernel, and with the gradebook's source, whatever the submission says."""
    plans = []
    snapshot = 0
    student_ran = False
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        known = gradebook_cells.get(grade_id)
        if grade_id in test_ids and known is not None:
            if student_ran:
                snapshot += 1
                student_ran = False
            plans.append(CellPlan(index, "test", known["source"], snapshot))
        elif known is not None and known["locked"] and not known["solution"]:
            plans.append(CellPlan(index, "setup", known["source"]))
            student_ran = True
        else:
            plans.append(CellPlan(index, "student"))
            student_ran = True
    return plans


def plan_for_test_kernel(plans: list[CellPlan]) -> list[CellPlan]:
    """The instructor's cells up to the last test: what runs after it cannot change a score."""
    ours = [plan for plan in plans if plan.role != "student"]
    tests = [position for position, plan in enumerate(ours) if plan.role == "test"]
    return ours[: tests[-1] + 1] if tests else []


def plan_for_student_kernel(plans: list[CellPlan]) -> list[CellPlan]:
    """Every cell but the instructor's cells that end the notebook, after the last test and
    the last student cell: they can change neither a score nor what the grader reads."""
    last = max((p.index for p in plans if p.role in ("test", "student")), default=-1)
    return [plan for plan in plans if plan.role != "setup" or plan.index < last]


class CappedClient(NotebookClient):
    """An nbclient that keeps at most ``output_limit`` bytes of output per cell and no
    widget state, so a kernel printing without end cannot exhaust the grader's memory."""

    def __init__(self, *args, output_limit: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.output_limit = output_limit
        self.used: dict[int, int] = {}
        self.truncated: set[int] = set()
        self.last_reply: dict | None = None

    def output(self, outs, msg, display_id, cell_index):
        size = _size(msg.get("content"))
        used = self.used.get(cell_index, 0) + size
        self.used[cell_index] = used
        if used > self.output_limit:
            self.truncated.add(cell_index)
            return None
        return super().output(outs, msg, display_id, cell_index)

    def on_cell_executed(self, **kwargs) -> None:
        """Record the reply; a timed-out or silent error still leaves an error output."""
        reply, cell = kwargs["execute_reply"], kwargs["cell"]
        self.last_reply = reply
        content = (reply or {}).get("content", {})
        if content.get("status") == "error" and not any(
            out.output_type == "error" and out.get("ename") == content.get("ename")
            for out in cell.outputs
        ):
            cell.outputs.append(
                new_output(
                    "error",
                    ename=content.get("ename", "Error"),
                    evalue=content.get("evalue", ""),
                    traceback=content.get("traceback") or [content.get("ename", "Error")],
                )
            )


def _size(node: object) -> int:
    if isinstance(node, str):
        return len(node)
    if isinstance(node, dict):
        return sum(_size(v) for v in node.values()) + 8
    if isinstance(node, list):
        return sum(_size(v) for v in node) + 8
    return 8


class SandboxedExecute(Execute):
    """Run a submission's cells and its tests in two sandboxed kernels (see the module).

    Timeouts and kernel arguments come from nbgrader's ``Execute`` settings
    (``c.Execute.timeout`` is the per-cell limit).
    """

    sandbox = Bool(
        True,
        help="Run both kernels in the grading sandbox.  False grades with ordinary kernels "
        "(student code then has your rights); every such submission is logged.",
    ).tag(config=True)
    submission_timeout = Integer(
        600, help="Seconds the student's kernel may take for the whole notebook."
    ).tag(config=True)
    interrupt_grace = Integer(
        5, help="Seconds a kernel has to answer again after a timed-out cell was interrupted."
    ).tag(config=True)
    output_limit = Integer(1 << 20, help="Bytes of output kept per cell.").tag(config=True)
    memory_bytes = Integer(Limits.memory_bytes, help="Address space per process.").tag(config=True)
    processes = Integer(Limits.processes, help="Processes and threads per sandbox.").tag(
        config=True
    )
    cpu_seconds = Integer(Limits.cpu_seconds, help="CPU seconds per process.").tag(config=True)
    file_bytes = Integer(Limits.file_bytes, help="Largest file a kernel may write.").tag(
        config=True
    )
    folder_bytes = Integer(
        Limits.folder_bytes, help="Size of each of the writable folders (in memory)."
    ).tag(config=True)

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        info = resources["nbgrader"]
        sandboxed = self.sandbox and os.environ.get(OFF_SWITCH, "").lower() not in ("off", "0")
        if sandboxed:
            require_sandbox()
        else:
            self.log.warning(
                "GRADING WITHOUT THE SANDBOX: %s/%s runs with the grader's rights",
                info["student"],
                info["assignment"],
            )
        answers = self._declared_answers(info)
        cells, tests = self._gradebook_cells(info)
        plans = plan_cells(nb, cells, tests)
        folders = self._folders(info)
        grading = Grading(self, nb, plans, answers, folders, sandboxed, self._limits())
        run_sync(grading.run)()
        for message in grading.messages:
            self.log.warning("%s/%s: %s", info["student"], info["assignment"], message)
        return nb, resources

    def _limits(self) -> Limits:
        return Limits(
            memory_bytes=self.memory_bytes,
            processes=self.processes,
            cpu_seconds=self.cpu_seconds,
            file_bytes=self.file_bytes,
            folder_bytes=self.folder_bytes,
        )

    def _coursedir(self):
        from nbgrader.coursedir import CourseDirectory

        parent = self.parent
        while parent is not None:
            if isinstance(getattr(parent, "coursedir", None), CourseDirectory):
                return parent.coursedir
            parent = getattr(parent, "parent", None)
        return CourseDirectory(config=self.config)

    def _declared_answers(self, info: dict) -> dict[str, Answer]:
        coursedir = self._coursedir()
        source = Path(
            coursedir.format_path(coursedir.source_directory, ".", info["assignment"])
        ) / (info["notebook"] + ".ipynb")
        if not source.exists():
            raise FileNotFoundError(
                f"the instructor's notebook {source} is needed to know which answers to grade"
            )
        return declared_answers(nbformat.read(source, as_version=4))

    def _gradebook_cells(self, info: dict) -> tuple[dict, set[str]]:
        from nbgrader.api import Gradebook

        with Gradebook(info["db_url"]) as gradebook:
            notebook = gradebook.find_notebook(info["notebook"], info["assignment"])
            solutions = {cell.name for cell in notebook.solution_cells}
            cells = {
                cell.name: {
                    "source": cell.source,
                    "locked": cell.locked,
                    "solution": cell.name in solutions,
                }
                for cell in notebook.source_cells
                if cell.cell_type == "code"
            }
            tests = {cell.name for cell in notebook.grade_cells if cell.name not in solutions}
        return cells, tests

    def _folders(self, info: dict) -> dict[str, dict[str, Path]]:
        """Data files for each kernel: the released files (master copies) for both, and
        the student's own other files for the student kernel.  Notebooks, hidden files and
        symlinks never; the whole stays within the sandbox's folder size."""
        coursedir = self._coursedir()
        submitted = Path(
            coursedir.format_path(
                coursedir.submitted_directory, info["student"], info["assignment"]
            )
        )
        release = Path(coursedir.format_path(coursedir.release_directory, ".", info["assignment"]))
        released = _data_files(release, self.folder_bytes // 2)
        student = _data_files(submitted, self.folder_bytes // 2)
        return {"student": {**student, **released}, "tests": released}


def _data_files(folder: Path, budget: int) -> dict[str, Path]:
    files = {}
    if not folder.is_dir():
        return files
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if any(
            fnmatch.fnmatch(part, pattern) for part in relative.parts for pattern in SKIPPED_FILES
        ):
            continue
        if path.is_symlink() or not path.is_file():
            continue
        size = path.stat().st_size
        if size > budget:
            continue
        budget -= size
        files[str(relative)] = path
    return files


class Grading:
    """One notebook's run through the two kernels (see the module docstring)."""

    def __init__(self, step: SandboxedExecute, nb, plans, answers, folders, sandboxed, limits):
        self.step, self.nb, self.plans, self.answers = step, nb, plans, answers
        self.folders, self.sandboxed, self.limits = folders, sandboxed, limits
        self.snapshots = [
            Snapshot() for _ in range(1 + max((p.snapshot for p in plans), default=0))
        ]
        self.snapshots[0].values = dict.fromkeys(answers, Unset("no answer cell had run yet"))
        self.snapshots[0].ready.set()
        self.messages: list[str] = []
        self.final_values: dict[str, object] = self.snapshots[0].values

    async def run(self) -> None:
        for cell in self.nb.cells:
            if cell.cell_type == "code":
                cell.outputs, cell.execution_count = [], None
        student = Kernel(self, "student", self.folders["student"])
        tests = Kernel(self, "tests", self.folders["tests"])
        try:
            await asyncio.gather(student.start(), tests.start())
            await asyncio.gather(self._student_side(student), self._test_side(tests))
        finally:
            await asyncio.gather(student.stop(), tests.stop())
        self._explain_unset_answers()

    async def _student_side(self, kernel: Kernel) -> None:
        deadline = time.monotonic() + self.step.submission_timeout
        reported = 0
        stop = kernel.failure
        for plan in plan_for_student_kernel(self.plans):
            if stop:
                break
            if plan.role == "test":
                if plan.snapshot > reported:
                    reported = plan.snapshot
                    stop = await self._report(kernel, reported, plan.index)
                continue
            if time.monotonic() > deadline:
                stop = Stop(
                    plan.index,
                    f"the submission used up its {self.step.submission_timeout} s; "
                    "later cells were not run",
                )
                break
            stop = await kernel.run(self.nb.cells[plan.index], plan.index)
        if stop:
            self.messages.append(f"the student's kernel stopped: {stop.reason}")
            if 0 <= stop.index < len(self.nb.cells):
                self.nb.cells[stop.index].outputs.append(_not_graded(stop.reason, "KernelStopped"))
        for snapshot in self.snapshots:
            if not snapshot.ready.is_set():
                snapshot.stop = stop or Stop(-1, "the student's kernel stopped")
                snapshot.ready.set()

    async def _report(self, kernel: Kernel, number: int, before_index: int) -> Stop | None:
        cell = new_code_cell(capture_code(list(self.answers)))
        stop = await kernel.run(cell, None)
        texts = [
            out.get("data", {}).get(VALUES_MIME)
            for out in cell.outputs
            if out.output_type == "display_data"
        ]
        values = read_report(texts[-1] if texts else None, self.answers)
        snapshot = self.snapshots[number]
        if stop:
            snapshot.stop = Stop(before_index, stop.reason)
        else:
            snapshot.values = self.final_values = values
        snapshot.ready.set()
        return Stop(before_index, stop.reason) if stop else None

    async def _test_side(self, kernel: Kernel) -> None:
        bound = None
        stop = kernel.failure
        for plan in plan_for_test_kernel(self.plans):
            cell = self.nb.cells[plan.index]
            if plan.role == "test":
                snapshot = self.snapshots[plan.snapshot]
                await snapshot.ready.wait()
                if snapshot.stop:
                    cell.outputs = [
                        _not_graded(
                            "this test was not reached: the student's kernel stopped before it "
                            f"({snapshot.stop.reason})"
                        )
                    ]
                    continue
            if stop:
                if plan.role == "test":
                    cell.outputs = [_not_graded(f"the test kernel stopped ({stop.reason})")]
                continue
            if plan.role == "test" and snapshot.values is not bound:
                binding = new_code_cell(binding_code(snapshot.values))
                stop = await kernel.run(binding, None, store_history=False)
                bound = snapshot.values
                if not stop and binding.outputs and binding.outputs[-1].output_type == "error":
                    stop = Stop(plan.index, "the answers could not be bound")
                if stop:
                    cell.outputs = [_not_graded(f"the test kernel stopped ({stop.reason})")]
                    continue
            scratch = new_code_cell(plan.source, metadata=copy.deepcopy(cell.metadata))
            stop = await kernel.run(scratch, plan.index)
            if plan.role == "test":
                cell.outputs = scratch.outputs
                cell.execution_count = scratch.execution_count
                if stop:
                    cell.outputs.append(_not_graded(f"the test kernel stopped ({stop.reason})"))
                elif kernel.was_truncated:
                    cell.outputs.append(_not_graded("the test's output exceeded the output limit"))
                self._explain_name_errors(cell, snapshot.values)
        if stop:
            self.messages.append(f"the test kernel stopped: {stop.reason}")

    def _explain_name_errors(self, cell, values: dict[str, object]) -> None:
        """``name 'x' is not defined`` in a test says why x was not passed on."""
        for out in cell.outputs:
            if out.output_type != "error" or out.get("ename") != "NameError":
                continue
            match = re.match(r"name '(\w+)' is not defined", out.get("evalue", ""))
            value = values.get(match.group(1)) if match else None
            if isinstance(value, Unset):
                out.evalue = f"{out.evalue}: {value.reason}"
                out.traceback = [f"NameError: {out.evalue}"]

    def _explain_unset_answers(self) -> None:
        """Under each answer cell that ran, a note for every answer the tests did not get."""
        by_cell: dict[str, list[str]] = {}
        for name, value in self.final_values.items():
            if isinstance(value, Unset) and name in self.answers:
                by_cell.setdefault(self.answers[name].cell_id, []).append(value.reason)
        for cell in self.nb.cells:
            reasons = by_cell.get(cell.metadata.get("nbgrader", {}).get("grade_id"))
            if reasons and cell.get("execution_count") is not None:
                text = "".join(
                    f"[grader] {reason}: the tests see it as not set\n" for reason in reasons
                )
                cell.outputs.append(new_output("stream", name="stdout", text=text))


def _not_graded(reason: str, name: str = NOT_REACHED) -> NotebookNode:
    return new_output("error", ename=name, evalue=reason, traceback=[f"{name}: {reason}"])


class Kernel:
    """One sandboxed kernel of a grading, with the cell-by-cell run and its failure modes."""

    def __init__(self, grading: Grading, role: str, files: dict[str, Path]) -> None:
        self.grading, self.role, self.files = grading, role, files
        step = grading.step
        self.jail = Jail(files, grading.limits) if grading.sandboxed else None
        self.workdir = None if self.jail else Path(tempfile.mkdtemp(prefix="anm-grading-"))
        if self.workdir:
            for relative, path in files.items():
                (self.workdir / relative).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, self.workdir / relative)
        self.km = SandboxKernelManager(self.jail, config=step.config)
        self.client = CappedClient(
            new_notebook(),
            km=self.km,
            timeout=step.timeout,
            startup_timeout=step.startup_timeout,
            interrupt_on_timeout=True,
            error_on_timeout=step.error_on_timeout,
            allow_errors=True,
            raise_on_iopub_timeout=False,
            iopub_timeout=step.iopub_timeout,
            store_widget_state=False,
            record_timing=step.record_timing,
            shutdown_kernel="immediate",
            extra_arguments=list(step.extra_arguments),
            output_limit=step.output_limit,
            log=step.log,
        )
        self.failure: Stop | None = None
        self.was_truncated = False

    async def start(self) -> None:
        try:
            cwd = str(self.workdir) if self.workdir else "/"
            await self.client.async_start_new_kernel(cwd=cwd)
            await self.client.async_start_new_kernel_client()
        except Exception as error:
            tail = self.jail.log_tail() if self.jail else ""
            raise SandboxUnavailable(
                f"the {self.role} kernel did not start ({error}); it said:\n{tail}"
            ) from error

    async def run(self, cell, index: int | None, store_history: bool = True) -> Stop | None:
        """Execute one cell; a Stop if the kernel died, hung after a timeout or misbehaved."""
        where = -1 if index is None else index
        scratch = self.client.nb
        scratch.cells.append(cell)
        position = len(scratch.cells) - 1
        self.client.last_reply = None
        self.was_truncated = False
        try:
            await self.client.async_execute_cell(cell, position, store_history=store_history)
        except DeadKernelError:
            self.failure = Stop(where, f"the kernel died ({self.km.exit_description()})")
        except Exception as error:
            self.failure = Stop(where, f"the kernel misbehaved ({type(error).__name__}: {error})")
        else:
            self.was_truncated = position in self.client.truncated
            if self.was_truncated and self.role == "student":
                cell.outputs.append(
                    new_output(
                        "stream",
                        name="stdout",
                        text=f"[grader] output cut at {self.client.output_limit} bytes\n",
                    )
                )
            content = (self.client.last_reply or {}).get("content", {})
            if content.get("ename") == "CellTimeoutError" and not await self._answers_again():
                self.failure = Stop(
                    where,
                    f"the cell ran past the {self.client.timeout} s limit and the kernel "
                    "did not stop when interrupted",
                )
        return self.failure

    async def _answers_again(self) -> bool:
        """After an interrupt: does the kernel reply to a request within the grace period?"""
        kc = self.client.kc
        msg_id = kc.kernel_info()
        deadline = time.monotonic() + self.grading.step.interrupt_grace
        while (remaining := deadline - time.monotonic()) > 0:
            try:
                reply = await kc.shell_channel.get_msg(timeout=remaining)
            except Empty:
                return False
            if reply["parent_header"].get("msg_id") == msg_id:
                return True
        return False

    async def stop(self) -> None:
        try:
            if self.client.km is not None and self.client.kc is not None:
                await self.client._async_cleanup_kernel()
            elif self.km.has_kernel:
                await self.km.shutdown_kernel(now=True)
        except Exception as error:
            self.grading.step.log.warning("could not stop the %s kernel: %s", self.role, error)
        finally:
            self.km.remove_sockets()
            if self.jail:
                self.jail.cleanup()
            if self.workdir:
                shutil.rmtree(self.workdir, ignore_errors=True)
