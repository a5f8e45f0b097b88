"""The shared image builder pushes real images the registry accepts."""

from __future__ import annotations

import httpx
from testkit.oci import (
    OCI_INDEX,
    OPAQUE,
    WHITEOUT,
    File,
    Symlink,
    build_image,
    push_image,
    push_index,
    push_ko_image,
)
from tests.conftest import Registry


def test_push_docker_oci_zstd_index_and_ko(registry: Registry) -> None:
    d1 = push_image(
        registry.url,
        "build/docker",
        "v1",
        files={"/bin/app": File(b"x", 0o755)},
        entrypoint=["/bin/app"],
    )
    d2 = push_image(
        registry.url,
        "build/oci",
        "v1",
        layers=[{"/a/b": b"1"}, {"/a": OPAQUE, "/c": WHITEOUT, "/l": Symlink("/a/b")}],
        fmt="oci",
        compression="zstd",
    )
    amd = build_image({"/x": b"amd"}, platform="linux/amd64", fmt="oci")
    arm = build_image({"/x": b"arm"}, platform="linux/arm64/v8", fmt="oci")
    d3 = push_index(registry.url, "build/multi", "v1", {"a": amd, "b": arm})
    d4 = push_ko_image(registry.url, "build/ko", "v1", "capsule")
    accept = ", ".join(
        [
            OCI_INDEX,
            "application/vnd.oci.image.manifest.v1+json",
            "application/vnd.docker.distribution.manifest.v2+json",
        ]
    )
    for repo, digest in (("docker", d1), ("oci", d2), ("multi", d3), ("ko", d4)):
        r = httpx.head(f"{registry.url}/v2/build/{repo}/manifests/v1", headers={"Accept": accept})
        assert r.status_code == 200
        assert r.headers["Docker-Content-Digest"] == digest
    assert any(p.endswith("/manifests/v1") for _, p, _ in registry.requests())
