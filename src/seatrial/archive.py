"""Reading archives nobody here wrote: one stream, one set of limits, one path policy.

Image layers (`images/index.py`) and downloaded assets (`assets/archive.py`) both go through
this module; neither ever extracts anything to disk.

Compression is recognised by magic bytes, never by name: gzip, zstd, xz, bzip2 or none.

The path policy, the same for every archive:
- a member name is taken relative to the archive root: `./a`, `a//b/.` and `/a` name the same
  place (a leading `/` is dropped, as GNU tar and the container runtimes do);
- `..` is resolved, and a name that climbs above the root is refused;
- a name holding a NUL byte or starting with a drive letter or a backslash (`C:\\x`, `\\x`:
  a Windows absolute path) is refused.

The bomb policy (`ArchiveLimits`): an archive may unpack to `max_ratio` times its packed size,
and always to `ratio_floor` bytes, never past `max_total`; it may hold at most `max_entries`
members. The defaults let real image layers and release archives through (a layer of sparse
zero-filled files packs around 1000:1, so the floor is what keeps those) and stop a bomb
before it costs more than a few seconds and no disk at all.

Everything hostile ends in one `ArchiveError` whose message starts with the archive's name.
"""

from __future__ import annotations

import bz2
import gzip
import lzma
import re
import tarfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Protocol, cast

import zstandard

from seatrial.errors import ArchiveError

_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")
_TAR_BUFSIZE = 1 << 16

#: exceptions a broken or truncated compressed tar stream raises
STREAM_ERRORS = (
    tarfile.TarError,
    EOFError,
    zlib.error,
    lzma.LZMAError,
    zstandard.ZstdError,
    OSError,
    ValueError,
)


@dataclass(frozen=True)
class ArchiveLimits:
    """Where reading stops and calls the archive a bomb (see the module docstring)."""

    max_ratio: int = 250
    ratio_floor: int = 64 << 20
    max_total: int = 64 << 30
    max_entries: int = 2_000_000

    def budget(self, packed_size: int) -> int:
        """The unpacked bytes an archive of `packed_size` bytes may produce."""
        return min(self.max_total, max(self.ratio_floor, self.max_ratio * max(packed_size, 1)))


DEFAULT_LIMITS = ArchiveLimits()


def member_path(name: str, archive: str) -> str | None:
    """A member name as a normalised path relative to the archive root (None for the root
    itself); hostile names raise `ArchiveError`."""
    if "\x00" in name:
        raise ArchiveError(
            f"{archive}: refusing a hostile archive: a NUL byte in the path {name[:80]!r}"
        )
    if name.startswith("\\") or _DRIVE.match(name):
        raise ArchiveError(
            f"{archive}: refusing a hostile archive: Windows absolute path {name[:200]!r}"
        )
    depth = 0  # `..\..` climbs too for the tools that read a backslash as a separator
    for part in re.split(r"[\\/]", name):
        depth += -1 if part == ".." else 0 if part in ("", ".") else 1
        if depth < 0:
            raise ArchiveError(
                f"{archive}: refusing a hostile archive: path {name[:200]!r} "
                "escapes the archive root"
            )
    parts: list[str] = []
    for part in name.split("/"):
        if part == "..":
            if not parts:
                raise ArchiveError(
                    f"{archive}: refusing a hostile archive: path "
                    f"{name[:200]!r} escapes the archive root"
                )
            parts.pop()
        elif part not in ("", "."):
            parts.append(part)
    return "/".join(parts) or None


class Reader(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


class Budget:
    """Unpacked bytes and members of one archive, counted against `ArchiveLimits`."""

    def __init__(self, archive: str, limits: ArchiveLimits, packed_size: int) -> None:
        self.archive = archive
        self.limits = limits
        self.packed_size = packed_size
        self.allowed = limits.budget(packed_size)
        self.total = 0
        self.entries = 0

    def spend(self, n: int) -> None:
        self.total += n
        if self.total > self.allowed:
            lim = self.limits
            raise ArchiveError(
                f"{self.archive}: refusing a decompression bomb: it unpacks to more than "
                f"{self.allowed} bytes from {self.packed_size} packed (limit {lim.max_ratio}x "
                f"the packed size, at least {lim.ratio_floor}, at most {lim.max_total} bytes)"
            )

    def count_entry(self) -> None:
        self.entries += 1
        if self.entries > self.limits.max_entries:
            raise ArchiveError(
                f"{self.archive}: more than {self.limits.max_entries} entries; refusing to read it"
            )


class Guarded:
    """An unpacked stream, charged to a `Budget` as it is read."""

    def __init__(self, inner: Reader, budget: Budget) -> None:
        self.inner = inner
        self.budget = budget

    def read(self, size: int = -1, /) -> bytes:
        data = self.inner.read(size)
        self.budget.spend(len(data))
        return data


class _Prefixed:
    """`head` (already read to sniff the format), then the rest of `raw`."""

    def __init__(self, head: bytes, raw: Reader) -> None:
        self.head = head
        self.raw = raw

    def read(self, size: int = -1, /) -> bytes:
        if not self.head:
            return self.raw.read(size)
        if size < 0:
            data, self.head = self.head + self.raw.read(), b""
            return data
        data, self.head = self.head[:size], self.head[size:]
        return data + (self.raw.read(size - len(data)) if len(data) < size else b"")


def compression(head: bytes) -> str:
    """The compression the magic bytes at the start of a stream name ("" for none)."""
    if head.startswith(b"\x1f\x8b"):
        return "gz"
    if head.startswith(b"\x28\xb5\x2f\xfd"):
        return "zst"
    if head.startswith(b"\xfd7zXZ\x00"):
        return "xz"
    if head.startswith(b"BZh"):
        return "bz2"
    return ""


def decompressed(raw: Reader) -> Reader:
    """`raw` through the decompressor its magic bytes call for."""
    head = raw.read(6)
    packed = _Prefixed(head, raw)
    # the decompressors want a file object; they only call read() on it
    fileobj = cast(IO[bytes], packed)
    kind = compression(head)
    if kind == "gz":
        return gzip.GzipFile(fileobj=fileobj, mode="rb")
    if kind == "zst":
        return cast(
            Reader, zstandard.ZstdDecompressor().stream_reader(fileobj, read_across_frames=True)
        )
    if kind == "xz":
        return lzma.LZMAFile(fileobj)
    if kind == "bz2":
        return bz2.BZ2File(fileobj)
    return packed


def tar_members(
    raw: Reader,
    packed_size: int,
    archive: str,
    limits: ArchiveLimits,
    budget: Budget | None = None,
) -> Iterator[tuple[tarfile.TarInfo, tarfile.TarFile]]:
    """Stream the members of a (compressed) tar, charging what it unpacks to `budget` (one of
    its own by default). Members are not checked against the path policy: call `member_path`
    on the names that matter. A broken stream raises `ArchiveError`."""
    budget = budget or Budget(archive, limits, packed_size)
    stream = cast(IO[bytes], Guarded(decompressed(raw), budget))
    try:
        with tarfile.open(fileobj=stream, mode="r|", bufsize=_TAR_BUFSIZE) as tar:
            while (member := tar.next()) is not None:
                tar.members = []  # type: ignore[attr-defined]  # stream mode keeps them all
                budget.count_entry()
                yield member, tar
    except ArchiveError:
        raise
    except STREAM_ERRORS as exc:
        detail = str(exc) or type(exc).__name__
        raise ArchiveError(f"{archive}: broken or truncated archive: {detail}") from None
