"""ST101 render-failed."""

from __future__ import annotations

from collections.abc import Iterator

from seatrial.checks.registry import MatrixContext, RenderFailure, Scope, Violation, check
from seatrial.findings import Cell, Location, Severity
from seatrial.render.matrix import CONSTRAINT, dependency_cause, is_constraint


@check("ST101", "render-failed", Severity.ERROR, scope=Scope.MATRIX)
def render_failed(ctx: MatrixContext) -> Iterator[Violation]:
    """A cell of the matrix does not render: `helm install` fails there.

    ## Why is this bad?
    Users who pick that mode or run that Kubernetes version cannot install the chart at all.
    `helm lint` and CI usually render only the defaults, so the failure ships.

    ## Example
        {{ required "manager.image is required in DaemonSet mode" .Values.manager.image }}

    ## Fix
    Give the value a working default, guard the template with `if`, or declare the
    constraint (`kubeVersion` in Chart.yaml, an enum in values.schema.json) so users are told
    before rendering.

    ## Which cells count
    Only cells whose values the chart vouches for are errors: its defaults, its
    `ci/*-values.yaml`, the user's `-f`/`--set`, and the values its schema and templates name
    (enum members, literals compared with `eq`/`ne`, the opposite of a boolean default). A value
    seatrial made up (a probe) that no fitting shape renders is dropped and counted in the
    summary, never reported. The chart's own `fail`/`required` message in a cell that changes
    one value is a constraint the chart declares: reported as info ("mode X requires ...").
    Failures caused by a dependency missing from `charts/` are reported once, with ST103.
    """
    missing = [d.name for d in ctx.missing_dependencies]
    groups: dict[tuple[str, bool], list[RenderFailure]] = {}
    for failure in ctx.failures:
        if dependency_cause(failure.message, missing):
            continue
        declared = is_constraint(failure.message) and _one_value(failure.cell)
        groups.setdefault((failure.message, declared), []).append(failure)
    for (message, declared), failures in groups.items():
        source = failures[0].source or Location("Chart.yaml", None, "Helm named no template line")
        cells = tuple(f.cell for f in failures)
        if declared:
            modes = ", ".join(sorted({c.name for c in cells}))
            text = message[len(CONSTRAINT) :].split("): ", 1)[-1]
            yield Violation(
                f"mode {modes} requires: {text}",
                source=source,
                cells=cells,
                severity=Severity.INFO,
                fix="nothing to fix if the requirement is intended; a schema `if`/`then` or a "
                "values.yaml comment tells users before they render",
            )
            continue
        yield Violation(
            f"render failed: {message}",
            source=source,
            cells=cells,
            fix="fix the template or values for these cells, or declare them unsupported",
        )


def _one_value(cell: Cell) -> bool:
    """A mode cell: one value changed from the defaults (not a values file)."""
    return len(cell.values) == 1 and cell.values[0][0] != "values_file"
