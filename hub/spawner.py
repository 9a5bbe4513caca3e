"""The cohort's spawner: JupyterHub's LocalProcessSpawner, with the limits enforced.

``LocalProcessSpawner`` ignores ``Spawner.mem_limit`` and ``cpu_limit`` (it only
passes them on as ``MEM_LIMIT``/``CPU_LIMIT``).  ``CohortSpawner`` moves each
single-user server, and so every kernel it starts, into the user's own cgroup
(``cgroups.py``) before dropping to the user's uid.  Where no writable cgroup
hierarchy exists, the server still starts and the hub's log says plainly that the
limits are not enforced.
"""

from __future__ import annotations

import os
from pathlib import Path

from cgroups import create_group, remove_group
from jupyterhub.spawner import LocalProcessSpawner


class CohortSpawner(LocalProcessSpawner):
    """LocalProcessSpawner whose servers run inside a per-user cgroup with the configured limits."""

    def _groups(self) -> list[Path]:
        try:
            return create_group(self.user.name, self.mem_limit or 0, self.cpu_limit or 0)
        except OSError as error:
            self.log.warning(
                "Limits NOT enforced for %s (no writable cgroup: %s); mem_limit=%s cpu_limit=%s",
                self.user.name,
                error,
                self.mem_limit,
                self.cpu_limit,
            )
            return []

    def make_preexec_fn(self, name):
        """Join the user's cgroup (still as root), then drop to the user as JupyterHub does."""
        groups = self._groups()
        drop_privileges = super().make_preexec_fn(name)

        def preexec() -> None:
            for folder in groups:
                (folder / "cgroup.procs").write_text(str(os.getpid()))
            drop_privileges()

        return preexec

    async def stop(self, now: bool = False) -> None:
        await super().stop(now=now)
        remove_group(self.user.name)
