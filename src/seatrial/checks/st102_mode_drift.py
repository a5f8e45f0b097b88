"""ST102 mode-drift."""

from __future__ import annotations

from collections.abc import Iterator

from seatrial.checks.registry import CellContext, MatrixContext, Scope, Violation, check
from seatrial.findings import Cell, Severity
from seatrial.objects.model import Container, Workload

DEFAULTS = "defaults"


def _show(argv: tuple[str, ...] | None) -> str:
    return "[" + ", ".join(argv) + "]" if argv is not None else "nothing"


def _mode(cell: Cell, w: Workload) -> str:
    return f"the {w.kind} mode ({cell.name})"


def _pairs(ctx: MatrixContext) -> Iterator[tuple[Cell, CellContext, Cell, CellContext]]:
    """(mode cell, its render, defaults cell at the same Kubernetes version, its render)."""
    where: dict[Cell, CellContext] = {c: r for r in ctx.renders for c in r.cells}
    defaults = {c.kube_version: c for c in where if c.name == DEFAULTS}
    for cell, render in where.items():
        base = defaults.get(cell.kube_version)
        if cell.name == DEFAULTS or base is None or where[base] is render:
            continue
        yield cell, render, base, where[base]


def _counterpart(w: Workload, c: Container,
                 other: CellContext) -> tuple[Workload, Container] | None:
    same_name = [x for x in other.objects.workloads if x.name == w.name]
    pool = same_name or list(other.objects.workloads)
    hits = [(x, y) for x in pool for y in x.pod.all_containers if y.name == c.name]
    return hits[0] if len(hits) == 1 else None


@check("ST102", "mode-drift", Severity.ERROR, scope=Scope.MATRIX)
def mode_drift(ctx: MatrixContext) -> Iterator[Violation]:
    """The same container starts differently in another workload mode.

    Compares every cell that changes one mode value (a workload kind switch, a toggle, a
    `ci/*-values.yaml`) with the defaults cell at the same Kubernetes version. A container of
    the same component whose `command` differs while the workload kind changes is an error;
    whose `args` differ then is a warning. A toggle that changes `command` within the same
    kind (a diagnostic mode running `sleep infinity`) is only noted (info).

    ## Why is this bad?
    Only the default mode gets exercised by CI and users. A template for another mode that
    hard-codes `command` keeps pointing at the old binary when the image changes: the pod
    fails with `exec: "/manager": stat /manager: no such file or directory` in that mode
    only (Capsule's DaemonSet mode, S1).

    ## Example
        # templates/daemonset.yaml            # templates/deployment.yaml
        containers:                           containers:
          - name: manager                       - name: manager
            command: ["/manager"]                 image: ...  # ENTRYPOINT runs

    ## Fix
    Render the container from one shared template (a named `define`) in every mode, or make
    every mode set the same `command`; usually, remove `command` and let the image ENTRYPOINT
    run.
    """
    for cell, render, base_cell, base in _pairs(ctx):
        for w in render.objects.workloads:
            for c in w.pod.all_containers:
                match = _counterpart(w, c, base)
                if match is None:
                    continue
                bw, bc = match
                kind_changed = bw.kind != w.kind
                if c.command != bc.command:
                    # report at the side that sets a command: that is the line to change
                    side, side_cell, sc, other, other_cell, oc = (
                        (w, cell, c, bw, base_cell, bc) if c.command is not None
                        else (bw, base_cell, bc, w, cell, c))
                    if oc.command is None:
                        msg = (f"container {c.name} sets command {_show(sc.command)} in "
                               f"{_mode(side_cell, side)} but not in {_mode(other_cell, other)}")
                    else:
                        msg = (f"container {c.name} runs command {_show(sc.command)} in "
                               f"{_mode(side_cell, side)} but {_show(oc.command)} in "
                               f"{_mode(other_cell, other)}")
                    yield Violation(
                        msg, field=(*sc.path, "command"), obj=side.obj, container=c.name,
                        cells=(side_cell,), severity=None if kind_changed else Severity.INFO,
                        fix="remove `command` so the image ENTRYPOINT runs in every mode, or set "
                            "the same command in every mode (one shared container template)",
                    )
                elif kind_changed and c.args != bc.args:
                    yield Violation(
                        f"container {c.name} has args {_show(c.args)} in {_mode(cell, w)} but "
                        f"{_show(bc.args)} in {_mode(base_cell, bw)}",
                        field=(*c.path, "args"), obj=w.obj, container=c.name, cells=(cell,),
                        severity=Severity.WARNING,
                        fix="render the container from one shared template in every mode",
                    )
