"""Per-user control groups: the memory and CPU limits of one person's server and kernels.

Each user's group sits below the hub's own: ``memory.max``/``cpu.max`` on cgroup v2,
``memory.limit_in_bytes``/``cpu.cfs_quota_us`` on cgroup v1.  A runaway cell is then
killed (memory) or slowed (CPU) inside its owner's group while the rest of the cohort
carries on.  Standard library only, so tests can inspect and clean up the groups.

On cgroup v2 the hub's group must have its controllers delegated (a group of its own,
e.g. a systemd unit with ``Delegate=yes``); otherwise creating the groups fails and
``spawner.CohortSpawner`` logs that the limits are not enforced.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

CGROUP_ROOT = Path("/sys/fs/cgroup")
GROUP_PREFIX = "acne-necrotica-hub"
CPU_PERIOD_US = 100_000


def _own_cgroups() -> dict[str, str]:
    """The hub's cgroup per hierarchy, from /proc/self/cgroup ('' is the unified v2 one)."""
    found = {}
    for line in Path("/proc/self/cgroup").read_text().splitlines():
        _, controllers, path = line.split(":", 2)
        for controller in controllers.split(",") if controllers else [""]:
            found[controller] = path
    return found


def _is_v2() -> bool:
    return (CGROUP_ROOT / "cgroup.controllers").exists()


def group_dirs(name: str) -> dict[str, Path]:
    """The folders of user ``name``'s cgroup, per controller ('unified' on cgroup v2)."""
    own = _own_cgroups()
    if _is_v2():
        return {"unified": CGROUP_ROOT / own.get("", "/").lstrip("/") / f"{GROUP_PREFIX}-{name}"}
    return {
        controller: CGROUP_ROOT
        / controller
        / own.get(controller, "/").lstrip("/")
        / GROUP_PREFIX
        / name
        for controller in ("memory", "cpu")
        if (CGROUP_ROOT / controller).is_dir()
    }


def _write(path: Path, value: str) -> None:
    path.write_text(value)


def create_group(name: str, mem_bytes: int, cpus: float) -> list[Path]:
    """Create user ``name``'s cgroup with its limits; returns the folders a process must join."""
    made = []
    for controller, folder in group_dirs(name).items():
        folder.mkdir(parents=True, exist_ok=True)
        quota = str(int(cpus * CPU_PERIOD_US)) if cpus else None
        if controller == "unified":
            parent = folder.parent
            with contextlib.suppress(OSError):  # delegate the controllers to the children
                _write(parent / "cgroup.subtree_control", "+memory +cpu")
            if mem_bytes:
                _write(folder / "memory.max", str(mem_bytes))
                with contextlib.suppress(FileNotFoundError):
                    _write(folder / "memory.swap.max", "0")
            if quota:
                _write(folder / "cpu.max", f"{quota} {CPU_PERIOD_US}")
        elif controller == "memory" and mem_bytes:
            _write(folder / "memory.limit_in_bytes", str(mem_bytes))
        elif controller == "cpu" and quota:
            _write(folder / "cpu.cfs_period_us", str(CPU_PERIOD_US))
            _write(folder / "cpu.cfs_quota_us", quota)
        made.append(folder)
    return made


def remove_group(name: str) -> None:
    """Remove user ``name``'s cgroup once its processes are gone (a busy group stays)."""
    for folder in group_dirs(name).values():
        with contextlib.suppress(OSError):
            folder.rmdir()
            if folder.parent.name == GROUP_PREFIX:
                folder.parent.rmdir()  # the last user's group takes the cohort's folder with it


def read_limits(pid: int) -> dict[str, int | None]:
    """The memory limit (bytes) and CPU quota (per 100 ms period) applied to process ``pid``."""
    limits: dict[str, int | None] = {"memory": None, "cpu_quota_us": None}
    for line in Path(f"/proc/{pid}/cgroup").read_text().splitlines():
        _, controllers, path = line.split(":", 2)
        if controllers == "" and _is_v2():
            folder = CGROUP_ROOT / path.lstrip("/")
            memory = (folder / "memory.max").read_text().strip()
            limits["memory"] = None if memory == "max" else int(memory)
            quota = (folder / "cpu.max").read_text().split()[0]
            limits["cpu_quota_us"] = None if quota == "max" else int(quota)
        for controller in controllers.split(","):
            folder = CGROUP_ROOT / controller / path.lstrip("/")
            if controller == "memory":
                limits["memory"] = int((folder / "memory.limit_in_bytes").read_text())
            elif controller == "cpu":
                quota = int((folder / "cpu.cfs_quota_us").read_text())
                limits["cpu_quota_us"] = None if quota < 0 else quota
    return limits


def peak_memory(name: str) -> int | None:
    """The most memory user ``name``'s group has held so far (bytes), or None without a group."""
    for controller, folder in group_dirs(name).items():
        peak_file = folder / (
            "memory.peak" if controller == "unified" else "memory.max_usage_in_bytes"
        )
        if controller in ("unified", "memory") and peak_file.exists():
            return int(peak_file.read_text())
    return None
