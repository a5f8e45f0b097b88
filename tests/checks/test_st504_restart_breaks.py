"""ST504 restart-breaks: the first run succeeds and a restart (the same command again) fails
on the state the first run left."""

from __future__ import annotations

from pathlib import Path

from tests.checks.harness import converged, violations

from seatrial.checks.st504_restart_breaks import restart_breaks


def failing(tmp: Path) -> object:
    return converged(tmp, "if [ -e /host/done ]; then exit 1; fi\ntouch /host/done\n")


def passing(tmp: Path) -> object:
    return converged(tmp, "touch /host/done\n")


def test_the_breaking_run_is_named(tmp_path: Path) -> None:
    found = violations(restart_breaks, failing(tmp_path))
    assert found and "done" in " ".join(v.message for v in found)
