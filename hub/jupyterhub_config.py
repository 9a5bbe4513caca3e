"""JupyterHub for one cohort of the acne necrotica course, on one machine (run as root).

``make hub`` creates the accounts (``hub/cohort.py``) and starts this with ``hub/run.py``.  What it sets up:

- log-in with the Unix accounts the cohort file created (PAM), only for those names;
- each person's own JupyterLab, as their own uid, in a cgroup with the limits below,
  opening their copy of the lessons; the assignment list fetches, submits and fetches
  feedback through the shared exchange;
- formgrader as the hub service ``acne-necrotica``, run by the grader account in the
  course folder (``hub/run.py`` starts it beside the hub), with the repository's
  ``nbgrader_config.py``; instructors open it in
  its own browser tab from the hub's *Services* menu (``/services/acne-necrotica/
  formgrader``), since JupyterHub 4.1+ forbids framing it inside JupyterLab;
- the default ``user`` role cut down to ``self``: JupyterHub's default also grants
  ``access:services``, which would open formgrader to every student;
- state in ``COHORT_STATE_DIR`` (database, cookie secret): a restart keeps every
  account's log-in, the gradebook and the exchange;
- ``singleuser/jupyter_server_config.json`` turns off jupyter_client's port cache: every
  resident's kernels share the loopback's ports, and with the cache a kernel whose port
  another resident's kernel took at the same instant is restarted on that same port
  until it gives up (seen with 20 kernels starting at once in ``make bench-hub``).
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cohort import COURSE_ID, ENV_BIN, HUB_DIR, PROXY, Cohort, Settings, service_token

settings = Settings.from_environment()
cohort = Cohort.load(settings.cohort_file)
path = f"{ENV_BIN}:/usr/local/bin:/usr/bin:/bin"

# Per user.  Measured by `make bench-hub` (benchmarks/bench_hub.py) on 2026-12-02: 20
# residents at once on 2 cores and 24 GB (load average 5-26, other jobs sharing the
# machine), each spawning, running lesson 01's cells and submitting quiz 1.  The peak
# of a resident's cgroup (server + kernel) was median 303 MiB, max 315 MiB; 1 GiB is
# 3.3x that largest peak (room for lessons and figures not measured), and 20 x 1 GiB
# fits in the machine's memory.  CPU: 20 residents on 2 cores are CPU-bound anyway
# (p95 cell latency 148 s vs 1.1 s alone, spawn median 115 s vs 7 s alone); one core
# each only stops a runaway loop from taking both cores from the rest of the cohort.
MEM_LIMIT = "1G"
CPU_LIMIT = 1.0

c = get_config()  # noqa: F821

c.JupyterHub.ip = settings.ip
c.JupyterHub.port = settings.port
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = settings.hub_api_port
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{settings.proxy_api_port}"
c.ConfigurableHTTPProxy.command = [str(PROXY)]
c.ConfigurableHTTPProxy.pid_file = str(settings.hub_state / "proxy.pid")
c.JupyterHub.db_url = f"sqlite:///{settings.hub_state / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(settings.hub_state / "jupyterhub_cookie_secret")
c.JupyterHub.cleanup_servers = True  # a restart stops the servers; every file stays

c.JupyterHub.authenticator_class = "pam"
c.PAMAuthenticator.open_sessions = False
c.Authenticator.allowed_users = set(cohort.people)
c.Authenticator.admin_users = set(cohort.instructors)

c.JupyterHub.load_groups = {
    f"formgrade-{COURSE_ID}": {"users": list(cohort.instructors)},
    f"nbgrader-{COURSE_ID}": {"users": list(cohort.students)},
}
c.JupyterHub.load_roles = [
    {"name": "user", "scopes": ["self"]},
    {
        "name": "course-grader",
        "groups": [f"formgrade-{COURSE_ID}"],
        "scopes": [f"access:services!service={COURSE_ID}"],
    },
]

# formgrader runs beside the hub, started by hub/run.py as the grader account (an
# external service: JupyterHub would give a managed one only ten seconds to start).
c.JupyterHub.services = [
    {
        "name": COURSE_ID,
        "display": True,
        "url": f"http://127.0.0.1:{settings.formgrader_port}",
        "api_token": service_token(settings),
        "oauth_no_confirm": True,
    }
]

# Tests and the load benchmark drive the hub through one extra service, only when
# root gives it a token in the environment; a workshop hub has no such service.
automation_token = os.environ.get("COHORT_AUTOMATION_TOKEN")
if automation_token:
    c.JupyterHub.services.append({"name": "cohort-automation", "api_token": automation_token})
    c.JupyterHub.load_roles.append(
        {
            "name": "cohort-automation",
            "services": ["cohort-automation"],
            "scopes": ["admin:users", "admin:servers", "access:servers", "access:services"],
        }
    )

c.JupyterHub.spawner_class = "spawner.CohortSpawner"
c.Spawner.cmd = [str(ENV_BIN / "jupyterhub-singleuser")]
c.Spawner.notebook_dir = "~"
c.Spawner.default_url = "/lab/tree/lessons/00-start-here.ipynb"
c.Spawner.environment = {
    "NBGRADER_EXCHANGE_ROOT": str(settings.exchange),
    "JUPYTER_CONFIG_PATH": str(HUB_DIR / "singleuser"),
    "PATH": path,
}
c.Spawner.mem_limit = MEM_LIMIT
c.Spawner.cpu_limit = CPU_LIMIT
# Twenty residents logging in at once on two cores: give JupyterLab time to come up.
c.Spawner.start_timeout = 180
c.Spawner.http_timeout = 180
