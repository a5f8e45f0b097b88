"""A `.seatrial.yaml` shipped inside the checked chart cannot silence checks; every config
file is validated against the shipped JSON Schema with file, line and the nearest name."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from tests.cli_runner import run
from tests.foundation.helpers import EXAMPLES
from tests.hostile.support import fails

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture()
def chart(tmp_path: Path) -> Path:
    dst = tmp_path / "capsule"
    shutil.copytree(EXAMPLES / "s1-manager-kind", dst)
    return dst


def test_chart_config_enable_cannot_switch_checks_off(chart: Path) -> None:
    (chart / ".seatrial.yaml").write_text(
        "checks:\n  enable: [ST101]\n  disable: [ST102]\nignore:\n  - check: '*'\n"
    )
    res = run("check", chart, "--no-images", "--format", "json")
    assert res.code == 1
    assert [f["check"] for f in res.findings()] == ["ST102"]
    assert res.err == (
        f"seatrial: note: {chart / '.seatrial.yaml'} is inside the checked "
        "chart, so its disable, enable, ignore are not applied "
        "(--trust-chart-config applies them)\n"
    )
    assert "config" not in res.json()["summary"]


def test_chart_config_unknown_id_st000_fails_instead_of_disabling(chart: Path) -> None:
    (chart / ".seatrial.yaml").write_text("checks: {enable: [ST000]}\n")
    fails(
        ["check", str(chart), "--no-images"],
        f"{chart / '.seatrial.yaml'}:1: checks.enable[0]: no check 'ST000'",
    )


def test_chart_config_lowering_a_severity_is_not_applied_raising_is(chart: Path) -> None:
    (chart / ".seatrial.yaml").write_text("severity: {ST102: info}\n")
    res = run("check", chart, "--no-images", "--format", "json")
    assert (res.code, [f["severity"] for f in res.findings("ST102")]) == (1, ["error"])
    assert "lowered severities is not applied" in res.err
    # raising (ST103 is a warning by default) and a lower fail-on are stricter: they apply
    (chart / ".seatrial.yaml").write_text("severity: {ST103: error}\nfail-on: info\n")
    res = run("check", chart, "--no-images", "--format", "json")
    assert (res.code, res.err) == (1, "")


def test_working_directory_config_applies_in_full(
    chart: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    (work / ".seatrial.yaml").write_text("checks: {disable: [ST102]}\n")
    monkeypatch.chdir(work)
    res = run("check", chart, "--no-images", "--format", "json")
    assert (res.code, res.findings("ST102"), res.err) == (0, [], "")
    assert res.json()["summary"]["config"] == {
        "file": str(work / ".seatrial.yaml"),
        "disabled": ["ST102"],
    }
    # the working directory being the chart does not make the chart's file trusted
    monkeypatch.chdir(chart)
    (chart / ".seatrial.yaml").write_text("checks: {disable: [ST102]}\n")
    assert run("check", ".", "--no-images").code == 1


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "checks:\n  disabel: [ST102]\n",
            ":2: unknown key 'disabel' under checks (did you mean 'disable'?)",
        ),
        (
            "checks:\n  disable: [ST2O3]\n",
            ":2: checks.disable[0]: no check 'ST2O3' (did you mean 'ST203'?)",
        ),
        ("fail-on: error\nseverity:\n  ST998: error\n", ":3: severity.ST998: no check 'ST998'"),
        (
            "severity:\n  ST102: fatal\n",
            ":2: severity.ST102: 'fatal' is not one of error, warning, info",
        ),
        ("ignore: 5\n", ":1: ignore: expected a list, got a number"),
        ("ignore:\n  - check: ST9*\n", ":2: ignore[0].check: no check 'ST9*'"),
        ("ignore:\n  - object: x\n", ":2: ignore[0]: 'check' is a required property"),
        (
            "ignore:\n  - check: ST102\n    reasn: x\n",
            ":3: unknown key 'reasn' under ignore[0] (did you mean 'reason'?)",
        ),
        ("checks: [ST102]\n", ":1: checks: expected a mapping, got a list"),
        ("- a\n", ":1: expected a mapping, got a list"),
    ],
)
def test_config_schema_errors_name_file_line_and_nearest(
    chart: Path, text: str, message: str
) -> None:
    config = chart.parent / "cfg.yaml"
    config.write_text(text)
    line = fails(["check", str(chart), "--no-images", "--config", str(config)])
    assert (
        line == f"seatrial: error: {config}{message} (see `seatrial checks`)"
        if "no check" in message
        else line == f"seatrial: error: {config}{message}"
    ), line


def test_ignore_glob_matching_a_check_is_accepted(chart: Path) -> None:
    config = chart.parent / "cfg.yaml"
    config.write_text("ignore:\n  - check: st1*\n    reason: legacy\n")
    res = run("check", chart, "--no-images", "--config", config)
    assert res.code == 0
    assert f"config {config}: has 1 ignore rule(s)" in res.out
    assert "1 suppressed (1 by config)" in res.out


@pytest.mark.parametrize(
    ("flag", "value", "message"),
    [
        ("--only", "ST1O2", "--only: no check 'ST1O2' (did you mean 'ST102'?)"),
        ("--disable", "mode-drift,ST9", "--disable: no check 'ST9'"),
    ],
)
def test_unknown_ids_on_flags(chart: Path, flag: str, value: str, message: str) -> None:
    line = fails(["check", str(chart), "--no-images", flag, value])
    assert line == f"seatrial: error: {message} (see `seatrial checks`)"


def test_disable_flag_is_listed(chart: Path) -> None:
    res = run("check", chart, "--no-images", "--disable", "mode-drift")
    assert res.code == 0
    assert "config --disable: disables ST102\n" in res.out


def test_schema_ships_and_docs_copy_is_identical() -> None:
    shipped = ROOT / "src" / "seatrial" / "config.schema.json"
    assert shipped.read_bytes() == (ROOT / "docs" / "config.schema.json").read_bytes()
    schema = json.loads(shipped.read_text())
    assert set(schema["properties"]) == {"fail-on", "checks", "severity", "ignore"}
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert '"config.schema.json"' in pyproject
