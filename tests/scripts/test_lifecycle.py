"""ST402 on plain manifests (every rule, exact lines)."""

from __future__ import annotations

from tests.scripts.support import FIXTURES, cell, load, run

from seatrial.checks.st402_hook_duplicates import hook_duplicates as st402
from seatrial.findings import Severity
from seatrial.render.locate import locate

HOOKS = FIXTURES / "hooks"


def _hits(name: str) -> list[tuple[object, ...]]:
    ctx = cell(load(HOOKS / name))
    by_name = {w.name: w.obj for w in ctx.objects.workloads}
    out = []
    for h in run(st402, ctx):
        loc = locate(by_name[h.name], h.violation.field, {})
        out.append((h.kind, h.name, loc.line, h.violation.severity))
    return out


def test_st402_every_rule() -> None:
    assert _hits("st402-fail.yaml") == [
        ("Job", "uninstall-cleanup", 6, Severity.ERROR),
        ("Job", "uninstall-cleanup", 10, Severity.INFO),
        ("Job", "drain", 22, Severity.ERROR),
        ("Pod", "smoke-", 36, None),
        ("Job", "migrate", 53, None),
    ]


def test_st402_messages_explain_what_is_left_behind() -> None:
    msgs = [h.violation.message for h in run(st402, cell(load(HOOKS / "st402-fail.yaml")))]
    assert "after `helm uninstall` the Job and its pods stay in the cluster" in msgs[0]
    assert "up to 7 failed pods" in msgs[1]
    assert "delete policy hook-failed" in msgs[2]
    assert "pile up" in msgs[3]
    assert 'jobs "migrate" already exists' in msgs[4]


def test_st402_fixed_twin_is_clean() -> None:
    assert _hits("st402-pass.yaml") == []
