"""The file index of an image's final filesystem (`facts.files.FileIndex`), built by streaming
its layers once, and one file read back out of the cached layers (`read_image_file`: I/O, for
the gathering phase only).

Each layer (gzip, zstd or plain tar, recognised by its magic bytes) is read as a stream,
never extracted: entries are applied in order with overlay semantics (`.wh.NAME` deletes NAME,
`.wh..wh..opq` hides what lower layers put in a directory). The index keeps, per path, the
type, mode, size, link target and the layer that holds the content, which is enough to answer
"does /ko-app/capsule exist and is it executable" and to read one file back later.

Layers are read by `seatrial.archive`, whose path and bomb policies apply: hostile layers end
in one `ArchiveError` (entries escaping the root with `..`, decompression bombs, truncated or
corrupt streams, too many entries); absolute member names are taken relative to the root.
"""

from __future__ import annotations

import tarfile
from collections.abc import Iterator
from typing import IO

from seatrial.archive import DEFAULT_LIMITS, ArchiveLimits, tar_members
from seatrial.errors import ArchiveError
from seatrial.facts.files import FILE, FileIndex, SymlinkLoop, normalize_member
from seatrial.facts.image import ImageFacts
from seatrial.images.cache import Cache

# --- streaming layers --------------------------------------------------------------------


def iter_members(
    raw: IO[bytes],
    compressed_size: int,
    label: str,
    limits: ArchiveLimits,
) -> Iterator[tuple[tarfile.TarInfo, tarfile.TarFile]]:
    """Stream the tar members of one layer (through the one safe-archive reader)."""
    return tar_members(raw, compressed_size, f"layer {label}", limits)


def index_layer(
    index: FileIndex,
    raw: IO[bytes],
    layer: int,
    compressed_size: int,
    label: str,
    limits: ArchiveLimits = DEFAULT_LIMITS,
) -> None:
    for member, _ in iter_members(raw, compressed_size, label, limits):
        index.apply(member, layer, f"layer {label}")


def read_member(
    raw: IO[bytes],
    wanted: str,
    compressed_size: int,
    label: str,
    max_bytes: int,
    limits: ArchiveLimits = DEFAULT_LIMITS,
) -> bytes | None:
    """The content of regular file `wanted` (normalised) in one layer, or None."""
    for member, tar in iter_members(raw, compressed_size, label, limits):
        try:
            path = normalize_member(member.name)
        except ArchiveError:
            continue
        if path == wanted and member.isreg():
            if member.size > max_bytes:
                return None
            fileobj = tar.extractfile(member)
            return fileobj.read() if fileobj is not None else None
    return None


def read_image_file(image: ImageFacts, path: str, max_bytes: int = 8 << 20) -> bytes | None:
    """One regular file's content from the image's cached layers (symlinks followed), or None
    when absent, not a regular file, larger than `max_bytes`, or no longer cached. I/O: the
    gathering phase calls it, a check never does (checks get `ImageFacts`, which only holds
    data)."""
    try:
        entry = image.files.resolve(path, image.working_dir or "/")
    except SymlinkLoop:
        return None
    if entry is None or entry.type != FILE or entry.size > max_bytes:
        return None
    if not 0 <= entry.layer < len(image.layers) or not image.cache_root:
        return None
    layer = image.layers[entry.layer]
    blob = Cache.at(image.cache_root).blob_path(layer.digest)
    try:
        with blob.open("rb") as raw:
            return read_member(raw, entry.source or entry.path, layer.size, layer.digest, max_bytes)
    except (OSError, ArchiveError):
        return None
