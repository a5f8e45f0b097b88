"""The composite GitHub Action: its shape, and its check step run as GitHub would run it."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
ACTION = yaml.safe_load((ROOT / "action.yml").read_text())
STEPS: list[dict[str, Any]] = ACTION["runs"]["steps"]


def step(name: str) -> dict[str, Any]:
    return next(s for s in STEPS if s.get("id") == name or s.get("name") == name)


def test_action_is_composite_and_uploads_sarif() -> None:
    assert ACTION["runs"]["using"] == "composite"
    uses = [s["uses"] for s in STEPS if "uses" in s]
    assert uses == [
        "actions/setup-python@v6",
        "actions/cache@v5",
        "github/codeql-action/upload-sarif@v4",
    ]
    upload = step("Upload SARIF to code scanning")
    assert upload["with"]["sarif_file"] == "${{ inputs.sarif-file }}"
    assert "always()" in upload["if"]
    assert "--format sarif" in step("check")["run"]
    assert '"$ACTION_PATH"' in step("Install seatrial")["run"]


def test_the_callers_python_stays_untouched_and_pip_is_cached() -> None:
    """setup-python without touching PATH; seatrial in a venv of its own under runner.temp,
    reached through the install step's output; pip's cache restored by actions/cache."""
    py = STEPS[0]
    assert py["with"]["update-environment"] is False
    install = step("install")
    assert install["env"]["PYTHON"] == "${{ steps.python.outputs.python-path }}"
    assert install["env"]["VENV"] == "${{ runner.temp }}/seatrial-venv"
    cache = next(s for s in STEPS if s.get("uses", "").startswith("actions/cache@"))
    assert cache["with"]["path"] == install["env"]["PIP_CACHE_DIR"]
    for s in STEPS:  # nothing exported to the caller's later steps
        assert "GITHUB_PATH" not in s.get("run", "") and "GITHUB_ENV" not in s.get("run", "")
    assert step("check")["env"]["SEATRIAL_VENV"] == "${{ steps.install.outputs.venv }}"


def test_install_step_makes_its_own_venv(tmp_path: Path) -> None:
    """The install step as GitHub runs it, with this checkout as the action: a venv appears
    at $VENV with seatrial in it, and the interpreter that made it gets no new package."""
    if os.environ.get("SEATRIAL_SLOW_TESTS") != "1":
        pytest.skip(
            "installs the package into a fresh venv (about a minute); SEATRIAL_SLOW_TESTS=1 runs it"
        )
    out_file = tmp_path / "github_output"
    out_file.write_text("")
    env = {
        **os.environ,
        "SEATRIAL_VERSION": "",
        "ACTION_PATH": str(ROOT),
        "PYTHON": sys.executable,
        "VENV": str(tmp_path / "venv"),
        "PIP_CACHE_DIR": str(tmp_path / "pip-cache"),
        "GITHUB_OUTPUT": str(out_file),
    }
    before = subprocess.run(
        [sys.executable, "-m", "pip", "freeze"], capture_output=True, text=True, check=True
    ).stdout
    proc = subprocess.run(
        ["bash", "-c", step("install")["run"]], env=env, capture_output=True, text=True, timeout=900
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("seatrial ")
    assert out_file.read_text() == f"venv={tmp_path / 'venv'}\n"
    assert (tmp_path / "venv" / "bin" / "seatrial").exists()
    after = subprocess.run(
        [sys.executable, "-m", "pip", "freeze"], capture_output=True, text=True, check=True
    ).stdout
    assert after == before


def test_no_input_is_spliced_into_a_script() -> None:
    """`${{ inputs.x }}` inside `run:` is a script-injection hole; inputs go through env."""
    for s in STEPS:
        assert "${{" not in s.get("run", ""), s.get("name")


def run_check_step(
    workspace: Path, target: str, args: str, fail_on: str = ""
) -> tuple[int, dict[str, str], str]:
    out_file = workspace / "github_output"
    out_file.write_text("")
    # the venv the install step made is this test's own (bin/seatrial next to sys.executable);
    # PATH does not lead to it: the step must use $SEATRIAL_VENV
    venv = Path(sys.executable).parent.parent
    env = {
        **os.environ,
        **{
            k: v
            for k, v in {
                "SEATRIAL_PATH": target,
                "SEATRIAL_ARGS": args,
                "SEATRIAL_FAIL_ON": fail_on,
                "SEATRIAL_SARIF": "seatrial.sarif",
                "ACTION_PATH": str(ROOT),
                "SEATRIAL_VENV": str(venv),
                "GITHUB_OUTPUT": str(out_file),
            }.items()
        },
    }
    env["PATH"] = os.pathsep.join(
        p for p in env.get("PATH", "").split(os.pathsep) if Path(p) != venv / "bin"
    )
    if not (venv / "bin" / "seatrial").exists():
        pytest.skip("the seatrial console script is not installed next to this python")
    proc = subprocess.run(
        ["bash", "-e", "-c", step("check")["run"]],
        cwd=workspace,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    outputs = dict(line.split("=", 1) for line in out_file.read_text().splitlines())
    return proc.returncode, outputs, proc.stdout


def test_check_step_writes_repository_relative_sarif_and_annotations(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "examples" / "s1-manager-kind", tmp_path / "charts" / "capsule")
    rc, outputs, stdout = run_check_step(
        tmp_path, "charts/capsule", "--no-images --kube-versions 1.33"
    )
    assert rc == 0  # the step records the status; the last step fails the job
    assert outputs == {"sarif-written": "true", "exit-code": "1"}
    doc = json.loads((tmp_path / "seatrial.sarif").read_text())
    schema = json.loads((ROOT / "tests/schemas/sarif-2.1.0-rtm.5.json").read_text())
    jsonschema.validate(doc, schema)
    locs = [loc["physicalLocation"] for r in doc["runs"][0]["results"] for loc in r["locations"]]
    assert [(p["artifactLocation"]["uri"], p["region"]["startLine"]) for p in locs] == [
        ("charts/capsule/templates/daemonset.yaml", 22)
    ]
    notes = [line for line in stdout.splitlines() if line.startswith("::")]
    assert len(notes) == 1
    assert re.fullmatch(
        r"::error title=ST102,file=charts/capsule/templates/daemonset\.yaml,"
        r"line=22::container manager sets command \[/manager\] .+",
        notes[0],
    )


def test_config_fail_on_applies_unless_the_input_is_set(tmp_path: Path) -> None:
    """A .seatrial.yaml saying `fail-on: warning` (ST102 lowered to a warning) fails the step
    when the fail-on input is empty; the input, when given, wins."""
    chart = tmp_path / "charts" / "capsule"
    shutil.copytree(ROOT / "examples" / "s1-manager-kind", chart)
    (chart / ".seatrial.yaml").write_text("fail-on: warning\nseverity:\n  ST102: warning\n")
    args = "--no-images --kube-versions 1.33"
    rc, outputs, _ = run_check_step(tmp_path, "charts/capsule", args)
    assert (rc, outputs["exit-code"]) == (0, "1")
    rc, outputs, _ = run_check_step(tmp_path, "charts/capsule", args, fail_on="error")
    assert (rc, outputs["exit-code"]) == (0, "0")


def test_check_step_on_bad_input_reports_exit_2_and_no_sarif(tmp_path: Path) -> None:
    rc, outputs, _ = run_check_step(tmp_path, "missing-chart", "")
    assert rc == 0
    assert outputs == {"exit-code": "2"}
    assert not (tmp_path / "seatrial.sarif").exists()


def test_fail_step_propagates_the_exit_code() -> None:
    fail = step("Fail on findings")
    assert fail["if"] == "steps.check.outputs.exit-code != '0'"
    proc = subprocess.run(["bash", "-c", fail["run"]], env={"STATUS": "1"})
    assert proc.returncode == 1
