"""`seatrial check --format json` end to end: exact (id, object, variable, file, line)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from testkit.oci import DEFAULT_PATH, File, push_image
from tests.cli_runner import invoke
from tests.conftest import Registry
from tests.scripts.support import FIXTURES

S5 = FIXTURES / "s5"
REAL = FIXTURES / "real"
CHARTS = FIXTURES / "charts"
SCRIPT = "/opt/kata-artifacts/scripts/kata-deploy.sh"


def check(target: Path, *args: str, expect: int) -> list[dict[str, Any]]:
    result = invoke(
        "check", str(target), "--format", "json", "--kube-versions", "1.31", "--no-modes", *args
    )
    assert result.exit_code == expect, result.output
    findings: list[dict[str, Any]] = json.loads(result.stdout)["findings"]
    return findings


def rows(findings: list[dict[str, Any]]) -> list[tuple[object, ...]]:
    return [
        (
            f["check"],
            f["severity"],
            f["object"]["kind"],
            f["object"]["name"],
            f["message"].split(" ", 1)[0] if f["check"] == "ST301" else "",
            f["source"]["file"],
            f["source"]["line"],
        )
        for f in findings
    ]


SCRIPT_CHECKS = ("--only", "ST301,ST302,ST303")


def test_s5_configmap() -> None:
    path = S5 / "configmap-fail.yaml"
    assert rows(check(path, "--offline", *SCRIPT_CHECKS, expect=1)) == [
        ("ST301", "error", "DaemonSet", "kata-cleanup", "SHIMS", str(path), 46)
    ]
    for twin in ("configmap-pass-defaults.yaml", "configmap-pass-envfrom.yaml"):
        assert check(S5 / twin, "--offline", *SCRIPT_CHECKS, expect=0) == []
    warn = S5 / "configmap-warn-envfrom-external.yaml"
    assert rows(check(warn, "--offline", *SCRIPT_CHECKS, expect=0)) == [
        ("ST301", "warning", "DaemonSet", "kata-cleanup", "SHIMS", str(warn), 46)
    ]


def test_s5_source_tree_through_script_path(tmp_path: Path) -> None:
    text = (S5 / "configmap-fail.yaml").read_text()
    path = tmp_path / "no-mount.yaml"
    path.write_text(
        text.replace(
            "          volumeMounts:\n            - name: scripts\n"
            "              mountPath: /opt/kata-artifacts/scripts\n",
            "",
        )
    )
    found = check(
        path,
        "--offline",
        *SCRIPT_CHECKS,
        "--script-path",
        f"/opt/kata-artifacts/scripts={S5 / 'scripts'}",
        expect=1,
    )
    assert rows(found) == [
        (
            "ST301",
            "error",
            "DaemonSet",
            "kata-cleanup",
            "SHIMS",
            str(S5 / "scripts" / "kata-deploy.sh"),
            39,
        )
    ]
    # without it the script cannot be read, the image being unavailable: not checked (info)
    missing = check(path, "--offline", *SCRIPT_CHECKS, expect=0)
    assert [(f["check"], f["severity"], f["object"]["name"]) for f in missing] == [
        ("ST302", "info", "kata-cleanup"),
        ("ST302", "info", "kata-deploy"),
    ]
    assert "was not checked" in missing[0]["message"]
    assert "is unavailable" in missing[0]["message"]


SOURCES_A_LIBRARY = """\
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
        - name: prepare
          image: registry.example.invalid/web:1
          command: ["/bin/bash", "-ec"]
          args:
            - |
              set -u
              . /opt/lib/libfs.sh
              ensure_dir "$LIB_DIR"
