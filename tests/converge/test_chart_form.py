"""`seatrial converge CHART --workload ...`: command, env (valueFrom, placeholders, secrets),
hostPath and configMap mounts taken from the rendered container."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from tests.converge.support import FIXTURES, brief, invoke, invoke_json, tree_digest

SCRIPTS = "--script-path", "/opt/kata-artifacts/scripts=kata-chart-scripts"
DEPLOY = "--workload", "DaemonSet/kata-deploy"
SECRET = "s3cr3t-registry-token"


@pytest.fixture(autouse=True)
def _in_fixtures(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.chdir(FIXTURES)
    before = tree_digest(FIXTURES / "s3" / "seed")
    yield
    assert tree_digest(FIXTURES / "s3" / "seed") == before, "the seed state was modified"


def test_chart_restart_with_suffix_grows() -> None:
    code, doc = invoke_json(
        "kata-chart",
        *DEPLOY,
        "--state",
        "s3/seed",
        *SCRIPTS,
        "--set",
        "env.multiInstallSuffix=cicd",
    )
    assert code == 1
    assert brief(doc) == [("ST501", "s3/seed/etc/kata-containers/configuration.toml", 3)]
    (f,) = doc["findings"]
    assert (f["object"]["kind"], f["object"]["name"], f["container"]) == (
        "DaemonSet",
        "kata-deploy",
        "kube-kata",
    )
    assert f["related"] == [{"file": "templates/kata-deploy.yaml", "line": 18}]
    assert "grows by '-cicd' at every run" in f["message"]
    assert 'after run 3:  path = "/opt/kata-cicd-cicd-cicd/bin/qemu-system-x86_64"' in f["message"]


def test_chart_env_placeholders_config_volume_and_masked_secret() -> None:
    result = invoke("kata-chart", *DEPLOY, "--state", "s3/seed", *SCRIPTS, "--format", "json")
    assert result.exit_code == 0, result.output
    assert SECRET not in result.output
    doc = json.loads(result.stdout)
    assert doc["findings"] == []
    conv = doc["summary"]["converge"]
    assert conv["notes"] == [
        "install: DaemonSet/kata-deploy (ns kube-system) container "
        "kube-kata; placeholders: NODE_NAME=seatrial-node (spec.nodeName)"
    ]
    assert conv["runs"][0]["output"] == [
        "installing on node seatrial-node (namespace kube-system, debug true)",
        "pulling with token [secret]",
    ]
    assert [c["path"] for c in conv["runs"][0]["changes"]] == [
        "opt/kata/bin/containerd-shim-kata-clh-v2",
        "opt/kata/bin/containerd-shim-kata-qemu-v2",
    ]
    text = invoke("kata-chart", *DEPLOY, "--state", "s3/seed", *SCRIPTS)
    assert text.exit_code == 0 and SECRET not in text.output
    assert "placeholders: NODE_NAME=seatrial-node (spec.nodeName)" in text.stdout


def test_secrets_written_to_the_state_are_masked() -> None:
    args = ("kata-chart", *DEPLOY, "--state", "s3/seed", *SCRIPTS, "--env", "KATA_APPEND_TOKEN=1")
    text = invoke(*args)
    assert text.exit_code == 1 and SECRET not in text.output
    assert '+token = "[secret]"' in text.stdout
    code, doc = invoke_json(*args)
    assert code == 1
    # registry.toml is not in the seed: the script line that wrote it
    assert brief(doc) == [("ST501", "kata-chart-scripts/kata-deploy.sh", 17)]
    assert doc["findings"][0]["message"] == (
        "/host/etc/kata-containers/registry.toml:2 grows by one copy of the line "
        "'token = \"[secret]\"' at every run: the file has 3 copies after run 3\n"
        "    written by kata-chart-scripts/kata-deploy.sh:17"
    )


def test_chart_cleanup_without_shims_fails_like_kata_cleanup() -> None:
    code, doc = invoke_json(
        "kata-chart",
        *DEPLOY,
        "--state",
        "s3/seed",
        *SCRIPTS,
        "--scenario",
        "cleanup",
        "--cleanup-workload",
        "DaemonSet/kata-cleanup",
    )
    assert code == 1
    assert brief(doc) == [("ST503", "kata-chart-scripts/kata-deploy.sh", 31)]
    (f,) = doc["findings"]
    assert (f["object"]["name"], f["container"]) == ("kata-cleanup", "kube-kata-cleanup")
    assert f["message"].endswith(
        "    | /opt/kata-artifacts/scripts/kata-deploy.sh: line 31: SHIMS: unbound variable"
    )
    assert f["fix"] == (
        "define SHIMS in the container's env, or read it with a default (${SHIMS:-}) in the script"
    )
    assert f["related"] == [{"file": "templates/kata-cleanup.yaml", "line": 18}]


def test_chart_cleanup_with_shims_returns_to_the_seed() -> None:
    code, doc = invoke_json(
        "kata-chart",
        *DEPLOY,
        "--state",
        "s3/seed",
        *SCRIPTS,
        "--scenario",
        "cleanup",
        "--cleanup-workload",
        "DaemonSet/kata-cleanup",
        "--set",
        "cleanup.defineShims=true",
    )
    assert (code, doc["findings"]) == (0, [])


def test_chart_upgrade_between_two_cells() -> None:
    code, doc = invoke_json(
        "kata-chart",
        *DEPLOY,
        "--state",
        "s3/seed",
        *SCRIPTS,
        "--scenario",
        "upgrade",
        "--set-b",
        "env.multiInstallSuffix=b",
    )
    assert code == 1
    assert brief(doc) == [("ST501", "s3/seed/etc/kata-containers/configuration.toml", 3)]
    assert "grows by '-b' at run 3 (B again)" in doc["findings"][0]["message"]


def test_plain_manifest_file(tmp_path: Path) -> None:
    """The chart form also takes rendered manifests (here: the deploy DaemonSet with its
    ConfigMap and Secret written out by hand)."""
    chart = FIXTURES / "kata-chart" / "templates"
    docs = [
        yaml.safe_load(d)
        for d in (chart / "config.yaml")
        .read_text()
        .replace("{{ .Values.registryToken | quote }}", f'"{SECRET}"')
        .split("---")
    ]
    daemonset = (
        (chart / "kata-deploy.yaml")
        .read_text()
        .replace('"{{ .Values.image.reference }}:{{ .Values.image.tag }}"', "kata:1")
        .replace("{{ .Values.env.shims | quote }}", '"qemu"')
        .replace("{{ .Values.env.multiInstallSuffix | quote }}", '"x"')
    )
    manifest = tmp_path / "kata.yaml"
    manifest.write_text(yaml.safe_dump_all(docs) + "---\n" + daemonset)
    code, doc = invoke_json(str(manifest), *DEPLOY, "--state", "s3/seed", *SCRIPTS, "--runs", "2")
    assert code == 1
    assert brief(doc) == [("ST501", "s3/seed/etc/kata-containers/configuration.toml", 3)]
    assert "grows by '-x' at run 2" in doc["findings"][0]["message"]
    assert doc["findings"][0]["related"][0]["file"] == str(manifest)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("kata-chart", "--workload", "DaemonSet/nope", "--state", "s3/seed", *SCRIPTS),
            "--workload DaemonSet/nope: not in the rendered objects (workloads: DaemonSet/",
        ),
        (
            ("kata-chart", "--workload", "nope", "--state", "s3/seed"),
            "--workload 'nope': expected KIND/NAME",
        ),
        (
            ("kata-chart", *DEPLOY, "--state", "s3/seed"),
            "DaemonSet/kata-deploy container kube-kata runs /opt/kata-artifacts/scripts/kata-deploy.sh,"
            " which is in the image, not on this machine",
        ),
        (
            ("kata-chart", *DEPLOY, "--container", "other", "--state", "s3/seed"),
            "DaemonSet/kata-deploy has no container 'other' (containers: kube-kata)",
        ),
        (
            ("kata-chart", *DEPLOY, "--state", "s3/seed", "--", "extra"),
            "the chart form takes exactly one CHART and no command",
        ),
        (("no-such-chart", *DEPLOY, "--state", "s3/seed"), "no-such-chart: no such file"),
        (
            ("kata-chart", *DEPLOY, "--state", "s3/seed", "--cleanup-cmd", "x"),
            "--cleanup-cmd is for the plain form",
        ),
    ],
)
def test_chart_usage_errors(args: tuple[str, ...], message: str) -> None:
    result = invoke(*args)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"seatrial: error: {message}")
    assert result.stderr.count("\n") == 1
