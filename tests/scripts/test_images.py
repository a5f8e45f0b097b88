"""Scripts read out of images in the real test registry, through the image index."""

from __future__ import annotations

from pathlib import Path

import pytest
from testkit.oci import DEFAULT_PATH, File, push_image
from tests.conftest import Registry
from tests.scripts.support import FIXTURES, cell, load, run

from seatrial.checks.st301_unbound_script_variable import unbound_script_variable as st301
from seatrial.checks.st302_script_not_found import script_not_found as st302
from seatrial.findings import Location
from seatrial.images.gather import ImageOptions, gather_images

S5 = FIXTURES / "s5"
SCRIPT = "/opt/kata-artifacts/scripts/kata-deploy.sh"


def _push(
    registry: Registry,
    tag: str,
    env: list[str] | None = None,
    entrypoint: list[str] | None = None,
    script: bytes | None = None,
) -> str:
    text = script if script is not None else (S5 / "scripts" / "kata-deploy.sh").read_bytes()
    files = {SCRIPT: File(text, 0o755), "/bin/bash": File(b"\x7fELF", 0o755)}
    push_image(
        registry.url,
        "scripts-s5/kata-deploy",
        tag,
        files,
        env=[DEFAULT_PATH, *(env or [])],
        entrypoint=entrypoint,
    )
    return f"{registry.host}/scripts-s5/kata-deploy:{tag}"


def _manifest(tmp_path: Path, name: str, ref: str) -> Path:
    out = tmp_path / name.removesuffix(".in")
    out.write_text((S5 / name).read_text().replace("REGISTRY/kata-containers/kata-deploy:s5", ref))
    return out


def _images(ref: str, tmp_path: Path) -> dict[str, object]:
    return dict(gather_images([ref], ImageOptions(cache_dir=tmp_path / "cache")))


@pytest.fixture(scope="module")
def s5_ref(registry: Registry) -> str:
    return _push(registry, "3.2.0")


def test_s5_image_cleanup_lacks_shims(s5_ref: str, tmp_path: Path) -> None:
    path = _manifest(tmp_path, "image-fail.yaml.in", s5_ref)
    hits = run(st301, cell(load(path), _images(s5_ref, tmp_path)))
    assert [
        (h.kind, h.name, h.violation.message.split(" ", 1)[0], h.violation.source) for h in hits
    ] == [("DaemonSet", "kata-cleanup", "SHIMS", Location(SCRIPT, 39, note=f"image {s5_ref}"))]
    msg = hits[0].violation.message
    assert f"{SCRIPT}:39 (in image {s5_ref})" in msg
    assert "DaemonSet kata-deploy sets SHIMS; DaemonSet kata-cleanup does not" in msg
    assert "image Env not considered" not in msg


def test_s5_image_env_from_twin_is_clean(s5_ref: str, tmp_path: Path) -> None:
    path = _manifest(tmp_path, "image-pass-envfrom.yaml.in", s5_ref)
    ctx = cell(load(path), _images(s5_ref, tmp_path))
    assert len(ctx.facts.scripts) == 2
    assert run(st301, ctx) == [] and run(st302, ctx) == []


def test_s5_image_with_defaults_twin_is_clean(registry: Registry, tmp_path: Path) -> None:
    """The script fixed with ${SHIMS:-} (the one of configmap-pass-defaults.yaml), in the image."""
    fixed = next(
        c.data["kata-deploy.sh"] for c in load(S5 / "configmap-pass-defaults.yaml").configs
    )
    assert "${SHIMS:-}" in fixed
    ref = _push(registry, "3.2.0-defaults", script=fixed.encode())
    path = _manifest(tmp_path, "image-fail.yaml.in", ref)
    ctx = cell(load(path), _images(ref, tmp_path))
    assert len(ctx.facts.scripts) == 2 and run(st301, ctx) == []


def test_image_env_provides_the_variable(registry: Registry, tmp_path: Path) -> None:
    ref = _push(registry, "3.2.0-env", env=["SHIMS=qemu"])
    path = _manifest(tmp_path, "image-fail.yaml.in", ref)
    assert run(st301, cell(load(path), _images(ref, tmp_path))) == []


def test_entrypoint_of_the_image_runs_the_script(registry: Registry, tmp_path: Path) -> None:
    ref = _push(registry, "3.2.0-entry", entrypoint=[SCRIPT])
    path = tmp_path / "entry.yaml"
    path.write_text(f"""apiVersion: v1
kind: Pod
metadata:
  name: cleanup
spec:
  containers:
    - name: cleanup
      image: {ref}
      args: ["cleanup"]
      env:
        - {{name: NODE_NAME, value: node-1}}
    - name: install
      image: {ref}
      args: ["install"]
      env:
        - {{name: NODE_NAME, value: node-1}}
        - {{name: SHIMS, value: qemu}}
        - {{name: DEFAULT_SHIM, value: qemu}}
""")
    hits = run(st301, cell(load(path), _images(ref, tmp_path)))
    assert [
        (
            h.container,
            h.violation.message.split(" ", 1)[0],
            h.violation.source.line if h.violation.source else None,
        )
        for h in hits
    ] == [("cleanup", "SHIMS", 39)]


def test_script_missing_from_the_image(s5_ref: str, tmp_path: Path) -> None:
    path = tmp_path / "missing.yaml"
    path.write_text(f"""apiVersion: v1
kind: Pod
metadata:
  name: wrong-path
spec:
  containers:
    - name: main
      image: {s5_ref}
      command: ["bash", "/opt/kata-artifacts/kata-deploy.sh", "install"]
""")
    hits = run(st302, cell(load(path), _images(s5_ref, tmp_path)))
    assert [(h.name, h.violation.message) for h in hits] == [
        (
            "wrong-path",
            "script /opt/kata-artifacts/kata-deploy.sh run by container main could "
            f"not be read: /opt/kata-artifacts/kata-deploy.sh is neither on a volume nor in image "
            f"{s5_ref}",
        )
    ]
