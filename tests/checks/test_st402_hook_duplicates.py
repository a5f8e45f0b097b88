"""ST402 hook-duplicates: a delete hook Job nothing removes stays after uninstall; one with
`hook-succeeded` is removed."""

from __future__ import annotations

from pathlib import Path

from tests.checks.harness import cell, violations

from seatrial.checks.registry import CellContext
from seatrial.checks.st402_hook_duplicates import hook_duplicates

JOB = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: cleanup
  annotations:
    helm.sh/hook: post-delete
{policy}spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: c
          image: reg.example/tool:1
"""


def failing(tmp: Path) -> CellContext:
    return cell(JOB.format(policy=""))


def passing(tmp: Path) -> CellContext:
    return cell(
        JOB.format(
            policy="    helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded,hook-failed\n"
        )
    )


def test_the_left_behind_delete_hook_is_named(tmp_path: Path) -> None:
    found = violations(hook_duplicates, failing(tmp_path))
    assert found and all("hook Job cleanup (post-delete)" in v.message for v in found)
