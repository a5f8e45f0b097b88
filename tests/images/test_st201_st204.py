"""ST201 and ST204 on plain manifests against the real registry: exact findings."""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

from testkit.oci import push_image
from tests.cli_runner import invoke
from tests.conftest import Registry
from tests.images.manifests import line, pod


def run_check(path: Path, cache: Path, *extra: str) -> tuple[int, list[dict[str, Any]]]:
    res = invoke(
        "check",
        str(path),
        "--format",
        "json",
        "--only",
        "ST201,ST204",
        *extra,
        env={"SEATRIAL_CACHE_DIR": str(cache)},
        catch_exceptions=False,
    )
    assert res.exit_code in (0, 1), res.stderr
    return res.exit_code, json.loads(res.stdout)["findings"]


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_not_found_and_unverifiable(registry: Registry, tmp_path: Path) -> None:
    for tag in ("v1.9", "v2.1", "v3.0"):
        push_image(registry.url, "st201/app", tag, files={"/app": b"a"})
    host = registry.host
    dead = f"127.0.0.1:{closed_port()}"
    images = {
        "gone": f"{host}/st201/nothere:1",
        "old-tag": f"{host}/st201/app:v2.0",
        "fine": f"{host}/st201/app:v2.1",
        "unreachable": f"{dead}/team/app:1",
    }
    path = tmp_path / "pods.yaml"
    path.write_text("---\n".join(pod(name, image, "") for name, image in images.items()))
    code, found = run_check(path, tmp_path / "cache")
    assert code == 1
    got = {
        (f["check"], f["severity"], f["object"]["name"], f["message"], f["source"]["line"])
        for f in found
    }
    assert got == {
        (
            "ST201",
            "error",
            "gone",
            f"image {images['gone']} does not exist: repository "
            f"{host}/st201/nothere does not exist",
            line(path, "gone", "image:"),
        ),
        (
            "ST201",
            "error",
            "old-tag",
            f"image {images['old-tag']} does not exist: tag v2.0 is "
            f"not published in {host}/st201/app; nearest published tags: v1.9, v2.1",
            line(path, "old-tag", "image:"),
        ),
        (
            "ST204",
            "warning",
            "unreachable",
            f"image {images['unreachable']} could not be "
            f"verified: {dead}: cannot connect (ConnectError)",
            line(path, "unreachable", "image:"),
        ),
    }
    fixes = {f["object"]["name"]: f["fix"] for f in found}
    assert fixes["old-tag"] == (
        "pin a published tag such as v1.9, or fall back to it when the "
        "computed tag is not published"
    )
    assert fixes["gone"] == "check the image name and tag, or publish the image"


def test_offline_without_cache_is_unverifiable(registry: Registry, tmp_path: Path) -> None:
    push_image(registry.url, "st204/app", "1", files={"/app": b"a"})
    image = f"{registry.host}/st204/app:1"
    path = tmp_path / "pods.yaml"
    path.write_text(pod("p", image, ""))
    code, found = run_check(path, tmp_path / "cache", "--offline")
    assert code == 0  # warnings do not fail by default
    # the user chose --offline: an image not in the cache is info, not a warning
    assert [(f["check"], f["severity"], f["message"]) for f in found] == [
        (
            "ST204",
            "info",
            f"image {image} could not be verified: offline, and never resolved into the cache",
        )
    ]
    assert run_check(path, tmp_path / "cache") == (0, [])
    assert run_check(path, tmp_path / "cache", "--offline") == (0, [])
