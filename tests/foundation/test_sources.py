"""Sources, bad input, render failures, subcharts, missing dependencies."""

from __future__ import annotations

import io
import shutil
import tarfile
from pathlib import Path

import pytest
from tests.cli_runner import run
from tests.foundation.helpers import CHARTS, EXAMPLES


def one_error_line(res) -> str:  # type: ignore[no-untyped-def]
    assert res.code == 2, (res.out, res.err)
    lines = [ln for ln in res.err.splitlines() if ln.strip()]
    assert len(lines) == 1, res.err
    assert "Traceback" not in res.err
    return lines[0]


def test_missing_path_is_one_line_exit_2(tmp_path: Path) -> None:
    line = one_error_line(run("check", tmp_path / "nope"))
    assert line == f"seatrial: error: {tmp_path / 'nope'}: no such file or directory"


def test_broken_values_yaml_is_one_line_exit_2(tmp_path: Path) -> None:
    chart = tmp_path / "c"
    shutil.copytree(EXAMPLES / "s1-manager-kind", chart)
    (chart / "values.yaml").write_text("manager:\n  kind: [Deployment\n")
    line = one_error_line(run("check", chart, "--no-images"))
    assert "values.yaml:3: invalid YAML" in line


def test_broken_manifest_yaml_names_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata: {a: b\n"
    )
    line = one_error_line(run("check", tmp_path / "a.yaml", "--no-images"))
    assert f"{tmp_path / 'a.yaml'}:" in line and "invalid YAML" in line


def test_every_cell_failing_is_exit_2(tmp_path: Path) -> None:
    chart = tmp_path / "c"
    shutil.copytree(EXAMPLES / "s1-manager-kind", chart)
    bad = '{{ required "name is required" .Values.nope }}\n'
    (chart / "templates" / "bad.yaml").write_text(bad)
    line = one_error_line(run("check", chart, "--no-images"))
    assert "every cell failed to render" in line and "name is required" in line
    # the chart's own `required`: say how to give the value (aws-load-balancer-controller's
    # clusterName)
    assert "the chart asks for values it has no default for: give them with -f FILE" in line


def test_zero_objects_is_exit_2(tmp_path: Path) -> None:
    (tmp_path / "Chart.yaml").write_text("apiVersion: v2\nname: empty\nversion: 0.1.0\n")
    (tmp_path / "templates").mkdir()
    line = one_error_line(run("check", tmp_path, "--no-images"))
    assert "zero Kubernetes objects" in line and "dependencies" not in line
    # Kong's `ingress` chart is two aliased dependencies: say they are missing
    (tmp_path / "Chart.yaml").write_text(
        "apiVersion: v2\nname: empty\nversion: 0.1.0\ndependencies:\n"
        "  - name: kong\n    version: 3.2.0\n    repository: https://charts.konghq.com\n"
    )
    line = one_error_line(run("check", tmp_path, "--no-images", "--offline"))
    assert line.endswith(
        "rendered zero Kubernetes objects in every cell (its dependencies kong 3.2.0 (offline) "
        "are missing from charts/: run `helm dependency build` or vendor them)"
    ), line


def test_render_failure_in_one_mode_is_st101_and_others_are_checked() -> None:
    res = run("check", CHARTS / "operator", "--no-images", "--format", "json")
    # the chart's own `required` in a one-value mode cell is a constraint it declares: info
    assert res.code == 0
    (st101,) = res.findings("ST101")
    assert st101["severity"] == "info"
    assert st101["source"] == {"file": "templates/certificate.yaml", "line": 9}
    assert {c["name"] for c in st101["cells"]} == {"webhook.certManager.enabled=true"}
    assert st101["message"] == (
        "mode webhook.certManager.enabled=true requires: "
        "webhook.certManager.issuer is required when cert-manager is "
        "enabled"
    )
    assert res.json()["summary"]["distinct_renders"] == 2


def test_missing_oci_dependency_is_st103_with_chart_line() -> None:
    res = run("check", CHARTS / "operator", "--no-images", "--offline", "--format", "json")
    (st103,) = res.findings("ST103")
    assert st103["severity"] == "warning"
    assert st103["source"] == {"file": "Chart.yaml", "line": 7}
    assert "common 2.x.x from oci://registry.example.invalid/charts" in st103["message"]
    assert "(offline)" in st103["message"]


def test_subcharts_render_with_their_own_sources() -> None:
    from seatrial.api import render
    from seatrial.render.matrix import MatrixOptions

    m = render(str(CHARTS / "shop"), MatrixOptions())
    by_mode = {r.cells[0].name: sorted(o.source for o in r.objects) for r in m.renders}
    assert by_mode["defaults"] == [
        "charts/backend/templates/deployment.yaml",
        "charts/frontend/templates/deployment.yaml",
        "templates/configmap.yaml",
    ]
    assert by_mode["backend.enabled=false"] == [
        "charts/frontend/templates/deployment.yaml",
        "templates/configmap.yaml",
    ]
    backend = next(o for o in m.renders[0].objects if "backend" in o.source)
    assert (
        backend.body["spec"]["template"]["spec"]["containers"][0]["image"]
        == "example/shop-backend:1.0.0"
    )


