"""Issue 2's done-when on the bundled S1 reproduction (examples/s1-manager-kind)."""

from __future__ import annotations

import json

import jsonschema
from tests.cli_runner import run
from tests.foundation.helpers import EXAMPLES, ROOT

S1 = EXAMPLES / "s1-manager-kind"
S1_FIXED = EXAMPLES / "s1-manager-kind-fixed"


def _line_of(path, needle: str) -> int:
    return next(i for i, ln in enumerate(path.read_text().splitlines(), 1) if needle in ln)


def test_s1_reports_mode_drift_at_the_command_line_and_exits_1() -> None:
    res = run("check", S1, "--no-images", "--format", "json")
    assert res.code == 1
    drift = res.findings("ST102")
    assert len(drift) == 1
    f = drift[0]
    assert f["severity"] == "error"
    assert f["object"]["kind"] == "DaemonSet"
    assert f["object"]["name"] == "release-name-capsule-controller-manager"
    assert f["container"] == "manager"
    assert f["source"] == {
        "file": "templates/daemonset.yaml",
        "line": _line_of(S1 / "templates/daemonset.yaml", "command:"),
    }
    assert "sets command [/manager] in the DaemonSet mode" in f["message"]
    assert "but not in the Deployment mode (defaults)" in f["message"]
    assert "remove `command`" in f["fix"]
    cells = f["cells"]
    assert {c["values"]["manager.kind"] for c in cells} == {"DaemonSet"}
    assert [c["kube_version"] for c in cells] == ["1.30", "1.31", "1.32", "1.33", "1.34", "1.35"]
    assert {f["check"] for f in res.findings()} == {"ST102"}


def test_s1_fixed_twin_is_clean() -> None:
    res = run("check", S1_FIXED, "--no-images", "--format", "json")
    assert res.code == 0, res.out
    assert [f for f in res.findings() if f["check"] in ("ST101", "ST102")] == []


def test_text_report_names_template_line() -> None:
    res = run("check", S1, "--no-images")
    line = _line_of(S1 / "templates/daemonset.yaml", "command:")
    assert res.code == 1
    assert f"ST102 mode-drift [manager]  templates/daemonset.yaml:{line}" in res.out
    assert "1 error, 0 warnings" in res.out


def test_sarif_validates_against_the_official_schema() -> None:
    res = run("check", S1, "--no-images", "--format", "sarif")
    assert res.code == 1
    doc = json.loads(res.out)
    schema = json.loads((ROOT / "tests/schemas/sarif-2.1.0-rtm.5.json").read_text())
    jsonschema.validate(doc, schema)
    result = doc["runs"][0]["results"][0]
    assert result["ruleId"] == "ST102"
    loc = result["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"] == {"uri": "templates/daemonset.yaml", "uriBaseId": "CHARTROOT"}
    assert doc["runs"][0]["originalUriBaseIds"]["CHARTROOT"]["uri"] == S1.resolve().as_uri() + "/"
    assert loc["region"]["startLine"] == _line_of(S1 / "templates/daemonset.yaml", "command:")


def test_junit_report_has_one_failure() -> None:
    from xml.etree import ElementTree as ET

    res = run("check", S1, "--no-images", "--format", "junit")
    root = ET.fromstring(res.out)
    failures = root.findall(".//failure")
    assert len(failures) == 1 and failures[0].get("type") == "error"


def test_matrix_lists_both_kinds_and_only_supported_versions() -> None:
    res = run("matrix", S1, "--format", "json")
    assert res.code == 0
    doc = json.loads(res.out)
    assert doc["kube_versions"] == ["1.30", "1.31", "1.32", "1.33", "1.34", "1.35"]
    kinds = {c["values"].get("manager.kind", "Deployment") for c in doc["cells"]}
    assert kinds == {"Deployment", "DaemonSet"}
    text = run("matrix", S1, "--kube-versions", "1.24-1.27")
    assert "1.26, 1.27" in text.out and "excluded by kubeVersion: 1.24, 1.25" in text.out
    assert "DaemonSet/release-name-capsule-controller-manager" in text.out


def test_json_schema_doc_matches_output() -> None:
    schema = json.loads((ROOT / "docs/json-schema.json").read_text())
    res = run("check", S1, "--no-images", "--format", "json")
    jsonschema.validate(res.json(), schema)


def test_no_images_says_which_checks_did_not_run() -> None:
    res = run("check", S1, "--no-images")
    assert res.out.rstrip().endswith(
        "not run (--no-images): ST201, ST202, ST203, ST204, ST205, ST603"
    )
    assert run("check", S1, "--no-images", "--format", "json").json()["summary"]["skipped"] == [
        "ST201",
        "ST202",
        "ST203",
        "ST204",
        "ST205",
        "ST603",
    ]
