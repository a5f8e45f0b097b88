"""ST301 unbound-script-variable: a script under `set -u` reads a variable nothing sets."""

from __future__ import annotations

from pathlib import Path

from tests.checks.harness import cell, image, violations

from seatrial.checks.registry import CellContext
from seatrial.checks.st301_unbound_script_variable import unbound_script_variable

TEMPLATE = """\
apiVersion: v1
kind: Pod
metadata:
  name: installer
spec:
  containers:
    - name: c
      image: reg.example/sh:1
      command: ["bash", "/scripts/run.sh"]
{env}      volumeMounts:
        - {{name: scripts, mountPath: /scripts}}
  volumes:
    - {{name: scripts, configMap: {{name: scripts}}}}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: scripts
data:
  run.sh: |
    set -u
    echo "$SHIMS"
"""
IMAGES = {
    "reg.example/sh:1": image("reg.example/sh:1", executables=("/bin/bash",), env=("PATH=/bin",))
}


def failing(tmp: Path) -> CellContext:
    return cell(TEMPLATE.format(env=""), IMAGES)


def passing(tmp: Path) -> CellContext:
    return cell(TEMPLATE.format(env="      env:\n        - {name: SHIMS, value: qemu}\n"), IMAGES)


def test_the_unbound_variable_is_named_at_its_script_line(tmp_path: Path) -> None:
    (v,) = violations(unbound_script_variable, failing(tmp_path))
    assert v.message.startswith(
        "SHIMS is read at /scripts/run.sh:2 (ConfigMap scripts key run.sh) under `set -u`"
    )
