"""One findings pipeline: `check`, `converge`, `assets` (and the related checks `explain`
runs) apply `.seatrial.yaml` `disable`, `severity`, `ignore` and `fail-on` the same way, and
refuse a typo'd config with its file and line (exit 2)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from tests.assets.archives import CRI_CONTAINERD_CNI, CRICTL, write_s4
from tests.converge.support import FIXTURES, S3
from tests.foundation.helpers import EXAMPLES

from seatrial.cli import main

Row = tuple[str, str, str | None]  # check, severity, suppressed by
Run = Callable[[Path, tuple[str, ...]], tuple[int, list[Row], str]]

#: (name, config with {id} and {object}, exit code, findings as (severity, suppressed by))
CASES = [
    ("none", "{{}}\n", 1, [("error", None)]),
    ("disable", "checks:\n  disable: [{id}]\n", 0, []),
    ("severity", "severity:\n  {id}: warning\n", 0, [("warning", None)]),
    (
        "severity and fail-on",
        "severity:\n  {id}: warning\nfail-on: warning\n",
        1,
        [("warning", None)],
    ),
    (
        "ignore",
        "ignore:\n  - check: {id}\n    object: '{object}'\n    reason: tracked\n",
        0,
        [("error", "config")],
    ),
    (
        "ignore of another object",
        "ignore:\n  - check: {id}\n    object: 'Nothing/*'\n",
        1,
        [("error", None)],
    ),
]


def _invoke(args: list[str], cwd: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[int, Any, str]:
    monkeypatch.chdir(cwd)
    r = CliRunner().invoke(main, args)
    doc = json.loads(r.stdout) if r.exit_code in (0, 1) else None
    return r.exit_code, doc, r.stderr


def _rows(doc: dict[str, Any]) -> list[Row]:
    return [
        (f["check"], f["severity"], (f.get("suppressed") or {}).get("by")) for f in doc["findings"]
    ]


def check_s1(tmp: Path, config: tuple[str, ...], mp: pytest.MonkeyPatch) -> tuple[int, Any, str]:
    chart = tmp / "capsule"
    shutil.copytree(EXAMPLES / "s1-manager-kind", chart, dirs_exist_ok=True)
    return _invoke(["check", str(chart), "--no-images", "--format", "json", *config], tmp, mp)


def converge_sysctl(
    tmp: Path, config: tuple[str, ...], mp: pytest.MonkeyPatch
) -> tuple[int, Any, str]:
    script = tmp / "sysctl.sh"
    script.write_text("echo net.ipv4.ip_forward=1 >> /host/etc/sysctl.conf\n")
    return _invoke(
        ["converge", "--state", "seed", "--format", "json", *config, "--", "bash", str(script)],
        S3,
        mp,
    )


def assets_s4(tmp: Path, config: tuple[str, ...], mp: pytest.MonkeyPatch) -> tuple[int, Any, str]:
    files = write_s4(tmp / "s4")
    return _invoke(
        ["assets", "--format", "json", *config, str(files[CRI_CONTAINERD_CNI]), str(files[CRICTL])],
        tmp,
        mp,
    )


#: each command on an input with exactly one finding (an error), and the `object` glob of an
#: ignore entry that names it
COMMANDS = {
    "check": (check_s1, "ST102", "DaemonSet/*"),
    "converge": (converge_sysctl, "ST501", "sysctl.sh"),
    "assets": (assets_s4, "ST601", "cri-containerd-cni-*"),
}


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize(("case", "config", "code", "expected"), CASES, ids=[c[0] for c in CASES])
def test_every_command_applies_the_config_the_same_way(
    command: str,
    case: str,
    config: str,
    code: int,
    expected: list[tuple[str, str | None]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    run, check_id, glob = COMMANDS[command]
    path = tmp_path / "seatrial.yaml"
    path.write_text(config.format(id=check_id, object=glob))
    got_code, doc, err = run(tmp_path, ("--config", str(path), "--show-suppressed"), monkeypatch)
    assert (got_code, _rows(doc)) == (code, [(check_id, *e) for e in expected]), err
    if case == "ignore":
        assert doc["summary"]["suppressed_by"] == {"config": 1}
        assert doc["summary"]["config"] == {"file": str(path), "ignore_rules": 1}


@pytest.mark.parametrize("command", list(COMMANDS))
def test_the_flags_select_and_fail_on_the_same_way(
    command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run, check_id, _ = COMMANDS[command]
    code, doc, _err = run(tmp_path, ("--disable", check_id.lower()), monkeypatch)
    assert (code, _rows(doc), doc["summary"]["config"]) == (
        0,
        [],
        {"file": "--disable", "disabled": [check_id]},
    )
    code, doc, _err = run(tmp_path, ("--only", "ST999"), monkeypatch)
    assert (code, doc) == (2, None)


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize(
    ("config", "message"),
    [
        (
            "checks:\n  disabel: [ST102]\n",
            "2: unknown key 'disabel' under checks (did you mean 'disable'?)",
        ),
        ("severity:\n  ST998: error\n", "2: severity.ST998: no check 'ST998'"),
    ],
)
def test_a_typo_is_exit_2_with_file_and_line(
    command: str, config: str, message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = COMMANDS[command][0]
    path = tmp_path / "seatrial.yaml"
    path.write_text(config)
    code, _doc, err = run(tmp_path, ("--config", str(path)), monkeypatch)
    assert code == 2
    assert err.startswith(f"seatrial: error: {path}:{message}"), err
    assert err.count("\n") == 1


def test_converge_and_assets_read_the_working_directory_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".seatrial.yaml").write_text("severity:\n  ST601: info\n")
    code, doc, _err = assets_s4(tmp_path, (), monkeypatch)
    assert (code, _rows(doc)) == (0, [("ST601", "info", None)])
    work = tmp_path / "s3"
    shutil.copytree(S3, work, symlinks=True)
    (work / ".seatrial.yaml").write_text("severity:\n  ST501: info\n")
    script = tmp_path / "sysctl.sh"
    script.write_text("echo net.ipv4.ip_forward=1 >> /host/etc/sysctl.conf\n")
    code, doc, _err = _invoke(
        ["converge", "--state", "seed", "--format", "json", "--", "bash", str(script)],
        work,
        monkeypatch,
    )
    assert (code, _rows(doc)) == (0, [("ST501", "info", None)])


CHART_FORM = (
    "--workload",
    "DaemonSet/kata-deploy",
    "--state",
    "s3/seed",
    "--script-path",
    "/opt/kata-artifacts/scripts=kata-chart-scripts",
    "--set",
    "env.multiInstallSuffix=cicd",
    "--format",
    "json",
)


def test_converge_trusts_a_charts_own_config_only_when_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    chart = tmp_path / "kata-chart"
    shutil.copytree(FIXTURES / "kata-chart", chart)
    (chart / ".seatrial.yaml").write_text("checks:\n  disable: [ST501]\n")
    code, doc, err = _invoke(["converge", str(chart), *CHART_FORM], FIXTURES, monkeypatch)
    assert (code, _rows(doc)) == (1, [("ST501", "error", None)])
    assert err == (
        f"seatrial: note: {chart / '.seatrial.yaml'} is inside the checked chart, so "
        "its disable is not applied (--trust-chart-config applies them)\n"
    )
    code, doc, err = _invoke(
        ["converge", str(chart), *CHART_FORM, "--trust-chart-config"], FIXTURES, monkeypatch
    )
    assert (code, _rows(doc), err) == (0, [], "")


def test_explain_links_back_through_the_same_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    explain = Path(__file__).resolve().parents[1] / "explain"
    args = [
        "explain",
        str(explain / "fixtures" / "s5-kubectl-logs.txt"),
        "--chart",
        str(explain / "charts" / "kata-cleanup"),
        "--format",
        "json",
    ]
    config = tmp_path / "seatrial.yaml"
    for text, source in (
        ("{}\n", {"file": "scripts/kata-deploy.sh", "line": 17}),
        ("ignore:\n  - check: ST301\n", None),
        ("checks:\n  disable: [ST301]\n", None),
    ):
        config.write_text(text)
        code, doc, _err = _invoke([*args, "--config", str(config)], tmp_path, monkeypatch)
        [d] = doc["diagnoses"]
        assert (code, d["source"]) == (1, source)
    config.write_text("checks:\n  disabel: [ST301]\n")
    code, _doc, err = _invoke([*args, "--config", str(config)], tmp_path, monkeypatch)
    assert code == 2 and err.startswith(f"seatrial: error: {config}:2: unknown key 'disabel'")
