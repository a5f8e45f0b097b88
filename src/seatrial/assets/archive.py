"""Index an archive's regular files and symlinks by streaming it once, never extracting it.

Formats are recognised by their magic bytes, not their names: tar (plain, gzip, zstd, xz,
bzip2), zip, a Debian package (its `data.tar.*` member) and a bare executable (ELF or `#!`),
which is indexed as one file. Every regular file is hashed (sha256) as it streams past.

Archives are read by `seatrial.archive`, whose path policy (names relative to the archive
root, escapes refused) and bomb limits (`ArchiveLimits`) apply. Hostile input raises
`ArchiveError` with one line naming the archive: escaping member paths, members written through
a symlink of the same archive, hard links to members that do not exist, a decompression bomb,
a truncated or corrupt stream.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
import stat
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from seatrial.archive import (
    DEFAULT_LIMITS,
    STREAM_ERRORS,
    ArchiveLimits,
    Budget,
    Guarded,
    Reader,
    compression,
    member_path,
    tar_members,
)
from seatrial.errors import ArchiveError, SourceError

_CHUNK = 1 << 20
_ARCH_SUFFIX = re.compile(r"[._-](linux[._-])?(amd64|arm64|x86_64|aarch64)$")


@dataclass(frozen=True)
class ArchiveEntry:
    """One regular file or symlink. `path` is relative, normalised, without a leading `./`;
    `mode` holds the permission bits, or None when the format does not record them."""

    path: str
    kind: str  # "file" or "symlink"
    size: int
    sha256: str | None
    mode: int | None
    target: str = ""

    @property
    def name(self) -> str:
        return posixpath.basename(self.path)

    @property
    def directory(self) -> str:
        return posixpath.dirname(self.path)

    @property
    def executable(self) -> bool:
        return self.kind == "file" and self.mode is not None and bool(self.mode & 0o111)

    def same_content(self, other: ArchiveEntry) -> bool:
        if self.kind != other.kind:
            return False
        if self.kind == "symlink":
            return self.target == other.target
        return self.sha256 == other.sha256

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {"path": self.path, "kind": self.kind, "size": self.size}
        if self.kind == "symlink":
            out["target"] = self.target
        else:
            out["sha256"] = self.sha256
        if self.mode is not None:
            out["mode"] = f"{self.mode:04o}"
        return out


@dataclass(frozen=True)
class ArchiveIndex:
    """Every file and symlink of one archive, in archive order (a later duplicate replaces an
    earlier one, as extraction would). `name` is how findings name the archive; `origin` is
    the URL or path it came from."""

    name: str
    origin: str
    format: str
    entries: tuple[ArchiveEntry, ...]
    packed_size: int = 0
    unpacked_size: int = 0

    def to_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "origin": self.origin,
            "format": self.format,
            "entries": len(self.entries),
            "packed_bytes": self.packed_size,
            "unpacked_bytes": self.unpacked_size,
        }


class _Bounded:
    """`size` bytes of an underlying stream (an ar member); short data means truncation."""

    def __init__(self, raw: BinaryIO, size: int, archive: str) -> None:
        self.raw = raw
        self.left = size
        self.archive = archive

    def read(self, size: int = -1, /) -> bytes:
        want = self.left if size < 0 else min(size, self.left)
        data = self.raw.read(want)
        if len(data) < want:
            raise ArchiveError(f"{self.archive}: truncated archive (a member ends early)")
        self.left -= len(data)
        return data


class _Collector:
    """Entries of one archive, in order, refusing members written through its own symlinks."""

    def __init__(self, archive: str, budget: Budget) -> None:
        self.archive = archive
        self.budget = budget
        self.entries: dict[str, ArchiveEntry] = {}
        self.symlinks: set[str] = set()

    def add(self, entry: ArchiveEntry) -> None:
        parent = entry.directory
        while parent:
            if parent in self.symlinks:
                raise ArchiveError(
                    f"{self.archive}: refusing a hostile archive: {entry.path!r} is written "
                    f"through the symlink {parent!r}"
                )
            parent = posixpath.dirname(parent)
        self.entries.pop(entry.path, None)
        self.entries[entry.path] = entry
        if entry.kind == "symlink":
            self.symlinks.add(entry.path)
        else:
            self.symlinks.discard(entry.path)


def _hash(stream: Reader) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    while chunk := stream.read(_CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def _magic_format(head: bytes) -> str:
    kind = compression(head)
    if kind:
        return f"tar.{kind}"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "zip"
    if head.startswith(b"!<arch>\n"):
        return "deb"
    if head[257:262] == b"ustar" or (len(head) == 512 and not head.strip(b"\0")):
        return "tar"  # with a POSIX or GNU header, or empty (only end-of-archive blocks)
    if head.startswith((b"\x7fELF", b"#!")):
        return "executable"
    return "unknown"


def _index_tar(raw: Reader, packed_size: int, out: _Collector) -> None:
    for member, tf in tar_members(raw, packed_size, out.archive, out.budget.limits, out.budget):
        if member.isdir():
            continue
        path = member_path(member.name, out.archive)
        if path is None:
            continue
        if member.issym():
            out.add(ArchiveEntry(path, "symlink", 0, None, member.mode, member.linkname))
        elif member.islnk():
            target = member_path(member.linkname, out.archive)
            base = out.entries.get(target or "")
            if base is None:
                raise ArchiveError(
                    f"{out.archive}: hard link {path!r} points to {member.linkname!r}, "
                    "which the archive does not contain before it"
                )
            out.add(ArchiveEntry(path, base.kind, base.size, base.sha256, member.mode, base.target))
        elif member.isreg():
            data = tf.extractfile(member)
            assert data is not None  # a regular member always has data
            sha, size = _hash(data)
            if size != member.size:
                raise ArchiveError(f"{out.archive}: truncated archive (in {path!r})")
            out.add(ArchiveEntry(path, "file", size, sha, member.mode))
        # devices, fifos: not files anyone installs as assets


def _index_zip(path: Path, out: _Collector) -> None:
    with zipfile.ZipFile(path) as zf:
        for info in zf.infolist():
            if info.is_dir():
                continue
            out.budget.count_entry()
            member = member_path(info.filename, out.archive)
            if member is None:
                continue
            mode = info.external_attr >> 16 if info.create_system == 3 else None
            with zf.open(info) as data:
                sha, size = _hash(Guarded(data, out.budget))
            if mode and stat.S_ISLNK(mode):
                with zf.open(info) as data:
                    target = data.read(4096).decode("utf-8", "replace")
                out.add(ArchiveEntry(member, "symlink", 0, None, stat.S_IMODE(mode), target))
            else:
                out.add(
                    ArchiveEntry(member, "file", size, sha, stat.S_IMODE(mode) if mode else None)
                )


def _ar_members(f: BinaryIO, archive: str) -> Iterator[tuple[str, int]]:
    """(name, size) of each member; the caller reads or skips exactly `size` bytes."""
    if f.read(8) != b"!<arch>\n":
        raise ArchiveError(f"{archive}: not an ar archive")
    while header := f.read(60):
        if len(header) < 60 or header[58:60] != b"`\n":
            raise ArchiveError(f"{archive}: truncated or corrupt ar header")
        try:
            size = int(header[48:58].decode("ascii").strip())
        except ValueError:
            raise ArchiveError(f"{archive}: corrupt ar member size") from None
        yield header[:16].decode("ascii", "replace").strip().rstrip("/"), size


def _index_deb(f: BinaryIO, size: int, out: _Collector) -> str:
    for name, member_size in _ar_members(f, out.archive):
        if name.startswith("data.tar"):
            suffix = name[len("data.tar") :]
            fmt = {
                "": "tar",
                ".gz": "tar.gz",
                ".xz": "tar.xz",
                ".zst": "tar.zst",
                ".bz2": "tar.bz2",
            }.get(suffix)
            if fmt is None:
                raise ArchiveError(f"{out.archive}: unsupported Debian data member {name!r}")
            out.budget = Budget(out.archive, out.budget.limits, member_size)
            _index_tar(_Bounded(f, member_size, out.archive), member_size, out)
            return f"deb ({name})"
        f.seek(member_size + member_size % 2, 1)
        if f.tell() > size:
            raise ArchiveError(f"{out.archive}: truncated archive (member {name!r} ends early)")
    raise ArchiveError(f"{out.archive}: a Debian package without a data.tar member")


def install_name(filename: str) -> str:
    """What a bare binary is installed as: `runc.amd64` -> `runc`."""
    return _ARCH_SUFFIX.sub("", filename) or filename


def index_archive(
    path: Path, name: str, *, origin: str = "", limits: ArchiveLimits = DEFAULT_LIMITS
) -> ArchiveIndex:
    """Stream `path` once and index it. `name` is how the archive is named in findings."""
    try:
        f = path.open("rb")
    except OSError as exc:
        raise SourceError(f"cannot read {path}: {exc.strerror or exc}") from None
    with f:
        head = f.read(512)
        f.seek(0)
        size = path.stat().st_size
        fmt = _magic_format(head)
        out = _Collector(name, Budget(name, limits, size))
        try:
            if fmt == "unknown":
                raise ArchiveError(
                    f"{name}: not a supported archive (tar, tar.gz, tar.zst, tar.xz, zip, deb) "
                    "or executable"
                )
            if fmt == "executable":
                sha, n = _hash(f)
                out.add(ArchiveEntry(install_name(posixpath.basename(name)), "file", n, sha, 0o755))
            elif fmt == "zip":
                _index_zip(path, out)
            elif fmt == "deb":
                fmt = _index_deb(f, size, out)
            else:
                _index_tar(f, size, out)
        except (*STREAM_ERRORS, zipfile.BadZipFile) as exc:
            detail = str(exc) or type(exc).__name__
            raise ArchiveError(f"{name}: broken or truncated archive: {detail}") from None
    return ArchiveIndex(
        name=name,
        origin=origin or str(path),
        format=fmt,
        entries=tuple(out.entries.values()),
        packed_size=size,
        unpacked_size=out.budget.total,
    )
