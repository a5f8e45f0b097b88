"""ST502 cleanup-residue: the cleanup command leaves what the install wrote."""

from __future__ import annotations

from pathlib import Path

from tests.checks.harness import converged, violations

from seatrial.checks.st502_cleanup_residue import cleanup_residue

INSTALL = "mkdir -p /host/opt/tool && echo 1 > /host/opt/tool/bin\n"


def failing(tmp: Path) -> object:
    return converged(tmp, INSTALL, scenario="cleanup", cleanup="true\n")


def passing(tmp: Path) -> object:
    return converged(tmp, INSTALL, scenario="cleanup", cleanup="rm -rf /host/opt\n")


def test_the_residue_is_named(tmp_path: Path) -> None:
    found = violations(cleanup_residue, failing(tmp_path))
    assert found and "opt" in found[0].message
