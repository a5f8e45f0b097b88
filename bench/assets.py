"""Benchmark `seatrial assets` indexing: generate >= 1 GB of archives, index them, and print the
rate (MB/s), the rate of a bare decompress + sha256 of the same bytes measured in this run (the
floor any streaming indexer pays), their ratio, and the indexer's peak RSS (must be < 200 MB).

    python bench/assets.py [--size-mb 1100] [--keep DIR]

The archives are generated as streams (nothing large is held in memory): tar.gz (gzip level 1),
tar.zst (level 1) and a .deb, holding a mix of large and small files. File content is a 4 MiB
random pattern, rotated per file: random enough that neither compressor shrinks it (the archives
really weigh >= 1 GB, and no bomb limit trips), yet cheap to produce.

Indexing runs in a child process so that its peak RSS is its own, not the generator's.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import json
import os
import resource
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import zstandard

PATTERN = os.urandom(4 << 20)
LARGE = 48 << 20
SMALL = 64 << 10


class _Content(io.RawIOBase):
    """`size` bytes of the pattern, starting at `offset`."""

    def __init__(self, size: int, offset: int) -> None:
        self.left = size
        self.pos = offset % len(PATTERN)

    def readable(self) -> bool:
        return True

    def readinto(self, buf: memoryview) -> int:  # type: ignore[override]
        n = min(len(buf), self.left, len(PATTERN) - self.pos)
        buf[:n] = PATTERN[self.pos : self.pos + n]
        self.pos = (self.pos + n) % len(PATTERN)
        self.left -= n
        return n


def _members(total: int, seed: int) -> Iterator[tuple[str, int]]:
    """(path, size): large binaries in usr/local/bin, then many small files, `total` bytes."""
    written, i = 0, 0
    while written < total:
        size = LARGE if i % 5 else SMALL * 40
        if i % 5 == 0:
            for j in range(40):
                yield f"usr/share/pkg{seed}/data/{i}-{j}.dat", SMALL
        else:
            yield f"usr/local/bin/tool{seed}-{i}", size
        written += size
        i += 1


def _write_tar(out: Any, total: int, seed: int, prefix: str = "") -> None:
    # `out`: any writable stream (a gzip or zstd writer); the stubs want a full file object
    with tarfile.open(fileobj=out, mode="w|", format=tarfile.GNU_FORMAT) as tf:
        for n, (path, size) in enumerate(_members(total, seed)):
            info = tarfile.TarInfo(prefix + path)
            info.size, info.mode = size, 0o755
            tf.addfile(info, io.BufferedReader(_Content(size, seed * 7919 + n * 104729)))


def generate(directory: Path, total_mb: int) -> list[Path]:
    share = (total_mb << 20) // 4
    paths = []
    for seed in range(2):
        path = directory / f"bundle{seed}-linux-amd64.tar.gz"
        with path.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=1) as gz:
            _write_tar(gz, share, seed)
        paths.append(path)
    path = directory / "bundle2-linux-amd64.tar.zst"
    with path.open("wb") as raw, zstandard.ZstdCompressor(level=1).stream_writer(raw) as zw:
        _write_tar(zw, share, 2)
    paths.append(path)
    paths.append(_deb(directory, share))
    return paths


def _deb(directory: Path, size: int) -> Path:
    data = directory / "data.tar.gz"
    with data.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=1) as gz:
        _write_tar(gz, size, 3, prefix="./")
    path = directory / "bundle3_1.0_amd64.deb"
    control = gzip.compress(b"\0" * 1024)  # an empty tar

    def member(name: str, length: int) -> bytes:
        return f"{name:<16}{0:<12}{0:<6}{0:<6}{'100644':<8}{length:<10}`\n".encode()

    with path.open("wb") as out, data.open("rb") as src:
        out.write(b"!<arch>\n" + member("debian-binary", 4) + b"2.0\n")
        out.write(member("control.tar.gz", len(control)) + control + b"\n" * (len(control) % 2))
        length = data.stat().st_size
        out.write(member("data.tar.gz", length))
        while chunk := src.read(1 << 20):
            out.write(chunk)
        out.write(b"\n" * (length % 2))
    data.unlink()
    return path


def index_child(paths: list[str]) -> None:
    """Run in the child: index every archive, print JSON with timings."""
    from seatrial.assets.archive import index_archive

    start = time.perf_counter()
    packed = unpacked = entries = 0
    for p in paths:
        idx = index_archive(Path(p), Path(p).name)
        packed += idx.packed_size
        unpacked += idx.unpacked_size
        entries += len(idx.entries)
    seconds = time.perf_counter() - start
    rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "seconds": seconds,
                "packed": packed,
                "unpacked": unpacked,
                "entries": entries,
                "rss_kb": rss_kb,
            }
        )
    )


def baseline(paths: list[Path]) -> float:
    """Seconds to decompress and sha256 the gzip archives as one stream each (no tar parsing)."""
    start = time.perf_counter()
    for p in paths:
        if p.suffix != ".gz":
            continue
        digest = hashlib.sha256()
        with gzip.open(p, "rb") as f:
            while chunk := f.read(1 << 20):
                digest.update(chunk)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=1100)
    parser.add_argument("--keep", type=Path, help="generate into this directory and keep it")
    parser.add_argument("--index-child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.index_child:
        index_child(args.index_child)
        return
    with tempfile.TemporaryDirectory(prefix="seatrial-bench-") as tmp:
        directory = args.keep or Path(tmp)
        directory.mkdir(parents=True, exist_ok=True)
        t0 = time.perf_counter()
        paths = generate(directory, args.size_mb)
        gen = time.perf_counter() - t0
        total = sum(p.stat().st_size for p in paths)
        print(f"generated {len(paths)} archives, {total / 1e6:.0f} MB packed, in {gen:.1f} s")
        child = subprocess.run(
            [sys.executable, __file__, "--index-child", *map(str, paths)],
            check=True,
            capture_output=True,
            text=True,
        )
        r = json.loads(child.stdout)
        gz = [p for p in paths if p.suffix == ".gz"]
        gz_bytes = sum(p.stat().st_size for p in gz)
        floor = baseline(gz)
    rate = r["packed"] / r["seconds"] / 1e6
    floor_rate = gz_bytes / floor / 1e6
    print(
        f"indexed {r['entries']} entries, {r['packed'] / 1e6:.0f} MB packed / "
        f"{r['unpacked'] / 1e6:.0f} MB unpacked, in {r['seconds']:.1f} s: {rate:.0f} MB/s"
    )
    print(
        f"floor (gunzip + sha256 only, tar.gz archives): {floor_rate:.0f} MB/s; "
        f"indexer at {rate / floor_rate:.2f}x of the floor"
    )
    rss_mb = r["rss_kb"] / 1024
    print(f"indexer peak RSS: {rss_mb:.0f} MB (limit 200 MB): {'ok' if rss_mb < 200 else 'OVER'}")
    if total < 1e9:
        print("warning: less than 1 GB generated", file=sys.stderr)
    if rss_mb >= 200:
        sys.exit(1)


if __name__ == "__main__":
    main()
