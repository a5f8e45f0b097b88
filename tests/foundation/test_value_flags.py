"""--set-string, --set-json, --set-file, -n/--namespace, --release-name, -a/--api-versions:
seatrial renders what `helm template` renders with the same flags (check and matrix, the SDK
and --helm-bin), and layers values in Helm's order."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from tests.cli_runner import run

import seatrial.commands.check
import seatrial.render.matrix

HELM = (
    os.environ.get("SEATRIAL_TEST_HELM")
    or shutil.which("helm")
    or ("/usr/local/bin/helm" if os.path.exists("/usr/local/bin/helm") else None)
)
needs_helm = pytest.mark.skipif(
    HELM is None and not os.environ.get("CI"), reason="no helm CLI (.ci/run installs one)"
)
KUBE = "1.31"

TEMPLATE = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-cm
  namespace: {{ .Release.Namespace }}
data:
  values: {{ .Values | toJson | quote }}
  hasFoo: {{ .Capabilities.APIVersions.Has "example.com/v1alpha1/Foo" | quote }}
  hasBar: {{ .Capabilities.APIVersions.Has "bar.example.com/v2" | quote }}
"""


@pytest.fixture
def chart(tmp_path: Path) -> Path:
    c = tmp_path / "vf"
    (c / "templates").mkdir(parents=True)
    (c / "Chart.yaml").write_text("apiVersion: v2\nname: vf\nversion: 0.1.0\n")
    (c / "values.yaml").write_text("k: chart\nport: 1\nnested:\n  keep: yes\n")
    (c / "templates" / "cm.yaml").write_text(TEMPLATE)
    return c


