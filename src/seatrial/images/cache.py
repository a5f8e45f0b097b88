"""The content-addressed image cache.

Layout under the root (`$SEATRIAL_CACHE_DIR`, else `$XDG_CACHE_HOME/seatrial`, else
`~/.cache/seatrial`), versioned as black versions its cache:

    v1/blobs/sha256/<hex>          manifests, configs and layers, verified against their digest
    v1/index/sha256/<hex>.json     the file index of an image, keyed by its manifest digest
    v1/tags/<sha256 of ref>.json   the last digest a tag resolved to (for --offline)

Every write goes to a temp file in the same directory and is renamed into place, so two
processes filling the cache at once never see a partial file. Only well-formed sha256
digests name files, so nothing a registry sends can point a write outside the cache.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from seatrial.errors import RegistryError

CACHE_VERSION = "v1"
_DIGEST = re.compile(r"^sha256:([0-9a-f]{64})$")


class DigestMismatch(RegistryError):
    """Content does not match the digest it was asked for."""


def default_cache_root() -> Path:
    env = os.environ.get("SEATRIAL_CACHE_DIR")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "seatrial"


def digest_hex(digest: str) -> str:
    m = _DIGEST.match(digest)
    if not m:
        raise DigestMismatch(f"unsupported or malformed digest {digest[:80]!r}")
    return m.group(1)


class Cache:
    def __init__(self, root: Path | None = None) -> None:
        self.root = (root or default_cache_root()) / CACHE_VERSION

    @classmethod
    def at(cls, versioned_root: str | Path) -> Cache:
        """The cache whose versioned root (`Cache.root`) is `versioned_root`."""
        cache = cls.__new__(cls)
        cache.root = Path(versioned_root)
        return cache

    def blob_path(self, digest: str) -> Path:
        return self.root / "blobs" / "sha256" / digest_hex(digest)

    def has_blob(self, digest: str) -> bool:
        return self.blob_path(digest).is_file()

    def _atomic(self, dest: Path) -> tuple[IO[bytes], Path]:
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=".tmp-")
        return os.fdopen(fd, "wb"), Path(tmp)

    def write_blob(self, digest: str, chunks: Iterable[bytes], max_size: int | None = None) -> Path:
        """Stream `chunks` into the cache, verifying size and digest; atomic."""
        dest = self.blob_path(digest)
        want = digest_hex(digest)
        out, tmp = self._atomic(dest)
        try:
            h = hashlib.sha256()
            size = 0
            with out:
                for chunk in chunks:
                    size += len(chunk)
                    if max_size is not None and size > max_size:
                        raise DigestMismatch(
                            f"blob {digest} is larger than its declared size {max_size}"
                        )
                    h.update(chunk)
                    out.write(chunk)
            if max_size is not None and size != max_size:
                raise DigestMismatch(f"blob {digest} is truncated: {size} of {max_size} bytes")
            if h.hexdigest() != want:
                raise DigestMismatch(f"blob content does not match digest {digest}")
            os.replace(tmp, dest)
        finally:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
        return dest

    def put_small(self, digest: str, data: bytes) -> None:
        self.write_blob(digest, [data], len(data))

    def get_small(self, digest: str) -> bytes | None:
        """A small blob (manifest, config), re-verified on read; a corrupt copy is dropped."""
        path = self.blob_path(digest)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        if hashlib.sha256(data).hexdigest() != digest_hex(digest):
            with contextlib.suppress(OSError):
                path.unlink()
            return None
        return data

    def _write_json(self, dest: Path, doc: Any) -> None:
        out, tmp = self._atomic(dest)
        try:
            with out:
                out.write(json.dumps(doc, separators=(",", ":")).encode())
            os.replace(tmp, dest)
        finally:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()

    def _read_json(self, path: Path) -> Any:
        try:
            return json.loads(path.read_bytes())
        except (OSError, ValueError):
            return None

    def index_path(self, manifest_digest: str) -> Path:
        return self.root / "index" / "sha256" / f"{digest_hex(manifest_digest)}.json"

    def load_index(self, manifest_digest: str) -> Any:
        return self._read_json(self.index_path(manifest_digest))

    def save_index(self, manifest_digest: str, doc: Any) -> None:
        self._write_json(self.index_path(manifest_digest), doc)

    def _tag_path(self, ref: str) -> Path:
        return self.root / "tags" / f"{hashlib.sha256(ref.encode()).hexdigest()}.json"

    def remember_tag(self, ref: str, digest: str) -> None:
        self._write_json(self._tag_path(ref), {"ref": ref, "digest": digest, "seen": time.time()})

    def recall_tag(self, ref: str) -> tuple[str, float] | None:
        doc = self._read_json(self._tag_path(ref))
        if isinstance(doc, dict) and doc.get("ref") == ref and isinstance(doc.get("digest"), str):
            return str(doc["digest"]), float(doc.get("seen", 0))
        return None
