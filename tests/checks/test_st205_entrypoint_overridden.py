"""ST205 entrypoint-overridden: `command` replaces the image ENTRYPOINT."""

from __future__ import annotations

from pathlib import Path

from tests.checks.harness import cell, image, violations

from seatrial.checks.registry import CellContext
from seatrial.checks.st205_entrypoint_overridden import entrypoint_overridden

POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: capsule
spec:
  containers:
    - name: manager
      image: reg.example/capsule:v0.10.0
{start}
"""
IMAGES = {
    "reg.example/capsule:v0.10.0": image(
        "reg.example/capsule:v0.10.0",
        entrypoint=("/ko-app/capsule",),
        executables=("/ko-app/capsule", "/manager"),
    )
}


def failing(tmp: Path) -> CellContext:
    return cell(POD.format(start='      command: ["/manager"]'), IMAGES)


def passing(tmp: Path) -> CellContext:
    return cell(POD.format(start='      args: ["--leader-elect"]'), IMAGES)


def test_the_replaced_entrypoint_is_named(tmp_path: Path) -> None:
    (v,) = violations(entrypoint_overridden, failing(tmp_path))
    assert v.message == (
        "`command` /manager replaces the image ENTRYPOINT /ko-app/capsule of "
        "reg.example/capsule:v0.10.0"
    )
    assert v.field == ("spec", "containers", 0, "command")
