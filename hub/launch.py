"""Start and stop the cohort hub as a child process, and talk to its REST API.

Used by the end-to-end test and the load benchmark, which run a throw-away cohort
on loopback: ``start_hub`` runs ``hub/run.py`` (JupyterHub and formgrader) with the
``COHORT_*`` settings given and an automation token, and returns once the hub
answers.  ``make hub`` runs the same command in the foreground.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from cohort import ENV_BIN, HUB_DIR, Settings

START_SECONDS = 120


def free_port_block(size: int = 4) -> int:
    """A port p with p .. p+size-1 all free on 127.0.0.1 (the hub uses four in a row)."""
    for _ in range(200):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            base = probe.getsockname()[1]
        if base + size > 65535:
            continue
        try:
            for port in range(base, base + size):
                with socket.socket() as test:
                    test.bind(("127.0.0.1", port))
        except OSError:
            continue
        return base
    raise RuntimeError("no block of free ports on 127.0.0.1")


def cohort_environment(settings: Settings) -> dict[str, str]:
    """The environment that points the hub's config at ``settings``."""
    env = {
        key: value for key, value in os.environ.items() if not key.startswith(("JUPYTER", "COHORT"))
    }
    env.update(
        COHORT_FILE=str(settings.cohort_file),
        COHORT_STATE_DIR=str(settings.state_dir),
        COHORT_HOME_BASE=str(settings.home_base),
        COHORT_HUB_IP=settings.ip,
        COHORT_HUB_PORT=str(settings.port),
        PATH=f"{ENV_BIN}:{env.get('PATH', '/usr/bin:/bin')}",
    )
    return env


@dataclass
class Hub:
    """A running hub; ``api`` calls its REST API as the automation service."""

    settings: Settings
    process: subprocess.Popen
    token: str
    log: Path
    opened: list = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.settings.port}"

    def log_tail(self, characters: int = 6000) -> str:
        """The hub's errors first (the servers' chatter buries them), then the log's end."""
        if not self.log.exists():
            return ""
        text = self.log.read_text(errors="replace")
        errors = [line for line in text.splitlines() if line.startswith(("[E ", "[C "))]
        return "\n".join(errors[-20:]) + "\n...\n" + text[-characters:]

    def request(
        self, method: str, path: str, body: object | None = None, timeout: float = 120
    ) -> tuple[int, bytes]:
        """An HTTP request through the proxy with the automation token: (status, body)."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            f"{self.url}{path}",
            data=data,
            method=method,
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def api(self, method: str, path: str, body: object | None = None, timeout: float = 120):
        """Like ``request``, but a status of 400 or more raises; returns the decoded JSON."""
        status, payload = self.request(method, path, body, timeout)
        if status >= 400:
            raise RuntimeError(f"{method} {path} -> {status}: {payload[:2000]!r}")
        return json.loads(payload) if payload.strip() else None

    def start_server(self, user: str, timeout: float = 240) -> float:
        """Start ``user``'s server through the hub API; returns the seconds until it answers."""
        began = time.monotonic()
        status, payload = self.request("POST", f"/hub/api/users/{user}/server")
        if status not in (201, 202, 400):  # 400: already running
            raise RuntimeError(f"spawn of {user} -> {status}: {payload[:500]!r}")
        while time.monotonic() - began < timeout:
            model = self.api("GET", f"/hub/api/users/{user}")
            server = model.get("servers", {}).get("")
            if server and server.get("ready"):
                return time.monotonic() - began
            time.sleep(0.5)
        raise TimeoutError(f"{user}'s server was not ready in {timeout} s:\n{self.log_tail()}")

    def stop(self) -> None:
        """SIGTERM the supervisor (it stops formgrader, then the hub stops the proxy and servers).

        If that hangs, SIGKILL it and whatever it started as root (hub and proxy, in
        sessions of their own), found by this cohort's state folder in their environment.
        """
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=150)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        for pid in started_for(self.settings):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


def started_for(settings: Settings) -> list[int]:
    """Processes whose environment names this cohort's state folder (all ``start_hub`` made)."""
    marker = f"COHORT_STATE_DIR={settings.state_dir}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                if marker in (entry / "environ").read_bytes().split(b"\0"):
                    found.append(int(entry.name))
            except OSError:  # ended, or not ours to read
                continue
    return found


def start_hub(settings: Settings, log: Path, token: str | None = None) -> Hub:
    """Start the hub for ``settings`` and wait until its API answers."""
    token = token or secrets.token_hex(32)
    env = cohort_environment(settings)
    env["COHORT_AUTOMATION_TOKEN"] = token
    with log.open("ab") as log_file:
        process = subprocess.Popen(
            [str(ENV_BIN / "python"), str(HUB_DIR / "run.py")],
            cwd=settings.hub_state,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    hub = Hub(settings, process, token, log)
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"jupyterhub exited with {process.returncode}:\n{hub.log_tail()}")
        try:
            status, _ = hub.request("GET", "/hub/api/user", timeout=5)
            if status == 200:
                return hub
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    hub.stop()
    raise RuntimeError(f"the hub did not answer within {START_SECONDS} s:\n{hub.log_tail()}")
