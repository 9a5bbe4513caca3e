"""The cohort on this machine: Unix accounts, their course files, the exchange and the hub's state.

Each name in the cohort file becomes a Unix account (home 0700), so JupyterHub's
``LocalProcessSpawner`` runs every learner's server under their own uid: the kernel's
rights are the account's rights, and another resident's home, the instructor's course
folder and the hub's database are closed to it by file permissions alone.

The grader account owns the course folder (``solutions/``, ``gradebook.db``,
``submitted/``, ``autograded/``, ``feedback/``) and runs formgrader as a hub service;
its ``nbgrader_config.py`` loads the repository's, so grading runs exactly as the
course configures it.  The exchange is a world-writable, sticky folder, as nbgrader's
exchange needs.  Everything lives under ``COHORT_STATE_DIR`` and the home base, which
is why a restart of the hub keeps it.

Run as root, with ``COHORT_FILE`` naming the cohort file: ``python hub/cohort.py setup``
(idempotent), ``remove`` (deletes the accounts and the state: for test cohorts and the
end of a workshop) or ``nbgrader export`` (any nbgrader command, as the grader).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import pwd
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path

from cgroups import remove_group

REPO = Path(__file__).resolve().parents[1]
HUB_DIR = REPO / "hub"
# The cohort's environment (`make hub` builds it): its Python must be one every account can run.
ENV_BIN = REPO / ".venv" / "hub-env" / "bin"
PROXY = REPO / ".venv" / "hub-node" / "node_modules" / ".bin" / "configurable-http-proxy"
COURSE_ID = "acne-necrotica"
# Unix user names that useradd accepts everywhere and that are safe in paths and URLs.
ACCOUNT_NAME = re.compile(r"[a-z_][a-z0-9_-]{0,30}\Z")
GRADER_CONFIG = '''"""The grader's view of the course: the repository's nbgrader_config.py, rooted here."""

c = get_config()
load_subconfig({course_config!r})
c.CourseDirectory.root = {root!r}
'''


@dataclass(frozen=True)
class Settings:
    """Where the hub keeps its state and listens: environment variables with workshop defaults."""

    cohort_file: Path
    state_dir: Path
    home_base: Path
    ip: str
    port: int

    @classmethod
    def from_environment(cls) -> Settings:
        env = os.environ
        return cls(
            cohort_file=Path(env.get("COHORT_FILE", HUB_DIR / "cohort.example.toml")).resolve(),
            state_dir=Path(env.get("COHORT_STATE_DIR", "/srv/acne-necrotica-hub")),
            home_base=Path(env.get("COHORT_HOME_BASE", "/home")),
            ip=env.get("COHORT_HUB_IP", "127.0.0.1"),
            port=int(env.get("COHORT_HUB_PORT", "8000")),
        )

    @property
    def hub_state(self) -> Path:
        """Root-only: the hub's database, cookie secret, proxy pid and the initial passwords."""
        return self.state_dir / "hub"

    @property
    def exchange(self) -> Path:
        return self.state_dir / "exchange"

    @property
    def passwords(self) -> Path:
        return self.hub_state / "initial-passwords.txt"

    # The hub, the proxy's API and formgrader listen on the next ports, on loopback only.
    @property
    def hub_api_port(self) -> int:
        return self.port + 1

    @property
    def proxy_api_port(self) -> int:
        return self.port + 2

    @property
    def formgrader_port(self) -> int:
        return self.port + 3


@dataclass(frozen=True)
class Cohort:
    """Who is in the course: the instructors, the students and the grader account."""

    instructors: tuple[str, ...]
    students: tuple[str, ...]
    grader: str

    @classmethod
    def load(cls, path: Path) -> Cohort:
        """Read and check a cohort file; a bad name is refused before any account is made."""
        with Path(path).open("rb") as handle:
            data = tomllib.load(handle)
        unknown = set(data) - {"instructors", "students", "grader"}
        if unknown:
            raise ValueError(f"{path}: unknown keys {sorted(unknown)}")
        cohort = cls(
            instructors=tuple(data.get("instructors", ())),
            students=tuple(data.get("students", ())),
            grader=data.get("grader", f"grader-{COURSE_ID}"),
        )
        names = cohort.people + (cohort.grader,)
        for name in names:
            if not isinstance(name, str) or not ACCOUNT_NAME.match(name):
                raise ValueError(
                    f"{path}: {name!r} is not a valid account name "
                    "(lower-case letters, digits, - and _, at most 31 characters)"
                )
        if len(set(names)) != len(names):
            raise ValueError(f"{path}: a name appears twice")
        if not cohort.instructors:
            raise ValueError(f"{path}: list at least one instructor")
        return cohort

    @property
    def people(self) -> tuple[str, ...]:
        """Everyone who logs in to the hub (the grader account never does)."""
        return self.instructors + self.students


