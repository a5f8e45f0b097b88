"""Kustomize sources: a finding points at the line of the file that set the field (the resource
file, a patch file, an inline patch, the `images:` entry of a kustomization), never at a line
of the built stream. Real `kubectl kustomize` (or kustomize), real registry."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from testkit.oci import File, push_image
from tests.cli_runner import invoke
from tests.conftest import Registry

pytestmark = pytest.mark.skipif(
    not (shutil.which("kustomize") or shutil.which("kubectl")),
    reason="no kustomize or kubectl on PATH (.ci/run installs it)",
)

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: IMAGE:1
          args: ["--serve"]
"""
JOB = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: cleanup
  annotations:
    helm.sh/hook: post-delete
spec:
  backoffLimit: 1
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: cleanup
          image: IMAGE:1
"""
PDB = """\
apiVersion: policy/v1beta1
kind: PodDisruptionBudget
metadata:
  name: web
spec:
  minAvailable: 1
"""
PATCH = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: web
          command: ["COMMAND"]
"""
OVERLAY = """\
namePrefix: prod-
resources:
  - ../base
patches:
  - path: patch.yaml
images:
  - name: IMAGE
    newTag: "TAG"
"""


def line_of(path: Path, needle: str) -> int:
    return next(i for i, ln in enumerate(path.read_text().splitlines(), 1) if needle in ln)


def tree(root: Path, image: str, command: str, tag: str) -> Path:
    (root / "base").mkdir(parents=True)
    (root / "overlay").mkdir()
    (root / "base" / "deployment.yaml").write_text(DEPLOYMENT.replace("IMAGE", image))
    (root / "base" / "job.yaml").write_text(JOB.replace("IMAGE", image) + "---\n" + PDB)
    (root / "base" / "kustomization.yaml").write_text("resources: [deployment.yaml, job.yaml]\n")
    (root / "overlay" / "patch.yaml").write_text(PATCH.replace("COMMAND", command))
    (root / "overlay" / "kustomization.yaml").write_text(
        OVERLAY.replace("IMAGE", image).replace("TAG", tag)
    )
    return root / "overlay"


def check(path: Path, registry: Registry, cache: Path) -> tuple[int, list[dict[str, Any]]]:
    res = invoke(
        "check",
        str(path),
        "--format",
        "json",
        "--fail-on",
        "warning",
        "--kube-versions",
        "1.29",
        env={"SEATRIAL_CACHE_DIR": str(cache)},
        catch_exceptions=False,
    )
    assert res.exit_code in (0, 1), res.stderr
    return res.exit_code, json.loads(res.stdout)["findings"]


@pytest.fixture(scope="module")
def image(registry: Registry) -> str:
    push_image(registry.url, "kz/app", "1", files={"/app": File(b"a", 0o755)}, entrypoint=["/app"])
    push_image(registry.url, "kz/app", "2", files={"/app": File(b"a", 0o755)}, entrypoint=["/app"])
    return f"{registry.host}/kz/app"


def test_findings_point_at_resource_patch_and_images_lines(
    registry: Registry, image: str, tmp_path: Path
) -> None:
    overlay = tree(tmp_path / "src", image, "/manager", "9")
    code, found = check(overlay, registry, tmp_path / "cache")
    assert code == 1
    base = tmp_path / "src" / "base"
    got = {
        (
            f["check"],
            f["object"]["kind"],
            f["object"]["name"],
            f["source"]["file"],
            f["source"]["line"],
        )
        for f in found
        if f["check"] != "ST205"
    }
    assert got == {
        # the image tag comes from the overlay's `images:` entry
        (
            "ST201",
            "Deployment",
            "prod-web",
            str(overlay / "kustomization.yaml"),
            line_of(overlay / "kustomization.yaml", "newTag:"),
        ),
        (
            "ST201",
            "Job",
            "prod-cleanup",
            str(overlay / "kustomization.yaml"),
            line_of(overlay / "kustomization.yaml", "newTag:"),
        ),
        # the hook annotation is in the base resource file
        (
            "ST402",
            "Job",
            "prod-cleanup",
            str(base / "job.yaml"),
            line_of(base / "job.yaml", "helm.sh/hook:"),
        ),
        # the apiVersion is the resource's own, in the second document of its file
        (
            "ST104",
            "PodDisruptionBudget",
            "prod-web",
            str(base / "job.yaml"),
            line_of(base / "job.yaml", "policy/v1beta1"),
        ),
    }


def test_command_from_a_patch_points_at_the_patch(
    registry: Registry, image: str, tmp_path: Path
) -> None:
    overlay = tree(tmp_path / "src", image, "/manager", "1")
    code, found = check(overlay, registry, tmp_path / "cache")
    assert code == 1
    st203 = [
        (f["object"]["name"], f["source"]["file"], f["source"]["line"])
        for f in found
        if f["check"] == "ST203"
    ]
    patch = overlay / "patch.yaml"
    assert st203 == [("prod-web", str(patch), line_of(patch, "command:"))]


