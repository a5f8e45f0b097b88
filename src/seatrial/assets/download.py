"""Downloads into the content cache, verified against the hashes the user gave.

The cache lives in `$SEATRIAL_CACHE_DIR/assets` (default `~/.cache/seatrial/assets`). A file is
stored under its sha256 (`sha256/<hex>`) only after it was verified, through a temporary file
renamed into place, so a crash or a bad download never leaves a file that looks complete. A
URL with a known hash is downloaded once; one without is downloaded each time (its content may
have changed) and stored under the hash it turned out to have.

A download is hashed while it streams and bounded (`images.exchange`): at most
`MAX_ASSET_BYTES` (2 GiB) are written, and it must keep a minimum average rate after its
first minute, so an endless or trickling server ends in one error line, never a full disk
or a hang.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO
from urllib.parse import urlsplit, urlunsplit

import click
import httpx

from seatrial.errors import ArchiveError, SourceError, UsageError
from seatrial.images.exchange import BodyTooLarge, bounded_client
from seatrial.images.oci import BASE_DEADLINE

_HEX64 = re.compile(r"^[0-9a-f]{64}$")
MAX_ASSET_BYTES = 2 << 30


def redact(url: str) -> str:
    """A URL as shown to users: credentials and query strings (signed-URL tokens) hidden."""
    try:
        parts = urlsplit(url)
    except ValueError:
        # malformed (an unclosed IPv6 bracket): keep the scheme, hide the rest but the path tail
        scheme, _, rest = url.partition("://")
        return f"{scheme}://***/{rest.rsplit('/', 1)[-1]}" if rest else "***"
    netloc = parts.netloc
    if "@" in netloc:
        netloc = "***@" + netloc.rsplit("@", 1)[1]
    return urlunsplit((parts.scheme, netloc, parts.path, "***" if parts.query else "", ""))


def cache_root() -> Path:
    base = os.environ.get("SEATRIAL_CACHE_DIR") or os.path.join(
        os.path.expanduser("~"), ".cache", "seatrial"
    )
    return Path(base) / "assets"


def parse_sha256(text: str, where: str) -> str:
    """A hash as cluster specs and users write it: `<hex>` or `sha256:<hex>`."""
    value = text.strip().lower()
    value = value.removeprefix("sha256:")
    if not _HEX64.match(value):
        raise UsageError(f"{where}: {text!r} is not a sha256 hash (64 hex digits)")
    return value


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def verify(path: Path, expected: str, label: str) -> None:
    actual = file_sha256(path)
    if actual != expected:
        raise ArchiveError(f"{label}: sha256 mismatch: expected {expected}, got {actual}")


@contextlib.contextmanager
def _progress(total: int | None, label: str) -> Iterator[Callable[[int], None]]:
    """A progress bar on stderr when it is a terminal and the size is known."""
    if not total or not sys.stderr.isatty():
        yield lambda _n: None
        return
    with click.progressbar(length=total, label=label, file=sys.stderr) as bar:
        yield bar.update


def fetch(
    url: str,
    sha256: str | None,
    *,
    timeout: float = 60.0,
    deadline: float = BASE_DEADLINE,
    max_bytes: int = MAX_ASSET_BYTES,
    offline: bool = False,
) -> Path:
    """The cached path of `url`'s content, downloading it when needed (never `offline`)."""
    root = cache_root()
    if sha256 and (root / "sha256" / sha256).is_file():
        return root / "sha256" / sha256
    if offline:
        why = "" if sha256 else " (only a URL with #sha256= can be found in the cache)"
        raise SourceError(
            f"{redact(url)}: not in the cache, and --offline forbids downloading it{why}"
        )
    (root / "sha256").mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=root, prefix=".part-")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            actual = _download(url, out, timeout, deadline, max_bytes)
        if sha256 and actual != sha256:
            raise ArchiveError(f"{redact(url)}: sha256 mismatch: expected {sha256}, got {actual}")
        final = root / "sha256" / actual
        os.replace(tmp, final)
        return final
    finally:
        tmp.unlink(missing_ok=True)


def _download(url: str, out: IO[bytes], timeout: float, deadline: float, max_bytes: int) -> str:
    digest = hashlib.sha256()
    shown = redact(url)
    try:
        name = urlsplit(url).path.rsplit("/", 1)[-1] or shown
    except ValueError:
        raise SourceError(f"cannot download {shown}: invalid URL") from None
    try:
        with (
            bounded_client(timeout=timeout, base=deadline, max_body=max_bytes) as client,
            client.stream("GET", url) as resp,
        ):
            if resp.status_code != 200:
                raise SourceError(f"cannot download {shown}: HTTP {resp.status_code}")
            length = resp.headers.get("content-length")
            total = int(length) if length and length.isdigit() else None
            if total is not None and total > max_bytes:
                raise SourceError(
                    f"cannot download {shown}: {total} bytes is more than the {max_bytes} allowed"
                )
            with _progress(total, name) as advance:
                for chunk in resp.iter_raw(1 << 20):
                    digest.update(chunk)
                    out.write(chunk)
                    advance(len(chunk))
    except BodyTooLarge:
        raise SourceError(
            f"cannot download {shown}: larger than the {max_bytes} bytes allowed"
        ) from None
    except httpx.TimeoutException:
        raise SourceError(
            f"cannot download {shown}: no complete answer within the deadline"
        ) from None
    except httpx.HTTPError as exc:
        reason = str(exc).replace(url, shown) or type(exc).__name__
        raise SourceError(f"cannot download {shown}: {reason}") from None
    except (httpx.InvalidURL, ValueError):
        raise SourceError(f"cannot download {shown}: invalid URL") from None
    return digest.hexdigest()
