"""The recipes in docs/ci.md and docs/getting-started.md work as written."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import yaml
from tests.foundation.helpers import EXAMPLES, run

ROOT = Path(__file__).resolve().parents[2]
CI = (ROOT / "docs" / "ci.md").read_text()


def blocks(text: str, lang: str) -> list[str]:
    return re.findall(rf"^```{lang}\n(.*?)^```", text, re.S | re.M)


def test_every_yaml_recipe_parses() -> None:
    docs = [yaml.safe_load(b) for b in blocks(CI, "yaml")]
    assert len(docs) == 4
    workflow, gitlab, pre_commit = docs[0], docs[1], docs[2]
    steps = workflow["jobs"]["charts"]["steps"]
    assert steps[1]["uses"].endswith("/seatrial@v0.1.0")
    assert gitlab["seatrial"]["artifacts"]["reports"]["codequality"] == \
        "gl-code-quality-report.json"
    hook_ids = [h["id"] for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())]
    assert pre_commit["repos"][0]["hooks"][0]["id"] in hook_ids


def test_gitlab_converter_turns_a_real_report_into_code_quality(tmp_path: Path) -> None:
    converter = CI.split("<!-- gitlab-codequality:begin -->")[1].split(
        "<!-- gitlab-codequality:end -->")[0]
    script = tmp_path / "convert.py"
    script.write_text(blocks(converter, "python")[0])
    res = run("check", str(EXAMPLES / "s1-manager-kind"), "--no-images", "--format", "json")
    assert res.code == 1
    report = tmp_path / "seatrial.json"
    report.write_text(res.out)
    proc = subprocess.run([sys.executable, str(script), str(report), "charts/capsule/"],
                          capture_output=True, text=True, check=True)
    issues = json.loads(proc.stdout)
    assert len(issues) == 1
    issue = issues[0]
    assert issue["check_name"] == "ST102 mode-drift"
    assert issue["severity"] == "critical"
    assert issue["location"] == {"path": "charts/capsule/templates/daemonset.yaml",
                                 "lines": {"begin": 22}}
    assert issue["description"].startswith(
        "ST102 DaemonSet/release-name-capsule-controller-manager/manager: container manager")
    assert re.fullmatch(r"[0-9a-f]{64}", issue["fingerprint"])
    # GitLab's required fields, with its severity vocabulary
    for i in issues:
        assert {"description", "check_name", "fingerprint", "severity", "location"} <= set(i)
        assert i["severity"] in {"info", "minor", "major", "critical", "blocker"}


def test_getting_started_commands_exist() -> None:
    text = (ROOT / "docs" / "getting-started.md").read_text()
    commands = {m.split()[1] for m in re.findall(r"^\$? ?seatrial [a-z-]+", text, re.M)}
    listed = set(run("--help").out.split("Commands:")[1].split())
    assert commands and commands <= listed, commands - listed
