"""CLI conventions CI systems rely on: usage errors on one line, `--color`, JUnit failures
that agree with `--fail-on`, counts in words ("1 cell"), and `seatrial init` keeping its file
out of `helm package`."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tarfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from tests.cli_runner import run
from tests.foundation.helpers import EXAMPLES

S1 = EXAMPLES / "s1-manager-kind"
ONE_CELL = ("--no-images", "--kube-versions", "1.33")


@pytest.mark.parametrize(
    "args, line",
    [
        (
            ["check", "--zzz", "x"],
            "seatrial: error: no such option '--zzz' (see 'seatrial check --help')",
        ),
        (["nosuch"], "seatrial: error: no such command 'nosuch' (see 'seatrial --help')"),
        (["--bogus"], "seatrial: error: no such option '--bogus' (see 'seatrial --help')"),
        (
            ["check", "--format", "xml", "x"],
            "seatrial: error: invalid value for '--format': 'xml' is not one of 'text', 'json', "
            "'sarif', 'junit', 'html', 'github', 'gitlab' (see 'seatrial check --help')",
        ),
        (
            ["checks", "ST101", "extra"],
            "seatrial: error: got unexpected extra argument (extra) (see 'seatrial checks --help')",
        ),
    ],
)
def test_usage_errors_are_one_line_exit_2(args: list[str], line: str) -> None:
    res = run(*args)
    assert (res.code, res.out, res.err) == (2, "", line + "\n")


def test_usage_error_from_the_installed_command() -> None:
    """The console script, as a shell runs it (no CliRunner)."""
    exe = Path(sys.executable).parent / "seatrial"
    if not exe.exists():
        pytest.skip("the seatrial console script is not installed next to this python")
    proc = subprocess.run(
        [str(exe), "matrix", "--kube-versions"], capture_output=True, text=True, timeout=60
    )
    assert (proc.returncode, proc.stdout) == (2, "")
    assert proc.stderr == (
        "seatrial: error: option '--kube-versions' requires an argument "
        "(see 'seatrial matrix --help')\n"
    )


@pytest.mark.parametrize(
    "flag, env, coloured",
    [
        ("always", {}, True),
        ("always", {"NO_COLOR": "1"}, True),  # the explicit flag wins
        ("never", {}, False),
        ("auto", {}, False),  # not a terminal
    ],
)
def test_color_flag(
    flag: str, env: dict[str, str], coloured: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    res = run("check", str(S1), *ONE_CELL, "--color", flag)
    assert res.code == 1
    assert ("\x1b[31merror  \x1b[0m ST102 mode-drift" in res.out) is coloured
    assert ("\x1b[" in res.out) is coloured


def test_color_from_the_environment_and_bad_value(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SEATRIAL_COLOR", "always")
    assert "\x1b[31m" in run("check", str(S1), *ONE_CELL).out
    monkeypatch.delenv("SEATRIAL_COLOR")
    res = run("check", str(S1), *ONE_CELL, "--color", "sometimes")
    assert res.code == 2 and res.err.startswith("seatrial: error: invalid value for '--color'")


def _junit(tmp_path: Path, *args: str) -> tuple[int, ET.Element]:
    chart = tmp_path / "chart"
    if not chart.exists():
        shutil.copytree(S1, chart)
        # ST102 lowered to a warning: it fails the run only with --fail-on warning
        (chart / ".seatrial.yaml").write_text("severity:\n  ST102: warning\n")
    # the chart's own config lowers a severity: it applies with --trust-chart-config
    res = run("check", str(chart), *ONE_CELL, "--trust-chart-config", "--format", "junit", *args)
    return res.code, ET.fromstring(res.out)


def test_junit_failures_follow_fail_on(tmp_path: Path) -> None:
    code, root = _junit(tmp_path)
    assert code == 0
    assert (root.get("tests"), root.get("failures")) == ("1", "0")
    [case] = root.iter("testcase")
    assert case.find("failure") is None
    out = case.find("system-out")
    assert out is not None and (out.text or "").startswith("warning: templates/daemonset.yaml:22")

    code, root = _junit(tmp_path, "--fail-on", "warning")
    assert code == 1
    assert (root.get("tests"), root.get("failures")) == ("1", "1")
    [failure] = root.iter("failure")
    assert failure.get("type") == "warning"
    [suite] = root.iter("testsuite")
    assert (suite.get("name"), suite.get("failures")) == ("ST102 mode-drift", "1")


def test_junit_follows_the_configs_fail_on(tmp_path: Path) -> None:
    code, root = _junit(tmp_path)
    (tmp_path / "chart" / ".seatrial.yaml").write_text(
        "fail-on: warning\nseverity:\n  ST102: warning\n"
    )
    code, root = _junit(tmp_path)
    assert code == 1 and root.get("failures") == "1"


def test_counts_are_words(tmp_path: Path) -> None:
    res = run("check", str(S1), *ONE_CELL, "--set", "manager.kind=DaemonSet", "--no-modes")
    assert res.out.splitlines()[-2:] == [
        "0 errors, 0 warnings, 0 infos in 1 cell (1 distinct render, 2 objects)",
        "not run (--no-images): ST201, ST202, ST203, ST204, ST205, ST603",
    ]
    matrix = run("matrix", str(S1), "--kube-versions", "1.33", "--no-modes")
    assert matrix.out.splitlines()[0] == "1 cell: 1 mode x 1 Kubernetes version (1.33)"


HELM = shutil.which("helm")


def _packaged(chart: Path, dest: Path) -> list[str]:
    assert HELM is not None
    subprocess.run(
        [HELM, "package", str(chart), "-d", str(dest)], check=True, capture_output=True, timeout=60
    )
    [tgz] = dest.glob("*.tgz")
    with tarfile.open(tgz) as tar:
        return sorted(m.name.split("/", 1)[1] for m in tar.getmembers())


@pytest.mark.skipif(HELM is None, reason="no helm CLI on PATH")
def test_init_keeps_its_file_out_of_helm_package(tmp_path: Path) -> None:
    chart = tmp_path / "chart"
    shutil.copytree(S1, chart)
    assert not (chart / ".helmignore").exists()
    res = run("init", str(chart))
    assert res.code == 0
    assert res.err == (
        f"wrote {chart / '.seatrial.yaml'}\n"
        f"added .seatrial.yaml to {chart / '.helmignore'}: "
        "`helm package` leaves it out\n"
    )
    assert ".seatrial.yaml" not in _packaged(chart, tmp_path / "pkg")
    # an existing .helmignore gets one line, once; a pattern that covers it is respected
    (chart / ".helmignore").write_text("*.bak")
    assert run("init", str(chart), "--force").code == 0
    assert (chart / ".helmignore").read_text() == (
        "*.bak\n# seatrial's configuration (seatrial init), not part of the chart\n.seatrial.yaml\n"
    )
    assert run("init", str(chart), "--force").err == f"wrote {chart / '.seatrial.yaml'}\n"
    (chart / ".helmignore").write_text(".seatrial.*\n")
    assert run("init", str(chart), "--force").err == f"wrote {chart / '.seatrial.yaml'}\n"
    assert (chart / ".helmignore").read_text() == ".seatrial.*\n"
    assert ".seatrial.yaml" not in _packaged(chart, tmp_path / "pkg2")


@pytest.mark.skipif(HELM is None, reason="no helm CLI on PATH")
def test_without_the_helmignore_line_helm_packages_the_config(tmp_path: Path) -> None:
    """The failing case the .helmignore line prevents."""
    chart = tmp_path / "chart"
    shutil.copytree(S1, chart)
    assert run("init", str(chart), "-o", str(chart / ".seatrial.yaml"), "--force").code == 0
    (chart / ".helmignore").unlink()
    assert ".seatrial.yaml" in _packaged(chart, tmp_path / "pkg")
