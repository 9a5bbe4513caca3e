"""The grading sandbox: a Jupyter kernel that runs inside bubblewrap.

Student code is graded in a kernel that sees a read-only system (the interpreter,
its packages and this course's ``widgets`` package), writes only into a private,
size-capped working folder and temporary folder, has no network, cannot see or
signal any process outside, runs as an unprivileged user and lives under resource
limits.  The course folder (solutions, gradebook, other students, the exchange),
the instructor's home and every Jupyter or IPython configuration folder are simply
not in its file system.

It is an ordinary Jupyter kernel from the client's side: ``SandboxKernelManager``
gives jupyter_client a kernel spec whose argv wraps ``bwrap … python -m
ipykernel_launcher -f CONNECTION_FILE``, and the kernel talks over ZeroMQ's IPC
transport (Unix sockets in a folder bound into the sandbox), since a kernel
without a network cannot listen on the grader's loopback.

bubblewrap builds the namespaces.  Run by an ordinary user, it creates a user
namespace in which the kernel is uid 65534.  Run by root (CI machines, a hub), it
needs no user namespace; ``sandbox_init.py`` then drops to a uid of its own,
leased for the kernel's life, so the process limit of one sandbox never counts
another's.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from queue import Empty

from jupyter_client.asynchronous.client import AsyncKernelClient
from jupyter_client.kernelspec import KernelSpec
from jupyter_client.manager import AsyncKernelManager

INIT_SCRIPT = Path(__file__).with_name("sandbox_init.py")
HOME = "/home/student"
WORKDIR = f"{HOME}/work"
STAGED_FILES = "/run/grading/files"
CONNECTION_COPY = "/run/grading/connection.json"
PRIVATE_CONNECTION = "/tmp/.kernel/connection.json"
SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
SYSTEM_FILES = (
    "/etc/ld.so.cache",
    "/etc/ld.so.conf",
    "/etc/ld.so.conf.d",
    "/etc/localtime",
    "/etc/mime.types",
)
UNUSED_PACKAGES = ("debugpy",)
"""Installed packages a grading kernel does without: ipykernel imports its debugger at
start-up when debugpy is there (about a third of a kernel's start-up CPU), and a graded
run is never debugged, so the sandbox shows an empty folder in its place."""
SANDBOX_UID = 65534  # "nobody" inside a user namespace
LEASED_UIDS = range(200_000, 204_096)  # root mode: one host uid per running kernel
OFF_SWITCH = "ANM_GRADING_SANDBOX"

HOW_TO_OPT_OUT = (
    "Grading without the sandbox lets student code read the solutions, rewrite the "
    "gradebook and reach the network with your rights. If you accept that, set "
    "`c.SandboxedExecute.sandbox = False` in nbgrader_config.py or the environment "
    f"variable {OFF_SWITCH}=off; every submission graded so is logged as unsandboxed."
)


class SandboxUnavailable(RuntimeError):
    """The machine cannot start the grading sandbox; the message says how to fix it."""


@dataclass(frozen=True)
class Limits:
    """Resource limits of one sandboxed kernel.

    ``memory_bytes`` and ``cpu_seconds`` bound each process, ``processes`` the
    number of processes and threads together, so the sandbox as a whole holds at
    most ``processes`` x ``memory_bytes`` of memory.  ``file_bytes`` bounds any one
    file and ``folder_bytes`` each of the two writable folders (they live in memory).
    """

    memory_bytes: int = 2 << 30
    processes: int = 64
    cpu_seconds: int = 600
    file_bytes: int = 64 << 20
    open_files: int = 256
    folder_bytes: int = 128 << 20

    def rlimits(self) -> dict[str, int]:
        return {
            "RLIMIT_AS": self.memory_bytes,
            "RLIMIT_NPROC": self.processes,
            "RLIMIT_CPU": self.cpu_seconds,
            "RLIMIT_FSIZE": self.file_bytes,
            "RLIMIT_NOFILE": self.open_files,
            "RLIMIT_CORE": 0,
        }


def runs_as_root() -> bool:
    return os.geteuid() == 0


def namespace_flags() -> list[str]:
    """bubblewrap's isolation: every namespace, a new session, death with the grader."""
    common = ["--die-with-parent", "--new-session", "--hostname", "grading"]
    if runs_as_root():
        return [
            "--unshare-pid",
            "--unshare-net",
            "--unshare-ipc",
            "--unshare-uts",
            "--unshare-cgroup-try",
            "--cap-drop",
            "ALL",
            "--cap-add",
            "CAP_SETUID",  # only for sandbox_init.py to drop to the leased uid
            "--cap-add",
            "CAP_SETGID",
            *common,
        ]
    return [
        "--unshare-all",
        "--unshare-user",  # --unshare-all only tries; --disable-userns needs it for sure
        "--disable-userns",
        "--uid",
        str(SANDBOX_UID),
        "--gid",
        str(SANDBOX_UID),
        *common,
    ]


def system_binds() -> list[str]:
    """The read-only system: /usr and its Debian-style symlinks, the loader's files."""
    args = []
    for path in SYSTEM_DIRS:
        if os.path.islink(path):
            args += ["--symlink", os.readlink(path), path]
        elif os.path.isdir(path):
            args += ["--ro-bind", path, path]
    for path in SYSTEM_FILES:
        args += ["--ro-bind-try", path, path]
    return args


_PROBLEM: list[str | None] = []


def sandbox_problem() -> str | None:
    """Why the sandbox cannot start on this machine, or None if it can (checked once)."""
    if not _PROBLEM:
        _PROBLEM.append(_probe())
    return _PROBLEM[0]


def _probe() -> str | None:
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        return (
            "The grading sandbox needs bubblewrap (`bwrap`), which is not installed. "
            "Install it (Debian/Ubuntu: `sudo apt-get install bubblewrap`; Fedora: "
            "`sudo dnf install bubblewrap`) and grade again. " + HOW_TO_OPT_OUT
        )
    command = [bwrap, *namespace_flags(), *system_binds(), "--", "/usr/bin/true"]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as error:
        said = str(error)
    else:
        if result.returncode == 0:
            return None
        said = result.stderr.strip() or f"exit status {result.returncode}"
    return (
        f"The grading sandbox could not start: bubblewrap said {said!r}. It needs "
        "user namespaces: enable them with `sudo sysctl -w kernel.unprivileged_userns_clone=1` "
        "(Debian), `sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0` "
        "(Ubuntu 23.10 and later) or `sudo sysctl -w user.max_user_namespaces=15000`; "
        "in a container, allow them (for Docker: `--security-opt seccomp=unconfined "
        "--security-opt apparmor=unconfined`). " + HOW_TO_OPT_OUT
    )


def require_sandbox() -> None:
    problem = sandbox_problem()
    if problem:
        raise SandboxUnavailable(problem)


def python_binds() -> list[str]:
    """The interpreter, its environment and this package, read-only at their own paths.

    Only the environment's ``bin`` and ``lib`` folders (and ``pyvenv.cfg``) are bound,
    not its ``etc`` or ``share``, where Jupyter keeps configuration.  The package is
    bound on its own when it is installed in editable mode from the course folder,
    so the rest of that folder (solutions, gradebook) stays out.
    """
    import widgets

    paths = {os.path.realpath(sys.base_prefix)}
    prefix = Path(sys.prefix)
    for name in ("bin", "lib", "lib64", "pyvenv.cfg"):
        if (prefix / name).exists() and not (prefix / name).is_symlink():
            paths.add(str(prefix / name))
    paths.add(os.path.realpath(Path(widgets.__file__).parent))
    kept = sorted(
        path
        for path in paths
        if not any(path != other and path.startswith(other + "/") for other in paths)
        and not any(path == d or path.startswith(d + "/") for d in SYSTEM_DIRS)
    )
    args = []
    made = set()
    for path in kept:
        for parent in reversed(Path(path).parents):
            text = str(parent)
            if text != "/" and text not in made:
                args += ["--perms", "0755", "--dir", text]
                made.add(text)
        args += ["--ro-bind", path, path]
    for folder in unused_package_folders():
        args += ["--perms", "0555", "--size", "4096", "--tmpfs", folder]
    return args


def unused_package_folders() -> list[str]:
    """Where the ``UNUSED_PACKAGES`` are installed (found without importing them)."""
    import importlib.util

    folders = []
    for name in UNUSED_PACKAGES:
        spec = importlib.util.find_spec(name)
        for location in (spec.submodule_search_locations or []) if spec else []:
            if os.path.isdir(location):
                folders.append(os.path.realpath(location))
    return folders


def kernel_environment() -> dict[str, str]:
    """The kernel's whole environment: nothing of the grader's is passed on."""
    return {
        "PATH": f"{Path(sys.executable).parent}:/usr/local/bin:/usr/bin:/bin",
        "HOME": HOME,
        "USER": "student",
        "LANG": "C.UTF-8",
        "TMPDIR": "/tmp",
        "IPYTHONDIR": "/tmp/.ipython",
        "JUPYTER_CONFIG_DIR": "/tmp/.jupyter",
        "JUPYTER_DATA_DIR": "/tmp/.local/share/jupyter",
        "JUPYTER_RUNTIME_DIR": "/tmp/.local/share/jupyter/runtime",
        "MPLCONFIGDIR": "/tmp/.matplotlib",
        "NUMBA_CACHE_DIR": "/tmp/.numba",
        "PYTHONDONTWRITEBYTECODE": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "NUMBA_NUM_THREADS": "1",
        "MALLOC_ARENA_MAX": "2",
        "NBGRADER_EXECUTION": "autograde",
    }


class UidLease:
    """A host uid no other running sandbox uses, held through a lock file (root mode)."""

    folder = Path(tempfile.gettempdir()) / "anm-sandbox-uids"

    def __init__(self) -> None:
        self.folder.mkdir(mode=0o700, exist_ok=True)
        for uid in LEASED_UIDS:
            handle = open(self.folder / str(uid), "w")  # noqa: SIM115 - held for the lease
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.close()
                continue
            self.uid, self._handle = uid, handle
            return
        raise SandboxUnavailable("every sandbox uid is in use: too many kernels at once")

    def release(self) -> None:
        self._handle.close()


class Jail:
    """One kernel's sandbox: its private host folder, its identity and its bwrap argv.

    The private folder (created 0700 by the grader) holds the connection file, the
    IPC socket folder, the staged data files and the kernel's own stdout/stderr log.
    """

    def __init__(self, files: dict[str, Path], limits: Limits) -> None:
        self.limits = limits
        self.folder = Path(tempfile.mkdtemp(prefix="anm-sbx-", dir=short_temp_dir()))
        self.ipc = self.folder / "ipc"
        self.ipc.mkdir()
        self.staged = self.folder / "files"
        self.staged.mkdir()
        self.connection_file = self.folder / "connection.json"
        self.log_path = self.folder / "kernel.log"
        self.lease = UidLease() if runs_as_root() else None
        owner = self.lease.uid if self.lease else os.getuid()
        os.chown(self.ipc, owner, owner)
        self._stage(files)
        uid = self.inner_uid
        (self.folder / "passwd").write_text(f"student:x:{uid}:{uid}::{HOME}:/usr/sbin/nologin\n")
        (self.folder / "group").write_text(f"student:x:{uid}:\n")

    @property
    def inner_uid(self) -> int:
        return self.lease.uid if self.lease else SANDBOX_UID

    def _stage(self, files: dict[str, Path]) -> None:
        """Copy the data files the kernel may see (relative name -> host file)."""
        self.staged.chmod(0o755)
        for relative, source in files.items():
            target = self.staged / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
        for path in [self.staged, *self.staged.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)

    def argv(self) -> list[str]:
        """bwrap … python -I -S sandbox_init.py SETTINGS: the kernel spec's argv."""
        kernel = [
            sys.executable,
            "-m",
            "ipykernel_launcher",
            "-f",
            PRIVATE_CONNECTION,
            "--HistoryManager.enabled=False",
        ]
        settings = {
            "connection_file": CONNECTION_COPY,
            "private_connection_file": PRIVATE_CONNECTION,
            "drop_to": [self.lease.uid, self.lease.uid] if self.lease else None,
            "files": STAGED_FILES,
            "workdir": WORKDIR,
            "limits": self.limits.rlimits(),
            "argv": kernel,
            "env": kernel_environment(),
        }
        size = str(self.limits.folder_bytes)
        folders = ["/etc", "/home", "/run", "/run/grading"]
        # The private /tmp and home come before the environment's binds: a course cloned
        # under /tmp keeps its environment visible on top of the empty /tmp.
        return [
            shutil.which("bwrap") or "bwrap",
            *namespace_flags(),
            *system_binds(),
            "--perms",
            "1777",
            "--size",
            size,
            "--tmpfs",
            "/tmp",
            *python_binds(),
            *[arg for folder in folders for arg in ("--perms", "0755", "--dir", folder)],
            "--ro-bind",
            str(self.folder / "passwd"),
            "/etc/passwd",
            "--ro-bind",
            str(self.folder / "group"),
            "/etc/group",
            "--proc",
            "/proc",
            "--dev",
            "/dev",
            "--perms",
            "1777",
            "--size",
            size,
            "--tmpfs",
            HOME,
            "--ro-bind",
            str(self.staged),
            STAGED_FILES,
            "--ro-bind",
            str(self.connection_file),
            CONNECTION_COPY,
            "--perms",
            "0755",
            "--dir",
            str(self.folder),
            "--bind",
            str(self.ipc),
            str(self.ipc),
            "--clearenv",
            "--chdir",
            "/",
            "--",
            sys.executable,
            "-I",
            "-S",
            str(INIT_SCRIPT),
            json.dumps(settings),
        ]

    def log_tail(self, size: int = 2000) -> str:
        """The end of what the kernel (and bwrap) wrote on stdout/stderr."""
        try:
            with self.log_path.open("rb") as handle:
                handle.seek(max(0, self.log_path.stat().st_size - size))
                return handle.read().decode(errors="replace")
        except OSError:
            return ""

    def cleanup(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
        if self.lease:
            self.lease.release()


def short_temp_dir() -> str:
    """A temporary folder with a short path: Unix socket paths hold at most 107 bytes."""
    default = tempfile.gettempdir()
    return default if len(default) <= 40 else "/tmp"


class GradingKernelClient(AsyncKernelClient):
    """jupyter_client's client, ready as soon as the kernel has answered.

    Its own ``wait_for_ready`` ends by waiting for IOPub to stay silent for 0.2 s,
    and a grading starts two kernels per submission: a fifth of a submission's time
    spent idle.  Nothing here needs that quiet: nbclient files every IOPub message
    under the request it answers and skips the rest.
    """

    async def wait_for_ready(self, timeout: float | None = None) -> None:
        deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
        while True:
            self.kernel_info()
            try:
                reply = await self.shell_channel.get_msg(timeout=1)
            except Empty:
                reply = None
            if reply is not None and reply["msg_type"] == "kernel_info_reply":
                try:  # one IOPub message shows IOPub is connected too
                    await self.iopub_channel.get_msg(timeout=0.2)
                except Empty:
                    pass
                else:
                    self._handle_kernel_info_reply(reply)
                    return
            if not await self._async_is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout:.0f} seconds")


class SandboxKernelManager(AsyncKernelManager):
    """A kernel manager whose kernel runs in a ``Jail`` and listens on IPC sockets."""

    STOP_POLL_SECONDS = 0.005
    """How often a stopping kernel is checked for having exited (jupyter_client: 0.1 s,
    most of which a killed kernel is already gone)."""

    def __init__(self, jail: Jail | None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.client_factory = GradingKernelClient
        self.jail = jail
        if jail is not None:
            self.transport = "ipc"
            self.ip = str(jail.ipc / "k")
            self.connection_file = str(jail.connection_file)
            self._kernel_spec = KernelSpec(
                argv=jail.argv(),
                display_name="Python 3 (grading sandbox)",
                language="python",
                interrupt_mode="message",
                env={},
            )
        else:
            # Unix sockets here too: on TCP, parallel workers starting kernels at the same
            # moment can be handed the same free port, and a kernel dies before it answers.
            self.kernel_name = "python3"
            self.sockets = Path(tempfile.mkdtemp(prefix="anm-k-", dir=short_temp_dir()))
            self.transport = "ipc"
            self.ip = str(self.sockets / "k")

    def remove_sockets(self) -> None:
        """Remove the unsandboxed kernel's socket folder (a jail removes its own)."""
        if self.jail is None:
            shutil.rmtree(self.sockets, ignore_errors=True)

    async def _async_launch_kernel(self, kernel_cmd: list[str], **kw) -> None:
        if self.jail is not None:
            log = self.jail.log_path.open("ab")
            kw.update(stdout=log, stderr=log, stdin=subprocess.DEVNULL)
            try:
                await super()._async_launch_kernel(kernel_cmd, **kw)
            finally:
                log.close()
        else:
            await super()._async_launch_kernel(kernel_cmd, **kw)

    async def _async_wait(self, pollinterval: float = 0.1) -> None:
        await super()._async_wait(pollinterval=min(pollinterval, self.STOP_POLL_SECONDS))

    def exit_description(self) -> str:
        """How the kernel process ended, for the instructor ("exit status 1", "killed by SIGKILL")."""
        process = getattr(self.provisioner, "process", None)
        code = None if process is None else process.poll()
        if code is None:
            return "it stopped answering"
        if code < 0 or code > 128:
            import signal

            number = -code if code < 0 else code - 128
            with contextlib.suppress(ValueError):
                return f"killed by {signal.Signals(number).name}"
        return f"exit status {code}"
