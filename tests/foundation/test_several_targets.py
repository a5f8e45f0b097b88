"""Several targets per run, charts discovered under a directory (chart-testing's
`--chart-dirs`), no target meaning `.`: one report whose paths name each chart's folder, and
the worst exit code."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from tests.cli_runner import run
from tests.foundation.helpers import EXAMPLES

from seatrial.source.discover import charts_below, expand_targets


@pytest.fixture()
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """repo/charts/broken (S1: ST102), repo/charts/fixed, a subchart inside broken's charts/
    (not a target of its own) and a plain folder without charts."""
    root = tmp_path / "repo"
    shutil.copytree(EXAMPLES / "s1-manager-kind", root / "charts" / "broken")
    shutil.copytree(EXAMPLES / "s1-manager-kind-fixed", root / "charts" / "fixed")
    sub = root / "charts" / "broken" / "charts" / "sub"
    sub.mkdir(parents=True)
    (sub / "Chart.yaml").write_text("apiVersion: v2\nname: sub\nversion: 0.1.0\n")
    (root / ".git" / "x").mkdir(parents=True)
    (root / ".git" / "x" / "Chart.yaml").write_text("apiVersion: v2\nname: x\nversion: 1.0.0\n")
    (root / "docs").mkdir()
    monkeypatch.chdir(root)
    return root


BROKEN = ("charts/broken", "ST102", "charts/broken/templates/daemonset.yaml", 22)


def test_discovery_stops_at_found_charts_and_skips_hidden_folders(repo: Path) -> None:
    assert charts_below(repo) == [repo / "charts" / "broken", repo / "charts" / "fixed"]
    assert expand_targets(()) == ["charts/broken", "charts/fixed"]
    assert expand_targets(("charts/fixed", "charts")) == ["charts/fixed", "charts/broken"]
    assert expand_targets(("docs",)) == ["docs"]  # no chart below: plain manifests
    assert expand_targets(("charts/broken",)) == ["charts/broken"]  # a chart is itself


def test_no_target_checks_every_chart_below_the_working_directory(repo: Path) -> None:
    res = run("check", "--offline", "--no-images", "--format", "json")
    assert res.code == 1, res.err
    doc = res.json()
    assert {
        (f["chart"], f["check"], f["source"]["file"], f["source"]["line"])
        for f in doc["findings"]
        if f["severity"] == "error"
    } == {BROKEN}
    assert [(c["chart"], c["error"]) for c in doc["summary"]["charts"]] == [
        ("charts/broken", 1),
        ("charts/fixed", 0),
    ]


def test_only_healthy_charts_exit_0(repo: Path) -> None:
    res = run("check", "--offline", "--no-images", "charts/fixed", "charts/fixed")
    assert res.code == 0, res.out + res.err


def test_sarif_and_junit_paths_lead_to_the_file(repo: Path) -> None:
    res = run("check", "--offline", "--no-images", "--format", "sarif", "charts")
    sarif = json.loads(res.out)["runs"][0]
    base = sarif["originalUriBaseIds"]["CHARTROOT"]["uri"]
    assert base == repo.resolve().as_uri() + "/"
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in sarif["results"]
        if r["ruleId"] == "ST102"
    }
    assert uris == {BROKEN[2]}
    assert (repo / BROKEN[2]).is_file()
    res = run("check", "--offline", "--no-images", "--format", "junit", "charts")
    files = {
        c.get("file")
        for c in ET.fromstring(res.out).iter("testcase")
        if c.get("classname") == "ST102"
    }
    assert files == {BROKEN[2]}


def test_text_groups_by_chart(repo: Path) -> None:
    res = run("check", "--offline", "--no-images", "--color", "never", "charts")
    assert res.code == 1
    lines = res.out.splitlines()
    assert lines[0] == "== charts/broken"
    assert "charts/broken: 1 error, 0 warnings, 0 infos" in lines
    assert "charts/fixed: 0 errors, 0 warnings, 0 infos" in lines
    assert any(line.strip().endswith(f"{BROKEN[2]}:22") for line in lines)


def test_a_failing_target_is_one_line_and_the_others_are_still_checked(repo: Path) -> None:
    res = run("check", "--offline", "--no-images", "--format", "json", "nope", "charts/broken")
    assert res.code == 2
    assert res.err.splitlines() == ["seatrial: error: nope: no such file or directory"]
    text = run("check", "--offline", "--no-images", "nope", "charts/fixed")
    assert text.code == 2
    assert text.out.splitlines()[:2] == [
        "not checked: nope: no such file or directory",
        "charts/fixed: 0 errors, 0 warnings, 0 infos",
    ]
    doc = res.json()
    assert [f["check"] for f in doc["findings"] if f["severity"] == "error"] == ["ST102"]
    assert doc["summary"]["charts"][0] == {
        "chart": "nope",
        "failed": "nope: no such file or directory",
    }


def test_matrix_takes_one_target(repo: Path) -> None:
    res = run("matrix", "charts/broken", "charts/fixed")
    assert res.code == 2 and res.err == "seatrial: error: matrix takes one target\n"
