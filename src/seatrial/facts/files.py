"""The file tree of an image's final filesystem: path -> type, mode, size, link target and the
layer that holds the content. Pure data with lookups that follow symlinks as the kernel does
inside a container; `images.index` builds it by streaming the layers (`FileIndex.apply` takes
one tar member with overlay semantics: `.wh.NAME` deletes NAME, `.wh..wh..opq` hides what
lower layers put in a directory).
"""

from __future__ import annotations

import posixpath
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass

from seatrial.archive import member_path
from seatrial.errors import ArchiveError
from seatrial.objects.kubelet import DEFAULT_PATH

FILE, DIR, SYMLINK, OTHER = "file", "dir", "symlink", "other"
MAX_SYMLINK_HOPS = 40  # Linux's limit
_WH = ".wh."
_OPAQUE = ".wh..wh..opq"


@dataclass(frozen=True, slots=True)
class FileEntry:
    path: str
    type: str
    mode: int
    size: int = 0
    target: str = ""  # symlink target
    layer: int = -1  # index of the layer holding the content (regular files)
    source: str = ""  # member path in that layer when it differs (hard links)

    @property
    def is_executable(self) -> bool:
        return self.type == FILE and bool(self.mode & 0o111)


class SymlinkLoop(Exception):
    """A path goes through more than MAX_SYMLINK_HOPS symlinks."""


def normalize_member(name: str, archive: str = "layer") -> str:
    """A tar member name as an absolute, normalised path; raise on escapes above root."""
    return "/" + (member_path(name, archive) or "")


