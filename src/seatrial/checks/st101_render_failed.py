"""ST101 render-failed."""

from __future__ import annotations

from collections.abc import Iterator

from seatrial.checks.registry import MatrixContext, Scope, Violation, check
from seatrial.findings import Location, Severity


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
    """
    by_message: dict[str, list[int]] = {}
    for i, failure in enumerate(ctx.failures):
        by_message.setdefault(failure.message, []).append(i)
    for message, idxs in by_message.items():
        first = ctx.failures[idxs[0]]
        yield Violation(
            f"render failed: {message}",
            source=first.source or Location("Chart.yaml", None, "Helm named no template line"),
            cells=tuple(ctx.failures[i].cell for i in idxs),
            fix="fix the template or values for these cells, or declare them unsupported",
        )