def test_fixed_overlay_is_clean(registry: Registry, image: str, tmp_path: Path) -> None:
    overlay = tree(tmp_path / "src", image, "/app", "2")
    (tmp_path / "src" / "base" / "job.yaml").write_text(
        JOB.replace("IMAGE", image).replace(
            "    helm.sh/hook: post-delete\n",
            "    helm.sh/hook: post-delete\n    helm.sh/hook-delete-policy: hook-succeeded\n",
        )
        + "---\n"
        + PDB.replace("policy/v1beta1", "policy/v1")
    )
    assert check(overlay, registry, tmp_path / "cache") == (0, [])


def test_inline_patch_and_untouched_fields(tmp_path: Path) -> None:
    """Through the loader and `locate` directly: a field an inline JSON 6902 patch sets points
    at that operation in kustomization.yaml; a field no patch touches at the resource file."""
    from seatrial.objects.parse import parse_objects
    from seatrial.render.locate import locate
    from seatrial.source.load import ManifestSource, load_source

    overlay = tree(tmp_path / "src", "reg.example/app", "/app", "1")
    kfile = overlay / "kustomization.yaml"
    kfile.write_text(
        kfile.read_text().replace(
            "images:\n",
            (
                "  - target: {kind: Deployment, name: web}\n"
                "    patch: |-\n"
                "      - op: add\n"
                "        path: /spec/replicas\n"
                "        value: 3\n"
                "images:\n"
            ),
        )
    )
    source = load_source(str(overlay))
    assert isinstance(source, ManifestSource)
    files = dict(source.documents)
    objs = {
        o.key: o for path, t in source.documents for o in parse_objects(t, path, is_template=False)
    }
    web = objs["Deployment//prod-web"]
    base = tmp_path / "src" / "base" / "deployment.yaml"

    def at(path: tuple[str | int, ...]) -> tuple[str, int | None]:
        loc = locate(web, path, files)
        return loc.file, loc.line

    assert at(("spec", "replicas")) == (str(kfile), line_of(kfile, "path: /spec/replicas"))
    assert at(("spec", "template", "spec", "containers", 0, "command")) == (
        str(overlay / "patch.yaml"),
        line_of(overlay / "patch.yaml", "command:"),
    )
    assert at(("spec", "template", "spec", "containers", 0, "args")) == (
        str(base),
        line_of(base, "args:"),
    )
    assert at(("spec", "template", "spec", "containers", 0, "image")) == (
        str(kfile),
        line_of(kfile, "newTag:"),
    )
    assert "seatrial" not in {o.kind for o in objs.values()}
    assert all("config.kubernetes.io" not in str(o.annotations) for o in objs.values())


SCRIPTS = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: scripts
data:
  run.sh: |
    set -eu
    echo "installing for ${NODE_ROLE}"
"""
RUNNER = """\
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: installer
spec:
  selector:
    matchLabels: {app: installer}
  template:
    metadata:
      labels: {app: installer}
    spec:
      containers:
        - name: install
          image: reg.example/installer:1
          command: ["bash", "/scripts/run.sh"]
          volumeMounts:
            - {name: scripts, mountPath: /scripts}
      volumes:
        - name: scripts
          configMap: {name: scripts}
"""


def test_script_lines_point_at_the_resource_file(tmp_path: Path) -> None:
    root = tmp_path / "app"
    root.mkdir()
    (root / "scripts.yaml").write_text(SCRIPTS)
    (root / "runner.yaml").write_text(RUNNER)
    (root / "kustomization.yaml").write_text(
        "namePrefix: x-\nresources: [scripts.yaml, runner.yaml]\n"
    )
    res = invoke(
        "check",
        str(root),
        "--offline",
        "--only",
        "ST301",
        "--format",
        "json",
        env={"SEATRIAL_CACHE_DIR": str(tmp_path / "c")},
    )
    assert res.exit_code == 1, res.output
    (f,) = json.loads(res.stdout)["findings"]
    assert (f["object"]["name"], f["source"]) == (
        "x-installer",
        {
            "file": str(root / "scripts.yaml"),
            "line": line_of(root / "scripts.yaml", "${NODE_ROLE}"),
        },
    )
    # fixed: the variable read with a default
    (root / "scripts.yaml").write_text(SCRIPTS.replace("${NODE_ROLE}", "${NODE_ROLE:-worker}"))
    res = invoke(
        "check",
        str(root),
        "--offline",
        "--only",
        "ST301",
        "--format",
        "json",
        env={"SEATRIAL_CACHE_DIR": str(tmp_path / "c")},
    )
    assert (res.exit_code, json.loads(res.stdout)["findings"]) == (0, [])