"""


def test_a_library_sourced_from_an_image_not_read_is_not_checked(tmp_path: Path) -> None:
    """bitnami's init containers source `/opt/bitnami/scripts/libfs.sh` from their image:
    offline with an empty cache it was reported as a script that could not be read (a
    warning). It was not checked (info), and what it sets (`LIB_DIR`) is unknown: no ST301."""
    path = tmp_path / "web.yaml"
    path.write_text(SOURCES_A_LIBRARY)
    found = check(path, "--offline", *SCRIPT_CHECKS, expect=0)
    assert [(f["check"], f["severity"], f["source"]["line"]) for f in found] == [
        ("ST302", "info", 19)
    ]
    assert found[0]["message"].startswith(
        "script /opt/lib/libfs.sh run by container prepare was not checked: sourced at line 2 "
        "of the inline script"
    )


def test_real_scripts_have_no_findings() -> None:
    paths = [f"--script-path={d}={REAL}" for d in ("/usr/local/bin", "/opt/installer", "/app/bin")]
    assert check(REAL / "workloads.yaml", "--offline", *SCRIPT_CHECKS, *paths, expect=0) == []


def test_hook_chart() -> None:
    assert rows(
        check(
            CHARTS / "hooks-fail", "--offline", "--only", "ST402", "--fail-on", "warning", expect=1
        )
    ) == [
        ("ST402", "warning", "Job", "release-name-cleanup", "", "templates/cleanup-job.yaml", 6),
        ("ST402", "info", "Job", "release-name-cleanup", "", "templates/cleanup-job.yaml", 11),
        # generateName with hook-succeeded only: failed runs pile up (a new name each time,
        # so no `already exists` collision is claimed)
        (
            "ST402",
            "warning",
            "Pod",
            "release-name-preflight-",
            "",
            "templates/install-check.yaml",
            4,
        ),
    ]
    assert check(CHARTS / "hooks-pass", "--offline", "--only", "ST402", expect=0) == []


def test_upgrade_charts() -> None:
    found = check(CHARTS / "upgrade-random", "--offline", "--only", "ST401", expect=0)
    assert rows(found) == [
        ("ST401", "warning", "Deployment", "release-name-api", "", "templates/deployment.yaml", 15),
        ("ST401", "warning", "Secret", "release-name-credentials", "", "templates/secret.yaml", 7),
    ]
    assert "checksum/secret differs between the install and the upgrade" in found[0]["message"]
    assert found[1]["message"].startswith("randAlphaNum at templates/secret.yaml:7")
    for twin in ("upgrade-lookup", "upgrade-values"):
        assert check(CHARTS / twin, "--offline", "--only", "ST401", expect=0) == []


@pytest.fixture(scope="module")
def image_ref(registry: Registry) -> str:
    files = {
        SCRIPT: File((S5 / "scripts" / "kata-deploy.sh").read_bytes(), 0o755),
        "/bin/bash": File(b"\x7fELF", 0o755),
    }
    push_image(registry.url, "scripts-e2e/kata-deploy", "3.2.0", files, env=[DEFAULT_PATH])
    return f"{registry.host}/scripts-e2e/kata-deploy:3.2.0"


def test_s5_image_through_the_registry(image_ref: str, registry: Registry, tmp_path: Path) -> None:
    for name in ("image-fail.yaml.in", "image-pass-envfrom.yaml.in"):
        (tmp_path / name.removesuffix(".in")).write_text(
            (S5 / name).read_text().replace("REGISTRY/kata-containers/kata-deploy:s5", image_ref)
        )
    found = check(tmp_path / "image-fail.yaml", *SCRIPT_CHECKS, expect=1)
    assert rows(found) == [("ST301", "error", "DaemonSet", "kata-cleanup", "SHIMS", SCRIPT, 39)]
    assert found[0]["source"]["note"] == f"image {image_ref}"
    assert check(tmp_path / "image-pass-envfrom.yaml", *SCRIPT_CHECKS, expect=0) == []
    # the script came out of the layer blob fetched from the registry
    assert any("/v2/scripts-e2e/kata-deploy/blobs/" in p for p in registry.blob_gets())


def test_bad_script_path_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "x.yaml").write_text("a file, not a directory\n")
    for spec, why in (
        (f"/opt={tmp_path / 'missing'}", f"{tmp_path / 'missing'} does not exist"),
        (f"/opt={tmp_path / 'x.yaml'}", "is not a directory"),
        (f"opt={tmp_path}", "IMAGE_DIR an absolute path inside the image"),
    ):
        result = invoke(
            "check", str(S5 / "configmap-fail.yaml"), "--offline", "--script-path", spec
        )
        assert result.exit_code == 2
        assert result.stderr.startswith("seatrial: error: --script-path ") and why in result.stderr
        assert "Traceback" not in result.output
