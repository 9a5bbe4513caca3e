"""Run the cohort hub: JupyterHub, and formgrader beside it as the grader account.

JupyterHub gives a hub-managed service ten seconds to answer, then exits; formgrader
(a Jupyter server loading nbgrader) takes longer than that on a busy two-core
machine.  So the hub knows formgrader as an *external* service (URL and token in
``jupyterhub_config.py``) and this supervisor starts it once the hub's API answers,
restarts it if it dies, and stops both on SIGINT/SIGTERM.  The same layout serves
Kubernetes: there formgrader is a container beside the hub (``hub/z2jh``).

``make hub`` runs this in the foreground; the tests and the load benchmark run it
as a child (``launch.py``).
"""

from __future__ import annotations

import json
import os
import pwd
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from cohort import COURSE_ID, ENV_BIN, HUB_DIR, Cohort, Settings, course_dir, service_token

RESTART_PAUSE_SECONDS = 5
HUB_API_WAIT_SECONDS = 120


def formgrader_environment(settings: Settings, cohort: Cohort) -> dict[str, str]:
    """What JupyterHub would hand a managed service, for the grader's formgrader."""
    prefix = f"/services/{COURSE_ID}/"
    scopes = json.dumps([f"access:services!service={COURSE_ID}"])
    home = pwd.getpwnam(cohort.grader).pw_dir
    return {
        "HOME": home,
        "USER": cohort.grader,
        "LANG": os.environ.get("LANG", "C.UTF-8"),
        "PATH": f"{ENV_BIN}:/usr/local/bin:/usr/bin:/bin",  # nbgrader runs alembic from PATH
        "NBGRADER_EXCHANGE_ROOT": str(settings.exchange),
        "JUPYTERHUB_SERVICE_NAME": COURSE_ID,
        "JUPYTERHUB_USER": cohort.grader,
        "JUPYTERHUB_API_TOKEN": service_token(settings),
        "JUPYTERHUB_CLIENT_ID": f"service-{COURSE_ID}",
        "JUPYTERHUB_API_URL": f"http://127.0.0.1:{settings.hub_api_port}/hub/api",
        "JUPYTERHUB_BASE_URL": "/",
        "JUPYTERHUB_SERVICE_PREFIX": prefix,
        "JUPYTERHUB_SERVICE_URL": f"http://127.0.0.1:{settings.formgrader_port}{prefix}",
        "JUPYTERHUB_OAUTH_CALLBACK_URL": f"{prefix}oauth_callback",
        "JUPYTERHUB_OAUTH_ACCESS_SCOPES": scopes,
        "JUPYTERHUB_OAUTH_SCOPES": scopes,
        "JUPYTERHUB_OAUTH_CLIENT_ALLOWED_SCOPES": "[]",
    }


def _as_grader(name: str):
    account = pwd.getpwnam(name)

    def drop() -> None:
        os.setgroups([])
        os.setgid(account.pw_gid)
        os.setuid(account.pw_uid)

    return drop


def start_formgrader(settings: Settings, cohort: Cohort, log) -> subprocess.Popen:
    course = course_dir(settings, cohort)
    return subprocess.Popen(
        [
            str(ENV_BIN / "jupyterhub-singleuser"),
            f"--ServerApp.root_dir={course}",
            "--ServerApp.default_url=/formgrader",
        ],
        cwd=course,  # nbgrader reads the course's nbgrader_config.py from here
        env=formgrader_environment(settings, cohort),
        preexec_fn=_as_grader(cohort.grader),
        start_new_session=True,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def _wait_for_hub_api(settings: Settings, hub: subprocess.Popen) -> None:
    deadline = time.monotonic() + HUB_API_WAIT_SECONDS
    while time.monotonic() < deadline and hub.poll() is None:
        try:
            with urllib.request.urlopen(
                f"http://127.0.0.1:{settings.hub_api_port}/hub/api/", timeout=5
            ):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.5)


def _stop(process: subprocess.Popen | None, seconds: float) -> None:
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def _stop_orphaned_proxy(settings: Settings) -> None:
    """A hub that dies while starting leaves its proxy running: stop it by its pid file."""
    pid_file = settings.hub_state / "proxy.pid"
    try:
        pid = int(pid_file.read_text())
        command = Path(f"/proc/{pid}/cmdline").read_bytes()
    except (OSError, ValueError):
        return
    if b"configurable-http-proxy" in command:
        os.kill(pid, signal.SIGTERM)
    pid_file.unlink(missing_ok=True)


def main() -> int:
    settings = Settings.from_environment()
    cohort = Cohort.load(settings.cohort_file)
    stopping: list[int] = []
    signal.signal(signal.SIGTERM, lambda number, frame: stopping.append(number))
    signal.signal(signal.SIGINT, lambda number, frame: stopping.append(number))
    hub = subprocess.Popen(
        [str(ENV_BIN / "jupyterhub"), "-f", str(HUB_DIR / "jupyterhub_config.py")],
        cwd=settings.hub_state,
        start_new_session=True,
    )
    formgrader = None
    try:
        _wait_for_hub_api(settings, hub)
        while not stopping and hub.poll() is None:
            if formgrader is None or formgrader.poll() is not None:
                if formgrader is not None:
                    print(f"formgrader exited ({formgrader.returncode}); restarting", flush=True)
                    time.sleep(RESTART_PAUSE_SECONDS)
                formgrader = start_formgrader(settings, cohort, sys.stdout)
            time.sleep(0.5)
    finally:
        _stop(formgrader, 30)
        _stop(hub, 90)  # the hub stops every server and the proxy first
        _stop_orphaned_proxy(settings)
    return 0 if stopping else hub.returncode


if __name__ == "__main__":
    sys.exit(main())
