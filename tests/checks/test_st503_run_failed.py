"""ST503 run-failed: the install command itself fails."""

from __future__ import annotations

from pathlib import Path

from tests.checks.harness import converged, violations

from seatrial.checks.st503_run_failed import run_failed


def failing(tmp: Path) -> object:
    return converged(tmp, "echo starting\nexit 3\n")


def passing(tmp: Path) -> object:
    return converged(tmp, "echo starting\n")


def test_the_exit_status_is_said(tmp_path: Path) -> None:
    (v,) = violations(run_failed, failing(tmp_path))
    assert "3" in v.message
