"""ST502 cleanup-residue: produced by `seatrial converge --scenario cleanup`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from seatrial.checks.registry import Scope, Violation, check
from seatrial.converge.snapshot import Change, diff, top_level
from seatrial.findings import Location, Severity

if TYPE_CHECKING:  # the converge runner is not imported by `check`
    from seatrial.converge.scenarios import ScenarioResult


@check("ST502", "cleanup-residue", Severity.ERROR, scope=Scope.COMMAND)
def cleanup_residue(result: ScenarioResult) -> Iterator[Violation]:
    """After install and cleanup, the node state is not what it was before the install.

    `seatrial converge --scenario cleanup` runs the install command, then the cleanup
    command, on one scratch copy of the node state, and compares the state at the end with the
    state before the install. Every file left behind, removed or changed is reported, except
    paths allowed with `--allow-residue GLOB`.

    ## Why is this bad?
    `helm uninstall` is supposed to give the node back. A file the cleanup forgets (a shim
    binary, a runtime class drop-in, a line added to containerd's config) keeps affecting the
    node: containerd keeps loading a runtime whose binary is gone, or the next install finds
    a half-configured node. A cleanup that removes or rewrites something that was there before
    the install breaks what the node ran before.

    ## Example
        # install.sh
        cp kata-shim /host/opt/kata/bin/containerd-shim-kata-v2
        cp kata.toml /host/etc/containerd/conf.d/kata.toml
        # cleanup.sh forgets the drop-in
        rm -f /host/opt/kata/bin/containerd-shim-kata-v2

    ## Fix
    Make the cleanup remove exactly what the install created and restore what it changed
    (keep a backup or a manifest of the files written). Allow deliberate leftovers (logs,
    caches) with `--allow-residue GLOB`.
    """
    if not result.completed or result.scenario != "cleanup" or not result.results:
        return  # a failed run is ST503; the state of a half-done scenario proves nothing
    cleanup = result.results[-1]
    inv = cleanup.step.invocation
    install = result.results[0]
    created = {c.path for c in install.changes if c.kind == "added"}
    for change in _reported(top_level(diff(result.seed, result.final)), result):
        if result.allowed(change.path, inv):
            continue
        shown = inv.sandbox_path(change.path)
        if change.kind == "added":
            origin = "created by install" if change.path in created else "created by cleanup"
            inside = _leaves(change.path, result)
            what = change.what() + (f" holding {len(inside)} entries" if inside else "")
            message = f"{shown} is left behind ({what}; {origin})"
        elif change.kind == "removed":
            message = f"{shown} was in the state before install and is gone after cleanup"
        else:
            message = f"{shown} differs from before install: {change.what()}"
        fix = (
            "restore it in the cleanup command"
            if change.kind != "added"
            else "remove it in the cleanup command"
        )
        yield Violation(
            message,
            fix=f"{fix}, or allow it with --allow-residue GLOB",
            source=Location(result.state_file(change.path), None, f"after {cleanup.step.name}"),
        )


#: an added directory with at most this many entries is reported entry by entry
_EXPAND = 10


def _leaves(path: str, result: ScenarioResult) -> list[str]:
    """Files, symlinks and empty directories under an added directory."""
    final = result.final
    under = [p for p in final if p.startswith(path + "/")]
    return [
        p for p in under if final[p].kind != "dir" or not any(q.startswith(p + "/") for q in under)
    ]


def _reported(changes: list[Change], result: ScenarioResult) -> list[Change]:
    """A small directory left behind is reported by what is in it (the forgotten file is
    what the user needs to see); a large one as one entry."""
    out: list[Change] = []
    for c in changes:
        leaves = (
            _leaves(c.path, result)
            if c.kind == "added" and c.after and c.after.kind == "dir"
            else []
        )
        if leaves and len(leaves) <= _EXPAND:
            out.extend(Change(p, None, result.final[p]) for p in sorted(leaves))
        else:
            out.append(c)
    return out
