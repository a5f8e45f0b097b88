"""`seatrial converge` on hostile input: one error line, exit 2."""

from __future__ import annotations

from pathlib import Path

from tests.hostile.support import BOMB, chart, fails

WEBAPP = str(Path(__file__).parents[1] / "fixtures" / "charts" / "webapp")


def test_chart_without_workload_is_not_run_as_a_command(tmp_path: Path) -> None:
    fails(["converge", WEBAPP, "--state", str(tmp_path)], "is a chart, not a command", "--workload")


def test_directory_as_command(tmp_path: Path) -> None:
    fails(["converge", "--state", str(tmp_path), "--", str(tmp_path)], "is a directory")


def test_state_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("x")
    fails(["converge", "--state", str(tmp_path / "f"), "--", "true"], "--state", "not a directory")


def test_chart_alias_bomb(tmp_path: Path) -> None:
    c = chart(tmp_path / "c", values=BOMB)
    fails(
        ["converge", str(c), "--state", str(tmp_path), "--workload", "DaemonSet/x"],
        "values.yaml:1",
        "excessive aliasing",
    )
