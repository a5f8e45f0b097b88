"""`--offline` opens no connection off this machine. The whole `seatrial check --offline` runs
in a network namespace without a route (`unshare -rn`, else bubblewrap's `--unshare-net`): a
chart whose values schema refers to a URL and a kustomization with remote resources are
refused with one line (exit 2), the bundled examples give their usual results, and nothing
waits on the network (every run ends well within its timeout)."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import pytest
from tests.hostile.support import chart

ROOT = Path(__file__).resolve().parents[2]
CONFIGMAP = (
    'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\ndata: {a: "{{ .Values.replicas }}"}\n'
)
AFFINITY = (
    "https://kubernetesjsonschema.dev/v1.18.0/_definitions.json"
    "#/definitions/io.k8s.api.core.v1.Affinity"
)


def _isolation() -> list[str]:
    probe = [sys.executable, "-c", "0"]
    for prefix in (["unshare", "-rn"], ["bwrap", "--unshare-net", "--dev-bind", "/", "/"]):
        if (
            shutil.which(prefix[0])
            and subprocess.run([*prefix, *probe], capture_output=True, check=False).returncode == 0
        ):
            return prefix
    pytest.fail("neither `unshare -rn` nor `bwrap --unshare-net` can create a network namespace")


@pytest.fixture(scope="module")
def isolated() -> list[str]:
    return _isolation()


def offline_check(
    isolated: list[str], target: Path | str, tmp_path: Path, *extra: str
) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": str(tmp_path),
        "SEATRIAL_CACHE_DIR": str(tmp_path / "cache"),
        "DOCKER_CONFIG": str(tmp_path / "docker"),
    }
    cmd = [
        *isolated,
        sys.executable,
        "-c",
        "from seatrial.cli import main; main()",
        "check",
        "--offline",
        "--format",
        "json",
        *extra,
        str(target),
    ]
    start = time.monotonic()
    proc = subprocess.run(
        cmd, capture_output=True, text=True, timeout=120, env=env, cwd=ROOT, check=False
    )
    assert time.monotonic() - start < 120
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def refused(proc: subprocess.CompletedProcess[str]) -> str:
    assert proc.returncode == 2, (proc.returncode, proc.stdout[-500:], proc.stderr)
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("seatrial: error: "), proc.stderr
    return lines[0].removeprefix("seatrial: error: ")


def test_the_namespace_has_no_route(isolated: list[str]) -> None:
    code = (
        "import socket\ns = socket.socket()\ns.settimeout(5)\n"
        "try:\n    s.connect(('192.0.2.1', 443))\nexcept OSError as e:\n"
        "    print(type(e).__name__)\nelse:\n    print('connected')"
    )
    out = subprocess.run(
        [*isolated, sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    ).stdout.strip()
    assert out in ("OSError", "ConnectionRefusedError"), out


def schema_chart(root: Path, schema: object) -> Path:
    path = chart(root, values="replicas: {}\n", templates={"cm.yaml": CONFIGMAP})
    (path / "values.schema.json").write_text(json.dumps(schema))
    return path


@pytest.mark.parametrize(
    ("schema", "url"),
    [
        ({"type": "object", "properties": {"replicas": {"$ref": AFFINITY}}}, AFFINITY),
        (
            {
                "$id": "https://schemas.example.com/root.json",
                "type": "object",
                "properties": {"replicas": {"$ref": "defs.json#/a"}},
            },
            "https://schemas.example.com/defs.json",
        ),
        (
            {"$schema": "https://schemas.example.com/meta.json", "type": "object"},
            "https://schemas.example.com/meta.json",
        ),
    ],
)
def test_remote_schema_ref_is_refused(
    isolated: list[str], tmp_path: Path, schema: object, url: str
) -> None:
    path = schema_chart(tmp_path / "c", schema)
    assert refused(offline_check(isolated, path, tmp_path)) == (
        f"{path}/values.schema.json: refers to {url}, which Helm downloads to validate values; "
        "--offline forbids it: vendor that schema into the chart, or run without --offline"
    )


def test_remote_ref_in_a_packed_subchart_is_refused(isolated: list[str], tmp_path: Path) -> None:
    parent = chart(
        tmp_path / "p",
        "apiVersion: v2\nname: p\nversion: 1.0.0\ndependencies: [{name: sub, version: 1.0.0}]\n",
        templates={"cm.yaml": CONFIGMAP.replace(".Values.replicas", "1")},
    )
    schema = json.dumps({"properties": {"x": {"$ref": AFFINITY}}}).encode()
    (parent / "charts").mkdir()
    with tarfile.open(parent / "charts" / "sub-1.0.0.tgz", "w:gz") as tf:
        for name, data in (
            ("sub/Chart.yaml", b"apiVersion: v2\nname: sub\nversion: 1.0.0\n"),
            ("sub/values.schema.json", schema),
        ):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
    assert refused(offline_check(isolated, parent, tmp_path)).startswith(
        f"{parent}/charts/sub-1.0.0.tgz:sub/values.schema.json: refers to {AFFINITY}, "
    )


def test_local_refs_and_known_metaschemas_render_offline(
    isolated: list[str], tmp_path: Path
) -> None:
    path = schema_chart(
        tmp_path / "c",
        {
            "$schema": "http://json-schema.org/draft-07/schema#",
            "$id": "https://schemas.example.com/root.json",
            "definitions": {"n": {"type": "integer"}},
            "properties": {
                "replicas": {"$ref": "#/definitions/n"},
                "other": {"$ref": "https://schemas.example.com/root.json#/definitions/n"},
            },
        },
    )
    (path / "values.yaml").write_text("replicas: 3\n")
    proc = offline_check(isolated, path, tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["summary"]["objects"] == 1


def test_bundled_examples_check_offline(isolated: list[str], tmp_path: Path) -> None:
    broken = offline_check(isolated, ROOT / "examples" / "s1-manager-kind", tmp_path)
    assert broken.returncode == 1, broken.stderr
    found = {
        (
            f["check"],
            f["object"]["kind"],
            f["object"]["name"],
            f["container"],
            f["source"]["file"],
            f["source"]["line"],
        )
        for f in json.loads(broken.stdout)["findings"]
        if f["severity"] == "error"
    }
    assert found == {
        (
            "ST102",
            "DaemonSet",
            "release-name-capsule-controller-manager",
            "manager",
            "templates/daemonset.yaml",
            22,
        )
    }
    fixed = offline_check(isolated, ROOT / "examples" / "s1-manager-kind-fixed", tmp_path)
    assert fixed.returncode == 0, fixed.stderr


DEPLOY = (
    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n"
    "  selector: {matchLabels: {app: web}}\n  template:\n"
    "    metadata: {labels: {app: web}}\n"
    "    spec: {containers: [{name: web, image: nginx:1.27}]}\n"
)


def kustomization(root: Path, resources: list[str]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "deploy.yaml").write_text(DEPLOY)
    (root / "kustomization.yaml").write_text(json.dumps({"resources": resources}))
    return root


@pytest.mark.parametrize(
    "remote",
    [
        "https://raw.githubusercontent.com/org/repo/v1/deploy.yaml",
        "github.com/org/repo//base?ref=v1",
    ],
)
def test_remote_kustomize_resource_is_refused(
    isolated: list[str], tmp_path: Path, remote: str
) -> None:
    path = kustomization(tmp_path / "k", ["deploy.yaml", remote])
    assert refused(offline_check(isolated, path, tmp_path, "--no-images")) == (
        f"{path}/kustomization.yaml: {remote!r} is not a local path, so kustomize would "
        "download it; --offline forbids it: vendor it, or run without --offline"
    )


def test_remote_resource_in_a_local_base_is_refused(isolated: list[str], tmp_path: Path) -> None:
    kustomization(tmp_path / "base", ["deploy.yaml", "git@github.com:org/repo.git//x"])
    top = kustomization(tmp_path / "overlay", ["../base"])
    assert refused(offline_check(isolated, top, tmp_path, "--no-images")).startswith(
        f"{(tmp_path / 'base').resolve()}/kustomization.yaml: 'git@github.com:org/repo.git//x' "
    )


def test_local_kustomization_renders_offline(isolated: list[str], tmp_path: Path) -> None:
    kustomization(tmp_path / "base", ["deploy.yaml"])
    top = kustomization(tmp_path / "overlay", ["../base"])
    (top / "kustomization.yaml").write_text(json.dumps({"resources": ["../base"]}))
    proc = offline_check(isolated, top, tmp_path, "--no-images")
    assert proc.returncode in (0, 1), proc.stderr
    assert json.loads(proc.stdout)["summary"]["objects"] == 1
