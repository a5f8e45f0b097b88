"""Unpack an image's final filesystem into a directory, to serve as the sandbox root.

The image module already walked the layers (overlay semantics, whiteouts, bomb and escape
limits) into a `FileIndex` of the final filesystem; this writes exactly that tree, streaming
each layer once for the file contents it still provides. Nothing is taken from tar headers
but bytes: directories are created first as real directories, files are written with
O_NOFOLLOW, symlinks are created last (so no write can pass through one), set-id bits and
device nodes are dropped, and the whole tree is bounded in size.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import IO, TYPE_CHECKING

from seatrial.errors import ArchiveError

if TYPE_CHECKING:
    from seatrial.facts.files import FileEntry
    from seatrial.facts.image import ImageFacts

#: an image whose files add up to more than this is refused
MAX_ROOTFS_BYTES = 4 << 30


def _local(dest: Path, path: str) -> str:
    return os.path.join(dest, path.lstrip("/"))


def _write(dest: Path, entries: list[FileEntry], stream: IO[bytes]) -> None:
    first = _local(dest, entries[0].path)
    fd = os.open(first, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
    with os.fdopen(fd, "wb") as out:
        shutil.copyfileobj(stream, out)
    for other in entries[1:]:  # hard links to the same content
        shutil.copyfile(first, _local(dest, other.path), follow_symlinks=False)


def unpack_rootfs(facts: ImageFacts, dest: Path) -> None:
    """Write the image's final filesystem under `dest` (an empty directory)."""
    from seatrial.archive import ArchiveLimits
    from seatrial.facts.files import DIR, FILE, SYMLINK, normalize_member
    from seatrial.images.cache import Cache
    from seatrial.images.index import iter_members

    entries = sorted(facts.files, key=lambda e: e.path)
    total = sum(e.size for e in entries if e.type == FILE)
    if total > MAX_ROOTFS_BYTES:
        raise ArchiveError(
            f"image {facts.ref}: {total} bytes of files is more than "
            f"{MAX_ROOTFS_BYTES >> 30} GiB; refusing to unpack it"
        )
    for e in entries:
        if e.type == DIR and e.path != "/":
            os.mkdir(_local(dest, e.path), 0o700)
    wanted: dict[int, dict[str, list[FileEntry]]] = {}
    for e in entries:
        if e.type == FILE:
            wanted.setdefault(e.layer, {}).setdefault(e.source or e.path, []).append(e)
    cache = Cache.at(facts.cache_root)
    for n, layer in enumerate(facts.layers):
        need = wanted.pop(n, {})
        if not need:
            continue
        blob = cache.blob_path(layer.digest)
        if not blob.is_file():
            raise ArchiveError(f"image {facts.ref}: layer {layer.digest} is not in the cache")
        with blob.open("rb") as raw:
            for member, tar in iter_members(raw, layer.size, layer.digest, ArchiveLimits()):
                try:
                    path = normalize_member(member.name)
                except ArchiveError:
                    continue
                if path in need and member.isreg():
                    stream = tar.extractfile(member)
                    if stream is not None:
                        _write(dest, need[path], stream)
        missing = [p for p in need if not os.path.lexists(_local(dest, need[p][0].path))]
        if missing:
            raise ArchiveError(f"image {facts.ref}: layer {layer.digest} lacks {missing[0]}")
    if wanted:
        raise ArchiveError(f"image {facts.ref}: files refer to a layer it does not have")
    for e in entries:
        if e.type == SYMLINK:
            os.symlink(e.target, _local(dest, e.path))
        elif e.type == FILE:
            os.chmod(_local(dest, e.path), e.mode & 0o1777, follow_symlinks=False)
    for e in reversed(entries):  # deepest first: a read-only directory is closed last
        if e.type == DIR:
            os.chmod(_local(dest, e.path) if e.path != "/" else dest, (e.mode & 0o1777) | 0o700)
