"""First process inside a grading sandbox: set the student up, then become the kernel.

bubblewrap starts this file (``python -I -S sandbox_init.py SETTINGS_JSON``, standard
library only, so it starts in milliseconds).  It runs before any student code, with
the sandbox's namespaces already in place, and in order:

1. reads the kernel's connection file (it may be readable only by the grader);
2. drops to the sandbox's own unprivileged user when bubblewrap ran as root;
3. copies the student's data files into the empty, private working folder;
4. writes the connection file into the private temporary folder;
5. sets the resource limits (memory, processes, CPU time, file size, open files);
6. replaces itself with the kernel (``os.execve``), which inherits all of the above.

Limits are set here, inside the new user namespace, because the process limit counts
the processes of one user in one namespace: set outside, it would count every
process the instructor runs.
"""

import json
import os
import resource
import shutil
import sys


def drop_privileges(uid: int, gid: int) -> None:
    """Become ``uid``/``gid`` with no supplementary groups (and so no capabilities)."""
    os.setgroups([])
    os.setgid(gid)
    os.setuid(uid)
    if os.getuid() != uid or os.geteuid() != uid:
        raise SystemExit("sandbox: could not drop privileges")


def copy_files(source: str, destination: str) -> None:
    """Copy the staged data files (plain files and folders only) into the working folder."""
    os.makedirs(destination, exist_ok=True)
    if os.path.isdir(source):
        shutil.copytree(source, destination, symlinks=False, dirs_exist_ok=True)


def set_limits(limits: dict) -> None:
    for name, value in limits.items():
        limit = getattr(resource, name)
        resource.setrlimit(limit, (value, value))


def main() -> None:
    settings = json.loads(sys.argv[1])
    with open(settings["connection_file"]) as handle:
        connection = handle.read()
    if settings.get("drop_to"):
        drop_privileges(*settings["drop_to"])
    os.umask(0o077)
    copy_files(settings["files"], settings["workdir"])
    os.makedirs(os.path.dirname(settings["private_connection_file"]), exist_ok=True)
    with open(settings["private_connection_file"], "w") as handle:
        handle.write(connection)
    os.chdir(settings["workdir"])
    set_limits(settings["limits"])
    argv = settings["argv"]
    os.execve(argv[0], argv, settings["env"])


if __name__ == "__main__":
    main()
