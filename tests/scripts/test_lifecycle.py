"""ST402 on plain manifests (every rule, exact lines)."""

from __future__ import annotations

from pathlib import Path

from tests.scripts.support import FIXTURES, cell, load, run

from seatrial.checks.st402_hook_duplicates import hook_duplicates as st402
from seatrial.findings import Severity
from seatrial.render.locate import locate

HOOKS = FIXTURES / "hooks"
ROOT = Path(__file__).resolve().parents[2]


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
        ("Job", "uninstall-cleanup", 6, None),
        ("Job", "uninstall-cleanup", 10, Severity.INFO),
        ("Job", "drain", 22, None),
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


def test_st402_default_severity_is_the_documented_one() -> None:
    """Warnings (the registry's severity, which docs/checks/ST402.md shows), retries info."""
    assert st402.severity is Severity.WARNING
    assert "Default severity: **warning**" in (ROOT / "docs/checks/ST402.md").read_text()
    assert {h.violation.severity for h in run(st402, cell(load(HOOKS / "st402-fail.yaml")))} == {
        None,
        Severity.INFO,
    }


def test_st402_reads_what_removes_hooks_before_claiming_they_stay() -> None:
    """Without a TTL each hook stays, piles up or collides; `ttlSecondsAfterFinished` (the
    TTL controller deletes the finished Job and its pods) removes every one of those claims."""
    assert _hits("st402-ttl-fail.yaml") == [
        ("Job", "node-cleanup", 6, None),
        ("Job", "node-cleanup", 10, Severity.INFO),
        ("Job", "report-", 19, None),
        ("Job", "webhook-create", 38, None),
    ]
    msgs = [h.violation.message for h in run(st402, cell(load(HOOKS / "st402-ttl-fail.yaml")))]
    assert msgs[0] == (
        "hook Job node-cleanup (post-delete) has no helm.sh/hook-delete-policy "
        "and nothing else removes it: after `helm uninstall` the Job and its pods "
        "stay in the cluster with no release left to own them"
    )
    assert msgs[1] == (
        "hook Job node-cleanup (post-delete) has restartPolicy: Never and the "
        "default backoffLimit (6): a failing run keeps up to 7 failed pods of "
        "this one Job"
    )
    assert "piles up" not in msgs[0] and "pile up" in msgs[2]
    assert _hits("st402-ttl-pass.yaml") == []


def test_st402_fixed_name_with_default_policy_does_not_pile_up() -> None:
    """A fixed name with no policy gets Helm's before-hook-creation: re-runs replace it."""
    text = (HOOKS / "st402-ttl-fail.yaml").read_text().split("---\n")[2]
    assert "webhook-create" in text
    kept = text.replace("    helm.sh/hook-delete-policy: hook-succeeded\n", "")
    assert [h.name for h in run(st402, cell(load(HOOKS / "x.yaml", text=kept)))] == []
