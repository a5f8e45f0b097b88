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
