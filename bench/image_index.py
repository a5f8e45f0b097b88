"""Index a large image through a real registry: cold, blobs cached, fully cached.

Builds an image of >= 500 MB (compressed) in 12 layers of generated data (random file
contents that do not compress, gzip and zstd layers, thousands of small files), writes each
layer to a temp file and pushes it to a local `docker-registry` with a streaming upload, then
runs three phases, each in a fresh child process so its peak RSS is its own:

    cold         empty cache: download every blob, verify it, index it
    warm-blobs   blobs cached, file index dropped: index from the cache only
    warm         everything cached: one HEAD request

Prints MB/s (compressed bytes per second) and peak RSS per phase, and the ratios between
phases measured in this run. Usage: python bench/image_index.py [--mb 540] [--layers 12]
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import resource
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, cast

import httpx
import zstandard

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

RSS_LIMIT_MB = 200


def _layer_file(path: Path, n: int, megabytes: int, small_files: int) -> tuple[str, int, str]:
    """Write one compressed layer to `path` without holding it in memory; return
    (digest, size, media type)."""
    zstd = n % 3 == 2
    with path.open("wb") as raw:
        out: IO[bytes] = (
            cast(IO[bytes], zstandard.ZstdCompressor(level=1).stream_writer(raw, closefd=False))
            if zstd
            else cast(IO[bytes], gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=1, mtime=0))
        )
        with tarfile.open(fileobj=out, mode="w|", format=tarfile.PAX_FORMAT) as tar:
            for i in range(megabytes):
                info = tarfile.TarInfo(f"layer{n}/blobs/file{i:04d}.bin")
                info.size = 1 << 20
                info.mode = 0o755 if i % 7 == 0 else 0o644
                tar.addfile(info, _Random(info.size))
            for i in range(small_files):
                data = f"layer {n} file {i}\n".encode()
                info = tarfile.TarInfo(f"usr/share/layer{n}/d{i % 50}/f{i}.txt")
                info.size = len(data)
                tar.addfile(info, _Bytes(data))
        out.close()
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    media = "application/vnd.oci.image.layer.v1.tar+" + ("zstd" if zstd else "gzip")
    return "sha256:" + h.hexdigest(), path.stat().st_size, media


class _Random:
    def __init__(self, size: int) -> None:
        self.left = size

    def read(self, n: int = -1) -> bytes:
        n = self.left if n < 0 else min(n, self.left)
        self.left -= n
        return os.urandom(n)


class _Bytes(_Random):
    def __init__(self, data: bytes) -> None:
        super().__init__(len(data))
        self.data = data

    def read(self, n: int = -1) -> bytes:
        out, self.data = (self.data, b"") if n < 0 else (self.data[:n], self.data[n:])
        return out


def _upload(client: httpx.Client, url: str, repo: str, path: Path, digest: str) -> None:
    start = client.post(f"{url}/v2/{repo}/blobs/uploads/")
    start.raise_for_status()
    loc = start.headers["Location"]
    loc = url + loc if loc.startswith("/") else loc
    size = path.stat().st_size

    def chunks() -> Iterator[bytes]:
        with path.open("rb") as fh:
            while chunk := fh.read(1 << 20):
                yield chunk

    done = client.put(
        f"{loc}{'&' if '?' in loc else '?'}digest={digest}",
        content=chunks(),
        headers={"Content-Length": str(size), "Content-Type": "application/octet-stream"},
    )
    done.raise_for_status()


def build_and_push(url: str, repo: str, total_mb: int, layers: int, work: Path) -> int:
    from testkit.oci import Blob, push_blob, push_manifest

    per_layer = max(1, total_mb // layers)
    descs, diff_ids, total = [], [], 0
    with httpx.Client(timeout=300) as client:
        for n in range(layers):
            path = work / f"layer{n}"
            digest, size, media = _layer_file(path, n, per_layer, 400)
            _upload(client, url, repo, path, digest)
            path.unlink()
            descs.append({"mediaType": media, "digest": digest, "size": size})
            diff_ids.append(digest)  # not checked by the indexer
            total += size
        config = json.dumps(
            {
                "architecture": "amd64",
                "os": "linux",
                "config": {"Entrypoint": ["/layer0/blobs/file0000.bin"]},
                "rootfs": {"type": "layers", "diff_ids": diff_ids},
            }
        ).encode()
        cfg = push_blob(url, repo, config, client)
        manifest = {
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": {
                "mediaType": "application/vnd.oci.image.config.v1+json",
                "digest": cfg,
                "size": len(config),
            },
            "layers": descs,
        }
        push_manifest(
            url,
            repo,
            "big",
            Blob(json.dumps(manifest).encode(), "application/vnd.oci.image.manifest.v1+json"),
            client,
        )
    return total


def phase(ref: str, cache: Path) -> dict[str, float]:
    """Run in a child: gather one image and report time, entries and peak RSS."""
    from seatrial.facts.image import ImageFacts
    from seatrial.images.gather import ImageOptions, gather_images

    start = time.perf_counter()
    result = gather_images([ref], ImageOptions(cache_dir=cache))[ref]
    elapsed = time.perf_counter() - start
    if not isinstance(result, ImageFacts):
        raise SystemExit(f"bench image did not resolve: {result}")
    assert result.is_executable("/layer0/blobs/file0000.bin")
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": elapsed, "entries": len(result.files), "rss_mb": rss_mb}


def run_phase(name: str, ref: str, cache: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--phase", ref, str(cache)],
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode != 0:
        raise SystemExit(f"{name} phase failed: {out.stderr[-2000:]}")
    data: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return data


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=540, help="compressed image size (MB)")
    parser.add_argument("--layers", type=int, default=12)
    parser.add_argument("--phase", nargs=2, metavar=("REF", "CACHE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        print(json.dumps(phase(args.phase[0], Path(args.phase[1]))))
        return 0
    from testkit.registry import run_registry

    work = Path(tempfile.mkdtemp(prefix="seatrial-bench-"))
    try:
        with run_registry(work) as reg:
            t0 = time.perf_counter()
            size = build_and_push(reg.url, "bench/big", args.mb, args.layers, work)
            print(
                f"built and pushed {size / 1e6:.0f} MB in {args.layers} layers "
                f"({time.perf_counter() - t0:.1f}s)"
            )
            ref = f"{reg.host}/bench/big:big"
            cache = work / "cache"
            cold = run_phase("cold", ref, cache)
            shutil.rmtree(cache / "v1" / "index")
            warm_blobs = run_phase("warm-blobs", ref, cache)
            warm = run_phase("warm", ref, cache)
        mb = size / 1e6
        print(f"{'phase':<11} {'seconds':>8} {'MB/s':>8} {'peak RSS MB':>12}")
        for name, r in (("cold", cold), ("warm-blobs", warm_blobs), ("warm", warm)):
            print(f"{name:<11} {r['seconds']:>8.2f} {mb / r['seconds']:>8.0f} {r['rss_mb']:>12.0f}")
        print(f"entries indexed: {int(cold['entries'])}")
        print(
            f"warm-blobs is {cold['seconds'] / warm_blobs['seconds']:.1f}x faster than cold; "
            f"warm is {cold['seconds'] / warm['seconds']:.0f}x faster than cold"
        )
        peak = max(r["rss_mb"] for r in (cold, warm_blobs, warm))
        ok = peak < RSS_LIMIT_MB
        print(f"peak RSS {peak:.0f} MB {'<' if ok else '>='} {RSS_LIMIT_MB} MB limit")
        return 0 if ok else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
