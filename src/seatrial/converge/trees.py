"""Walking and removing directory trees a sandboxed run wrote, whatever their shape.

A run may nest directories thousands deep: `os.walk` and `shutil.rmtree` recurse in Python
(RecursionError) and pass whole paths to the kernel (ENAMETOOLONG past 4096 bytes). These
walk with an explicit stack, never follow symlinks, and remove a tree one directory
descriptor at a time.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path


class TooDeep(Exception):
    """A tree nests directories deeper than the caller allows."""


def walk(root: Path, max_depth: int | None = None) -> Iterator[tuple[str, list[str], list[str]]]:
    """Like `os.walk(root)` top-down without following symlinks (each directory's names
    sorted), without recursion; TooDeep when a directory below `max_depth` levels has
    subdirectories. Unreadable directories are skipped, as os.walk does."""
    stack = [(str(root), 0)]
    while stack:
        top, depth = stack.pop()
        try:
            with os.scandir(top) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError:
            continue
        dirs: list[str] = []
        files: list[str] = []
        for entry in entries:
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError:
                is_dir = False
            (dirs if is_dir else files).append(entry.name)
        yield top, dirs, files
        if dirs and max_depth is not None and depth >= max_depth:
            raise TooDeep(f"directories nested more than {max_depth} deep")
        stack.extend((os.path.join(top, d), depth + 1) for d in reversed(dirs))


_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW


def remove(path: Path) -> None:
    """Remove `path` and everything under it, as far as possible (errors are ignored, as with
    `shutil.rmtree(path, ignore_errors=True)`), at any depth."""
    try:
        fd = os.open(path, _DIR_FLAGS)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(path)
        return
    names: list[str] = []  # the directories entered below `path`, in order
    stuck: set[int] = set()  # inodes of directories that could not be entered or removed
    try:
        while True:
            child = _next_directory(fd, stuck)
            if child is not None:
                name, inode = child
                try:
                    inner = os.open(name, _DIR_FLAGS, dir_fd=fd)
                except OSError:
                    stuck.add(inode)
                    continue
                os.close(fd)
                fd = inner
                names.append(name)
                continue
            if not names:
                break
            inode = os.fstat(fd).st_ino
            parent = os.open("..", _DIR_FLAGS, dir_fd=fd)
            os.close(fd)
            fd = parent
            try:
                os.rmdir(names.pop(), dir_fd=fd)
            except OSError:
                stuck.add(inode)
    finally:
        os.close(fd)
    with contextlib.suppress(OSError):
        os.rmdir(path)


def _next_directory(fd: int, stuck: set[int]) -> tuple[str, int] | None:
    """Unlink the non-directories in `fd`; return a subdirectory still to empty, if any."""
    with os.scandir(fd) as it:
        entries = list(it)
    for entry in entries:
        try:
            is_dir = entry.is_dir(follow_symlinks=False)
        except OSError:
            is_dir = False
        if is_dir:
            if entry.inode() not in stuck:
                return entry.name, entry.inode()
        else:
            with contextlib.suppress(OSError):
                os.unlink(entry.name, dir_fd=fd)
    return None
