from __future__ import annotations

import shutil
from pathlib import Path

from tests.cli_runner import run
from tests.foundation.helpers import CHARTS


def test_st104_flags_only_cells_past_the_removal() -> None:
    res = run(
        "check",
        CHARTS / "legacy",
        "--no-images",
        "--kube-versions",
        "1.23-1.26",
        "--format",
        "json",
    )
    assert res.code == 1
    (f,) = res.findings("ST104")
    assert (f["object"]["kind"], f["object"]["name"]) == (
        "PodDisruptionBudget",
        "release-name-legacy",
    )
    assert f["source"] == {"file": "templates/pdb.yaml", "line": 2}
    assert [c["kube_version"] for c in f["cells"]] == ["1.25", "1.26"]
    assert "use policy/v1" in f["message"]


def test_st104_passes_with_capabilities_guard(tmp_path: Path) -> None:
    chart = tmp_path / "legacy"
    shutil.copytree(CHARTS / "legacy", chart)
    pdb = chart / "templates" / "pdb.yaml"
    pdb.write_text(
        pdb.read_text().replace(
            "apiVersion: policy/v1beta1\n",
            '{{- if .Capabilities.APIVersions.Has "policy/v1/PodDisruptionBudget" }}\n'
            "apiVersion: policy/v1\n{{- else }}\napiVersion: policy/v1beta1\n{{- end }}\n",
        )
    )
    res = run("check", chart, "--no-images", "--kube-versions", "1.23-1.26", "--format", "json")
    assert res.code == 0, res.out
    assert res.findings("ST104") == []


def test_st104_the_aggregation_api_is_served_by_every_cluster(tmp_path: Path) -> None:
    """prometheus-adapter asks `.Capabilities.APIVersions.Has "apiregistration.k8s.io/v1"`,
    which Helm's default set lacks: the APIService rendered as v1beta1 (unserved since 1.22)
    and was reported; every cluster serves v1 since 1.10, as `helm install` learns."""
    chart = tmp_path / "adapter"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: adapter\nversion: 0.1.0\n")
    (chart / "templates" / "apiservice.yaml").write_text(
        '{{- if .Capabilities.APIVersions.Has "apiregistration.k8s.io/v1" }}\n'
        "apiVersion: apiregistration.k8s.io/v1\n{{- else }}\n"
        "apiVersion: apiregistration.k8s.io/v1beta1\n{{- end }}\n"
        "kind: APIService\nmetadata:\n  name: v1beta1.custom.metrics.k8s.io\n"
    )
    res = run("check", chart, "--no-images", "--kube-versions", "1.30,1.35", "--format", "json")
    assert res.code == 0, res.out
    assert res.findings("ST104") == []


# --- the fixtures the meta-test runs (tests/test_meta.py) ----------------------------------

INGRESS = """\
apiVersion: {api}
kind: Ingress
metadata:
  name: web
spec:
  rules: []
"""


def failing(tmp: Path) -> object:
    from tests.checks.harness import cell

    return cell(INGRESS.format(api="extensions/v1beta1"))


def passing(tmp: Path) -> object:
    from tests.checks.harness import cell

    return cell(INGRESS.format(api="networking.k8s.io/v1"))