class FileIndex:
    """Path -> FileEntry for one image's final filesystem."""

    def __init__(self, entries: dict[str, FileEntry] | None = None) -> None:
        self._entries: dict[str, FileEntry] = entries or {"/": FileEntry("/", DIR, 0o755)}
        self._children: dict[str, set[str]] = {}
        for path in self._entries:
            if path != "/":
                self._children.setdefault(posixpath.dirname(path), set()).add(path)

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[FileEntry]:
        return iter(self._entries.values())

    # --- building ----------------------------------------------------------------------

    def _remove(self, path: str) -> None:
        stack = [path]
        while stack:
            p = stack.pop()
            if self._entries.pop(p, None) is None and p not in self._children:
                continue
            stack.extend(self._children.pop(p, ()))
        parent = self._children.get(posixpath.dirname(path))
        if parent is not None:
            parent.discard(path)

    def _ensure_parents(self, path: str, layer: int) -> None:
        parent = posixpath.dirname(path)
        missing = []
        while parent not in self._entries or self._entries[parent].type != DIR:
            missing.append(parent)
            parent = posixpath.dirname(parent)
        for p in reversed(missing):
            if p in self._entries:
                self._remove(p)
            self._put(FileEntry(p, DIR, 0o755, layer=layer))

    def _put(self, entry: FileEntry) -> None:
        self._entries[entry.path] = entry
        if entry.path != "/":
            self._children.setdefault(posixpath.dirname(entry.path), set()).add(entry.path)

    def _hide_lower(self, directory: str, layer: int) -> None:
        """Opaque directory: drop what lower layers put under it, keep this layer's entries."""
        stack = [directory]
        while stack:
            for child in list(self._children.get(stack.pop(), ())):
                entry = self._entries.get(child)
                if entry is None or entry.layer != layer:
                    self._remove(child)
                elif entry.type == DIR:
                    stack.append(child)

    def apply(self, member: tarfile.TarInfo, layer: int, archive: str = "layer") -> None:
        path = normalize_member(member.name, archive)
        base = posixpath.basename(path)
        parent = posixpath.dirname(path)
        if base == _OPAQUE:
            self._hide_lower(parent, layer)
            return
        if base.startswith(_WH):
            self._remove(posixpath.join(parent, base[len(_WH) :]))
            return
        if path == "/":
            if member.isdir():
                self._put(FileEntry("/", DIR, member.mode & 0o7777, layer=layer))
            return
        self._ensure_parents(path, layer)
        old = self._entries.get(path)
        mode = member.mode & 0o7777
        if member.isdir():
            if old is not None and old.type != DIR:
                self._remove(path)
            self._put(FileEntry(path, DIR, mode, layer=layer))
            return
        if old is not None:
            self._remove(path)
        if member.isreg():
            self._put(FileEntry(path, FILE, mode, member.size, layer=layer))
        elif member.issym():
            self._put(FileEntry(path, SYMLINK, 0o777, target=member.linkname, layer=layer))
        elif member.islnk():
            target = normalize_member(member.linkname, archive)
            linked = self._entries.get(target)
            if linked is None or linked.type != FILE:
                raise ArchiveError(f"hard link {path} points to missing {target}")
            src = linked.source or linked.path
            self._put(
                FileEntry(path, FILE, linked.mode, linked.size, layer=linked.layer, source=src)
            )
        else:
            self._put(FileEntry(path, OTHER, mode, layer=layer))

    # --- serialisation -----------------------------------------------------------------

    def to_json(self) -> list[list[str | int]]:
        return [
            [e.path, e.type, e.mode, e.size, e.target, e.layer, e.source]
            for e in self._entries.values()
        ]

    @classmethod
    def from_json(cls, doc: object) -> FileIndex | None:
        if not isinstance(doc, list):
            return None
        try:
            entries = {
                str(r[0]): FileEntry(
                    str(r[0]), str(r[1]), int(r[2]), int(r[3]), str(r[4]), int(r[5]), str(r[6])
                )
                for r in doc
            }
        except (TypeError, ValueError, IndexError):
            return None
        return cls(entries) if "/" in entries else None

    # --- lookups -----------------------------------------------------------------------

    def lookup(self, path: str) -> FileEntry | None:
        """The entry at `path` itself (symlinks not followed)."""
        return self._entries.get(posixpath.normpath("/" + path.lstrip("/")))

    def resolve(self, path: str, cwd: str = "/") -> FileEntry | None:
        """Follow symlinks (relative ones from their directory, `..` stopping at the root,
        as inside a container) to the final entry; None when something on the way is
        missing. Raises `SymlinkLoop` past MAX_SYMLINK_HOPS links."""
        if not path.startswith("/"):
            path = posixpath.join(cwd or "/", path)
        pending = [p for p in path.split("/") if p]
        pending.reverse()
        current = "/"
        hops = 0
        while pending:
            part = pending.pop()
            if part == ".":
                continue
            if part == "..":
                current = posixpath.dirname(current)
                continue
            candidate = posixpath.join(current, part)
            entry = self._entries.get(candidate)
            if entry is None:
                return None
            if entry.type == SYMLINK:
                hops += 1
                if hops > MAX_SYMLINK_HOPS:
                    raise SymlinkLoop(f"too many levels of symbolic links at {candidate}")
                target = [p for p in entry.target.split("/") if p]
                pending.extend(reversed(target))
                if entry.target.startswith("/"):
                    current = "/"
                continue
            if pending and entry.type != DIR:
                return None
            current = candidate
        return self._entries.get(current)

    def exists(self, path: str, cwd: str = "/") -> bool:
        try:
            return self.resolve(path, cwd) is not None
        except SymlinkLoop:
            return False

    def is_executable(self, path: str, cwd: str = "/") -> bool:
        try:
            entry = self.resolve(path, cwd)
        except SymlinkLoop:
            return False
        return entry is not None and entry.is_executable

    def which(self, name: str, path_env: str | None = None, cwd: str = "/") -> str | None:
        """Where the runtime finds program `name`: a path with a slash is taken as is, a bare
        name is searched on `path_env` (default: the runtime's default PATH)."""
        if "/" in name:
            return (
                posixpath.normpath(posixpath.join(cwd or "/", name))
                if self.is_executable(name, cwd)
                else None
            )
        for directory in (path_env if path_env is not None else DEFAULT_PATH).split(":"):
            if not directory:
                continue
            candidate = posixpath.join(
                directory if directory.startswith("/") else posixpath.join(cwd or "/", directory),
                name,
            )
            if self.is_executable(candidate):
                return candidate
        return None

    def find_name(self, name: str, limit: int = 5) -> list[str]:
        """Executable files called `name` anywhere in the image (for fix suggestions)."""
        out = sorted(
            e.path
            for e in self._entries.values()
            if e.is_executable and posixpath.basename(e.path) == name
        )
        return out[:limit]