def _spy(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    seen: list[Any] = []
    real = seatrial.render.matrix.render_matrix

    def spy(source: Any, opts: Any) -> Any:
        m = real(source, opts)
        seen.append(m)
        return m

    monkeypatch.setattr(seatrial.commands.check, "render_matrix", spy)
    monkeypatch.setattr(seatrial.render.matrix, "render_matrix", spy)
    return seen


def _configmap(objects: Any) -> dict[str, Any]:
    (cm,) = [o for o in objects if o["kind"] == "ConfigMap"]
    return dict(cm)


def seatrial_cm(
    monkeypatch: pytest.MonkeyPatch,
    chart: Path,
    *flags: str,
    command: str = "check",
    helm_bin: str | None = None,
) -> dict[str, Any]:
    seen = _spy(monkeypatch)
    args = [command, str(chart), "--kube-versions", KUBE, "--no-modes", "--offline"]
    if command == "check":
        args += ["--no-images", "--format", "json"]
    if helm_bin:
        args += ["--helm-bin", helm_bin]
    res = run(*args, *flags)
    assert res.code in (0, 1), res.err
    (m,) = seen
    (r,) = [r for r in m.renders if any(c.name == "defaults" for c in r.cells)]
    return _configmap(o.body for o in r.objects)


def values_of(cm: dict[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(cm["data"]["values"])
    return data


CASES: dict[str, tuple[list[str], Any]] = {
    # flags, and a check that the flag was not ignored
    "set-string": (
        ["--set-string", "port=80,flag=true"],
        lambda cm: values_of(cm)["port"] == "80" and values_of(cm).get("flag") == "true",
    ),
    "set-json": (
        ["--set-json", 'obj={"a":[1,2],"b":{"c":null}}', "--set-json", "port=8080"],
        lambda cm: (
            values_of(cm).get("obj", {}).get("a") == [1, 2] and values_of(cm)["port"] == 8080
        ),
    ),
    "namespace": (["--namespace", "team-a"], lambda cm: cm["metadata"]["namespace"] == "team-a"),
    "namespace-short": (["-n", "team-b"], lambda cm: cm["metadata"]["namespace"] == "team-b"),
    "release-name": (["--release-name", "myrel"], lambda cm: cm["metadata"]["name"] == "myrel-cm"),
    "api-versions": (
        ["--api-versions", "example.com/v1alpha1/Foo", "-a", "bar.example.com/v2"],
        lambda cm: cm["data"]["hasFoo"] == "true" and cm["data"]["hasBar"] == "true",
    ),
}


def _helm_flags(flags: list[str]) -> list[str]:
    """helm template takes the release name as an argument, not as --release-name."""
    out, it = [], iter(flags)
    name = "release-name"
    for f in it:
        if f == "--release-name":
            name = next(it)
        else:
            out.append(f)
    return [name, *out]


def _helm_args(chart: Path, flags: list[str]) -> dict[str, Any]:
    name, *rest = _helm_flags(flags)
    assert HELM
    out = subprocess.run(
        [HELM, "template", name, str(chart), "--kube-version", f"{KUBE}.0", *rest],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return _configmap(d for d in yaml.safe_load_all(out) if d)


@needs_helm
@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("command", ["check", "matrix"])
def test_flag_matches_helm(
    case: str, command: str, chart: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    flags, took_effect = CASES[case]
    ours = seatrial_cm(monkeypatch, chart, *flags, command=command)
    theirs = _helm_args(chart, flags)
    assert ours == theirs
    assert took_effect(ours), "the flag was ignored"
    assert not took_effect(_helm_args(chart, [])), "the case tests nothing"


@needs_helm
def test_set_file_matches_helm(
    chart: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    f = tmp_path / "motd.txt"
    f.write_text("hello\nworld: 1\n")
    flags = ["--set-file", f"motd={f}"]
    ours = seatrial_cm(monkeypatch, chart, *flags)
    assert ours == _helm_args(chart, flags)
    assert values_of(ours)["motd"] == "hello\nworld: 1\n"


@needs_helm
def test_namespace_release_and_api_versions_reach_the_helm_cli(
    chart: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    flags = [
        "-n",
        "team-c",
        "--release-name",
        "viacli",
        "-a",
        "example.com/v1alpha1/Foo",
        "--set-string",
        "port=9",
    ]
    assert HELM
    ours = seatrial_cm(monkeypatch, chart, *flags, helm_bin=HELM)
    assert ours == _helm_args(chart, flags)
    assert ours["metadata"] == {"name": "viacli-cm", "namespace": "team-c"}
    assert ours["data"]["hasFoo"] == "true"


LAYERS = {
    "-f": None,  # a values file, written per test
    "--set": "k=set",
    "--set-string": "k=string",
    "--set-json": 'k="json"',
    "--set-file": None,  # a file, written per test
}


@needs_helm
@pytest.mark.parametrize(
    "layers",
    [
        ("-f", "--set", "--set-string", "--set-json", "--set-file"),
        ("-f", "--set", "--set-string", "--set-json"),
        ("-f", "--set-json"),
        ("--set", "--set-json"),
        ("--set-string", "--set-json"),
        ("--set", "--set-string"),
        ("-f", "--set"),
        ("--set-file", "--set-string"),
        ("--set-file", "--set-json"),
    ],
)
def test_layering_order_matches_helm(
    layers: tuple[str, ...], chart: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "v.yaml").write_text("k: file\nnested:\n  extra: 1\n")
    (tmp_path / "k.txt").write_text("fromfile")
    flags: list[str] = []
    for flag in reversed(layers):  # the order on the command line does not matter to helm
        if flag == "-f":
            flags += ["-f", str(tmp_path / "v.yaml")]
        elif flag == "--set-file":
            flags += ["--set-file", f"k={tmp_path / 'k.txt'}"]
        else:
            flags += [flag, str(LAYERS[flag])]
    ours = seatrial_cm(monkeypatch, chart, *flags)
    theirs = _helm_args(chart, flags)
    assert values_of(ours) == values_of(theirs)
    assert values_of(ours)["k"] != "chart"


@pytest.mark.parametrize(
    "flags,needle",
    [
        (["--set-json", "a={bad"], "--set-json"),
        (["--set-file", "a=/nonexistent/seatrial-file"], "--set-file"),
    ],
)
@pytest.mark.parametrize("command", ["check", "matrix"])
def test_bad_input_is_one_line_exit_2(
    flags: list[str], needle: str, command: str, chart: Path
) -> None:
    res = run(
        command,
        chart,
        "--kube-versions",
        KUBE,
        "--offline",
        "--no-images" if command == "check" else "--no-modes",
        *flags,
    )
    assert res.code == 2, res.err
    assert needle in res.err and len(res.err.strip().splitlines()) == 1, res.err