def course_dir(settings: Settings, cohort: Cohort) -> Path:
    """The grader's nbgrader course folder: solutions, gradebook and every submission."""
    return settings.home_base / cohort.grader / "course"


def _run(*command: str, stdin: str | None = None) -> None:
    subprocess.run(command, input=stdin, text=True, check=True, capture_output=True)


def _account_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def _chown_tree(path: Path, name: str) -> None:
    account = pwd.getpwnam(name)
    for folder, dirs, files in os.walk(path):
        os.chown(folder, account.pw_uid, account.pw_gid)
        for entry in dirs + files:
            os.lchown(os.path.join(folder, entry), account.pw_uid, account.pw_gid)


def _create_account(settings: Settings, name: str, can_log_in: bool) -> str | None:
    """A Unix account with a private home; returns its new password (None if it existed)."""
    if _account_exists(name):
        return None
    settings.home_base.mkdir(parents=True, exist_ok=True)
    _run(
        "useradd",
        "--create-home",
        "--base-dir",
        str(settings.home_base),
        "--user-group",
        "--shell",
        "/bin/bash" if can_log_in else "/usr/sbin/nologin",
        name,
    )
    os.chmod(pwd.getpwnam(name).pw_dir, 0o700)
    if not can_log_in:
        return None
    password = secrets.token_urlsafe(12)
    _run("chpasswd", stdin=f"{name}:{password}\n")
    return password


