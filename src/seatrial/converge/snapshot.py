"""Snapshots of a state tree and the differences between two of them.

A snapshot records, for every path under the root (relative, POSIX separators), its type,
permission bits, content hash and size (files) or target (symlinks). Small files keep their
bytes so a report can show a unified diff; large ones keep only the hash.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from seatrial.converge import trees

#: files up to this size keep their bytes in the snapshot (for diffs and accumulation)
KEEP_BYTES = 256 * 1024
#: a state nesting directories deeper than this cannot be snapshotted
MAX_DEPTH = 128


@dataclass(frozen=True)
class Entry:
    kind: str  # "file", "dir", "symlink", "special" (fifo, socket, device: `target` says which)
    mode: int  # permission bits (stat.S_IMODE)
    sha256: str = ""
    size: int = 0
    target: str = ""
    data: bytes | None = None  # kept for small files only

    def same_as(self, other: Entry) -> bool:
        return (self.kind, self.mode, self.sha256, self.target) == (
            other.kind,
            other.mode,
            other.sha256,
            other.target,
        )

    def text(self) -> str | None:
        """The content as text, or None for binary, large or non-file entries."""
        if self.kind != "file" or self.data is None or b"\0" in self.data:
            return None
        try:
            return self.data.decode("utf-8")
        except UnicodeDecodeError:
            return None

    def describe(self) -> str:
        if self.kind == "symlink":
            return f"symlink -> {self.target}"
        if self.kind == "dir":
            return f"directory {self.mode:04o}"
        if self.kind == "special":
            return f"{self.target} {self.mode:04o}"
        return f"file {self.mode:04o}, {self.size} bytes"


Snapshot = Mapping[str, Entry]


class StateTooLarge(Exception):
    """The tree is larger, or deeper, than a snapshot may hold."""


def _special(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "fifo"
    if stat.S_ISSOCK(mode):
        return "socket"
    return "device"


def _hash_file(path: str) -> tuple[str, bytes | None, int]:
    h = hashlib.sha256()
    kept = bytearray()
    size = 0
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except PermissionError:  # a run may leave a file its owner cannot read
        return "unreadable", None, os.lstat(path).st_size
    with os.fdopen(fd, "rb") as fh:
        while chunk := fh.read(1 << 16):
            h.update(chunk)
            size += len(chunk)
            if size <= KEEP_BYTES:
                kept += chunk
    return h.hexdigest(), (bytes(kept) if size <= KEEP_BYTES else None), size


def take(
    root: Path, store: dict[str, bytes] | None = None, max_entries: int | None = None
) -> dict[str, Entry]:
    """Snapshot every path under `root` (not following symlinks). Special files (devices,
    sockets, fifos) are recorded as such and never opened. More than `max_entries` entries,
    directories nested deeper than MAX_DEPTH or paths too long to open raise StateTooLarge.
    Snapshots taken with the same `store` share the bytes of identical contents (a file that
    does not change is kept once however many runs there are)."""
    out: dict[str, Entry] = {}
    shared: dict[str, bytes] = {} if store is None else store
    try:
        for dirpath, dirnames, filenames in trees.walk(root, MAX_DEPTH):
            _take_dir(root, dirpath, dirnames + filenames, out, shared, max_entries)
    except trees.TooDeep as exc:
        raise StateTooLarge(str(exc)) from None
    return out


def _take_dir(
    root: Path,
    dirpath: str,
    names: list[str],
    out: dict[str, Entry],
    shared: dict[str, bytes],
    max_entries: int | None,
) -> None:
    rel_dir = os.path.relpath(dirpath, root)
    for name in sorted(names):
        full = os.path.join(dirpath, name)
        rel = name if rel_dir == "." else f"{rel_dir}/{name}"
        if max_entries is not None and len(out) >= max_entries:
            raise StateTooLarge(f"more than {max_entries} entries")
        try:
            st = os.lstat(full)
        except OSError as exc:  # a path longer than the system allows
            raise StateTooLarge(f"{rel[:80]}...: {exc.strerror}") from None
        mode = stat.S_IMODE(st.st_mode)
        if stat.S_ISLNK(st.st_mode):
            out[rel] = Entry("symlink", 0, target=os.readlink(full))
        elif stat.S_ISDIR(st.st_mode):
            out[rel] = Entry("dir", mode)
        elif stat.S_ISREG(st.st_mode):
            digest, data, size = _hash_file(full)
            if data is not None:
                data = shared.setdefault(digest, data)
            out[rel] = Entry("file", mode, digest, size, data=data)
        else:
            out[rel] = Entry("special", mode, target=_special(st.st_mode))


@dataclass(frozen=True)
class Change:
    path: str
    before: Entry | None
    after: Entry | None

    @property
    def kind(self) -> str:
        if self.before is None:
            return "added"
        if self.after is None:
            return "removed"
        return "changed"

    def what(self) -> str:
        """One phrase: what differs."""
        b, a = self.before, self.after
        if b is None:
            return a.describe() if a else "added"
        if a is None:
            return f"was {b.describe()}"
        if b.kind != a.kind:
            return f"{b.describe()} became {a.describe()}"
        parts = []
        if b.target != a.target:
            parts.append(f"target {b.target!r} -> {a.target!r}")
        if b.sha256 != a.sha256:
            parts.append(f"content changed ({b.size} -> {a.size} bytes)")
        if b.mode != a.mode:
            parts.append(f"mode {b.mode:04o} -> {a.mode:04o}")
        return ", ".join(parts)

    def unified_diff(self, prefix: str = "") -> str:
        """A unified diff for text files ("" when either side is not text)."""
        b = self.before.text() if self.before else ""
        a = self.after.text() if self.after else ""
        if b is None or a is None or b == a:
            return ""
        lines = difflib.unified_diff(
            b.splitlines(keepends=True),
            a.splitlines(keepends=True),
            fromfile=f"a/{prefix}{self.path}" if self.before else "/dev/null",
            tofile=f"b/{prefix}{self.path}" if self.after else "/dev/null",
        )
        return "".join(
            line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
            for line in lines
        )


def diff(before: Snapshot, after: Snapshot) -> list[Change]:
    """Every path added, removed or changed, in path order."""
    out: list[Change] = []
    for path in sorted(set(before) | set(after)):
        b, a = before.get(path), after.get(path)
        if b is not None and a is not None and b.same_as(a):
            continue
        out.append(Change(path, b, a))
    return out


def top_level(changes: list[Change]) -> list[Change]:
    """Drop added (removed) paths whose parent directory was added (removed) too: a new tree
    is reported once, at its root."""
    added = {c.path for c in changes if c.kind == "added"}
    removed = {c.path for c in changes if c.kind == "removed"}

    def covered(c: Change, pool: set[str]) -> bool:
        parent = c.path.rsplit("/", 1)[0] if "/" in c.path else ""
        while parent:
            if parent in pool:
                return True
            parent = parent.rsplit("/", 1)[0] if "/" in parent else ""
        return False

    return [
        c
        for c in changes
        if not (c.kind == "added" and covered(c, added))
        and not (c.kind == "removed" and covered(c, removed))
    ]
