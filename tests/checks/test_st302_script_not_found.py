"""ST302 script-not-found: the script a container runs is on no volume and not in its image."""

from __future__ import annotations

from pathlib import Path

from tests.checks.harness import cell, violations
from tests.checks.test_st301_unbound_script_variable import IMAGES, TEMPLATE

from seatrial.checks.registry import CellContext
from seatrial.checks.st302_script_not_found import script_not_found


def failing(tmp: Path) -> CellContext:
    return cell(TEMPLATE.format(env="").replace("/scripts/run.sh", "/scripts/missing.sh"), IMAGES)


def passing(tmp: Path) -> CellContext:
    return cell(TEMPLATE.format(env="      env:\n        - {name: SHIMS, value: qemu}\n"), IMAGES)


def test_the_missing_script_is_named(tmp_path: Path) -> None:
    found = violations(script_not_found, failing(tmp_path))
    assert found and "/scripts/missing.sh" in found[0].message
