"""`seatrial init` (a commented .seatrial.yaml that `check` accepts) and `seatrial completion`."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from tests.cli_runner import run
from tests.foundation.helpers import EXAMPLES

from seatrial.checks.catalog import all_checks
from seatrial.completion import COMPLETE_VAR
from seatrial.config import parse_config

S1 = EXAMPLES / "s1-manager-kind"


@pytest.fixture()
def chart(tmp_path: Path) -> Path:
    dest = tmp_path / "chart"
    shutil.copytree(S1, dest)
    return dest


def test_init_writes_the_matrix_and_every_check_commented(chart: Path) -> None:
    res = run("init", str(chart))
    assert res.code == 0, res.err
    text = (chart / ".seatrial.yaml").read_text()
    config = parse_config(text, chart / ".seatrial.yaml")
    # as written, nothing changes the defaults
    assert (config.disable, config.enable, config.severity, config.ignores) == (
        frozenset(),
        frozenset(),
        {},
        (),
    )
    for spec in all_checks():
        assert f"    # - {spec.id}  # {spec.slug} ({spec.severity.label})" in text
        assert re.search(rf"^  # {spec.id}: {spec.severity.label} +# {spec.slug}$", text, re.M)
    assert "18 cells = 3 modes x 6 Kubernetes versions" in text
    assert "#   kubernetes: 1.30, 1.31, 1.32, 1.33, 1.34, 1.35" in text
    modes = re.findall(r"^#     (\S+)", text, re.M)
    assert modes == ["defaults", "manager.kind=DaemonSet", "serviceAccount.create=false"]
    assert 'toggle manager.kind, default "Deployment" (from values.schema.json enum)' in text


def test_uncommenting_a_check_in_the_written_file_turns_it_off(chart: Path) -> None:
    assert run("init", str(chart)).code == 0
    before = run("check", str(chart), "--no-images", "--format", "json")
    assert before.code == 1
    assert [f["check"] for f in before.findings()] == ["ST102"]
    path = chart / ".seatrial.yaml"
    path.write_text(path.read_text().replace("    # - ST102  #", "    - ST102  #"))
    # the file is inside the chart: it silences a check only when trusted
    assert run("check", str(chart), "--no-images").code == 1
    after = run("check", str(chart), "--no-images", "--format", "json", "--trust-chart-config")
    assert (after.code, after.findings()) == (0, [])


def test_init_refuses_to_overwrite_and_honours_force_and_stdout(chart: Path) -> None:
    (chart / ".seatrial.yaml").write_text("fail-on: warning\n")
    res = run("init", str(chart))
    assert res.code == 2
    assert res.err.strip() == (
        f"seatrial: error: {chart / '.seatrial.yaml'} exists (use --force to overwrite, or -o PATH)"
    )
    assert (chart / ".seatrial.yaml").read_text() == "fail-on: warning\n"
    out = run("init", str(chart), "-o", "-", "--kube-versions", "1.33-1.34", "--no-modes")
    assert out.code == 0
    assert "2 cells = 1 mode x 2 Kubernetes versions" in out.out
    assert run("init", str(chart), "--force").code == 0
    assert (chart / ".seatrial.yaml").read_text().startswith("# seatrial configuration for chart")


def test_init_on_manifests_writes_to_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    manifests = tmp_path / "deploy.yaml"
    manifests.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n")
    monkeypatch.chdir(tmp_path)
    res = run("init", str(manifests))
    assert res.code == 0, res.err
    text = (tmp_path / ".seatrial.yaml").read_text()
    assert "(no matrix: this target is not a chart" in text


def test_init_bad_target_is_one_line_exit_2(tmp_path: Path) -> None:
    res = run("init", str(tmp_path / "missing"))
    assert res.code == 2
    assert res.err.count("\n") == 1 and res.err.startswith("seatrial: error: ")


def complete(words: str) -> list[str]:
    """Ask the installed CLI for completions through the real bash script."""
    script = subprocess.run(
        [sys.executable, "-m", "seatrial.cli", "completion", "bash"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    bindir = Path(sys.executable).parent
    # bash runs `seatrial` from PATH, as a user's shell would
    shim = (
        f'seatrial() {{ "{sys.executable}" -m seatrial.cli "$@"; }}\n'
        if not (bindir / "seatrial").exists()
        else ""
    )
    driver = (
        f"{shim}{script}\n"
        f"COMP_WORDS=({words}); COMP_CWORD=$(( ${{#COMP_WORDS[@]}} - 1 ))\n"
        "_seatrial_completion seatrial\n"
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    env = {**os.environ, "PATH": f"{bindir}{os.pathsep}{os.environ.get('PATH', '')}"}
    env.pop(COMPLETE_VAR, None)
    out = subprocess.run(
        ["bash", "-c", driver], capture_output=True, text=True, env=env, check=True, timeout=60
    ).stdout
    return [line for line in out.splitlines() if line]


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_bash_completion_completes_commands_and_options() -> None:
    assert complete("seatrial ch") == ["check", "checks"]
    assert "--format" in complete("seatrial check --fo")
    assert complete("seatrial check --format s") == ["sarif"]


@pytest.mark.parametrize(
    "shell, marker",
    [("zsh", "#compdef seatrial"), ("fish", "complete --no-files --command seatrial")],
)
def test_completion_scripts_for_zsh_and_fish(shell: str, marker: str) -> None:
    res = run("completion", shell)
    assert res.code == 0
    assert marker in res.out and COMPLETE_VAR in res.out


def test_completion_without_a_known_shell_is_a_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHELL", "/bin/tcsh")
    res = run("completion")
    assert res.code == 2
    assert res.err == "seatrial: error: name the shell: seatrial completion {bash|zsh|fish}\n"
