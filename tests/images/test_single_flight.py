"""On a cold image cache every blob is downloaded once, and every image indexed once, however
many references share it: two images with a common layer, one image by tag and by digest."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

from testkit.oci import File, build_image, push
from tests.conftest import Registry

from seatrial.facts.image import ImageFacts
from seatrial.images.gather import ImageOptions, gather_images


def test_each_blob_is_fetched_once(registry: Registry, tmp_path: Path) -> None:
    shared = {"/usr/lib/libshared.so": File(os.urandom(3 << 20))}  # big enough to overlap
    first = build_image({"/bin/a": File(b"#!/bin/sh\n", mode=0o755)}, layers=[shared])
    second = build_image({"/bin/b": File(b"#!/bin/sh\n", mode=0o755)}, layers=[shared])
    digest = push(registry.url, "flight/a", "1", first)
    push(registry.url, "flight/b", "1", second)
    refs = [
        f"{registry.host}/flight/a:1",
        f"{registry.host}/flight/a@{digest}",
        f"{registry.host}/flight/b:1",
    ]
    before = len(registry.blob_gets())

    results = gather_images(refs, ImageOptions(cache_dir=tmp_path / "cache", concurrency=8))

    gets = Counter(path.rsplit("/", 1)[1] for path in registry.blob_gets()[before:])
    blobs = {b.digest for image in (first, second) for b in (image.config, *image.layers)}
    assert gets == Counter(dict.fromkeys(blobs, 1))
    assert len(blobs) == 5  # 2 configs, the shared layer, 2 own layers
    facts = [results[r] for r in refs]
    assert all(isinstance(f, ImageFacts) for f in facts)
    files = [f.files for f in facts if isinstance(f, ImageFacts)]
    assert files[0] is files[1]  # by tag and by digest: one index
    assert files[0].is_executable("/bin/a") and files[2].is_executable("/bin/b")
    assert files[2].exists("/usr/lib/libshared.so")
