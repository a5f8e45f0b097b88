"""ST501 not-converged: a second run of the same install keeps changing the node state."""

from __future__ import annotations

from pathlib import Path

from tests.checks.harness import converged, violations

from seatrial.checks.st501_not_converged import not_converged


def failing(tmp: Path) -> object:
    return converged(tmp, "echo installed >> /host/log\n")


def passing(tmp: Path) -> object:
    return converged(tmp, "echo installed > /host/log\n")


def test_the_growing_file_is_named(tmp_path: Path) -> None:
    found = violations(not_converged, failing(tmp_path))
    assert found and "log" in found[0].message
