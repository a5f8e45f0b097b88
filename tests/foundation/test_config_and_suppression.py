"""`.seatrial.yaml`, object annotations and template comments suppress with a reason."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from tests.cli_runner import run
from tests.foundation.helpers import EXAMPLES


@pytest.fixture()
def chart(tmp_path: Path) -> Path:
    dst = tmp_path / "capsule"
    shutil.copytree(EXAMPLES / "s1-manager-kind", dst)
    return dst


def test_config_ignore_with_reason(chart: Path) -> None:
    (chart / ".seatrial.yaml").write_text(
        'ignore:\n  - check: ST102\n    object: DaemonSet/*\n    reason: "tracked in #12"\n'
    )
    res = run(
        "check",
        chart,
        "--no-images",
        "--format",
        "json",
        "--show-suppressed",
        "--trust-chart-config",
    )
    assert res.code == 0
    (f,) = res.findings("ST102")
    assert f["suppressed"] == {"by": "config", "reason": "tracked in #12"}
    summary = res.json()["summary"]
    assert summary["suppressed"] == 1
    assert summary["suppressed_by"] == {"config": 1}
    assert summary["config"] == {"file": str(chart / ".seatrial.yaml"), "ignore_rules": 1}
    text = run("check", chart, "--no-images", "--trust-chart-config")
    assert "0 errors, 0 warnings, 0 infos, 1 suppressed (1 by config)" in text.out
    assert f"config {chart / '.seatrial.yaml'}: has 1 ignore rule(s)\n" in text.out


def test_config_severity_override_and_fail_on(chart: Path) -> None:
    (chart / ".seatrial.yaml").write_text("severity:\n  ST102: warning\n")
    assert run("check", chart, "--no-images", "--trust-chart-config").code == 0
    assert (
        run("check", chart, "--no-images", "--fail-on", "warning", "--trust-chart-config").code == 1
    )


def test_config_disable(chart: Path) -> None:
    (chart / ".seatrial.yaml").write_text("checks:\n  disable: [ST102]\n")
    res = run("check", chart, "--no-images", "--format", "json", "--trust-chart-config")
    assert res.code == 0 and res.findings("ST102") == []
    assert res.json()["summary"]["config"]["disabled"] == ["ST102"]


def test_bad_config_is_one_line(chart: Path) -> None:
    (chart / ".seatrial.yaml").write_text("ignores: []\n")
    res = run("check", chart, "--no-images")
    assert res.code == 2
    assert res.err == (
        f"seatrial: error: {chart / '.seatrial.yaml'}:1: unknown key 'ignores' "
        "at the top level (did you mean 'ignore'?)\n"
    )


def test_template_comment_suppresses(chart: Path) -> None:
    ds = chart / "templates" / "daemonset.yaml"
    ds.write_text(
        ds.read_text().replace(
            "          command:\n",
            "          {{- /* seatrial:ignore ST102 the ko image keeps /manager */}}\n"
            "          command:\n",
        )
    )
    res = run("check", chart, "--no-images", "--format", "json", "--show-suppressed")
    assert res.code == 0
    (f,) = res.findings("ST102")
    assert f["suppressed"] == {"by": "template-comment", "reason": "the ko image keeps /manager"}


def test_object_annotation_suppresses_per_container(chart: Path) -> None:
    ds = chart / "templates" / "daemonset.yaml"
    ds.write_text(
        ds.read_text().replace(
            '  labels:\n    {{- include "capsule.labels" . | nindent 4 }}\nspec:',
            "  annotations:\n    seatrial.io/ignore: ST102/manager\n"
            '  labels:\n    {{- include "capsule.labels" . | nindent 4 }}\nspec:',
            1,
        )
    )
    res = run("check", chart, "--no-images", "--format", "json", "--show-suppressed")
    assert res.code == 0
    (f,) = res.findings("ST102")
    assert f["suppressed"]["by"] == "annotation"
    ds.write_text(ds.read_text().replace("ST102/manager", "ST102/other"))
    assert run("check", chart, "--no-images").code == 1


def test_checks_listing_and_docs() -> None:
    res = run("checks")
    assert res.code == 0 and "ST102  mode-drift" in res.out
    one = run("checks", "ST102")
    assert "## Why is this bad?" in one.out and "## Fix" in one.out
    assert run("checks", "ST999").code == 2