def _give_lessons(name: str) -> None:
    """The person's own copy of the lessons, once: their later edits are never overwritten."""
    home = Path(pwd.getpwnam(name).pw_dir)
    target = home / "lessons"
    if target.exists():
        return
    shutil.copytree(REPO / "lessons", target, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    _chown_tree(target, name)


def _prepare_course(settings: Settings, cohort: Cohort) -> None:
    """The grader's course folder: quizzes not yet there, and the config that points at the repo's."""
    course = course_dir(settings, cohort)
    course.mkdir(exist_ok=True)
    for quiz in sorted((REPO / "solutions").iterdir()):
        if quiz.is_dir() and not (course / "solutions" / quiz.name).exists():
            shutil.copytree(
                quiz,
                course / "solutions" / quiz.name,
                ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"),
            )
    (course / "nbgrader_config.py").write_text(
        GRADER_CONFIG.format(course_config=str(REPO / "nbgrader_config.py"), root=str(course))
    )
    _chown_tree(course, cohort.grader)
    os.chmod(course, 0o700)


def _closed_folder() -> Path | None:
    """The first folder above the cohort's environment that other accounts cannot enter.

    Every server runs the repository's environment and reads its config as the
    resident's uid: a clone under a private folder (e.g. /root) would fail each spawn.
    """
    for folder in [ENV_BIN, *ENV_BIN.parents]:
        if folder.exists() and not os.stat(folder).st_mode & 0o001:
            return folder
    return None


def setup(settings: Settings, cohort: Cohort) -> dict[str, str]:
    """Create what is missing; returns the passwords of accounts created now."""
    if os.geteuid() != 0:
        raise PermissionError("the cohort hub creates Unix accounts: run it as root")
    closed = _closed_folder()
    if closed is not None:
        raise PermissionError(
            f"{closed} is closed to other accounts, so the residents cannot run the course "
            f"environment in {ENV_BIN}: clone the course somewhere every account can enter "
            "(e.g. /opt or /srv), or `chmod o+x` that folder"
        )
    settings.state_dir.mkdir(parents=True, exist_ok=True)
    os.chmod(settings.state_dir, 0o755)
    settings.hub_state.mkdir(exist_ok=True)
    os.chmod(settings.hub_state, 0o700)
    settings.exchange.mkdir(exist_ok=True)
    os.chmod(settings.exchange, 0o1777)
    _create_account(settings, cohort.grader, can_log_in=False)
    _prepare_course(settings, cohort)
    created = {}
    for name in cohort.people:
        password = _create_account(settings, name, can_log_in=True)
        if password is not None:
            created[name] = password
        _give_lessons(name)
    if created:
        with settings.passwords.open("a") as handle:
            os.chmod(settings.passwords, 0o600)
            handle.writelines(f"{name}\t{password}\n" for name, password in created.items())
    return created


def service_token(settings: Settings) -> str:
    """formgrader's API token for the hub, made once and kept root-only in the hub's state."""
    path = settings.hub_state / "formgrader-token"
    if not path.exists():
        path.touch(mode=0o600)
        path.write_text(secrets.token_hex(32))
    return path.read_text().strip()


def initial_passwords(settings: Settings) -> dict[str, str]:
    """Every password ``setup`` has handed out (root only: the file is 0600)."""
    if not settings.passwords.exists():
        return {}
    lines = settings.passwords.read_text().splitlines()
    return dict(line.split("\t", 1) for line in lines if "\t" in line)


def processes_of(name: str) -> dict[int, str]:
    """Account ``name``'s processes (real uid) and their command lines, read from /proc.

    /proc rather than pgrep/pkill: a minimal Debian (a CI container) has no procps.
    """
    uid = str(pwd.getpwnam(name).pw_uid)
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:  # it ended while we looked
            continue
        uids = next(line.split()[1:] for line in status.splitlines() if line.startswith("Uid:"))
        if uid in uids[:2]:  # real or effective
            found[int(entry.name)] = command.strip()
    return found


def _kill_processes_of(name: str, seconds: float = 20) -> None:
    """SIGKILL every process of account ``name`` and wait until none is left (userdel refuses)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        left = processes_of(name)
        if not left:
            return
        for pid in left:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        time.sleep(0.2)
    raise RuntimeError(f"processes of {name} survived SIGKILL for {seconds} s")


def remove(settings: Settings, cohort: Cohort) -> None:
    """Delete the cohort's accounts, their homes and the hub's state: nothing of it is kept."""
    for name in cohort.people + (cohort.grader,):
        if _account_exists(name):
            home = pwd.getpwnam(name).pw_dir
            _kill_processes_of(name)
            remove_group(name)
            _run("userdel", name)
            if home.startswith(str(settings.home_base)) and Path(home).name == name:
                shutil.rmtree(home, ignore_errors=True)
        with open("/etc/group") as groups:
            if any(line.split(":", 1)[0] == name for line in groups):
                subprocess.run(["groupdel", name], check=False, capture_output=True)
    shutil.rmtree(settings.state_dir, ignore_errors=True)


def grader_nbgrader(settings: Settings, cohort: Cohort, arguments: list[str]) -> int:
    """Run ``nbgrader ARGUMENTS`` as the grader account in the course folder (e.g. ``export``)."""
    home = pwd.getpwnam(cohort.grader).pw_dir
    env = {
        "HOME": home,
        "USER": cohort.grader,
        "PATH": f"{ENV_BIN}:/usr/bin:/bin",
        "NBGRADER_EXCHANGE_ROOT": str(settings.exchange),
    }
    runuser = shutil.which("runuser") or "/usr/sbin/runuser"
    command = [runuser, "-u", cohort.grader, "--", str(ENV_BIN / "nbgrader"), *arguments]
    return subprocess.run(
        command, cwd=course_dir(settings, cohort), env=env, check=False
    ).returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=("setup", "remove", "nbgrader"))
    parser.add_argument("arguments", nargs="*", help="for nbgrader: its command and options")
    args = parser.parse_args(argv)
    settings = Settings.from_environment()
    try:
        cohort = Cohort.load(settings.cohort_file)
        if args.action == "nbgrader":
            return grader_nbgrader(settings, cohort, args.arguments)
        if args.action == "remove":
            remove(settings, cohort)
            return 0
        created = setup(settings, cohort)
    except (ValueError, PermissionError, subprocess.CalledProcessError) as error:
        detail = getattr(error, "stderr", "") or ""
        print(f"cohort {args.action} failed: {error} {detail}".strip(), file=sys.stderr)
        return 1
    for name, password in created.items():
        print(f"created {name}\tinitial password: {password}")
    print(f"cohort ready: {len(cohort.people)} accounts; passwords kept in {settings.passwords}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
