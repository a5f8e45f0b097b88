"""--script-from-image: the script (or the ENTRYPOINT) comes from the image, served by the
real registry on loopback (tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from testkit.oci import File, push_image
from tests.conftest import Registry
from tests.converge.support import FIXTURES, brief, invoke, invoke_json

DEPLOY = "--workload", "DaemonSet/kata-deploy"
SCRIPT = "/opt/kata-artifacts/scripts/kata-deploy.sh"


@pytest.fixture(autouse=True)
def _in_fixtures(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.chdir(FIXTURES)
    yield


def test_script_read_from_the_image(registry: Registry) -> None:
    script = (FIXTURES / "kata-chart-scripts" / "kata-deploy.sh").read_bytes()
    push_image(registry.url, "converge/kata-deploy", "v1", files={SCRIPT: File(script, 0o755)})
    code, doc = invoke_json(
        "kata-chart",
        *DEPLOY,
        "--state",
        "s3/seed",
        "--script-from-image",
        "--set",
        f"image.reference={registry.host}/converge/kata-deploy",
        "--set",
        "image.tag=v1",
        "--set",
        "env.multiInstallSuffix=cicd",
    )
    assert code == 1
    assert brief(doc) == [("ST501", "s3/seed/etc/kata-containers/configuration.toml", 3)]
    assert "grows by '-cicd' at every run" in doc["findings"][0]["message"]


def test_image_without_the_script_is_a_usage_error(registry: Registry) -> None:
    push_image(registry.url, "converge/empty", "v1", files={"/etc/hostname": b"x\n"})
    result = invoke(
        "kata-chart",
        *DEPLOY,
        "--state",
        "s3/seed",
        "--script-from-image",
        "--set",
        f"image.reference={registry.host}/converge/empty",
        "--set",
        "image.tag=v1",
    )
    assert result.exit_code == 2
    assert result.stderr == (
        f"seatrial: error: DaemonSet/kata-deploy container kube-kata runs {SCRIPT}, which is "
        f"not in the image {registry.host}/converge/empty:v1 either\n"
    )


def test_entrypoint_and_cmd_from_the_image(registry: Registry, tmp_path: Path) -> None:
    entry = b'#!/bin/sh\necho "joined=$1" >> /host/etc/node.conf\n'
    push_image(
        registry.url,
        "converge/entry",
        "v1",
        files={"/usr/local/bin/entry.sh": File(entry, 0o755)},
        entrypoint=["/usr/local/bin/entry.sh"],
        cmd=["yes"],
    )
    manifest = tmp_path / "job.yaml"
    manifest.write_text(f"""\
apiVersion: batch/v1
kind: Job
metadata:
  name: join
spec:
  template:
    spec:
      restartPolicy: OnFailure
      containers:
        - name: join
          image: {registry.host}/converge/entry:v1
          volumeMounts:
            - name: etc
              mountPath: /host/etc
      volumes:
        - name: etc
          hostPath:
            path: /etc
""")
    code, doc = invoke_json(
        str(manifest), "--workload", "Job/join", "--state", "s3/seed", "--script-from-image"
    )
    assert code == 1
    # not in the seed, and the image's sh is not traced: the container's command line
    assert brief(doc) == [("ST501", str(manifest), 10)]
    assert doc["findings"][0]["message"] == (
        "/host/etc/node.conf:2 grows by one copy of the line 'joined=yes' at every run: the file "
        "has 3 copies after run 3"
    )
    assert doc["summary"]["converge"]["runs"][0]["command"] == "/usr/local/bin/entry.sh yes"


def test_no_command_without_script_from_image_is_a_usage_error(tmp_path: Path) -> None:
    manifest = tmp_path / "pod.yaml"
    manifest.write_text(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n"
        "  containers:\n    - name: c\n      image: x\n"
    )
    result = invoke(str(manifest), "--workload", "Pod/p", "--state", "s3/seed")
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "seatrial: error: Pod/p container c sets no command: its "
        "image ENTRYPOINT runs; read it from the registry with "
        "--script-from-image"
    )


def test_a_container_without_host_paths_is_refused(tmp_path: Path) -> None:
    manifest = tmp_path / "pod.yaml"
    manifest.write_text(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n"
        "  containers:\n    - name: c\n      image: x\n"
        "      command: [sh, -c, 'echo hi']\n"
    )
    result = invoke(str(manifest), "--workload", "Pod/p", "--state", "s3/seed")
    assert result.exit_code == 2
    assert result.stderr == (
        "seatrial: error: Pod/p container c mounts no hostPath volume: it "
        "cannot change the node state, so there is nothing to converge\n"
    )
