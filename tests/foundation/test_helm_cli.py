"""`--helm-bin`: the same findings through a real helm CLI (installed by .ci/run)."""

from __future__ import annotations

import os
import shutil

import pytest
from tests.cli_runner import run
from tests.foundation.helpers import CHARTS, EXAMPLES

HELM = os.environ.get("SEATRIAL_TEST_HELM") or shutil.which("helm")
needs_helm = pytest.mark.skipif(
    HELM is None and not os.environ.get("CI"), reason="no helm CLI on PATH (.ci/run installs one)"
)


@needs_helm
def test_helm_cli_gives_the_same_findings_as_the_sdk() -> None:
    assert HELM, "CI must have a helm CLI"
    via_cli = run(
        "check", EXAMPLES / "s1-manager-kind", "--no-images", "--helm-bin", HELM, "--format", "json"
    )
    via_sdk = run("check", EXAMPLES / "s1-manager-kind", "--no-images", "--format", "json")
    assert via_cli.code == via_sdk.code == 1
    assert via_cli.findings() == via_sdk.findings()
    assert via_cli.json()["summary"]["engine"] == "helm-cli"


@needs_helm
def test_helm_cli_render_failure_is_st101() -> None:
    assert HELM
    res = run(
        "check",
        CHARTS / "operator",
        "--no-images",
        "--helm-bin",
        HELM,
        "--offline",
        "--format",
        "json",
    )
    (st101,) = res.findings("ST101")
    assert {c["name"] for c in st101["cells"]} == {"webhook.certManager.enabled=true"}
    assert st101["source"] == {"file": "templates/certificate.yaml", "line": 9}


def test_missing_helm_bin_is_one_line(tmp_path) -> None:  # type: ignore[no-untyped-def]
    res = run("check", EXAMPLES / "s1-manager-kind", "--helm-bin", tmp_path / "helm")
    assert res.code == 2 and "cannot run" in res.err and len(res.err.strip().splitlines()) == 1