def _tgz(members: dict[str, bytes], path: Path, *, symlink: str | None = None) -> Path:
    with tarfile.open(path, "w:gz") as tf:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
        if symlink:
            info = tarfile.TarInfo("c/templates/link.yaml")
            info.type = tarfile.SYMTYPE
            info.linkname = symlink
            tf.addfile(info)
    return path


def test_packaged_chart_tgz_renders(tmp_path: Path) -> None:
    src = EXAMPLES / "s1-manager-kind"
    members = {
        f"capsule/{p.relative_to(src).as_posix()}": p.read_bytes()
        for p in src.rglob("*")
        if p.is_file()
    }
    res = run(
        "check", _tgz(members, tmp_path / "capsule-0.7.2.tgz"), "--no-images", "--format", "json"
    )
    assert res.code == 1
    (f,) = res.findings("ST102")
    assert f["source"]["file"] == "templates/daemonset.yaml"


@pytest.mark.parametrize(
    ("name", "kwargs", "expect"),
    [
        ("../evil.yaml", {}, "unsafe path"),
        ("/etc/evil.yaml", {}, "unsafe path"),
        ("c/templates/x.yaml", {"symlink": "/etc/passwd"}, "link"),
    ],
)
def test_hostile_chart_archives_are_refused(
    tmp_path: Path, name: str, kwargs: dict[str, str], expect: str
) -> None:
    members = {"c/Chart.yaml": b"apiVersion: v2\nname: c\nversion: 0.1.0\n", name: b"x: 1\n"}
    line = one_error_line(run("check", _tgz(members, tmp_path / "c.tgz", **kwargs)))
    assert expect in line


def test_truncated_chart_archive(tmp_path: Path) -> None:
    good = _tgz(
        {"c/Chart.yaml": b"apiVersion: v2\nname: c\nversion: 0.1.0\n" * 200}, tmp_path / "c.tgz"
    )
    data = good.read_bytes()
    good.write_bytes(data[: len(data) // 2])
    assert "not a readable chart archive" in one_error_line(run("check", good))


def test_plain_manifests_have_exact_lines(tmp_path: Path) -> None:
    (tmp_path / "apps.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\n"
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n"
        "    spec:\n      containers:\n        - name: web\n          image: x\n"
        "          command: [/bin/web]\n"
    )
    from seatrial.objects.parse import parse_objects
    from seatrial.render.locate import locate

    objs = parse_objects((tmp_path / "apps.yaml").read_text(), "apps.yaml", is_template=False)
    dep = objs[1]
    loc = locate(dep, ("spec", "template", "spec", "containers", 0, "command"), {})
    assert (loc.file, loc.line) == ("apps.yaml", 16)


def test_kustomization_directory(tmp_path: Path) -> None:
    if not (shutil.which("kustomize") or shutil.which("kubectl")):
        pytest.skip("no kustomize or kubectl on PATH (.ci/run installs kubectl)")
    (tmp_path / "kustomization.yaml").write_text("resources: [cm.yaml]\nnamePrefix: dev-\n")
    (tmp_path / "cm.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n")
    res = run("check", tmp_path, "--no-images", "--format", "json")
    assert res.code == 0, res.err
    assert res.json()["summary"]["objects"] == 1


def test_kustomization_without_a_tool_is_one_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    (tmp_path / "kustomization.yaml").write_text("resources: []\n")
    assert "install kustomize or kubectl" in one_error_line(run("check", tmp_path))


def test_field_passed_through_toyaml_points_at_values_yaml(tmp_path: Path) -> None:
    chart = tmp_path / "c"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: c\nversion: 0.1.0\n")
    (chart / "values.yaml").write_text(
        "mode: Deployment\nworker:\n  command:\n    - /bin/worker\n    - --verbose\n"
    )
    (chart / "templates" / "w.yaml").write_text(
        "apiVersion: apps/v1\nkind: {{ .Values.mode }}\nmetadata:\n  name: w\nspec:\n"
        "  template:\n    spec:\n      containers:\n        - name: w\n          image: x\n"
        '          {{- if eq .Values.mode "DaemonSet" }}\n          command:\n'
        "            {{- toYaml .Values.worker.command | nindent 12 }}\n          {{- end }}\n"
    )
    from seatrial.api import render
    from seatrial.render.locate import locate
    from seatrial.render.matrix import MatrixOptions

    m = render(str(chart), MatrixOptions())
    ds = next(o for r in m.renders for o in r.objects if o.kind == "DaemonSet")
    path = ("spec", "template", "spec", "containers", 0, "command", 0)
    loc = locate(ds, path, m.files)
    assert (loc.file, loc.line) == ("values.yaml", 4)
    # the key itself is in the template
    loc = locate(ds, path[:-1], m.files)
    assert (loc.file, loc.line) == ("templates/w.yaml", 12)
