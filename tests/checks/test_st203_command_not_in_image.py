"""ST203 command-not-in-image: the program a container starts is not in its image (S1)."""

from __future__ import annotations

from pathlib import Path

from tests.checks.harness import cell, image, violations
from tests.checks.test_st205_entrypoint_overridden import POD

from seatrial.checks.registry import CellContext
from seatrial.checks.st203_command_not_in_image import command_not_in_image

REF = "reg.example/capsule:v0.10.0"


def failing(tmp: Path) -> CellContext:
    return cell(
        POD.format(start='      command: ["/manager"]'),
        {REF: image(REF, entrypoint=("/ko-app/capsule",), executables=("/ko-app/capsule",))},
    )


def passing(tmp: Path) -> CellContext:
    return cell(
        POD.format(start='      command: ["/ko-app/capsule"]'),
        {REF: image(REF, entrypoint=("/ko-app/capsule",), executables=("/ko-app/capsule",))},
    )


def test_the_missing_program_is_named(tmp_path: Path) -> None:
    (v,) = violations(command_not_in_image, failing(tmp_path))
    assert "/manager" in v.message and REF in v.message
    assert v.field == ("spec", "containers", 0, "command")
