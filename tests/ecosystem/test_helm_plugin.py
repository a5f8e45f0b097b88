"""The Helm plugin: installed with the real helm CLI into throwaway Helm directories.

Helm 4 installs a local directory in "development mode" (a symlink, no provenance check), so
no `--verify=false` is needed. Helm 4.1 installs into $HELM_DATA_HOME/plugins even when
HELM_PLUGINS points elsewhere, while it loads from HELM_PLUGINS: the test points both at the
same directory.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
S1 = ROOT / "examples" / "s1-manager-kind"
LAUNCHER = ROOT / "scripts" / "helm-plugin.sh"
HELM = shutil.which("helm")


def seatrial_cmd() -> str:
    exe = Path(sys.executable).parent / "seatrial"
    return str(exe) if exe.exists() else f"{sys.executable} -m seatrial.cli"


def helm_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    data = tmp_path / "helm-data"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HELM_", "SEATRIAL_HELM_BIN"))}
    env.update(
        HELM_DATA_HOME=str(data),
        HELM_PLUGINS=str(data / "plugins"),
        HELM_CONFIG_HOME=str(tmp_path / "helm-config"),
        HELM_CACHE_HOME=str(tmp_path / "helm-cache"),
        SEATRIAL_CMD=seatrial_cmd(),
    )
    env.update(extra)
    return env


def test_manifest_names_the_launcher_and_matches_the_package_version() -> None:
    manifest = yaml.safe_load((ROOT / "plugin.yaml").read_text())
    assert manifest["name"] == "seatrial"
    # the version of the last release: the release workflow checks it against the tag, and it
    # is the version a source tree without git history builds as
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert manifest["version"] == pyproject["tool"]["setuptools_scm"]["fallback_version"]
    assert manifest["command"] == "$HELM_PLUGIN_DIR/scripts/helm-plugin.sh"
    assert os.access(LAUNCHER, os.X_OK)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    if HELM is None:
        pytest.skip("no helm CLI on PATH")
    tmp = tmp_path_factory.mktemp("helm")
    env = helm_env(tmp)
    proc = subprocess.run(
        [HELM, "plugin", "install", str(ROOT)], env=env, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    listing = subprocess.run(
        [HELM, "plugin", "list"], env=env, capture_output=True, text=True, check=True
    ).stdout
    version = yaml.safe_load((ROOT / "plugin.yaml").read_text())["version"]
    assert any(line.split()[:2] == ["seatrial", version] for line in listing.splitlines())
    return env


def helm(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    assert HELM is not None
    return subprocess.run([HELM, *args], env=env, capture_output=True, text=True, timeout=120)


def test_helm_seatrial_check_renders_with_the_invoking_helm(installed: dict[str, str]) -> None:
    proc = helm(installed, "seatrial", "check", str(S1), "--no-images", "--format", "json")
    assert proc.returncode == 1, proc.stderr  # the S1 chart has one error
    doc = json.loads(proc.stdout)
    assert doc["summary"]["engine"] == "helm-cli"
    assert [(f["check"], f["source"]["file"], f["source"]["line"]) for f in doc["findings"]] == [
        ("ST102", "templates/daemonset.yaml", 22)
    ]


def test_an_empty_seatrial_helm_bin_keeps_the_embedded_engine(installed: dict[str, str]) -> None:
    env = {**installed, "SEATRIAL_HELM_BIN": ""}
    proc = helm(
        env,
        "seatrial",
        "check",
        str(S1),
        "--no-images",
        "--format",
        "json",
        "--kube-versions",
        "1.33",
    )
    assert json.loads(proc.stdout)["summary"]["engine"] == "helm-python-sdk"


def test_a_clean_chart_exits_0_through_helm(installed: dict[str, str]) -> None:
    proc = helm(
        installed,
        "seatrial",
        "check",
        str(ROOT / "examples" / "s1-manager-kind-fixed"),
        "--no-images",
        "-q",
    )
    assert (proc.returncode, proc.stdout) == (0, "")


# --- the launcher's argument handling, with a recording stand-in for seatrial ----------------


@pytest.fixture()
def recorder(tmp_path: Path) -> Path:
    script = tmp_path / "record.sh"
    script.write_text('#!/bin/sh\nprintf "%s\\n" "HELM_BIN=${SEATRIAL_HELM_BIN-unset}" "$@"\n')
    script.chmod(0o755)
    return script


def launch(recorder: Path, *args: str, **env: str) -> list[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("HELM_", "SEATRIAL_HELM_BIN"))}
    proc = subprocess.run(
        [str(LAUNCHER), *args],
        env={**base, "SEATRIAL_CMD": str(recorder), **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return proc.stdout.splitlines()


def test_explain_gets_helms_namespace_and_context(recorder: Path) -> None:
    out = launch(
        recorder,
        "explain",
        "logs.txt",
        HELM_BIN="/opt/helm",
        HELM_NAMESPACE="shop",
        HELM_KUBECONTEXT="prod",
    )
    assert out == [
        "HELM_BIN=/opt/helm",
        "explain",
        "logs.txt",
        "--namespace",
        "shop",
        "--context",
        "prod",
    ]


def test_explain_keeps_the_users_own_namespace_and_adds_no_empty_context(recorder: Path) -> None:
    out = launch(
        recorder, "explain", "-n", "mine", "-", HELM_NAMESPACE="default", HELM_KUBECONTEXT=""
    )
    assert out == ["HELM_BIN=unset", "explain", "-n", "mine", "-"]


def test_check_gets_no_cluster_flags_and_an_explicit_helm_bin_wins(recorder: Path) -> None:
    out = launch(
        recorder,
        "check",
        "./chart",
        HELM_BIN="/opt/helm",
        HELM_NAMESPACE="shop",
        SEATRIAL_HELM_BIN="/usr/bin/helm3",
    )
    assert out == ["HELM_BIN=/usr/bin/helm3", "check", "./chart"]


def test_missing_seatrial_is_one_clear_line(tmp_path: Path) -> None:
    env = {"PATH": str(tmp_path), "HOME": str(tmp_path)}
    proc = subprocess.run(
        ["/bin/sh", str(LAUNCHER), "check", "."], env=env, capture_output=True, text=True
    )
    assert proc.returncode == 2
    assert proc.stderr == (
        "helm seatrial: the seatrial command is not on PATH "
        "(pipx install git+https://github.com/seatrial/seatrial), "
        "or set SEATRIAL_CMD\n"
    )


def test_only_the_subcommand_decides_about_cluster_flags(recorder: Path) -> None:
    out = launch(recorder, "check", "explain", "--no-images", HELM_NAMESPACE="shop")
    assert out == ["HELM_BIN=unset", "check", "explain", "--no-images"]
