"""ST303 script-unparsable: the shell cannot parse the script a container runs."""

from __future__ import annotations

from pathlib import Path

from tests.checks.harness import cell, violations
from tests.checks.test_st301_unbound_script_variable import IMAGES, TEMPLATE

from seatrial.checks.registry import CellContext
from seatrial.checks.st303_script_unparsable import script_unparsable

OK = TEMPLATE.format(env="      env:\n        - {name: SHIMS, value: qemu}\n")


def failing(tmp: Path) -> CellContext:
    return cell(OK.replace('    echo "$SHIMS"\n', "    if then fi (\n"), IMAGES)


def passing(tmp: Path) -> CellContext:
    return cell(OK, IMAGES)


def test_the_unparsable_script_is_named(tmp_path: Path) -> None:
    found = violations(script_unparsable, failing(tmp_path))
    assert found and "/scripts/run.sh" in found[0].message
