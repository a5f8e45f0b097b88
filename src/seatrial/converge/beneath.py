"""Open and create paths inside a directory without ever leaving it.

What the kernel's `openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS)` does, done one component at
a time with `O_NOFOLLOW` relative to the previous component's descriptor, so it works on every
kernel: no symlink is followed, `..` is refused, and the result is a descriptor, not a path, so
nothing can be swapped between the check and the use.

The sandbox writes into the scratch state; a run can replace a directory that a later run
mounts with a symlink to a host directory. Every bind source under the scratch is opened here,
on every run.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

from seatrial.errors import SandboxError


class EscapeError(SandboxError):
    """A path would leave the directory it must stay in (a symlink, `..`, or not a directory
    on the way)."""


def components(rel: str) -> list[str]:
    """The components of a relative path; EscapeError on `..`."""
    parts = [p for p in rel.split("/") if p not in ("", ".")]
    if ".." in parts:
        raise EscapeError(f"{rel} contains '..'")
    return parts


def _step(parent: int, name: str, shown: str, create: bool, last: bool) -> int:
    try:
        fd = os.open(name, os.O_PATH | os.O_NOFOLLOW, dir_fd=parent)
    except FileNotFoundError:
        if not create:
            raise EscapeError(f"{shown} does not exist") from None
        os.mkdir(name, 0o755, dir_fd=parent)
        fd = os.open(name, os.O_PATH | os.O_NOFOLLOW, dir_fd=parent)
    mode = os.fstat(fd).st_mode
    if stat.S_ISLNK(mode):
        os.close(fd)
        target = os.readlink(name, dir_fd=parent)
        raise EscapeError(f"{shown} is a symlink (to {target})")
    if not last and not stat.S_ISDIR(mode):
        os.close(fd)
        raise EscapeError(f"{shown} is not a directory")
    return fd


def open_beneath(base: Path, rel: str, *, create_dirs: bool = False) -> int:
    """An `O_PATH` descriptor of `base/rel` reached without following any symlink (the caller
    closes it). With `create_dirs`, missing components are created as directories (the last
    one too), as the kubelet creates a `DirectoryOrCreate` hostPath."""
    parts = components(rel)
    fd = os.open(base, os.O_PATH | os.O_DIRECTORY)
    try:
        for i, name in enumerate(parts):
            nxt = _step(fd, name, "/".join(parts[: i + 1]), create_dirs, i == len(parts) - 1)
            os.close(fd)
            fd = nxt
    except BaseException:
        with contextlib.suppress(OSError):
            os.close(fd)
        raise
    return fd
